/* Unit tests of request parsing: cookies, bearer tokens, query strings,
 * content types, content length, and the error body. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "http.h"

static struct arena a;

static int
setup(void **state)
{
	(void)state;
	arena_init(&a, 4096);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	arena_destroy(&a);
	return 0;
}

static void
test_cookie(void **state)
{
	static const struct {
		const char *header, *name, *want;
	} cases[] = {
		{"session=abc", "session", "abc"},
		{"a=1; session=abc; b=2", "session", "abc"},
		{"a=1;session=abc", "session", "abc"},
		{"xsession=abc", "session", NULL},
		{"session_x=abc", "session", NULL},
		{"session=\"q\"", "session", "q"},
		{"session=", "session", NULL},
		{"", "session", NULL},
		{"__Host-session=t; session=u", "__Host-session", "t"},
		{"__Host-session=t; session=u", "session", "u"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = http_cookie_get(&a, cases[i].header, cases[i].name);

		if (cases[i].want == NULL)
			assert_null(got);
		else
			assert_string_equal(got, cases[i].want);
	}
	assert_null(http_cookie_get(&a, NULL, "session"));
}

static void
test_bearer(void **state)
{
	(void)state;
	assert_string_equal(http_bearer_token(&a, "Bearer abc.def.ghi"),
	                    "abc.def.ghi");
	assert_string_equal(http_bearer_token(&a, "bearer  x"), "x");
	assert_null(http_bearer_token(&a, "Basic abc"));
	assert_null(http_bearer_token(&a, "Bearer "));
	assert_null(http_bearer_token(&a, NULL));
}

static void
test_query(void **state)
{
	(void)state;
	assert_string_equal(http_query_get(&a, "format=csv", "format"), "csv");
	assert_string_equal(http_query_get(&a, "a=1&format=c%53v", "format"),
	                    "cSv");
	assert_string_equal(http_query_get(&a, "q=a+b", "q"), "a b");
	assert_string_equal(http_query_get(&a, "flag", "flag"), "");
	assert_null(http_query_get(&a, "formats=csv", "format"));
	assert_null(http_query_get(&a, "q=%00", "q"));
	assert_null(http_query_get(&a, "q=%zz", "q"));
	assert_null(http_query_get(&a, "q=%4", "q"));
	assert_null(http_query_get(&a, "", "q"));
}

static void
test_json_type(void **state)
{
	(void)state;
	assert_true(http_is_json_type("application/json"));
	assert_true(http_is_json_type("application/json; charset=utf-8"));
	assert_true(http_is_json_type("Application/JSON"));
	assert_false(http_is_json_type("application/jsonx"));
	assert_false(http_is_json_type("text/plain"));
	assert_false(http_is_json_type("application/x-www-form-urlencoded"));
	assert_false(http_is_json_type(NULL));
}

static void
test_content_length(void **state)
{
	(void)state;
	assert_int_equal(http_parse_content_length(NULL), -1);
	assert_int_equal(http_parse_content_length(""), -1);
	assert_int_equal(http_parse_content_length("0"), 0);
	assert_int_equal(http_parse_content_length("1048576"), 1048576);
	assert_int_equal(http_parse_content_length("-1"), -2);
	assert_int_equal(http_parse_content_length("12abc"), -2);
	assert_int_equal(http_parse_content_length(" 12"), -2);
	assert_int_equal(http_parse_content_length("99999999999999999999999"), -2);
}

static void
test_error_shape(void **state)
{
	struct request  r;
	struct response res;
	json_t         *v, *fields = json_object();

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(&res, 0, sizeof(res));
	r.arena = &a;
	json_object_set_new(fields, "email", json_string("bad"));
	http_error_full(&r, &res, 400, "validation_failed", "Fout \"x\"", fields,
	                NULL);
	assert_int_equal(res.status, 400);
	assert_string_equal(res.content_type, "application/json; charset=utf-8");
	v = json_loadb(res.body, res.body_len, 0, NULL);
	assert_non_null(v);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(v, "error"), "code")),
	                    "validation_failed");
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(json_object_get(v, "error"),
	                                        "fields"), "email")),
	                    "bad");
	json_decref(v);
}

static void
test_header_injection(void **state)
{
	struct request  r;
	struct response res;

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(&res, 0, sizeof(res));
	r.arena = &a;
	assert_int_equal(http_header_add(&r, &res, "X-A", "a\r\nSet-Cookie: x"), 0);
	assert_null(strchr(res.headers[0].value, '\n'));
	assert_null(strchr(res.headers[0].value, '\r'));
	for (int i = 1; i < HTTP_MAX_HEADERS; i++)
		assert_int_equal(http_header_add(&r, &res, "X", "y"), 0);
	assert_int_equal(http_header_add(&r, &res, "X", "overflow"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_bearer),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_json_type),
		cmocka_unit_test(test_content_length),
		cmocka_unit_test(test_error_shape),
		cmocka_unit_test(test_header_injection),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
