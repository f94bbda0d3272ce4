/* Integration tests for the mitigations of docs/security.md that no other
 * group proves: headers on every answer, pages without inline script, the
 * Origin check, one learner's data out of another's reach, the socket's
 * mode, the rights of the service's database role and equal login work. */
#include "itest_org.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <libpq-fe.h>

#define SECTION_PATH "/api/v1/modules/" ITEST_MODULE "/sections/"

static void   close_dir(void *d);
static void   finish_conn(void *conn);
static void   expect_page_headers(const struct itest_resp *r);
static bool   has_inline_code(const char *html, char *why, size_t whylen);
static char  *sqlstate_of(PGconn *conn, const char *sql);
static double login_ms(const char *email, const char *password);
static int    cmp_double(const void *a, const void *b);
static double median(double *v, size_t n);
static long   sections_done(long user_id);
static struct itest_resp *mark_done(const struct itest_user *u,
                                    const char *section, bool by_cookie,
                                    const char *origin_header);

static void test_headers_on_every_answer(void **state);
static void test_pages_without_inline_code(void **state);
static void test_origin_check(void **state);
static void test_other_learner_invisible(void **state);
static void test_socket_mode(void **state);
static void test_database_role_rights(void **state);
static void test_login_work_equal(void **state);
static void test_every_write_audited(void **state);

/* Helpers. */

static void
close_dir(void *d)
{
	closedir(d);
}

static void
finish_conn(void *conn)
{
	PQfinish(conn);
}

/* The headers nginx adds with "always" to every answer, error or not. */
static void
expect_page_headers(const struct itest_resp *r)
{
	const char *nosniff = itest_header(r, "X-Content-Type-Options");
	const char *referrer = itest_header(r, "Referrer-Policy");
	const char *frame = itest_header(r, "X-Frame-Options");
	const char *csp = itest_header(r, "Content-Security-Policy");

	if (nosniff == NULL || strcasecmp(nosniff, "nosniff") != 0)
		fail_msg("%s (%ld): X-Content-Type-Options is %s", r->what,
		         r->status, nosniff ? nosniff : "absent");
	if (referrer == NULL || strcasecmp(referrer, "no-referrer") != 0)
		fail_msg("%s (%ld): Referrer-Policy is %s", r->what, r->status,
		         referrer ? referrer : "absent");
	if (frame == NULL || strcasecmp(frame, "DENY") != 0)
		fail_msg("%s (%ld): X-Frame-Options is %s", r->what, r->status,
		         frame ? frame : "absent");
	if (csp == NULL)
		fail_msg("%s (%ld): no Content-Security-Policy", r->what,
		         r->status);
	if (strstr(csp, "frame-ancestors 'none'") == NULL ||
	    strstr(csp, "script-src 'self'") == NULL ||
	    strstr(csp, "default-src 'self'") == NULL ||
	    strstr(csp, "object-src 'none'") == NULL ||
	    strstr(csp, "unsafe-inline") != NULL ||
	    strstr(csp, "unsafe-eval") != NULL)
		fail_msg("%s (%ld): Content-Security-Policy too weak: %s",
		         r->what, r->status, csp);
}

/*
 * true when the page has code the CSP would block: a <script> without
 * src, an on...= event attribute, a style attribute, a <style> element or
 * a javascript: URL.  A rough scan, enough for pages we write ourselves.
 */
