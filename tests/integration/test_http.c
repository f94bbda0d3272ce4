/* Integration tests: health, routing, content types, bad bodies, nginx. */
#include "itest.h"
#include "itest_org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#define LOGIN "/api/v1/auth/login"
#define REGISTER "/api/v1/auth/register"
#define MIB (1024UL * 1024)

/* A request that must fail with a given status and code. */
struct bad {
	const char *path;
	const char *body;
	size_t      len; /* 0: strlen(body) */
	long        status;
	const char *code;
};

static bool  allow_has(const char *allow, const char *method);
static char *padded_login(size_t total);
static char *nested(size_t depth, bool objects);
static bool  expect_bad(const struct bad *b, const char *token);

static void test_health(void **state);
static void test_meta(void **state);
static void test_unknown_routes(void **state);
static void test_wrong_method(void **state);
static void test_content_type(void **state);
static void test_invalid_json(void **state);
static void test_duplicate_keys(void **state);
static void test_nesting_depth(void **state);
static void test_invalid_utf8(void **state);
static void test_oversize_body(void **state);
static void test_never_500(void **state);
static void test_nginx_errors_are_json(void **state);
static void test_nginx_timeout_no_html(void **state);
static void test_nginx_raw_errors_are_json(void **state);

/* Helpers. */

static bool
allow_has(const char *allow, const char *method)
{
	size_t      mlen = strlen(method);
	const char *p = allow;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (strncasecmp(p, method, mlen) == 0 &&
		    (p[mlen] == '\0' || p[mlen] == ',' || p[mlen] == ' '))
			return true;
		p = strchr(p, ',');
	}
	return false;
}

/*
 * A login body of exactly `total` bytes: a fresh unknown address (so that
 * no failure counter is shared between runs) and an ignored pad.
 */
static char *
padded_login(size_t total)
{
	const char *head = itest_fmt("{\"email\":\"%s\",\"password\":"
	                             "\"Zonnebloem-1234\",\"pad\":\"",
	                             itest_unique_email());
	const char *tail = "\"}";
	size_t      hl = strlen(head), tl = strlen(tail);
	char       *b;

	assert_true(total > hl + tl);
	b = malloc(total + 1);
	assert_non_null(b);
	itest_keep(b, free);
	memcpy(b, head, hl);
	memset(b + hl, 'x', total - hl - tl);
	memcpy(b + total - tl, tail, tl);
	b[total] = '\0';
	return b;
}

/*
 * A login body whose nesting depth is `depth`, the outer object counting as
 * 1: {"email":...,"pad":[[...]]} or {...,"pad":{"a":{"a":{}}}}, for a
 * fresh unknown address.
 */
static char *
nested(size_t depth, bool objects)
{
	const char *head = itest_fmt("{\"email\":\"%s\",\"password\":"
	                             "\"Zonnebloem-1234\",\"pad\":",
	                             itest_unique_email());
	size_t      hl = strlen(head), inner = depth - 1;
	char       *b = malloc(hl + inner * 6 + 2), *p;

	assert_non_null(b);
	itest_keep(b, free);
	memcpy(b, head, hl);
	p = b + hl;
	for (size_t i = 0; i < inner; i++) {
		if (!objects) {
			*p++ = '[';
		} else if (i + 1 < inner) {
			memcpy(p, "{\"a\":", 5);
			p += 5;
		} else {
			*p++ = '{';
		}
	}
	for (size_t i = 0; i < inner; i++)
		*p++ = objects ? '}' : ']';
	*p++ = '}';
	*p = '\0';
	return b;
}

/* Soft check (see itest_soft_error): true when the request failed as b says. */
static bool
expect_bad(const struct bad *b, const char *token)
{
	struct itest_req   rq = {.method = "POST",
	                         .path = b->path,
	                         .content_type = "application/json",
	                         .body = b->body,
	                         .body_len = b->len,
	                         .bearer = token};
	struct itest_resp *r = itest_do(&rq);

	if (itest_soft_error(r, b->status, b->code))
		return true;
	print_error("    request body (%zu bytes): %.120s\n",
	            b->len ? b->len : strlen(b->body), b->body);
	return false;
}

/* Health. */

