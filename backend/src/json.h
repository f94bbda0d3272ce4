/* jansson helpers: bounded parsing of request bodies and typed field access. */
#ifndef JSON_H
#define JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

#define JSON_MAX_DEPTH 32

/*
 * Parses a request body that must be one JSON object: valid UTF-8, no
 * duplicate keys, nesting at most JSON_MAX_DEPTH.  Returns the object, owned
 * by the arena (decref'd at reset), or NULL with a short reason in *why.
 */
json_t *json_parse_object(struct arena *a, const char *buf, size_t len,
                          const char **why);

/* How deep containers nest in a value: 0 for a scalar, 1 for {"a":1}.
 * Stops counting past `limit` so that walking it stays bounded. */
int json_depth(const json_t *v, int limit);

enum json_field {
	JSON_FIELD_OK,
	JSON_FIELD_MISSING,
	JSON_FIELD_WRONG_TYPE,
	JSON_FIELD_TOO_LONG,
	JSON_FIELD_TOO_SHORT,
};

/*
 * Reads string field `key` of `obj` into *out (borrowed from obj).  Length
 * is counted in UTF-8 characters and must lie in [min, max].
 */
enum json_field json_get_string(const json_t *obj, const char *key, size_t min,
                                size_t max, const char **out);

/* The number of UTF-8 characters of a valid UTF-8 string. */
size_t json_utf8_chars(const char *s);

/* True when s[0..len) is valid UTF-8 without NUL bytes. */
bool json_utf8_valid(const char *s, size_t len);

/*
 * Hands a reference to the arena: json_decref(v) runs at the next reset, so
 * that a request's JSON, like its memory, needs no free.  Returns v; NULL
 * (a failed jansson constructor) is passed through and needs nothing.
 */
json_t *arena_json(struct arena *a, json_t *v);

/* Dumps a value compactly into the arena. */
char *json_dump_arena(struct arena *a, const json_t *v);

#endif
