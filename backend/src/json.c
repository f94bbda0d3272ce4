/* jansson helpers: bounded parsing of request bodies and typed field access. */
#include "json.h"

#include <stdlib.h>
#include <string.h>

static void decref_cb(void *p);

static void
decref_cb(void *p)
{
	json_decref(p);
}

json_t *
arena_json(struct arena *a, json_t *v)
{
	return arena_on_reset(a, decref_cb, v);
}

int
json_depth(const json_t *v, int limit)
{
	int         max = 0, d;
	size_t      i;
	const char *k;
	json_t     *child;

	if (!json_is_array(v) && !json_is_object(v))
		return 0;
	if (limit <= 0)
		return 1;
	if (json_is_array(v)) {
		json_array_foreach (v, i, child) {
			d = json_depth(child, limit - 1);
			if (d > max)
				max = d;
			if (max >= limit)
				break;
		}
	} else if (json_is_object(v)) {
		json_object_foreach ((json_t *)v, k, child) {
			d = json_depth(child, limit - 1);
			if (d > max)
				max = d;
			if (max >= limit)
				break;
		}
	}
	return max + 1;
}

json_t *
json_parse_object(struct arena *a, const char *buf, size_t len,
                  const char **why)
{
	json_error_t err;
	json_t      *v;

	if (buf == NULL || len == 0) {
		*why = "empty body";
		return NULL;
	}
	v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (v == NULL) {
		*why = arena_strdup(a, err.text);
		return NULL;
	}
	arena_json(a, v);
	if (!json_is_object(v)) {
		*why = "body is not a JSON object";
		return NULL;
	}
	if (json_depth(v, JSON_MAX_DEPTH + 1) > JSON_MAX_DEPTH) {
		*why = "nesting deeper than 32";
		return NULL;
	}
	return v;
}

size_t
json_utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

bool
json_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		unsigned c = *p;
		size_t   n;
		unsigned cp;

		if (c == 0)
			return false;
		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if ((size_t)(end - p) <= n)
			return false;
		for (size_t i = 1; i <= n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		/* Overlong forms, surrogates and values past U+10FFFF. */
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		p += n + 1;
	}
	return true;
}

enum json_field
json_get_string(const json_t *obj, const char *key, size_t min, size_t max,
                const char **out)
{
	json_t *v = json_object_get(obj, key);
	size_t  n;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return JSON_FIELD_MISSING;
	if (!json_is_string(v))
		return JSON_FIELD_WRONG_TYPE;
	/* jansson strings may hold NUL only with JSON_ALLOW_NUL, which we
	 * never pass, so strlen is the length. */
	n = json_utf8_chars(json_string_value(v));
	if (n > max)
		return JSON_FIELD_TOO_LONG;
	if (n < min)
		return JSON_FIELD_TOO_SHORT;
	*out = json_string_value(v);
	return JSON_FIELD_OK;
}

char *
json_dump_arena(struct arena *a, const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	char *copy;

	if (s == NULL)
		return NULL;
	copy = arena_strdup(a, s);
	free(s);
	return copy;
}
