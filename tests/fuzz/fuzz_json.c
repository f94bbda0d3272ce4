/* Fuzz target: json_parse_object (every JSON request body) and the UTF-8
 * helpers of json.c. */

/*
 * Properties: an accepted body is an object nested at most JSON_MAX_DEPTH
 * deep (measured here with an explicit stack, not with json_depth), whose
 * keys and strings are valid UTF-8 without NUL, and which dumps and parses
 * back to an equal value; a body that jansson reads as such an object
 * without duplicate keys is accepted (no false refusals); a refusal comes
 * with a reason.  json_utf8_valid and json_utf8_chars agree with the
 * reference in fuzz_common.h on the raw input, and json_get_string counts
 * characters as they do.
 */
#include <jansson.h>

#include "arena.h"
#include "fuzz_common.h"
#include "json.h"

static struct arena arena;

struct item {
	json_t *v;
	int     depth; /* of the container holding v */
};

/* Pushes onto a growing stack; the input bounds its size. */
static void
push(struct item **st, size_t *top, size_t *cap, json_t *v, int depth)
{
	if (*top == *cap) {
		*cap = *cap == 0 ? 64 : *cap * 2;
		*st = realloc(*st, *cap * sizeof(**st));
		if (*st == NULL)
			abort();
	}
	(*st)[*top].v = v;
	(*st)[(*top)++].depth = depth;
}

/*
 * Depth of nested containers (0 for a scalar), with an explicit stack, and
 * checks every string and key on the way.
 */
static int
walk(json_t *root)
{
	struct item *st = NULL;
	size_t       top = 0, cap = 0;
	int          max = 0;

	push(&st, &top, &cap, root, 0);
	while (top > 0) {
		json_t     *v = st[--top].v;
		int         d = st[top].depth;
		const char *k;
		json_t     *child;
		size_t      i;

		if (json_is_string(v)) {
			FUZZ_CHECK(json_string_length(v) ==
			                   strlen(json_string_value(v)) &&
			               fuzz_str_utf8(json_string_value(v)),
			           "string with NUL or invalid UTF-8");
			continue;
		}
		if (!json_is_array(v) && !json_is_object(v))
			continue;
		d++;
		if (d > max)
			max = d;
		if (json_is_array(v)) {
			json_array_foreach (v, i, child)
				push(&st, &top, &cap, child, d);
		} else {
			json_object_foreach (v, k, child) {
				FUZZ_CHECK(fuzz_str_utf8(k), "key not UTF-8");
				push(&st, &top, &cap, child, d);
			}
		}
	}
	free(st);
	return max;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	const char *why = NULL;
	json_t     *v, *plain;
	bool        valid;

	if (!ready) {
		arena_init(&arena, 4096);
		ready = true;
	}

	/* The UTF-8 helpers on the raw bytes. */
	valid = fuzz_utf8_valid(data, size) && memchr(data, 0, size) == NULL;
	FUZZ_CHECK(json_utf8_valid((const char *)data, size) == valid,
	           "json_utf8_valid says %d, reference %d", !valid, valid);
	if (valid) {
		char *s = fuzz_cstr(data, size);

		FUZZ_CHECK(json_utf8_chars(s) == fuzz_utf8_count(s),
		           "json_utf8_chars %zu, reference %zu",
		           json_utf8_chars(s), fuzz_utf8_count(s));
		free(s);
	}

	v = json_parse_object(&arena, (const char *)data, size, &why);

	/* What jansson alone makes of it, for the false-refusal check. */
	plain =
	    json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (plain != NULL && json_is_object(plain) &&
	    walk(plain) <= JSON_MAX_DEPTH)
		FUZZ_CHECK(v != NULL, "a valid object of depth %d refused: %s",
		           walk(plain), why ? why : "(no reason)");
	json_decref(plain);

	if (v == NULL) {
		FUZZ_CHECK(why != NULL && *why != '\0',
		           "refused without reason");
	} else {
		int         depth = walk(v);
		char       *dump;
		json_t     *back;
		const char *k, *got;
		json_t     *child;

		FUZZ_CHECK(json_is_object(v), "not an object");
		FUZZ_CHECK(depth >= 1 && depth <= JSON_MAX_DEPTH,
		           "accepted an object nested %d deep", depth);
		FUZZ_CHECK(json_depth(v, JSON_MAX_DEPTH + 1) == depth,
		           "json_depth %d, reference %d",
		           json_depth(v, JSON_MAX_DEPTH + 1), depth);

		dump = json_dumps(v, JSON_COMPACT);
		FUZZ_CHECK(dump != NULL, "accepted value cannot be dumped");
		back = json_loads(dump, JSON_REJECT_DUPLICATES, NULL);
		FUZZ_CHECK(back != NULL && json_equal(v, back),
		           "dump does not parse back equal: %s", dump);
		json_decref(back);
		free(dump);

		/* Typed access by character count, on the top-level fields. */
		json_object_foreach (v, k, child) {
			enum json_field f = json_get_string(v, k, 2, 5, &got);

			if (json_is_null(child)) {
				FUZZ_CHECK(f == JSON_FIELD_MISSING,
				           "null field");
			} else if (!json_is_string(child)) {
				FUZZ_CHECK(f == JSON_FIELD_WRONG_TYPE, "type");
			} else {
				size_t n =
				    fuzz_utf8_count(json_string_value(child));

				FUZZ_CHECK(f == (n > 5   ? JSON_FIELD_TOO_LONG
				                 : n < 2 ? JSON_FIELD_TOO_SHORT
				                         : JSON_FIELD_OK),
				           "json_get_string %d for %zu chars",
				           (int)f, n);
				FUZZ_CHECK((f == JSON_FIELD_OK) ==
				               (got != NULL),
				           "out set on error");
			}
		}
	}

	arena_reset(&arena);
	return 0;
}