static void
test_health(void **state)
{
	json_t *j;

	(void)state;
	j = itest_expect_json(itest_get("/api/v1/health", NULL), 200);
	assert_string_equal(itest_jstr(j, "status"), "ok");
	assert_string_equal(itest_jstr(j, "db"), "ok");
	/* A query string changes nothing. */
	j = itest_expect_json(itest_get("/api/v1/health?x=1&y", NULL), 200);
	assert_string_equal(itest_jstr(j, "db"), "ok");
}

/* GET /api/v1/meta: the domain lists, without logging in, in the order the
 * UI shows them, and the same codes the database's checks allow. */
static void
test_meta(void **state)
{
	static const char *const roles[] = {
	    "teacher", "ib", "trainer", "board_admin", "region_viewer", "admin",
	};
	static const char *const statuses[] = {
	    "not_started",
	    "in_progress",
	    "completed",
	    "expired",
	};
	json_t     *j, *list, *item;
	const char *package_check, *slug_check;
	size_t      i;

	(void)state;
	j = itest_expect_json(itest_get("/api/v1/meta", NULL), 200);
	list = json_object_get(j, "roles");
	assert_int_equal(json_array_size(list), 6);
	json_array_foreach (list, i, item) {
		assert_string_equal(itest_jstr(item, "code"), roles[i]);
		assert_true(strlen(itest_jstr(item, "label")) > 0);
	}
	assert_string_equal(itest_jstr(json_array_get(list, 0), "label"),
	                    "Leerkracht");
	list = json_object_get(j, "learner_roles");
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(itest_jstr(json_array_get(list, 0), "code"),
	                    "teacher");
	assert_string_equal(itest_jstr(json_array_get(list, 1), "code"), "ib");
	list = json_object_get(j, "statuses");
	assert_int_equal(json_array_size(list), 4);
	json_array_foreach (list, i, item)
		assert_string_equal(itest_jstr(item, "code"), statuses[i]);

	/* Every package item is one the database accepts, and it accepts
	 * no other (five codes in its check). */
	package_check = org_db_text(
	    "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
	    " WHERE conrelid = 'school_package'::regclass AND contype = 'c'"
	    " AND pg_get_constraintdef(oid) LIKE '%item%'",
	    0, NULL);
	list = json_object_get(j, "package_items");
	assert_int_equal(json_array_size(list), 5);
	json_array_foreach (list, i, item) {
		assert_non_null(
		    strstr(package_check,
		           itest_fmt("'%s'::text", itest_jstr(item, "code"))));
		assert_true(strlen(itest_jstr(item, "label")) > 0);
	}
	for (i = 0; (package_check = strstr(package_check, "::text")) != NULL;
	     i++)
		package_check++;
	assert_int_equal(i, 5);

	/* The slug rule is the one of modules.slug. */
	slug_check = org_db_text(
	    "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
	    " WHERE conrelid = 'modules'::regclass AND contype = 'c'"
	    " AND pg_get_constraintdef(oid) LIKE '%slug%'",
	    0, NULL);
	assert_non_null(strstr(slug_check, itest_jstr(j, "slug_pattern")));
	assert_string_equal(itest_jstr(j, "slug_pattern"),
	                    "^[a-z0-9][a-z0-9-]{0,63}$");
}

/* Routing. */

static void
test_unknown_routes(void **state)
{
	static const char *const paths[] = {
	    "/api/v1/nope",
	    "/api/v1",
	    "/api/v1/",
	    "/api/",
	    "/api/v2/health",
	    "/api/nope",
	    "/api/v1/healthz",
	    "/api/v1/health/extra",
	    "/api/v1/auth/nope",
	    "/api/v1/me/nope",
	    "/api/v1/me/certificates/extra",
	    "/api/v1/modules/" ITEST_MODULE "/sections",
	    "/api/v1/modules/" ITEST_MODULE "/sections/a/b",
	    "/api/v1/modules/" ITEST_MODULE "/attempts/1",
	    "/api/v1/certificates/abc/pdf/x",
	    "/api/v1/%2e%2e/%2e%2e/etc/passwd",
	};
	struct itest_user *u = itest_new_teacher();
	size_t             bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		bad += !itest_soft_error(itest_get(paths[i], NULL), 404,
		                         "not_found");
		bad += !itest_soft_error(itest_get(paths[i], u->token), 404,
		                         "not_found");
	}
	bad += !itest_soft_error(itest_post_json("/api/v1/nope", NULL, "{}"),
	                         404, "not_found");
	if (bad > 0)
		fail_msg("%zu unknown-route requests were not 404 not_found",
		         bad);
}

