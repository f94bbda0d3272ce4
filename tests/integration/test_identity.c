/* Integration tests: a revoked token, a new role, a moved school or board
 * and an erased account take effect on the very next request, every worker. */
#include "itest_org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Every case first makes enough successful requests that each worker has
 * served the caller several times (nginx hands a request to any worker), so
 * that a per-worker cache of the caller, if one existed, would hold the old
 * state; then it changes the identity through the API a real admin or the
 * person uses, and checks the very next request and each of the next ones.
 */

/* The ib-only module that is read online (aandachtsfunctionaris/module.json:
 * "audience": ["ib"]), and its first section. */
#define IB_MODULE "aandachtsfunctionaris"
#define IB_SECTION "de-rol"

/* A roster of one person: email, role, BRIN. */
#define ROLE_LINE "email,name,role,brin\n%s,Wisselaar,%s,%s\n"

static int                rounds(void);
static const char        *first_section(void);
static void               expect_hot_ok(const char *token);
static void               warm(const char *token);
static void               expect_hot_unauthenticated(const char *token);
static const char        *listed_slugs(const char *token);
static const char        *audience_slugs(const char *role);
static void               expect_role_view(const char *token, const char *role);
static struct itest_user *verified_learner(const struct org_school *s);
static json_t            *me(const char *token);
static char              *two_tokens(const struct itest_user *u);
static long               only_region(const char *token);

static void test_identity_logout_revokes_on_every_worker(void **state);
static void test_identity_password_change_ends_every_token(void **state);
static void test_identity_role_change_next_request(void **state);
static void test_identity_school_move_next_request(void **state);
static void test_identity_board_admin_move_next_request(void **state);
static void test_identity_region_viewer_move_next_request(void **state);
static void test_identity_erase_next_request(void **state);

/*
 * Requests per phase: at least 3 per worker.  The test stack runs 4 workers
 * (HGKM_WORKERS, deploy/dev/stack.sh); 32 covers up to 10, and a larger
 * HGKM_WORKERS in the environment raises it.
 */
static int
rounds(void)
{
	const char *w = getenv("HGKM_WORKERS");
	long        n = w ? strtol(w, NULL, 10) : 0;

	return n > 0 && n <= 256 && 3 * n > 32 ? (int)(3 * n) : 32;
}

static const char *
first_section(void)
{
	return itest_module()->section_ids[0];
}

/* The three hot endpoints answer the caller: list, page, section done. */
static void
expect_hot_ok(const char *token)
{
	itest_expect_json(itest_get("/api/v1/modules", token), 200);
	itest_expect_json(itest_get("/api/v1/modules/" ITEST_MODULE, token),
	                  200);
	itest_expect_status(
	    itest_put(itest_fmt("/api/v1/modules/" ITEST_MODULE "/sections/%s",
	                        first_section()),
	              token, NULL),
	    204);
}

static void
warm(const char *token)
{
	for (int i = 0; i < rounds(); i++)
		expect_hot_ok(token);
}

/* The very next request and the `rounds` after it, on each hot endpoint:
 * 401 with the error shape, whichever worker answers. */
static void
expect_hot_unauthenticated(const char *token)
{
	const char *section = itest_fmt(
	    "/api/v1/modules/" ITEST_MODULE "/sections/%s", first_section());

	for (int i = 0; i <= rounds(); i++) {
		itest_expect_error(itest_get("/api/v1/modules", token), 401,
		                   "unauthenticated");
		itest_expect_error(
		    itest_get("/api/v1/modules/" ITEST_MODULE, token), 401,
		    "unauthenticated");
		itest_expect_error(itest_put(section, token, NULL), 401,
		                   "unauthenticated");
	}
}

/* The slugs GET /api/v1/modules lists, in its order, comma-separated. */
static const char *
listed_slugs(const char *token)
{
	json_t *list =
	    itest_expect_json(itest_get("/api/v1/modules", token), 200);
	json_t *m;
	size_t  i;
	char   *out = itest_fmt("%s", "");

	if (!json_is_array(list))
		fail_msg("not a list: %s", itest_dump(list));
	json_array_foreach (list, i, m)
		out = itest_fmt("%s%s%s", out, i ? "," : "",
		                itest_jstr(m, "slug"));
	return out;
}

/* What the list must hold for a role, from the database: the active
 * online modules whose audience has the role, in the list's order. */
