/* A board's staff roster (CSV upload): a pure parser with line-precise
 * errors. */
#ifndef ROSTER_H
#define ROSTER_H

#include <stddef.h>

#include "errlist.h"

/*
 * The format (api.md, "Boards"): UTF-8 with or without a BOM, a header row
 * naming the columns email, name, role and brin in any order and any case
 * (other columns are ignored), fields separated by ',' or ';' (';' when the
 * header line has one, else ','), records ending in CRLF or LF, fields
 * quoted as in RFC 4180 (delimiters, quotes and line breaks inside quotes).
 * Blank lines and records whose fields are all empty are skipped.
 *
 * Values are trimmed of spaces and tabs.  Emails are lower-cased (ASCII:
 * emails with other characters are refused, see roster.c), roles are
 * "teacher" or "ib" in any case, BRIN codes are upper-cased and must match
 * ^[0-9A-Z]{4}[0-9]{2}$.  Whether a BRIN code belongs to the board is for
 * the caller to check.  Names may start with = + - @: they are data here,
 * and whoever writes them into a CSV again must guard against formulas.
 */

#define ROSTER_MAX_BYTES (5 * 1024 * 1024)
#define ROSTER_MAX_ROWS 50000
#define ROSTER_NAME_MAX 200           /* characters, as staff.name allows */
#define ROSTER_ERRORS_MAX ERRLIST_MAX /* further errors are only counted */

struct roster_row {
	unsigned    line;  /* where the record starts; header = 1 */
	const char *email; /* lower case, passes validate_email */
	const char *name;  /* 1-200 characters, no control characters */
	const char *role;  /* "teacher" or "ib" (static strings) */
	char        brin[7];
};

struct roster_block;

/* A well-formed BRIN code and the line it is on, kept for every record even
 * when the roster has errors, so that the caller can also report the lines
 * whose school is not the board's in the same answer. */
struct roster_brin {
	unsigned line;
	char     brin[7];
};

/*
 * The outcome of roster_parse: either rows (no errors) or errors (rows
 * NULL, n_rows 0), never both.  Rows and errors come in line order.  An
 * error's `line` is the physical line (1 = header) where the bad record
 * starts, or where the bad byte is for encoding errors; 0 means the file as
 * a whole (only for a file over ROSTER_MAX_BYTES).  A record can have
 * several errors, one per bad field.  Messages are Dutch, for the board
 * admin who uploaded the file.  Every
 * string and array in it is owned by the roster and released by
 * roster_free; never free them one by one.
 */
struct roster {
	struct roster_row   *rows;
	size_t               n_rows; /* 0 for a header-only file */
	struct errlist       errors; /* line positions, no paths */
	struct roster_brin  *brins;  /* every well-formed BRIN, in line order */
	size_t               n_brins;
	struct roster_block *pool; /* private: backs the strings */
};

/*
 * Parses `len` bytes at `buf` (need not be NUL-terminated).  Returns 0 when
 * the roster is good, -1 when it has at least one error.  Either way *out is
 * set to a roster owned by the caller, to be released with roster_free.
 * Allocation failure aborts the process: bound `len` by ROSTER_MAX_BYTES
 * before reading the body (a larger buffer is refused with one error on
 * line 0, without being read).  More than ROSTER_MAX_ROWS records is an
 * error on the first record past the limit, and parsing stops there.
 */
int roster_parse(const char *buf, size_t len, struct roster **out);

/* Frees the roster and everything in it; NULL is allowed. */
void roster_free(struct roster *r);

#endif
