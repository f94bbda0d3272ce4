/*
 * fcgi_baseline: the smallest libfcgi program that answers like the
 * service, for the baselines of `make bench` (shared/brief/targets.md):
 *
 *   fcgi_baseline hello  SOCKET WORKERS   ~2 KB of fixed JSON per request
 *   fcgi_baseline select SOCKET WORKERS   the same after one prepared SELECT
 *                                         by primary key (users.id); libpq
 *                                         connection string in
 *                                         BENCH_DATABASE_URL, ids drawn from
 *                                         BENCH_ID_MIN..BENCH_ID_MAX
 *
 * Like hgkm-fcgi it is a master that opens the unix socket and forks WORKERS
 * processes, each answering one request at a time with FCGX_Accept_r; unlike
 * it, it parses nothing, checks nothing and logs nothing.  That makes it the
 * ceiling for anything served through nginx's FastCGI hand-off.
 */
#include <fcgiapp.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BODY_SIZE 2048

static volatile sig_atomic_t stopping;
static char                  body[BODY_SIZE + 1];

static void on_term(int sig);
static void on_term_worker(int sig);
static void make_body(void);
static int worker(int fd, int select_mode);

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

/* A worker has nothing to finish: it goes at once. */
static void
on_term_worker(int sig)
{
	(void)sig;
	_exit(0);
}

/* A module-list-like JSON document of exactly BODY_SIZE bytes. */
static void
make_body(void)
{
	size_t n = 0;
	int    i = 0;

	n += (size_t)snprintf(body + n, sizeof(body) - n, "{\"items\":[");
	while (n < BODY_SIZE - 200) {
		n += (size_t)snprintf(body + n, sizeof(body) - n,
		    "%s{\"slug\":\"module-%02d\",\"title\":\"Module %02d\","
		    "\"sections_done\":%d,\"sections_total\":7,"
		    "\"status\":\"in_progress\"}", i ? "," : "", i, i, i % 7);
		i++;
	}
	n += (size_t)snprintf(body + n, sizeof(body) - n, "],\"pad\":\"");
	while (n < BODY_SIZE - 2)
		body[n++] = 'x';
	body[n++] = '"';
	body[n++] = '}';
	body[n] = '\0';
}

static int
worker(int fd, int select_mode)
{
	FCGX_Request     fr;
	struct sigaction sa;
	PGconn          *db = NULL;
	long long    lo = 1, span = 1, counter = getpid();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term_worker;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (select_mode) {
		const char *url = getenv("BENCH_DATABASE_URL");
		PGresult   *r;

		lo = atoll(getenv("BENCH_ID_MIN") ? getenv("BENCH_ID_MIN") : "1");
		span = atoll(getenv("BENCH_ID_MAX") ? getenv("BENCH_ID_MAX") : "1") -
		       lo + 1;
		if (span < 1)
			span = 1;
		db = PQconnectdb(url ? url : "");
		if (PQstatus(db) != CONNECTION_OK) {
			fprintf(stderr, "fcgi_baseline: %s", PQerrorMessage(db));
			return 1;
		}
		r = PQprepare(db, "by_id",
		              "SELECT id, email, name, role, school_id FROM users"
		              " WHERE id = $1", 1, NULL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			fprintf(stderr, "fcgi_baseline: %s", PQerrorMessage(db));
			return 1;
		}
		PQclear(r);
	}
	if (FCGX_InitRequest(&fr, fd, 0) != 0)
		return 1;
	while (!stopping && FCGX_Accept_r(&fr) >= 0) {
		FCGX_PutS("Status: 200 OK\r\nContent-Type: application/json\r\n"
		          "Cache-Control: no-store\r\n\r\n", fr.out);
		if (select_mode) {
			char        id[24];
			const char *v[1] = {id};
			PGresult   *r;

			counter += 7919;
			snprintf(id, sizeof(id), "%lld", lo + counter % span);
			r = PQexecPrepared(db, "by_id", 1, v, NULL, NULL, 0);
			if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
				FCGX_FPrintF(fr.out, "{\"id\":%s,\"email\":\"%s\","
				             "\"name\":\"%s\",\"role\":\"%s\",\"data\":",
				             PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1),
				             PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3));
			else
				FCGX_PutS("{\"id\":null,\"data\":", fr.out);
			PQclear(r);
			FCGX_PutStr(body, BODY_SIZE - 100, fr.out);
			FCGX_PutS("\"}}", fr.out);
		} else {
			FCGX_PutStr(body, BODY_SIZE, fr.out);
		}
		FCGX_Finish_r(&fr);
	}
	if (db != NULL)
		PQfinish(db);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	int              select_mode, n, fd;
	pid_t           *pids;

	if (argc != 4 || (strcmp(argv[1], "hello") != 0 &&
	                  strcmp(argv[1], "select") != 0)) {
		fprintf(stderr, "usage: fcgi_baseline hello|select SOCKET WORKERS\n");
		return 2;
	}
	select_mode = strcmp(argv[1], "select") == 0;
	n = atoi(argv[3]);
	if (n < 1 || n > 256)
		return 2;
	make_body();
	if (FCGX_Init() != 0)
		return 1;
	unlink(argv[2]);
	fd = FCGX_OpenSocket(argv[2], 1024);
	if (fd < 0 || chmod(argv[2], 0660) != 0) {
		perror(argv[2]);
		return 1;
	}
	pids = calloc((size_t)n, sizeof(*pids));
	/* No SA_RESTART: wait() must return when SIGTERM comes. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(worker(fd, select_mode));
	}
	while (!stopping)
		if (wait(NULL) < 0 && !stopping)
			break; /* every worker gone */
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	while (wait(NULL) > 0)
		;
	unlink(argv[2]);
	free(pids);
	return 0;
}