static const char *
audience_slugs(const char *role)
{
	char *s = org_db_text(
	    "SELECT coalesce(string_agg(slug, ',' ORDER BY position, slug),"
	    " '') FROM modules WHERE active AND NOT in_person"
	    " AND $1 = ANY (audience)",
	    1, (const char *[]){role});

	return s ? s : "";
}

/*
 * One request of each kind, as the role sees them: the list is exactly the
 * role's modules, the ib-only module and its section are there for an ib and
 * 404 for a teacher, and /me tells the role.
 */
static void
expect_role_view(const char *token, const char *role)
{
	bool        ib = strcmp(role, "ib") == 0;
	const char *want = audience_slugs(role);
	const char *got = listed_slugs(token);

	if (strcmp(got, want) != 0)
		fail_msg("as %s the list shows %s, not %s", role, got, want);
	if (ib) {
		itest_expect_json(
		    itest_get("/api/v1/modules/" IB_MODULE, token), 200);
		itest_expect_status(itest_put("/api/v1/modules/" IB_MODULE
		                              "/sections/" IB_SECTION,
		                              token, NULL),
		                    204);
	} else {
		itest_expect_error(
		    itest_get("/api/v1/modules/" IB_MODULE, token), 404,
		    "not_found");
		itest_expect_error(itest_put("/api/v1/modules/" IB_MODULE
		                             "/sections/" IB_SECTION,
		                             token, NULL),
		                   404, "not_found");
	}
	assert_string_equal(itest_jstr(me(token), "role"), role);
}

/* A teacher registered with the school's join code, address verified
 * through the mail (so that a roster of the school's board moves it). */
static struct itest_user *
verified_learner(const struct org_school *s)
{
	struct itest_user *u = org_register(s->join_code, NULL);

	org_verify_by_mail(u->email);
	return u;
}

static json_t *
me(const char *token)
{
	return itest_expect_json(itest_get("/api/v1/me", token), 200);
}

/* A second session of the user (u->token is the first): a new login. */
static char *
two_tokens(const struct itest_user *u)
{
	char *t = itest_login_token(u->email, u->password);

	assert_string_not_equal(t, u->token);
	return t;
}

/* Tests. */

/* Logging out with a bearer token ends that token on every worker at
 * once; the same person's other session keeps working. */
static void
test_identity_logout_revokes_on_every_worker(void **state)
{
	struct itest_user *u = itest_new_teacher();
	char              *other = two_tokens(u);

	(void)state;
	warm(u->token);
	warm(other);
	itest_expect_status(
	    itest_post_json("/api/v1/auth/logout", u->token, NULL), 204);
	expect_hot_unauthenticated(u->token);
	itest_expect_error(itest_get("/api/v1/me", u->token), 401,
	                   "unauthenticated");
	/* Only that token: the check is per token, not per person. */
	for (int i = 0; i <= rounds(); i++)
		expect_hot_ok(other);
}

/* A password change (tokens_valid_after) ends every session of the
 * account, the one that made the change too; a new login works. */
static void
test_identity_password_change_ends_every_token(void **state)
{
	struct itest_user *u = itest_new_teacher();
	char              *other = two_tokens(u);
	char              *next = itest_strong_password();
	json_t            *b;

	(void)state;
	warm(u->token);
	warm(other);
	b = itest_keep_json(json_pack("{s:s, s:s}", "current_password",
	                              u->password, "new_password", next));
	itest_expect_status(
	    itest_post_json("/api/v1/auth/password", u->token, itest_dump(b)),
	    204);
	expect_hot_unauthenticated(other);
	expect_hot_unauthenticated(u->token);
	expect_hot_ok(itest_login_token(u->email, next));
}

/*
 * A roster of the board (the board admin's upload) makes a teacher an ib,
 * and back: from the very next request the list is exactly the new role's
 * modules, and the ib-only module and its section answer 200/204 for the
 * ib and 404 for the teacher.
 */
