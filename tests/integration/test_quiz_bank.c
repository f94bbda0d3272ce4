/* Integration tests: question banks, stored draws, the pause (issue 12). */

/*
 * The right answers are read by question id from CONTENT_DIR's module.json
 * (itest_quiz_body), so the tests hold when the writers change the content.
 * The clock is never touched: a test that needs time to pass moves its own
 * attempt rows back over DATABASE_URL.
 */
#include "itest.h"

#include <math.h>
#include <string.h>
#include <time.h>

#define QUIZ_PATH "/api/v1/modules/" ITEST_MODULE "/quiz"
#define ATTEMPT_PATH "/api/v1/modules/" ITEST_MODULE "/attempts"

static void test_quiz_resume_same_draw(void **state);
static void test_quiz_retake_draws_anew(void **state);
static void test_quiz_not_drawn(void **state);
static void test_quiz_graded_against_stored_draw(void **state);
static void test_quiz_expired(void **state);
static void test_quiz_pause_after_two_failures(void **state);
static void test_quiz_replay_same_result(void **state);
static void test_quiz_objective_rule(void **state);
static void test_quiz_feedback_hides_explanations(void **state);
static void test_quiz_opaque_choice_ids(void **state);
static void test_quiz_draw_avoids_seen(void **state);
static void test_quiz_terms_of_the_start(void **state);

/* A learner with every section done, ready for the quiz. */
static struct itest_user *
learner(void)
{
	struct itest_user *u = itest_new_teacher();

	itest_complete_sections(u->token);
	return u;
}

/* The drawn sequence: question ids in order, each with its choice ids in
 * order, as one string. */
static char *
sequence(const json_t *started)
{
	json_t *q, *c;
	size_t  i, k;
	char   *s = itest_fmt("%s", "");

	json_array_foreach (itest_jarr(started, "questions"), i, q) {
		s = itest_fmt("%s%s:", s, itest_jstr(q, "id"));
		json_array_foreach (itest_jarr(q, "choices"), k, c)
			s = itest_fmt("%s%s,", s, itest_jstr(c, "id"));
		s = itest_fmt("%s;", s);
	}
	return s;
}

static bool
drawn(const json_t *started, const char *qid)
{
	json_t *q;
	size_t  i;

	json_array_foreach (itest_jarr(started, "questions"), i, q)
		if (strcmp(itest_jstr(q, "id"), qid) == 0)
			return true;
	return false;
}

/* A question of module.json by id. */
static json_t *
bank_question(const char *qid)
{
	json_t *q;
	size_t  i;

	json_array_foreach (
	    json_object_get(json_object_get(itest_module()->doc, "quiz"),
	                    "questions"),
	    i, q)
		if (strcmp(json_string_value(json_object_get(q, "id")), qid) ==
		    0)
			return q;
	fail_msg("question %s is not in module.json", qid);
	return NULL;
}

/* A shown id of a wrong choice of the shown question. */
static const char *
wrong_id(const json_t *shown)
{
	json_t *c;
	size_t  i;

	json_array_foreach (
	    json_object_get(bank_question(itest_jstr(shown, "id")), "choices"),
	    i, c)
		if (!json_is_true(json_object_get(c, "correct")))
			return itest_shown_choice_id(shown, c);
	fail_msg("question %s has no wrong choice", itest_jstr(shown, "id"));
	return NULL;
}

/* The right answers to attempt `a`, except the first `n_wrong` questions
 * (in the order shown), which get a wrong choice. */
static char *
body_with_wrong(const json_t *a, size_t n_wrong)
{
	json_t *body = itest_keep_json(
	    json_loads(itest_quiz_body(ITEST_MODULE, a, true), 0, NULL));
	json_t *q;
	size_t  i;

	json_array_foreach (itest_jarr(a, "questions"), i, q)
		if (i < n_wrong)
			json_object_set_new(json_object_get(body, "answers"),
			                    itest_jstr(q, "id"),
			                    json_pack("[s]", wrong_id(q)));
	return itest_dump(body);
}

/*
 * log10 of a lower bound on the number of different drawn sequences:
 * the question sets (product over objectives of C(bank, draw)), their
 * order ((sum of draws)!) and the choice orders ((fewest choices)! per
 * question).  Two independent draws are the same with probability at most
 * 10^-this.
 */
