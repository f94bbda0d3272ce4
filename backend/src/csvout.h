/* CSV output: the one CSV writer; a handler hands it rows of cells. */
#ifndef CSVOUT_H
#define CSVOUT_H

#include <jansson.h>
#include <stddef.h>

#include "arena.h"

/*
 * A CSV text being written, in memory from an arena (it lives as long as
 * the arena does; nothing to free).  Cells are separated by ',' and rows
 * end in CRLF (RFC 4180).  All zero but `arena` is an empty text.
 */
struct csvout {
	struct arena *arena;
	char         *data; /* NUL-terminated */
	size_t        len, cap;
	size_t        cells; /* in the row being written */
};

void csvout_init(struct csvout *w, struct arena *a);

/*
 * One text cell, quoted when it holds ',', ';', '"', CR or LF.  A cell a
 * spreadsheet would run as a formula (=, +, -, @, tab or CR first) gets a
 * leading apostrophe, so that exported names cannot run code.
 */
void csvout_cell(struct csvout *w, const char *s);

/*
 * One cell from a JSON value: a string as csvout_cell, an integer as is, a
 * real with one decimal, true and false as "ja" and "nee", anything else
 * (null, a missing value) as an empty cell.
 */
void csvout_json(struct csvout *w, const json_t *v);

/* Ends the row (CRLF). */
void csvout_end_row(struct csvout *w);

#endif