static void
test_identity_role_change_next_request(void **state)
{
	long               board = org_board(0);
	struct org_school *s = org_school(board, NULL, NULL);
	struct itest_user *ba = org_account("board_admin", board, 0);
	struct itest_user *u = verified_learner(s);

	(void)state;
	/* Without a difference between the roles this test proves nothing. */
	assert_string_not_equal(audience_slugs("teacher"),
	                        audience_slugs("ib"));
	for (int i = 0; i < rounds(); i++)
		expect_role_view(u->token, "teacher");

	itest_expect_json(
	    org_roster(ba->token, board,
	               itest_fmt(ROLE_LINE, u->email, "ib", s->brin)),
	    200);
	/* The very next request and the ones after it: an ib. */
	for (int i = 0; i <= rounds(); i++)
		expect_role_view(u->token, "ib");

	itest_expect_json(
	    org_roster(ba->token, board,
	               itest_fmt(ROLE_LINE, u->email, "teacher", s->brin)),
	    200);
	for (int i = 0; i <= rounds(); i++)
		expect_role_view(u->token, "teacher");
}

/*
 * The board's roster moves a learner from school A to school B: /me shows
 * B (and its board) from the very next request on, the learner keeps
 * working, and the board's staff lists and coverage show the learner,
 * linked, at B and no longer at A.
 */
static void
test_identity_school_move_next_request(void **state)
{
	long               board = org_board(0);
	struct org_school *a = org_school(board, NULL, NULL);
	struct org_school *b = org_school(board, NULL, NULL);
	struct itest_user *ba = org_account("board_admin", board, 0);
	struct itest_user *u = verified_learner(a);
	json_t            *m, *e, *cov;

	(void)state;
	for (int i = 0; i < rounds(); i++) {
		m = me(u->token);
		assert_int_equal(itest_jint(itest_jobj(m, "school"), "id"),
		                 a->id);
		expect_hot_ok(u->token);
	}
	e = org_staff_entry(ba->token, board, a->id, u->email);
	assert_non_null(e);
	assert_int_equal(itest_jint(e, "user_id"), u->id);

	itest_expect_json(
	    org_roster(ba->token, board,
	               itest_fmt("email,name,role,brin\n%s,Verhuizer,"
	                         "teacher,%s\n",
	                         u->email, b->brin)),
	    200);
	for (int i = 0; i <= rounds(); i++) {
		m = me(u->token);
		assert_int_equal(itest_jint(itest_jobj(m, "school"), "id"),
		                 b->id);
		assert_string_equal(itest_jstr(itest_jobj(m, "school"), "brin"),
		                    b->brin);
		assert_int_equal(itest_jint(itest_jobj(m, "board"), "id"),
		                 board);
		expect_hot_ok(u->token);
	}
	e = org_staff_entry(ba->token, board, b->id, u->email);
	assert_non_null(e);
	assert_int_equal(itest_jint(e, "user_id"), u->id);
	assert_string_equal(itest_jstr(e, "link"), "linked");
	assert_null(org_staff_entry(ba->token, board, a->id, u->email));
	/* And the board's coverage counts the learner at B, not at A. */
	cov = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/coverage", board),
	              ba->token),
	    200);
	assert_int_equal(itest_jint(org_find_by_id(itest_jarr(cov, "schools"),
	                                           "school_id", a->id),
	                            "teachers"),
	                 0);
	assert_int_equal(itest_jint(org_find_by_id(itest_jarr(cov, "schools"),
	                                           "school_id", b->id),
	                            "teachers"),
	                 1);
}

/*
 * A board admin moved to another board (no endpoint changes an admin-made
 * account's board, so the test sets users.board_id directly): from the very
 * next request the old board's reports and staff lists are 403, the new
 * board's are 200, and /me shows the new board.
 */
static void
test_identity_board_admin_move_next_request(void **state)
{
	long               old_board = org_board(0), new_board = org_board(0);
	struct org_school *old_s = org_school(old_board, NULL, NULL);
	struct org_school *new_s = org_school(new_board, NULL, NULL);
	struct itest_user *ba = org_account("board_admin", old_board, 0);
	const char        *old_cov =
	    itest_fmt("/api/v1/boards/%ld/coverage", old_board);
	const char *new_cov =
	    itest_fmt("/api/v1/boards/%ld/coverage", new_board);
	const char *old_staff = itest_fmt(
	    "/api/v1/boards/%ld/schools/%ld/staff", old_board, old_s->id);
	const char *new_staff = itest_fmt(
	    "/api/v1/boards/%ld/schools/%ld/staff", new_board, new_s->id);

	(void)state;
	for (int i = 0; i < rounds(); i++) {
		itest_expect_json(itest_get(old_cov, ba->token), 200);
		itest_expect_json(itest_get(old_staff, ba->token), 200);
		itest_expect_error(itest_get(new_cov, ba->token), 403,
		                   "forbidden");
	}
	assert_int_equal(
	    org_db_exec("UPDATE users SET board_id = $2 WHERE id = $1", 2,
	                (const char *[]){itest_fmt("%ld", ba->id),
	                                 itest_fmt("%ld", new_board)}),
	    1);
	for (int i = 0; i <= rounds(); i++) {
		itest_expect_error(itest_get(old_cov, ba->token), 403,
		                   "forbidden");
		itest_expect_error(itest_get(old_staff, ba->token), 403,
		                   "forbidden");
		itest_expect_json(itest_get(new_cov, ba->token), 200);
		itest_expect_json(itest_get(new_staff, ba->token), 200);
		assert_int_equal(
		    itest_jint(itest_jobj(me(ba->token), "board"), "id"),
		    new_board);
	}
}

