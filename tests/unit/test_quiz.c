/* Unit tests of quiz scoring and answer validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quiz.h"

static const char *KEY =
    "[{\"id\":\"q1\",\"multiple\":false,\"explanation\":\"e1\","
    "  \"correct\":[\"a\"],\"choices\":[\"a\",\"b\",\"c\"]},"
    " {\"id\":\"q2\",\"multiple\":true,\"explanation\":\"e2\","
    "  \"correct\":[\"a\",\"c\"],\"choices\":[\"a\",\"b\",\"c\"]},"
    " {\"id\":\"q3\",\"multiple\":false,\"explanation\":\"e3\","
    "  \"correct\":[\"b\"],\"choices\":[\"a\",\"b\"]}]";

static void
test_scores(void **state)
{
	static const struct {
		const char *answers;
		int         score;
		int         ok;
	} cases[] = {
	    {"{\"q1\":[\"a\"],\"q2\":[\"a\",\"c\"],\"q3\":[\"b\"]}", 100, 1},
	    {"{\"q1\":[\"a\"],\"q2\":[\"c\",\"a\"],\"q3\":[\"b\"]}", 100, 1},
	    {"{\"q1\":[\"a\"],\"q2\":[\"a\"],\"q3\":[\"b\"]}", 66, 1},
	    {"{\"q1\":[\"a\"],\"q2\":[\"a\",\"b\",\"c\"],\"q3\":[\"b\"]}", 66,
	     1},
	    {"{\"q1\":[\"a\"]}", 33, 1},
	    {"{}", 0, 1},
	    {"{\"q1\":[]}", 0, 1},
	    {"{\"q9\":[\"a\"]}", 0, 0},       /* unknown question */
	    {"{\"q1\":[\"z\"]}", 0, 0},       /* unknown choice */
	    {"{\"q1\":[\"a\",\"b\"]}", 0, 0}, /* single answer */
	    {"{\"q2\":[\"a\",\"a\"]}", 0, 0}, /* repeated choice */
	    {"{\"q1\":\"a\"}", 0, 0},         /* not a list */
	    {"{\"q1\":[1]}", 0, 0},           /* not a string */
	};
	json_t *key = json_loads(KEY, 0, NULL);

	(void)state;
	assert_non_null(key);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t            *ans = json_loads(cases[i].answers, 0, NULL);
		struct quiz_result r;
		const char        *problem = NULL;
		int                rc = quiz_score(key, ans, &r, &problem);

		if ((rc == 0) != cases[i].ok)
			fail_msg("case %zu (%s): rc %d", i, cases[i].answers,
			         rc);
		if (rc == 0) {
			if (r.score != cases[i].score)
				fail_msg("case %zu: score %d want %d", i,
				         r.score, cases[i].score);
			assert_int_equal(r.total, 3);
			assert_int_equal(json_array_size(r.feedback), 3);
			json_decref(r.feedback);
			json_decref(r.objectives);
		} else {
			assert_non_null(problem);
		}
		json_decref(ans);
	}
	json_decref(key);
}

static void
test_feedback(void **state)
{
	json_t *key = json_loads(KEY, 0, NULL);
	json_t *ans = json_loads("{\"q1\":[\"b\"],\"q3\":[\"b\"]}", 0, NULL);
	struct quiz_result r;
	const char        *problem;
	json_t            *f;

	(void)state;
	assert_int_equal(quiz_score(key, ans, &r, &problem), 0);
	f = json_array_get(r.feedback, 0);
	assert_string_equal(
	    json_string_value(json_object_get(f, "question_id")), "q1");
	assert_true(json_is_false(json_object_get(f, "correct")));
	assert_string_equal(
	    json_string_value(json_object_get(f, "explanation")), "e1");
	assert_true(json_is_true(
	    json_object_get(json_array_get(r.feedback, 2), "correct")));
	assert_int_equal(r.correct, 1);
	json_decref(r.feedback);
	json_decref(r.objectives);
	json_decref(ans);
	json_decref(key);
}

static void
test_empty_key(void **state)
{
	json_t            *key = json_array();
	json_t            *ans = json_object();
	struct quiz_result r;
	const char        *problem = NULL;

	(void)state;
	assert_int_equal(quiz_score(key, ans, &r, &problem), -1);
	assert_non_null(problem);
	assert_int_equal(quiz_score(key, NULL, &r, &problem), -1);
	json_decref(ans);
	json_decref(key);
}

