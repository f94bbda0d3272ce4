/* CSV input: the one CSV reader (libcsv, physical line numbers) and the one
 * import skeleton (size, encoding, header, records) of every CSV upload. */
#ifndef CSVIN_H
#define CSVIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "errlist.h"

/*
 * Line numbers are physical lines, 1 = the first line of the text: a line
 * ends in LF, CRLF or a lone CR (as old Mac exports write), which is also
 * where libcsv ends a record.  A line break inside a quoted field therefore
 * moves the line numbers of the records after it.
 */

#define CSVIN_ECHO_MAX 40 /* characters of a bad value quoted back */
#define CSVIN_UTF8_BOM_LEN 3

/*
 * Allocation that never returns NULL: a failure aborts the process (as
 * arena.h does), so callers bound their input instead of checking.  n == 0
 * is taken as 1.  Free the memory with free().
 */
void *csvin_xmalloc(size_t n);
void *csvin_xrealloc(void *p, size_t n);

enum csvin_bom {
	CSVIN_BOM_NONE,
	CSVIN_BOM_UTF8,  /* EF BB BF: skip CSVIN_UTF8_BOM_LEN bytes */
	CSVIN_BOM_UTF16, /* FF FE or FE FF: the text is not UTF-8 at all */
};

/* The byte-order mark at the start of the `len` bytes at p, if any. */
enum csvin_bom csvin_bom(const char *p, size_t len);

/*
 * Calls bad(line, byte, data) once for every line that holds invalid UTF-8,
 * in line order, with the first bad byte of that line.  Returns 0 when the
 * text is valid UTF-8, -1 when bad() was called.  No multi-byte sequence
 * holds CR or LF, so each line can be checked on its own.
 */
int csvin_utf8_check_lines(const char *p, size_t len,
                           void (*bad)(unsigned line, unsigned char byte,
                                       void *data),
                           void *data);

/* Length of the line at p, its line break (LF, CRLF or CR) included. */
size_t csvin_line_len(const char *p, size_t len);

/*
 * The delimiter of the first line that is not blank (only spaces, tabs and
 * line breaks): ';' when it holds one, else ',' when it holds one, else
 * `fallback`.
 */
unsigned char csvin_delim(const char *text, size_t len, unsigned char fallback);

/* One record, as the reader hands it to its record callback. */
struct csvin_record {
	unsigned line;     /* physical line the record starts on */
	size_t   n_fields; /* fields in the record, counted past max_fields */
	size_t   n_kept;  /* entries in field[]: n_fields, at most max_fields */
	bool     has_nul; /* a field holds NUL; field[] then stops there */
	/*
	 * NUL-terminated field values as libcsv gives them: unquoted, with
	 * the spaces and tabs around an unquoted field dropped but those
	 * inside quotes kept.  The callback may change them in place
	 * (csvin_trim); they belong to the reader and are gone when the
	 * callback returns.
	 */
	char **field;
};

/*
 * How to read a text.  record() gets every record that is not on blank
 * lines (a record such as ";;" does come through, see csvin_record_empty)
 * and returns 0 to go on or -1 to stop reading there.  error() gets each
 * quote error with its line and a Dutch message for the person who uploaded
 * the file.
 */
struct csvin_reader {
	unsigned char delim;
	size_t        max_fields; /* fields kept per record; more are counted */
	int (*record)(struct csvin_record *rec, void *data);
	void (*error)(unsigned line, const char *message, void *data);
	void *data;
};

/*
 * Feeds the `len` bytes of UTF-8 text at `text` to libcsv (strict mode) one
 * physical line at a time, so that every record knows the line it starts on
 * even when a quoted field spans lines.  Lines that are blank (only spaces,
 * tabs and line breaks) outside a quoted field make no record.
 *
 * A misplaced quote is an error on the line where libcsv finds it.  In the
 * first record (the header) it ends the reading; later, libcsv's state is
 * unknown, so the parser restarts on the next line, and a broken multi-line
 * record can then give a second error on one of its later lines.  A quote
 * still open at the end of the text is an error on the line of the record
 * it belongs to.
 *
 * Neither callback is called again once reading has stopped.  Returns 0
 * when the whole text was read, -1 when record() stopped the reading or the
 * header had a quote error.  The text need not be NUL-terminated.
 * Allocation failure aborts.
 */
int csvin_read(const struct csvin_reader *r, const char *text, size_t len);

/* True when every kept field is only spaces and tabs and none holds NUL. */
bool csvin_record_empty(const struct csvin_record *rec);

/* Trims spaces and tabs off s in place; returns the start of the rest. */
char *csvin_trim(char *s);