static double
log10_sequences(void)
{
	json_t *doc = itest_module()->doc, *o, *q;
	json_t *qs = json_object_get(json_object_get(doc, "quiz"), "questions");
	size_t  i, k, min_choices = 64;
	double  lg = 0;
	long    total = 0;

	json_array_foreach (json_object_get(doc, "objectives"), i, o) {
		long d = (long)json_integer_value(json_object_get(o, "draw"));
		long n = 0;

		json_array_foreach (qs, k, q)
			if (json_equal(json_object_get(q, "objective"),
			               json_object_get(o, "id")))
				n++;
		lg += (lgamma(n + 1.0) - lgamma(d + 1.0) - lgamma(n - d + 1.0));
		total += d;
	}
	json_array_foreach (qs, k, q)
		if (json_array_size(json_object_get(q, "choices")) <
		    min_choices)
			min_choices =
			    json_array_size(json_object_get(q, "choices"));
	lg += lgamma(total + 1.0) + (double)total * lgamma(min_choices + 1.0);
	return lg / log(10.0);
}

/* Reloading the quiz gives the open attempt again, not a new draw. */
static void
test_quiz_resume_same_draw(void **state)
{
	struct itest_user *u = learner();
	struct itest_resp *r;
	json_t            *a, *b;

	(void)state;
	r = itest_post_json(QUIZ_PATH, u->token, NULL);
	a = itest_expect_json(r, 201);
	assert_false(itest_jbool(a, "resumed"));
	(void)itest_expect_time(itest_jstr(a, "expires_at"));
	b = itest_expect_json(itest_post_json(QUIZ_PATH, u->token, NULL), 200);
	assert_true(itest_jbool(b, "resumed"));
	assert_int_equal(itest_jint(a, "attempt_id"),
	                 itest_jint(b, "attempt_id"));
	assert_string_equal(sequence(a), sequence(b));
	/* What is shown carries no key. */
	assert_false(itest_json_has_key(a, "correct"));
	assert_false(itest_json_has_key(a, "explanation"));
	assert_int_equal(
	    itest_db_long(
	        "SELECT count(*) FROM quiz_attempts WHERE user_id = $1"
	        " AND state = 'open'",
	        itest_fmt("%ld", u->id), NULL),
	    1);
}

/*
 * A retake draws anew: the attempt after a submitted one shows none of its
 * questions (the bank holds twice the draw per objective, which
 * hgkm-content enforces), and a later one a different sequence.
 */
static void
test_quiz_retake_draws_anew(void **state)
{
	struct itest_user *u = learner();
	json_t            *a, *b, *c, *q;
	size_t             i;

	(void)state;
	/* The chance that two draws are equal is below 10^-4 (see
	 * log10_sequences); with fewer possible sequences the test could
	 * fail by chance, so it says so instead. */
	if (log10_sequences() < 4.0)
		fail_msg("the bank of %s allows too few sequences (10^%.1f) "
		         "for a robust test",
		         ITEST_MODULE, log10_sequences());
	a = itest_quiz_start(u->token, ITEST_MODULE);
	itest_expect_json(
	    itest_post_json(ATTEMPT_PATH, u->token,
	                    itest_quiz_body(ITEST_MODULE, a, false)),
	    200);
	b = itest_expect_json(itest_post_json(QUIZ_PATH, u->token, NULL), 201);
	assert_int_not_equal(itest_jint(a, "attempt_id"),
	                     itest_jint(b, "attempt_id"));
	json_array_foreach (itest_jarr(b, "questions"), i, q)
		if (drawn(a, itest_jstr(q, "id")))
			fail_msg("the retake shows question %s again",
			         itest_jstr(q, "id"));
	assert_int_equal(json_array_size(itest_jarr(a, "questions")),
	                 json_array_size(itest_jarr(b, "questions")));
	/* Pass the second one (no pause), then a third draw. */
	assert_true(itest_jbool(
	    itest_expect_json(
	        itest_post_json(ATTEMPT_PATH, u->token,
	                        itest_quiz_body(ITEST_MODULE, b, true)),
	        200),
	    "passed"));
	c = itest_expect_json(itest_post_json(QUIZ_PATH, u->token, NULL), 201);
	assert_string_not_equal(sequence(a), sequence(c));
	assert_string_not_equal(sequence(b), sequence(c));
}

