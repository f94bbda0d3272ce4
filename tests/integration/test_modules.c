/* Integration tests: modules, progress, quiz attempts and certificates. */
#include "itest.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MOD_PATH "/api/v1/modules/" ITEST_MODULE
#define ATTEMPT_PATH MOD_PATH "/attempts"
#define DAY 86400L

/* Users and threads of the concurrent double-submit test. */
#define DOUBLE_USERS 20

struct submit {
	const char        *token;
	const char        *body;
	pthread_barrier_t *barrier;
	struct itest_resp  resp;
	int                rc;
};

static json_t *find_module(const json_t *list, const char *slug);
static json_t *content_audience(void);
static void    expect_role_modules(const char *token, const char *role);
static json_t *my_progress(const char *token);
static void  expect_progress(const char *token, const char *status, long done);
static char *section_path(const char *section_id);
static json_t *attempt(const char *token, const char *body, long status);
static json_t *attempt_right(const char *token);
static json_t *attempt_wrong(const char *token);
static void    expect_code(const char *code);
static void    expect_feedback(const json_t *resp, bool all_correct);
static void    expect_validity(const json_t *cert);
static long    cert_rows(long user_id);
static void   *submit_thread(void *arg);
static void    submits_free(void *p);

static void test_modules_list_fresh(void **state);
static void test_modules_list_ib(void **state);
static void test_modules_by_role(void **state);
static void test_module_detail(void **state);
static void test_module_page_revalidated(void **state);
static void test_module_detail_hides_answers(void **state);
static void test_module_unknown(void **state);
static void test_modules_unauthenticated(void **state);
static void test_section_put_idempotent(void **state);
static void test_section_unknown(void **state);
static void test_progress_transitions(void **state);
static void test_attempt_sections_incomplete(void **state);
static void test_attempt_failing(void **state);
static void test_attempt_passing(void **state);
static void test_attempt_pass_again_same_certificate(void **state);
static void test_attempt_bad_body(void **state);
static void test_attempt_concurrent_double_submit(void **state);
static void test_me_certificates(void **state);
static void test_certificate_public(void **state);
static void test_certificate_unknown(void **state);
static void test_certificate_pdf(void **state);
static void test_certificate_expired(void **state);

/* Helpers. */

static json_t *
find_module(const json_t *list, const char *slug)
{
	size_t  i;
	json_t *m;

	if (!json_is_array(list))
		fail_msg("the module list is not an array");
	json_array_foreach (list, i, m) {
		json_t *s = json_object_get(m, "slug");

		if (json_is_string(s) &&
		    strcmp(json_string_value(s), slug) == 0)
			return m;
	}
	fail_msg("module %s is not in the list: %s", slug, itest_dump(list));
	return NULL;
}

/* The caller's progress object for the demo module. */
static json_t *
my_progress(const char *token)
{
	json_t *list =
	    itest_expect_json(itest_get("/api/v1/modules", token), 200);

	return itest_jobj(find_module(list, ITEST_MODULE), "progress");
}

static void
expect_progress(const char *token, const char *status, long done)
{
	const struct itest_module *m = itest_module();
	json_t                    *p = my_progress(token);

	if (strcmp(itest_jstr(p, "status"), status) != 0 ||
	    itest_jint(p, "sections_done") != done)
		fail_msg("expected status %s with %ld sections done, got %s",
		         status, done, itest_dump(p));
	assert_int_equal(itest_jint(p, "sections_total"), m->nsections);
}

static char *
section_path(const char *section_id)
{
	return itest_fmt(MOD_PATH "/sections/%s", section_id);
}

static json_t *
attempt(const char *token, const char *body, long status)
{
	return itest_expect_json(itest_post_json(ATTEMPT_PATH, token, body),
	                         status);
}

/* Starts the quiz and answers every drawn question right (or wrong). */
static json_t *
attempt_right(const char *token)
{
	return attempt(token, itest_quiz_answers(token, ITEST_MODULE, true),
	               200);
}

static json_t *
attempt_wrong(const char *token)
{
	return attempt(token, itest_quiz_answers(token, ITEST_MODULE, false),
	               200);
}

static void
expect_code(const char *code)
{
	size_t n = strlen(code);

	if (n < 22 || strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                           "abcdefghijklmnopqrstuvwxyz"
	                           "0123456789_-") != n)
		fail_msg("certificate code \"%s\" is not >= 22 characters of "
		         "[A-Za-z0-9_-]",
		         code);
}

/* "questions": one entry per drawn question, never the right choice; the
 * explanation when the attempt passed (all_correct), else (all wrong) none
 * but the sections to reread. */
static void
expect_feedback(const json_t *resp, bool all_correct)
{
	json_t *fb = itest_jarr(resp, "questions");
	json_t *questions = json_object_get(
	    json_object_get(itest_module()->doc, "quiz"), "questions");
	json_t *e, *q = NULL;
	size_t  i, k;
	long    drawn = 0;

	json_array_foreach (itest_jarr(resp, "objectives"), i, e)
		drawn += itest_jint(e, "drawn");
	assert_int_equal(json_array_size(fb), drawn);
	assert_true(drawn > 0);
	assert_false(itest_json_has_key(resp, "correct"));
	assert_false(itest_json_has_key(resp, "choices"));
	json_array_foreach (fb, i, e) {
		const char *qid = itest_jstr(e, "id");

		json_array_foreach (questions, k, q)
			if (strcmp(json_string_value(json_object_get(q, "id")),
			           qid) == 0)
				break;
		if (k == json_array_size(questions))
			fail_msg("feedback for a question not in the bank: %s",
			         itest_dump(e));
		if (itest_jbool(e, "right") != all_correct)
			fail_msg("feedback for %s says right=%d: %s", qid,
			         !all_correct, itest_dump(e));
		if (all_correct) {
			assert_string_equal(itest_jstr(e, "explanation"),
			                    json_string_value(json_object_get(
			                        q, "explanation")));
			assert_int_equal(
			    json_array_size(itest_jarr(e, "reread")), 0);
		} else {
			assert_true(
			    json_is_null(json_object_get(e, "explanation")));
			assert_true(json_array_size(itest_jarr(e, "reread")) >
			            0);
		}
	}
}