static void
test_wrong_method(void **state)
{
	static const struct {
		const char *method;
		const char *path;
		const char *allowed;
	} cases[] = {
	    {"GET", "/api/v1/auth/login", "POST"},
	    {"PUT", "/api/v1/auth/login", "POST"},
	    {"GET", "/api/v1/auth/register", "POST"},
	    {"GET", "/api/v1/auth/logout", "POST"},
	    {"POST", "/api/v1/me", "GET"},
	    {"DELETE", "/api/v1/me", "GET"},
	    {"POST", "/api/v1/health", "GET"},
	    {"PUT", "/api/v1/modules", "GET"},
	    {"DELETE", "/api/v1/modules/" ITEST_MODULE, "GET"},
	    {"POST", "/api/v1/modules/" ITEST_MODULE, "GET"},
	    {"GET", "/api/v1/modules/" ITEST_MODULE "/attempts", "POST"},
	    {"POST", "/api/v1/me/certificates", "GET"},
	    {"POST", "/api/v1/certificates/abcdefghijklmnopqrstuv", "GET"},
	    {"PATCH", "/api/v1/certificates/abcdefghijklmnopqrstuv/pdf", "GET"},
	};
	const struct itest_module *m = itest_module();
	char  *sec = itest_fmt("/api/v1/modules/%s/sections/%s", ITEST_MODULE,
	                       m->section_ids[0]);
	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i <= sizeof(cases) / sizeof(cases[0]) + 1; i++) {
		struct itest_req   rq = {0};
		struct itest_resp *r;
		const char        *allowed;

		if (i < sizeof(cases) / sizeof(cases[0])) {
			rq.method = cases[i].method;
			rq.path = cases[i].path;
			allowed = cases[i].allowed;
		} else {
			rq.method = i % 2 ? "POST" : "GET";
			rq.path = sec;
			allowed = "PUT";
		}
		r = itest_do(&rq);
		if (!itest_soft_error(r, 405, "method_not_allowed")) {
			bad++;
		} else if (r->allow == NULL || !allow_has(r->allow, allowed) ||
		           allow_has(r->allow, rq.method)) {
			print_error("  %s: Allow header \"%s\" should list %s "
			            "and not %s\n",
			            r->what, r->allow ? r->allow : "(none)",
			            allowed, rq.method);
			bad++;
		}
	}
	if (bad > 0)
		fail_msg("%zu wrong-method requests were not a proper 405",
		         bad);
}

/* Bodies. */

static void
test_content_type(void **state)
{
	static const char *const types[] = {
	    NULL,
	    "text/plain",
	    "text/plain; charset=utf-8",
	    "application/x-www-form-urlencoded",
	    "multipart/form-data; boundary=xyz",
	    "application/jsonp",
	    "application/xml",
	};
	const struct itest_module *m = itest_module();
	struct itest_user         *u = itest_new_teacher();
	const char *login = itest_fmt("{\"email\":\"%s\",\"password\":\"%s\"}",
	                              u->email, u->password);
	char       *email = itest_unique_email();
	const char *reg = itest_register_body(email, itest_strong_password(),
	                                      "Kim de Wit", itest_join_code(0));

	size_t bad = 0;

	(void)state;
	itest_complete_sections(u->token);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct itest_req rq = {.method = "POST",
		                       .content_type = types[i]};

		rq.path = LOGIN;
		rq.body = login;
		bad += !itest_soft_error(itest_do(&rq), 415,
		                         "unsupported_media_type");
		rq.path = REGISTER;
		rq.body = reg;
		bad += !itest_soft_error(itest_do(&rq), 415,
		                         "unsupported_media_type");
		rq.path = "/api/v1/modules/" ITEST_MODULE "/attempts";
		rq.body = m->right_body;
		rq.bearer = u->token;
		bad += !itest_soft_error(itest_do(&rq), 415,
		                         "unsupported_media_type");
	}
	if (bad > 0)
		fail_msg("%zu requests with a wrong Content-Type were not 415",
		         bad);
	/* None of the refused registrations created the account. */
	assert_int_equal(itest_db_long("SELECT count(*) FROM users WHERE "
	                               "lower(email) = lower($1)",
	                               email, NULL),
	                 0);
	/* And no refused attempt produced a certificate. */
	assert_int_equal(itest_db_long("SELECT count(*) FROM certificates "
	                               "WHERE user_id = $1",
	                               itest_fmt("%ld", u->id), NULL),
	                 0);
}