/* A question or choice that was not drawn is 400 and records nothing. */
static void
test_quiz_not_drawn(void **state)
{
	struct itest_user *u = learner();
	json_t            *a = itest_quiz_start(u->token, ITEST_MODULE), *q;
	const char        *aid = itest_fmt("%ld", itest_jint(a, "attempt_id"));
	const char        *first, *other = NULL;
	size_t             i;

	(void)state;
	first = itest_jstr(json_array_get(itest_jarr(a, "questions"), 0), "id");
	json_array_foreach (
	    json_object_get(json_object_get(itest_module()->doc, "quiz"),
	                    "questions"),
	    i, q)
		if (!drawn(a, json_string_value(json_object_get(q, "id"))))
			other = json_string_value(json_object_get(q, "id"));
	assert_non_null(other); /* the bank is twice the draw */
	itest_expect_error(
	    itest_post_json(ATTEMPT_PATH, u->token,
	                    itest_fmt("{\"attempt_id\":%s,\"answers\":{\"%s\":"
	                              "[\"a\"]}}",
	                              aid, other)),
	    400, "not_drawn");
	itest_expect_error(
	    itest_post_json(ATTEMPT_PATH, u->token,
	                    itest_fmt("{\"attempt_id\":%s,\"answers\":{\"%s\":"
	                              "[\"niet-getoond\"]}}",
	                              aid, first)),
	    400, "not_drawn");
	/* Another learner's attempt does not exist for this one. */
	itest_expect_error(
	    itest_post_json(
	        ATTEMPT_PATH, itest_new_teacher()->token,
	        itest_fmt("{\"attempt_id\":%s,\"answers\":{}}", aid)),
	    404, "not_found");
	assert_string_equal(
	    itest_db_text("SELECT state FROM quiz_attempts WHERE id = $1", aid,
	                  NULL),
	    "open");
	/* The right answers to what was drawn still pass. */
	assert_true(itest_jbool(
	    itest_expect_json(
	        itest_post_json(ATTEMPT_PATH, u->token,
	                        itest_quiz_body(ITEST_MODULE, a, true)),
	        200),
	    "passed"));
}

/*
 * Grading uses the key stored with the attempt, not the bank of now: the
 * test makes a wrong choice the right one in the stored draw only.
 */
static void
test_quiz_graded_against_stored_draw(void **state)
{
	struct itest_user *u = learner();
	json_t            *a = itest_quiz_start(u->token, ITEST_MODULE);
	const char        *aid = itest_fmt("%ld", itest_jint(a, "attempt_id"));
	const char        *qid, *wrong = NULL;
	json_t            *bq, *c, *body, *res, *f;
	size_t             i;

	(void)state;
	qid = itest_jstr(json_array_get(itest_jarr(a, "questions"), 0), "id");
	bq = bank_question(qid);
	json_array_foreach (json_object_get(bq, "choices"), i, c)
		if (!json_is_true(json_object_get(c, "correct")))
			wrong = itest_shown_choice_id(
			    json_array_get(itest_jarr(a, "questions"), 0), c);
	assert_non_null(wrong);
	assert_int_equal(
	    itest_db_exec("UPDATE quiz_attempts SET draw = jsonb_set(draw, "
	                  "'{0,correct}', jsonb_build_array($2::text)) "
	                  "WHERE id = $1",
	                  aid, wrong),
	    1);
	body = itest_keep_json(
	    json_loads(itest_quiz_body(ITEST_MODULE, a, true), 0, NULL));
	json_object_set_new(json_object_get(body, "answers"), qid,
	                    json_pack("[s]", wrong));
	res = itest_expect_json(
	    itest_post_json(ATTEMPT_PATH, u->token, itest_dump(body)), 200);
	assert_int_equal(itest_jint(res, "score"), 100);
	f = json_array_get(itest_jarr(res, "questions"), 0);
	assert_string_equal(itest_jstr(f, "id"), qid);
	assert_true(itest_jbool(f, "right"));
}

