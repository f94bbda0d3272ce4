/* Integration tests of the route contract: every typed path value refused
 * alike when malformed, and every scoped kind kept to the caller's part of
 * the organisation, before the body is looked at (worker.c, scope.c). */
#include "itest.h"
#include "itest_org.h"

#include <string.h>

#define IN_PERSON_MODULE "af-praktijktraining"

static void test_route_malformed_values(void **state);
static void test_route_scope_every_kind(void **state);
static void test_route_path_before_body(void **state);
static void test_route_audit_name_untyped(void **state);

/* One request of a table; "%s" in path is replaced by the value tried. */
struct
try {
	const char *method, *path, *who; /* who: a demo role, or NULL */
	const char *content_type, *body;
};

/* The path of a try with its "%s" replaced by value. */
static const char *
path_with(const char *path, const char *value)
{
	const char *at = strstr(path, "%s");

	assert_non_null(at);
	return itest_fmt("%.*s%s%s", (int)(at - path), path, value, at + 2);
}

static struct itest_resp *
send_try(const struct try *t, const char *value)
{
	struct itest_req rq = {
	    .method = t->method,
	    .path = path_with(t->path, value),
	    .content_type = t->content_type,
	    .body = t->body,
	    .bearer = t->who ? org_demo_token(t->who) : NULL,
	};

	return itest_do(&rq);
}

static long
new_training(const char *token)
{
	json_t *body = itest_keep_json(json_pack(
	    "{s:s, s:s, s:s, s:s}", "title", "Routecontract", "module_slug",
	    IN_PERSON_MODULE, "date", "2026-03-14", "location", "Zwolle"));

	return itest_jint(
	    itest_expect_json(
	        itest_post_json("/api/v1/trainings", token, itest_dump(body)),
	        201),
	    "id");
}

/*
 * Every typed value of every route, malformed, out of range or too long,
 * for a caller who may use the route: one answer, 404 not_found, from the
 * worker (whatever the body would have been).
 */
