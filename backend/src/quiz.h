/* Quiz scoring: pure, from the answer key and the learner's answers. */
#ifndef QUIZ_H
#define QUIZ_H

#include <jansson.h>

struct quiz_result {
	int     score;    /* 0..100, floor of 100 * correct / total */
	int     correct;
	int     total;
	json_t *feedback; /* [{"question_id","correct","explanation"}], caller
	                     decrefs */
};

/*
 * Scores `answers` ({"<question_id>":["<choice_id>",...]}) against `key`
 * ([{"id","multiple","explanation","correct":[ids],"choices":[ids]}]).  A
 * question is right when exactly its correct choices are chosen; one left
 * unanswered is wrong.  Returns 0, or -1 with *problem describing the first
 * invalid answer (unknown question or choice, a repeated choice, several
 * choices on a single-answer question, wrong types).
 */
int quiz_score(const json_t *key, const json_t *answers,
               struct quiz_result *out, const char **problem);

#endif