/* An attempt past its time is refused and the next start draws anew. */
static void
test_quiz_expired(void **state)
{
	struct itest_user *u = learner();
	json_t            *a = itest_quiz_start(u->token, ITEST_MODULE), *b;
	const char        *aid = itest_fmt("%ld", itest_jint(a, "attempt_id"));
	time_t             exp = itest_expect_time(itest_jstr(a, "expires_at"));
	time_t             now = time(NULL);

	(void)state;
	/* Over 20 hours (WCAG 2.2.1's exception for long time limits), less
	 * than a day. */
	assert_true(exp > now + 20 * 3600 && exp <= now + 22 * 3600);
	assert_int_equal(
	    itest_db_exec("UPDATE quiz_attempts SET created_at = created_at - "
	                  "interval '22 hours', expires_at = now() - "
	                  "interval '1 minute' WHERE id = $1",
	                  aid, NULL),
	    1);
	itest_expect_error(
	    itest_post_json(ATTEMPT_PATH, u->token,
	                    itest_quiz_body(ITEST_MODULE, a, true)),
	    409, "attempt_expired");
	assert_int_equal(itest_db_long("SELECT count(*) FROM certificates "
	                               "WHERE user_id = $1",
	                               itest_fmt("%ld", u->id), NULL),
	                 0);
	b = itest_expect_json(itest_post_json(QUIZ_PATH, u->token, NULL), 201);
	assert_int_not_equal(itest_jint(a, "attempt_id"),
	                     itest_jint(b, "attempt_id"));
	assert_string_equal(
	    itest_db_text("SELECT state FROM quiz_attempts WHERE id = $1", aid,
	                  NULL),
	    "expired");
}

/*
 * Two failures in a row: the next start waits 30 minutes after the second,
 * with the sections to reread; once that time has passed (the test moves
 * its own attempts back, not the clock) the quiz opens again.
 */
static void
test_quiz_pause_after_two_failures(void **state)
{
	struct itest_user *u = learner();
	const char        *uid = itest_fmt("%ld", u->id);
	json_t            *res, *err, *o, *s;
	struct itest_resp *r;
	time_t             next, now;
	size_t             i, k, n;

	(void)state;
	res = itest_expect_json(
	    itest_post_json(ATTEMPT_PATH, u->token,
	                    itest_quiz_answers(u->token, ITEST_MODULE, false)),
	    200);
	assert_false(itest_jbool(res, "passed"));
	assert_true(json_is_null(json_object_get(res, "next_attempt_at")));
	res = itest_expect_json(
	    itest_post_json(ATTEMPT_PATH, u->token,
	                    itest_quiz_answers(u->token, ITEST_MODULE, false)),
	    200);
	assert_false(itest_jbool(res, "passed"));
	now = time(NULL);
	next = itest_expect_time(itest_jstr(res, "next_attempt_at"));
	assert_true(next >= now + 29 * 60 - 5 && next <= now + 30 * 60 + 5);

	r = itest_post_json(QUIZ_PATH, u->token, NULL);
	err = itest_expect_error(r, 429, "quiz_paused");
	assert_int_equal(itest_expect_time(itest_jstr(err, "retry_after")),
	                 next);
	/* What to reread: objectives that went wrong, with their sections. */
	n = 0;
	json_array_foreach (itest_jarr(err, "reread"), i, o) {
		(void)itest_jstr(o, "title");
		assert_true(itest_jint(o, "right") < itest_jint(o, "drawn"));
		json_array_foreach (itest_jarr(o, "sections"), k, s) {
			size_t j;

			for (j = 0; j < itest_module()->nsections; j++)
				if (strcmp(json_string_value(s),
				           itest_module()->section_ids[j]) == 0)
					break;
			assert_true(j < itest_module()->nsections);
			n++;
		}
	}
	assert_true(n > 0);
	/* The module page says so too. */
	assert_int_equal(
	    itest_expect_time(itest_jstr(
	        itest_jobj(
	            itest_expect_json(
	                itest_get("/api/v1/modules/" ITEST_MODULE, u->token),
	                200),
	            "quiz_state"),
	        "paused_until")),
	    next);
	/* Still paused a moment later; no attempt was created. */
	itest_expect_error(itest_post_json(QUIZ_PATH, u->token, NULL), 429,
	                   "quiz_paused");
	assert_int_equal(itest_db_long("SELECT count(*) FROM quiz_attempts "
	                               "WHERE user_id = $1",
	                               uid, NULL),
	                 2);
	/* 31 minutes later. */
	assert_int_equal(
	    itest_db_exec(
	        "UPDATE quiz_attempts SET created_at = created_at - "
	        "interval '31 minutes', submitted_at = submitted_at - "
	        "interval '31 minutes' WHERE user_id = $1",
	        uid, NULL),
	    2);
	assert_true(json_is_null(json_object_get(
	    itest_jobj(
	        itest_expect_json(
	            itest_get("/api/v1/modules/" ITEST_MODULE, u->token), 200),
	        "quiz_state"),
	    "paused_until")));
	itest_expect_json(itest_post_json(QUIZ_PATH, u->token, NULL), 201);
}