static bool
has_inline_code(const char *html, char *why, size_t whylen)
{
	const char *p = html;

	while ((p = strchr(p, '<')) != NULL) {
		const char *end = strchr(p, '>');
		size_t      n;
		char        tag[2048];

		if (end == NULL)
			break;
		n = (size_t)(end - p);
		if (n >= sizeof(tag))
			n = sizeof(tag) - 1;
		memcpy(tag, p, n);
		tag[n] = '\0';
		for (char *c = tag; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		if ((strncmp(tag, "<script", 7) == 0 &&
		     strstr(tag, " src=") == NULL) ||
		    strncmp(tag, "<style", 6) == 0 ||
		    strstr(tag, " style=") != NULL ||
		    strstr(tag, "javascript:") != NULL) {
			snprintf(why, whylen, "%.120s>", tag);
			return true;
		}
		for (const char *a = strstr(tag, " on"); a != NULL;
		     a = strstr(a + 1, " on")) {
			const char *q = a + 3;

			while (*q >= 'a' && *q <= 'z')
				q++;
			if (q > a + 3 && *q == '=') {
				snprintf(why, whylen, "%.120s>", tag);
				return true;
			}
		}
		p = end;
	}
	return false;
}

/* Runs sql and returns its SQLSTATE ("" on success); owned by the test. */
static char *
sqlstate_of(PGconn *conn, const char *sql)
{
	PGresult   *res = PQexec(conn, sql);
	const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	char       *out = itest_fmt("%s", st ? st : "");

	PQclear(res);
	return out;
}

/* Milliseconds of one failed login, which must answer 401. */
static double
login_ms(const char *email, const char *password)
{
	struct timespec    a, b;
	struct itest_resp *r;

	clock_gettime(CLOCK_MONOTONIC, &a);
	r = itest_login(email, password);
	clock_gettime(CLOCK_MONOTONIC, &b);
	itest_expect_status(r, 401);
	return (double)(b.tv_sec - a.tv_sec) * 1e3 +
	       (double)(b.tv_nsec - a.tv_nsec) / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static long
sections_done(long user_id)
{
	return itest_db_long("SELECT count(*) FROM section_progress "
	                     "WHERE user_id = $1::bigint",
	                     itest_fmt("%ld", user_id), NULL);
}

/* PUT section done with the session as cookie or bearer and an Origin. */
static struct itest_resp *
mark_done(const struct itest_user *u, const char *section, bool by_cookie,
          const char *origin_header)
{
	struct itest_req rq = {.method = "PUT",
	                       .path = itest_fmt(SECTION_PATH "%s", section),
	                       .cookie = by_cookie ? u->token : NULL,
	                       .bearer = by_cookie ? NULL : u->token,
	                       .headers = {origin_header, NULL}};

	return itest_do(&rq);
}

/* Tests. */

/* H1-H4: security headers on pages, files, API answers and every kind of
 * error, whoever made it (nginx or the service); no-store on what the
 * service answers. */
static void
test_headers_on_every_answer(void **state)
{
	static const struct {
		const char *method, *path, *content_type, *body;
		long        status;
		bool        service; /* answered by the FastCGI service */
	} cases[] = {
	    {"GET", "/", NULL, NULL, 200, false},
	    {"GET", "/module.html", NULL, NULL, 200, false},
	    {"GET", "/css/app.css", NULL, NULL, 200, false},
	    {"GET", "/js/api.js", NULL, NULL, 200, false},
	    {"GET", "/verificatie/ABCD-EFGH", NULL, NULL, 200, false},
	    {"GET", "/bestaat-niet.html", NULL, NULL, 404, false},
	    {"GET", "/api/v1/health", NULL, NULL, 200, true},
	    {"GET", "/api/v1/bestaat-niet", NULL, NULL, 404, true},
	    {"GET", "/api/v1/me", NULL, NULL, 401, true},
	    {"GET", "/api/v1/certificates/ZZZZ-ZZZZ-ZZZZ", NULL, NULL, 404,
	     true},
	    {"DELETE", "/api/v1/health", NULL, NULL, 405, true},
	    {"POST", "/api/v1/auth/login", "text/plain", "x", 415, true},
	    {"POST", "/api/v1/auth/login", "application/json", "{", 400, true},
	};
	struct itest_resp *r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct itest_req rq = {.method = cases[i].method,
		                       .path = cases[i].path,
		                       .content_type = cases[i].content_type,
		                       .body = cases[i].body};

		r = itest_do(&rq);
		itest_expect_status(r, cases[i].status);
		expect_page_headers(r);
		if (cases[i].service) {
			const char *cc = itest_header(r, "Cache-Control");

			if (cc == NULL || strstr(cc, "no-store") == NULL)
				fail_msg("%s (%ld): Cache-Control is %s",
				         r->what, r->status,
				         cc ? cc : "absent");
		}
	}

	/* nginx's own errors: a body over the limit (413). */
	{
		size_t           n = 2 * 1024 * 1024;
		char            *big = malloc(n);
		struct itest_req rq = {.method = "POST",
		                       .path = "/api/v1/auth/login",
		                       .content_type = "application/json",
		                       .body = big,
		                       .body_len = n};

		assert_non_null(big);
		itest_keep(big, free);
		memset(big, ' ', n);
		r = itest_do(&rq);
		itest_expect_error(r, 413, "payload_too_large");
		expect_page_headers(r);
	}
	/* An answer for a logged-in user (personal data) is never cached. */
	{
		struct itest_user *u = itest_new_teacher();
		const char        *cc;

		r = itest_get("/api/v1/me", u->token);
		itest_expect_json(r, 200);
		expect_page_headers(r);
		cc = itest_header(r, "Cache-Control");
		if (cc == NULL || strstr(cc, "no-store") == NULL)
			fail_msg("GET /api/v1/me: Cache-Control is %s",
			         cc ? cc : "absent");
	}
}

/* H1: every page of frontend/ as nginx serves it, without code the CSP
 * would block (which would break the page, not only weaken it). */
static void
test_pages_without_inline_code(void **state)
{
	const char *dir = itest_fmt("%s/../frontend", itest_env("CONTENT_DIR"));
	DIR        *d = opendir(dir);
	size_t      pages = 0;
	bool        bad = false;

	(void)state;
	assert_non_null(d);
	itest_keep(d, close_dir);
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		size_t             len = strlen(e->d_name);
		struct itest_resp *r;
		char               why[160];

		if (len < 6 || strcmp(e->d_name + len - 5, ".html") != 0)
			continue;
		r = itest_get(itest_fmt("/%s", e->d_name), NULL);
		itest_expect_status(r, 200);
		expect_page_headers(r);
		if (has_inline_code(r->body, why, sizeof(why))) {
			print_error("%s: code the CSP blocks: %s\n", e->d_name,
			            why);
			bad = true;
		}
		pages++;
	}
	assert_true(pages >= 10);
	assert_false(bad);
	/* The scan itself catches what it must. */
	{
		char why[160];

		assert_true(has_inline_code("<p>a</p><SCRIPT>x()</SCRIPT>", why,
		                            sizeof(why)));
		assert_true(has_inline_code("<img src=x onerror=\"y()\">", why,
		                            sizeof(why)));
		assert_true(has_inline_code("<div style=\"color:red\">", why,
		                            sizeof(why)));
		assert_false(has_inline_code("<script type=\"module\" "
		                             "src=\"/js/a.js\"></script>"
		                             "<button class=\"one\">",
		                             why, sizeof(why)));
	}
}

