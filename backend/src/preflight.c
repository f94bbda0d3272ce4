/*
 * The start checks.  Each problem is one English sentence that names the
 * setting and the file, says what is wrong and what to do, so that an
 * operator can fix an install from `hgkm-fcgi --check` (or the journal of
 * a failed start) alone.
 */
#include "preflight.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "capacity.h"
#include "store/store.h"

#define PING_INTERVAL_MS 500

void
preflight_init(struct preflight *p)
{
	p->n = 0;
}

void
preflight_add(struct preflight *p, enum preflight_kind kind, const char *fmt,
              ...)
{
	va_list ap;

	if (p->n >= PREFLIGHT_MAX)
		return;
	p->line[p->n].kind = kind;
	va_start(ap, fmt);
	vsnprintf(p->line[p->n].text, sizeof(p->line[p->n].text), fmt, ap);
	va_end(ap);
	p->n++;
}

int
preflight_count(const struct preflight *p, enum preflight_kind kind)
{
	int n = 0;

	for (int i = 0; i < p->n; i++)
		n += p->line[i].kind == kind;
	return n;
}

void
preflight_media_dir(struct preflight *p, const char *dir)
{
	struct stat st;
	char        tmp[PATH_MAX];
	int         fd;

	if (stat(dir, &st) != 0) {
		preflight_add(p, PREFLIGHT_PROBLEM,
		              "media-dir %s: %s; create it, writable by the "
		              "service user and readable by nginx's group "
		              "(hgkm:www-data 2750)",
		              dir, strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		preflight_add(p, PREFLIGHT_PROBLEM,
		              "media-dir %s: is not a directory; set "
		              "HGKM_MEDIA_DIR to a directory",
		              dir);
		return;
	}
	/* Only a real file shows that uploads can be stored (access(2)
	 * does not know about read-only mounts or ACL masks). */
	if (snprintf(tmp, sizeof(tmp), "%s/.preflight.XXXXXX", dir) >=
	        (int)sizeof(tmp) ||
	    (fd = mkstemp(tmp)) < 0) {
		preflight_add(p, PREFLIGHT_PROBLEM,
		              "media-dir %s: cannot create a file in it (%s); "
		              "it must be writable by the service user",
		              dir, strerror(errno));
		return;
	}
	close(fd);
	unlink(tmp);
	preflight_add(p, PREFLIGHT_OK, "media-dir %s: exists and is writable",
	              dir);
}

void
preflight_log_file(struct preflight *p, const char *key, const char *path)
{
	int fd;

	if (path == NULL || path[0] == '\0' || strcmp(path, "-") == 0) {
		preflight_add(p, PREFLIGHT_OK, "%s: standard error", key);
		return;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0) {
		preflight_add(p, PREFLIGHT_PROBLEM,
		              "%s %s: cannot open (%s); its directory must "
		              "exist and the file be writable by the service "
		              "user",
		              key, path, strerror(errno));
		return;
	}
	close(fd);
	preflight_add(p, PREFLIGHT_OK, "%s %s: can be written", key, path);
}

void
preflight_socket_dir(struct preflight *p, const char *socket_path)
{
	struct sockaddr_un sun;
	char               dir[PATH_MAX];
	const char        *slash = strrchr(socket_path, '/');
	struct stat        st;

	if (strlen(socket_path) >= sizeof(sun.sun_path)) {
		preflight_add(p, PREFLIGHT_PROBLEM,
		              "socket %s: the path is longer than %zu bytes; "
		              "choose a shorter one",
		              socket_path, sizeof(sun.sun_path) - 1);
		return;
	}
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == socket_path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - socket_path),
		         socket_path);
	errno = 0;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		preflight_add(p, PREFLIGHT_PROBLEM,
		              "socket %s: its directory %s does not exist "
		              "(%s); create it (RuntimeDirectory=hgkm in the "
		              "unit makes /run/hgkm)",
		              socket_path, dir,
		              errno != 0 ? strerror(errno) : "not a directory");
		return;
	}
	if (access(dir, W_OK | X_OK) != 0) {
		preflight_add(p, PREFLIGHT_PROBLEM,
		              "socket %s: cannot create it in %s (%s); the "
		              "directory must be writable by the service user",
		              socket_path, dir, strerror(errno));
		return;
	}
	preflight_add(p, PREFLIGHT_OK, "socket %s: its directory exists",
	              socket_path);
}