/* issued_at and expires_at are times, validity_months apart. */
static void
expect_validity(const json_t *cert)
{
	long   months = itest_module()->validity_months;
	time_t iss = itest_expect_time(itest_jstr(cert, "issued_at"));
	time_t exp = itest_expect_time(itest_jstr(cert, "expires_at"));
	time_t now = time(NULL);

	if (labs((long)(iss - now)) > 600)
		fail_msg("issued_at %s is not now",
		         itest_jstr(cert, "issued_at"));
	if ((long)(exp - iss) < months * 28 * DAY ||
	    (long)(exp - iss) > months * 31 * DAY + DAY)
		fail_msg("expires_at %s is not %ld months after issued_at %s",
		         itest_jstr(cert, "expires_at"), months,
		         itest_jstr(cert, "issued_at"));
}

static long
cert_rows(long user_id)
{
	return itest_db_long("SELECT count(*) FROM certificates c JOIN modules "
	                     "m ON m.id = c.module_id WHERE c.user_id = $1 "
	                     "AND m.slug = $2",
	                     itest_fmt("%ld", user_id), ITEST_MODULE);
}

/*
 * {"<slug>":{"audience":[...],"in_person":bool}} for every module under
 * CONTENT_DIR/modules, owned by the test.
 */
static json_t *
content_audience(void)
{
	const char    *dir = itest_fmt("%s/modules", itest_env("CONTENT_DIR"));
	json_t        *all = itest_keep_json(json_object());
	DIR           *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		fail_msg("cannot list %s", dir);
	while ((e = readdir(d)) != NULL) {
		json_t *doc;

		if (e->d_name[0] == '.')
			continue;
		doc = json_load_file(
		    itest_fmt("%s/%s/module.json", dir, e->d_name), 0, NULL);
		if (doc == NULL)
			continue;
		json_object_set_new(
		    all, e->d_name,
		    json_pack("{s:O, s:b}", "audience",
		              json_object_get(doc, "audience"), "in_person",
		              json_is_true(json_object_get(doc, "in_person"))));
		json_decref(doc);
	}
	closedir(d);
	return all;
}

/* The list holds every online module of the role's audience, and nothing
 * outside it. */
static void
expect_role_modules(const char *token, const char *role)
{
	json_t     *content = content_audience();
	json_t     *list, *m, *info, *who;
	const char *slug;
	size_t      i, k;

	list = itest_expect_json(itest_get("/api/v1/modules", token), 200);
	json_array_foreach (list, i, m) {
		bool for_role = false;

		slug = itest_jstr(m, "slug");
		info = json_object_get(content, slug);
		if (info == NULL)
			continue; /* a module loaded from elsewhere */
		json_array_foreach (json_object_get(info, "audience"), k, who) {
			if (strcmp(json_string_value(who), role) == 0)
				for_role = true;
		}
		if (!for_role)
			fail_msg("a %s sees module %s, whose audience is %s",
			         role, slug,
			         itest_dump(json_object_get(info, "audience")));
	}
	json_object_foreach (content, slug, info) {
		bool for_role = false, listed = false;

		json_array_foreach (json_object_get(info, "audience"), k, who) {
			if (strcmp(json_string_value(who), role) == 0)
				for_role = true;
		}
		json_array_foreach (list, i, m) {
			if (strcmp(itest_jstr(m, "slug"), slug) == 0)
				listed = true;
		}
		if (for_role && !listed &&
		    !json_is_true(json_object_get(info, "in_person")))
			fail_msg("module %s is for %s but not in its list",
			         slug, role);
	}
}

/* Module list and detail. */

static void
test_modules_list_fresh(void **state)
{
	const struct itest_module *m = itest_module();
	struct itest_user         *u = itest_new_teacher();
	json_t                    *list =
	    itest_expect_json(itest_get("/api/v1/modules", u->token), 200);
	json_t *mod = find_module(list, ITEST_MODULE), *p;

	(void)state;
	assert_string_equal(itest_jstr(mod, "title"), m->title);
	(void)itest_jstr(mod, "summary");
	assert_int_equal(itest_jint(mod, "estimated_minutes"),
	                 m->estimated_minutes);
	assert_true(itest_jint(mod, "version") >= 1);
	assert_int_equal(itest_jint(mod, "validity_months"),
	                 m->validity_months);
	p = itest_jobj(mod, "progress");
	assert_int_equal(itest_jint(p, "sections_done"), 0);
	assert_int_equal(itest_jint(p, "sections_total"), m->nsections);
	assert_string_equal(itest_jstr(p, "status"), "not_started");
	assert_true(json_is_null(json_object_get(p, "completed_at")));
	assert_true(json_is_null(json_object_get(p, "expires_at")));
}