/* S12: a cookie-authenticated change from another site is refused and
 * changes nothing; from our own origin, or with a bearer token (which a
 * foreign page cannot send), it goes through. */
static void
test_origin_check(void **state)
{
	struct itest_user         *u = itest_new_teacher();
	const struct itest_module *m = itest_module();
	const char *own = itest_fmt("Origin: %s", itest_env("BASE_URL"));
	const char *foreign = "Origin: https://kwaadwillend.example";

	(void)state;
	assert_true(m->nsections >= 3);
	itest_expect_error(mark_done(u, m->section_ids[0], true, foreign), 403,
	                   "forbidden");
	assert_int_equal(sections_done(u->id), 0);
	/* Same host, other port: another origin. */
	itest_expect_error(
	    mark_done(u, m->section_ids[0], true, "Origin: http://127.0.0.1:1"),
	    403, "forbidden");
	assert_int_equal(sections_done(u->id), 0);
	itest_expect_status(mark_done(u, m->section_ids[0], true, own), 204);
	assert_int_equal(sections_done(u->id), 1);
	/* A bearer token is not sent by a foreign page on its own. */
	itest_expect_status(mark_done(u, m->section_ids[1], false, foreign),
	                    204);
	assert_int_equal(sections_done(u->id), 2);
	/* A GET with a foreign Origin reads, it changes nothing. */
	{
		struct itest_req rq = {.path = "/api/v1/me",
		                       .cookie = u->token,
		                       .headers = {foreign, NULL}};

		itest_expect_json(itest_do(&rq), 200);
	}
	/* Logout by cookie from a foreign page does not end the session. */
	{
		struct itest_req rq = {.method = "POST",
		                       .path = "/api/v1/auth/logout",
		                       .cookie = u->token,
		                       .headers = {foreign, NULL}};

		itest_expect_error(itest_do(&rq), 403, "forbidden");
		itest_expect_json(itest_get("/api/v1/me", u->token), 200);
	}
}

