/*
 * Per-request arena.  Blocks are chained; the first block survives resets so
 * that a worker's memory stays flat, larger requests get extra blocks that
 * the reset returns to malloc.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16

struct arena_block {
	struct arena_block *next;
	size_t              size;
	size_t              used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena_cleanup {
	struct arena_cleanup *next;
	void (*fn)(void *);
	void *ptr;
};

static struct arena_block *block_new(size_t size);
static void                oom(size_t n) __attribute__((noreturn));

static void
oom(size_t n)
{
	fprintf(stderr, "arena: out of memory allocating %zu bytes\n", n);
	abort();
}

static struct arena_block *
block_new(size_t size)
{
	struct arena_block *b;

	if (size > SIZE_MAX - sizeof(*b))
		oom(size);
	b = malloc(sizeof(*b) + size);
	if (b == NULL)
		oom(size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

void
arena_init(struct arena *a, size_t size)
{
	a->first = block_new(size);
	a->current = a->first;
	a->cleanups = NULL;
	a->total = 0;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->current;
	size_t              off, want;
	void               *p;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2)
		oom(n);
	off = (b->used + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (off > b->size || b->size - off < n) {
		/* Grow geometrically, but give a big request a block of its
		 * own. */
		want = a->first->size;
		while (want < n)
			want *= 2;
		b->next = block_new(want);
		b = b->next;
		a->current = b;
		off = 0;
	}
	p = b->data + off;
	b->used = off + n;
	a->total += n;
	memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char   *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list again;
	int     n;
	char   *p;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0)
		oom(0);
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, again);
	va_end(again);
	return p;
}

void *
arena_on_reset(struct arena *a, void (*fn)(void *), void *ptr)
{
	struct arena_cleanup *c;

	if (ptr == NULL)
		return NULL;
	c = arena_alloc(a, sizeof(*c));
	c->fn = fn;
	c->ptr = ptr;
	c->next = a->cleanups;
	a->cleanups = c;
	return ptr;
}

void *
arena_adopt(struct arena *a, void *p)
{
	return arena_on_reset(a, free, p);
}

void
arena_reset(struct arena *a)
{
	struct arena_cleanup *c;
	struct arena_block   *b, *next;

	for (c = a->cleanups; c != NULL; c = c->next)
		c->fn(c->ptr);
	a->cleanups = NULL;
	for (b = a->first->next; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->first->next = NULL;
	a->first->used = 0;
	a->current = a->first;
	a->total = 0;
}

void
arena_destroy(struct arena *a)
{
	arena_reset(a);
	free(a->first);
	a->first = NULL;
	a->current = NULL;
}
