/* One bounded list of input errors, each at a JSON pointer or a line: the
 * error list of every input checker (content, scenario, duo, roster, CSV). */
#ifndef ERRLIST_H
#define ERRLIST_H

#include <jansson.h>
#include <stddef.h>

#define ERRLIST_MAX 200 /* kept per list; further errors are only counted */

/*
 * One problem.  Checkers of JSON documents set `path`, an RFC 6901 JSON
 * pointer ("" is the whole document), and for a syntax error also `line` and
 * `column`; checkers of line-based text (CSV) leave `path` NULL and set
 * `line`, the physical line (1 = the first), or 0 for the file as a whole.
 * `message` is Dutch, for the person who wrote the input.
 */
struct errlist_item {
	char    *path;
	unsigned line;
	unsigned column;
	char    *message;
};

/*
 * The problems in the order they were found.  All zero is an empty list;
 * the list owns every string (errlist_free).  At most ERRLIST_MAX items are
 * kept, the rest only counted in `dropped`, so that a broken upload cannot
 * flood the reply.
 */
struct errlist {
	struct errlist_item *items;
	size_t               count;
	size_t               dropped;
};

void errlist_init(struct errlist *l);

struct arena;
/* An empty list that the arena frees at its reset (for handlers, which
 * free nothing themselves). */
struct errlist *errlist_in_arena(struct arena *a);

/* Frees every item and leaves an empty list that can be used again. */
void errlist_free(struct errlist *l);

/* Appends a problem (path copied; NULL for line-based input).  Aborts when
 * out of memory. */
void errlist_add(struct errlist *l, const char *path, unsigned line,
                 unsigned column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* count + dropped: whether anything was wrong since an earlier total. */
size_t errlist_total(const struct errlist *l);

/*
 * JSON pointers: base + "/" + key with "~" written "~0" and "/" written "~1"
 * (RFC 6901), invalid UTF-8 as U+FFFD; or base + "/" + index.  malloc'ed
 * (the caller frees); abort when out of memory.
 */
char *errlist_ptr_child(const char *base, const char *key);
char *errlist_ptr_index(const char *base, size_t i);

/*
 * The list as the `errors` array of a 400 validation_failed body, one entry
 * per item: {"path","message"} (plus "line","column" when line > 0) for a
 * JSON document, {"line","message"} for line-based text.  When errors were
 * dropped, a last entry says how many, in the shape of the first item.  A
 * new reference; aborts when out of memory.
 */
json_t *errlist_json(const struct errlist *l);

#endif
