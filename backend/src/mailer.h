/* The mailer process: sends the outbox through a sendmail-compatible
 * command and queues the monthly digest for board admins. */
#ifndef MAILER_H
#define MAILER_H

#include "config.h"

/* Runs until SIGTERM; returns the exit status. */
int mailer_run(const struct config *c);

#endif
