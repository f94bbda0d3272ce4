/* Quiz scoring: pure, from the answer key and the learner's answers. */
#ifndef QUIZ_H
#define QUIZ_H

#include <jansson.h>

#include <stdbool.h>
#include <stdint.h>

struct quiz_result {
	int     score; /* 0..100, floor of 100 * correct / total */
	int     correct;
	int     total;
	json_t *feedback; /* [{"question_id","correct","explanation"}], caller
	                     decrefs */
	/* [{"id","right","drawn"}] per objective of the key entries, in the
	 * order first seen; caller decrefs */
	json_t *objectives;
	bool    every_objective_right; /* no objective with zero right */
	bool    not_drawn; /* on -1: a question or choice not in the key */
};

/* A uniform random integer in [0, upper); randombytes_uniform in the
 * service, a seeded generator in tests. */
typedef uint32_t (*quiz_uniform_fn)(uint32_t upper);

/*
 * Draws an attempt from `bank` ({"objectives":[{"id","draw"}],
 * "questions":[{"id","objective","text","multiple","explanation",
 * "choices":[{"id","text","correct"}]}]}): per objective `draw` questions,
 * all of them in random order, each with its choices in random order.
 * `seen` ({"<question id>":N}, or NULL) tells the questions the learner was
 * shown before, a larger N for a later attempt: per objective the questions
 * never seen come first, then those seen longest ago, at random among
 * equals.  Returns the draw, an array of key entries in the order shown
 * ({"id","objective","text","multiple","explanation","choices":["1".."n"],
 * "choice_ids":[the author's ids],"choice_texts":[texts],"correct":[shown
 * ids]}) that quiz_score() grades: the learner only ever sees and sends
 * the shown ids "1".."n".  NULL when the bank is malformed or an objective
 * has fewer questions than it draws.  The caller decrefs.
 */
json_t *quiz_draw(const json_t *bank, const json_t *seen,
                  quiz_uniform_fn uniform);

/*
 * What the learner sees of a draw: [{"id","text","multiple",
 * "choices":[{"id","text"}]}] in the drawn order, never the answer key.
 * The caller decrefs; NULL when the draw is malformed.
 */
json_t *quiz_draw_public(const json_t *draw);

/* Passed: the pass mark overall and at least one right in every objective. */
bool quiz_passed(const struct quiz_result *r, int pass_mark);

/*
 * Scores `answers` ({"<question_id>":["<choice_id>",...]}) against `key`
 * ([{"id","multiple","explanation","correct":[ids],"choices":[ids]}]).  A
 * question is right when exactly its correct choices are chosen; one left
 * unanswered is wrong.  Returns 0, or -1 with *problem describing the first
 * invalid answer (unknown question or choice, a repeated choice, several
 * choices on a single-answer question, wrong types); out->not_drawn tells
 * an unknown question or choice apart.  A key entry with an "objective"
 * counts towards that objective in out->objectives.
 */
int quiz_score(const json_t *key, const json_t *answers,
               struct quiz_result *out, const char **problem);

/*
 * What the learner may see of a grading's `feedback` ([{"question_id",
 * "correct","explanation"}], quiz_score()): [{"id","right","explanation",
 * "reread"}] in the same order.  A question answered wrongly in a failed
 * attempt gets no explanation (null: it may come back, and explanations
 * name the right choice) but the sections of its objective to reread,
 * from `objectives` ([{"id","reread":[{"id","title"}]}]) through the
 * objective of the question in `draw`; a right answer, or any answer of a
 * passed attempt, keeps its explanation.  "reread" is [] for a right one.
 * The caller decrefs.
 */
json_t *quiz_feedback_public(const json_t *feedback, const json_t *draw,
                             const json_t *objectives, bool passed);

#endif
