/* Unit tests of route matching, typed path values, role bits and the scope
 * checks that need no database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "router.h"
#include "scope.h"

static void dummy(struct request *r, struct response *res);

static void
dummy(struct request *r, struct response *res)
{
	(void)r;
	(void)res;
}

static const struct route table[] = {
    {"GET", "/api/v1/modules", dummy, ROLE_ANY, 0, 0},
    {"GET", "/api/v1/modules/{module:slug}", dummy, ROLE_ANY, 0, 0},
    {"PUT", "/api/v1/modules/{module:slug}/sections/{section:slug}", dummy,
     ROLE_ANY, 0, 0},
    {"POST", "/api/v1/modules/{module:slug}/attempts", dummy, ROLE_ANY, 0, 0},
    {"DELETE", "/api/v1/modules/{module:slug}/sections/{section:slug}", dummy,
     ROLE_ANY, 0, 0},
};

struct case_ {
	const char        *method, *path;
	enum router_result want;
	int                route; /* index in table when found */
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
    {"GET", "/api/v1/modules/m/sections/s1", ROUTER_METHOD_NOT_ALLOWED, 0, NULL,
     NULL, "PUT, DELETE"},
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
		                   c->method, c->path, &found, params, &n,
		                   &allow);
		if (got != c->want)
			fail_msg("case %zu (%s %s): got %d want %d", i,
			         c->method, c->path, got, c->want);
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
	assert_int_equal(
	    router_match(table, 5, &a, "GET", path, &found, params, &n, NULL),
	    ROUTER_NOT_FOUND);
	path[16 + ROUTER_MAX_SEGMENT] = '\0';
	assert_int_equal(
	    router_match(table, 5, &a, "GET", path, &found, params, &n, NULL),
	    ROUTER_FOUND);
	arena_destroy(&a);
}

static void
test_role_bits(void **state)
{
	(void)state;
	assert_int_equal(scope_role_bit("teacher"), ROLE_TEACHER);
	assert_int_equal(scope_role_bit("admin"), ROLE_ADMIN);
	assert_int_equal(scope_role_bit("Admin"), 0);
	assert_int_equal(scope_role_bit(""), 0);
	assert_int_equal(scope_role_bit(NULL), 0);
	assert_true((ROLE_LEARNER & scope_role_bit("ib")) != 0);
	assert_true((ROLE_LEARNER & scope_role_bit("trainer")) == 0);
}

/* Every route of the application has a handler and a well-formed pattern
 * whose every {name:type} is a declared value of its declared type. */
static void
test_app_table(void **state)
{
	(void)state;
	assert_true(app_routes_count > 0);
	for (size_t i = 0; i < app_routes_count; i++) {
		assert_non_null(app_routes[i].handler);
		assert_true(strncmp(app_routes[i].pattern, "/api/v1/", 8) == 0);
		if (!scope_pattern_valid(app_routes[i].pattern))
			fail_msg("route %s %s: undeclared path value",
			         app_routes[i].method, app_routes[i].pattern);
		/* Its statement runs before any role or scope check. */
		if ((app_routes[i].flags & ROUTE_CALLER_IN_STATEMENT) &&
		    (app_routes[i].roles != ROLE_ANY ||
		     scope_pattern_needs_caller(app_routes[i].pattern)))
			fail_msg("route %s %s: the caller is checked in its "
			         "statement, so it must allow every role and "
			         "have no scoped path value",
			         app_routes[i].method, app_routes[i].pattern);
		for (size_t j = 0; j < i; j++)
			if (strcmp(app_routes[i].pattern,
			           app_routes[j].pattern) == 0)
				assert_string_not_equal(app_routes[i].method,
				                        app_routes[j].method);
	}
	/* The check itself refuses what it must. */
	assert_true(scope_pattern_valid("/api/v1/boards/{board:id}/x"));
	assert_false(scope_pattern_valid("/api/v1/boards/{}"));
	assert_false(scope_pattern_valid("/api/v1/boards/{board}"));
	assert_false(scope_pattern_valid("/api/v1/boards/{board:slug}"));
	assert_false(scope_pattern_valid("/api/v1/things/{thing:id}"));
	assert_false(scope_pattern_valid("/api/v1/modules/{module:id}"));
	assert_true(scope_pattern_valid("/api/v1/scenarios/{own_scenario:id}"));
	assert_false(
	    scope_pattern_valid("/api/v1/scenarios/{own_scenario:slug}"));
	assert_true(scope_pattern_needs_caller("/api/v1/boards/{board:id}/x"));
	assert_false(scope_pattern_needs_caller(
	    "/api/v1/modules/{module:slug}/sections/{section:slug}"));
}

