/* Integration tests: board coverage (JSON and CSV), coverage history, staff
 * drill-down, expiring certificates, the package checklist, cross-board
 * refusals, and region aggregates with suppression of small groups. */
#include "itest_org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* What each role must hold (sql/003_requirements.sql, 012 and 013). */
static const char *const teacher_req[] = {
    "signalen-herkennen", "meldcode-vijf-stappen", "het-gesprek",
    "samenwerken",        "handle-with-care",      "wet-en-privacy",
    "online-en-seksueel", "lessen-in-de-klas",
};
static const char *const ib_req[] = {
    "signalen-herkennen",  "meldcode-vijf-stappen", "het-gesprek",
    "samenwerken",         "handle-with-care",      "wet-en-privacy",
    "online-en-seksueel",  "lessen-in-de-klas",     "aandachtsfunctionaris",
    "af-praktijktraining",
};
#define N_TEACHER_REQ (sizeof(teacher_req) / sizeof(teacher_req[0]))
#define N_IB_REQ (sizeof(ib_req) / sizeof(ib_req[0]))

/*
 * A fresh board in a fresh region with two schools:
 *   A: t1 (account, every module passed), t2 (account, every module, one
 *      expiring in 30 days), t3 (on the roster, no account), i1 (IB'er with
 *      an account, every IB module including the af one);
 *   B (its name starts with "="): t4 (account, every module but one, which
 *      expired), t5 (roster only), t6 (account, every module).
 * Expected: A 3 of 4 certified (75.0), B 1 of 3 (33.3), totals 4 of 7
 * (57.1); A has a certified aandachtsfunctionaris; one certificate expires
 * within 90 days.
 */
struct board_fx {
	long               region, board;
	struct org_school *a, *b;
	struct itest_user *ba;
	struct itest_user *t1, *t2, *i1, *t4, *t6;
	const char        *t3_email, *t3_name, *t5_email, *t5_name;
	const char        *roster; /* the roster uploaded */
};

static void    board_fixture(struct board_fx *fx, bool t1_via_api,
                             const char *issued_ago);
static char   *roster_row(const char *csv, const char *email, const char *name,
                          const char *role, const char *brin);
static json_t *coverage(const char *token, long board);
static json_t *school_row(const json_t *cov, long school_id);
static void    expect_counts(const json_t *row, long teachers, long certified,
                             long ib, long ib_certified, long expiring);
static size_t  csv_parse(const char *text, char ***cells, size_t *ncols,
                         size_t max_rows);
static const char *csv_get(char **cells, size_t ncols, size_t row,
                           const char *const *header, const char *col);
static json_t     *find_person(const json_t *staff, const char *email);
static json_t     *find_module(const json_t *person, const char *slug);
static json_t     *find_named(const json_t *list, const char *name);
static void        expect_no_data(const struct itest_resp *r,
                                  const char *const       *secrets);

static void test_board_coverage_counts(void **state);
static void test_board_coverage_csv(void **state);
static void test_board_history(void **state);
static void test_board_staff_drilldown(void **state);
static void test_board_expiring(void **state);
static void test_board_package(void **state);
static void test_board_schools_list(void **state);
static void test_board_cross_board_forbidden(void **state);
static void test_board_empty_board(void **state);
static void test_region_coverage_suppressed(void **state);
static void test_region_forbidden(void **state);

/* Helpers. */

static char *
roster_row(const char *csv, const char *email, const char *name,
           const char *role, const char *brin)
{
	return itest_fmt("%s%s,%s,%s,%s\r\n", csv, email, name, role, brin);
}

static void
board_fixture(struct board_fx *fx, bool t1_via_api, const char *issued_ago)
{
	const char *tag = org_tag();
	char       *csv = itest_fmt("email,name,role,brin\r\n");
	json_t     *j;

	memset(fx, 0, sizeof(*fx));
	fx->region = org_region(NULL);
	fx->board = org_board(fx->region);
	fx->a = org_school(fx->board, itest_fmt("IT Antonius %s", tag), NULL);
	fx->b =
	    org_school(fx->board, itest_fmt("=SUM(1+1) IT Bron %s", tag), NULL);
	fx->ba = org_account("board_admin", fx->board, 0);

	fx->t1 = org_register(fx->a->join_code, itest_fmt("Tess Een %s", tag));
	fx->t2 = org_register(fx->a->join_code, itest_fmt("Tim Twee %s", tag));
	fx->i1 = org_register(fx->a->join_code, itest_fmt("Iris Ib %s", tag));
	fx->t4 = org_register(fx->b->join_code, itest_fmt("Tom Vier %s", tag));
	fx->t6 = org_register(fx->b->join_code, itest_fmt("Tara Zes %s", tag));
	fx->t3_email = itest_fmt("drie-%s@example.nl", itest_random_hex(6));
	fx->t3_name = itest_fmt("Thijs Drie %s", tag);
	fx->t5_email = itest_fmt("vijf-%s@example.nl", itest_random_hex(6));
	fx->t5_name = itest_fmt("Tineke Vijf %s", tag);
	/* A roster role applies to a verified account. */
	org_verify_email(fx->i1->id);

	csv = roster_row(csv, fx->t1->email, fx->t1->name, "teacher",
	                 fx->a->brin);
	csv = roster_row(csv, fx->t2->email, fx->t2->name, "teacher",
	                 fx->a->brin);
	csv =
	    roster_row(csv, fx->t3_email, fx->t3_name, "teacher", fx->a->brin);
	csv = roster_row(csv, fx->i1->email, fx->i1->name, "ib", fx->a->brin);
	csv = roster_row(csv, fx->t4->email, fx->t4->name, "teacher",
	                 fx->b->brin);
	csv =
	    roster_row(csv, fx->t5_email, fx->t5_name, "teacher", fx->b->brin);
	csv = roster_row(csv, fx->t6->email, fx->t6->name, "teacher",
	                 fx->b->brin);
	fx->roster = csv;
	j = itest_expect_json(org_roster(fx->ba->token, fx->board, csv), 200);
	/* The five who joined by code are on the list already; i1 changes
	 * role; t3 and t5 are new. */
	if (itest_jint(j, "created") != 2 || itest_jint(j, "updated") != 1 ||
	    itest_jint(j, "unchanged") != 4 || itest_jint(j, "removed") != 0)
		fail_msg("first roster: expected created 2, updated 1, "
		         "unchanged 4, removed 0; got %s",
		         itest_dump(j));
	assert_string_equal(
	    org_db_text("SELECT role FROM users WHERE id = $1", 1,
	                (const char *[]){itest_fmt("%ld", fx->i1->id)}),
	    "ib");

	/* Certificates.  t1 goes through the API when asked (the real path);
	 * the others are written with SQL, which keeps the test fast and lets
	 * it set issue and expiry dates. */
	for (size_t i = 0; i < N_TEACHER_REQ; i++) {
		if (t1_via_api)
			(void)org_pass_module(fx->t1->token, teacher_req[i]);
		else
			org_insert_certificate(fx->t1->id, teacher_req[i],
			                       "1 minute", "24 months");
		org_insert_certificate(
		    fx->t2->id, teacher_req[i], issued_ago,
		    strcmp(teacher_req[i], "handle-with-care") == 0
		        ? "30 days"
		        : "21 months");
		org_insert_certificate(fx->t6->id, teacher_req[i], issued_ago,
		                       "21 months");
		if (strcmp(teacher_req[i], "handle-with-care") != 0)
			org_insert_certificate(fx->t4->id, teacher_req[i],
			                       issued_ago, "21 months");
		else
			org_insert_certificate(fx->t4->id, teacher_req[i],
			                       "25 months", "-1 month");
	}
	for (size_t i = 0; i < N_IB_REQ; i++)
		org_insert_certificate(fx->i1->id, ib_req[i], issued_ago,
		                       "21 months");
}

