/* Integration tests: POST /api/v1/boards/{id}/roster, the staff list of a
 * board from CSV, all or nothing, with line-precise errors. */
#include "itest_org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A fresh board with two schools, its admin, and a first roster of three
 * people already uploaded (so that "nothing changed" means something). */
struct roster_fx {
	long               board;
	struct org_school *a, *b;
	struct itest_user *ba;
	const char        *tag;
	const char        *snapshot; /* staff rows after the first roster */
};

static void        roster_fixture(struct roster_fx *fx);
static const char *mail(const struct roster_fx *fx, const char *who);
static void        expect_counts(const struct itest_resp *r, long created,
                                 long updated, long unchanged, long removed);
static void        expect_error_lines(const struct itest_resp *r,
                                      const unsigned *lines, size_t n);
static void        expect_unchanged(const struct roster_fx *fx);
static long        active(long board);

static void test_roster_counts_two_uploads(void **state);
static void test_roster_error_cap_summary_last(void **state);
static void test_roster_move_school_keeps_history(void **state);
static void test_roster_semicolon_bom_crlf_quotes(void **state);
static void test_roster_line_errors(void **state);
static void test_roster_brin_errors(void **state);
static void test_roster_all_errors_reported(void **state);
static void test_roster_line_numbers_multiline(void **state);
static void test_roster_content_type(void **state);
static void test_roster_too_large(void **state);
static void test_roster_empty(void **state);
static void test_roster_forbidden(void **state);

static const char *
mail(const struct roster_fx *fx, const char *who)
{
	return itest_fmt("%s-%s@example.nl", who, fx->tag);
}

static void
roster_fixture(struct roster_fx *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->tag = itest_random_hex(6);
	fx->board = org_board(0);
	fx->a = org_school(fx->board, NULL, NULL);
	fx->b = org_school(fx->board, NULL, NULL);
	fx->ba = org_account("board_admin", fx->board, 0);
	expect_counts(org_roster(fx->ba->token, fx->board,
	                         itest_fmt("email,name,role,brin\n"
	                                   "%s,Eerste Persoon,teacher,%s\n"
	                                   "%s,Tweede Persoon,ib,%s\n"
	                                   "%s,Derde Persoon,teacher,%s\n",
	                                   mail(fx, "vast1"), fx->a->brin,
	                                   mail(fx, "vast2"), fx->a->brin,
	                                   mail(fx, "vast3"), fx->b->brin)),
	              3, 0, 0, 0);
	fx->snapshot = org_staff_snapshot(fx->board);
}

static void
expect_counts(const struct itest_resp *r, long created, long updated,
              long unchanged, long removed)
{
	json_t *j = itest_expect_json(r, 200);

	if (itest_jint(j, "created") != created ||
	    itest_jint(j, "updated") != updated ||
	    itest_jint(j, "unchanged") != unchanged ||
	    itest_jint(j, "removed") != removed)
		fail_msg("roster: expected created %ld, updated %ld, "
		         "unchanged %ld, removed %ld; got %s",
		         created, updated, unchanged, removed, r->body);
}

/* 400 validation_failed whose errors name exactly these lines (a line may
 * carry more than one error), each with a message. */
static void
expect_error_lines(const struct itest_resp *r, const unsigned *lines, size_t n)
{
	json_t *err = itest_expect_error(r, 400, "validation_failed");
	json_t *list = json_object_get(err, "errors");
	json_t *e;
	size_t  i;
	bool    seen[32] = {false};

	assert_true(n <= 32);
	if (!json_is_array(list) || json_array_size(list) == 0)
		fail_msg("no errors[] in %s", r->body);
	json_array_foreach (list, i, e) {
		long   line = itest_jint(e, "line");
		bool   expected = false;
		size_t k;

		if (strlen(itest_jstr(e, "message")) == 0)
			fail_msg("empty message in %s", r->body);
		for (k = 0; k < n; k++)
			if ((long)lines[k] == line) {
				expected = true;
				seen[k] = true;
			}
		if (!expected)
			fail_msg("unexpected error on line %ld: %s", line,
			         r->body);
	}
	for (size_t k = 0; k < n; k++)
		if (!seen[k])
			fail_msg("no error for line %u: %s", lines[k], r->body);
}