/* The same passing submission twice gives the same result and one
 * certificate; a later, different body cannot regrade the attempt. */
static void
test_quiz_replay_same_result(void **state)
{
	struct itest_user *u = learner();
	json_t            *a = itest_quiz_start(u->token, ITEST_MODULE);
	char              *right = itest_quiz_body(ITEST_MODULE, a, true);
	json_t            *r1, *r2, *r3;

	(void)state;
	r1 = itest_expect_json(itest_post_json(ATTEMPT_PATH, u->token, right),
	                       200);
	r2 = itest_expect_json(itest_post_json(ATTEMPT_PATH, u->token, right),
	                       200);
	assert_true(itest_jbool(r1, "passed"));
	assert_int_equal(itest_jint(r1, "score"), itest_jint(r2, "score"));
	assert_string_equal(itest_jstr(itest_jobj(r1, "certificate"), "code"),
	                    itest_jstr(itest_jobj(r2, "certificate"), "code"));
	r3 = itest_expect_json(
	    itest_post_json(ATTEMPT_PATH, u->token,
	                    itest_quiz_body(ITEST_MODULE, a, false)),
	    200);
	assert_true(itest_jbool(r3, "passed"));
	assert_int_equal(itest_db_long("SELECT count(*) FROM certificates "
	                               "WHERE user_id = $1",
	                               itest_fmt("%ld", u->id), NULL),
	                 1);
}

/*
 * The pass mark alone is not enough: an objective without a right answer
 * fails the attempt.  The test stores a draw of the whole bank in which one
 * question is the only one of its objective, and answers only that one
 * wrong.
 */
static void
test_quiz_objective_rule(void **state)
{
	struct itest_user *u = learner();
	json_t            *a = itest_quiz_start(u->token, ITEST_MODULE);
	const char        *aid = itest_fmt("%ld", itest_jint(a, "attempt_id"));
	json_t            *bank = json_object_get(
	               json_object_get(itest_module()->doc, "quiz"), "questions");
	json_t *draw = itest_keep_json(json_array());
	json_t *answers = json_object(), *q, *c, *res;
	size_t  i, k, n = json_array_size(bank);
	long    pass = itest_module()->pass_mark;

	(void)state;
	if ((long)(100 * (n - 1) / n) < pass)
		fail_msg("%s has %zu questions: one wrong is below the pass "
		         "mark, so this test cannot isolate the objective rule",
		         ITEST_MODULE, n);
	json_array_foreach (bank, i, q) {
		json_t *ids = json_array(), *texts = json_array();
		json_t *correct = json_array(), *picked = json_array();
		bool    alone = i == n - 1;

		json_array_foreach (json_object_get(q, "choices"), k, c) {
			bool right =
			    json_is_true(json_object_get(c, "correct"));

			json_array_append(ids, json_object_get(c, "id"));
			json_array_append(texts, json_object_get(c, "text"));
			if (right)
				json_array_append(correct,
				                  json_object_get(c, "id"));
			if (right != alone &&
			    !(alone && json_array_size(picked) > 0))
				json_array_append(picked,
				                  json_object_get(c, "id"));
		}
		json_array_append_new(
		    draw,
		    json_pack("{s:O, s:s, s:O, s:O, s:O, s:o, s:o, s:o}", "id",
		              json_object_get(q, "id"), "objective",
		              alone ? "alleen" : "de-rest", "text",
		              json_object_get(q, "text"), "multiple",
		              json_object_get(q, "multiple"), "explanation",
		              json_object_get(q, "explanation"), "choices", ids,
		              "choice_texts", texts, "correct", correct));
		json_object_set_new(answers,
		                    json_string_value(json_object_get(q, "id")),
		                    picked);
	}
	assert_int_equal(itest_db_exec("UPDATE quiz_attempts SET draw = "
	                               "$2::jsonb WHERE id = $1",
	                               aid, itest_dump(draw)),
	                 1);
	res = itest_expect_json(
	    itest_post_json(
	        ATTEMPT_PATH, u->token,
	        itest_dump(itest_keep_json(json_pack(
	            "{s:O, s:o}", "attempt_id",
	            json_object_get(a, "attempt_id"), "answers", answers)))),
	    200);
	assert_true(itest_jint(res, "score") >= pass);
	assert_false(itest_jbool(res, "passed"));
	assert_true(json_is_null(json_object_get(res, "certificate")));
	assert_int_equal(itest_db_long("SELECT count(*) FROM certificates "
	                               "WHERE user_id = $1",
	                               itest_fmt("%ld", u->id), NULL),
	                 0);
}

