/* Signals: the one way the master, a worker and the mailer learn that they
 * are to stop, reload (master) or reopen their logs. */
#ifndef SIGNALS_H
#define SIGNALS_H

#include <signal.h>

/* Set by the handlers; each process checks them in its loop and clears
 * the ones it acts on. */
extern volatile sig_atomic_t signals_stop;   /* SIGTERM, SIGINT */
extern volatile sig_atomic_t signals_reload; /* SIGHUP: the master reloads */
extern volatile sig_atomic_t signals_reopen; /* SIGUSR1: reopen the logs */

/*
 * Installs the handlers (they only set the flags above; SIGCHLD only
 * wakes the master), ignores SIGPIPE (a peer that went away is an error
 * from write), and BLOCKS those signals: a process lets them in only
 * where it waits (sigsuspend, ppoll) with *wait_mask, so no read, write or
 * select of libfcgi or libpq is ever interrupted mid-request.
 */
void signals_setup(sigset_t *wait_mask);

#endif
