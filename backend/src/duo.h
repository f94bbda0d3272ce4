/* DUO's open-data register of primary-school locations: a pure CSV parser. */
#ifndef DUO_H
#define DUO_H

#include <stddef.h>

#include "errlist.h"

/*
 * The input is the file as DUO publishes it (02.-alle-schoolvestigingen-
 * basisonderwijs.csv), in any encoding DUO has used: UTF-8 with or without a
 * BOM, or Windows-1252.  The encoding is detected: bytes that are valid UTF-8
 * are read as UTF-8, anything else as Windows-1252 and converted.  Fields are
 * separated by ';' (or by ',' when the first line has no ';'), records end in
 * CRLF or LF, fields may be quoted.  Columns are found by their header name,
 * so DUO can reorder or add columns; older names are accepted as aliases (see
 * the table in duo.c).  Blank lines and records whose fields are all empty
 * are skipped.
 *
 * A bad file is refused whole: the result then has errors and no rows.
 */

#define DUO_MAX_BYTES (20 * 1024 * 1024)
/* Every school location of the Netherlands, all sectors, is about 20,000. */
#define DUO_MAX_ROWS 100000
#define DUO_ERRORS_MAX ERRLIST_MAX /* further errors are only counted */

enum duo_encoding {
	DUO_ENCODING_UTF8,
	DUO_ENCODING_UTF8_BOM,
	DUO_ENCODING_CP1252,
};

/*
 * One school location.  Text is UTF-8, trimmed of spaces and tabs, never
 * NULL: a column the file does not have gives "".  `name` is never empty;
 * `municipality` can be (the 2026 file has two locations without one, whose
 * GEMEENTENUMMER other rows do name).
 */
struct duo_row {
	unsigned    line;         /* where the record starts; header = 1 */
	char        brin[7];      /* VESTIGINGSCODE, ^[0-9A-Z]{4}[0-9]{2}$ */
	const char *board_number; /* BEVOEGD GEZAG NUMMER, 1-10 digits */
	const char *name;         /* VESTIGINGSNAAM, 1-200 characters */
	const char *municipality; /* GEMEENTENAAM, as DUO writes it */
	const char *municipality_code; /* GEMEENTENUMMER, digits, e.g. "0060" */
	const char *place;             /* PLAATSNAAM */
	const char *rmc_region_code;   /* RMC-REGIO CODE */
	const char *rmc_region_name;   /* RMC-REGIO NAAM */
	const char *province;          /* PROVINCIE */
};

struct duo_block;

/*
 * The outcome of duo_parse: either rows (no errors) or errors (rows NULL,
 * n_rows 0), never both.  An error's `line` is the physical line (1 =
 * header) where the bad record starts, or where the bad byte is for
 * encoding errors; 0 means the file as a whole (only for a file over
 * DUO_MAX_BYTES).  Messages are Dutch, for the admin who uploaded the file.
 * Errors come in line order.  Every string and array in it is owned by the
 * register and released by duo_register_free; never free them one by one.
 */
struct duo_register {
	struct duo_row   *rows;
	size_t            n_rows;
	struct errlist    errors;   /* line positions, no paths */
	enum duo_encoding encoding; /* as detected */
	struct duo_block *pool;     /* private: backs the strings */
};

/*
 * Parses `len` bytes at `buf` (need not be NUL-terminated).  Returns 0 when
 * the file is good, -1 when it has at least one error.  Either way *out is
 * set to a register owned by the caller, to be released with
 * duo_register_free.  Allocation failure aborts the process: bound `len` by
 * DUO_MAX_BYTES before reading the body (a larger buffer is refused with one
 * error on line 0, without being read).
 */
int duo_parse(const char *buf, size_t len, struct duo_register **out);

/* Frees the register and everything in it; NULL is allowed. */
void duo_register_free(struct duo_register *reg);

/* "UTF-8", "UTF-8 met BOM" or "Windows-1252", for logs and messages. */
const char *duo_encoding_name(enum duo_encoding enc);

#endif