static void
expect_unchanged(const struct roster_fx *fx)
{
	const char *now = org_staff_snapshot(fx->board);

	if (strcmp(now, fx->snapshot) != 0)
		fail_msg("the staff list changed:\nbefore:\n%s\nafter:\n%s",
		         fx->snapshot, now);
}

static long
active(long board)
{
	return org_db_long("SELECT count(*) FROM staff st JOIN schools s"
	                   " ON s.id = st.school_id WHERE s.board_id = $1"
	                   " AND st.left_at IS NULL",
	                   1, (const char *[]){itest_fmt("%ld", board)});
}

/* Tests. */

static void
test_roster_counts_two_uploads(void **state)
{
	struct roster_fx fx;
	const char      *first, *second;
	const char      *pb;
	json_t          *cov;

	(void)state;
	roster_fixture(&fx);
	pb = itest_fmt("%ld", fx.board);
	first =
	    itest_fmt("email,name,role,brin\r\n"
	              "%s,Anna,teacher,%s\r\n"
	              "%s,Bert,ib,%s\r\n"
	              "%s,Cor,teacher,%s\r\n"
	              "%s,Dirk,teacher,%s\r\n",
	              mail(&fx, "a"), fx.a->brin, mail(&fx, "b"), fx.a->brin,
	              mail(&fx, "c"), fx.b->brin, mail(&fx, "d"), fx.b->brin);
	/* The fixture's three are not on it: removed. */
	expect_counts(org_roster(fx.ba->token, fx.board, first), 4, 0, 0, 3);
	/* The same file again: all unchanged. */
	expect_counts(org_roster(org_admin(), fx.board, first), 0, 0, 4, 0);

	/* b renamed, c now an IB'er, d gone, e new. */
	second =
	    itest_fmt("email,name,role,brin\r\n"
	              "%s,Anna,teacher,%s\r\n"
	              "%s,Bert Bakker,ib,%s\r\n"
	              "%s,Cor,ib,%s\r\n"
	              "%s,Eva,teacher,%s\r\n",
	              mail(&fx, "a"), fx.a->brin, mail(&fx, "b"), fx.a->brin,
	              mail(&fx, "c"), fx.b->brin, mail(&fx, "e"), fx.a->brin);
	expect_counts(org_roster(fx.ba->token, fx.board, second), 1, 2, 1, 1);

	/* d is marked left, the row kept. */
	assert_string_equal(
	    org_db_text("SELECT concat_ws('|', count(*), count(left_at),"
	                " bool_and(left_at >= started_at))"
	                " FROM staff WHERE email = $1",
	                1, (const char *[]){mail(&fx, "d")}),
	    "1|1|t");
	assert_string_equal(
	    org_db_text("SELECT concat_ws('|', name, role) FROM staff"
	                " WHERE email = $1 AND left_at IS NULL",
	                1, (const char *[]){mail(&fx, "b")}),
	    "Bert Bakker|ib");
	assert_string_equal(
	    org_db_text("SELECT role FROM staff WHERE email = $1"
	                " AND left_at IS NULL",
	                1, (const char *[]){mail(&fx, "c")}),
	    "ib");
	assert_int_equal(active(fx.board), 4);
	/* 3 of the fixture + a, b, c, d, e: every row kept. */
	assert_int_equal(org_db_long("SELECT count(*) FROM staff st JOIN"
	                             " schools s ON s.id = st.school_id"
	                             " WHERE s.board_id = $1",
	                             1, (const char *[]){pb}),
	                 8);
	/* The coverage counts the active staff only. */
	cov = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/coverage", fx.board),
	              fx.ba->token),
	    200);
	assert_int_equal(itest_jint(itest_jobj(cov, "totals"), "teachers"), 4);
	assert_int_equal(itest_jint(itest_jobj(cov, "totals"), "ib"), 2);

	/* d comes back: a new stay, the old one kept. */
	expect_counts(org_roster(fx.ba->token, fx.board,
	                         itest_fmt("%s%s,Dirk,teacher,%s\r\n", second,
	                                   mail(&fx, "d"), fx.b->brin)),
	              1, 0, 4, 0);
	assert_string_equal(
	    org_db_text("SELECT concat_ws('|', count(*), count(left_at))"
	                " FROM staff WHERE email = $1",
	                1, (const char *[]){mail(&fx, "d")}),
	    "2|1");
}