static json_t *
coverage(const char *token, long board)
{
	return itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/coverage", board), token),
	    200);
}

static json_t *
school_row(const json_t *cov, long school_id)
{
	return org_find_by_id(itest_jarr(cov, "schools"), "school_id",
	                      school_id);
}

static void
expect_counts(const json_t *row, long teachers, long certified, long ib,
              long ib_certified, long expiring)
{
	if (itest_jint(row, "teachers") != teachers ||
	    itest_jint(row, "teachers_certified") != certified ||
	    itest_jint(row, "ib") != ib ||
	    itest_jint(row, "ib_certified") != ib_certified ||
	    itest_jint(row, "expiring_90d") != expiring)
		fail_msg("expected teachers %ld, certified %ld, ib %ld, "
		         "ib_certified %ld, expiring_90d %ld; got %s",
		         teachers, certified, ib, ib_certified, expiring,
		         itest_dump(row));
}

/* Splits CSV text (RFC 4180: quotes, "" inside quotes, CRLF or LF) into a
 * row-major table of at most max_rows rows; returns the number of rows.
 * The cells belong to the test. */
static size_t
csv_parse(const char *text, char ***cells, size_t *ncols, size_t max_rows)
{
	size_t cap = 2, n = 0, row = 0, col = 0, cols = 0;
	char **out;
	char  *cell = calloc(strlen(text) + 1, 1);
	size_t clen = 0;
	bool   quoted = false;

	/* At most one cell per separator or line end, plus one. */
	for (const char *p = text; *p; p++)
		cap += *p == ',' || *p == '\n' || *p == '\r';
	out = calloc(cap, sizeof(char *));
	assert_non_null(out);
	assert_non_null(cell);
	itest_keep(out, free);
	itest_keep(cell, free);
	for (const char *p = text;; p++) {
		if (quoted) {
			if (*p == '\0')
				fail_msg("unterminated quote in CSV");
			if (*p == '"' && p[1] == '"') {
				cell[clen++] = '"';
				p++;
			} else if (*p == '"') {
				quoted = false;
			} else {
				cell[clen++] = *p;
			}
			continue;
		}
		if (*p == '"' && clen == 0) {
			quoted = true;
			continue;
		}
		if (*p == ',' || *p == '\r' || *p == '\n' || *p == '\0') {
			if (*p == '\0' && clen == 0 && col == 0)
				break;
			if (*p == '\n' && clen == 0 && col == 0)
				continue; /* the LF of a CRLF */
			assert_true(n < cap);
			cell[clen] = '\0';
			out[n++] = itest_fmt("%s", cell);
			clen = 0;
			col++;
			if (*p != ',') {
				if (row == 0)
					cols = col;
				else if (col != cols)
					fail_msg(
					    "CSV row %zu has %zu cells, the "
					    "header %zu",
					    row + 1, col, cols);
				row++;
				col = 0;
				if (row >= max_rows || *p == '\0')
					break;
			}
			continue;
		}
		cell[clen++] = *p;
	}
	*cells = out;
	*ncols = cols;
	return row;
}

/* A cell by column name, or NULL when the header lacks it. */
static const char *
csv_get(char **cells, size_t ncols, size_t row, const char *const *header,
        const char *col)
{
	for (size_t k = 0; k < ncols; k++)
		if (strcmp(header[k], col) == 0)
			return cells[row * ncols + k];
	fail_msg("CSV header has no column %s", col);
	return NULL;
}

static json_t *
find_person(const json_t *staff, const char *email)
{
	json_t *p;
	size_t  i;

	json_array_foreach (staff, i, p) {
		json_t *e = json_object_get(p, "email");

		if (json_is_string(e) &&
		    strcasecmp(json_string_value(e), email) == 0)
			return p;
	}
	fail_msg("%s is not in %.800s", email, itest_dump(staff));
	return NULL;
}

static json_t *
find_module(const json_t *person, const char *slug)
{
	json_t *m;
	size_t  i;

	json_array_foreach (itest_jarr(person, "modules"), i, m) {
		json_t *s = json_object_get(m, "slug");

		if (json_is_string(s) &&
		    strcmp(json_string_value(s), slug) == 0)
			return m;
	}
	fail_msg("module %s is not in %s", slug, itest_dump(person));
	return NULL;
}