static void
test_modules_list_ib(void **state)
{
	char   *email, *pw;
	json_t *list;

	(void)state;
	if (!itest_demo_account("ib", &email, &pw))
		fail_msg("DEMO_ACCOUNTS has no ib");
	list = itest_expect_json(
	    itest_get("/api/v1/modules", itest_login_token(email, pw)), 200);
	(void)find_module(list, ITEST_MODULE);
}

static void
test_modules_by_role(void **state)
{
	char *email, *pw;

	(void)state;
	expect_role_modules(itest_new_teacher()->token, "teacher");
	if (!itest_demo_account("ib", &email, &pw))
		fail_msg("DEMO_ACCOUNTS has no ib");
	expect_role_modules(itest_login_token(email, pw), "ib");
}

static void
test_module_detail(void **state)
{
	const struct itest_module *m = itest_module();
	struct itest_user         *u = itest_new_teacher();
	json_t *j = itest_expect_json(itest_get(MOD_PATH, u->token), 200);
	json_t *secs, *quiz, *qs, *q, *s;
	json_t *doc_qs =
	    json_object_get(json_object_get(m->doc, "quiz"), "questions");
	size_t i;
	long   version, n;

	(void)state;
	assert_string_equal(itest_jstr(j, "slug"), ITEST_MODULE);
	assert_string_equal(itest_jstr(j, "title"), m->title);
	version = itest_jint(j, "version");
	assert_int_equal(
	    version,
	    itest_jint(find_module(itest_get("/api/v1/modules", u->token)->json,
	                           ITEST_MODULE),
	               "version"));
	secs = itest_jarr(j, "sections");
	assert_int_equal(json_array_size(secs), m->nsections);
	json_array_foreach (secs, i, s) {
		const char *html;

		assert_string_equal(itest_jstr(s, "id"), m->section_ids[i]);
		(void)itest_jstr(s, "title");
		html = itest_jstr(s, "html");
		assert_true(strlen(html) > 0);
		assert_null(strcasestr(html, "<script"));
		assert_false(itest_jbool(s, "done"));
	}
	quiz = itest_jobj(j, "quiz");
	assert_int_equal(itest_jint(quiz, "pass_mark"), m->pass_mark);
	/* Quiz meta only: the questions come with a started attempt. */
	assert_null(json_object_get(quiz, "questions"));
	qs = itest_jarr(quiz, "objectives");
	assert_int_equal(json_array_size(qs), json_array_size(json_object_get(
	                                          m->doc, "objectives")));
	n = 0;
	json_array_foreach (qs, i, q) {
		json_t *dq =
		    json_array_get(json_object_get(m->doc, "objectives"), i);

		assert_string_equal(
		    itest_jstr(q, "id"),
		    json_string_value(json_object_get(dq, "id")));
		assert_string_equal(
		    itest_jstr(q, "title"),
		    json_string_value(json_object_get(dq, "title")));
		assert_int_equal(
		    json_array_size(itest_jarr(q, "sections")),
		    json_array_size(json_object_get(dq, "sections")));
		n += json_integer_value(json_object_get(dq, "draw"));
	}
	assert_int_equal(itest_jint(quiz, "questions_per_attempt"), n);
	(void)doc_qs;
}

/* GET with If-None-Match: the module page's entity tag. */
static struct itest_resp *
get_if_none_match(const char *token, const char *tag)
{
	struct itest_req rq = {.path = MOD_PATH, .bearer = token};

	rq.headers[0] = itest_fmt("If-None-Match: %s", tag);
	return itest_do(&rq);
}

/* A client's copy of a module page is checked, not sent again: 304 while
 * the page is the same for this caller, 200 with a new tag once their
 * progress (or another caller's certificate) makes it different. */
static void
test_module_page_revalidated(void **state)
{
	const struct itest_module *m = itest_module();
	struct itest_user         *u = itest_new_teacher();
	struct itest_user         *other = itest_new_teacher();
	struct itest_resp         *r = itest_get(MOD_PATH, u->token);
	char                      *tag = itest_header(r, "ETag"), *tag2;

	(void)state;
	itest_expect_json(r, 200);
	assert_non_null(tag);
	assert_true(tag[0] == '"' && tag[strlen(tag) - 1] == '"');
	/* Personal: never kept by a browser (ASVS 8.2.1). */
	assert_string_equal(itest_header(r, "Cache-Control"), "no-store");
	/* Unchanged: 304, no body, the same tag. */
	r = get_if_none_match(u->token, tag);
	itest_expect_status(r, 304);
	assert_int_equal(r->len, 0);
	assert_string_equal(itest_header(r, "ETag"), tag);
	/* Another caller with the same progress has the same page. */
	itest_expect_status(get_if_none_match(other->token, tag), 304);
	/* A section done changes the page: 200 and a new tag. */
	itest_expect_status(
	    itest_put(section_path(m->section_ids[0]), u->token, NULL), 204);
	r = get_if_none_match(u->token, tag);
	itest_expect_json(r, 200);
	tag2 = itest_header(r, "ETag");
	assert_non_null(tag2);
	assert_string_not_equal(tag2, tag);
	itest_expect_status(get_if_none_match(u->token, tag2), 304);
	/* The old tag is still the other caller's page, not this one's. */
	itest_expect_status(get_if_none_match(other->token, tag2), 200);
	/* A tag that is not the page's, and errors, are not 304. */
	itest_expect_json(get_if_none_match(u->token, "\"v1-0\""), 200);
	itest_expect_error(get_if_none_match(NULL, tag2), 401,
	                   "unauthenticated");
}

