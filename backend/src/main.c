/*
 * hgkm-fcgi: the master process.  Loads the settings, opens the FastCGI
 * socket, starts the workers and restarts any that dies; on SIGTERM it
 * stops them all and removes the socket.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

#include "auth.h"
#include "config.h"
#include "db.h"
#include "fcgi_io.h"
#include "log.h"
#include "mailer.h"
#include "signals.h"
#include "worker.h"

#define MASTER_STOP_GRACE_US 10000000LL

static volatile sig_atomic_t got_term;

/* The children, process-lifetime: slots 0..workers-1 are the workers, the
 * last one the mailer. */
static pid_t *children;

static void  on_term(int sig);
static pid_t spawn(const struct config *c, int fd);
static void  child_exit(int status) __attribute__((noreturn));
static void  stop_all(pid_t *pids, int n);

static void
on_term(int sig)
{
	(void)sig;
	got_term = 1;
}

/* A child ends with _exit (the parent's atexit handlers and stdio buffers
 * are not its own), so under LeakSanitizer it checks for leaks itself. */
static void
child_exit(int status)
{
#ifdef __SANITIZE_ADDRESS__
	__lsan_do_leak_check();
#endif
	_exit(status);
}

static pid_t
spawn(const struct config *c, int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGCHLD, SIG_DFL);
		child_exit(worker_run(c, fd));
	}
	if (pid < 0)
		log_error("master: fork failed: %s", strerror(errno));
	return pid;
}

static pid_t
spawn_mailer(const struct config *c, int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		close(fd);
		child_exit(mailer_run(c));
	}
	if (pid < 0)
		log_error("master: fork failed: %s", strerror(errno));
	return pid;
}

static void
stop_all(pid_t *pids, int n)
{
	long long deadline = db_now_us() + MASTER_STOP_GRACE_US;
	int       alive = 0;

	for (int i = 0; i < n; i++)
		if (pids[i] > 0 && kill(pids[i], SIGTERM) == 0)
			alive++;
	while (alive > 0 && db_now_us() < deadline) {
		pid_t pid = waitpid(-1, NULL, WNOHANG);

		if (pid > 0) {
			for (int i = 0; i < n; i++)
				if (pids[i] == pid)
					pids[i] = 0;
			alive--;
		} else if (pid < 0) {
			break;
		} else {
			usleep(10000);
		}
	}
	for (int i = 0; i < n; i++)
		if (pids[i] > 0) {
			log_error("master: worker %d did not stop; killing it",
			          (int)pids[i]);
			kill(pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
		}
}

int
main(int argc, char **argv)
{
	struct config c;
	int           fd, status, rc = 0;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		config_usage();
		return 0;
	}
	if (config_load(&c, argc, argv) < 0)
		return 2;
	if (log_open(c.error_log, c.access_log) < 0) {
		fprintf(stderr, "cannot open the logs %s, %s\n", c.error_log,
		        c.access_log);
		return 2;
	}
	if (auth_init() < 0) {
		log_error("master: libsodium did not initialise");
		return 2;
	}
	config_log(&c);
	fd = fcgi_listen(c.socket, 1024);
	if (fd < 0) {
		log_error("master: cannot listen on %s: %s", c.socket,
		          strerror(errno));
		return 2;
	}
	signals_on_stop(on_term);

	children = calloc((size_t)c.workers + 1, sizeof(*children));
	if (children == NULL)
		return 2;
	for (int i = 0; i < c.workers; i++)
		children[i] = spawn(&c, fd);
	children[c.workers] = spawn_mailer(&c, fd);
	log_info("master: %d workers on %s", c.workers, c.socket);

	while (!got_term) {
		pid_t pid = waitpid(-1, &status, 0);
		int   i;

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i <= c.workers && children[i] != pid; i++)
			;
		if (i > c.workers)
			continue;
		children[i] = 0;
		if (got_term)
			break;
		if (WIFEXITED(status) &&
		    WEXITSTATUS(status) == WORKER_EXIT_FATAL) {
			log_error(
			    "master: worker %d cannot run with this database; "
			    "stopping",
			    (int)pid);
			rc = 1;
			break;
		}
		log_error("master: worker %d ended (%s %d); starting another",
		          (int)pid, WIFSIGNALED(status) ? "signal" : "exit",
		          WIFSIGNALED(status) ? WTERMSIG(status)
		                              : WEXITSTATUS(status));
		children[i] =
		    i == c.workers ? spawn_mailer(&c, fd) : spawn(&c, fd);
	}
	stop_all(children, c.workers + 1);
	free(children);
	close(fd);
	unlink(c.socket);
	log_info("master: stopped");
	config_free(&c);
	return rc;
}
