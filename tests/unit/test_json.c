/* Unit tests of body parsing limits and typed getters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static char *
nested(int depth)
{
	char *s = malloc((size_t)depth * 2 + 16);
	int   o = 0;

	o += sprintf(s + o, "{\"a\":");
	for (int i = 1; i < depth; i++)
		s[o++] = '[';
	s[o++] = '1';
	for (int i = 1; i < depth; i++)
		s[o++] = ']';
	s[o++] = '}';
	s[o] = '\0';
	return s;
}

static void
test_parse_object(void **state)
{
	static const struct {
		const char *body;
		int         ok;
	} cases[] = {
	    {"{\"a\":1}", 1},
	    {"{}", 1},
	    {"{\"a\":1,\"a\":2}", 0}, /* duplicate key */
	    {"[1]", 0},               /* not an object */
	    {"1", 0},
	    {"{\"a\":\"\\u0000\"}", 0}, /* NUL */
	    {"{\"a\":\"\\ud800\"}", 0}, /* lone surrogate */
	    {"{\"a\":1} x", 0},
	    {"{\"a\":", 0},
	    {"\xef\xbb\xbf{}", 0},       /* BOM */
	    {"{\"a\":\"\xc0\xaf\"}", 0}, /* overlong UTF-8 */
	    {"{\"a\":\"\xff\"}", 0},
	    {"{\"a\":NaN}", 0},
	    {"{\"a\":99999999999999999999999}", 0},
	};
	struct arena a;
	const char  *why;

	(void)state;
	arena_init(&a, 1024);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *v = json_parse_object(&a, cases[i].body,
		                              strlen(cases[i].body), &why);

		if ((v != NULL) != cases[i].ok)
			fail_msg("case %zu (%s): parsed=%d", i, cases[i].body,
			         v != NULL);
	}
	assert_null(json_parse_object(&a, "", 0, &why));
	assert_null(json_parse_object(&a, NULL, 0, &why));
	arena_destroy(&a);
}

static void
test_depth_limit(void **state)
{
	struct arena a;
	const char  *why;
	char *ok = nested(JSON_MAX_DEPTH), *deep = nested(JSON_MAX_DEPTH + 1);
	char *very = nested(3000);

	(void)state;
	arena_init(&a, 1024);
	assert_non_null(json_parse_object(&a, ok, strlen(ok), &why));
	assert_null(json_parse_object(&a, deep, strlen(deep), &why));
	assert_null(json_parse_object(&a, very, strlen(very), &why));
	arena_destroy(&a);
	free(ok);
	free(deep);
	free(very);
}

static void
test_get_string(void **state)
{
	json_t *o = json_pack("{s:s, s:i, s:s, s:n}", "name", "Zoë", "n", 5,
	                      "long", "abcdef", "null");
	const char *s;

	(void)state;
	assert_int_equal(json_get_string(o, "name", 1, 3, &s), JSON_FIELD_OK);
	assert_string_equal(s, "Zoë");
	assert_int_equal(json_get_string(o, "n", 1, 10, &s),
	                 JSON_FIELD_WRONG_TYPE);
	assert_int_equal(json_get_string(o, "missing", 1, 10, &s),
	                 JSON_FIELD_MISSING);
	assert_int_equal(json_get_string(o, "null", 1, 10, &s),
	                 JSON_FIELD_MISSING);
	assert_int_equal(json_get_string(o, "long", 1, 5, &s),
	                 JSON_FIELD_TOO_LONG);
	assert_int_equal(json_get_string(o, "long", 7, 10, &s),
	                 JSON_FIELD_TOO_SHORT);
	json_decref(o);
}

static void
test_utf8(void **state)
{
	(void)state;
	assert_true(json_utf8_valid("abc", 3));
	assert_true(json_utf8_valid("Zo\xc3\xab", 4));
	assert_true(json_utf8_valid("\xf0\x9f\x98\x80", 4));
	assert_false(json_utf8_valid("\xc3", 1));
	assert_false(json_utf8_valid("\xc0\xaf", 2));
	assert_false(json_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	assert_false(json_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_false(json_utf8_valid("a\0b", 3));
	assert_int_equal(json_utf8_chars("Zo\xc3\xab"), 3);
}

/* The arena holds one reference of a value handed to it and drops it at
 * the reset, so that a request's JSON needs no json_decref; NULL (a failed
 * constructor) is passed through.  An extra reference held here shows the
 * count before and after the reset; memory handed over with arena_adopt()
 * is freed at the reset (LeakSanitizer would report it otherwise). */
static void
test_arena_json(void **state)
{
	struct arena a;
	json_t      *v = json_pack("{s:[i,i]}", "a", 1, 2);
	json_t      *inner;
	char        *raw = malloc(64);

	(void)state;
	arena_init(&a, 256);
	assert_non_null(v);
	json_incref(v);
	assert_int_equal(v->refcount, 2);
	assert_ptr_equal(arena_json(&a, v), v);
	assert_null(arena_json(&a, NULL));
	inner = json_object_get(v, "a");
	assert_int_equal(inner->refcount, 1);
	assert_ptr_equal(arena_adopt(&a, raw), raw);
	assert_null(arena_adopt(&a, NULL));
	/* Still alive until the reset. */
	assert_int_equal(v->refcount, 2);
	arena_reset(&a);
	assert_int_equal(v->refcount, 1);
	json_decref(v);
	/* A value the arena holds alone goes at the reset, children too. */
	arena_json(&a, json_pack("{s:s}", "k", "v"));
	arena_destroy(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_object),
	    cmocka_unit_test(test_depth_limit),
	    cmocka_unit_test(test_get_string),
	    cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_arena_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