/* The objective of module.json's objective `oid`, or NULL. */
static json_t *
bank_objective(const char *oid)
{
	json_t *o;
	size_t  i;

	json_array_foreach (json_object_get(itest_module()->doc, "objectives"),
	                    i, o)
		if (strcmp(json_string_value(json_object_get(o, "id")), oid) ==
		    0)
			return o;
	fail_msg("objective %s is not in module.json", oid);
	return NULL;
}

/* The title of module.json's section `sid`. */
static const char *
section_title(const char *sid)
{
	json_t *s;
	size_t  i;

	json_array_foreach (json_object_get(itest_module()->doc, "sections"), i,
	                    s)
		if (strcmp(json_string_value(json_object_get(s, "id")), sid) ==
		    0)
			return json_string_value(json_object_get(s, "title"));
	fail_msg("section %s is not in module.json", sid);
	return NULL;
}

/*
 * Checks the per-question feedback of a graded attempt: a right answer
 * keeps its explanation; a wrong one names the sections of its objective
 * (id and title) and, unless the attempt passed, no explanation (it would
 * name the right choice of a question that may come back).  Returns the
 * number of wrong ones.
 */
static size_t
check_feedback(const json_t *graded)
{
	bool    passed = itest_jbool(graded, "passed");
	json_t *f, *s;
	size_t  i, k, wrong = 0;

	json_array_foreach (itest_jarr(graded, "questions"), i, f) {
		json_t *bq = bank_question(itest_jstr(f, "id"));
		json_t *o = bank_objective(
		    json_string_value(json_object_get(bq, "objective")));
		json_t     *reread = itest_jarr(f, "reread");
		const char *expl =
		    json_string_value(json_object_get(bq, "explanation"));

		if (itest_jbool(f, "right") || passed) {
			assert_string_equal(itest_jstr(f, "explanation"), expl);
		} else {
			assert_true(
			    json_is_null(json_object_get(f, "explanation")));
		}
		if (itest_jbool(f, "right")) {
			assert_int_equal(json_array_size(reread), 0);
			continue;
		}
		wrong++;
		assert_int_equal(
		    json_array_size(reread),
		    json_array_size(json_object_get(o, "sections")));
		json_array_foreach (reread, k, s) {
			assert_true(json_equal(
			    json_object_get(s, "id"),
			    json_array_get(json_object_get(o, "sections"), k)));
			assert_string_equal(itest_jstr(s, "title"),
			                    section_title(itest_jstr(s, "id")));
		}
	}
	return wrong;
}

/*
 * Point 1 of the review: after a failed attempt a wrong question gets the
 * sections to reread, not its explanation; a right one keeps it; a replay
 * follows the same rule.  After a pass every explanation is shown.
 */
static void
test_quiz_feedback_hides_explanations(void **state)
{
	struct itest_user *u = learner();
	json_t            *a = itest_quiz_start(u->token, ITEST_MODULE), *b;
	char              *body = body_with_wrong(a, 3);
	json_t            *r1, *r2, *r3;

	(void)state;
	r1 = itest_expect_json(itest_post_json(ATTEMPT_PATH, u->token, body),
	                       200);
	assert_false(itest_jbool(r1, "passed"));
	assert_int_equal(check_feedback(r1), 3);
	/* The same submission again: the stored result, the same rule. */
	r2 = itest_expect_json(itest_post_json(ATTEMPT_PATH, u->token, body),
	                       200);
	assert_true(json_equal(itest_jarr(r1, "questions"),
	                       itest_jarr(r2, "questions")));
	/* A pass with one wrong answer: every explanation, also the wrong
	 * one's. */
	b = itest_quiz_start(u->token, ITEST_MODULE);
	r3 = itest_expect_json(
	    itest_post_json(ATTEMPT_PATH, u->token, body_with_wrong(b, 1)),
	    200);
	if (!itest_jbool(r3, "passed"))
		fail_msg("one wrong of %zu did not pass: %s",
		         json_array_size(itest_jarr(b, "questions")),
		         itest_dump(r3));
	assert_int_equal(check_feedback(r3), 1);
}

