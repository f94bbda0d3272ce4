/*
 * A module page as pre-rendered JSON text.  The content of a module version
 * (title, sections, quiz) is the same for every caller; only each section's
 * "done" flag and the caller's certificate differ.  So the page is rendered
 * once into text pieces, and a request only joins them:
 *
 *   head                  {"slug":...,"validity_months":12,"sections":[
 *   sections[0].text      {"id":"a","title":...,"scenario":null,"done":
 *                         true}  or  false}
 *   ","  sections[1].text ...
 *   tail                  ],"quiz":{...},"certificate":
 *                         the certificate object or null, then }
 *
 * The result has the same bytes as json_dumps(JSON_COMPACT) of the page
 * built with jansson: the content's members in their order, "done" last in
 * each section, "certificate" last in the page.
 */
#ifndef MODULE_PAGE_H
#define MODULE_PAGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

struct module_page_section {
	char  *id;   /* NULL when the section has no string "id" */
	char  *text; /* the section's members and `"done":` */
	size_t len;
};

struct module_page {
	char                       *head;
	size_t                      head_len;
	struct module_page_section *sections;
	size_t                      nsections;
	char                       *tail;
	size_t                      tail_len;
};

/*
 * Renders the pieces of `content` (an object whose "sections" is an array
 * of objects, as the statement module_content builds it).  The pieces are
 * malloc'ed and owned by *p until module_page_free().  Returns 0, or -1
 * when the content has another shape or memory ran out (*p is then empty).
 */
int module_page_build(struct module_page *p, const json_t *content);

/*
 * The page for one caller, owned by the arena: `done` is an array of the
 * ids of the caller's finished sections, `certificate` the caller's
 * certificate object or NULL for none.  NULL when `certificate` cannot be
 * dumped (a server bug).
 */
char *module_page_render(struct arena *a, const struct module_page *p,
                         const json_t *done, const json_t *certificate);

/* Frees the pieces and empties *p; an empty *p may be freed again. */
void module_page_free(struct module_page *p);

/*
 * The page for one caller from the texts of the store (store_module_mine):
 * done_json an array of section ids, certificate_json an object or NULL,
 * quiz_state_json an object, which goes last as "quiz_state".  Owned by
 * the arena; NULL when a text is not what it should be (logged).
 */
char *module_page_for_caller(struct arena *a, const struct module_page *p,
                             const char *done_json,
                             const char *certificate_json,
                             const char *quiz_state_json);

/*
 * The entity tag of the page module_page_for_caller() makes from the same
 * texts for a module version: quoted, arena-owned.  The page is a function
 * of exactly these, so an equal tag means equal bytes (also for another
 * caller on the same browser: the certificate's code is in the hash).
 */
char *module_page_etag(struct arena *a, int version, const char *done_json,
                       const char *certificate_json,
                       const char *quiz_state_json);

/*
 * Module content changes only when hgkm-content loads a new version, so a
 * worker keeps the page of each module it has served, keyed by slug and
 * version; a request then costs one light query for the caller's own part.
 * The cache belongs to the worker (struct worker_ctx), bounded by
 * MODULE_PAGE_CACHE_SIZE: a deployment with more modules recycles entries.
 */
#define MODULE_PAGE_CACHE_SIZE 32

struct module_page_cache {
	struct {
		char               slug[65];
		int                version;
		bool               used;
		struct module_page page;
	} entries[MODULE_PAGE_CACHE_SIZE];
};

/* The cached page of slug at version, or NULL. */
const struct module_page *
module_page_cache_find(const struct module_page_cache *c, const char *slug,
                       int version);

/* Builds the page of slug at version from its content JSON text (the
 * statement module_content) and keeps it, replacing an older version.
 * NULL when the content is not a module page (logged). */
const struct module_page *module_page_cache_add(struct module_page_cache *c,
                                                const char *slug, int version,
                                                const char *content_json);

/* Frees every page of the cache (at worker exit). */
void module_page_cache_free(struct module_page_cache *c);

#endif
