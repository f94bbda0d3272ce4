/* The module list: the worker's cache of what each module says, joined
 * with the caller's progress (module_list.h). */
#include "module_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

const struct module_list_entry *
module_list_cache_find(const struct module_list_cache *c, long long id,
                       int version)
{
	for (size_t i = 0; i < MODULE_LIST_CACHE_SIZE; i++)
		if (c->entries[i].used && c->entries[i].id == id &&
		    c->entries[i].version == version)
			return &c->entries[i];
	return NULL;
}

static void
entry_free(struct module_list_entry *e)
{
	for (size_t i = 0; i < e->nsections; i++)
		free(e->sections[i]);
	free(e->sections);
	free(e->head);
	memset(e, 0, sizeof(*e));
}

/* Splits "a,b,c" into malloc'ed strings; 0, or -1 when out of memory. */
static int
split_ids(const char *text, char ***out, size_t *n)
{
	const char *p = text;
	size_t      cap = 0;

	*out = NULL;
	*n = 0;
	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, ',');
		size_t      len = end != NULL ? (size_t)(end - p) : strlen(p);

		if (*n == cap) {
			char **grown = realloc(*out, (cap = cap ? 2 * cap : 8) *
			                                 sizeof(**out));
			if (grown == NULL)
				return -1;
			*out = grown;
		}
		if (((*out)[*n] = strndup(p, len)) == NULL)
			return -1;
		(*n)++;
		p = end != NULL ? end + 1 : NULL;
	}
	return 0;
}

const struct module_list_entry *
module_list_cache_add(struct module_list_cache *c, long long id, int version,
                      const char *head_json, const char *sections)
{
	struct module_list_entry e = {.id = id, .version = version};
	size_t                   i, slot = MODULE_LIST_CACHE_SIZE;
	size_t                   len = strlen(head_json);

	/* The object's closing brace goes: "progress" follows it. */
	if (len < 2 || head_json[0] != '{' || head_json[len - 1] != '}') {
		log_error("module list: module %lld's fields are not an object",
		          id);
		return NULL;
	}
	e.head = strndup(head_json, len - 1);
	if (e.head == NULL || split_ids(sections, &e.sections, &e.nsections)) {
		entry_free(&e);
		log_error("module list: out of memory");
		return NULL;
	}
	e.used = true;
	/* The module's own entry (an older version), else a free one, else
	 * the first. */
	for (i = 0; i < MODULE_LIST_CACHE_SIZE; i++) {
		if (c->entries[i].used && c->entries[i].id == id) {
			slot = i;
			break;
		}
		if (!c->entries[i].used && slot == MODULE_LIST_CACHE_SIZE)
			slot = i;
	}
	if (slot == MODULE_LIST_CACHE_SIZE)
		slot = 0;
	entry_free(&c->entries[slot]);
	c->entries[slot] = e;
	return &c->entries[slot];
}

void
module_list_cache_free(struct module_list_cache *c)
{
	for (size_t i = 0; i < MODULE_LIST_CACHE_SIZE; i++)
		entry_free(&c->entries[i]);
}

static bool
is_active_section(const struct module_list_entry *e, const char *id, size_t len)
{
	for (size_t i = 0; i < e->nsections; i++)
		if (strlen(e->sections[i]) == len &&
		    memcmp(e->sections[i], id, len) == 0)
			return true;
	return false;
}

/* The next item of a ','-joined text: its start and length; NULL at the
 * end. */
static const char *
next_item(const char **cursor, size_t *len)
{
	const char *p = *cursor, *end;

	if (p == NULL || *p == '\0')
		return NULL;
	end = strchr(p, ',');
	*len = end != NULL ? (size_t)(end - p) : strlen(p);
	*cursor = end != NULL ? end + 1 : NULL;
	return p;
}

/* The module id that starts an item ("12 ..."), and where the rest
 * begins; -1 when the item has no such id. */