static void
test_invalid_json(void **state)
{
	static const char *const bodies[] = {
	    "{\"email\":",
	    "{'email':'a@example.nl','password':'x'}",
	    "{\"email\":\"a@example.nl\",\"password\":\"x\"}{",
	    "{\"email\":\"a@example.nl\",\"password\":\"x\"} trailing",
	    "{\"email\":\"a@example.nl\",\"password\":\"x\",}",
	    "{\"email\":\"a\\q\",\"password\":\"x\"}",
	    "{\"email\":\"a\nb\",\"password\":\"x\"}",
	    "{email:\"a@example.nl\"}",
	    "nul",
	    "NaN",
	    "{\"n\":1e99999}",
	    "{\"n\":123456789012345678901234567890}",
	    "{\"email\":\"a@example.nl\",\"password\":\"\\ud800\"}",
	    " ",
	};
	struct itest_user *u = itest_new_teacher();
	size_t             bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct bad b = {LOGIN, bodies[i], 0, 400, "invalid_json"};

		bad += !expect_bad(&b, NULL);
		b.path = REGISTER;
		bad += !expect_bad(&b, NULL);
		b.path = "/api/v1/modules/" ITEST_MODULE "/attempts";
		bad += !expect_bad(&b, u->token);
	}
	/* An empty body is not JSON either. */
	{
		struct itest_req rq = {.method = "POST",
		                       .path = LOGIN,
		                       .content_type = "application/json"};

		bad += !itest_soft_error(itest_do(&rq), 400, "invalid_json");
	}
	if (bad > 0)
		fail_msg("%zu malformed bodies were not 400 invalid_json", bad);
}

static void
test_duplicate_keys(void **state)
{
	struct itest_user *u = itest_new_teacher();
	const char        *qid = json_string_value(json_object_get(
	           json_array_get(
	               json_object_get(json_object_get(itest_module()->doc, "quiz"),
	                               "questions"),
	               0),
	           "id"));
	struct bad         cases[] = {
	            {LOGIN,
	             itest_fmt("{\"email\":\"nobody@example.nl\",\"email\":\"%s\","
	                               "\"password\":\"%s\"}",
	                       u->email, u->password),
	             0, 400, "invalid_json"},
	            {LOGIN,
	             itest_fmt("{\"email\":\"%s\",\"password\":\"x\",\"password\":"
	                               "\"%s\"}",
	                       u->email, u->password),
	             0, 400, "invalid_json"},
	            {REGISTER,
	             itest_fmt("{\"email\":\"%s\",\"password\":\"%s\",\"name\":"
	                               "\"Kim\",\"join_code\":\"%s\",\"join_code\":\"%s\"}",
	                       itest_unique_email(), itest_strong_password(),
	                       itest_join_code(0), itest_join_code(0)),
	             0, 400, "invalid_json"},
	            {"/api/v1/modules/" ITEST_MODULE "/attempts",
	             itest_fmt("{\"answers\":{\"%s\":[\"a\"],\"%s\":[\"b\"]}}", qid,
	                       qid),
	             0, 400, "invalid_json"},
	            {"/api/v1/modules/" ITEST_MODULE "/attempts",
	             "{\"answers\":{},\"answers\":{}}", 0, 400, "invalid_json"},
        };

	size_t bad = 0;

	(void)state;
	itest_complete_sections(u->token);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		bad += !expect_bad(&cases[i], u->token);
	if (bad > 0)
		fail_msg("%zu bodies with duplicate keys were accepted", bad);
}

static void
test_nesting_depth(void **state)
{
	const struct bad cases[] = {
	    /* 32 levels are allowed: the login simply fails. */
	    {LOGIN, nested(32, false), 0, 401, "invalid_credentials"},
	    {LOGIN, nested(32, true), 0, 401, "invalid_credentials"},
	    /* 33 and far beyond are not. */
	    {LOGIN, nested(33, false), 0, 400, "invalid_json"},
	    {LOGIN, nested(33, true), 0, 400, "invalid_json"},
	    {LOGIN, nested(100000, false), 0, 400, "invalid_json"},
	    {REGISTER, nested(40, true), 0, 400, "invalid_json"},
	};
	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		bad += !expect_bad(&cases[i], NULL);
	if (bad > 0)
		fail_msg("%zu nesting cases failed", bad);
}