/* A bank of two objectives: o1 draws 2 of q1..q4, o2 draws 1 of q5..q6. */
static const char *BANK =
    "{\"objectives\":[{\"id\":\"o1\",\"draw\":2},{\"id\":\"o2\",\"draw\":1}],"
    " \"questions\":["
    "  {\"id\":\"q1\",\"objective\":\"o1\",\"text\":\"t1\",\"multiple\":false,"
    "   \"explanation\":\"e1\",\"choices\":[{\"id\":\"a\",\"text\":\"A\","
    "   \"correct\":true},{\"id\":\"b\",\"text\":\"B\",\"correct\":false},"
    "   {\"id\":\"c\",\"text\":\"C\",\"correct\":false}]},"
    "  {\"id\":\"q2\",\"objective\":\"o1\",\"text\":\"t2\",\"multiple\":true,"
    "   \"explanation\":\"e2\",\"choices\":[{\"id\":\"a\",\"text\":\"A\","
    "   \"correct\":true},{\"id\":\"b\",\"text\":\"B\",\"correct\":true},"
    "   {\"id\":\"c\",\"text\":\"C\",\"correct\":false}]},"
    "  {\"id\":\"q3\",\"objective\":\"o1\",\"text\":\"t3\",\"multiple\":false,"
    "   \"explanation\":\"e3\",\"choices\":[{\"id\":\"a\",\"text\":\"A\","
    "   \"correct\":false},{\"id\":\"b\",\"text\":\"B\",\"correct\":true}]},"
    "  {\"id\":\"q4\",\"objective\":\"o1\",\"text\":\"t4\",\"multiple\":false,"
    "   \"explanation\":\"e4\",\"choices\":[{\"id\":\"a\",\"text\":\"A\","
    "   \"correct\":false},{\"id\":\"b\",\"text\":\"B\",\"correct\":true}]},"
    "  {\"id\":\"q5\",\"objective\":\"o2\",\"text\":\"t5\",\"multiple\":false,"
    "   \"explanation\":\"e5\",\"choices\":[{\"id\":\"a\",\"text\":\"A\","
    "   \"correct\":true},{\"id\":\"b\",\"text\":\"B\",\"correct\":false}]},"
    "  {\"id\":\"q6\",\"objective\":\"o2\",\"text\":\"t6\",\"multiple\":false,"
    "   \"explanation\":\"e6\",\"choices\":[{\"id\":\"a\",\"text\":\"A\","
    "   \"correct\":false},{\"id\":\"b\",\"text\":\"B\",\"correct\":true}]}]}";

/* A fixed xorshift, so that a failure can be replayed. */
static uint32_t rng_state = 2463534242u;

static uint32_t
test_uniform(uint32_t upper)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state % upper;
}

static const json_t *
bank_question(const json_t *bank, const char *id)
{
	json_t *q;
	size_t  i;

	json_array_foreach (json_object_get(bank, "questions"), i, q)
		if (strcmp(json_string_value(json_object_get(q, "id")), id) ==
		    0)
			return q;
	return NULL;
}

/* True when the shown choice id is in the key entry's "correct". */
static bool
in_key(const json_t *q, const char *shown)
{
	json_t *c;
	size_t  i;

	json_array_foreach (json_object_get(q, "correct"), i, c)
		if (strcmp(json_string_value(c), shown) == 0)
			return true;
	return false;
}

