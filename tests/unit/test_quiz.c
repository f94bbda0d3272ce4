/* Unit tests of quiz scoring and answer validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
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
		{"{\"q1\":[\"a\"],\"q2\":[\"a\",\"b\",\"c\"],\"q3\":[\"b\"]}", 66, 1},
		{"{\"q1\":[\"a\"]}", 33, 1},
		{"{}", 0, 1},
		{"{\"q1\":[]}", 0, 1},
		{"{\"q9\":[\"a\"]}", 0, 0},                 /* unknown question */
		{"{\"q1\":[\"z\"]}", 0, 0},                 /* unknown choice */
		{"{\"q1\":[\"a\",\"b\"]}", 0, 0},           /* single answer */
		{"{\"q2\":[\"a\",\"a\"]}", 0, 0},           /* repeated choice */
		{"{\"q1\":\"a\"}", 0, 0},                   /* not a list */
		{"{\"q1\":[1]}", 0, 0},                     /* not a string */
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
			fail_msg("case %zu (%s): rc %d", i, cases[i].answers, rc);
		if (rc == 0) {
			if (r.score != cases[i].score)
				fail_msg("case %zu: score %d want %d", i, r.score,
				         cases[i].score);
			assert_int_equal(r.total, 3);
			assert_int_equal(json_array_size(r.feedback), 3);
			json_decref(r.feedback);
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
	json_t            *key = json_loads(KEY, 0, NULL);
	json_t            *ans = json_loads("{\"q1\":[\"b\"],\"q3\":[\"b\"]}", 0, NULL);
	struct quiz_result r;
	const char        *problem;
	json_t            *f;

	(void)state;
	assert_int_equal(quiz_score(key, ans, &r, &problem), 0);
	f = json_array_get(r.feedback, 0);
	assert_string_equal(json_string_value(json_object_get(f, "question_id")),
	                    "q1");
	assert_true(json_is_false(json_object_get(f, "correct")));
	assert_string_equal(json_string_value(json_object_get(f, "explanation")),
	                    "e1");
	assert_true(json_is_true(json_object_get(json_array_get(r.feedback, 2),
	                                         "correct")));
	assert_int_equal(r.correct, 1);
	json_decref(r.feedback);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scores),
		cmocka_unit_test(test_feedback),
		cmocka_unit_test(test_empty_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
