/* The worker's PostgreSQL connection: connect with a deadline, prepare every
 * statement once, execute by name, map failures to a small status enum. */
#ifndef DB_H
#define DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

/* A named statement; each store file lists its own in a table that ends with
 * a zeroed entry. */
struct db_stmt {
	const char *name;
	const char *sql;
	int         nparams;
};

enum db_status {
	DB_OK,
	DB_NOT_FOUND,
	DB_CONFLICT,    /* unique violation, SQLSTATE 23505 */
	DB_UNAVAILABLE, /* no connection: answer 503 */
	DB_ERROR,       /* anything else: logged here, answer 500 */
};

struct db {
	PGconn                      *conn;
	const char                  *conninfo;
	const struct db_stmt *const *tables; /* NULL-terminated */
	int                          statement_timeout;
	long long                    last_failure_us;
	/* Why the last connect or prepare failed, on one line: for the start
	 * checks (preflight.c), which name it to the operator. */
	char error[256];
};

/* Sets up the struct; connects lazily on the first db_ensure(). */
void db_init(struct db *db, const char *conninfo,
             const struct db_stmt *const *tables, int statement_timeout);

/*
 * Makes sure the connection is up and every statement prepared.  Gives up
 * after one second so that a request gets 503 quickly while the database is
 * gone, and retries at most four times a second.  Returns DB_OK,
 * DB_UNAVAILABLE, or DB_ERROR when a statement does not prepare (a schema
 * mismatch, logged).
 */
enum db_status db_ensure(struct db *db);

/*
 * Executes a prepared statement with text parameters (NULL for SQL NULL).
 * On DB_OK, *res (may be NULL to discard) is a result owned by the arena.
 * Errors are logged here, once; callers only map the status.
 */
enum db_status db_exec(struct db *db, struct arena *a, const char *name,
                       int nparams, const char *const *values, PGresult **res);

/* Like db_exec for a statement that returns one row: DB_NOT_FOUND when it
 * returns none. */
enum db_status db_exec_row(struct db *db, struct arena *a, const char *name,
                           int nparams, const char *const *values,
                           PGresult **res);

/* The first cell of the one row a statement returns (such as JSON that
 * PostgreSQL built), arena-owned; DB_NOT_FOUND when there is no row. */
enum db_status db_exec_value(struct db *db, struct arena *a, const char *name,
                             int nparams, const char *const *values,
                             const char **value);

/*
 * Like db_exec_row, and reads the row's cells into the pointers that follow
 * `cols`, one letter per column in order: 'i' long long, 'n' int,
 * 's' text (const char *, "" for NULL), 'z' text or NULL, 'b' bool,
 * 'd' double, '-' a column skipped (no pointer).  The texts are arena-owned.
 */
enum db_status db_exec_scan(struct db *db, struct arena *a, const char *name,
                            int nparams, const char *const *values,
                            const char *cols, ...);

/* db_exec of a statement whose one parameter is an id. */
enum db_status db_exec_id(struct db *db, struct arena *a, const char *name,
                          long long id, PGresult **res);

/* db_exec_value of a statement whose one parameter is an id. */
enum db_status db_exec_id_value(struct db *db, struct arena *a,
                                const char *name, long long id,
                                const char **value);

/* Transaction control for store functions that need one. */
enum db_status db_begin(struct db *db);
enum db_status db_commit(struct db *db);

/* Ends a transaction by its outcome so far: commits when st is DB_OK,
 * else rolls back; returns the final status. */
enum db_status db_finish(struct db *db, enum db_status st);

/* Inside a transaction: lets its statements run up to 60 s (bulk imports
 * of up to 50,000 rows) instead of the service's statement timeout. */
enum db_status db_allow_long_statements(struct db *db);
void           db_rollback(struct db *db);

/* Called after each request: rolls back anything a failed handler left open. */
void db_end_request(struct db *db);

/* Closes the connection. */
void db_close(struct db *db);

/* Helpers to read a result cell: the text (never NULL: "" for SQL NULL),
 * and whether it is NULL. */
const char *db_value(const PGresult *res, int row, int col);
bool        db_is_null(const PGresult *res, int row, int col);
long long   db_int(const PGresult *res, int row, int col);
/* The text, or NULL for SQL NULL; a boolean cell ("t"); a float cell. */
const char *db_text_or_null(const PGresult *res, int row, int col);
bool        db_bool(const PGresult *res, int row, int col);
double      db_double(const PGresult *res, int row, int col);

/* A PostgreSQL text[] literal of n strings, every element quoted and
 * escaped, for passing many rows as one bound parameter; arena-owned. */
char *db_text_array(struct arena *a, const char *const *items, size_t n);

/* Monotonic microseconds, for deadlines and the access log. */
long long db_now_us(void);

#endif