static void
test_invalid_utf8(void **state)
{
	static const char *const bad[] = {
	    "\xff",                 /* never valid */
	    "\xc0\xaf",             /* overlong '/' */
	    "\xed\xa0\x80",         /* UTF-16 surrogate */
	    "\xe2\x82",             /* truncated */
	    "\xf8\x88\x80\x80\x80", /* five bytes */
	    "\xf4\x90\x80\x80",     /* above U+10FFFF */
	    "\x80",                 /* lone continuation */
	};

	size_t nbad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct bad b = {
		    .path = LOGIN, .status = 400, .code = "invalid_json"};

		b.body = itest_fmt("{\"email\":\"a%s@example.nl\",\"password\":"
		                   "\"Zonnebloem-1234\"}",
		                   bad[i]);
		nbad += !expect_bad(&b, NULL);
		b.body = itest_fmt("{\"email\":\"a@example.nl\",\"password\":"
		                   "\"Zonnebloem-1234\",\"x%s\":1}",
		                   bad[i]);
		nbad += !expect_bad(&b, NULL);
		b.path = REGISTER;
		b.body =
		    itest_fmt("{\"email\":\"%s\",\"password\":\"%s\","
		              "\"name\":\"Kim%s\",\"join_code\":\"%s\"}",
		              itest_unique_email(), itest_strong_password(),
		              bad[i], itest_join_code(0));
		nbad += !expect_bad(&b, NULL);
	}
	/* Valid multi-byte text passes the parser (then fails the email
	 * check: addresses are ASCII only). */
	{
		struct bad b = {
		    LOGIN,
		    itest_fmt(
		        "{\"email\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
		        "%s@example.nl\",\"password\":\"Zonnebloem-1234\"}",
		        itest_random_hex(6)),
		    0, 400, "validation_failed"};

		nbad += !expect_bad(&b, NULL);
	}
	if (nbad > 0)
		fail_msg("%zu UTF-8 cases failed", nbad);
}

static void
test_oversize_body(void **state)
{
	struct itest_user       *u = itest_new_teacher();
	char                    *big = padded_login(2 * MIB);
	struct itest_req         rq = {.method = "POST",
	                               .content_type = "application/json"};
	static const char *const paths[] = {
	    LOGIN, REGISTER, "/api/v1/modules/" ITEST_MODULE "/attempts",
	    "/api/v1/auth/logout"};

	(void)state;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		rq.path = paths[i];
		rq.body = big;
		rq.body_len = 2 * MIB;
		rq.bearer = i >= 2 ? u->token : NULL;
		itest_expect_error(itest_do(&rq), 413, "payload_too_large");
	}
	/* Just over the limit. */
	rq.path = LOGIN;
	rq.bearer = NULL;
	rq.body = padded_login(MIB + 1);
	rq.body_len = MIB + 1;
	itest_expect_error(itest_do(&rq), 413, "payload_too_large");
	/* Chunked, so that no Content-Length announces it. */
	rq.body = big;
	rq.body_len = 2 * MIB;
	rq.chunked = true;
	itest_expect_error(itest_do(&rq), 413, "payload_too_large");
	/* A large body under the limit is read and judged normally. */
	rq.chunked = false;
	rq.body = padded_login(MIB - 4096);
	rq.body_len = MIB - 4096;
	itest_expect_error(itest_do(&rq), 401, "invalid_credentials");
	/* The user's token is still good: nothing was broken on the way. */
	itest_expect_json(itest_get("/api/v1/me", u->token), 200);
}