static void
test_roster_move_school_keeps_history(void **state)
{
	struct roster_fx fx;
	const char      *em;

	(void)state;
	roster_fixture(&fx);
	em = mail(&fx, "vast1");
	/* vast1 moves from A to B. */
	expect_counts(
	    org_roster(fx.ba->token, fx.board,
	               itest_fmt("email,name,role,brin\n"
	                         "%s,Eerste Persoon,teacher,%s\n"
	                         "%s,Tweede Persoon,ib,%s\n"
	                         "%s,Derde Persoon,teacher,%s\n",
	                         em, fx.b->brin, mail(&fx, "vast2"), fx.a->brin,
	                         mail(&fx, "vast3"), fx.b->brin)),
	    1, 0, 2, 1);
	assert_int_equal(org_staff_active(fx.a->id, em), 0);
	assert_int_equal(org_staff_active(fx.b->id, em), 1);
	assert_string_equal(
	    org_db_text("SELECT string_agg(concat_ws(':', school_id,"
	                " left_at IS NULL), ',' ORDER BY id) FROM staff"
	                " WHERE email = $1",
	                1, (const char *[]){em}),
	    itest_fmt("%ld:f,%ld:t", fx.a->id, fx.b->id));
}

/* UTF-8 BOM, ';' as separator, CRLF, quoted fields with ';' and "", the
 * columns in another order and case, an extra column, spaces around
 * values, upper-case email and role, lower-case BRIN, blank records. */