static void
test_route_malformed_values(void **state)
{
	static const char *const bad_ids[] = {
	    "abc",
	    "0",
	    "-1",
	    "007",
	    "1.5",
	    "1e3",
	    "0x1f",
	    "9223372036854775808",
	    "99999999999999999999",
	};
	static const char *const bad_slugs[] = {
	    "Meldcode",
	    "-kort",
	    "a_b",
	    "a.b",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	static const char *const bad_codes[] = {"kort",
	                                        "ABCD-EFGH-IJKL-MNOP-Q!"};
	static const char *const bad_media[] = {
	    "abc",
	    "GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG",
	};
	static const char *const bad_items[] = {"Tv_series", "tv-series"};
	const char              *school =
	    itest_fmt("%ld", org_school(org_board(0), NULL, NULL)->id);
	const struct try ids[] = {
	    {"GET", "/api/v1/boards/%s/coverage", "admin", NULL, NULL},
	    {"GET", "/api/v1/boards/%s/coverage/history", "admin", NULL, NULL},
	    {"GET", "/api/v1/boards/%s/schools", "admin", NULL, NULL},
	    {"GET", "/api/v1/boards/%s/schools/1/staff", "admin", NULL, NULL},
	    {"GET", "/api/v1/boards/%s/schools/1/expiring", "admin", NULL,
	     NULL},
	    {"POST", "/api/v1/boards/%s/roster", "admin", "text/csv",
	     "email,name,role,brin\n"},
	    {"GET", "/api/v1/regions/%s/coverage", "admin", NULL, NULL},
	    {"GET", "/api/v1/regions/%s/coverage/history", "admin", NULL, NULL},
	    {"POST", "/api/v1/schools/%s/join-code", "admin", NULL, NULL},
	    {"PUT", "/api/v1/schools/%s/package/tv_series", "admin",
	     ITEST_CT_JSON, "{\"done_on\":null}"},
	    {"POST", "/api/v1/users/%s/erase", "admin", NULL, NULL},
	    {"POST", "/api/v1/trainers/%s/boards", "admin", ITEST_CT_JSON,
	     "{\"board_id\":1}"},
	    {"GET", "/api/v1/trainings/%s", "trainer", NULL, NULL},
	    {"POST", "/api/v1/trainings/%s/attendance", "trainer",
	     ITEST_CT_JSON, "{\"attendees\":[]}"},
	    {"GET", "/api/v1/scenarios/%s", "trainer", NULL, NULL},
	    {"PUT", "/api/v1/scenarios/%s", "trainer", ITEST_CT_JSON, "{}"},
	    {"POST", "/api/v1/scenarios/%s/publish", "trainer", NULL, NULL},
	    {"POST", "/api/v1/scenarios/%s/attempts", "teacher", ITEST_CT_JSON,
	     "{}"},
	    {"GET", "/api/v1/scenarios/%s/stats", "trainer", NULL, NULL},
	    {"POST", "/api/v1/scenarios/%s/media", "trainer", "image/png", "x"},
	    {"POST", "/api/v1/me/invitations/%s/accept", "teacher", NULL, NULL},
	    {"POST", "/api/v1/me/invitations/%s/decline", "teacher", NULL,
	     NULL},
	};
	const struct try slugs[] = {
	    {"GET", "/api/v1/modules/%s", "teacher", NULL, NULL},
	    {"PUT", "/api/v1/modules/%s/sections/inleiding", "teacher", NULL,
	     NULL},
	    {"PUT", "/api/v1/modules/" ITEST_MODULE "/sections/%s", "teacher",
	     NULL, NULL},
	    {"POST", "/api/v1/modules/%s/quiz", "teacher", NULL, NULL},
	    {"POST", "/api/v1/modules/%s/attempts", "teacher", ITEST_CT_JSON,
	     "{\"attempt_id\":1,\"answers\":{}}"},
	};
	const struct try codes[] = {
	    {"GET", "/api/v1/certificates/%s", NULL, NULL, NULL},
	    {"GET", "/api/v1/certificates/%s/pdf", NULL, NULL, NULL},
	};
	const struct try media = {"GET", "/api/v1/media/%s", "teacher", NULL,
	                          NULL};
	const struct try item = {
	    "PUT", itest_fmt("/api/v1/schools/%s/package/%%s", school), "admin",
	    ITEST_CT_JSON, "{\"done_on\":null}"};
	bool bad = false;

	(void)state;
#define TRY_ALL(tries, ntries, values)                                         \
	for (size_t i = 0; i < (ntries); i++)                                  \
		for (size_t j = 0; j < sizeof(values) / sizeof(values[0]);     \
		     j++)                                                      \
			bad |= !itest_soft_error(                              \
			    send_try(&(tries)[i], (values)[j]), 404,           \
			    "not_found");
	TRY_ALL(ids, sizeof(ids) / sizeof(ids[0]), bad_ids);
	TRY_ALL(slugs, sizeof(slugs) / sizeof(slugs[0]), bad_slugs);
	TRY_ALL(codes, sizeof(codes) / sizeof(codes[0]), bad_codes);
	TRY_ALL(&media, 1, bad_media);
	TRY_ALL(&item, 1, bad_items);
#undef TRY_ALL
	/* The school of a board's path is typed too. */
	for (size_t j = 0; j < sizeof(bad_ids) / sizeof(bad_ids[0]); j++)
		bad |= !itest_soft_error(
		    itest_get(itest_fmt("/api/v1/boards/%ld/schools/%s/staff",
		                        org_board(0), bad_ids[j]),
		              org_admin()),
		    404, "not_found");
	assert_false(bad);
}

/*
 * Each scoped kind against a caller outside it: another board, a school of
 * another board (through the own board's path and on its own), another
 * region, another trainer's training; 403 forbidden, and 404 only where
 * the caller may know that a thing does not exist.
 */
static void
test_route_scope_every_kind(void **state)
{
	long               r1 = org_region(NULL), r2 = org_region(NULL);
	long               a = org_board(r1), b = org_board(r2);
	struct org_school *sa = org_school(a, NULL, NULL);
	struct org_school *sb = org_school(b, NULL, NULL);
	struct itest_user *ba = org_account("board_admin", a, 0);
	struct itest_user *rv = org_account("region_viewer", 0, r1);
	struct itest_user *t1 = org_account("trainer", 0, 0);
	struct itest_user *t2 = org_account("trainer", 0, 0);
	long               tr = new_training(t1->token);
	const char        *admin = org_admin();
	const struct {
		const char *method, *path, *token;
		long        status;
		const char *code; /* NULL: a success */
	} cases[] = {
	    /* Boards: the own one only; an admin any that exists. */
	    {"GET", itest_fmt("/api/v1/boards/%ld/coverage", a), ba->token, 200,
	     NULL},
	    {"GET", itest_fmt("/api/v1/boards/%ld/coverage", b), ba->token, 403,
	     "forbidden"},
	    {"GET", itest_fmt("/api/v1/boards/%ld/schools", b), ba->token, 403,
	     "forbidden"},
	    {"GET", itest_fmt("/api/v1/boards/%ld/coverage/history", b),
	     ba->token, 403, "forbidden"},
	    {"GET", itest_fmt("/api/v1/boards/%ld/coverage", b), admin, 200,
	     NULL},
	    {"GET", "/api/v1/boards/999999999/schools", admin, 404,
	     "not_found"},
	    {"GET", "/api/v1/boards/9223372036854775807/coverage", admin, 404,
	     "not_found"},
	    /* Schools: in the path's board and in the caller's. */
	    {"GET",
	     itest_fmt("/api/v1/boards/%ld/schools/%ld/staff", a, sa->id),
	     ba->token, 200, NULL},
	    {"GET",
	     itest_fmt("/api/v1/boards/%ld/schools/%ld/staff", a, sb->id),
	     ba->token, 403, "forbidden"},
	    {"GET",
	     itest_fmt("/api/v1/boards/%ld/schools/%ld/expiring", b, sb->id),
	     ba->token, 403, "forbidden"},
	    {"GET", itest_fmt("/api/v1/boards/%ld/schools/999999999/staff", a),
	     ba->token, 403, "forbidden"},
	    {"GET",
	     itest_fmt("/api/v1/boards/%ld/schools/%ld/staff", a, sb->id),
	     admin, 403, "forbidden"},
	    {"GET",
	     itest_fmt("/api/v1/boards/%ld/schools/%ld/staff", b, sb->id),
	     admin, 200, NULL},
	    {"GET",
	     itest_fmt("/api/v1/boards/%ld/schools/999999999/expiring", a),
	     admin, 404, "not_found"},
	    {"POST", itest_fmt("/api/v1/schools/%ld/join-code", sb->id),
	     ba->token, 403, "forbidden"},
	    {"POST", "/api/v1/schools/999999999/join-code", ba->token, 403,
	     "forbidden"},
	    {"POST", "/api/v1/schools/999999999/join-code", admin, 404,
	     "not_found"},
	    /* Regions: the own one only. */
	    {"GET", itest_fmt("/api/v1/regions/%ld/coverage", r1), rv->token,
	     200, NULL},
	    {"GET", itest_fmt("/api/v1/regions/%ld/coverage", r2), rv->token,
	     403, "forbidden"},
	    {"GET", itest_fmt("/api/v1/regions/%ld/coverage/history", r2),
	     rv->token, 403, "forbidden"},
	    {"GET", "/api/v1/regions/999999999/coverage/history", admin, 404,
	     "not_found"},
	    /* Trainings: the caller's own. */
	    {"GET", itest_fmt("/api/v1/trainings/%ld", tr), t1->token, 200,
	     NULL},
	    {"GET", itest_fmt("/api/v1/trainings/%ld", tr), t2->token, 403,
	     "forbidden"},
	    {"GET", "/api/v1/trainings/999999999", t2->token, 404, "not_found"},
	    /* Invitations: only the caller's own exist for them. */
	    {"POST", "/api/v1/me/invitations/999999999/accept",
	     org_demo_token("teacher"), 404, "not_found"},
	};
	bool bad = false;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct itest_req   rq = {.method = cases[i].method,
		                         .path = cases[i].path,
		                         .bearer = cases[i].token};
		struct itest_resp *r = itest_do(&rq);

		if (cases[i].code != NULL)
			bad |= !itest_soft_error(r, cases[i].status,
			                         cases[i].code);
		else if (r->status != cases[i].status) {
			print_error("%s: %ld, want %ld: %s\n", r->what,
			            r->status, cases[i].status, r->body);
			bad = true;
		}
	}
	assert_false(bad);
	/* The refused join code stayed. */
	assert_string_equal(
	    org_db_text("SELECT join_code FROM schools WHERE id = $1", 1,
	                (const char *[]){itest_fmt("%ld", sb->id)}),
	    sb->join_code);
}