static void
test_module_detail_hides_answers(void **state)
{
	struct itest_user *u = itest_new_teacher();
	struct itest_resp *r = itest_get(MOD_PATH, u->token);
	json_t            *j = itest_expect_json(r, 200);
	json_t            *doc_qs = json_object_get(
	               json_object_get(itest_module()->doc, "quiz"), "questions");
	json_t *q;
	size_t  i;

	(void)state;
	if (strstr(r->body, "\"correct\"") != NULL ||
	    strstr(r->body, "\"explanation\"") != NULL)
		fail_msg("the module detail carries answers: %.300s",
		         strstr(r->body, "\"correct\"")
		             ? strstr(r->body, "\"correct\"")
		             : strstr(r->body, "\"explanation\""));
	assert_false(itest_json_has_key(j, "correct"));
	assert_false(itest_json_has_key(j, "is_correct"));
	assert_false(itest_json_has_key(j, "explanation"));
	assert_false(itest_json_has_key(j, "feedback"));
	json_array_foreach (doc_qs, i, q) {
		const char *ex =
		    json_string_value(json_object_get(q, "explanation"));
		const char *text =
		    json_string_value(json_object_get(q, "text"));

		/* Not even the questions: the whole bank would be an answer
		 * sheet's input. */
		if (text != NULL && itest_json_has_text(j, text))
			fail_msg("question %s is sent with the module page",
			         json_string_value(json_object_get(q, "id")));

		if (ex != NULL && strlen(ex) > 8 && itest_json_has_text(j, ex))
			fail_msg("the explanation of question %s is sent "
			         "before the attempt",
			         json_string_value(json_object_get(q, "id")));
	}
	/* Still hidden once every section is done (the quiz is open). */
	itest_complete_sections(u->token);
	r = itest_get(MOD_PATH, u->token);
	j = itest_expect_json(r, 200);
	assert_null(strstr(r->body, "\"correct\""));
	assert_false(itest_json_has_key(j, "explanation"));
}

static void
test_module_unknown(void **state)
{
	static const char *const slugs[] = {
	    "bestaat-niet", "MELDCODE-KORT", "meldcode-kort-", "%27%22",
	    "a%C3%A9",      "%FF",           "meldcode_kort",
	};
	struct itest_user         *u = itest_new_teacher();
	const struct itest_module *m = itest_module();
	size_t                     bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(slugs) / sizeof(slugs[0]); i++) {
		struct itest_resp *r = itest_get(
		    itest_fmt("/api/v1/modules/%s", slugs[i]), u->token);

		bad += !itest_soft_error(r, 404, "not_found");
		r = itest_put(itest_fmt("/api/v1/modules/%s/sections/%s",
		                        slugs[i], m->section_ids[0]),
		              u->token, NULL);
		bad += !itest_soft_error(r, 404, "not_found");
		r = itest_post_json(
		    itest_fmt("/api/v1/modules/%s/attempts", slugs[i]),
		    u->token, "{\"attempt_id\":1,\"answers\":{}}");
		bad += !itest_soft_error(r, 404, "not_found");
		r = itest_post_json(
		    itest_fmt("/api/v1/modules/%s/quiz", slugs[i]), u->token,
		    NULL);
		bad += !itest_soft_error(r, 404, "not_found");
	}
	/* A very long slug. */
	bad += !itest_soft_error(
	    itest_get(itest_fmt("/api/v1/modules/%0*d", 3000, 7), u->token),
	    404, "not_found");
	if (bad > 0)
		fail_msg("%zu requests for unknown modules were not 404", bad);
}

static void
test_modules_unauthenticated(void **state)
{
	const struct itest_module *m = itest_module();

	(void)state;
	itest_expect_error(itest_get("/api/v1/modules", NULL), 401,
	                   "unauthenticated");
	itest_expect_error(itest_get(MOD_PATH, NULL), 401, "unauthenticated");
	itest_expect_error(
	    itest_put(section_path(m->section_ids[0]), NULL, NULL), 401,
	    "unauthenticated");
	itest_expect_error(itest_post_json(ATTEMPT_PATH, NULL, m->right_body),
	                   401, "unauthenticated");
	itest_expect_error(itest_get("/api/v1/me/certificates", NULL), 401,
	                   "unauthenticated");
}

/* Progress. */

static void
test_section_put_idempotent(void **state)
{
	const struct itest_module *m = itest_module();
	struct itest_user         *u = itest_new_teacher();
	const char                *sid = m->section_ids[0];
	struct itest_resp         *r;
	json_t                    *j;

	(void)state;
	for (int i = 0; i < 2; i++) {
		r = itest_put(section_path(sid), u->token, NULL);
		itest_expect_status(r, 204);
		assert_int_equal(r->len, 0);
	}
	assert_int_equal(itest_db_long("SELECT count(*) FROM section_progress "
	                               "sp JOIN modules m ON m.id = "
	                               "sp.module_id WHERE sp.user_id = $1 "
	                               "AND sp.section_id = $2 AND m.slug = "
	                               "'" ITEST_MODULE "'",
	                               itest_fmt("%ld", u->id), sid),
	                 1);
	assert_int_equal(itest_db_long("SELECT count(*) FROM section_progress "
	                               "WHERE user_id = $1",
	                               itest_fmt("%ld", u->id), NULL),
	                 1);
	/* The cookie works for writes too. */
	{
		struct itest_req rq = {.method = "PUT",
		                       .path = section_path(sid),
		                       .cookie = u->token};

		itest_expect_status(itest_do(&rq), 204);
	}
	j = itest_expect_json(itest_get(MOD_PATH, u->token), 200);
	assert_true(
	    itest_jbool(json_array_get(itest_jarr(j, "sections"), 0), "done"));
	if (m->nsections > 1)
		assert_false(itest_jbool(
		    json_array_get(itest_jarr(j, "sections"), 1), "done"));
}