/* Bad input of every other kind: a 4xx with the error shape. */
static void
test_never_500(void **state)
{
	struct itest_user *u = itest_new_teacher();
	const struct {
		const char *method;
		const char *path;
		const char *body;
		bool        auth;
	} cases[] = {
	    {"POST", LOGIN,
	     "{\"email\":\"a\\u0000b@example.nl\",\"password\":\"x\"}", 0},
	    {"POST", LOGIN,
	     itest_fmt("{\"email\":\"%0*d@example.nl\",\"password\":\"x\"}",
	               100000, 1),
	     0},
	    {"POST", LOGIN,
	     itest_fmt("{\"email\":\"%s\",\"password\":\"%0*d\"}",
	               itest_unique_email(), 200000, 1),
	     0},
	    {"POST", LOGIN, "{\"email\":\"\",\"password\":\"\"}", 0},
	    {"POST", LOGIN, "{\"email\":-1e308,\"password\":0.0}", 0},
	    {"POST", REGISTER,
	     itest_register_body(itest_unique_email(), itest_strong_password(),
	                         itest_fmt("%0*d", 100000, 2),
	                         itest_join_code(0)),
	     0},
	    {"POST", REGISTER,
	     itest_register_body(itest_fmt("%0*d@example.nl", 300, 3),
	                         itest_strong_password(), "Kim",
	                         itest_join_code(0)),
	     0},
	    {"POST", REGISTER,
	     itest_register_body(itest_unique_email(),
	                         itest_fmt("%0*d", 100000, 4), "Kim",
	                         itest_join_code(0)),
	     0},
	    {"POST", REGISTER,
	     itest_register_body(itest_unique_email(), itest_strong_password(),
	                         "", itest_join_code(0)),
	     0},
	    {"POST", REGISTER,
	     itest_register_body(itest_unique_email(), itest_strong_password(),
	                         "Kim", itest_fmt("%0*d", 5000, 5)),
	     0},
	    {"POST", REGISTER,
	     itest_register_body(itest_unique_email(), itest_strong_password(),
	                         "Kim", "' OR '1'='1"),
	     0},
	    {"POST", REGISTER,
	     itest_register_body("a\r\nBcc: x@example.nl",
	                         itest_strong_password(), "Kim",
	                         itest_join_code(0)),
	     0},
	    {"PUT", "/api/v1/modules/" ITEST_MODULE "/sections/%c0%af", NULL,
	     1},
	    {"FOO", "/api/v1/health", NULL, 0},
	};
	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct itest_req rq = {
		    .method = cases[i].method,
		    .path = cases[i].path,
		    .body = cases[i].body,
		    .content_type = cases[i].body ? "application/json" : NULL,
		    .bearer = cases[i].auth ? u->token : NULL};
		struct itest_resp *r = itest_do(&rq);

		if (!itest_soft_error(r, 0, NULL)) {
			print_error("    case %zu, body %.80s\n", i,
			            cases[i].body ? cases[i].body : "-");
			bad++;
		}
	}
	/* The service is still healthy after all that. */
	itest_expect_json(itest_get("/api/v1/health", NULL), 200);
	if (bad > 0)
		fail_msg("%zu bad requests did not get a 4xx error", bad);
}

/* Errors nginx produces itself must have the error shape too. */
static void
test_nginx_errors_are_json(void **state)
{
	/* URLs of the test stack where nginx answers a status itself
	 * (deploy/dev/nginx-test-errors.conf); 502 is a real one. */
	static const struct {
		long        status;
		const char *code;
	} own[] = {
	    {403, "forbidden"},         {405, "method_not_allowed"},
	    {411, "length_required"},   {416, "range_not_satisfiable"},
	    {429, "too_many_requests"}, {500, "internal"},
	    {502, "bad_gateway"},       {503, "unavailable"},
	    {504, "gateway_timeout"},
	};
	char *huge = itest_fmt("Authorization: Bearer %0*d", 12000, 0);
	struct itest_req rq = {.path = "/api/v1/me", .headers = {huge}};
	struct itest_req upper = {.method = "POST",
	                          .path = "/API/v1/auth/login",
	                          .content_type = "application/json",
	                          .body = "{}"};
	char *long_path = itest_fmt("/api/v1/modules/%0*d", 10240, 0);
	struct itest_resp *page;
	size_t             bad = 0;

	(void)state;
	/* A header beyond nginx's buffers: 400 from nginx. */
	bad += !itest_soft_error(itest_do(&rq), 0, NULL);
	/* %00 in the path, or a broken escape: nginx answers 400 itself. */
	bad += !itest_soft_error(itest_get("/api/v1/health%00", NULL), 0, NULL);
	bad +=
	    !itest_soft_error(itest_get("/api/v1/modules/%zz", NULL), 0, NULL);
	/* A location prefix without its slash: no HTML redirect. */
	bad += !itest_soft_error(itest_get("/api/v1/auth", NULL), 404,
	                         "not_found");
	/* The API in capitals is no API location, but the client asked for
	 * it: the answer has the error shape all the same. */
	bad += !itest_soft_error(itest_do(&upper), 0, NULL);
	/* A request line beyond nginx's buffers: 414. */
	bad +=
	    !itest_soft_error(itest_get(long_path, NULL), 414, "uri_too_long");
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		const char *path =
		    itest_fmt("/api/v1/_nginx/%ld", own[i].status);

		bad += !itest_soft_error(itest_get(path, NULL), own[i].status,
		                         own[i].code);
	}
	if (bad > 0)
		fail_msg("%zu nginx answers under /api/ lack the error shape",
		         bad);
	/* Outside /api/ the same statuses are a Dutch page, not JSON. */
	page = itest_do(&(struct itest_req){.method = "POST",
	                                    .path = "/index.html",
	                                    .content_type = "text/plain",
	                                    .body = "x"});
	assert_int_equal(page->status, 405);
	assert_non_null(page->content_type);
	assert_non_null(strstr(page->content_type, "text/html"));
	assert_non_null(strstr(page->body, "Er ging iets mis"));
	/* 413 is covered by test_oversize_body; 408 by
	 * test_nginx_timeout_no_html. */
}

