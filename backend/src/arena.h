/* Per-request memory: bump allocation with cleanups, released in one reset. */
#ifndef ARENA_H
#define ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;
struct arena_cleanup;

struct arena {
	struct arena_block   *first; /* kept across resets */
	struct arena_block   *current;
	struct arena_cleanup *cleanups;
	size_t                total; /* bytes handed out since the last reset */
};

/* Prepares an arena whose first block holds `size` bytes. Aborts on OOM. */
void arena_init(struct arena *a, size_t size);

/*
 * Returns `n` zeroed bytes, aligned for any type, owned by the arena: valid
 * until the next arena_reset(); never free() them.  Never returns NULL: an
 * allocation failure aborts the worker and the master starts a new one.
 * Callers bound their inputs before allocating.
 */
void *arena_alloc(struct arena *a, size_t n);

/* Copies of strings and byte ranges, NUL-terminated, owned by the arena. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/*
 * Registers fn(ptr) to run at the next reset, before the memory goes, in
 * reverse order of registration.  Use it for PGresult, json_t, jwt_t.
 * A NULL ptr needs nothing and is not registered.  Returns ptr.
 */
void *arena_on_reset(struct arena *a, void (*fn)(void *), void *ptr);

/* Hands memory from malloc() to the arena: free(p) runs at the next reset.
 * Returns p. */
void *arena_adopt(struct arena *a, void *p);

/* Runs the cleanups, frees every block but the first and rewinds it. */
void arena_reset(struct arena *a);

/* Resets and frees the first block as well. */
void arena_destroy(struct arena *a);

#endif