static void
test_section_unknown(void **state)
{
	static const char *const ids[] = {"bestaat-niet", "%27", "A", "..."};
	struct itest_user       *u = itest_new_teacher();

	(void)state;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		itest_expect_error(
		    itest_put(section_path(ids[i]), u->token, NULL), 404,
		    "not_found");
	itest_expect_error(
	    itest_put(section_path(itest_fmt("%0*d", 2000, 1)), u->token, NULL),
	    404, "not_found");
	assert_int_equal(itest_db_long("SELECT count(*) FROM section_progress "
	                               "WHERE user_id = $1",
	                               itest_fmt("%ld", u->id), NULL),
	                 0);
}

static void
test_progress_transitions(void **state)
{
	const struct itest_module *m = itest_module();
	struct itest_user         *u = itest_new_teacher();
	json_t                    *res, *cert, *p;

	(void)state;
	expect_progress(u->token, "not_started", 0);
	itest_expect_status(
	    itest_put(section_path(m->section_ids[0]), u->token, NULL), 204);
	expect_progress(u->token, "in_progress", 1);
	itest_complete_sections(u->token);
	expect_progress(u->token, "in_progress", (long)m->nsections);
	/* A failed attempt completes nothing. */
	res = attempt_wrong(u->token);
	assert_false(itest_jbool(res, "passed"));
	expect_progress(u->token, "in_progress", (long)m->nsections);
	p = my_progress(u->token);
	assert_true(json_is_null(json_object_get(p, "completed_at")));
	assert_true(json_is_null(json_object_get(p, "expires_at")));

	res = attempt_right(u->token);
	assert_true(itest_jbool(res, "passed"));
	cert = itest_jobj(res, "certificate");
	expect_progress(u->token, "completed", (long)m->nsections);
	p = my_progress(u->token);
	(void)itest_expect_time(itest_jstr(p, "completed_at"));
	assert_int_equal(itest_expect_time(itest_jstr(p, "expires_at")),
	                 itest_expect_time(itest_jstr(cert, "expires_at")));
}

/* Attempts. */

static void
test_attempt_sections_incomplete(void **state)
{
	const struct itest_module *m = itest_module();
	struct itest_user         *u = itest_new_teacher();
	struct itest_resp         *r;

	(void)state;
	r = itest_post_json(MOD_PATH "/quiz", u->token, NULL);
	itest_expect_error(r, 409, "sections_incomplete");
	/* All sections but the last. */
	for (size_t i = 0; i + 1 < m->nsections; i++)
		itest_expect_status(
		    itest_put(section_path(m->section_ids[i]), u->token, NULL),
		    204);
	r = itest_post_json(MOD_PATH "/quiz", u->token, NULL);
	itest_expect_error(r, 409, "sections_incomplete");
	assert_int_equal(cert_rows(u->id), 0);
	expect_progress(u->token,
	                m->nsections > 1 ? "in_progress" : "not_started",
	                (long)m->nsections - 1);
}

static void
test_attempt_failing(void **state)
{
	const struct itest_module *m = itest_module();
	struct itest_user         *u = itest_new_teacher();
	json_t                    *res;

	(void)state;
	itest_complete_sections(u->token);
	res = attempt_wrong(u->token);
	assert_false(itest_jbool(res, "passed"));
	assert_true(json_is_null(json_object_get(res, "certificate")));
	assert_non_null(json_object_get(res, "certificate"));
	assert_true(json_is_number(json_object_get(res, "score")));
	assert_true(json_number_value(json_object_get(res, "score")) <
	            (double)m->pass_mark);
	assert_int_equal(itest_jint(res, "pass_mark"), m->pass_mark);
	expect_feedback(res, false);
	assert_int_equal(cert_rows(u->id), 0);
	/* Nothing to show publicly or under /me. */
	assert_int_equal(
	    json_array_size(itest_expect_json(
	        itest_get("/api/v1/me/certificates", u->token), 200)),
	    0);
}

static void
test_attempt_passing(void **state)
{
	const struct itest_module *m = itest_module();
	struct itest_user         *u = itest_new_teacher();
	json_t                    *res, *cert;
	const char                *code;

	(void)state;
	itest_complete_sections(u->token);
	res = attempt_right(u->token);
	assert_true(itest_jbool(res, "passed"));
	assert_true(json_is_number(json_object_get(res, "score")));
	assert_true(json_number_value(json_object_get(res, "score")) >=
	            (double)m->pass_mark);
	assert_int_equal(itest_jint(res, "pass_mark"), m->pass_mark);
	cert = itest_jobj(res, "certificate");
	code = itest_jstr(cert, "code");
	expect_code(code);
	expect_validity(cert);
	expect_feedback(res, true);
	assert_int_equal(cert_rows(u->id), 1);
	assert_string_equal(itest_db_text("SELECT code FROM certificates WHERE "
	                                  "user_id = $1",
	                                  itest_fmt("%ld", u->id), NULL),
	                    code);
}

