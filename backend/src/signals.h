/* Stop signals: the one way the master, a worker and the mailer learn
 * that they are to end. */
#ifndef SIGNALS_H
#define SIGNALS_H

/*
 * Calls on_stop on SIGTERM and SIGINT, without SA_RESTART: a blocking call
 * (accept, waitpid, sleep) returns with EINTR, so that the loop around it
 * sees the flag on_stop sets.  Ignores SIGPIPE: a peer that went away is an
 * error from write, not the end of the process.
 */
void signals_on_stop(void (*on_stop)(int));

#endif