static json_t *
find_named(const json_t *list, const char *name)
{
	json_t *e;
	size_t  i;

	json_array_foreach (list, i, e) {
		json_t *n = json_object_get(e, "name");

		if (json_is_string(n) &&
		    strcmp(json_string_value(n), name) == 0)
			return e;
	}
	fail_msg("no entry named %s in %.800s", name, itest_dump(list));
	return NULL;
}

/* 403 forbidden, and none of the secrets anywhere in the body. */
static void
expect_no_data(const struct itest_resp *r, const char *const *secrets)
{
	itest_expect_error(r, 403, "forbidden");
	for (size_t i = 0; secrets[i] != NULL; i++)
		if (strstr(r->body, secrets[i]) != NULL)
			fail_msg("%s: the refusal shows \"%s\": %s", r->what,
			         secrets[i], r->body);
}

/* Tests. */

static void
test_board_coverage_counts(void **state)
{
	struct board_fx fx;
	json_t         *cov, *a, *b, *t, *pkg;

	(void)state;
	board_fixture(&fx, true, "1 minute");
	cov = coverage(fx.ba->token, fx.board);
	assert_int_equal(itest_jint(itest_jobj(cov, "board"), "id"), fx.board);
	(void)itest_expect_time(itest_jstr(cov, "as_of"));
	assert_int_equal(json_array_size(itest_jarr(cov, "schools")), 2);

	a = school_row(cov, fx.a->id);
	assert_string_equal(itest_jstr(a, "name"), fx.a->name);
	assert_string_equal(itest_jstr(a, "brin"), fx.a->brin);
	assert_string_equal(itest_jstr(a, "municipality"), fx.a->municipality);
	expect_counts(a, 4, 3, 1, 1, 1);
	assert_true(itest_jbool(a, "has_certified_af"));
	org_expect_pct(a, "coverage_pct", 75.0);
	pkg = itest_jobj(a, "package");
	assert_int_equal(json_object_size(pkg), 5);
	assert_true(json_is_null(json_object_get(pkg, "tv_series")));

	b = school_row(cov, fx.b->id);
	assert_string_equal(itest_jstr(b, "name"), fx.b->name);
	expect_counts(b, 3, 1, 0, 0, 0);
	assert_false(itest_jbool(b, "has_certified_af"));
	org_expect_pct(b, "coverage_pct", 33.3);

	t = itest_jobj(cov, "totals");
	assert_int_equal(itest_jint(t, "schools"), 2);
	expect_counts(t, 7, 4, 1, 1, 1);
	assert_int_equal(itest_jint(t, "schools_with_af"), 1);
	org_expect_pct(t, "coverage_pct", 57.1);

	/* The admin sees the same report. */
	t = itest_jobj(coverage(org_admin(), fx.board), "totals");
	expect_counts(t, 7, 4, 1, 1, 1);

	/* t6's certificates expire: B drops to 0 of 3, the totals to 3 of
	 * 7 (42.9). */
	assert_true(
	    org_db_exec("UPDATE certificates SET expires_at = now()"
	                " - interval '1 second' WHERE user_id = $1",
	                1, (const char *[]){itest_fmt("%ld", fx.t6->id)}) ==
	    (long)N_TEACHER_REQ);
	cov = coverage(fx.ba->token, fx.board);
	b = school_row(cov, fx.b->id);
	expect_counts(b, 3, 0, 0, 0, 0);
	org_expect_pct(b, "coverage_pct", 0.0);
	org_expect_pct(itest_jobj(cov, "totals"), "coverage_pct", 42.9);
}

static void
test_board_coverage_csv(void **state)
{
	static const char *const cols[] = {
	    "school_id",
	    "name",
	    "brin",
	    "municipality",
	    "teachers",
	    "teachers_certified",
	    "ib",
	    "ib_certified",
	    "has_certified_af",
	    "expiring_90d",
	    "coverage_pct",
	    "package_tv_series",
	    "package_lesson_kit",
	    "package_parent_letter",
	    "package_veilig_thuis_contact",
	    "package_neighbourhood_team",
	};
	struct board_fx    fx;
	struct itest_resp *r;
	char             **cells;
	size_t             ncols, nrows, ra = 0, rb = 0;
	const char *const *header;
	const char        *name_b;

	(void)state;
	board_fixture(&fx, false, "1 minute");
	itest_expect_status(
	    itest_put(
	        itest_fmt("/api/v1/schools/%ld/package/lesson_kit", fx.a->id),
	        fx.ba->token, "{\"done_on\":\"2026-02-03\"}"),
	    204);
	r = itest_get(
	    itest_fmt("/api/v1/boards/%ld/coverage?format=csv", fx.board),
	    fx.ba->token);
	itest_expect_status(r, 200);
	if (r->content_type == NULL ||
	    strcmp(r->content_type, "text/csv; charset=utf-8") != 0)
		fail_msg("CSV Content-Type: %s",
		         r->content_type ? r->content_type : "(none)");
	nrows = csv_parse(r->body, &cells, &ncols, 100);
	assert_int_equal(nrows, 3); /* header and two schools */
	header = (const char *const *)cells;
	for (size_t k = 0; k < sizeof(cols) / sizeof(cols[0]); k++)
		(void)csv_get(cells, ncols, 0, header, cols[k]);
	for (size_t row = 1; row < nrows; row++) {
		long id = strtol(
		    csv_get(cells, ncols, row, header, "school_id"), NULL, 10);

		if (id == fx.a->id)
			ra = row;
		else if (id == fx.b->id)
			rb = row;
	}
	if (ra == 0 || rb == 0)
		fail_msg("the CSV lacks a school: %s", r->body);
#define CELL(row, col) csv_get(cells, ncols, (row), header, (col))
	assert_string_equal(CELL(ra, "name"), fx.a->name);
	assert_string_equal(CELL(ra, "brin"), fx.a->brin);
	assert_string_equal(CELL(ra, "municipality"), fx.a->municipality);
	assert_string_equal(CELL(ra, "teachers"), "4");
	assert_string_equal(CELL(ra, "teachers_certified"), "3");
	assert_string_equal(CELL(ra, "ib"), "1");
	assert_string_equal(CELL(ra, "ib_certified"), "1");
	assert_string_equal(CELL(ra, "has_certified_af"), "ja");
	assert_string_equal(CELL(ra, "expiring_90d"), "1");
	assert_string_equal(CELL(ra, "coverage_pct"), "75.0");
	assert_string_equal(CELL(ra, "package_lesson_kit"), "2026-02-03");
	assert_string_equal(CELL(ra, "package_tv_series"), "");
	/* A name that a spreadsheet would run as a formula gets a '. */
	name_b = itest_fmt("'%s", fx.b->name);
	assert_string_equal(CELL(rb, "name"), name_b);
	assert_string_equal(CELL(rb, "has_certified_af"), "nee");
	assert_string_equal(CELL(rb, "coverage_pct"), "33.3");
	assert_string_equal(CELL(rb, "teachers"), "3");
	assert_string_equal(CELL(rb, "teachers_certified"), "1");
#undef CELL
	/* No cell of the file starts with = + - @ (after the quote). */
	for (size_t i = 0; i < nrows * ncols; i++)
		if (strchr("=+-@", cells[i][0]) != NULL && cells[i][0] != '\0')
			fail_msg("CSV cell starts with a formula: %s",
			         cells[i]);
	/* Unknown formats are refused. */
	itest_expect_error(
	    itest_get(
	        itest_fmt("/api/v1/boards/%ld/coverage?format=xls", fx.board),
	        fx.ba->token),
	    400, "validation_failed");
}

