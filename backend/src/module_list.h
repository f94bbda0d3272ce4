/*
 * The caller's module list (GET /api/v1/modules) as text.  What each module
 * says is the same for everyone and changes only with its version (a content
 * load): its fields as PostgreSQL's json_build_object writes them, and the
 * ids of its active sections.  A worker keeps that per module id and version;
 * a request reads only the caller's part (statement modules_list: the
 * modules of the caller's role, finished sections, certificates) and joins
 * the two here.  The bytes are those of the statement that built the whole
 * list in SQL before (json_agg of json_build_object):
 *
 *   [{"slug" : "a", ..., "validity_months" : 24, "progress" :
 *   {"sections_done" : 1, "sections_total" : 3, "status" : "in_progress",
 *   "completed_at" : null, "expires_at" : null, "expiring_soon" : null}},
 *   {...}]
 */
#ifndef MODULE_LIST_H
#define MODULE_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

struct module_list_entry {
	long long id;
	int       version;
	bool      used;
	char     *head;     /* {"slug" : ..., "validity_months" : N} */
	char    **sections; /* ids of the active sections */
	size_t    nsections;
};

/* Bounded: with more modules than this the oldest entries are recycled
 * (a request renders each module before it asks for the next entry, so an
 * entry it used may go; such a list costs a statement per module). */
#define MODULE_LIST_CACHE_SIZE 64

struct module_list_cache {
	struct module_list_entry entries[MODULE_LIST_CACHE_SIZE];
};

/* The entry of module id at version, or NULL. */
const struct module_list_entry *
module_list_cache_find(const struct module_list_cache *c, long long id,
                       int version);

/*
 * Keeps module id at version: head_json is its json_build_object text,
 * sections its active section ids joined by ',' (NULL for none).  Replaces
 * the module's older entry.  NULL when out of memory or head_json is not an
 * object's text (logged).
 */
const struct module_list_entry *
module_list_cache_add(struct module_list_cache *c, long long id, int version,
                      const char *head_json, const char *sections);

/* Frees every entry (at worker exit). */
void module_list_cache_free(struct module_list_cache *c);

/* The caller's part of one module of the list. */
struct module_list_progress {
	int         done;         /* active sections finished */
	const char *completed_at; /* newest certificate's issue time, or NULL */
	const char *expires_at;   /* and its expiry, or NULL: no certificate */
	bool        valid;        /* it has not expired */
	bool        expiring;     /* it expires within 90 days */
};

/*
 * The progress of module `e` from the caller's texts (statement
 * modules_list): `done` is "module_id section_id" pairs joined by ',',
 * `certificates` "module_id issued_at expires_at valid expiring" (RFC 3339
 * times, "true"/"false" flags) joined by ','; either may be NULL.  The newest
 * certificate (latest expiry) of the module counts.  Times are copied into
 * the arena.
 */
void module_list_progress(struct arena *a, const struct module_list_entry *e,
                          const char *done, const char *certificates,
                          struct module_list_progress *out);

/* Module e with its progress as one item of the list, arena-owned: a copy,
 * so e may be recycled afterwards. */
char *module_list_item(struct arena *a, const struct module_list_entry *e,
                       const struct module_list_progress *p);

/* The list of n items (module_list_item), arena-owned. */
char *module_list_join(struct arena *a, char *const *items, size_t n);

#endif
