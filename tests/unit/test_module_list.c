/* Unit tests of the module list (module_list.c): progress from the caller's
 * texts, and the bytes of PostgreSQL's json_agg(json_build_object(...)). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "module_list.h"

#define HEAD_A "{\"slug\" : \"a\", \"version\" : 2}"
#define HEAD_B "{\"slug\" : \"b\", \"version\" : 1}"

static void
test_cache(void **state)
{
	struct module_list_cache        cache;
	const struct module_list_entry *e;

	(void)state;
	memset(&cache, 0, sizeof(cache));
	assert_null(module_list_cache_find(&cache, 7, 2));
	e = module_list_cache_add(&cache, 7, 2, HEAD_A, "s1,s2,s3");
	assert_non_null(e);
	assert_int_equal(e->nsections, 3);
	assert_string_equal(e->sections[2], "s3");
	/* The closing brace is left for "progress". */
	assert_string_equal(e->head, "{\"slug\" : \"a\", \"version\" : 2");
	assert_ptr_equal(module_list_cache_find(&cache, 7, 2), e);
	assert_null(module_list_cache_find(&cache, 7, 3));
	/* A new version replaces the old one. */
	e = module_list_cache_add(&cache, 7, 3, HEAD_A, NULL);
	assert_non_null(e);
	assert_int_equal(e->nsections, 0);
	assert_null(module_list_cache_find(&cache, 7, 2));
	assert_non_null(module_list_cache_find(&cache, 7, 3));
	/* Not an object's text: refused. */
	assert_null(module_list_cache_add(&cache, 8, 1, "[1]", "x"));
	/* More modules than entries recycle them. */
	for (long long id = 100; id < 100 + 2 * MODULE_LIST_CACHE_SIZE; id++)
		assert_non_null(
		    module_list_cache_add(&cache, id, 1, HEAD_B, "x,y"));
	assert_non_null(module_list_cache_find(
	    &cache, 100 + 2 * MODULE_LIST_CACHE_SIZE - 1, 1));
	module_list_cache_free(&cache);
	assert_null(module_list_cache_find(&cache, 7, 3));
}

static void
test_progress(void **state)
{
	struct module_list_cache        cache;
	const struct module_list_entry *a, *b;
	struct module_list_progress     p;
	struct arena                    ar;

	(void)state;
	memset(&cache, 0, sizeof(cache));
	arena_init(&ar, 4096);
	a = module_list_cache_add(&cache, 7, 2, HEAD_A, "s1,s2,s3");
	b = module_list_cache_add(&cache, 17, 1, HEAD_B, "s1");
	/* Only the module's own active sections count: "old" left the
	 * content, s1 of module 17 is another module's, 77 is not 7. */
	module_list_progress(&ar, a, "7 s1,17 s1,7 old,7 s3,77 s2", NULL, &p);
	assert_int_equal(p.done, 2);
	assert_null(p.expires_at);
	/* The newest certificate is the one that expires last, whatever the
	 * order; its flags as PostgreSQL writes booleans. */
	module_list_progress(&ar, a, NULL,
	                     "7 2020-01-01T00:00:00Z 2022-01-01T00:00:00Z "
	                     "false false,"
	                     "17 2026-01-01T00:00:00Z 2028-01-01T00:00:00Z "
	                     "true false,"
	                     "7 2024-05-01T10:11:12Z 2027-01-31T23:59:59Z "
	                     "true true,"
	                     "7 2023-01-01T00:00:00Z 2025-01-01T00:00:00Z "
	                     "false true",
	                     &p);
	assert_int_equal(p.done, 0);
	assert_string_equal(p.completed_at, "2024-05-01T10:11:12Z");
	assert_string_equal(p.expires_at, "2027-01-31T23:59:59Z");
	assert_true(p.valid);
	assert_true(p.expiring);
	module_list_progress(&ar, b, "17 s1",
	                     "17 2020-01-01T00:00:00Z 2022-01-01T00:00:00Z "
	                     "false true",
	                     &p);
	assert_int_equal(p.done, 1);
	assert_false(p.valid);
	assert_true(p.expiring);
	/* A broken item is skipped, not read past its end. */
	module_list_progress(&ar, b, "17,x,17 ", "17 2020,17", &p);
	assert_int_equal(p.done, 0);
	assert_null(p.expires_at);
	module_list_cache_free(&cache);
	arena_destroy(&ar);
}

static void
test_render(void **state)
{
	struct module_list_cache        cache;
	const struct module_list_entry *e[2];
	struct module_list_progress     p[2];
	struct arena                    ar;
	char                           *out, *items[2];

	(void)state;
	memset(&cache, 0, sizeof(cache));
	arena_init(&ar, 4096);
	e[0] = module_list_cache_add(&cache, 7, 2, HEAD_A, "s1,s2,s3");
	e[1] = module_list_cache_add(&cache, 17, 1, HEAD_B, "s1");
	module_list_progress(&ar, e[0], "7 s1", NULL, &p[0]);
	module_list_progress(&ar, e[1], NULL,
	                     "17 2024-05-01T10:11:12Z 2027-01-31T23:59:59Z "
	                     "true false",
	                     &p[1]);
	items[0] = module_list_item(&ar, e[0], &p[0]);
	items[1] = module_list_item(&ar, e[1], &p[1]);
	out = module_list_join(&ar, items, 2);
	/* What json_agg(json_build_object(...)) wrote for the same rows. */
	assert_string_equal(
	    out, "[{\"slug\" : \"a\", \"version\" : 2, \"progress\" : "
	         "{\"sections_done\" : 1, \"sections_total\" : 3, \"status\" : "
	         "\"in_progress\", \"completed_at\" : null, \"expires_at\" : "
	         "null, \"expiring_soon\" : null}}, "
	         "{\"slug\" : \"b\", \"version\" : 1, \"progress\" : "
	         "{\"sections_done\" : 0, \"sections_total\" : 1, \"status\" : "
	         "\"completed\", \"completed_at\" : \"2024-05-01T10:11:12Z\", "
	         "\"expires_at\" : \"2027-01-31T23:59:59Z\", "
	         "\"expiring_soon\" : false}}]");
	/* An expired certificate: "expired", and not expiring soon. */
	module_list_progress(&ar, e[1], "17 s1",
	                     "17 2020-01-01T00:00:00Z 2022-01-01T00:00:00Z "
	                     "false true",
	                     &p[1]);
	items[0] = module_list_item(&ar, e[1], &p[1]);
	out = module_list_join(&ar, items, 1);
	assert_non_null(strstr(out, "\"status\" : \"expired\""));
	assert_non_null(strstr(out, "\"expiring_soon\" : false}}]"));
	/* No module: an empty list, as coalesce(..., '[]') gave. */
	assert_string_equal(module_list_join(&ar, items, 0), "[]");
	module_list_cache_free(&cache);
	arena_destroy(&ar);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cache),
	    cmocka_unit_test(test_progress),
	    cmocka_unit_test(test_render),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