/* The name and type of each typed segment, in path order. */
static void
test_param_specs(void **state)
{
	const char *pat = "/api/v1/boards/{board:id}/schools/{school:id}";
	struct route_param p;

	(void)state;
	assert_true(router_param(pat, 0, &p));
	assert_int_equal(p.name_len, 5);
	assert_memory_equal(p.name, "board", 5);
	assert_int_equal(p.type_len, 2);
	assert_memory_equal(p.type, "id", 2);
	assert_true(router_param(pat, 1, &p));
	assert_memory_equal(p.name, "school", 6);
	assert_false(router_param(pat, 2, &p));
	assert_false(router_param("/api/v1/modules/{}", 0, &p));
	assert_false(router_param("/api/v1/modules", 0, &p));
}

/* The audit log names an unnamed write by its route as before the types. */
static void
test_pattern_untyped(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 1024);
	assert_string_equal(
	    router_pattern_untyped(
	        &a, "/api/v1/modules/{module:slug}/sections/{section:slug}"),
	    "/api/v1/modules/{}/sections/{}");
	assert_string_equal(router_pattern_untyped(&a, "/api/v1/scenarios"),
	                    "/api/v1/scenarios");
	assert_string_equal(router_pattern_untyped(&a, "/x/{}"), "/x/{}");
	arena_destroy(&a);
}

/* The one id rule: positive, no sign, no leading zero, within int64. */
static void
test_id_rule(void **state)
{
	static const char *const bad[] = {
	    "",
	    "0",
	    "01",
	    "-1",
	    "+1",
	    " 1",
	    "1 ",
	    "1a",
	    "0x10",
	    "1.0",
	    "1e3",
	    "9223372036854775808",
	    "18446744073709551616",
	    "99999999999999999999",
	};
	long long v = 7;

	(void)state;
	assert_true(scope_id_parse("1", &v));
	assert_int_equal(v, 1);
	assert_true(scope_id_parse("999999999", &v));
	assert_int_equal(v, 999999999);
	assert_true(scope_id_parse("9223372036854775807", &v));
	assert_true(v == 9223372036854775807LL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 7;
		if (scope_id_parse(bad[i], &v) || v != 7)
			fail_msg("id \"%s\" accepted", bad[i]);
	}
	assert_false(scope_id_parse(NULL, &v));
}

/* Binds the captures of one matched path; returns the status answered
 * (0: none, the values are in r->param). */
static int
bind(struct arena *a, const struct route *route, const char *path,
     struct request *r)
{
	struct response res = {0};
	const char     *captures[HTTP_MAX_PARAMS];
	int             n = 0;

	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->route = route;
	assert_int_equal(router_match(route, 1, a, route->method, path,
	                              &r->route, captures, &n, NULL),
	                 ROUTER_FOUND);
	if (!scope_bind(r, &res, captures, n)) {
		assert_true(res.status != 0);
		assert_non_null(res.body);
		return res.status;
	}
	assert_int_equal(res.status, 0);
	return 0;
}

/* Malformed, overlong or out-of-range values: one 404 not_found. */
static void
test_bind_values(void **state)
{
	static const struct route routes[] = {
	    {"GET", "/b/{board:id}/s/{school:id}", dummy, ROLE_ANY, 0, 0},
	    {"PUT", "/m/{module:slug}/s/{section:slug}", dummy, ROLE_ANY, 0, 0},
	    {"GET", "/c/{certificate:code}", dummy, 0, 0, 0},
	    {"GET", "/f/{media:sha256}", dummy, ROLE_ANY, 0, 0},
	    {"PUT", "/p/{item:word}", dummy, ROLE_ANY, 0, 0},
	    {"GET", "/x/{thing:id}", dummy, ROLE_ANY, 0, 0},
	    {"GET", "/v/{scenario:id}", dummy, ROLE_ANY, 0, 0},
	    {"PUT", "/o/{own_scenario:id}", dummy, ROLE_TRAINER, 0, 0},
	};
	static const struct {
		int         route;
		const char *path;
		int         status;
	} bad[] = {
	    {0, "/b/abc/s/1", 404},
	    {0, "/b/1/s/abc", 404},
	    {0, "/b/0/s/1", 404},
	    {0, "/b/-5/s/1", 404},
	    {0, "/b/007/s/1", 404},
	    {0, "/b/9223372036854775808/s/1", 404},
	    {0, "/b/1/s/99999999999999999999", 404},
	    {1, "/m/Module/s/a", 404},
	    {1, "/m/a/s/-a", 404},
	    {1, "/m/a_b/s/a", 404},
	    {2, "/c/short", 404},
	    {2, "/c/abcdefghijklmnopqrstu%25", 404},
	    {3, "/f/abc", 404},
	    {4, "/p/Tv", 404},
	    {4, "/p/tv-series", 404},
	    {5, "/x/1", 500}, /* a name no kind declares */
	};
	char           overlong[128], hex[65];
	struct arena   a;
	struct request r;

	(void)state;
	arena_init(&a, 4096);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int got = bind(&a, &routes[bad[i].route], bad[i].path, &r);

		if (got != bad[i].status)
			fail_msg("%s: status %d, want %d", bad[i].path, got,
			         bad[i].status);
	}
	/* A slug of 65 characters: one over the rule. */
	memset(overlong, 'a', 65);
	strcpy(overlong + 65, "/s/a");
	assert_int_equal(
	    bind(&a, &routes[1], arena_printf(&a, "/m/%s", overlong), &r), 404);
	overlong[64] = '\0';
	assert_int_equal(
	    bind(&a, &routes[1], arena_printf(&a, "/m/%s/s/b", overlong), &r),
	    0);
	assert_int_equal(strlen(r.param.module), 64);
	assert_string_equal(r.param.section, "b");

	assert_int_equal(
	    bind(&a, &routes[0], "/b/42/s/9223372036854775807", &r), 0);
	assert_true(r.param.board == 42);
	assert_true(r.param.school == 9223372036854775807LL);
	assert_true(r.param.region == 0 && r.param.module == NULL);

	/* Both scenario kinds are the one value the handlers read. */
	assert_int_equal(bind(&a, &routes[6], "/v/12", &r), 0);
	assert_true(r.param.scenario == 12);
	assert_int_equal(bind(&a, &routes[7], "/o/13", &r), 0);
	assert_true(r.param.scenario == 13);
	assert_int_equal(bind(&a, &routes[7], "/o/013", &r), 404);

	assert_int_equal(bind(&a, &routes[4], "/p/tv_series", &r), 0);
	assert_string_equal(r.param.item, "tv_series");
	memset(hex, 'a', 64);
	hex[64] = '\0';
	assert_int_equal(
	    bind(&a, &routes[3], arena_printf(&a, "/f/%s", hex), &r), 0);
	assert_string_equal(r.param.media, hex);
	hex[3] = 'A';
	assert_int_equal(
	    bind(&a, &routes[3], arena_printf(&a, "/f/%s", hex), &r), 404);
	arena_destroy(&a);
}

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* The scope answers that need no database: the caller's own board or
 * region passes, anybody else's is 403; values without a rule pass. */