static void
test_attempt_pass_again_same_certificate(void **state)
{
	const struct itest_module *m = itest_module();
	struct itest_user         *u = itest_new_teacher();
	const char                *c1, *c2;
	json_t                    *res;

	(void)state;
	itest_complete_sections(u->token);
	res = attempt_right(u->token);
	c1 = itest_jstr(itest_jobj(res, "certificate"), "code");
	res = attempt_right(u->token);
	assert_true(itest_jbool(res, "passed"));
	c2 = itest_jstr(itest_jobj(res, "certificate"), "code");
	assert_string_equal(c1, c2);
	assert_int_equal(cert_rows(u->id), 1);
	/* A failed attempt in between does not touch the certificate. */
	res = attempt_wrong(u->token);
	assert_false(itest_jbool(res, "passed"));
	res = attempt_right(u->token);
	assert_string_equal(itest_jstr(itest_jobj(res, "certificate"), "code"),
	                    c1);
	assert_int_equal(cert_rows(u->id), 1);
	expect_progress(u->token, "completed", (long)m->nsections);
}

static void
test_attempt_bad_body(void **state)
{
	struct itest_user *u = itest_new_teacher();
	json_t            *started;
	const char        *qid, *a;

	itest_complete_sections(u->token);
	started = itest_quiz_start(u->token, ITEST_MODULE);
	/* A drawn question, and the attempt every body names. */
	qid = itest_jstr(json_array_get(itest_jarr(started, "questions"), 0),
	                 "id");
	a = itest_fmt("\"attempt_id\":%ld", itest_jint(started, "attempt_id"));
	const char *strict[] = {
	    "{}",
	    itest_fmt("{%s}", a),
	    "{\"answers\":{}}", /* no attempt */
	    "{\"attempt_id\":\"1\",\"answers\":{}}",
	    "{\"attempt_id\":0,\"answers\":{}}",
	    itest_fmt("{%s,\"answers\":[]}", a),
	    itest_fmt("{%s,\"answers\":null}", a),
	    itest_fmt("{%s,\"answers\":\"a\"}", a),
	    itest_fmt("{%s,\"answers\":{\"%s\":\"a\"}}", a, qid),
	    itest_fmt("{%s,\"answers\":{\"%s\":[1,2]}}", a, qid),
	    itest_fmt("{%s,\"answers\":{\"%s\":[null]}}", a, qid),
	    itest_fmt("{%s,\"answers\":{\"%s\":{}}}", a, qid),
	};
	/* JSON, but not an object: either 400 code will do. */
	const char *not_object[] = {"[]", "7", "\"answers\"", "null"};
	/* Not drawn: 400 not_drawn; an empty answer counts wrong. */
	const char *lenient[] = {
	    itest_fmt("{%s,\"answers\":{\"bestaat-niet\":[\"a\"]}}", a),
	    itest_fmt("{%s,\"answers\":{\"%s\":[\"bestaat-niet\"]}}", a, qid),
	    itest_fmt("{%s,\"answers\":{\"%s\":[\"%0*d\"]}}", a, qid, 5000, 3),
	    itest_fmt("{%s,\"answers\":{\"%s\":[]}}", a, qid),
	    itest_fmt("{%s,\"answers\":{}}", a),
	};

	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(strict) / sizeof(strict[0]); i++) {
		struct itest_resp *r =
		    itest_post_json(ATTEMPT_PATH, u->token, strict[i]);

		if (!itest_soft_error(r, 400, "validation_failed")) {
			print_error("    attempt body %s\n", strict[i]);
			bad++;
		}
	}
	for (size_t i = 0; i < sizeof(not_object) / sizeof(not_object[0]);
	     i++) {
		struct itest_resp *r =
		    itest_post_json(ATTEMPT_PATH, u->token, not_object[i]);

		if (!itest_soft_error(r, 400, NULL)) {
			print_error("    attempt body %s\n", not_object[i]);
			bad++;
		}
	}
	/* Unknown ids: 400 not_drawn; missing answers: a failed attempt. */
	for (size_t i = 0; i < sizeof(lenient) / sizeof(lenient[0]); i++) {
		struct itest_resp *r =
		    itest_post_json(ATTEMPT_PATH, u->token, lenient[i]);

		if (r->status == 200) {
			json_t *j = itest_expect_json(r, 200);

			if (itest_jbool(j, "passed"))
				fail_msg("attempt %.80s passed", lenient[i]);
		} else if (!itest_soft_error(r, 400, "not_drawn")) {
			print_error("    attempt body %.80s\n", lenient[i]);
			bad++;
		}
	}
	assert_int_equal(cert_rows(u->id), 0);
	if (bad > 0)
		fail_msg("%zu bad attempt bodies were not refused properly",
		         bad);
}

static void *
submit_thread(void *arg)
{
	struct submit   *s = arg;
	struct itest_req rq = {.method = "POST",
	                       .path = ATTEMPT_PATH,
	                       .content_type = "application/json",
	                       .body = s->body,
	                       .bearer = s->token};

	pthread_barrier_wait(s->barrier);
	s->rc = itest_perform(&rq, &s->resp);
	return NULL;
}

static void
submits_free(void *p)
{
	struct submit *s = p;

	for (size_t i = 0; i < 2 * DOUBLE_USERS; i++)
		itest_resp_release(&s[i].resp);
	free(s);
}

/*
 * 20 users, two threads each, all released by one barrier with the same
 * passing attempt: one certificate row per user, one code per pair.
 */
