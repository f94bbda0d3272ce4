/* Quiz scoring: pure, from the answer key and the learner's answers. */
#include "quiz.h"

#include <stdbool.h>
#include <string.h>

static bool in_array(const json_t *arr, const char *s);
static const json_t *find_question(const json_t *key, const char *id);

static bool
in_array(const json_t *arr, const char *s)
{
	size_t  i;
	json_t *v;

	json_array_foreach(arr, i, v) {
		const char *t = json_string_value(v);

		if (t != NULL && strcmp(t, s) == 0)
			return true;
	}
	return false;
}

static const json_t *
find_question(const json_t *key, const char *id)
{
	size_t  i;
	json_t *q;

	json_array_foreach(key, i, q) {
		const char *qid = json_string_value(json_object_get(q, "id"));

		if (qid != NULL && strcmp(qid, id) == 0)
			return q;
	}
	return NULL;
}

int
quiz_score(const json_t *key, const json_t *answers, struct quiz_result *out,
           const char **problem)
{
	const char *qid;
	json_t     *chosen, *q;
	size_t      i, j;

	memset(out, 0, sizeof(*out));
	if (!json_is_array(key) || json_array_size(key) == 0) {
		*problem = "deze module heeft geen toets";
		return -1;
	}
	if (!json_is_object(answers)) {
		*problem = "answers moet een object zijn";
		return -1;
	}
	/* Validate everything before scoring anything. */
	json_object_foreach((json_t *)answers, qid, chosen) {
		const json_t *question = find_question(key, qid);
		json_t       *c;

		if (question == NULL) {
			*problem = "onbekende vraag";
			return -1;
		}
		if (!json_is_array(chosen)) {
			*problem = "elk antwoord is een lijst van keuzes";
			return -1;
		}
		if (!json_is_true(json_object_get(question, "multiple")) &&
		    json_array_size(chosen) > 1) {
			*problem = "bij deze vraag past maar één antwoord";
			return -1;
		}
		json_array_foreach(chosen, j, c) {
			const char *cid = json_string_value(c);

			if (cid == NULL ||
			    !in_array(json_object_get(question, "choices"), cid)) {
				*problem = "onbekende keuze";
				return -1;
			}
			for (size_t k = 0; k < j; k++)
				if (strcmp(cid, json_string_value(
				                    json_array_get(chosen, k))) == 0) {
					*problem = "een keuze komt twee keer voor";
					return -1;
				}
		}
	}
	out->feedback = json_array();
	json_array_foreach(key, i, q) {
		const char   *id = json_string_value(json_object_get(q, "id"));
		const json_t *right = json_object_get(q, "correct");
		const json_t *given = json_object_get(answers, id);
		bool          ok = false;
		json_t       *c;

		if (given != NULL && json_array_size(given) == json_array_size(right)) {
			ok = true;
			json_array_foreach(given, j, c)
				if (!in_array(right, json_string_value(c)))
					ok = false;
		}
		out->total++;
		if (ok)
			out->correct++;
		json_array_append_new(out->feedback,
		    json_pack("{s:s, s:b, s:O}", "question_id", id, "correct", ok,
		              "explanation", json_object_get(q, "explanation")));
	}
	out->score = out->correct * 100 / out->total;
	return 0;
}
