/* Integration tests: what a region report and its history show cannot be
 * subtracted into the figures of a hidden group (issue 11, point 2). */
#include "itest.h"
#include "itest_org.h"

#include <string.h>

static void test_region_hidden_board_cannot_be_subtracted(void **state);
static void test_region_percentages_only_beside_counts(void **state);
static void test_region_history_of_two_staff_hides_counts(void **state);

static const char *const counters[] = {"teachers", "teachers_certified",
                                       "schools_with_af"};
#define N_COUNTERS (sizeof(counters) / sizeof(counters[0]))

/* A roster of `n` teachers for one school, the first `certified` of them
 * registered with every teacher module valid. */
static void
staff_school(const char *board_admin_token, long board,
             const struct org_school *s, int n, int certified)
{
	const char *csv = "email,name,role,brin\r\n";

	for (int i = 0; i < n; i++) {
		const char *email, *name;

		if (i < certified) {
			struct itest_user *u = org_register(s->join_code, NULL);

			org_certify_role(u->id, "teacher", "1 minute",
			                 "2 years");
			email = u->email;
			name = u->name;
		} else {
			email = itest_fmt("priv-%s@example.nl",
			                  itest_random_hex(6));
			name = itest_fmt("Persoon %s", itest_random_hex(4));
		}
		csv = itest_fmt("%s%s,%s,teacher,%s\r\n", csv, email, name,
		                s->brin);
	}
	itest_expect_json(org_roster(board_admin_token, board, csv), 200);
}

static json_t *
named(const json_t *list, const char *key, const char *name)
{
	json_t *e;
	size_t  i;

	json_array_foreach (list, i, e)
		if (strcmp(itest_jstr(e, key), name) == 0)
			return e;
	fail_msg("no row named %s", name);
	return NULL;
}

static bool
shown(const json_t *row, const char *counter)
{
	json_t *v = json_object_get(row, counter);

	if (v == NULL)
		fail_msg("no %s in %s", counter, itest_dump((json_t *)row));
	return !json_is_null(v);
}

/*
 * One level (boards or municipalities) of a report: with its total shown,
 * total minus the shown rows is the sum of the hidden rows; with one hidden
 * row that is its figure.  Fails when that happens for any counter.
 */
static void
expect_level_unsolvable(const json_t *report, const char *level)
{
	const json_t *total = json_object_get(report, "totals");
	const json_t *rows = json_object_get(report, level);

	for (size_t k = 0; k < N_COUNTERS; k++) {
		size_t  hidden = 0, i;
		json_t *row;

		if (!shown(total, counters[k]))
			continue;
		json_array_foreach (rows, i, row)
			if (!shown(row, counters[k]))
				hidden++;
		if (hidden == 1)
			fail_msg("%s: one hidden %s = total - shown rows: %s",
			         level, counters[k],
			         itest_dump((json_t *)report));
	}
}

/*
 * Board P (one school, 6 staff, 3 certified) and board Q (one school, 2
 * staff, 1 certified), both schools in one municipality M.  The old report
 * showed P, M and the total and hid Q: Q = total - P = M - P, for staff
 * and for teachers_certified.  Now none of those differences exist.
 */
static void
test_region_hidden_board_cannot_be_subtracted(void **state)
{
	long               region = org_region(NULL);
	long               p = org_board(region), q = org_board(region);
	char              *mun = itest_fmt("IT-gemeente %s", org_tag());
	struct org_school *ps = org_school(p, NULL, mun);
	struct org_school *qs = org_school(q, NULL, mun);
	struct itest_user *pba = org_account("board_admin", p, 0);
	struct itest_user *qba = org_account("board_admin", q, 0);
	struct itest_user *rv = org_account("region_viewer", 0, region);
	json_t            *j, *pr, *qr, *mr, *t;

	(void)state;
	staff_school(pba->token, p, ps, 6, 3);
	staff_school(qba->token, q, qs, 2, 1);
	j = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/regions/%ld/coverage", region),
	              rv->token),
	    200);
	t = itest_jobj(j, "totals");
	pr = org_find_by_id(itest_jarr(j, "boards"), "board_id", p);
	qr = org_find_by_id(itest_jarr(j, "boards"), "board_id", q);
	mr = named(itest_jarr(j, "municipalities"), "name", mun);
	assert_non_null(pr);
	assert_non_null(qr);
	assert_int_equal(itest_jint(t, "schools"), 2);
	/* Q: fewer than 5, so nothing of it shows. */
	assert_true(itest_jbool(qr, "suppressed"));
	for (size_t k = 0; k < N_COUNTERS; k++)
		assert_false(shown(qr, counters[k]));
	assert_true(json_is_null(json_object_get(qr, "coverage_pct")));
	/* Neither total - P nor M - P, for any counter. */
	for (size_t k = 0; k < N_COUNTERS; k++) {
		if (shown(pr, counters[k]) && shown(t, counters[k]))
			fail_msg("Q's %s = total - P: %s", counters[k],
			         itest_dump(j));
		if (shown(pr, counters[k]) && shown(mr, counters[k]))
			fail_msg("Q's %s = municipality - P: %s", counters[k],
			         itest_dump(j));
	}
	expect_level_unsolvable(j, "boards");
	expect_level_unsolvable(j, "municipalities");
	/* 4 of 8 certified: fewer than 5 on each side, never shown. */
	assert_false(shown(t, "teachers_certified"));
	assert_false(shown(mr, "teachers_certified"));
	/* The admin gets the same suppressed report. */
	j = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/regions/%ld/coverage", region),
	              org_admin()),
	    200);
	assert_true(
	    itest_jbool(org_find_by_id(itest_jarr(j, "boards"), "board_id", q),
	                "suppressed"));
	assert_false(
	    shown(org_find_by_id(itest_jarr(j, "boards"), "board_id", p),
	          "teachers") &&
	    shown(itest_jobj(j, "totals"), "teachers"));
}

