/* One bounded list of input errors with JSON-pointer or line positions. */
#include "errlist.h"

#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

static void oom(void) __attribute__((noreturn));
static void jset(json_t *obj, const char *key, json_t *v);

static void
oom(void)
{
	fputs("errlist: out of memory\n", stderr);
	abort();
}

void
errlist_init(struct errlist *l)
{
	l->items = NULL;
	l->count = 0;
	l->dropped = 0;
}

static void
errlist_free_cb(void *p)
{
	errlist_free(p);
}

struct errlist *
errlist_in_arena(struct arena *a)
{
	struct errlist *l = arena_alloc(a, sizeof(*l));

	errlist_init(l);
	arena_on_reset(a, errlist_free_cb, l);
	return l;
}

void
errlist_free(struct errlist *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].path);
		free(l->items[i].message);
	}
	free(l->items);
	errlist_init(l);
}

void
errlist_add(struct errlist *l, const char *path, unsigned line, unsigned column,
            const char *fmt, ...)
{
	struct errlist_item *e;
	va_list              ap;

	if (l->count >= ERRLIST_MAX) {
		l->dropped++;
		return;
	}
	if (l->items == NULL) {
		/* The bound is small: one allocation for the whole list. */
		l->items = calloc(ERRLIST_MAX, sizeof(*l->items));
		if (l->items == NULL)
			oom();
	}
	e = &l->items[l->count];
	e->path = NULL;
	if (path != NULL && (e->path = strdup(path)) == NULL)
		oom();
	va_start(ap, fmt);
	if (vasprintf(&e->message, fmt, ap) < 0)
		oom();
	va_end(ap);
	e->line = line;
	e->column = column;
	l->count++;
}

size_t
errlist_total(const struct errlist *l)
{
	return l->count + l->dropped;
}

char *
errlist_ptr_child(const char *base, const char *key)
{
	const unsigned char *p = (const unsigned char *)key;
	size_t               left = strlen(key), n, o, blen = strlen(base);
	char                *out;

	/* Worst case: every byte becomes U+FFFD (3 bytes). */
	if (left > (SIZE_MAX - blen - 2) / 3)
		oom();
	out = malloc(blen + 2 + 3 * left);
	if (out == NULL)
		oom();
	memcpy(out, base, blen);
	out[blen] = '/';
	o = blen + 1;
	while (left > 0) {
		if (*p == '~' || *p == '/') {
			out[o++] = '~';
			out[o++] = *p == '~' ? '0' : '1';
			n = 1;
		} else if ((n = utf8_seq_len(p, left)) != 0) {
			memcpy(out + o, p, n);
			o += n;
		} else {
			memcpy(out + o, REPLACEMENT, 3);
			o += 3;
			n = 1;
		}
		p += n;
		left -= n;
	}
	out[o] = '\0';
	return out;
}

char *
errlist_ptr_index(const char *base, size_t i)
{
	char *p;

	if (asprintf(&p, "%s/%zu", base, i) < 0)
		oom();
	return p;
}

static void
jset(json_t *obj, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new(obj, key, v) != 0)
		oom();
}

json_t *
errlist_json(const struct errlist *l)
{
	json_t *arr = json_array(), *e;
	bool    by_path = l->count > 0 && l->items[0].path != NULL;
	char   *msg;

	if (arr == NULL)
		oom();
	for (size_t i = 0; i < l->count; i++) {
		const struct errlist_item *it = &l->items[i];

		if ((e = json_object()) == NULL)
			oom();
		if (it->path != NULL) {
			jset(e, "path", json_string(it->path));
			jset(e, "message", json_string(it->message));
			if (it->line > 0) {
				jset(e, "line", json_integer(it->line));
				jset(e, "column", json_integer(it->column));
			}
		} else {
			jset(e, "line", json_integer(it->line));
			jset(e, "message", json_string(it->message));
		}
		if (json_array_append_new(arr, e) != 0)
			oom();
	}
	if (l->dropped == 0)
		return arr;
	if ((e = json_object()) == NULL)
		oom();
	if (by_path) {
		if (asprintf(&msg,
		             "En nog %zu andere fouten, die hier niet worden "
		             "getoond.",
		             l->dropped) < 0)
			oom();
		jset(e, "path", json_string(""));
	} else {
		if (asprintf(&msg, "en nog %zu fouten", l->dropped) < 0)
			oom();
		jset(e, "line", json_integer(0));
	}
	jset(e, "message", json_string(msg));
	free(msg);
	if (json_array_append_new(arr, e) != 0)
		oom();
	return arr;
}
