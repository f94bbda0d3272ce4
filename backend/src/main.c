/*
 * hgkm-fcgi: the master process.  Loads the settings, runs the start
 * checks (preflight.c; `--check` runs only those), opens the FastCGI
 * socket, starts the workers and restarts any that dies.  SIGTERM stops
 * them all and removes the socket; SIGUSR1 reopens the logs here and in
 * every child; SIGHUP reloads: once the binary's --check passes, the
 * workers finish their requests, then the binary is executed again on the
 * same listening socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
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
#include "preflight.h"
#include "signals.h"
#include "worker.h"

#define MASTER_STOP_GRACE_US 10000000LL
/* The environment variable that hands the listening socket to the new
 * binary at a reload. */
#define LISTEN_FD_ENV "HGKM_LISTEN_FD"
/* --check: 0 all fine, 1 the service would not start, this one when it
 * would start but mail cannot go out (a reload goes ahead on it). */
#define CHECK_EXIT_MAIL_ONLY 2
/* A reload's check of the new binary may wait start-wait seconds for the
 * database; this much more and it is killed. */
#define RELOAD_CHECK_GRACE_US 15000000LL

/* The children, process-lifetime: slots 0..workers-1 are the workers, the
 * last one the mailer. */
static pid_t *children;
/* The binary's absolute path, read at start: after a package upgrade
 * /proc/self/exe names the deleted old file, the path the new one. */
static char self_exe[PATH_MAX];

static pid_t spawn(const struct config *c, int fd);
static void  child_exit(int status) __attribute__((noreturn));
static void  stop_all(pid_t *pids, int n);

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
			pids[i] = 0;
		}
}

/* Runs every start check; on --check prints them and returns the exit
 * status, else logs them and returns -1 to go on (or 1 to stop). */
static int
run_preflight(struct config *c, bool check_only, const char *secret_problem,
              gid_t *socket_gid)
{
	struct preflight p;
	struct db        db;
	int              fatal;

	preflight_init(&p);
	if (secret_problem != NULL)
		preflight_add(&p, PREFLIGHT_PROBLEM, "%s", secret_problem);
	else
		preflight_add(&p, PREFLIGHT_OK, "jwt secret: %zu bytes",
		              c->jwt_key_len);
	preflight_database(&p, c, &db);
	c->workers = preflight_workers(&p, c, &db);
	/* The children must never share this connection. */
	db_close(&db);
	preflight_files(&p, c, socket_gid);
	fatal = preflight_count(&p, PREFLIGHT_PROBLEM);
	/* --check: "ok: ", "note: " or "problem: " and one sentence per line,
	 * nothing else (hgkm-admin check reads them); a lowered worker count
	 * is a note, not a problem: the service runs with it. */
	if (check_only) {
		for (int i = 0; i < p.n; i++) {
			enum preflight_kind k = p.line[i].kind;

			printf("%s: %s\n",
			       k == PREFLIGHT_OK     ? "ok"
			       : k == PREFLIGHT_NOTE ? "note"
			                             : "problem",
			       p.line[i].text);
		}
		if (fatal > 0)
			return 1;
		return preflight_count(&p, PREFLIGHT_MAIL) > 0
		           ? CHECK_EXIT_MAIL_ONLY
		           : 0;
	}
	for (int i = 0; i < p.n; i++) {
		if (p.line[i].kind == PREFLIGHT_OK)
			continue;
		/* systemd puts stderr in the journal next to "failed". */
		if (p.line[i].kind == PREFLIGHT_PROBLEM)
			fprintf(stderr, "hgkm-fcgi: %s\n", p.line[i].text);
		log_error("start: %s", p.line[i].text);
	}
	if (fatal > 0) {
		log_error("master: %d problem%s; not starting (hgkm-fcgi "
		          "--check lists them)",
		          fatal, fatal == 1 ? "" : "s");
		return 1;
	}
	return -1;
}