static long long
item_module(const char *item, size_t len, const char **rest)
{
	char     *end;
	long long id = strtoll(item, &end, 10);

	if (end == item || (size_t)(end - item) >= len || *end != ' ')
		return -1;
	*rest = end + 1;
	return id;
}

/* RFC 3339 times as the statement's RFC3339() writes them (store/modules.c):
 * "YYYY-MM-DDTHH:MM:SSZ", always this long, so that they compare as text. */
#define TIME_LEN 20

void
module_list_progress(struct arena *a, const struct module_list_entry *e,
                     const char *done, const char *certificates,
                     struct module_list_progress *out)
{
	const char *cursor = done, *item, *rest = NULL, *newest = NULL, *flags;
	size_t      len, newest_len = 0;

	memset(out, 0, sizeof(*out));
	while ((item = next_item(&cursor, &len)) != NULL)
		if (item_module(item, len, &rest) == e->id &&
		    is_active_section(e, rest, len - (size_t)(rest - item)))
			out->done++;
	/* "id issued expires valid expiring", the flags as PostgreSQL writes
	 * a boolean ("true", "false"): the newest is the one that expires
	 * last. */
	cursor = certificates;
	while ((item = next_item(&cursor, &len)) != NULL) {
		if (item_module(item, len, &rest) != e->id ||
		    len - (size_t)(rest - item) < 2 * TIME_LEN + 4)
			continue;
		if (newest == NULL ||
		    memcmp(rest + TIME_LEN + 1, newest + TIME_LEN + 1,
		           TIME_LEN) > 0) {
			newest = rest;
			newest_len = len - (size_t)(rest - item);
		}
	}
	if (newest == NULL)
		return;
	out->completed_at = arena_strndup(a, newest, TIME_LEN);
	out->expires_at = arena_strndup(a, newest + TIME_LEN + 1, TIME_LEN);
	/* "true true", "true false", "false true" or "false false" */
	flags = newest + 2 * TIME_LEN + 2;
	out->valid = flags[0] == 't';
	out->expiring = newest_len > 2 * TIME_LEN + 2 + (out->valid ? 5 : 6) &&
	                flags[out->valid ? 5 : 6] == 't';
}

/* One of "completed", "expired", "in_progress", "not_started": the rule of
 * DOMAIN_STATUS_SQL (domain.h) on what the statement gave. */
static const char *
status_of(const struct module_list_progress *p)
{
	if (p->expires_at != NULL)
		return p->valid ? "completed" : "expired";
	return p->done > 0 ? "in_progress" : "not_started";
}

char *
module_list_item(struct arena *a, const struct module_list_entry *e,
                 const struct module_list_progress *p)
{
	char completed[TIME_LEN + 3] = "null", expires[TIME_LEN + 3] = "null";

	if (p->expires_at != NULL) {
		snprintf(completed, sizeof(completed), "\"%s\"",
		         p->completed_at);
		snprintf(expires, sizeof(expires), "\"%s\"", p->expires_at);
	}
	return arena_printf(a,
	                    "%s, \"progress\" : {\"sections_done\" : %d, "
	                    "\"sections_total\" : %zu, \"status\" : \"%s\", "
	                    "\"completed_at\" : %s, \"expires_at\" : %s, "
	                    "\"expiring_soon\" : %s}}",
	                    e->head, p->done, e->nsections, status_of(p),
	                    completed, expires,
	                    p->expires_at == NULL     ? "null"
	                    : p->valid && p->expiring ? "true"
	                                              : "false");
}

char *
module_list_join(struct arena *a, char *const *items, size_t n)
{
	size_t len = 3, at = 0;
	char  *out;

	for (size_t i = 0; i < n; i++)
		len += strlen(items[i]) + 2;
	out = arena_alloc(a, len);
	out[at++] = '[';
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(items[i]);

		if (i > 0) {
			memcpy(out + at, ", ", 2);
			at += 2;
		}
		memcpy(out + at, items[i], l);
		at += l;
	}
	out[at++] = ']';
	out[at] = '\0';
	return out;
}