/* A9: what one learner did is not visible to another learner of the same
 * school: not in the module list, certificates, or the data export. */
static void
test_other_learner_invisible(void **state)
{
	struct itest_user *a = itest_new_teacher();
	struct itest_user *b = itest_new_teacher();
	const char        *code = org_pass_module(a->token, ITEST_MODULE);
	json_t            *j;

	(void)state;
	assert_int_equal(a->school_id, b->school_id);
	/* A's own view has the certificate: the probe below can fail. */
	j = itest_expect_json(itest_get("/api/v1/me/certificates", a->token),
	                      200);
	assert_true(itest_json_has_text(j, code));

	j = itest_expect_json(itest_get("/api/v1/me/certificates", b->token),
	                      200);
	assert_false(itest_json_has_text(j, code));
	j = itest_expect_json(itest_get("/api/v1/me/export", b->token), 200);
	assert_false(itest_json_has_text(j, code));
	assert_false(itest_json_has_text(j, a->email));
	assert_true(itest_json_has_text(j, b->email));
	j = itest_expect_json(
	    itest_get("/api/v1/modules/" ITEST_MODULE, b->token), 200);
	assert_false(itest_json_has_text(j, code));
	j = itest_expect_json(itest_get("/api/v1/modules", b->token), 200);
	assert_false(itest_json_has_text(j, code));
	assert_false(itest_json_has_text(j, "completed"));
	assert_int_equal(sections_done(b->id), 0);
	/* A learner reads no staff or report of her own school. */
	itest_expect_4xx(itest_get("/api/v1/boards", b->token));
	itest_expect_4xx(itest_get("/api/v1/users", b->token));
	itest_expect_4xx(itest_get("/api/v1/audit", b->token));
}

/* P4: libfcgi's record parser only ever sees nginx: the socket is not
 * open to other users of the machine. */
static void
test_socket_mode(void **state)
{
	const char *path = itest_fmt("%s/run/hgkm.sock", itest_env("VAR_DIR"));
	struct stat st;

	(void)state;
	if (stat(path, &st) != 0)
		fail_msg("%s: %s", path, strerror(errno));
	assert_true(S_ISSOCK(st.st_mode));
	if ((st.st_mode & 0007) != 0 || (st.st_mode & 0111) != 0)
		fail_msg("%s: mode %04o, want 0660 or tighter", path,
		         (unsigned)(st.st_mode & 07777));
}

/* A11 and privacy: the service's role (DATABASE_URL is hgkm_app, as the
 * workers use) cannot rewrite the audit log, read the migration record, or
 * change the schema. */