/* Per objective its draw, no repeats, every choice once with its key. */
static void
test_draw_shape(void **state)
{
	json_t *bank = json_loads(BANK, 0, NULL);
	int     seen[7] = {0}, first_o2 = 0, first_choice_b = 0;

	(void)state;
	assert_non_null(bank);
	for (int run = 0; run < 200; run++) {
		json_t *draw = quiz_draw(bank, NULL, test_uniform);
		json_t *q;
		size_t  i, k, o1 = 0, o2 = 0;

		assert_non_null(draw);
		assert_int_equal(json_array_size(draw), 3);
		json_array_foreach (draw, i, q) {
			const char *id =
			    json_string_value(json_object_get(q, "id"));
			const json_t *bq = bank_question(bank, id);
			json_t       *ids = json_object_get(q, "choices");
			json_t       *c;

			assert_non_null(bq);
			seen[id[1] - '0']++;
			for (k = 0; k < i; k++)
				assert_string_not_equal(
				    id, json_string_value(json_object_get(
				            json_array_get(draw, k), "id")));
			if (strcmp(json_string_value(
			               json_object_get(q, "objective")),
			           "o1") == 0)
				o1++;
			else
				o2++;
			if (i == 0 && id[1] >= '5')
				first_o2++;
			/* The choices: a permutation of the bank's (in
			 * choice_ids), the texts in the same order, shown as
			 * "1".."n", the key in shown ids. */
			ids = json_object_get(q, "choice_ids");
			assert_int_equal(
			    json_array_size(ids),
			    json_array_size(json_object_get(bq, "choices")));
			assert_int_equal(
			    json_array_size(json_object_get(q, "choices")),
			    json_array_size(ids));
			json_array_foreach (json_object_get(q, "choices"), k,
			                    c) {
				char want[24];

				snprintf(want, sizeof(want), "%zu", k + 1);
				assert_string_equal(json_string_value(c), want);
			}
			json_array_foreach (json_object_get(bq, "choices"), k,
			                    c) {
				size_t j;
				bool   found = false;
				bool   keyed;

				for (j = 0; j < json_array_size(ids); j++)
					if (json_equal(
					        json_array_get(ids, j),
					        json_object_get(c, "id"))) {
						found = true;
						assert_true(json_equal(
						    json_array_get(
						        json_object_get(
						            q, "choice_texts"),
						        j),
						    json_object_get(c,
						                    "text")));
						keyed = in_key(
						    q,
						    json_string_value(
						        json_array_get(
						            json_object_get(
						                q, "choices"),
						            j)));
						assert_int_equal(
						    keyed,
						    json_is_true(
						        json_object_get(
						            c, "correct")));
					}
				assert_true(found);
			}
			if (strcmp(json_string_value(json_array_get(ids, 0)),
			           "b") == 0)
				first_choice_b++;
		}
		assert_int_equal(o1, 2);
		assert_int_equal(o2, 1);
		json_decref(draw);
	}
	/* Every question is drawn sometimes; the order and the choices vary. */
	for (int i = 1; i <= 6; i++)
		assert_true(seen[i] > 0);
	assert_true(first_o2 > 0 && first_o2 < 200);
	assert_true(first_choice_b > 0 && first_choice_b < 600);
	json_decref(bank);
}

/* The o1 question of a draw of BANK with o1 drawing one (q1..q4). */
static const char *
o1_of(const json_t *draw)
{
	json_t *q;
	size_t  i;

	json_array_foreach (draw, i, q)
		if (strcmp(json_string_value(json_object_get(q, "objective")),
		           "o1") == 0)
			return json_string_value(json_object_get(q, "id"));
	fail_msg("no o1 question in the draw");
	return NULL;
}

/*
 * Every question seen in an earlier attempt is avoided while the bank has
 * others, not only those of the last draw: with o1 drawing one of four,
 * attempts 1 to 4 show four different o1 questions; the fifth shows the
 * one seen longest ago (attempt 1's).  Ties are broken at random.
 */
static void
test_draw_seen(void **state)
{
	json_t *bank = json_loads(BANK, 0, NULL);
	int     tie[7] = {0};

	(void)state;
	json_object_set_new(
	    json_array_get(json_object_get(bank, "objectives"), 0), "draw",
	    json_integer(1));
	for (int run = 0; run < 50; run++) {
		json_t     *seen = json_object(), *draw, *q;
		const char *o1;
		size_t      i;

		for (int attempt = 1; attempt <= 5; attempt++) {
			draw = quiz_draw(bank, seen, test_uniform);
			assert_non_null(draw);
			o1 = o1_of(draw);
			if (attempt <= 4 && json_object_get(seen, o1) != NULL)
				fail_msg("run %d attempt %d drew %s again", run,
				         attempt, o1);
			if (attempt == 5)
				assert_int_equal(json_integer_value(
				                     json_object_get(seen, o1)),
				                 1);
			json_array_foreach (draw, i, q)
				json_object_set_new(
				    seen,
				    json_string_value(json_object_get(q, "id")),
				    json_integer(attempt));
			json_decref(draw);
		}
		json_decref(seen);
		/* Two seen equally long ago: either, at random. */
		seen = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "q1", 5,
		                 "q2", 3, "q3", 3, "q4", 7, "q5", 2, "q6", 1);
		draw = quiz_draw(bank, seen, test_uniform);
		o1 = o1_of(draw);
		assert_true(strcmp(o1, "q2") == 0 || strcmp(o1, "q3") == 0);
		tie[o1[1] - '0']++;
		json_array_foreach (draw, i, q)
			if (strcmp(json_string_value(
			               json_object_get(q, "objective")),
			           "o2") == 0)
				assert_string_equal(
				    json_string_value(json_object_get(q, "id")),
				    "q6");
		json_decref(draw);
		json_decref(seen);
	}
	assert_true(tie[2] > 0 && tie[3] > 0);
	json_decref(bank);
}