/* The listening socket: handed down by a reload, or a new one. */
static int
open_socket(const struct config *c, gid_t socket_gid)
{
	const char *inherited = getenv(LISTEN_FD_ENV);
	int         fd;

	if (inherited != NULL) {
		fd = fcgi_adopt(atoi(inherited), c->socket);
		unsetenv(LISTEN_FD_ENV);
		if (fd >= 0) {
			log_info("master: took over the listening socket %s "
			         "(fd %d) from the previous binary",
			         c->socket, fd);
			return fd;
		}
		log_error("master: %s=%s is not the socket %s; opening a new "
		          "one",
		          LISTEN_FD_ENV, inherited, c->socket);
	}
	fd = fcgi_listen(c->socket, 1024, socket_gid);
	if (fd < 0)
		log_error("master: cannot listen on %s: %s", c->socket,
		          strerror(errno));
	return fd;
}

/*
 * Runs the binary a reload would execute with --check (same path, same
 * settings and environment) and waits for it, at most start-wait + 15 s.
 * True when it would start; then the workers may be stopped.  Without
 * this, a new binary that fails its checks exits after the workers are
 * gone, and the listening socket with it.
 */
static bool
reload_check(const struct config *c, char **argv)
{
	long long deadline =
	    db_now_us() + c->start_wait * 1000000LL + RELOAD_CHECK_GRACE_US;
	int    argc = 0, status = 0;
	pid_t  pid, done = 0;
	char **check_argv;

	while (argv[argc] != NULL)
		argc++;
	/* argv[0], "--check", the master's own options, NULL. */
	check_argv = calloc((size_t)argc + 2, sizeof(*check_argv));
	if (check_argv == NULL)
		return false;
	check_argv[0] = argv[0];
	check_argv[1] = "--check";
	for (int i = 1; i < argc; i++)
		check_argv[i + 1] = argv[i];
	pid = fork();
	if (pid == 0) {
		sigset_t none;
		int      null = open("/dev/null", O_RDWR);

		/* Only async-signal-safe calls between fork and exec. */
		if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
		    dup2(null, 2) < 0)
			_exit(127);
		/* --check stays interruptible (the master blocks them). */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execv(self_exe, check_argv);
		_exit(127);
	}
	free(check_argv);
	if (pid < 0) {
		log_error("master: fork failed: %s", strerror(errno));
		return false;
	}
	while (done == 0 && db_now_us() < deadline) {
		done = waitpid(pid, &status, WNOHANG);
		if (done == 0)
			usleep(20000);
	}
	if (done == 0) {
		log_error("master: %s --check still ran after %d s; killing it",
		          self_exe,
		          c->start_wait +
		              (int)(RELOAD_CHECK_GRACE_US / 1000000));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return false;
	}
	return done == pid && WIFEXITED(status) &&
	       (WEXITSTATUS(status) == 0 ||
	        WEXITSTATUS(status) == CHECK_EXIT_MAIL_ONLY);
}

/*
 * SIGHUP: the workers finish the request they are in and stop (SIGTERM is
 * only let in between requests), the socket stays open so that new
 * connections wait in its backlog, and the binary at its path (a newer
 * one after an upgrade) is executed with the socket.  Returns false when
 * the new binary's checks failed (the workers were left running), true
 * when exec failed after they were stopped: the caller starts workers of
 * this build again.
 */
static bool
reload(const struct config *c, int fd, char **argv)
{
	char value[16];

	log_info("master: SIGHUP: checking %s before the reload", self_exe);
	if (!reload_check(c, argv)) {
		log_error(
		    "master: reload refused: the new binary's start checks "
		    "failed (hgkm-fcgi --check says why); the running "
		    "workers stay");
		return false;
	}
	log_info("master: SIGHUP: reloading; the workers finish their "
	         "requests, new ones wait in the socket's backlog");
	stop_all(children, c->workers + 1);
	snprintf(value, sizeof(value), "%d", fd);
	if (fcntl(fd, F_SETFD, 0) < 0 || setenv(LISTEN_FD_ENV, value, 1) < 0) {
		log_error("master: cannot hand over the socket: %s",
		          strerror(errno));
		return true;
	}
	log_info("master: workers stopped; executing %s with the socket (fd "
	         "%d)",
	         self_exe, fd);
	execv(self_exe, argv);
	log_error("master: cannot execute %s: %s; going on with this build",
	          self_exe, strerror(errno));
	unsetenv(LISTEN_FD_ENV);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	return true;
}