static void
test_database_role_rights(void **state)
{
	PGconn            *conn = PQconnectdb(itest_env("DATABASE_URL"));
	struct org_school *sch;
	long               entries;

	(void)state;
	itest_keep(conn, finish_conn);
	if (PQstatus(conn) != CONNECTION_OK)
		fail_msg("DATABASE_URL: %s", PQerrorMessage(conn));
	assert_string_equal(
	    sqlstate_of(conn, "SELECT 1 WHERE current_user = 'hgkm_app'"), "");
	{
		PGresult *res = PQexec(conn, "SELECT current_user");

		assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
		assert_string_equal(PQgetvalue(res, 0, 0), "hgkm_app");
		PQclear(res);
	}
	/* At least one entry, so that UPDATE and DELETE have a row to hit. */
	sch = org_school(org_board(0), NULL, NULL);
	itest_expect_status(
	    org_send("POST",
	             itest_fmt("/api/v1/schools/%ld/join-code", sch->id),
	             org_admin(), NULL, NULL, 0),
	    200);
	entries = itest_db_long("SELECT count(*) FROM audit_log", NULL, NULL);
	assert_true(entries > 0);
	/* Appending is allowed (the service writes the log). */
	assert_string_equal(sqlstate_of(conn, "BEGIN"), "");
	assert_string_equal(
	    sqlstate_of(conn, "INSERT INTO audit_log (action, target) "
	                      "VALUES ('test', 'test')"),
	    "");
	assert_string_equal(sqlstate_of(conn, "ROLLBACK"), "");
	assert_string_equal(
	    sqlstate_of(conn, "UPDATE audit_log SET action = 'x'"), "42501");
	assert_string_equal(sqlstate_of(conn, "DELETE FROM audit_log"),
	                    "42501");
	assert_string_equal(sqlstate_of(conn, "TRUNCATE audit_log"), "42501");
	assert_string_equal(
	    sqlstate_of(conn, "SELECT count(*) FROM schema_migrations"),
	    "42501");
	assert_string_equal(sqlstate_of(conn, "CREATE TABLE t_x (a int)"),
	                    "42501");
	assert_string_equal(sqlstate_of(conn, "DROP TABLE certificates"),
	                    "42501");
	assert_string_equal(
	    sqlstate_of(conn, "ALTER TABLE users ADD COLUMN x int"), "42501");
	assert_int_equal(
	    itest_db_long("SELECT count(*) FROM audit_log", NULL, NULL),
	    entries);
}

/*
 * S7: a failed login for an unknown address does the same work as one for
 * a known address (a dummy argon2id hash), so its timing does not tell
 * which addresses have an account.  Not a speed check: only the ratio of
 * the two medians counts.  Without the dummy hash the unknown address
 * answers some 50 times sooner; the bounds are wide enough for a loaded
 * machine.  Five tries each stay within the five free failures per
 * address and client (handlers/auth.c).
 */
static void
test_login_work_equal(void **state)
{
	struct itest_user *u = itest_new_teacher();
	const char        *unknown = itest_unique_email();
	double             known_ms[5], unknown_ms[5], k, n;

	(void)state;
	for (size_t i = 0; i < 5; i++) {
		known_ms[i] = login_ms(u->email, "Verkeerd-wachtwoord-1");
		unknown_ms[i] = login_ms(unknown, "Verkeerd-wachtwoord-1");
	}
	k = median(known_ms, 5);
	n = median(unknown_ms, 5);
	print_message("login failure, median of 5: known %.1f ms, unknown "
	              "%.1f ms\n",
	              k, n);
	if (n < k / 2.5 || n > k * 2.5)
		fail_msg("unknown address %.1f ms against known %.1f ms", n, k);
}

/* Audit lines of one action by one actor, straight from the database. */
static long
audit_count(const char *action, long actor)
{
	return itest_db_long("SELECT count(*) FROM audit_log WHERE action = $1"
	                     " AND actor_id = $2::bigint",
	                     action, itest_fmt("%ld", actor));
}

/*
 * Every successful write leaves one audit line, whichever handler did it
 * (worker.c:audit_write), and a refused one leaves none.  Before, regions,
 * boards, schools, trainings and scenarios were created without a trace.
 */