/*
 * A region that does show its counts: boards A (12 staff, 6 certified) and
 * B (10 staff, 5 certified) in two municipalities.  Every percentage is a
 * whole number beside the two counts it comes from (27.3% of an unknown
 * total would give the counts away), and the shown figures add up.
 */
static void
test_region_percentages_only_beside_counts(void **state)
{
	long               region = org_region(NULL);
	long               a = org_board(region), b = org_board(region);
	struct org_school *as = org_school(a, NULL, NULL);
	struct org_school *bs = org_school(b, NULL, NULL);
	struct itest_user *aba = org_account("board_admin", a, 0);
	struct itest_user *bba = org_account("board_admin", b, 0);
	json_t            *j, *t, *row, *lists[2];
	size_t             i;

	(void)state;
	staff_school(aba->token, a, as, 12, 6);
	staff_school(bba->token, b, bs, 10, 5);
	j = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/regions/%ld/coverage", region),
	              org_admin()),
	    200);
	t = itest_jobj(j, "totals");
	assert_int_equal(itest_jint(t, "teachers"), 22);
	assert_int_equal(itest_jint(t, "teachers_certified"), 11);
	assert_true(json_is_integer(json_object_get(t, "coverage_pct")));
	assert_int_equal(itest_jint(t, "coverage_pct"), 50);
	row = org_find_by_id(itest_jarr(j, "boards"), "board_id", a);
	assert_int_equal(itest_jint(row, "teachers"), 12);
	assert_int_equal(itest_jint(row, "teachers_certified"), 6);
	assert_int_equal(itest_jint(row, "coverage_pct"), 50);
	row = org_find_by_id(itest_jarr(j, "boards"), "board_id", b);
	assert_int_equal(itest_jint(row, "teachers"), 10);
	assert_int_equal(itest_jint(row, "teachers_certified"), 5);
	lists[0] = itest_jarr(j, "boards");
	lists[1] = itest_jarr(j, "municipalities");
	for (int l = 0; l < 2; l++)
		json_array_foreach (lists[l], i, row) {
			json_t *pct = json_object_get(row, "coverage_pct");

			if (json_is_null(pct))
				continue;
			if (!json_is_integer(pct) || !shown(row, "teachers") ||
			    !shown(row, "teachers_certified"))
				fail_msg("a percentage without its counts: %s",
				         itest_dump(row));
		}
	expect_level_unsolvable(j, "boards");
	expect_level_unsolvable(j, "municipalities");
}

/* A region with 2 staff: no month of its history shows a count. */
static void
test_region_history_of_two_staff_hides_counts(void **state)
{
	long               region = org_region(NULL);
	long               q = org_board(region);
	struct org_school *qs = org_school(q, NULL, NULL);
	struct itest_user *qba = org_account("board_admin", q, 0);
	struct itest_user *rv = org_account("region_viewer", 0, region);
	json_t            *j, *e;
	size_t             i;

	(void)state;
	staff_school(qba->token, q, qs, 2, 1);
	j = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/regions/%ld/coverage/history", region),
	              rv->token),
	    200);
	assert_int_equal(json_array_size(j), 24);
	json_array_foreach (j, i, e) {
		assert_true(itest_jbool(e, "suppressed"));
		if (shown(e, "teachers") || shown(e, "teachers_certified") ||
		    shown(e, "coverage_pct"))
			fail_msg("month %s shows a count: %s",
			         itest_jstr(e, "month"), itest_dump(e));
	}
	/* The board itself still sees its own exact figures. */
	j = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/coverage/history", q),
	              qba->token),
	    200);
	assert_int_equal(itest_jint(json_array_get(j, 23), "teachers"), 2);
}

int
itest_run_region_privacy(void)
{
	const struct CMUnitTest tests[] = {
	    ITEST(test_region_hidden_board_cannot_be_subtracted),
	    ITEST(test_region_percentages_only_beside_counts),
	    ITEST(test_region_history_of_two_staff_hides_counts),
	};

	return cmocka_run_group_tests_name("region_privacy", tests, NULL, NULL);
}