/* A learner answers with the shown ids: the author's ids are not drawn. */
static void
test_draw_opaque_choice_ids(void **state)
{
	json_t            *bank = json_loads(BANK, 0, NULL);
	json_t            *draw = quiz_draw(bank, NULL, test_uniform);
	json_t            *right = json_object(), *author = json_object(), *q;
	struct quiz_result r;
	const char        *problem;
	size_t             i;

	(void)state;
	json_array_foreach (draw, i, q) {
		const char *id = json_string_value(json_object_get(q, "id"));

		json_object_set(right, id, json_object_get(q, "correct"));
		json_object_set_new(author, id, json_pack("[s]", "a"));
	}
	assert_int_equal(quiz_score(draw, right, &r, &problem), 0);
	assert_int_equal(r.score, 100);
	json_decref(r.feedback);
	json_decref(r.objectives);
	assert_int_equal(quiz_score(draw, author, &r, &problem), -1);
	assert_true(r.not_drawn);
	json_decref(right);
	json_decref(author);
	json_decref(draw);
	json_decref(bank);
}

/*
 * Feedback after a failed attempt: a wrong question has no explanation
 * (it names the right choice and the question may come back) but the
 * sections of its objective; a right one keeps its explanation.  After a
 * pass every explanation is shown.
 */
static void
test_feedback_public(void **state)
{
	json_t *draw = json_loads("[{\"id\":\"q1\",\"objective\":\"o1\"},"
	                          " {\"id\":\"q5\",\"objective\":\"o2\"}]",
	                          0, NULL);
	json_t *feedback =
	    json_loads("[{\"question_id\":\"q1\",\"correct\":false,"
	               "  \"explanation\":\"Het goede antwoord is B.\"},"
	               " {\"question_id\":\"q5\",\"correct\":true,"
	               "  \"explanation\":\"e5\"}]",
	               0, NULL);
	json_t *objectives = json_loads(
	    "[{\"id\":\"o1\",\"title\":\"Doel 1\",\"sections\":[\"s1\"],"
	    "  \"reread\":[{\"id\":\"s1\",\"title\":\"Sectie 1\"}]},"
	    " {\"id\":\"o2\",\"title\":\"Doel 2\",\"sections\":[\"s2\"],"
	    "  \"reread\":[{\"id\":\"s2\",\"title\":\"Sectie 2\"}]}]",
	    0, NULL);
	json_t *failed, *passed, *want;
	char   *text;

	(void)state;
	assert_non_null(draw);
	assert_non_null(feedback);
	assert_non_null(objectives);
	failed = quiz_feedback_public(feedback, draw, objectives, false);
	want =
	    json_loads("[{\"id\":\"q1\",\"right\":false,\"explanation\":null,"
	               "  \"reread\":[{\"id\":\"s1\",\"title\":\"Sectie 1\"}]},"
	               " {\"id\":\"q5\",\"right\":true,\"explanation\":\"e5\","
	               "  \"reread\":[]}]",
	               0, NULL);
	assert_true(json_equal(failed, want));
	text = json_dumps(failed, JSON_COMPACT);
	assert_null(strstr(text, "goede antwoord"));
	free(text);
	json_decref(want);
	passed = quiz_feedback_public(feedback, draw, objectives, true);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(passed, 0), "explanation")),
	                    "Het goede antwoord is B.");
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(passed, 1), "explanation")),
	                    "e5");
	json_decref(failed);
	json_decref(passed);
	json_decref(draw);
	json_decref(feedback);
	json_decref(objectives);
}

/* What the learner sees has no key and no explanation. */
static void
test_draw_public(void **state)
{
	json_t *bank = json_loads(BANK, 0, NULL);
	json_t *draw = quiz_draw(bank, NULL, test_uniform);
	json_t *pub = quiz_draw_public(draw);
	char   *text = json_dumps(pub, JSON_COMPACT);

	(void)state;
	assert_non_null(text);
	assert_null(strstr(text, "correct"));
	assert_null(strstr(text, "explanation"));
	assert_null(strstr(text, "\"e1\""));
	assert_int_equal(json_array_size(pub), 3);
	assert_true(json_equal(json_object_get(json_array_get(pub, 1), "id"),
	                       json_object_get(json_array_get(draw, 1), "id")));
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(
	            json_object_get(json_array_get(pub, 0), "choices"), 0),
	        "id")),
	    json_string_value(json_array_get(
	        json_object_get(json_array_get(draw, 0), "choices"), 0)));
	free(text);
	json_decref(pub);
	json_decref(draw);
	json_decref(bank);
}