static void
test_scope_without_database(void **state)
{
	static const struct route routes[] = {
	    {"GET", "/b/{board:id}", dummy, ROLE_BOARD_ADMIN | ROLE_ADMIN, 0,
	     0},
	    {"GET", "/r/{region:id}", dummy, ROLE_REGION_VIEWER | ROLE_ADMIN, 0,
	     0},
	    {"GET", "/m/{module:slug}", dummy, ROLE_ANY, 0, 0},
	    {"GET", "/v/{scenario:id}", dummy, ROLE_ANY, 0, 0},
	    {"GET", "/f/{media:sha256}", dummy, ROLE_ANY, 0, 0},
	};
	static struct user ba = {.id = 5, .role = "board_admin", .board_id = 7};
	static struct user rv = {
	    .id = 6, .role = "region_viewer", .region_id = 3};
	static struct user teacher = {
	    .id = 8, .role = "teacher", .board_id = 7};
	static const struct {
		int          route;
		const char  *path;
		struct user *who;
		int          status; /* 0: passes */
	} checks[] = {
	    {0, "/b/7", &ba, 0},
	    {0, "/b/8", &ba, 403},
	    {0, "/b/3", &rv, 403},
	    {0, "/b/7", &teacher, 403},
	    {1, "/r/3", &rv, 0},
	    {1, "/r/4", &rv, 403},
	    {1, "/r/7", &ba, 403},
	    {2, "/m/a", &teacher, 0},
	    {0, "/b/7", NULL, 403},
	    /* Scenarios and media have a rule: nobody, nothing. */
	    {3, "/v/5", NULL, 403},
	    {4, "/f/" HEX64, NULL, 403},
	};
	struct arena a;

	(void)state;
	arena_init(&a, 4096);
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		struct request  r;
		struct response res = {0};

		assert_int_equal(
		    bind(&a, &routes[checks[i].route], checks[i].path, &r), 0);
		r.user = checks[i].who;
		if (scope_check(&r, &res) != (checks[i].status == 0) ||
		    res.status != checks[i].status)
			fail_msg("%s as %s: status %d, want %d", checks[i].path,
			         checks[i].who ? checks[i].who->role : "nobody",
			         res.status, checks[i].status);
		if (res.status == 403 &&
		    strstr(res.body, "\"forbidden\"") == NULL)
			fail_msg("%s: %s", checks[i].path, res.body);
	}
	arena_destroy(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_match_table),
	    cmocka_unit_test(test_segment_limit),
	    cmocka_unit_test(test_role_bits),
	    cmocka_unit_test(test_app_table),
	    cmocka_unit_test(test_param_specs),
	    cmocka_unit_test(test_pattern_untyped),
	    cmocka_unit_test(test_id_rule),
	    cmocka_unit_test(test_bind_values),
	    cmocka_unit_test(test_scope_without_database),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