/*
 * Coverage per month.  The fixture's staff are moved 5 months back (index
 * 18 of 24), the SQL certificates 3 months back (index 20); t4 has one that
 * expired a month ago (valid at the end of months 20 and 21, not 22); t1
 * is certified only this month; t5 leaves this month.
 */
static void
test_board_history(void **state)
{
	struct board_fx fx;
	json_t         *h, *e, *cov;
	const char     *pb = NULL;
	char           *csv;
	const char     *now_month;
	size_t          i;

	(void)state;
	board_fixture(&fx, false, "3 months");
	pb = itest_fmt("%ld", fx.board);
	assert_int_equal(org_db_exec("UPDATE staff st SET started_at = now() -"
	                             " interval '5 months' FROM schools s"
	                             " WHERE s.id = st.school_id"
	                             " AND s.board_id = $1",
	                             1, (const char *[]){pb}),
	                 7);
	/* t5 leaves: the roster without t5. */
	csv = itest_fmt("email,name,role,brin\r\n");
	csv = roster_row(csv, fx.t1->email, fx.t1->name, "teacher", fx.a->brin);
	csv = roster_row(csv, fx.t2->email, fx.t2->name, "teacher", fx.a->brin);
	csv = roster_row(csv, fx.t3_email, fx.t3_name, "teacher", fx.a->brin);
	csv = roster_row(csv, fx.i1->email, fx.i1->name, "ib", fx.a->brin);
	csv = roster_row(csv, fx.t4->email, fx.t4->name, "teacher", fx.b->brin);
	csv = roster_row(csv, fx.t6->email, fx.t6->name, "teacher", fx.b->brin);
	e = itest_expect_json(org_roster(fx.ba->token, fx.board, csv), 200);
	assert_int_equal(itest_jint(e, "removed"), 1);

	h = itest_expect_json(
	    itest_get(
	        itest_fmt("/api/v1/boards/%ld/coverage/history", fx.board),
	        fx.ba->token),
	    200);
	if (!json_is_array(h) || json_array_size(h) != 24)
		fail_msg("history is not 24 months: %s", itest_dump(h));
	now_month = org_db_text("SELECT to_char(now(), 'YYYY-MM')", 0, NULL);
	json_array_foreach (h, i, e) {
		long        n = itest_jint(e, "teachers");
		long        c = itest_jint(e, "teachers_certified");
		const char *month = itest_jstr(e, "month");
		const char *want = org_db_text(
		    "SELECT to_char(date_trunc('month', now()) - make_interval("
		    "months => $1::int), 'YYYY-MM')",
		    1, (const char *[]){itest_fmt("%zu", 23 - i)});
		long   wn = i < 18 ? 0 : (i < 23 ? 7 : 6);
		long   wc = i < 20 ? 0 : (i < 22 ? 4 : (i == 22 ? 3 : 4));
		double wp =
		    i < 20 ? 0.0 : (i < 22 ? 57.1 : (i == 22 ? 42.9 : 66.7));

		if (strcmp(month, want) != 0 || n != wn || c != wc)
			fail_msg(
			    "month %zu: expected %s with %ld teachers, %ld "
			    "certified; got %s\n  whole history: %s",
			    i, want, wn, wc, itest_dump(e), itest_dump(h));
		org_expect_pct(e, "coverage_pct", wp);
	}
	assert_string_equal(itest_jstr(json_array_get(h, 23), "month"),
	                    now_month);
	/* The last month agrees with the report of now. */
	cov = itest_jobj(coverage(fx.ba->token, fx.board), "totals");
	assert_int_equal(itest_jint(cov, "teachers"),
	                 itest_jint(json_array_get(h, 23), "teachers"));
	assert_int_equal(
	    itest_jint(cov, "teachers_certified"),
	    itest_jint(json_array_get(h, 23), "teachers_certified"));
}