static void
test_attempt_concurrent_double_submit(void **state)
{
	struct itest_user *users[DOUBLE_USERS];
	struct submit     *s;
	pthread_t          th[2 * DOUBLE_USERS];
	pthread_barrier_t  barrier;
	size_t             started = 0;
	const char        *codes[DOUBLE_USERS];

	(void)state;
	for (size_t i = 0; i < DOUBLE_USERS; i++) {
		users[i] = itest_new_teacher();
		itest_complete_sections(users[i]->token);
	}
	s = calloc(2 * DOUBLE_USERS, sizeof(*s));
	assert_non_null(s);
	itest_keep(s, submits_free);
	assert_int_equal(pthread_barrier_init(&barrier, NULL, 2 * DOUBLE_USERS),
	                 0);
	for (size_t i = 0; i < 2 * DOUBLE_USERS; i++) {
		s[i].token = users[i / 2]->token;
		/* One started attempt per user, its passing answers twice. */
		s[i].body = i % 2 == 0 ? itest_quiz_answers(s[i].token,
		                                            ITEST_MODULE, true)
		                       : s[i - 1].body;
		s[i].barrier = &barrier;
		if (pthread_create(&th[i], NULL, submit_thread, &s[i]) != 0)
			break;
		started++;
	}
	if (started != 2 * DOUBLE_USERS) {
		/* The barrier would never open: cannot recover; stop here. */
		fprintf(stderr, "pthread_create failed after %zu threads\n",
		        started);
		abort();
	}
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&barrier);

	for (size_t i = 0; i < DOUBLE_USERS; i++) {
		const char *pair[2];

		for (size_t k = 0; k < 2; k++) {
			struct itest_resp *r = &s[2 * i + k].resp;
			json_t            *j;

			if (s[2 * i + k].rc != 0)
				fail_msg("user %zu request %zu: no response "
				         "(%s)",
				         i, k, r->curl_error);
			j = itest_expect_json(r, 200);
			if (!itest_jbool(j, "passed"))
				fail_msg("user %zu request %zu did not pass: "
				         "%s",
				         i, k, r->body);
			pair[k] =
			    itest_jstr(itest_jobj(j, "certificate"), "code");
			expect_code(pair[k]);
		}
		if (strcmp(pair[0], pair[1]) != 0)
			fail_msg("user %zu got two certificate codes: %s and "
			         "%s",
			         i, pair[0], pair[1]);
		if (cert_rows(users[i]->id) != 1)
			fail_msg("user %zu has %ld certificate rows", i,
			         cert_rows(users[i]->id));
		codes[i] = pair[0];
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(codes[k], codes[i]);
	}
}

/* Certificates. */

static void
test_me_certificates(void **state)
{
	const struct itest_module *m = itest_module();
	struct itest_user         *u = itest_new_teacher();
	json_t                    *list, *c, *res;
	const char                *code;

	(void)state;
	list = itest_expect_json(itest_get("/api/v1/me/certificates", u->token),
	                         200);
	assert_true(json_is_array(list));
	assert_int_equal(json_array_size(list), 0);

	itest_complete_sections(u->token);
	res = attempt_right(u->token);
	code = itest_jstr(itest_jobj(res, "certificate"), "code");
	(void)attempt_right(u->token);

	list = itest_expect_json(itest_get("/api/v1/me/certificates", u->token),
	                         200);
	assert_int_equal(json_array_size(list), 1);
	c = json_array_get(list, 0);
	assert_string_equal(itest_jstr(c, "code"), code);
	assert_string_equal(itest_jstr(c, "module_slug"), ITEST_MODULE);
	assert_string_equal(itest_jstr(c, "module_title"), m->title);
	assert_true(itest_jbool(c, "valid"));
	expect_validity(c);
	assert_int_equal(itest_expect_time(itest_jstr(c, "expires_at")),
	                 itest_expect_time(itest_jstr(
	                     itest_jobj(res, "certificate"), "expires_at")));
	/* Another user's list stays empty. */
	assert_int_equal(json_array_size(itest_expect_json(
	                     itest_get("/api/v1/me/certificates",
	                               itest_new_teacher()->token),
	                     200)),
	                 0);
}

static void
test_certificate_public(void **state)
{
	const struct itest_module *m = itest_module();
	struct itest_user         *u = itest_new_teacher();
	json_t                    *res, *cert, *j;
	const char                *code;
	struct itest_resp         *r;

	(void)state;
	itest_complete_sections(u->token);
	res = attempt_right(u->token);
	cert = itest_jobj(res, "certificate");
	code = itest_jstr(cert, "code");

	r = itest_get(itest_fmt("/api/v1/certificates/%s", code), NULL);
	j = itest_expect_json(r, 200);
	assert_true(itest_jbool(j, "valid"));
	assert_string_equal(itest_jstr(j, "holder_name"), u->name);
	assert_string_equal(itest_jstr(j, "module_title"), m->title);
	assert_int_equal(itest_expect_time(itest_jstr(j, "issued_at")),
	                 itest_expect_time(itest_jstr(cert, "issued_at")));
	assert_int_equal(itest_expect_time(itest_jstr(j, "expires_at")),
	                 itest_expect_time(itest_jstr(cert, "expires_at")));
	/* Public means minimal: no email, no account id. */
	assert_false(itest_json_has_key(j, "email"));
	assert_null(strstr(r->body, u->email));
	assert_false(itest_json_has_key(j, "user_id"));
	/* A logged-in stranger sees the same. */
	j = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/certificates/%s", code),
	              itest_new_teacher()->token),
	    200);
	assert_string_equal(itest_jstr(j, "holder_name"), u->name);
}

