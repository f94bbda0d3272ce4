/* Fuzz target: quiz_score on a learner's answers, against fixed answer keys
 * shaped as store_quiz_key builds them. */

/*
 * Input: the first byte picks the key, the rest is the attempt body, read
 * as modules_attempt reads it (json_parse_object, then "answers", which
 * must be an object).
 *
 * Properties: quiz_score refuses exactly the answers the reference below
 * finds invalid (an unknown question or choice, a choice that is not a
 * string, a choice given twice, several choices on a single-answer
 * question, an answer that is not a list), with a reason and no feedback.
 * Otherwise total is the number of questions, a question counts as right
 * exactly when every choice is chosen if and only if it is correct, the
 * score is floor(100 * correct / total), and the feedback has one entry per
 * question, in key order, that encodes as JSON.
 */
#include <jansson.h>

#include "arena.h"
#include "fuzz_common.h"
#include "json.h"
#include "quiz.h"

static const char *const keys[] = {
    /* Single and multiple answers, as in meldcode-kort and
     * aandachtsfunctionaris. */
    "[{\"id\":\"sinds-wanneer\",\"multiple\":false,\"explanation\":"
    "\"Sinds 2013.\",\"correct\":[\"b\"],\"choices\":[\"a\",\"b\",\"c\","
    "\"d\"]},"
    "{\"id\":\"signalen\",\"multiple\":true,\"explanation\":\"Alle "
    "drie.\",\"correct\":[\"a\",\"c\",\"d\"],\"choices\":[\"a\",\"b\","
    "\"c\",\"d\",\"e\"]},"
    "{\"id\":\"ja-nee\",\"multiple\":false,\"explanation\":\"Nee.\","
    "\"correct\":[\"nee\"],\"choices\":[\"ja\",\"nee\"]}]",
    /* One question whose choice ids look like each other. */
    "[{\"id\":\"q\",\"multiple\":true,\"explanation\":\"\\u00e9\","
    "\"correct\":[\"a\",\"aa\"],\"choices\":[\"a\",\"aa\",\"A\",\"\"]}]",
};
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

static struct arena arena;
static json_t      *key_json[N_KEYS];

static const json_t *
question(const json_t *key, const char *id)
{
	size_t  i;
	json_t *q;

	json_array_foreach (key, i, q) {
		if (strcmp(json_string_value(json_object_get(q, "id")), id) ==
		    0)
			return q;
	}
	return NULL;
}

static bool
has(const json_t *arr, const char *s)
{
	for (size_t i = 0; i < json_array_size(arr); i++)
		if (strcmp(json_string_value(json_array_get(arr, i)), s) == 0)
			return true;
	return false;
}

/* The reference: true when the answers are acceptable. */
static bool
ref_valid(const json_t *key, json_t *answers)
{
	const char *qid;
	json_t     *given;

	json_object_foreach (answers, qid, given) {
		const json_t *q = question(key, qid);

		if (q == NULL || !json_is_array(given))
			return false;
		if (!json_is_true(json_object_get(q, "multiple")) &&
		    json_array_size(given) > 1)
			return false;
		for (size_t i = 0; i < json_array_size(given); i++) {
			const char *c =
			    json_string_value(json_array_get(given, i));

			if (!json_is_string(json_array_get(given, i)) ||
			    !has(json_object_get(q, "choices"), c))
				return false;
			for (size_t j = i + 1; j < json_array_size(given); j++)
				if (json_equal(json_array_get(given, i),
				               json_array_get(given, j)))
					return false;
		}
	}
	return true;
}

/* Right when, for every choice, chosen <=> correct. */
static bool
ref_right(const json_t *q, const json_t *given)
{
	const json_t *choices = json_object_get(q, "choices");

	if (given == NULL)
		return false;
	for (size_t i = 0; i < json_array_size(choices); i++) {
		const char *c = json_string_value(json_array_get(choices, i));

		if (has(given, c) != has(json_object_get(q, "correct"), c))
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool        ready;
	struct quiz_result res;
	const char        *why, *problem = NULL;
	const json_t      *key;
	json_t            *body, *answers, *q;
	size_t             i;
	int                rc, correct = 0;

	if (!ready) {
		arena_init(&arena, 4096);
		for (i = 0; i < N_KEYS; i++) {
			key_json[i] = json_loads(keys[i], 0, NULL);
			FUZZ_CHECK(key_json[i] != NULL, "key %zu", i);
		}
		ready = true;
	}
	if (size == 0)
		return 0;
	key = key_json[data[0] % N_KEYS];
	body =
	    json_parse_object(&arena, (const char *)data + 1, size - 1, &why);
	answers = json_object_get(body, "answers");
	if (!json_is_object(answers)) {
		arena_reset(&arena);
		return 0;
	}

	rc = quiz_score(key, answers, &res, &problem);
	if (!ref_valid(key, answers)) {
		FUZZ_CHECK(rc == -1 && problem != NULL && res.feedback == NULL,
		           "invalid answers scored (rc %d)", rc);
		arena_reset(&arena);
		return 0;
	}
	FUZZ_CHECK(rc == 0, "valid answers refused: %s",
	           problem ? problem : "(no reason)");
	FUZZ_CHECK(res.total == (int)json_array_size(key) &&
	               json_array_size(res.feedback) == json_array_size(key),
	           "total %d, feedback %zu", res.total,
	           json_array_size(res.feedback));
	json_array_foreach (key, i, q) {
		const char *id = json_string_value(json_object_get(q, "id"));
		bool        right = ref_right(q, json_object_get(answers, id));
		const json_t *fb = json_array_get(res.feedback, i);

		correct += right;
		FUZZ_CHECK(
		    strcmp(
		        json_string_value(json_object_get(fb, "question_id")),
		        id) == 0 &&
		        json_is_true(json_object_get(fb, "correct")) == right,
		    "feedback %zu (%s) says %d, reference %d", i, id,
		    json_is_true(json_object_get(fb, "correct")), right);
	}
	FUZZ_CHECK(res.correct == correct &&
	               res.score == correct * 100 / res.total &&
	               res.score >= 0 && res.score <= 100,
	           "correct %d score %d, reference %d", res.correct, res.score,
	           correct);
	{
		char *s = json_dumps(res.feedback, 0);

		FUZZ_CHECK(s != NULL, "feedback does not encode");
		free(s);
	}
	json_decref(res.feedback);
	json_decref(res.objectives);
	arena_reset(&arena);
	return 0;
}
