/* Signals to flags: TERM/INT stop, HUP reload, USR1 reopen logs, CHLD
 * wakes the master; all blocked outside the places that wait. */
#include "signals.h"

#include <string.h>

volatile sig_atomic_t signals_stop;
volatile sig_atomic_t signals_reload;
volatile sig_atomic_t signals_reopen;

static void
on_signal(int sig)
{
	if (sig == SIGTERM || sig == SIGINT)
		signals_stop = 1;
	else if (sig == SIGHUP)
		signals_reload = 1;
	else if (sig == SIGUSR1)
		signals_reopen = 1;
	/* SIGCHLD: only ends the master's sigsuspend. */
}

void
signals_setup(sigset_t *wait_mask)
{
	static const int handled[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1,
	                              SIGCHLD};
	struct sigaction sa;
	sigset_t         block;

	sigemptyset(&block);
	for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		sigaddset(&block, handled[i]);
	sigprocmask(SIG_BLOCK, &block, wait_mask);
	for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		sigdelset(wait_mask, handled[i]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);
	/* The mailer runs with them unblocked: a pipe write to sendmail is
	 * restarted; its sleep still ends early, which is all it needs. */
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		sigaction(handled[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}