/*
 * The path is checked before the body: a caller outside the scope learns
 * 403 whatever they send, and a malformed id is 404 whatever the body's
 * type.  (Before the route contract the handler looked at the body first:
 * 400 validation_failed and 415 here.)
 */
static void
test_route_path_before_body(void **state)
{
	long               a = org_board(0), b = org_board(0);
	struct org_school *sb = org_school(b, NULL, NULL);
	struct itest_user *ba = org_account("board_admin", a, 0);
	struct itest_user *t1 = org_account("trainer", 0, 0);
	struct itest_user *t2 = org_account("trainer", 0, 0);
	long               tr = new_training(t1->token);

	(void)state;
	itest_expect_error(
	    itest_put(
	        itest_fmt("/api/v1/schools/%ld/package/tv_series", sb->id),
	        ba->token, "{\"done_on\":\"gisteren\"}"),
	    403, "forbidden");
	itest_expect_error(org_send("POST",
	                            itest_fmt("/api/v1/boards/%ld/roster", b),
	                            ba->token, "text/plain", "x", 1),
	                   403, "forbidden");
	itest_expect_error(org_send("POST", "/api/v1/trainers/abc/boards",
	                            org_admin(), "text/plain", "x", 1),
	                   404, "not_found");
	itest_expect_error(
	    org_send("POST", itest_fmt("/api/v1/trainings/%ld/attendance", tr),
	             t2->token, "text/plain", "x", 1),
	    403, "forbidden");
	assert_int_equal(
	    org_db_long("SELECT count(*) FROM school_package WHERE school_id"
	                " = $1",
	                1, (const char *[]){itest_fmt("%ld", sb->id)}),
	    0);
}

/* A write without a name of its own is audited as "METHOD /route/{}", as
 * before the path values had types, so that old and new lines match. */
static void
test_route_audit_name_untyped(void **state)
{
	struct itest_user *u = itest_new_teacher();

	(void)state;
	itest_complete_sections(u->token);
	itest_quiz_start(u->token, ITEST_MODULE);
	assert_int_equal(
	    org_db_long("SELECT count(*) FROM audit_log WHERE actor_id = $1"
	                " AND action = 'POST /api/v1/modules/{}/quiz'"
	                " AND target = '/api/v1/modules/" ITEST_MODULE "/quiz'",
	                1, (const char *[]){itest_fmt("%ld", u->id)}),
	    1);
}

int
itest_run_routes(void)
{
	const struct CMUnitTest tests[] = {
	    ITEST(test_route_malformed_values),
	    ITEST(test_route_scope_every_kind),
	    ITEST(test_route_path_before_body),
	    ITEST(test_route_audit_name_untyped),
	};

	return cmocka_run_group_tests_name("routes", tests, NULL, NULL);
}
