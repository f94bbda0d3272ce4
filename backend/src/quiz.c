/* Quiz scoring: pure, from the answer key and the learner's answers. */
#include "quiz.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool          in_array(const json_t *arr, const char *s);
static const json_t *find_question(const json_t *key, const char *id);
static void    count_objective(json_t *objectives, const char *id, bool right);
static void    shuffle(size_t *idx, size_t n, quiz_uniform_fn uniform);
static json_t *draw_question(const json_t *q, quiz_uniform_fn uniform);
static json_int_t seen_rank(const json_t *seen, const json_t *q);
static void       sort_by_seen(size_t *idx, size_t n, const json_t *questions,
                               const json_t *seen);

static bool
in_array(const json_t *arr, const char *s)
{
	size_t  i;
	json_t *v;

	json_array_foreach (arr, i, v) {
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

	json_array_foreach (key, i, q) {
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
	json_object_foreach ((json_t *)answers, qid, chosen) {
		const json_t *question = find_question(key, qid);
		json_t       *c;

		if (question == NULL) {
			*problem = "deze vraag hoort niet bij deze poging";
			out->not_drawn = true;
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
		json_array_foreach (chosen, j, c) {
			const char *cid = json_string_value(c);

			if (cid == NULL) {
				*problem = "een keuze is een tekst";
				return -1;
			}
			if (!in_array(json_object_get(question, "choices"),
			              cid)) {
				*problem =
				    "deze keuze hoort niet bij deze vraag";
				out->not_drawn = true;
				return -1;
			}
			for (size_t k = 0; k < j; k++)
				if (strcmp(cid,
				           json_string_value(json_array_get(
				               chosen, k))) == 0) {
					*problem =
					    "een keuze komt twee keer voor";
					return -1;
				}
		}
	}
	out->feedback = json_array();
	out->objectives = json_array();
	json_array_foreach (key, i, q) {
		const char   *id = json_string_value(json_object_get(q, "id"));
		const json_t *right = json_object_get(q, "correct");
		const json_t *given = json_object_get(answers, id);
		bool          ok = false;
		json_t       *c;

		if (given != NULL &&
		    json_array_size(given) == json_array_size(right)) {
			ok = true;
			json_array_foreach (given, j, c)
				if (!in_array(right, json_string_value(c)))
					ok = false;
		}
		out->total++;
		if (ok)
			out->correct++;
		count_objective(
		    out->objectives,
		    json_string_value(json_object_get(q, "objective")), ok);
		json_array_append_new(
		    out->feedback,
		    json_pack("{s:s, s:b, s:O}", "question_id", id, "correct",
		              ok, "explanation",
		              json_object_get(q, "explanation")));
	}
	out->score = out->correct * 100 / out->total;
	out->every_objective_right = true;
	json_array_foreach (out->objectives, i, q)
		if (json_integer_value(json_object_get(q, "right")) == 0)
			out->every_objective_right = false;
	return 0;
}

bool
quiz_passed(const struct quiz_result *r, int pass_mark)
{
	return r->score >= pass_mark && r->every_objective_right;
}

/* Adds one question, right or not, to its objective's tally. */
static void
count_objective(json_t *objectives, const char *id, bool right)
{
	json_t *o;
	size_t  i;

	if (id == NULL)
		return;
	json_array_foreach (objectives, i, o) {
		if (strcmp(json_string_value(json_object_get(o, "id")), id) !=
		    0)
			continue;
		json_object_set_new(
		    o, "drawn",
		    json_integer(
		        json_integer_value(json_object_get(o, "drawn")) + 1));
		if (right)
			json_object_set_new(
			    o, "right",
			    json_integer(json_integer_value(
			                     json_object_get(o, "right")) +
			                 1));
		return;
	}
	json_array_append_new(objectives,
	                      json_pack("{s:s, s:i, s:i}", "id", id, "right",
	                                right ? 1 : 0, "drawn", 1));
}

/* Fisher-Yates on the first n entries of an index array. */
static void
shuffle(size_t *idx, size_t n, quiz_uniform_fn uniform)
{
	size_t i, j, t;

	for (i = n; i > 1; i--) {
		j = uniform((uint32_t)i);
		t = idx[i - 1];
		idx[i - 1] = idx[j];
		idx[j] = t;
	}
}

/*
 * One drawn question as a key entry, its choices in a random order.  The
 * learner sees the choices as "1".."n" in the shown order, never the
 * author's ids (which would say "d is often right"): `choices` and
 * `correct` hold those shown ids, `choice_ids` the author's id of each.
 */
static json_t *
draw_question(const json_t *q, quiz_uniform_fn uniform)
{
	const json_t *choices = json_object_get(q, "choices");
	json_t       *shown, *ids, *texts, *correct, *entry;
	size_t        n = json_array_size(choices), i, idx[64];
	char          sid[24];

	if (!json_is_array(choices) || n == 0 || n > 64)
		return NULL;
	for (i = 0; i < n; i++)
		idx[i] = i;
	shuffle(idx, n, uniform);
	shown = json_array();
	ids = json_array();
	texts = json_array();
	correct = json_array();
	for (i = 0; i < n; i++) {
		const json_t *c = json_array_get(choices, idx[i]);

		snprintf(sid, sizeof(sid), "%zu", i + 1);
		json_array_append_new(shown, json_string(sid));
		json_array_append(ids, json_object_get(c, "id"));
		json_array_append(texts, json_object_get(c, "text"));
		if (json_is_true(json_object_get(c, "correct")))
			json_array_append_new(correct, json_string(sid));
	}
	entry = json_pack(
	    "{s:O, s:O, s:O, s:O, s:O, s:o, s:o, s:o, s:o}", "id",
	    json_object_get(q, "id"), "objective",
	    json_object_get(q, "objective"), "text", json_object_get(q, "text"),
	    "multiple", json_object_get(q, "multiple"), "explanation",
	    json_object_get(q, "explanation"), "choices", shown, "choice_ids",
	    ids, "choice_texts", texts, "correct", correct);
	return entry;
}

/* How recently the learner saw the question: 0 never, else the larger the
 * later (`seen` maps question ids to such numbers, or is NULL). */
static json_int_t
seen_rank(const json_t *seen, const json_t *q)
{
	const char *id = json_string_value(json_object_get(q, "id"));

	if (id == NULL || !json_is_object(seen))
		return 0;
	return json_integer_value(json_object_get(seen, id));
}

/* Stable insertion sort of idx[0..n) by seen rank, oldest first: after a
 * shuffle, equals stay in random order. */
static void
sort_by_seen(size_t *idx, size_t n, const json_t *questions, const json_t *seen)
{
	size_t i, j, t;

	for (i = 1; i < n; i++) {
		t = idx[i];
		for (j = i;
		     j > 0 &&
		     seen_rank(seen, json_array_get(questions, idx[j - 1])) >
		         seen_rank(seen, json_array_get(questions, t));
		     j--)
			idx[j] = idx[j - 1];
		idx[j] = t;
	}
}

json_t *
quiz_draw(const json_t *bank, const json_t *seen, quiz_uniform_fn uniform)
{
	const json_t *objectives = json_object_get(bank, "objectives");
	const json_t *questions = json_object_get(bank, "questions");
	json_t       *picked, *draw, *o, *q, *entry;
	size_t        nq = json_array_size(questions), i, j, k, n, *idx;

	if (!json_is_array(objectives) || !json_is_array(questions) ||
	    nq == 0 || json_array_size(objectives) == 0)
		return NULL;
	idx = calloc(nq, sizeof(*idx));
	if (idx == NULL)
		return NULL;
	picked = json_array();
	json_array_foreach ((json_t *)objectives, i, o) {
		const char *oid = json_string_value(json_object_get(o, "id"));
		json_int_t  want =
		    json_integer_value(json_object_get(o, "draw"));

		/* The bank of this objective, shuffled, then the questions
		 * never seen first and the others from the longest ago; its
		 * first `want`. */
		for (n = 0, j = 0; j < nq; j++) {
			const json_t *bq = json_array_get(questions, j);
			const char   *qo =
			    json_string_value(json_object_get(bq, "objective"));

			if (oid != NULL && qo != NULL && strcmp(oid, qo) == 0)
				idx[n++] = j;
		}
		if (want < 1 || (size_t)want > n) {
			free(idx);
			json_decref(picked);
			return NULL;
		}
		shuffle(idx, n, uniform);
		sort_by_seen(idx, n, questions, seen);
		for (k = 0; k < (size_t)want; k++)
			json_array_append(picked,
			                  json_array_get(questions, idx[k]));
	}
	free(idx);
	/* The drawn questions of all objectives, mixed. */
	n = json_array_size(picked);
	idx = calloc(n, sizeof(*idx));
	if (idx == NULL) {
		json_decref(picked);
		return NULL;
	}
	for (i = 0; i < n; i++)
		idx[i] = i;
	shuffle(idx, n, uniform);
	draw = json_array();
	for (i = 0; i < n; i++) {
		q = json_array_get(picked, idx[i]);
		entry = draw_question(q, uniform);
		if (entry == NULL) {
			json_decref(draw);
			draw = NULL;
			break;
		}
		json_array_append_new(draw, entry);
	}
	free(idx);
	json_decref(picked);
	return draw;
}

json_t *
quiz_draw_public(const json_t *draw)
{
	json_t *out, *q, *choices;
	size_t  i, j;

	if (!json_is_array(draw))
		return NULL;
	out = json_array();
	json_array_foreach ((json_t *)draw, i, q) {
		const json_t *ids = json_object_get(q, "choices");
		const json_t *texts = json_object_get(q, "choice_texts");

		if (json_array_size(ids) != json_array_size(texts)) {
			json_decref(out);
			return NULL;
		}
		choices = json_array();
		for (j = 0; j < json_array_size(ids); j++)
			json_array_append_new(
			    choices, json_pack("{s:O, s:O}", "id",
			                       json_array_get(ids, j), "text",
			                       json_array_get(texts, j)));
		json_array_append_new(
		    out, json_pack("{s:O, s:O, s:O, s:o}", "id",
		                   json_object_get(q, "id"), "text",
		                   json_object_get(q, "text"), "multiple",
		                   json_object_get(q, "multiple"), "choices",
		                   choices));
	}
	return out;
}

/* The objective of question `qid` in the draw, or NULL. */
static const char *
objective_of(const json_t *draw, const char *qid)
{
	const json_t *q = qid != NULL ? find_question(draw, qid) : NULL;

	return json_string_value(json_object_get(q, "objective"));
}

/* The sections to reread for objective `oid`: its "reread" in `objectives`,
 * or an empty array. */
static json_t *
reread_of(const json_t *objectives, const char *oid)
{
	json_t *o;
	size_t  i;

	if (oid != NULL)
		json_array_foreach (objectives, i, o) {
			const char *id =
			    json_string_value(json_object_get(o, "id"));

			if (id != NULL && strcmp(id, oid) == 0 &&
			    json_is_array(json_object_get(o, "reread")))
				return json_deep_copy(
				    json_object_get(o, "reread"));
		}
	return json_array();
}

json_t *
quiz_feedback_public(const json_t *feedback, const json_t *draw,
                     const json_t *objectives, bool passed)
{
	json_t *out = json_array(), *f;
	size_t  i;

	json_array_foreach (feedback, i, f) {
		const char *qid =
		    json_string_value(json_object_get(f, "question_id"));
		bool    right = json_is_true(json_object_get(f, "correct"));
		json_t *explanation = json_object_get(f, "explanation");

		/* A wrong question may come back: its explanation would
		 * name the right choice.  A right one (the learner chose
		 * right) or a passed attempt may keep it. */
		if (!right && !passed)
			explanation = NULL;
		json_array_append_new(
		    out, json_pack("{s:s?, s:b, s:O?, s:o}", "id", qid, "right",
		                   right, "explanation", explanation, "reread",
		                   right ? json_array()
		                         : reread_of(objectives,
		                                     objective_of(draw, qid))));
	}
	return out;
}