static void
test_every_write_audited(void **state)
{
	struct itest_user *admin = org_account("admin", 0, 0);
	struct itest_user *tr = org_account("trainer", 0, 0);
	const char        *tag = org_tag();
	long               region, board;
	json_t            *scenario = itest_keep_json(json_pack(
	               "{s:s, s:s, s:[s], s:s, s:{s:{s:s, s:s, s:i, s:[{s:s, s:s, s:s, "
	                          "s:i}, {s:s, s:s, s:s, s:i}]}, s:{s:s, s:s, s:s}, s:{s:s, s:s, "
	                          "s:s}}}",
	               "title", itest_fmt("Audit %s", tag), "summary", "Een oefening.",
	               "audience", "teacher", "start", "begin", "nodes", "begin",
	               "speaker", "Verteller", "text", "Een kind komt binnen.",
	               "meldcode_step", 1, "choices", "text", "Luister rustig.", "next",
	               "goed", "feedback", "Goed.", "score", 10, "text", "Loop door.",
	               "next", "slecht", "feedback", "Jammer.", "score", 0, "goed",
	               "speaker", "Verteller", "text", "Het kind vertelt.", "outcome",
	               "Goed afgerond.", "slecht", "speaker", "Verteller", "text",
	               "Het kind zwijgt.", "outcome", "Gemist."));
	json_t            *training = itest_keep_json(json_pack(
	               "{s:s, s:s, s:s, s:s}", "title", itest_fmt("Audit %s", tag),
	               "module_slug", "af-praktijktraining", "date", "2026-03-14",
	               "location", "Utrecht"));

	(void)state;
	assert_non_null(scenario);
	region = itest_jint(
	    itest_expect_json(itest_post_json("/api/v1/regions", admin->token,
	                                      itest_fmt("{\"name\":\"Audit "
	                                                "%s\"}",
	                                                tag)),
	                      201),
	    "id");
	assert_int_equal(audit_count("POST /api/v1/regions", admin->id), 1);
	board =
	    itest_jint(itest_expect_json(
	                   itest_post_json("/api/v1/boards", admin->token,
	                                   itest_fmt("{\"name\":\"Audit %s\","
	                                             "\"region_id\":%ld}",
	                                             tag, region)),
	                   201),
	               "id");
	assert_int_equal(audit_count("POST /api/v1/boards", admin->id), 1);
	itest_expect_json(
	    itest_post_json(
	        "/api/v1/schools", admin->token,
	        itest_fmt("{\"board_id\":%ld,\"name\":\"Audit %s\","
	                  "\"brin\":\"%s\",\"municipality\":\"Utrecht\"}",
	                  board, tag, org_unique_brin())),
	    201);
	assert_int_equal(audit_count("POST /api/v1/schools", admin->id), 1);
	/* A refused write leaves no line. */
	itest_expect_4xx(
	    itest_post_json("/api/v1/regions", admin->token, "{}"));
	assert_int_equal(audit_count("POST /api/v1/regions", admin->id), 1);

	itest_expect_json(itest_post_json("/api/v1/trainings", tr->token,
	                                  itest_dump(training)),
	                  201);
	assert_int_equal(audit_count("POST /api/v1/trainings", tr->id), 1);
	itest_expect_json(itest_post_json("/api/v1/scenarios", tr->token,
	                                  itest_dump(scenario)),
	                  201);
	assert_int_equal(audit_count("POST /api/v1/scenarios", tr->id), 1);
	/* The admin's own audit view lists them, newest first. */
	assert_true(itest_json_has_text(
	    itest_expect_json(itest_get("/api/v1/audit", admin->token), 200),
	    "POST /api/v1/scenarios"));
}

int
itest_run_security(void)
{
	const struct CMUnitTest tests[] = {
	    ITEST(test_headers_on_every_answer),
	    ITEST(test_pages_without_inline_code),
	    ITEST(test_origin_check),
	    ITEST(test_every_write_audited),
	    ITEST(test_other_learner_invisible),
	    ITEST(test_socket_mode),
	    ITEST(test_database_role_rights),
	    ITEST(test_login_work_equal),
	};

	return cmocka_run_group_tests_name("security", tests, NULL, NULL);
}