/*
 * Point 3: the choices are shown as "1".."n" per attempt, never as the
 * author's ids (which would show which letter is often right); the
 * author's id of a drawn question is not a choice of the attempt; the
 * module page carries no choice either.
 */
static void
test_quiz_opaque_choice_ids(void **state)
{
	struct itest_user *u = learner();
	json_t            *a = itest_quiz_start(u->token, ITEST_MODULE), *q, *c;
	json_t            *page;
	const char        *aid = itest_fmt("%ld", itest_jint(a, "attempt_id"));
	const char        *author = NULL;
	size_t             i, k;

	(void)state;
	json_array_foreach (itest_jarr(a, "questions"), i, q) {
		json_array_foreach (itest_jarr(q, "choices"), k, c)
			assert_string_equal(itest_jstr(c, "id"),
			                    itest_fmt("%zu", k + 1));
		if (i == 0)
			author = json_string_value(json_object_get(
			    json_array_get(
			        json_object_get(
			            bank_question(itest_jstr(q, "id")),
			            "choices"),
			        0),
			    "id"));
	}
	assert_non_null(author);
	if (strspn(author, "0123456789") == strlen(author))
		fail_msg("module.json uses digits as choice ids: this test "
		         "cannot tell them from the shown ids");
	itest_expect_error(
	    itest_post_json(
	        ATTEMPT_PATH, u->token,
	        itest_fmt(
	            "{\"attempt_id\":%s,\"answers\":{\"%s\":[\"%s\"]}}", aid,
	            itest_jstr(json_array_get(itest_jarr(a, "questions"), 0),
	                       "id"),
	            author)),
	    400, "not_drawn");
	page = itest_expect_json(
	    itest_get("/api/v1/modules/" ITEST_MODULE, u->token), 200);
	assert_false(itest_json_has_key(page, "choices"));
	assert_false(itest_json_has_key(page, "correct"));
	/* The key stored with the attempt is in the shown ids. */
	assert_int_equal(
	    itest_db_long("SELECT count(*) FROM quiz_attempts a,"
	                  " jsonb_array_elements(a.draw) q,"
	                  " jsonb_array_elements_text(q->'correct') c"
	                  " WHERE a.id = $1 AND NOT (q->'choices') ? c",
	                  aid, NULL),
	    0);
}

/*
 * Point 2: three and four attempts.  Per objective, a draw takes the
 * questions never shown first, then those shown longest ago: no drawn
 * question was seen more recently than one left out.  meldcode-kort's
 * "stappen" (6 questions, 2 drawn) shows six different questions in the
 * first three attempts; the old rule (avoid the last draw only) could
 * bring attempt 1's back in attempt 3.
 */
static void
test_quiz_draw_avoids_seen(void **state)
{
	struct itest_user *u = learner();
	const char        *uid = itest_fmt("%ld", u->id);
	json_t *seen = itest_keep_json(json_object()), *a, *q, *bq, *o;
	size_t  i, k, attempt, fresh_possible = 0;

	(void)state;
	for (attempt = 1; attempt <= 4; attempt++) {
		a = itest_quiz_start(u->token, ITEST_MODULE);
		/* Per objective: the most recent attempt among the drawn
		 * must not be later than the oldest among those left out. */
		json_array_foreach (
		    json_object_get(itest_module()->doc, "objectives"), k, o) {
			json_int_t max_drawn = 0, min_left = 1000;

			json_array_foreach (
			    json_object_get(
			        json_object_get(itest_module()->doc, "quiz"),
			        "questions"),
			    i, bq) {
				const char *id = json_string_value(
				    json_object_get(bq, "id"));
				json_int_t last = json_integer_value(
				    json_object_get(seen, id));

				if (!json_equal(
				        json_object_get(bq, "objective"),
				        json_object_get(o, "id")))
					continue;
				if (drawn(a, id) && last > max_drawn)
					max_drawn = last;
				if (!drawn(a, id) && last < min_left)
					min_left = last;
			}
			if (max_drawn > min_left)
				fail_msg(
				    "attempt %zu, objective %s: a question "
				    "of attempt %lld drawn, one of attempt "
				    "%lld left out",
				    attempt,
				    json_string_value(json_object_get(o, "id")),
				    (long long)max_drawn, (long long)min_left);
			if (attempt == 3 && max_drawn == 0)
				fresh_possible++;
		}
		json_array_foreach (itest_jarr(a, "questions"), i, q)
			json_object_set_new(seen, itest_jstr(q, "id"),
			                    json_integer((json_int_t)attempt));
		/* Failed, then 31 minutes back: no pause, no certificate. */
		itest_expect_json(
		    itest_post_json(ATTEMPT_PATH, u->token,
		                    itest_quiz_body(ITEST_MODULE, a, false)),
		    200);
		itest_db_exec("UPDATE quiz_attempts SET submitted_at = "
		              "submitted_at - interval '31 minutes'"
		              " WHERE user_id = $1",
		              uid, NULL);
	}
	/* Some objective (stappen) had unseen questions left for attempt 3
	 * and drew only those. */
	assert_true(fresh_possible > 0);
}