/* Whether this process may chown a file to gid: its own groups, or root. */
static bool
member_of(gid_t gid)
{
	gid_t groups[NGROUPS_MAX];
	int   n;

	if (geteuid() == 0 || getegid() == gid)
		return true;
	n = getgroups(NGROUPS_MAX, groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

void
preflight_socket_group(struct preflight *p, const char *group, gid_t *gid)
{
	struct group *g;

	*gid = (gid_t)-1;
	if (group == NULL || group[0] == '\0')
		return;
	g = getgrnam(group);
	if (g == NULL) {
		preflight_add(
		    p, PREFLIGHT_PROBLEM,
		    "socket-group %s: no such group; set "
		    "HGKM_SOCKET_GROUP to nginx's group (www-data) or "
		    "leave it empty",
		    group);
		return;
	}
	if (!member_of(g->gr_gid)) {
		preflight_add(
		    p, PREFLIGHT_PROBLEM,
		    "socket-group %s: the service user is not in this "
		    "group, so it cannot give the socket to it; add "
		    "SupplementaryGroups=%s to the unit",
		    group, group);
		return;
	}
	*gid = g->gr_gid;
	preflight_add(p, PREFLIGHT_OK,
	              "socket-group %s: the socket will be "
	              "given to it (mode 0660)",
	              group);
}

static bool
executable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

void
preflight_mail_command(struct preflight *p, const char *sendmail,
                       const char *path_env)
{
	char        word[PATH_MAX], found[PATH_MAX];
	const char *s = sendmail ? sendmail : "";
	size_t      n;
	bool        ok = false;

	s += strspn(s, " \t");
	n = strcspn(s, " \t");
	if (n == 0 || n >= sizeof(word)) {
		preflight_add(p, PREFLIGHT_MAIL,
		              "sendmail is empty; set HGKM_SENDMAIL to a "
		              "sendmail-compatible command (msmtp-mta gives "
		              "/usr/sbin/sendmail); until then mail waits in "
		              "the outbox");
		return;
	}
	memcpy(word, s, n);
	word[n] = '\0';
	if (strchr(word, '/') != NULL) {
		ok = executable_file(word);
		snprintf(found, sizeof(found), "%s", word);
	} else {
		const char *dirs = path_env ? path_env : "/usr/bin:/bin";

		/* popen runs it through /bin/sh, which searches PATH. */
		while (!ok && *dirs != '\0') {
			size_t len = strcspn(dirs, ":");

			ok = snprintf(found, sizeof(found), "%.*s/%s",
			              len ? (int)len : 1, len ? dirs : ".",
			              word) < (int)sizeof(found) &&
			     executable_file(found);
			dirs += len + (dirs[len] == ':');
		}
	}
	if (!ok) {
		preflight_add(
		    p, PREFLIGHT_MAIL,
		    "sendmail %s: is not an executable file; install "
		    "a mail transport (e.g. msmtp-mta relaying to the "
		    "board's mail server) or set HGKM_SENDMAIL; until "
		    "then mail waits in the outbox",
		    word);
		return;
	}
	preflight_add(p, PREFLIGHT_OK, "sendmail %s: is an executable file",
	              found);
}

/* The value of one key of a libpq connection string, or "" (static). */
static const char *
conninfo_value(const char *conninfo, const char *key)
{
	static char       value[128];
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);

	value[0] = '\0';
	for (PQconninfoOption *o = opts; o != NULL && o->keyword != NULL; o++)
		if (strcmp(o->keyword, key) == 0 && o->val != NULL)
			snprintf(value, sizeof(value), "%s", o->val);
	PQconninfoFree(opts);
	return value;
}

/* PQping until the server answers, at most `seconds`. */
static PGPing
wait_for_server(const char *conninfo, int seconds)
{
	struct timespec pause = {0, PING_INTERVAL_MS * 1000000L};
	long long       deadline = db_now_us() + seconds * 1000000LL;
	PGPing          ping;

	/* NO_RESPONSE: nothing listens yet; REJECT: it is starting up. */
	while ((ping = PQping(conninfo)) == PQPING_NO_RESPONSE ||
	       ping == PQPING_REJECT) {
		if (db_now_us() >= deadline)
			break;
		nanosleep(&pause, NULL);
	}
	return ping;
}

/* Checks one connection string: server, login, statements.  0 when *db
 * is connected with every statement prepared. */
static int
check_connection(struct preflight *p, const char *key, const char *conninfo,
                 int wait, struct db *db)
{
	char        user[128];
	const char *host;
	PGPing      ping;

	snprintf(user, sizeof(user), "%s", conninfo_value(conninfo, "user"));
	ping = wait_for_server(conninfo, wait);
	if (ping == PQPING_NO_ATTEMPT) {
		preflight_add(p, PREFLIGHT_PROBLEM,
		              "%s: not a valid libpq connection string; write "
		              "it as host=127.0.0.1 port=5432 dbname=hgkm "
		              "user=hgkm_app passfile=/etc/hgkm/pgpass",
		              key);
		return -1;
	}
	if (ping != PQPING_OK) {
		host = conninfo_value(conninfo, "host");
		preflight_add(
		    p, PREFLIGHT_PROBLEM,
		    "%s: the server at %s does not answer after %d s; "
		    "start PostgreSQL or correct host and port",
		    key, host[0] ? host : "(default socket)", wait);
		return -1;
	}
	switch (db_ensure(db)) {
	case DB_OK:
		preflight_add(p, PREFLIGHT_OK,
		              "%s: logged in as %s, every statement of this "
		              "build prepared",
		              key, user[0] ? user : "(default user)");
		return 0;
	case DB_ERROR:
		preflight_add(p, PREFLIGHT_PROBLEM,
		              "%s: the schema does not fit this build (%s); "
		              "apply the migrations (hgkm-admin migrate) and "
		              "the service role's grants",
		              key, db->error);
		return -1;
	default:
		preflight_add(
		    p, PREFLIGHT_PROBLEM,
		    "%s: cannot log in as %s (%s); check the role's "
		    "password in the passfile (mode 0600, owned by the "
		    "service user) and pg_hba.conf",
		    key, user[0] ? user : "(default user)", db->error);
		return -1;
	}
}

void
preflight_database(struct preflight *p, const struct config *c, struct db *db)
{
	struct store_reports reports;

	db_init(db, c->database_url, store_all_statements,
	        c->statement_timeout);
	if (c->database_url[0] == '\0') {
		preflight_add(p, PREFLIGHT_PROBLEM,
		              "database-url is empty; set HGKM_DATABASE_URL, "
		              "e.g. host=127.0.0.1 port=5432 dbname=hgkm "
		              "user=hgkm_app passfile=/etc/hgkm/pgpass");
		return;
	}
	if (check_connection(p, "database-url", c->database_url, c->start_wait,
	                     db) < 0)
		return;
	store_reports_init(&reports, c->reports_database_url,
	                   c->statement_timeout);
	if (reports.enabled)
		check_connection(p, "reports-database-url",
		                 c->reports_database_url, c->start_wait,
		                 &reports.db);
	store_reports_close(&reports);
}

int
preflight_workers(struct preflight *p, const struct config *c, struct db *db)
{
	struct arena     a;
	struct store_ctx ctx = {.db = db, .arena = &a};
	int              max_conn, reserved, per_worker, fit;

	if (db->conn == NULL)
		return c->workers;
	arena_init(&a, 4096);
	if (store_connection_limits(&ctx, &max_conn, &reserved) != DB_OK) {
		arena_destroy(&a);
		return c->workers;
	}
	arena_destroy(&a);
	/* A worker with a reports connection holds two (store_reports_init):
	 * counted here as if both were on this server. */
	per_worker = c->reports_database_url[0] != '\0' ? 2 : 1;
	fit = capacity_workers_that_fit(c->workers, max_conn, reserved,
	                                per_worker);
	if (fit < c->workers)
		preflight_add(
		    p, PREFLIGHT_NOTE,
		    "workers: %d lowered to %d: each needs %d database "
		    "connection%s, the mailer 1 and %d stay free, within "
		    "PostgreSQL's max_connections %d minus "
		    "superuser_reserved_connections %d; raise max_connections "
		    "in postgresql.conf (and restart PostgreSQL) or set "
		    "HGKM_WORKERS lower",
		    c->workers, fit, per_worker, per_worker > 1 ? "s" : "",
		    CAPACITY_HEADROOM, max_conn, reserved);
	else
		preflight_add(p, PREFLIGHT_OK,
		              "workers: %d fit PostgreSQL's max_connections %d "
		              "(superuser_reserved_connections %d)",
		              fit, max_conn, reserved);
	return fit;
}

void
preflight_files(struct preflight *p, const struct config *c, gid_t *socket_gid)
{
	preflight_media_dir(p, c->media_dir);
	preflight_log_file(p, "error-log", c->error_log);
	preflight_log_file(p, "access-log", c->access_log);
	preflight_socket_dir(p, c->socket);
	preflight_socket_group(p, c->socket_group, socket_gid);
	preflight_mail_command(p, c->sendmail, getenv("PATH"));
}
