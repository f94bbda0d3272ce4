/* CSV input: UTF-8 checks and a libcsv record reader with physical line
 * numbers, shared by the importers (duo.c, roster.c). */
#ifndef CSVIN_H
#define CSVIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

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
 * Offset of the first byte that does not start a well-formed UTF-8
 * sequence (overlong forms, surrogates, values past U+10FFFF and sequences
 * cut off by the end included), or `len` when all of p[0..len) is valid.
 * NUL is valid here; the reader flags it in csvin_record.has_nul.
 */
size_t csvin_utf8_invalid_at(const char *p, size_t len);

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

#endif
