/* Unit tests of route matching and role bits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "router.h"

static void dummy(struct request *r, struct response *res);

static void
dummy(struct request *r, struct response *res)
{
	(void)r;
	(void)res;
}

static const struct route table[] = {
	{"GET", "/api/v1/modules", dummy, ROLE_ANY, 0, 0},
	{"GET", "/api/v1/modules/{}", dummy, ROLE_ANY, 0, 0},
	{"PUT", "/api/v1/modules/{}/sections/{}", dummy, ROLE_ANY, 0, 0},
	{"POST", "/api/v1/modules/{}/attempts", dummy, ROLE_ANY, 0, 0},
	{"DELETE", "/api/v1/modules/{}/sections/{}", dummy, ROLE_ANY, 0, 0},
};

struct case_ {
	const char        *method, *path;
	enum router_result want;
	int                route;       /* index in table when found */
	const char        *p0, *p1;
	const char        *allow;
};

static const struct case_ cases[] = {
	{"GET", "/api/v1/modules", ROUTER_FOUND, 0, NULL, NULL, NULL},
	{"GET", "/api/v1/modules/x", ROUTER_FOUND, 1, "x", NULL, NULL},
	{"PUT", "/api/v1/modules/m/sections/s1", ROUTER_FOUND, 2, "m", "s1", NULL},
	{"POST", "/api/v1/modules/m/attempts", ROUTER_FOUND, 3, "m", NULL, NULL},
	{"GET", "/api/v1/modules/", ROUTER_NOT_FOUND, 0, NULL, NULL, NULL},
	{"GET", "/api/v1/modules/a/b", ROUTER_NOT_FOUND, 0, NULL, NULL, NULL},
	{"GET", "/api/v1/modulesx", ROUTER_NOT_FOUND, 0, NULL, NULL, NULL},
	{"GET", "/api/v1", ROUTER_NOT_FOUND, 0, NULL, NULL, NULL},
	{"GET", "", ROUTER_NOT_FOUND, 0, NULL, NULL, NULL},
	{"GET", "/api/v1/modules/m/sections/s1", ROUTER_METHOD_NOT_ALLOWED, 0,
	 NULL, NULL, "PUT, DELETE"},
	{"DELETE", "/api/v1/modules", ROUTER_METHOD_NOT_ALLOWED, 0, NULL, NULL,
	 "GET"},
	{"GET", "/api/v1/modules//sections/s", ROUTER_NOT_FOUND, 0, NULL, NULL,
	 NULL},
};

static void
test_match_table(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 1024);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct case_ *c = &cases[i];
		const struct route *found = NULL;
		const char         *params[HTTP_MAX_PARAMS] = {0};
		const char         *allow = NULL;
		int                 n = 0;
		enum router_result  got;

		got = router_match(table, sizeof(table) / sizeof(table[0]), &a,
		                   c->method, c->path, &found, params, &n, &allow);
		if (got != c->want)
			fail_msg("case %zu (%s %s): got %d want %d", i, c->method,
			         c->path, got, c->want);
		if (got == ROUTER_FOUND) {
			assert_ptr_equal(found, &table[c->route]);
			if (c->p0)
				assert_string_equal(params[0], c->p0);
			if (c->p1)
				assert_string_equal(params[1], c->p1);
		}
		if (got == ROUTER_METHOD_NOT_ALLOWED)
			assert_string_equal(allow, c->allow);
	}
	arena_destroy(&a);
}

static void
test_segment_limit(void **state)
{
	struct arena        a;
	char                path[400];
	const struct route *found;
	const char         *params[HTTP_MAX_PARAMS];
	int                 n;

	(void)state;
	arena_init(&a, 1024);
	strcpy(path, "/api/v1/modules/");
	memset(path + strlen(path), 'a', ROUTER_MAX_SEGMENT + 1);
	path[16 + ROUTER_MAX_SEGMENT + 1] = '\0';
	assert_int_equal(router_match(table, 5, &a, "GET", path, &found, params,
	                              &n, NULL),
	                 ROUTER_NOT_FOUND);
	path[16 + ROUTER_MAX_SEGMENT] = '\0';
	assert_int_equal(router_match(table, 5, &a, "GET", path, &found, params,
	                              &n, NULL),
	                 ROUTER_FOUND);
	arena_destroy(&a);
}

static void
test_role_bits(void **state)
{
	(void)state;
	assert_int_equal(router_role_bit("teacher"), ROLE_TEACHER);
	assert_int_equal(router_role_bit("admin"), ROLE_ADMIN);
	assert_int_equal(router_role_bit("Admin"), 0);
	assert_int_equal(router_role_bit(""), 0);
	assert_int_equal(router_role_bit(NULL), 0);
	assert_true((ROLE_LEARNER & router_role_bit("ib")) != 0);
	assert_true((ROLE_LEARNER & router_role_bit("trainer")) == 0);
}

/* Every route of the application has a handler and a well-formed pattern. */
static void
test_app_table(void **state)
{
	(void)state;
	assert_true(app_routes_count > 0);
	for (size_t i = 0; i < app_routes_count; i++) {
		assert_non_null(app_routes[i].handler);
		assert_true(strncmp(app_routes[i].pattern, "/api/v1/", 8) == 0);
		for (size_t j = 0; j < i; j++)
			if (strcmp(app_routes[i].pattern, app_routes[j].pattern) == 0)
				assert_string_not_equal(app_routes[i].method,
				                        app_routes[j].method);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_table),
		cmocka_unit_test(test_segment_limit),
		cmocka_unit_test(test_role_bits),
		cmocka_unit_test(test_app_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
