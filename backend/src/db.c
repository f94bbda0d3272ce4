/*
 * The worker's PostgreSQL connection.  Every statement is prepared when the
 * connection comes up, so a typo or schema drift stops the worker at start
 * instead of failing one request later.
 */
#include "db.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

#define DB_CONNECT_DEADLINE_US 1000000LL
#define DB_RETRY_INTERVAL_US 250000LL

static enum db_status connect_with_deadline(struct db *db);
static enum db_status prepare_all(struct db *db);
static enum db_status map_failure(struct db *db, PGresult *r, const char *what);
static void           clear_cb(void *p);
static void keep_error(struct db *db, const char *what, const char *msg);

/* Keeps libpq's (multi-line) message as one line in db->error. */
static void
keep_error(struct db *db, const char *what, const char *msg)
{
	size_t n;

	snprintf(db->error, sizeof(db->error), "%s%s%s", what ? what : "",
	         what ? ": " : "", msg ? msg : "");
	for (char *p = db->error; *p != '\0'; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	n = strlen(db->error);
	while (n > 0 && db->error[n - 1] == ' ')
		db->error[--n] = '\0';
}

long long
db_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

void
db_init(struct db *db, const char *conninfo,
        const struct db_stmt *const *tables, int statement_timeout)
{
	memset(db, 0, sizeof(*db));
	db->conninfo = conninfo;
	db->tables = tables;
	db->statement_timeout = statement_timeout;
}

/* libpq's connect_timeout has a two-second minimum, so poll ourselves. */
static enum db_status
connect_with_deadline(struct db *db)
{
	long long deadline = db_now_us() + DB_CONNECT_DEADLINE_US;
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	PGconn                   *c = PQconnectStart(db->conninfo);

	if (c == NULL)
		return DB_UNAVAILABLE;
	if (PQstatus(c) == CONNECTION_BAD)
		goto fail;
	while (st != PGRES_POLLING_OK) {
		struct pollfd pfd;
		long long     left = deadline - db_now_us();
		int           ready;

		if (st == PGRES_POLLING_FAILED || left <= 0)
			goto fail;
		pfd.fd = PQsocket(c);
		pfd.events = st == PGRES_POLLING_READING ? POLLIN : POLLOUT;
		ready = poll(&pfd, 1, (int)(left / 1000) + 1);
		/* A signal (the mailer's log reopen) is not a failure. */
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0)
			goto fail;
		st = PQconnectPoll(c);
	}
	db->conn = c;
	return DB_OK;
fail:
	keep_error(db, NULL,
	           *PQerrorMessage(c) != '\0' ? PQerrorMessage(c)
	                                      : "no answer within a second");
	/* Once per outage, not once per retry. */
	if (db->last_failure_us == 0)
		log_error("db: cannot connect: %s", db->error);
	PQfinish(c);
	return DB_UNAVAILABLE;
}

static enum db_status
prepare_all(struct db *db)
{
	char      sql[128];
	PGresult *r;

	snprintf(sql, sizeof(sql),
	         "SET statement_timeout = %d; "
	         "SET idle_in_transaction_session_timeout = 60000",
	         db->statement_timeout);
	r = PQexec(db->conn, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return map_failure(db, r, "session settings");
	PQclear(r);
	for (const struct db_stmt *const *t = db->tables; *t != NULL; t++) {
		for (const struct db_stmt *s = *t; s->name != NULL; s++) {
			r = PQprepare(db->conn, s->name, s->sql, s->nparams,
			              NULL);
			if (PQresultStatus(r) != PGRES_COMMAND_OK)
				return map_failure(db, r, s->name);
			PQclear(r);
		}
	}
	return DB_OK;
}

enum db_status
db_ensure(struct db *db)
{
	enum db_status st;

	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return DB_OK;
	if (db->conn != NULL) {
		PQfinish(db->conn);
		db->conn = NULL;
	}
	if (db->last_failure_us != 0 &&
	    db_now_us() - db->last_failure_us < DB_RETRY_INTERVAL_US)
		return DB_UNAVAILABLE;
	st = connect_with_deadline(db);
	if (st == DB_OK) {
		db->error[0] = '\0';
		st = prepare_all(db);
	}
	if (st != DB_OK) {
		if (db->conn != NULL) {
			PQfinish(db->conn);
			db->conn = NULL;
		}
		db->last_failure_us = db_now_us();
		return st;
	}
	db->last_failure_us = 0;
	log_info("db: connected, statements prepared");
	return DB_OK;
}

static void
clear_cb(void *p)
{
	PQclear(p);
}

/* Maps a failed result to a status, logs what is not an expected outcome,
 * and clears the result. */
static enum db_status
map_failure(struct db *db, PGresult *r, const char *what)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	enum db_status st;

	if (db->conn == NULL || PQstatus(db->conn) == CONNECTION_BAD ||
	    (state != NULL &&
	     (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0))) {
		log_error("db: %s: connection lost: %s", what,
		          PQerrorMessage(db->conn));
		st = DB_UNAVAILABLE;
	} else if (state != NULL && strcmp(state, "23505") == 0) {
		st = DB_CONFLICT;
	} else if (state != NULL && strcmp(state, "40001") == 0) {
		/* Serialization failure; on a hot standby also a query
		 * cancelled by a conflict with recovery: worth a retry, not a
		 * bug. */
		log_error("db: %s: %s", what, PQresultErrorMessage(r));
		st = DB_UNAVAILABLE;
	} else if (state != NULL && strcmp(state, "57014") == 0) {
		/* Statement timeout: the database is too busy, not the input
		 * bad. */
		log_error("db: %s: statement timeout", what);
		st = DB_UNAVAILABLE;
	} else {
		log_error("db: %s failed: %s%s", what, state ? state : "",
		          r ? PQresultErrorMessage(r)
		            : PQerrorMessage(db->conn));
		/* The primary message only: no LINE and caret lines. */
		keep_error(db, what,
		           r && PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)
		               ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)
		               : PQerrorMessage(db->conn));
		st = DB_ERROR;
	}
	PQclear(r);
	return st;
}