/* A bank smaller than its draw gives no draw. */
static void
test_draw_bank_too_small(void **state)
{
	json_t *bank = json_loads(BANK, 0, NULL);

	(void)state;
	json_object_set_new(
	    json_array_get(json_object_get(bank, "objectives"), 1), "draw",
	    json_integer(3));
	assert_null(quiz_draw(bank, NULL, test_uniform));
	json_decref(bank);
}

/* The pass mark overall is not enough: every objective needs a right one. */
static void
test_objective_rule(void **state)
{
	json_t *key = json_loads(
	    "[{\"id\":\"q1\",\"objective\":\"o1\",\"multiple\":false,"
	    "  "
	    "\"explanation\":\"e\",\"correct\":[\"a\"],\"choices\":[\"a\","
	    "\"b\"]},"
	    " {\"id\":\"q2\",\"objective\":\"o1\",\"multiple\":false,"
	    "  "
	    "\"explanation\":\"e\",\"correct\":[\"a\"],\"choices\":[\"a\","
	    "\"b\"]},"
	    " {\"id\":\"q3\",\"objective\":\"o1\",\"multiple\":false,"
	    "  "
	    "\"explanation\":\"e\",\"correct\":[\"a\"],\"choices\":[\"a\","
	    "\"b\"]},"
	    " {\"id\":\"q4\",\"objective\":\"o2\",\"multiple\":false,"
	    "  "
	    "\"explanation\":\"e\",\"correct\":[\"a\"],\"choices\":[\"a\","
	    "\"b\"]}]",
	    0, NULL);
	json_t *ans = json_loads(
	    "{\"q1\":[\"a\"],\"q2\":[\"a\"],\"q3\":[\"a\"],\"q4\":[\"b\"]}", 0,
	    NULL);
	json_t            *o2;
	struct quiz_result r;
	const char        *problem;

	(void)state;
	assert_int_equal(quiz_score(key, ans, &r, &problem), 0);
	assert_int_equal(r.score, 75);
	assert_false(r.every_objective_right);
	assert_false(quiz_passed(&r, 70));
	assert_int_equal(json_array_size(r.objectives), 2);
	o2 = json_array_get(r.objectives, 1);
	assert_string_equal(json_string_value(json_object_get(o2, "id")), "o2");
	assert_int_equal(json_integer_value(json_object_get(o2, "right")), 0);
	assert_int_equal(json_integer_value(json_object_get(o2, "drawn")), 1);
	json_decref(r.feedback);
	json_decref(r.objectives);
	json_decref(ans);
	/* One right in o2 as well: passed. */
	ans = json_loads("{\"q1\":[\"a\"],\"q2\":[\"a\"],\"q3\":[\"b\"],"
	                 "\"q4\":[\"a\"]}",
	                 0, NULL);
	assert_int_equal(quiz_score(key, ans, &r, &problem), 0);
	assert_int_equal(r.score, 75);
	assert_true(quiz_passed(&r, 70));
	assert_false(quiz_passed(&r, 76));
	json_decref(r.feedback);
	json_decref(r.objectives);
	json_decref(ans);
	/* A question or choice that was not drawn is told apart. */
	ans = json_loads("{\"q9\":[\"a\"]}", 0, NULL);
	assert_int_equal(quiz_score(key, ans, &r, &problem), -1);
	assert_true(r.not_drawn);
	json_decref(ans);
	ans = json_loads("{\"q1\":[\"c\"]}", 0, NULL);
	assert_int_equal(quiz_score(key, ans, &r, &problem), -1);
	assert_true(r.not_drawn);
	json_decref(ans);
	ans = json_loads("{\"q1\":[\"a\",\"b\"]}", 0, NULL);
	assert_int_equal(quiz_score(key, ans, &r, &problem), -1);
	assert_false(r.not_drawn);
	json_decref(ans);
	json_decref(key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scores),
	    cmocka_unit_test(test_feedback),
	    cmocka_unit_test(test_empty_key),
	    cmocka_unit_test(test_draw_shape),
	    cmocka_unit_test(test_draw_seen),
	    cmocka_unit_test(test_draw_opaque_choice_ids),
	    cmocka_unit_test(test_feedback_public),
	    cmocka_unit_test(test_draw_public),
	    cmocka_unit_test(test_draw_bank_too_small),
	    cmocka_unit_test(test_objective_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