static void
test_board_staff_drilldown(void **state)
{
	struct board_fx fx;
	json_t         *staff, *p, *m;
	size_t          i;

	(void)state;
	board_fixture(&fx, false, "1 minute");
	staff = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/schools/%ld/staff",
	                        fx.board, fx.a->id),
	              fx.ba->token),
	    200);
	assert_int_equal(json_array_size(staff), 4);

	p = find_person(staff, fx.t1->email);
	assert_int_equal(itest_jint(p, "user_id"), fx.t1->id);
	assert_string_equal(itest_jstr(p, "name"), fx.t1->name);
	assert_string_equal(itest_jstr(p, "role"), "teacher");
	assert_true(itest_jbool(p, "registered"));
	assert_int_equal(json_array_size(itest_jarr(p, "modules")),
	                 N_TEACHER_REQ);
	for (i = 0; i < N_TEACHER_REQ; i++) {
		m = find_module(p, teacher_req[i]);
		assert_string_equal(itest_jstr(m, "status"), "completed");
		(void)itest_expect_time(itest_jstr(m, "completed_at"));
		(void)itest_expect_time(itest_jstr(m, "expires_at"));
		assert_false(itest_jbool(m, "expiring_soon"));
		(void)itest_jstr(m, "title");
	}

	p = find_person(staff, fx.t2->email);
	m = find_module(p, "handle-with-care");
	assert_string_equal(itest_jstr(m, "status"), "completed");
	assert_true(itest_jbool(m, "expiring_soon"));
	assert_false(
	    itest_jbool(find_module(p, "het-gesprek"), "expiring_soon"));

	p = find_person(staff, fx.t3_email);
	assert_true(json_is_null(json_object_get(p, "user_id")));
	assert_false(itest_jbool(p, "registered"));
	assert_string_equal(itest_jstr(p, "name"), fx.t3_name);
	for (i = 0; i < N_TEACHER_REQ; i++) {
		m = find_module(p, teacher_req[i]);
		assert_string_equal(itest_jstr(m, "status"), "not_started");
		assert_true(json_is_null(json_object_get(m, "completed_at")));
	}

	p = find_person(staff, fx.i1->email);
	assert_string_equal(itest_jstr(p, "role"), "ib");
	assert_int_equal(json_array_size(itest_jarr(p, "modules")), N_IB_REQ);
	for (i = 0; i < N_IB_REQ; i++)
		assert_string_equal(
		    itest_jstr(find_module(p, ib_req[i]), "status"),
		    "completed");

	/* School B: t4's expired module; nobody of A. */
	staff = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/schools/%ld/staff",
	                        fx.board, fx.b->id),
	              org_admin()),
	    200);
	assert_int_equal(json_array_size(staff), 3);
	p = find_person(staff, fx.t4->email);
	assert_string_equal(
	    itest_jstr(find_module(p, "handle-with-care"), "status"),
	    "expired");
	assert_string_equal(itest_jstr(find_module(p, "samenwerken"), "status"),
	                    "completed");
	if (itest_json_has_text(staff, fx.t1->email))
		fail_msg("school B's staff list shows a person of school A");
}

static void
test_board_expiring(void **state)
{
	struct board_fx fx;
	json_t         *list, *e;
	time_t          exp, now = time(NULL);

	(void)state;
	board_fixture(&fx, false, "1 minute");
	list = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/schools/%ld/expiring",
	                        fx.board, fx.a->id),
	              fx.ba->token),
	    200);
	if (json_array_size(list) != 1)
		fail_msg("expected one expiring certificate: %s",
		         itest_dump(list));
	e = json_array_get(list, 0);
	assert_int_equal(itest_jint(e, "user_id"), fx.t2->id);
	assert_string_equal(itest_jstr(e, "email"), fx.t2->email);
	assert_string_equal(itest_jstr(e, "name"), fx.t2->name);
	assert_string_equal(itest_jstr(e, "module_slug"), "handle-with-care");
	(void)itest_jstr(e, "module_title");
	exp = itest_expect_time(itest_jstr(e, "expires_at"));
	if (exp < now + 29 * 86400 || exp > now + 31 * 86400)
		fail_msg("expires_at %s is not 30 days ahead",
		         itest_jstr(e, "expires_at"));
	/* B: an expired certificate is not "expiring". */
	list = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/schools/%ld/expiring",
	                        fx.board, fx.b->id),
	              fx.ba->token),
	    200);
	assert_int_equal(json_array_size(list), 0);
	/* 89 days counts, 91 does not. */
	org_insert_certificate(fx.t6->id, "het-gesprek", "23 months",
	                       "89 days");
	org_insert_certificate(fx.t4->id, "het-gesprek", "23 months",
	                       "91 days");
	list = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/schools/%ld/expiring",
	                        fx.board, fx.b->id),
	              fx.ba->token),
	    200);
	if (json_array_size(list) != 1 ||
	    itest_jint(json_array_get(list, 0), "user_id") != fx.t6->id)
		fail_msg("expected only t6's certificate: %s",
		         itest_dump(list));
	assert_int_equal(
	    itest_jint(school_row(coverage(fx.ba->token, fx.board), fx.b->id),
	               "expiring_90d"),
	    1);
}