enum db_status
db_exec(struct db *db, struct arena *a, const char *name, int nparams,
        const char *const *values, PGresult **res)
{
	PGresult      *r;
	ExecStatusType est;

	if (res != NULL)
		*res = NULL;
	if (db->conn == NULL)
		return DB_UNAVAILABLE;
	r = PQexecPrepared(db->conn, name, nparams, values, NULL, NULL, 0);
	est = PQresultStatus(r);
	if (est != PGRES_TUPLES_OK && est != PGRES_COMMAND_OK)
		return map_failure(db, r, name);
	if (res != NULL) {
		arena_on_reset(a, clear_cb, r);
		*res = r;
	} else {
		PQclear(r);
	}
	return DB_OK;
}

enum db_status
db_exec_row(struct db *db, struct arena *a, const char *name, int nparams,
            const char *const *values, PGresult **res)
{
	enum db_status st = db_exec(db, a, name, nparams, values, res);

	if (st == DB_OK && PQntuples(*res) < 1)
		return DB_NOT_FOUND;
	return st;
}

enum db_status
db_exec_value(struct db *db, struct arena *a, const char *name, int nparams,
              const char *const *values, const char **value)
{
	PGresult      *res;
	enum db_status st = db_exec_row(db, a, name, nparams, values, &res);

	if (st == DB_OK)
		*value = db_value(res, 0, 0);
	return st;
}

enum db_status
db_exec_scan(struct db *db, struct arena *a, const char *name, int nparams,
             const char *const *values, const char *cols, ...)
{
	PGresult      *res;
	va_list        ap;
	enum db_status st = db_exec_row(db, a, name, nparams, values, &res);

	if (st != DB_OK)
		return st;
	va_start(ap, cols);
	for (int c = 0; cols[c] != '\0'; c++) {
		switch (cols[c]) {
		case 'i':
			*va_arg(ap, long long *) = db_int(res, 0, c);
			break;
		case 'n':
			*va_arg(ap, int *) = (int)db_int(res, 0, c);
			break;
		case 's':
			*va_arg(ap, const char **) = db_value(res, 0, c);
			break;
		case 'z':
			*va_arg(ap, const char **) = db_text_or_null(res, 0, c);
			break;
		case 'b':
			*va_arg(ap, bool *) = db_bool(res, 0, c);
			break;
		case 'd':
			*va_arg(ap, double *) = db_double(res, 0, c);
			break;
		default: /* '-' */
			break;
		}
	}
	va_end(ap);
	return DB_OK;
}

enum db_status
db_exec_id(struct db *db, struct arena *a, const char *name, long long id,
           PGresult **res)
{
	char        b[24];
	const char *v[1] = {b};

	snprintf(b, sizeof(b), "%lld", id);
	return db_exec(db, a, name, 1, v, res);
}

enum db_status
db_exec_id_value(struct db *db, struct arena *a, const char *name, long long id,
                 const char **value)
{
	PGresult      *res;
	enum db_status st = db_exec_id(db, a, name, id, &res);

	if (st == DB_OK && PQntuples(res) < 1)
		st = DB_NOT_FOUND;
	if (st == DB_OK)
		*value = db_value(res, 0, 0);
	return st;
}

static enum db_status
simple(struct db *db, const char *sql)
{
	PGresult *r;

	if (db->conn == NULL)
		return DB_UNAVAILABLE;
	r = PQexec(db->conn, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return map_failure(db, r, sql);
	PQclear(r);
	return DB_OK;
}

enum db_status
db_begin(struct db *db)
{
	return simple(db, "BEGIN");
}

enum db_status
db_allow_long_statements(struct db *db)
{
	return simple(db, "SET LOCAL statement_timeout = '60s'");
}

enum db_status
db_commit(struct db *db)
{
	return simple(db, "COMMIT");
}

enum db_status
db_finish(struct db *db, enum db_status st)
{
	if (st == DB_OK)
		st = db_commit(db);
	if (st != DB_OK)
		db_rollback(db);
	return st;
}

void
db_rollback(struct db *db)
{
	if (db->conn != NULL && PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		(void)simple(db, "ROLLBACK");
}

void
db_end_request(struct db *db)
{
	/* A lost connection has no transaction to roll back. */
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK)
		return;
	if (PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
		log_error("db: a transaction was left open; rolling back");
		db_rollback(db);
	}
}

void
db_close(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
}

const char *
db_value(const PGresult *res, int row, int col)
{
	return PQgetvalue(res, row, col);
}

bool
db_is_null(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) != 0;
}

long long
db_int(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col)
	           ? 0
	           : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

const char *
db_text_or_null(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

bool
db_bool(const PGresult *res, int row, int col)
{
	return PQgetvalue(res, row, col)[0] == 't';
}

double
db_double(const PGresult *res, int row, int col)
{
	return strtod(PQgetvalue(res, row, col), NULL);
}

char *
db_text_array(struct arena *a, const char *const *items, size_t n)
{
	size_t len = 3, o = 0;
	char  *out;

	for (size_t i = 0; i < n; i++)
		len += 2 * strlen(items[i]) + 3;
	out = arena_alloc(a, len);
	out[o++] = '{';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			out[o++] = ',';
		out[o++] = '"';
		for (const char *p = items[i]; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				out[o++] = '\\';
			out[o++] = *p;
		}
		out[o++] = '"';
	}
	out[o++] = '}';
	out[o] = '\0';
	return out;
}