/*
 * Point 4: an attempt is graded on the terms it was started with.  The
 * test raises the module's pass mark to 100 and its validity between start
 * and submission: five of six right still passes with the old mark, and
 * the certificate has the old validity.  A module withdrawn in between
 * refuses the submission with 409 module_inactive.
 */
static void
test_quiz_terms_of_the_start(void **state)
{
	struct itest_user *u = learner();
	json_t            *a = itest_quiz_start(u->token, ITEST_MODULE), *b;
	long               pass = itest_module()->pass_mark;
	const char        *months;
	struct itest_resp *r;
	json_t            *res;

	(void)state;
	months = itest_db_text("SELECT validity_months::text FROM modules"
	                       " WHERE slug = $1",
	                       ITEST_MODULE, NULL);
	itest_db_exec("UPDATE modules SET pass_mark = 100,"
	              " validity_months = validity_months + 12"
	              " WHERE slug = $1",
	              ITEST_MODULE, NULL);
	r = itest_post_json(ATTEMPT_PATH, u->token, body_with_wrong(a, 1));
	itest_db_exec("UPDATE modules SET pass_mark = $2::int,"
	              " validity_months = validity_months - 12"
	              " WHERE slug = $1",
	              ITEST_MODULE, itest_fmt("%ld", pass));
	res = itest_expect_json(r, 200);
	assert_int_equal(itest_jint(res, "pass_mark"), pass);
	assert_true(itest_jint(res, "score") < 100);
	assert_true(itest_jbool(res, "passed"));
	assert_int_equal(
	    itest_db_long("SELECT count(*) FROM certificates WHERE code = $1"
	                  " AND expires_at::date = (now() + make_interval("
	                  "months => $2::int))::date",
	                  itest_jstr(itest_jobj(res, "certificate"), "code"),
	                  months),
	    1);

	b = itest_quiz_start(u->token, ITEST_MODULE);
	itest_db_exec("UPDATE modules SET active = false WHERE slug = $1",
	              ITEST_MODULE, NULL);
	r = itest_post_json(ATTEMPT_PATH, u->token,
	                    itest_quiz_body(ITEST_MODULE, b, true));
	itest_db_exec("UPDATE modules SET active = true WHERE slug = $1",
	              ITEST_MODULE, NULL);
	itest_expect_error(r, 409, "module_inactive");
	assert_string_equal(
	    itest_db_text("SELECT state FROM quiz_attempts WHERE id = $1",
	                  itest_fmt("%ld", itest_jint(b, "attempt_id")), NULL),
	    "open");
}

int
itest_run_quiz_bank(void)
{
	const struct CMUnitTest tests[] = {
	    ITEST(test_quiz_resume_same_draw),
	    ITEST(test_quiz_retake_draws_anew),
	    ITEST(test_quiz_not_drawn),
	    ITEST(test_quiz_graded_against_stored_draw),
	    ITEST(test_quiz_expired),
	    ITEST(test_quiz_pause_after_two_failures),
	    ITEST(test_quiz_replay_same_result),
	    ITEST(test_quiz_objective_rule),
	    ITEST(test_quiz_feedback_hides_explanations),
	    ITEST(test_quiz_opaque_choice_ids),
	    ITEST(test_quiz_draw_avoids_seen),
	    ITEST(test_quiz_terms_of_the_start),
	};

	return cmocka_run_group_tests_name("quiz_bank", tests, NULL, NULL);
}