static void
test_board_package(void **state)
{
	static const char *const items[] = {
	    "tv_series", "lesson_kit", "parent_letter", "veilig_thuis_contact",
	    "neighbourhood_team"};
	static const char *const bad[] = {
	    "{\"done_on\":\"2026-02-30\"}", "{\"done_on\":\"15-03-2026\"}",
	    "{\"done_on\":\"2026-3-15\"}",  "{\"done_on\":20260315}",
	    "{\"done_on\":\"\"}",           "{}",
	};
	long               region = org_region(NULL);
	long               board = org_board(region);
	long               other = org_board(region);
	struct org_school *s = org_school(board, NULL, NULL);
	struct org_school *s2 = org_school(board, NULL, NULL);
	struct itest_user *ba = org_account("board_admin", board, 0);
	struct itest_user *oba = org_account("board_admin", other, 0);
	const char        *sid = itest_fmt("%ld", s->id);
	json_t            *pkg;

	(void)state;
	/* Every item, set and shown. */
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		itest_expect_status(
		    itest_put(itest_fmt("/api/v1/schools/%ld/package/%s", s->id,
		                        items[i]),
		              ba->token,
		              itest_fmt("{\"done_on\":\"2026-0%zu-1%zu\"}",
		                        i + 1, i)),
		    204);
	pkg = itest_jobj(school_row(coverage(ba->token, board), s->id),
	                 "package");
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		assert_string_equal(itest_jstr(pkg, items[i]),
		                    itest_fmt("2026-0%zu-1%zu", i + 1, i));
	/* The other school is untouched. */
	pkg = itest_jobj(school_row(coverage(ba->token, board), s2->id),
	                 "package");
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		assert_true(json_is_null(json_object_get(pkg, items[i])));
	/* Who ticked it is kept. */
	assert_int_equal(
	    org_db_long("SELECT ticked_by FROM school_package WHERE school_id"
	                " = $1 AND item = 'tv_series'",
	                1, (const char *[]){sid}),
	    ba->id);

	/* A new date replaces the old; null clears. */
	itest_expect_status(
	    itest_put(itest_fmt("/api/v1/schools/%ld/package/tv_series", s->id),
	              org_admin(), "{\"done_on\":\"2025-12-31\"}"),
	    204);
	itest_expect_status(
	    itest_put(
	        itest_fmt("/api/v1/schools/%ld/package/parent_letter", s->id),
	        ba->token, "{\"done_on\":null}"),
	    204);
	pkg = itest_jobj(school_row(coverage(ba->token, board), s->id),
	                 "package");
	assert_string_equal(itest_jstr(pkg, "tv_series"), "2025-12-31");
	assert_true(json_is_null(json_object_get(pkg, "parent_letter")));
	assert_string_equal(itest_jstr(pkg, "lesson_kit"), "2026-02-11");

	/* Bad dates: 400, nothing changed. */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *err = itest_expect_error(
		    itest_put(itest_fmt("/api/v1/schools/%ld/package/tv_series",
		                        s->id),
		              ba->token, bad[i]),
		    400, "validation_failed");

		if (json_object_get(json_object_get(err, "fields"),
		                    "done_on") == NULL)
			fail_msg("no fields.done_on for %s", bad[i]);
	}
	/* Unknown item: 404. */
	itest_expect_error(
	    itest_put(itest_fmt("/api/v1/schools/%ld/package/tv-series", s->id),
	              ba->token, "{\"done_on\":\"2026-01-01\"}"),
	    404, "not_found");
	/* Another board's admin, a teacher: 403. */
	itest_expect_error(
	    itest_put(itest_fmt("/api/v1/schools/%ld/package/tv_series", s->id),
	              oba->token, "{\"done_on\":\"2026-01-01\"}"),
	    403, "forbidden");
	itest_expect_error(
	    itest_put(itest_fmt("/api/v1/schools/%ld/package/tv_series", s->id),
	              org_demo_token("teacher"),
	              "{\"done_on\":\"2026-01-01\"}"),
	    403, "forbidden");
	assert_string_equal(
	    org_db_text("SELECT string_agg(item || '=' || done_on, ','"
	                " ORDER BY item) FROM school_package"
	                " WHERE school_id = $1",
	                1, (const char *[]){sid}),
	    "lesson_kit=2026-02-11,neighbourhood_team=2026-05-14,"
	    "tv_series=2025-12-31,veilig_thuis_contact=2026-04-13");
}

static void
test_board_schools_list(void **state)
{
	long               board = org_board(0);
	struct org_school *s1 = org_school(board, NULL, NULL);
	struct org_school *s2 = org_school(board, NULL, NULL);
	struct itest_user *ba = org_account("board_admin", board, 0);
	json_t            *list, *e;

	(void)state;
	list = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/schools", board),
	              ba->token),
	    200);
	assert_int_equal(json_array_size(list), 2);
	e = org_find_by_id(list, "id", s1->id);
	assert_string_equal(itest_jstr(e, "join_code"), s1->join_code);
	assert_string_equal(itest_jstr(e, "brin"), s1->brin);
	e = org_find_by_id(list, "id", s2->id);
	assert_string_equal(itest_jstr(e, "municipality"), s2->municipality);
	assert_false(itest_jbool(e, "closed"));
}

/* Every board endpoint, with another board's id or a school outside the
 * board: 403 forbidden and none of that board's data. */