static void
test_certificate_unknown(void **state)
{
	const char *odd[] = {
	    itest_random_hex(16),
	    itest_b64url(itest_random_hex(12), 24),
	    "abc",
	    "%27%20OR%20%271%27%3D%271",
	    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
	    "%C3%A9t%C3%A9-%C3%A9t%C3%A9-%C3%A9t%C3%A9-%C3%A9t%C3%A9",
	    "%FF%FE%FD",
	    "%25%25%25",
	    "a%20b",
	    ".....",
	    "~!*()$,;=:@",
	    "%22%5C%22%5C",
	    "-------------------------------",
	    itest_fmt("%0*d", 3000, 9),
	};

	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		struct itest_resp *r = itest_get(
		    itest_fmt("/api/v1/certificates/%s", odd[i]), NULL);

		bad += !itest_soft_error(r, 404, "not_found");
		r = itest_get(itest_fmt("/api/v1/certificates/%s/pdf", odd[i]),
		              NULL);
		bad += !itest_soft_error(r, 404, "not_found");
	}
	bad += !itest_soft_error(itest_get("/api/v1/certificates/", NULL), 404,
	                         "not_found");
	if (bad > 0)
		fail_msg("%zu unknown certificate codes were not 404", bad);
}

static void
test_certificate_pdf(void **state)
{
	struct itest_user *u = itest_new_teacher();
	const char        *code;
	struct itest_resp *r;

	(void)state;
	itest_complete_sections(u->token);
	code = itest_jstr(itest_jobj(attempt_right(u->token), "certificate"),
	                  "code");
	r = itest_get(itest_fmt("/api/v1/certificates/%s/pdf", code), NULL);
	itest_expect_status(r, 200);
	if (r->content_type == NULL ||
	    strncasecmp(r->content_type, "application/pdf", 15) != 0)
		fail_msg("PDF Content-Type is %s",
		         r->content_type ? r->content_type : "(none)");
	if (r->len < 200 || memcmp(r->body, "%PDF-", 5) != 0)
		fail_msg("not a PDF (%zu bytes): %.20s", r->len, r->body);
	assert_non_null(memmem(r->body + r->len - (r->len > 64 ? 64 : r->len),
	                       r->len > 64 ? 64 : r->len, "%%EOF", 5));
}

/*
 * After expiry: status "expired", valid false everywhere, and a new pass
 * issues a new certificate.  The clock is moved by rewriting this user's own
 * certificate row over DATABASE_URL.
 */
static void
test_certificate_expired(void **state)
{
	const struct itest_module *m = itest_module();
	struct itest_user         *u = itest_new_teacher();
	char                      *uid = itest_fmt("%ld", u->id);
	const char                *c1, *c2;
	json_t                    *j, *p, *cert;
	time_t                     now = time(NULL);

	(void)state;
	itest_complete_sections(u->token);
	c1 = itest_jstr(itest_jobj(attempt_right(u->token), "certificate"),
	                "code");
	assert_int_equal(
	    itest_db_exec("UPDATE certificates SET issued_at = now() - "
	                  "interval '25 months', expires_at = now() - "
	                  "interval '1 month' WHERE user_id = $1",
	                  uid, NULL),
	    1);

	p = my_progress(u->token);
	if (strcmp(itest_jstr(p, "status"), "expired") != 0)
		fail_msg("status after expiry: %s", itest_dump(p));
	assert_true(itest_expect_time(itest_jstr(p, "expires_at")) < now);

	j = itest_expect_json(itest_get("/api/v1/me/certificates", u->token),
	                      200);
	assert_int_equal(json_array_size(j), 1);
	assert_false(itest_jbool(json_array_get(j, 0), "valid"));

	j = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/certificates/%s", c1), NULL), 200);
	assert_false(itest_jbool(j, "valid"));
	assert_string_equal(itest_jstr(j, "holder_name"), u->name);

	/* A new pass: a new certificate, the old one kept. */
	j = attempt_right(u->token);
	assert_true(itest_jbool(j, "passed"));
	cert = itest_jobj(j, "certificate");
	c2 = itest_jstr(cert, "code");
	expect_code(c2);
	if (strcmp(c1, c2) == 0)
		fail_msg("the expired certificate %s was returned again", c1);
	expect_validity(cert);
	assert_int_equal(cert_rows(u->id), 2);
	expect_progress(u->token, "completed", (long)m->nsections);
	/* And passing once more returns the new one, not a third. */
	j = attempt_right(u->token);
	assert_string_equal(itest_jstr(itest_jobj(j, "certificate"), "code"),
	                    c2);
	assert_int_equal(cert_rows(u->id), 2);
}

int
itest_run_modules(void)
{
	const struct CMUnitTest tests[] = {
	    ITEST(test_modules_list_fresh),
	    ITEST(test_modules_list_ib),
	    ITEST(test_modules_by_role),
	    ITEST(test_module_detail),
	    ITEST(test_module_page_revalidated),
	    ITEST(test_module_detail_hides_answers),
	    ITEST(test_module_unknown),
	    ITEST(test_modules_unauthenticated),
	    ITEST(test_section_put_idempotent),
	    ITEST(test_section_unknown),
	    ITEST(test_progress_transitions),
	    ITEST(test_attempt_sections_incomplete),
	    ITEST(test_attempt_failing),
	    ITEST(test_attempt_passing),
	    ITEST(test_attempt_pass_again_same_certificate),
	    ITEST(test_attempt_bad_body),
	    ITEST(test_attempt_concurrent_double_submit),
	    ITEST(test_me_certificates),
	    ITEST(test_certificate_public),
	    ITEST(test_certificate_unknown),
	    ITEST(test_certificate_pdf),
	    ITEST(test_certificate_expired),
	};

	return cmocka_run_group_tests_name("modules", tests, NULL, NULL);
}
