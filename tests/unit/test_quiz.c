/* Unit tests of quiz scoring and answer validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
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
			/* The choices: a permutation of the bank's, the key
			 * with them, the texts in the same order. */
			assert_int_equal(
			    json_array_size(ids),
			    json_array_size(json_object_get(bq, "choices")));
			json_array_foreach (json_object_get(bq, "choices"), k,
			                    c) {
				size_t j;
				bool   found = false;

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
					}
				assert_true(found);
			}
			json_array_foreach (json_object_get(q, "correct"), k, c)
				assert_true(json_is_string(c));
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

/* With a bank of twice the draw, a retake shows none of the last draw. */
static void
test_draw_avoids_previous(void **state)
{
	json_t *bank = json_loads(BANK, 0, NULL);
	json_t *prev = quiz_draw(bank, NULL, test_uniform);

	(void)state;
	for (int run = 0; run < 100; run++) {
		json_t *avoid = json_array(), *next, *q;
		size_t  i;

		json_array_foreach (prev, i, q)
			json_array_append(avoid, json_object_get(q, "id"));
		next = quiz_draw(bank, avoid, test_uniform);
		assert_non_null(next);
		assert_int_equal(json_array_size(next), 3);
		json_array_foreach (next, i, q)
			if (json_equal(json_object_get(q, "id"),
			               json_array_get(avoid, 0)) ||
			    json_equal(json_object_get(q, "id"),
			               json_array_get(avoid, 1)) ||
			    json_equal(json_object_get(q, "id"),
			               json_array_get(avoid, 2)))
				fail_msg("run %d drew %s again", run,
				         json_string_value(
				             json_object_get(q, "id")));
		json_decref(avoid);
		json_decref(prev);
		prev = next;
	}
	json_decref(prev);
	json_decref(bank);
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
	    cmocka_unit_test(test_draw_avoids_previous),
	    cmocka_unit_test(test_draw_public),
	    cmocka_unit_test(test_draw_bank_too_small),
	    cmocka_unit_test(test_objective_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