static void
test_board_cross_board_forbidden(void **state)
{
	struct board_fx    fx;
	long               mine = org_board(0);
	struct org_school *my_school = org_school(mine, NULL, NULL);
	struct itest_user *me = org_account("board_admin", mine, 0);
	struct itest_user *rv;
	const char        *snap;
	const char        *secrets[8];
	long               y, ys;
	struct itest_resp *r;
	const char        *gets[8];

	(void)state;
	board_fixture(&fx, false, "1 minute");
	y = fx.board;
	ys = fx.a->id;
	rv = org_account("region_viewer", 0, fx.region);
	secrets[0] = fx.a->name;
	secrets[1] = fx.a->brin;
	secrets[2] = fx.t1->email;
	secrets[3] = fx.a->join_code;
	secrets[4] = fx.t3_name;
	secrets[5] = NULL;
	snap = org_staff_snapshot(y);
	(void)my_school;

	gets[0] = itest_fmt("/api/v1/boards/%ld/coverage", y);
	gets[1] = itest_fmt("/api/v1/boards/%ld/coverage?format=csv", y);
	gets[2] = itest_fmt("/api/v1/boards/%ld/coverage/history", y);
	gets[3] = itest_fmt("/api/v1/boards/%ld/schools", y);
	gets[4] = itest_fmt("/api/v1/boards/%ld/schools/%ld/staff", y, ys);
	gets[5] = itest_fmt("/api/v1/boards/%ld/schools/%ld/expiring", y, ys);
	gets[6] = itest_fmt("/api/v1/boards/%ld/schools/%ld/staff", mine, ys);
	gets[7] =
	    itest_fmt("/api/v1/boards/%ld/schools/%ld/expiring", mine, ys);
	for (size_t i = 0; i < 8; i++) {
		expect_no_data(itest_get(gets[i], me->token), secrets);
		/* A region viewer of that very region sees no board data. */
		expect_no_data(itest_get(gets[i], rv->token), secrets);
		expect_no_data(itest_get(gets[i], org_demo_token("teacher")),
		               secrets);
		expect_no_data(itest_get(gets[i], org_demo_token("trainer")),
		               secrets);
	}
	/* The demo board admin (another board) too. */
	expect_no_data(itest_get(gets[0], org_demo_token("board_admin")),
	               secrets);
	/* A school id that does not exist, through the own board. */
	expect_no_data(
	    itest_get(
	        itest_fmt("/api/v1/boards/%ld/schools/999999999/staff", mine),
	        me->token),
	    secrets);
	/* Writes: roster, package, join code. */
	r = org_roster(me->token, y,
	               itest_fmt("email,name,role,brin\r\nx-%s@example.nl,X,"
	                         "teacher,%s\r\n",
	                         org_tag(), fx.a->brin));
	expect_no_data(r, secrets);
	expect_no_data(
	    itest_put(itest_fmt("/api/v1/schools/%ld/package/tv_series", ys),
	              me->token, "{\"done_on\":\"2026-01-01\"}"),
	    secrets);
	expect_no_data(
	    itest_post_json(itest_fmt("/api/v1/schools/%ld/join-code", ys),
	                    me->token, NULL),
	    secrets);
	/* Nothing changed. */
	assert_string_equal(org_staff_snapshot(y), snap);
	assert_int_equal(
	    org_db_long("SELECT count(*) FROM school_package WHERE school_id"
	                " = $1",
	                1, (const char *[]){itest_fmt("%ld", ys)}),
	    0);
	assert_string_equal(
	    org_db_text("SELECT join_code FROM schools WHERE id = $1", 1,
	                (const char *[]){itest_fmt("%ld", ys)}),
	    fx.a->join_code);
	/* The admin asking for a board that does not exist: 404. */
	itest_expect_error(
	    itest_get("/api/v1/boards/999999999/coverage", org_admin()), 404,
	    "not_found");
	/* Without a token: 401. */
	itest_expect_error(itest_get(gets[0], NULL), 401, "unauthenticated");
}

/* A board without staff: zeros, never a division by zero. */
static void
test_board_empty_board(void **state)
{
	long               board = org_board(0);
	struct org_school *s = org_school(board, NULL, NULL);
	json_t            *cov, *t, *row, *h, *e;
	size_t             i;

	(void)state;
	cov = coverage(org_admin(), board);
	t = itest_jobj(cov, "totals");
	assert_int_equal(itest_jint(t, "schools"), 1);
	expect_counts(t, 0, 0, 0, 0, 0);
	org_expect_pct(t, "coverage_pct", 0.0);
	row = school_row(cov, s->id);
	expect_counts(row, 0, 0, 0, 0, 0);
	org_expect_pct(row, "coverage_pct", 0.0);
	assert_false(itest_jbool(row, "has_certified_af"));
	h = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/coverage/history", board),
	              org_admin()),
	    200);
	assert_int_equal(json_array_size(h), 24);
	json_array_foreach (h, i, e)
		org_expect_pct(e, "coverage_pct", 0.0);
}

/*
 * A region with two boards: P (one school, 6 staff) and Q (one school, 2
 * staff, so suppressed).  The region viewer sees the region's total, nulls
 * for both boards and municipalities (P's would give Q's away), and nowhere
 * a name or an email of a person.
 */