/*
 * Sends raw bytes to nginx (what libcurl will not send) and reads until
 * nginx closes the connection or 30 s pass; `got` is NUL-terminated.
 */
static void
raw_exchange(const char *request, char *got, size_t cap)
{
	const char        *base = itest_env("BASE_URL");
	const char        *colon = strrchr(base, ':');
	struct sockaddr_in sa = {.sin_family = AF_INET};
	struct timeval     tv = {.tv_sec = 30};
	size_t             n = 0, len = strlen(request);
	ssize_t            k;
	int                fd;

	assert_non_null(colon);
	sa.sin_port = htons((uint16_t)atoi(colon + 1));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    write(fd, request, len) != (ssize_t)len) {
		close(fd);
		fail_msg("could not send the request to %s", base);
	}
	while (n < cap - 1 && (k = read(fd, got + n, cap - 1 - n)) > 0)
		n += (size_t)k;
	got[n] = '\0';
	close(fd);
}

/*
 * A body that stops half-way: nginx gives up after client_body_timeout
 * (10 s on the test stack) with a 408, and closes the connection without
 * an answer.  Whatever it sends, it is never its HTML error page.
 */
static void
test_nginx_timeout_no_html(void **state)
{
	char got[4096];

	(void)state;
	raw_exchange("POST /api/v1/auth/login HTTP/1.1\r\n"
	             "Host: 127.0.0.1\r\n"
	             "Content-Type: application/json\r\n"
	             "Content-Length: 100\r\n\r\n{",
	             got, sizeof(got));
	if (got[0] != '\0' &&
	    (strstr(got, "<html") != NULL || strstr(got, "\"error\"") == NULL))
		fail_msg("a timed-out API request got: %.300s", got);
}

/*
 * What only a raw client can send: a transfer coding nginx does not
 * implement (501) and an HTTP version it does not speak (505).  Both are
 * answered under /api/ in the error shape, not as nginx's HTML page.
 */
static void
test_nginx_raw_errors_are_json(void **state)
{
	static const struct {
		const char *request, *status, *code;
	} cases[] = {
	    {"POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	     "Transfer-Encoding: gzip\r\nConnection: close\r\n\r\n",
	     " 501 ", "\"not_implemented\""},
	    {"GET /api/v1/health HTTP/2.0\r\nHost: 127.0.0.1\r\n"
	     "Connection: close\r\n\r\n",
	     " 505 ", "\"http_version_not_supported\""},
	};
	char got[4096];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		raw_exchange(cases[i].request, got, sizeof(got));
		if (strncmp(got, "HTTP/1.1", 8) != 0 ||
		    strstr(got, cases[i].status) == NULL ||
		    strstr(got, "application/json") == NULL ||
		    strstr(got, cases[i].code) == NULL)
			fail_msg("expected%sas JSON %s, got: %.300s",
			         cases[i].status, cases[i].code, got);
	}
}

int
itest_run_http(void)
{
	const struct CMUnitTest tests[] = {
	    ITEST(test_health),
	    ITEST(test_meta),
	    ITEST(test_unknown_routes),
	    ITEST(test_wrong_method),
	    ITEST(test_content_type),
	    ITEST(test_invalid_json),
	    ITEST(test_duplicate_keys),
	    ITEST(test_nesting_depth),
	    ITEST(test_invalid_utf8),
	    ITEST(test_oversize_body),
	    ITEST(test_never_500),
	    ITEST(test_nginx_errors_are_json),
	    ITEST(test_nginx_timeout_no_html),
	    ITEST(test_nginx_raw_errors_are_json),
	};

	return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