/* The id of the only region GET /api/v1/regions shows the caller. */
static long
only_region(const char *token)
{
	json_t *list =
	    itest_expect_json(itest_get("/api/v1/regions", token), 200);

	if (!json_is_array(list) || json_array_size(list) != 1)
		fail_msg("a region viewer sees one region, not %s",
		         itest_dump(list));
	return itest_jint(json_array_get(list, 0), "id");
}

/*
 * The same for a region viewer moved to another region (users.region_id
 * set directly, for the same reason): from the very next request the old
 * region's report is 403, the new one's 200, and the region list and /me
 * name the new region.
 */
static void
test_identity_region_viewer_move_next_request(void **state)
{
	long old_region = org_region(NULL), new_region = org_region(NULL);
	struct itest_user *rv = org_account("region_viewer", 0, old_region);
	const char        *old_cov =
	    itest_fmt("/api/v1/regions/%ld/coverage", old_region);
	const char *new_cov =
	    itest_fmt("/api/v1/regions/%ld/coverage", new_region);

	(void)state;
	for (int i = 0; i < rounds(); i++) {
		itest_expect_json(itest_get(old_cov, rv->token), 200);
		itest_expect_error(itest_get(new_cov, rv->token), 403,
		                   "forbidden");
		assert_int_equal(only_region(rv->token), old_region);
	}
	assert_int_equal(
	    org_db_exec("UPDATE users SET region_id = $2 WHERE id = $1", 2,
	                (const char *[]){itest_fmt("%ld", rv->id),
	                                 itest_fmt("%ld", new_region)}),
	    1);
	for (int i = 0; i <= rounds(); i++) {
		itest_expect_error(itest_get(old_cov, rv->token), 403,
		                   "forbidden");
		itest_expect_json(itest_get(new_cov, rv->token), 200);
		assert_int_equal(only_region(rv->token), new_region);
		assert_int_equal(
		    itest_jint(itest_jobj(me(rv->token), "region"), "id"),
		    new_region);
	}
}

/* The admin erases an account: each of its sessions is 401 on every hot
 * endpoint from the very next request on.  At a school of its own: an erased
 * account stays on its school's staff list, and the demo school's list is
 * what the browser suite uploads again as a roster. */
static void
test_identity_erase_next_request(void **state)
{
	struct org_school *s = org_school(org_board(0), NULL, NULL);
	struct itest_user *u = verified_learner(s);
	char              *other = two_tokens(u);

	(void)state;
	warm(u->token);
	warm(other);
	itest_expect_status(
	    org_send("POST", itest_fmt("/api/v1/users/%ld/erase", u->id),
	             org_admin(), "application/json", "{}", 2),
	    204);
	expect_hot_unauthenticated(u->token);
	expect_hot_unauthenticated(other);
	itest_expect_error(itest_get("/api/v1/me", other), 401,
	                   "unauthenticated");
}

int
itest_run_identity(void)
{
	const struct CMUnitTest tests[] = {
	    ITEST(test_identity_logout_revokes_on_every_worker),
	    ITEST(test_identity_password_change_ends_every_token),
	    ITEST(test_identity_role_change_next_request),
	    ITEST(test_identity_school_move_next_request),
	    ITEST(test_identity_board_admin_move_next_request),
	    ITEST(test_identity_region_viewer_move_next_request),
	    ITEST(test_identity_erase_next_request),
	};

	return cmocka_run_group_tests_name("identity", tests, NULL, NULL);
}