static void
test_region_coverage_suppressed(void **state)
{
	long               region = org_region(NULL);
	long               p = org_board(region);
	long               q = org_board(region);
	struct org_school *ps = org_school(p, NULL, NULL);
	struct org_school *qs = org_school(q, NULL, NULL);
	struct itest_user *pba = org_account("board_admin", p, 0);
	struct itest_user *qba = org_account("board_admin", q, 0);
	struct itest_user *rv = org_account("region_viewer", 0, region);
	struct itest_user *u1 = org_register(ps->join_code, NULL);
	struct itest_user *u2 = org_register(ps->join_code, NULL);
	struct itest_user *q1 = org_register(qs->join_code, NULL);
	const char        *people[24];
	size_t             np = 0;
	char              *csv = itest_fmt("email,name,role,brin\r\n");
	struct itest_resp *r;
	json_t            *j, *e, *t, *list;
	size_t             i;

	(void)state;
	csv = roster_row(csv, u1->email, u1->name, "teacher", ps->brin);
	csv = roster_row(csv, u2->email, u2->name, "teacher", ps->brin);
	people[np++] = u1->email;
	people[np++] = u1->name;
	people[np++] = u2->email;
	people[np++] = u2->name;
	for (int k = 0; k < 4; k++) {
		const char *em =
		    itest_fmt("regio-%s@example.nl", itest_random_hex(5));
		const char *nm = itest_fmt("Persoon %s", itest_random_hex(4));

		csv = roster_row(csv, em, nm, k == 0 ? "ib" : "teacher",
		                 ps->brin);
		people[np++] = em;
		people[np++] = nm;
	}
	itest_expect_json(org_roster(pba->token, p, csv), 200);
	csv = itest_fmt("email,name,role,brin\r\n");
	csv = roster_row(csv, q1->email, q1->name, "teacher", qs->brin);
	people[np++] = itest_fmt("q-%s@example.nl", itest_random_hex(5));
	people[np++] = itest_fmt("Qbert %s", itest_random_hex(4));
	csv = roster_row(csv, people[np - 2], people[np - 1], "teacher",
	                 qs->brin);
	itest_expect_json(org_roster(qba->token, q, csv), 200);
	people[np++] = q1->email;
	people[np++] = q1->name;
	people[np] = NULL;
	/* u1 and q1 are certified. */
	for (size_t k = 0; k < N_TEACHER_REQ; k++) {
		org_insert_certificate(u1->id, teacher_req[k], "1 minute",
		                       "2 years");
		org_insert_certificate(q1->id, teacher_req[k], "1 minute",
		                       "2 years");
	}

	r = itest_get(itest_fmt("/api/v1/regions/%ld/coverage", region),
	              rv->token);
	j = itest_expect_json(r, 200);
	assert_int_equal(itest_jint(itest_jobj(j, "region"), "id"), region);
	(void)itest_expect_time(itest_jstr(j, "as_of"));

	/* Q has fewer than 5 staff; P is hidden with it, or Q would be the
	 * total minus P (test_region_privacy.c has the rule in full). */
	list = itest_jarr(j, "municipalities");
	assert_int_equal(json_array_size(list), 2);
	{
		static const char *const counters[] = {
		    "teachers", "teachers_certified", "schools_with_af",
		    "coverage_pct"};
		json_t *rows[4];

		rows[0] = find_named(list, ps->municipality);
		rows[1] = find_named(list, qs->municipality);
		list = itest_jarr(j, "boards");
		assert_int_equal(json_array_size(list), 2);
		rows[2] = org_find_by_id(list, "board_id", p);
		rows[3] = org_find_by_id(list, "board_id", q);
		for (size_t g = 0; g < 4; g++) {
			assert_true(itest_jbool(rows[g], "suppressed"));
			assert_int_equal(itest_jint(rows[g], "schools"), 1);
			for (i = 0; i < 4; i++) {
				json_t *v =
				    json_object_get(rows[g], counters[i]);

				if (v == NULL || !json_is_null(v))
					fail_msg(
					    "suppressed %s is not null: %s",
					    counters[i], itest_dump(rows[g]));
			}
		}
	}
	/* The total of 8 shows (no row can be subtracted from it); 2 of 8
	 * certified does not, nor a percentage. */
	t = itest_jobj(j, "totals");
	assert_int_equal(itest_jint(t, "schools"), 2);
	assert_false(itest_jbool(t, "suppressed"));
	assert_int_equal(itest_jint(t, "teachers"), 8);
	assert_true(json_is_null(json_object_get(t, "teachers_certified")));
	assert_true(json_is_null(json_object_get(t, "coverage_pct")));

	/* No person anywhere: no names, no emails, no per-person keys. */
	for (i = 0; people[i] != NULL; i++)
		if (strstr(r->body, people[i]) != NULL)
			fail_msg("the region report shows \"%s\"", people[i]);
	if (strchr(r->body, '@') != NULL || itest_json_has_key(j, "email") ||
	    itest_json_has_key(j, "user_id") || itest_json_has_key(j, "staff"))
		fail_msg("the region report has personal data: %s", r->body);

	/* The admin sees the same; the history is over the region. */
	j = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/regions/%ld/coverage", region),
	              org_admin()),
	    200);
	assert_int_equal(itest_jint(itest_jobj(j, "totals"), "teachers"), 8);
	r = itest_get(itest_fmt("/api/v1/regions/%ld/coverage/history", region),
	              rv->token);
	j = itest_expect_json(r, 200);
	assert_int_equal(json_array_size(j), 24);
	/* Rounded to 5; 2 certified of 8 is not shown. */
	e = json_array_get(j, 23);
	assert_false(itest_jbool(e, "suppressed"));
	assert_int_equal(itest_jint(e, "teachers"), 10);
	assert_true(json_is_null(json_object_get(e, "teachers_certified")));
	assert_true(json_is_null(json_object_get(e, "coverage_pct")));
	if (strchr(r->body, '@') != NULL)
		fail_msg("the region history has an email: %s", r->body);
	/* GET /regions: the viewer's own region only. */
	j = itest_expect_json(itest_get("/api/v1/regions", rv->token), 200);
	assert_int_equal(json_array_size(j), 1);
	assert_int_equal(itest_jint(json_array_get(j, 0), "id"), region);
}

static void
test_region_forbidden(void **state)
{
	long               region = org_region(NULL);
	long               other = org_region(NULL);
	long               board = org_board(region);
	struct org_school *s = org_school(board, NULL, NULL);
	struct itest_user *rv_other = org_account("region_viewer", 0, other);
	struct itest_user *ba = org_account("board_admin", board, 0);
	const char        *secrets[3] = {s->municipality, s->name, NULL};
	const char        *paths[2];

	(void)state;
	paths[0] = itest_fmt("/api/v1/regions/%ld/coverage", region);
	paths[1] = itest_fmt("/api/v1/regions/%ld/coverage/history", region);
	for (int i = 0; i < 2; i++) {
		expect_no_data(itest_get(paths[i], rv_other->token), secrets);
		expect_no_data(
		    itest_get(paths[i], org_demo_token("region_viewer")),
		    secrets);
		expect_no_data(itest_get(paths[i], ba->token), secrets);
		expect_no_data(itest_get(paths[i], org_demo_token("teacher")),
		               secrets);
		expect_no_data(itest_get(paths[i], org_demo_token("trainer")),
		               secrets);
	}
	/* The region viewer's board endpoints: 403 as well. */
	expect_no_data(
	    itest_get(itest_fmt("/api/v1/boards/%ld/coverage", board),
	              rv_other->token),
	    secrets);
	itest_expect_error(
	    itest_get("/api/v1/regions/999999999/coverage", org_admin()), 404,
	    "not_found");
}

int
itest_run_boards(void)
{
	const struct CMUnitTest tests[] = {
	    ITEST(test_board_coverage_counts),
	    ITEST(test_board_coverage_csv),
	    ITEST(test_board_history),
	    ITEST(test_board_staff_drilldown),
	    ITEST(test_board_expiring),
	    ITEST(test_board_package),
	    ITEST(test_board_schools_list),
	    ITEST(test_board_cross_board_forbidden),
	    ITEST(test_board_empty_board),
	    ITEST(test_region_coverage_suppressed),
	    ITEST(test_region_forbidden),
	};

	return cmocka_run_group_tests_name("boards", tests, NULL, NULL);
}
