/* Unit tests of the pre-rendered module page (module_page.c): the same bytes
 * as the page built and dumped with jansson, as store/modules.c did. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "module_page.h"

/* The page as it was built before module_page.c: a copy of the content, each
 * section with "done" added, "certificate" at the end, json_dumps. */
static char *
page_with_jansson(const json_t *content, const json_t *done,
                  const json_t *certificate)
{
	json_t *page = json_copy((json_t *)content), *sections = json_array(),
	       *sec;
	size_t i;
	char  *s;

	json_array_foreach (json_object_get(content, "sections"), i, sec) {
		json_t     *c = json_copy(sec);
		const char *sid = json_string_value(json_object_get(sec, "id"));
		bool        is_done = false;
		size_t      j;
		json_t     *d;

		json_array_foreach (done, j, d)
			if (sid && strcmp(json_string_value(d), sid) == 0)
				is_done = true;
		json_object_set_new(c, "done", json_boolean(is_done));
		json_array_append_new(sections, c);
	}
	json_object_set_new(page, "sections", sections);
	json_object_set_new(page, "certificate",
	                    certificate ? json_deep_copy(certificate)
	                                : json_null());
	s = json_dumps(page, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(page);
	return s;
}

static json_t *
load(const char *text)
{
	json_t *v = json_loads(text, 0, NULL);

	assert_non_null(v);
	return v;
}

/* Contents in the shape of the statement module_content, and odd ones. */
static const char *const contents[] = {
    "{\"slug\":\"signalen\",\"title\":\"Signalen herkennen\","
    "\"summary\":\"Wat zie je \\u00e9n wat doe je? \\\"Quotes\\\", \\\\, "
    "\\n, \\t, \\u0001, \\ud83d\\ude00 en </script>\",\"version\":3,"
    "\"estimated_minutes\":45,\"validity_months\":24,"
    "\"sections\":[{\"id\":\"intro\",\"title\":\"Inleiding\","
    "\"html\":\"<p>Hallo &amp; welkom</p>\\n<p>\\\"done\\\":true}</p>\","
    "\"scenario\":null},{\"id\":\"gesprek\",\"title\":\"Het gesprek\","
    "\"html\":\"<p>Oefen</p>\",\"scenario\":{\"id\":7,\"slug\":\"gesprek-1\"}},"
    "{\"id\":\"meldcode\",\"title\":\"De meldcode\",\"html\":\"\","
    "\"scenario\":null}],"
    "\"quiz\":{\"pass_mark\":80,\"questions\":[{\"id\":\"q1\",\"text\":\"Wat?"
    "\","
    "\"multiple\":false,\"choices\":[{\"id\":\"a\",\"text\":\"Dit\"},"
    "{\"id\":\"b\",\"text\":\"Dat\"}]},{\"id\":\"q2\",\"text\":\"En?\","
    "\"multiple\":true,\"choices\":null}]}}",
    /* No sections, no quiz questions. */
    "{\"slug\":\"leeg\",\"title\":\"Leeg\",\"summary\":null,\"version\":1,"
    "\"estimated_minutes\":0,\"validity_months\":null,\"sections\":[],"
    "\"quiz\":{\"pass_mark\":0,\"questions\":[]}}",
    /* "sections" first, and last; reals, a section without id, an empty
     * section object. */
    "{\"sections\":[{\"id\":\"a\",\"x\":1.5}],\"y\":-2.25e-7,\"z\":[true,false]"
    "}",
    "{\"a\":1,\"sections\":[{\"title\":\"no "
    "id\"},{},{\"id\":\"b\"},{\"id\":5}]}",
};

static const char *const dones[] = {
    "[]",
    "[\"intro\"]",
    "[\"meldcode\",\"intro\",\"gesprek\"]",
    "[\"onbekend\",\"gesprek\",\"a\",\"b\"]",
};

static const char *const certificates[] = {
    NULL,
    "{\"code\" : \"Ab-_0123456789abcdefgh\", \"issued_at\" : "
    "\"2026-01-02T03:04:05Z\", \"expires_at\" : \"2028-01-02T03:04:05Z\", "
    "\"valid\" : true}",
};

static void
test_same_bytes(void **state)
{
	struct arena a;
	size_t       c, d, k;

	(void)state;
	arena_init(&a, 1024);
	for (c = 0; c < sizeof(contents) / sizeof(contents[0]); c++) {
		json_t            *content = load(contents[c]);
		struct module_page page;

		assert_int_equal(module_page_build(&page, content), 0);
		for (d = 0; d < sizeof(dones) / sizeof(dones[0]); d++) {
			json_t *done = load(dones[d]);

			for (k = 0;
			     k < sizeof(certificates) / sizeof(certificates[0]);
			     k++) {
				json_t *cert = certificates[k]
				                   ? load(certificates[k])
				                   : NULL;
				char   *want =
				    page_with_jansson(content, done, cert);
				char *got =
				    module_page_render(&a, &page, done, cert);
				json_t *parsed;

				assert_non_null(want);
				assert_non_null(got);
				assert_string_equal(got, want);
				parsed = json_loads(got, 0, NULL);
				assert_non_null(parsed);
				json_decref(parsed);
				free(want);
				json_decref(cert);
			}
			json_decref(done);
		}
		module_page_free(&page);
		module_page_free(&page); /* an empty page may be freed again */
		json_decref(content);
		arena_reset(&a);
	}
	arena_destroy(&a);
}

static void
test_done_flags(void **state)
{
	struct arena       a;
	struct module_page page;
	json_t *content = load(contents[0]), *done = load("[\"gesprek\"]");
	char   *got;

	(void)state;
	arena_init(&a, 1024);
	assert_int_equal(module_page_build(&page, content), 0);
	assert_int_equal(page.nsections, 3);
	got = module_page_render(&a, &page, done, NULL);
	assert_non_null(strstr(
	    got, "\"scenario\":null,\"done\":false},{\"id\":\"gesprek\""));
	assert_non_null(strstr(got, "\"slug\":\"gesprek-1\"},\"done\":true}"));
	assert_non_null(strstr(got, "},\"certificate\":null}"));
	/* No done list at all: nothing is done. */
	got = module_page_render(&a, &page, NULL, NULL);
	assert_null(strstr(got, "\"done\":true"));
	module_page_free(&page);
	json_decref(done);
	json_decref(content);
	arena_destroy(&a);
}

static void
test_other_shapes(void **state)
{
	static const char *const bad[] = {
	    "[]",
	    "{\"slug\":\"x\"}",                              /* no sections */
	    "{\"sections\":{}}",                             /* not an array */
	    "{\"sections\":[1]}",                            /* not an object */
	    "{\"sections\":[{\"id\":\"a\",\"done\":true}]}", /* has "done" */
	    "{\"sections\":[],\"certificate\":null}", /* has "certificate" */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t            *content = load(bad[i]);
		struct module_page page;

		assert_int_equal(module_page_build(&page, content), -1);
		assert_null(page.head);
		assert_null(page.sections);
		module_page_free(&page);
		json_decref(content);
	}
}

/* The worker's cache (module_page_cache_*) keeps one page per slug: a new
 * version replaces the old one, a miss is NULL, content that is not a page
 * is refused; the caller's page puts "quiz_state" last. */
static void
test_cache_and_caller_page(void **state)
{
	static struct module_page_cache cache;
	const char *v1 = "{\"slug\":\"a\",\"sections\":[{\"id\":\"s1\"}]}";
	const char *v2 = "{\"slug\":\"a\",\"title\":\"T\",\"sections\":"
	                 "[{\"id\":\"s1\"},{\"id\":\"s2\"}]}";
	const struct module_page *p1, *p2;
	struct arena              a;
	char                     *out;

	(void)state;
	arena_init(&a, 1024);
	assert_null(module_page_cache_find(&cache, "a", 1));
	p1 = module_page_cache_add(&cache, "a", 1, v1);
	assert_non_null(p1);
	assert_ptr_equal(module_page_cache_find(&cache, "a", 1), p1);
	assert_null(module_page_cache_find(&cache, "a", 2));
	assert_null(module_page_cache_find(&cache, "b", 1));
	assert_null(module_page_cache_add(&cache, "b", 1, "[1,2]"));
	assert_null(module_page_cache_add(&cache, "b", 1, "not json"));
	p2 = module_page_cache_add(&cache, "a", 2, v2);
	assert_non_null(p2);
	/* The slug's entry was replaced, not a second one added. */
	assert_null(module_page_cache_find(&cache, "a", 1));
	assert_ptr_equal(module_page_cache_find(&cache, "a", 2), p2);
	out = module_page_for_caller(
	    &a, p2, "[\"s2\"]", NULL,
	    "{\"paused_until\" : null, \"open_attempt_expires_at\" : null}");
	assert_string_equal(
	    out,
	    "{\"slug\":\"a\",\"title\":\"T\",\"sections\":["
	    "{\"id\":\"s1\",\"done\":false},{\"id\":\"s2\",\"done\":true}],"
	    "\"certificate\":null,\"quiz_state\":{\"paused_until\":null,"
	    "\"open_attempt_expires_at\":null}}");
	out = module_page_for_caller(&a, p2, "[]", "{\"code\":\"X\"}", "{}");
	assert_string_equal(out,
	                    "{\"slug\":\"a\",\"title\":\"T\",\"sections\":["
	                    "{\"id\":\"s1\",\"done\":false},"
	                    "{\"id\":\"s2\",\"done\":false}],"
	                    "\"certificate\":{\"code\":\"X\"},"
	                    "\"quiz_state\":{}}");
	/* A broken part of the caller is an error, not a page. */
	assert_null(module_page_for_caller(&a, p2, "[", NULL, "{}"));
	module_page_cache_free(&cache);
	assert_null(module_page_cache_find(&cache, "a", 2));
	arena_destroy(&a);
}

/* The tag follows every part of the caller's page and the version, and
 * nothing else. */
static void
test_etag(void **state)
{
	struct arena a;
	const char  *cert = "{\"code\":\"X\"}";
	char        *t;

	(void)state;
	arena_init(&a, 4096);
	t = module_page_etag(&a, 3, "[\"s1\"]", cert, "{}");
	assert_true(t[0] == '"' && strncmp(t, "\"v3-", 4) == 0);
	assert_string_equal(t, module_page_etag(&a, 3, "[\"s1\"]", cert, "{}"));
	assert_string_not_equal(
	    t, module_page_etag(&a, 4, "[\"s1\"]", cert, "{}"));
	assert_string_not_equal(t, module_page_etag(&a, 3, "[]", cert, "{}"));
	assert_string_not_equal(
	    t, module_page_etag(&a, 3, "[\"s1\"]", NULL, "{}"));
	assert_string_not_equal(
	    t, module_page_etag(&a, 3, "[\"s1\"]", "{\"code\":\"Y\"}", "{}"));
	assert_string_not_equal(
	    t, module_page_etag(&a, 3, "[\"s1\"]", cert, "{\"p\":1}"));
	/* The parts are kept apart: moving text from one to the next is
	 * another tag. */
	assert_string_not_equal(module_page_etag(&a, 1, "ab", "c", "{}"),
	                        module_page_etag(&a, 1, "a", "bc", "{}"));
	arena_destroy(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_bytes),
	    cmocka_unit_test(test_done_flags),
	    cmocka_unit_test(test_other_shapes),
	    cmocka_unit_test(test_cache_and_caller_page),
	    cmocka_unit_test(test_etag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