static void
test_roster_semicolon_bom_crlf_quotes(void **state)
{
	struct roster_fx fx;
	char            *csv, *upper_mail, *lower_brin;

	(void)state;
	roster_fixture(&fx);
	upper_mail = itest_fmt("ANNA-%s@Example.NL", fx.tag);
	lower_brin = itest_fmt("%s", fx.b->brin);
	for (char *p = lower_brin; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	csv = itest_fmt(
	    "\xEF\xBB\xBF"
	    "BRIN;Role;Name;Email;Opmerking\r\n"
	    "%s;IB;\"de Vries; Anna \"\"Ankie\"\"\";%s;\"vrij; veld\"\r\n"
	    "%s;teacher;\"=HYPERLINK(\"\"x\"\")\";%s;\r\n"
	    "\r\n"
	    " %s ; Teacher ;  Jan Smit\t; %s ;x\r\n"
	    ";;;;\r\n"
	    "%s;teacher;Ren\xC3\xA9 \xC3\x96zt\xC3\xBCrk;%s;\r\n",
	    fx.a->brin, upper_mail, lower_brin, mail(&fx, "piet"), fx.a->brin,
	    mail(&fx, "jan"), fx.b->brin, mail(&fx, "rene"));
	/* The fixture's three are not on it. */
	expect_counts(org_roster(fx.ba->token, fx.board, csv), 4, 0, 0, 3);
	assert_string_equal(
	    org_db_text(
	        "SELECT concat_ws('|', name, role, school_id)"
	        " FROM staff WHERE email = $1 AND left_at IS NULL",
	        1, (const char *[]){itest_fmt("anna-%s@example.nl", fx.tag)}),
	    itest_fmt("de Vries; Anna \"Ankie\"|ib|%ld", fx.a->id));
	assert_string_equal(
	    org_db_text("SELECT concat_ws('|', name, role, school_id)"
	                " FROM staff WHERE email = $1 AND left_at IS NULL",
	                1, (const char *[]){mail(&fx, "piet")}),
	    itest_fmt("=HYPERLINK(\"x\")|teacher|%ld", fx.b->id));
	assert_string_equal(
	    org_db_text("SELECT concat_ws('|', name, role, school_id)"
	                " FROM staff WHERE email = $1 AND left_at IS NULL",
	                1, (const char *[]){mail(&fx, "jan")}),
	    itest_fmt("Jan Smit|teacher|%ld", fx.a->id));
	assert_string_equal(
	    org_db_text("SELECT name FROM staff WHERE email = $1"
	                " AND left_at IS NULL",
	                1, (const char *[]){mail(&fx, "rene")}),
	    "Ren\xC3\xA9 \xC3\x96zt\xC3\xBCrk");
	/* The same content with ',' and LF, no BOM: nothing to change. */
	csv = itest_fmt("email,name,role,brin\n"
	                "anna-%s@example.nl,\"de Vries; Anna \"\"Ankie\"\"\","
	                "ib,%s\n"
	                "%s,\"=HYPERLINK(\"\"x\"\")\",teacher,%s\n"
	                "%s,Jan Smit,teacher,%s\n"
	                "%s,Ren\xC3\xA9 \xC3\x96zt\xC3\xBCrk,teacher,%s\n",
	                fx.tag, fx.a->brin, mail(&fx, "piet"), fx.b->brin,
	                mail(&fx, "jan"), fx.a->brin, mail(&fx, "rene"),
	                fx.b->brin);
	expect_counts(org_roster(fx.ba->token, fx.board, csv), 0, 0, 4, 0);
}

/* Bad email (3), bad role (4), an email twice (5, in other case), a
 * missing name (7): exactly those lines, and nothing changed. */
static void
test_roster_line_errors(void **state)
{
	static const unsigned lines[] = {3, 4, 5, 7};
	struct roster_fx      fx;
	char                 *csv, *dup;

	(void)state;
	roster_fixture(&fx);
	dup = itest_fmt("GOED1-%s@EXAMPLE.NL", fx.tag);
	csv = itest_fmt("email,name,role,brin\r\n"
	                "%s,Goed Een,teacher,%s\r\n"
	                "geen-adres.example.nl,Fout Adres,teacher,%s\r\n"
	                "%s,Foute Rol,directeur,%s\r\n"
	                "%s,Dubbel,teacher,%s\r\n"
	                "%s,Goed Drie,ib,%s\r\n"
	                "%s,,teacher,%s\r\n"
	                "%s,Goed Vier,teacher,%s\r\n",
	                mail(&fx, "goed1"), fx.a->brin, fx.a->brin,
	                mail(&fx, "rol"), fx.a->brin, dup, fx.b->brin,
	                mail(&fx, "goed3"), fx.a->brin, mail(&fx, "leeg"),
	                fx.a->brin, mail(&fx, "goed4"), fx.b->brin);
	expect_error_lines(org_roster(fx.ba->token, fx.board, csv), lines, 4);
	expect_unchanged(&fx);
}

/* An unknown BRIN (3), a school of another board (4), the demo school of
 * the demo board (6): those lines, and nothing changed. */
static void
test_roster_brin_errors(void **state)
{
	static const unsigned lines[] = {3, 4, 6};
	struct roster_fx      fx;
	long                  other = org_board(0);
	struct org_school    *os = org_school(other, NULL, NULL);
	const char           *demo_brin =
	    org_db_text("SELECT brin FROM schools WHERE board_id ="
	                " (SELECT id FROM boards WHERE number = 'DEMO1')"
	                " ORDER BY brin LIMIT 1",
	                0, NULL);
	char *csv;

	(void)state;
	roster_fixture(&fx);
	assert_non_null(demo_brin);
	csv =
	    itest_fmt("email,name,role,brin\r\n"
	              "%s,Goed,teacher,%s\r\n"
	              "%s,Onbekend,teacher,%s\r\n"
	              "%s,Ander Bestuur,teacher,%s\r\n"
	              "%s,Goed B,teacher,%s\r\n"
	              "%s,Demo,teacher,%s\r\n",
	              mail(&fx, "g1"), fx.a->brin, mail(&fx, "g2"),
	              org_unique_brin(), mail(&fx, "g3"), os->brin,
	              mail(&fx, "g4"), fx.b->brin, mail(&fx, "g5"), demo_brin);
	expect_error_lines(org_roster(fx.ba->token, fx.board, csv), lines, 3);
	expect_unchanged(&fx);
	/* The other board's staff list is untouched too. */
	assert_string_equal(org_staff_snapshot(other), "");
	/* Even the admin cannot put a school of another board on it. */
	expect_error_lines(org_roster(org_admin(), fx.board, csv), lines, 3);
	expect_unchanged(&fx);
}

/*
 * A file with a bad email (line 2) and a school of no board (line 3): the
 * handler promises "every bad line reported", so both lines are named in
 * one answer, not the second only after the first is fixed.
 */
static void
test_roster_all_errors_reported(void **state)
{
	static const unsigned lines[] = {2, 3};
	struct roster_fx      fx;

	(void)state;
	roster_fixture(&fx);
	expect_error_lines(
	    org_roster(fx.ba->token, fx.board,
	               itest_fmt("email,name,role,brin\n"
	                         "kapot-adres,Fout,teacher,%s\n"
	                         "%s,Onbekende School,teacher,%s\n"
	                         "%s,Goed,teacher,%s\n",
	                         fx.a->brin, mail(&fx, "x1"), org_unique_brin(),
	                         mail(&fx, "x2"), fx.b->brin)),
	    lines, 2);
	expect_unchanged(&fx);
}

/* 300 bad lines: the first 200 in line order, then "en nog 100 fouten"
 * last (it has line 0, the file as a whole, and must not jump to the top). */
static void
test_roster_error_cap_summary_last(void **state)
{
	struct roster_fx fx;
	char            *csv;
	size_t           cap = 64 * 1024, o = 0;
	json_t          *list, *first, *last;

	(void)state;
	roster_fixture(&fx);
	csv = itest_keep(malloc(cap), free);
	o += (size_t)snprintf(csv, cap, "email,name,role,brin\n");
	for (int i = 0; i < 300; i++)
		o += (size_t)snprintf(csv + o, cap - o,
		                      "kapot-%d,Fout,teacher,%s\n", i,
		                      fx.a->brin);
	list = json_object_get(
	    itest_expect_error(org_roster(fx.ba->token, fx.board, csv), 400,
	                       "validation_failed"),
	    "errors");
	assert_int_equal(json_array_size(list), 201);
	first = json_array_get(list, 0);
	last = json_array_get(list, 200);
	assert_int_equal(itest_jint(first, "line"), 2);
	assert_int_equal(itest_jint(json_array_get(list, 199), "line"), 201);
	assert_int_equal(itest_jint(last, "line"), 0);
	assert_string_equal(itest_jstr(last, "message"), "en nog 100 fouten");
	expect_unchanged(&fx);
}

/* A quoted line break in an ignored column: the next record's error is
 * on its physical line (5), not its record number (3). */
static void
test_roster_line_numbers_multiline(void **state)
{
	static const unsigned lines[] = {5};
	struct roster_fx      fx;

	(void)state;
	roster_fixture(&fx);
	expect_error_lines(
	    org_roster(fx.ba->token, fx.board,
	               itest_fmt("email,name,role,brin,opmerking\r\n"
	                         "%s,Een,teacher,%s,\"regel een\r\n"
	                         "regel twee\r\n"
	                         "regel drie\"\r\n"
	                         "%s,Twee,leerkracht,%s,\r\n",
	                         mail(&fx, "m1"), fx.a->brin, mail(&fx, "m2"),
	                         fx.a->brin)),
	    lines, 1);
	expect_unchanged(&fx);
}

static void
test_roster_content_type(void **state)
{
	static const char *const types[] = {
	    "text/plain", "application/json", "application/octet-stream",
	    "multipart/form-data; boundary=x", NULL};
	struct roster_fx fx;
	const char      *path;
	const char      *csv;

	(void)state;
	roster_fixture(&fx);
	path = itest_fmt("/api/v1/boards/%ld/roster", fx.board);
	csv = itest_fmt("email,name,role,brin\n%s,Nieuw,teacher,%s\n",
	                mail(&fx, "n"), fx.a->brin);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		itest_expect_error(org_send("POST", path, fx.ba->token,
		                            types[i], csv, strlen(csv)),
		                   415, "unsupported_media_type");
	expect_unchanged(&fx);
	/* With its charset it is fine. */
	expect_counts(org_send("POST", path, fx.ba->token,
	                       "text/csv; charset=utf-8", csv, strlen(csv)),
	              1, 0, 0, 3);
}

/* Over 5 MiB: 413 with the JSON error shape (nginx or the service), and
 * nothing changed. */
static void
test_roster_too_large(void **state)
{
	struct roster_fx fx;
	size_t           limit = 5u * 1024 * 1024, len = limit + 1, off;
	char            *body = malloc(len + 1);
	const char      *head = "email,name,role,brin\n";
	const char      *line;

	(void)state;
	assert_non_null(body);
	itest_keep(body, free);
	roster_fixture(&fx);
	line =
	    itest_fmt("%s,Vul Ling,teacher,%s\n", mail(&fx, "vul"), fx.a->brin);
	memcpy(body, head, strlen(head));
	off = strlen(head);
	while (off < len) {
		size_t n = strlen(line);

		if (n > len - off)
			n = len - off;
		memcpy(body + off, line, n);
		off += n;
	}
	body[len] = '\0';
	itest_expect_error(
	    org_send("POST", itest_fmt("/api/v1/boards/%ld/roster", fx.board),
	             fx.ba->token, "text/csv", body, len),
	    413, "payload_too_large");
	expect_unchanged(&fx);
}

static void
test_roster_empty(void **state)
{
	struct roster_fx fx;
	const char      *path;

	(void)state;
	roster_fixture(&fx);
	path = itest_fmt("/api/v1/boards/%ld/roster", fx.board);
	/* No body at all. */
	itest_expect_error(
	    org_send("POST", path, fx.ba->token, "text/csv", "", 0), 400,
	    "validation_failed");
	/* A header and no staff: would mark everyone as left. */
	itest_expect_error(
	    org_roster(fx.ba->token, fx.board, "email,name,role,brin\r\n"), 400,
	    "validation_failed");
	/* A header without the needed columns. */
	itest_expect_error(
	    org_roster(fx.ba->token, fx.board,
	               itest_fmt("email,naam\r\n%s,X\r\n", mail(&fx, "h"))),
	    400, "validation_failed");
	expect_unchanged(&fx);
}

static void
test_roster_forbidden(void **state)
{
	struct roster_fx   fx;
	long               other = org_board(0);
	struct itest_user *oba = org_account("board_admin", other, 0);
	struct itest_user *tr = org_account("trainer", 0, 0);
	const char        *csv;

	(void)state;
	roster_fixture(&fx);
	csv = itest_fmt("email,name,role,brin\n%s,Inbreker,teacher,%s\n",
	                mail(&fx, "in"), fx.a->brin);
	itest_expect_error(org_roster(oba->token, fx.board, csv), 403,
	                   "forbidden");
	itest_expect_error(org_roster(tr->token, fx.board, csv), 403,
	                   "forbidden");
	itest_expect_error(org_roster(org_demo_token("teacher"), fx.board, csv),
	                   403, "forbidden");
	itest_expect_error(
	    org_roster(org_demo_token("region_viewer"), fx.board, csv), 403,
	    "forbidden");
	itest_expect_error(org_roster(NULL, fx.board, csv), 401,
	                   "unauthenticated");
	expect_unchanged(&fx);
	/* An unknown board (admin): 404. */
	itest_expect_error(org_roster(org_admin(), 999999999, csv), 404,
	                   "not_found");
}

int
itest_run_roster(void)
{
	const struct CMUnitTest tests[] = {
	    ITEST(test_roster_counts_two_uploads),
	    ITEST(test_roster_error_cap_summary_last),
	    ITEST(test_roster_move_school_keeps_history),
	    ITEST(test_roster_semicolon_bom_crlf_quotes),
	    ITEST(test_roster_line_errors),
	    ITEST(test_roster_brin_errors),
	    ITEST(test_roster_all_errors_reported),
	    ITEST(test_roster_line_numbers_multiline),
	    ITEST(test_roster_content_type),
	    ITEST(test_roster_too_large),
	    ITEST(test_roster_empty),
	    ITEST(test_roster_forbidden),
	};

	return cmocka_run_group_tests_name("roster", tests, NULL, NULL);
}