/* Collects every child that ended and starts another in its slot.
 * Returns 1 when a worker cannot run with this database (stop). */
static int
reap(const struct config *c, int fd)
{
	int   status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		int i;

		for (i = 0; i <= c->workers && children[i] != pid; i++)
			;
		if (i > c->workers)
			continue;
		children[i] = 0;
		if (signals_stop)
			continue;
		if (WIFEXITED(status) &&
		    WEXITSTATUS(status) == WORKER_EXIT_FATAL) {
			log_error(
			    "master: worker %d cannot run with this database; "
			    "stopping",
			    (int)pid);
			return 1;
		}
		log_error("master: worker %d ended (%s %d); starting another",
		          (int)pid, WIFSIGNALED(status) ? "signal" : "exit",
		          WIFSIGNALED(status) ? WTERMSIG(status)
		                              : WEXITSTATUS(status));
		children[i] =
		    i == c->workers ? spawn_mailer(c, fd) : spawn(c, fd);
	}
	return 0;
}

static void
start_children(const struct config *c, int fd)
{
	for (int i = 0; i < c->workers; i++)
		children[i] = spawn(c, fd);
	children[c->workers] = spawn_mailer(c, fd);
	log_info("master: %d workers on %s", c->workers, c->socket);
}

int
main(int argc, char **argv)
{
	struct config c;
	char          secret_problem[512];
	bool          check_only = argc >= 2 && strcmp(argv[1], "--check") == 0;
	sigset_t      wait_mask;
	gid_t         socket_gid;
	ssize_t       n;
	int           fd, rc = 0, secret;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		config_usage();
		return 0;
	}
	/* Before anything slow: a USR1 or HUP that comes during the start
	 * (logrotate, a second reload) must not end the process; it is
	 * handled once the loop runs.  --check stays interruptible. */
	if (!check_only)
		signals_setup(&wait_mask);
	if (config_load(&c, argc - check_only, argv + check_only) < 0)
		return 1;
	n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	self_exe[n > 0 ? n : 0] = '\0';
	secret = config_load_secret(&c, secret_problem, sizeof(secret_problem));
	/* --check says everything on stdout; db.c's own lines would only
	 * repeat it on stderr. */
	if (check_only)
		log_open("/dev/null", "/dev/null");
	else if (log_open(c.error_log, c.access_log) < 0) {
		fprintf(stderr,
		        "hgkm-fcgi: error-log %s or access-log %s: cannot open "
		        "(%s); their directory must exist and be writable by "
		        "the service user\n",
		        c.error_log, c.access_log, strerror(errno));
		return 1;
	}
	if (auth_init() < 0) {
		log_error("master: libsodium did not initialise");
		return 1;
	}
	if (!check_only)
		log_info("master: starting %s", self_exe);
	rc = run_preflight(&c, check_only, secret < 0 ? secret_problem : NULL,
	                   &socket_gid);
	if (rc >= 0) {
		config_free(&c);
		return rc;
	}
	rc = 0;
	config_log(&c);
	fd = open_socket(&c, socket_gid);
	if (fd < 0)
		return 1;
	children = calloc((size_t)c.workers + 1, sizeof(*children));
	if (children == NULL)
		return 1;
	start_children(&c, fd);

	/* Every signal is blocked except inside sigsuspend: each flag is
	 * seen here, none is lost between the check and the wait. */
	for (;;) {
		if (reap(&c, fd) != 0) {
			rc = 1;
			break;
		}
		if (signals_stop)
			break;
		if (signals_reopen) {
			signals_reopen = 0;
			log_reopen();
			/* logrotate signals only the main pid. */
			for (int i = 0; i <= c.workers; i++)
				if (children[i] > 0)
					kill(children[i], SIGUSR1);
			log_info("master: logs reopened, children told");
		}
		if (signals_reload) {
			signals_reload = 0;
			if (reload(&c, fd, argv))
				start_children(&c, fd);
			continue;
		}
		sigsuspend(&wait_mask);
	}
	stop_all(children, c.workers + 1);
	free(children);
	close(fd);
	unlink(c.socket);
	log_info("master: stopped");
	config_free(&c);
	return rc;
}
