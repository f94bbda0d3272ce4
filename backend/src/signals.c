/* Stop signals: SIGTERM and SIGINT to a handler, SIGPIPE ignored. */
#include "signals.h"

#include <signal.h>
#include <string.h>

void
signals_on_stop(void (*on_stop)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}