/*
 * Writes a bad value `s` (valid UTF-8) to quote back in a message:
 * NUL-terminated, at most CSVIN_ECHO_MAX characters, control characters as
 * '?', a trailing "..." when cut.  Caveat: a dst of fewer than
 * 4 * CSVIN_ECHO_MAX + 4 bytes bounds the bytes instead, and that cut can
 * fall inside a character, leaving invalid UTF-8.
 */
void csvin_echo(char *dst, size_t dstsz, const char *s);

/*
 * A set of strings with the line each was first added on, for finding
 * duplicates.  All zero is an empty set; csvin_set_free releases it.
 */
struct csvin_set_slot;

struct csvin_set {
	struct csvin_set_slot *slots; /* open addressing, at most half full */
	size_t                 cap, n;
	struct arena           keys; /* the set's copies of the strings */
};

/*
 * Adds `key` (copied) as seen on `line`.  Returns true when it is new;
 * false, with the line it was first added on in *first, when it was there
 * already.
 */
bool csvin_set_add(struct csvin_set *set, const char *key, unsigned line,
                   unsigned *first);

/* Frees what the set holds and leaves it empty. */
void csvin_set_free(struct csvin_set *set);

/*
 * Room for one more element in a growing array of `n` elements of `size`
 * bytes: returns the array, grown (doubled, from 256) when *cap == n.
 */
void *csvin_grow(void *arr, size_t n, size_t *cap, size_t size);

/* ---- The import skeleton ---- */

#define CSVIN_COLUMNS_MAX 16

/*
 * A column an importer reads.  Header names are compared after
 * normalising: upper case, '-' and '_' read as spaces, runs of spaces as
 * one, none at the ends; the first name is the one messages use.
 */
struct csvin_column {
	const char *names[4];
	const char *missing_as; /* name in "mist de kolom", else names[0] */
	bool        optional;
};

/*
 * One upload.  The importer sets the first block and calls csvin_import,
 * which refuses a file over max_bytes or in UTF-16, skips a UTF-8 BOM,
 * checks the encoding, finds the delimiter (';' or ',' from the first line
 * that is not blank, else `delim`), maps the header to cols[] (missing and
 * repeated columns are errors that stop the reading), and hands every data
 * record that is not blank, holds no NUL and has as many fields as the
 * header to row().  Every problem goes to `errs` with its line.
 */
struct csvin_import {
	const struct csvin_column *cols;
	size_t                     n_cols;
	size_t                     max_bytes;
	size_t                     max_fields; /* fields kept per record */
	size_t                     max_rows; /* data records; 0 for no limit */
	unsigned char              delim;
	const char *encodings;     /* "UTF-8", for the UTF-16 message */
	const char *bad_utf8_hint; /* after "ongeldige UTF-8 (byte 0x..)" */
	const char *empty_message; /* for a file without a header */
	const char *columns_hint;  /* after the missing columns, or "" */
	const char *too_many_rows; /* past max_rows */
	const char *no_rows;       /* for a header alone; NULL: fine */
	/*
	 * For a text without BOM that is not UTF-8: converts it from another
	 * encoding into a malloc'ed NUL-terminated copy (csvin_import frees
	 * it), or returns NULL after adding errors.  NULL: such a text is
	 * refused with one error per bad line.
	 */
	char *(*decode)(struct csvin_import *imp, const char *p, size_t len,
	                size_t *out_len);
	/* After the header is mapped: may change col[] and the missing and
	 * repeated flags (n_cols each). */
	void (*header)(struct csvin_import *imp, bool *missing, bool *dup);
	void (*row)(struct csvin_import *imp, struct csvin_record *rec);
	void *data;

	/* Set while importing. */
	struct errlist *errs;
	int             col[CSVIN_COLUMNS_MAX]; /* field index, -1: absent */
	bool            bom; /* the text starts with a UTF-8 BOM */
	bool decoded; /* not UTF-8: handed to decode(), which may have failed */
	bool header_done, stop;
	size_t   n_header; /* fields of the header */
	unsigned header_line;
	size_t   n_data; /* data records seen, good or bad */
};

/*
 * Imports the `len` bytes at buf (need not be NUL-terminated).  Returns 0
 * when no error was added to `errs`, -1 otherwise.  Allocation failure
 * aborts.
 */
int csvin_import(struct csvin_import *imp, const char *buf, size_t len,
                 struct errlist *errs);

/* The trimmed value of column c in a data record, "" when the header has
 * no such column. */
char *csvin_field(const struct csvin_import *imp, struct csvin_record *rec,
                  size_t c);

/* Adds an error on `line` to the import's list. */
void csvin_error(struct csvin_import *imp, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A number macro as a string, for the messages of a limit. */
#define CSVIN_STR_(x) #x
#define CSVIN_STR(x) CSVIN_STR_(x)

#endif
