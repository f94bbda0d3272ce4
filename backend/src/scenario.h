/* Role-play scenarios: parse, validate and play a scenario document. */
#ifndef SCENARIO_H
#define SCENARIO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "errlist.h"

/*
 * Limits of the format (docs/scenario-format.md).  Text limits count Unicode
 * code points, not bytes.
 */
#define SCENARIO_BYTES_MAX (2 * 1024 * 1024) /* bytes of the JSON text */
#define SCENARIO_DEPTH_MAX 32 /* JSON nesting, as JSON_MAX_DEPTH */
#define SCENARIO_NODES_MAX 500
#define SCENARIO_CHOICES_MAX 10 /* per node */
#define SCENARIO_TEXT_MAX 4000
#define SCENARIO_TITLE_MAX 200
#define SCENARIO_SPEAKER_MAX 100
#define SCENARIO_ID_MAX 64     /* node ids: [A-Za-z0-9_-]{1,64} */
#define SCENARIO_MEDIA_MAX 128 /* media ids: [A-Za-z0-9][A-Za-z0-9._-]* */
#define SCENARIO_SCORE_MIN (-100)
#define SCENARIO_SCORE_MAX 100
#define SCENARIO_MELDCODE_STEPS 5
#define SCENARIO_ERRORS_MAX ERRLIST_MAX /* further errors are only counted */
#define SCENARIO_PLAY_STEPS_MAX 1000    /* choices in one attempt */

/*
 * Problems go to an errlist (errlist.h): `path` is an RFC 6901 JSON pointer
 * into the document ("" is the whole document; a missing field is pointed
 * at where it belongs, such as "/nodes/n1/speaker"), `message` is Dutch,
 * written for trainers, and for a JSON syntax error `line` and `column` say
 * where (1-based; otherwise both are 0).  Problems come in document order;
 * errlist_json gives the `errors` array of a 400 validation_failed body.
 */

/*
 * Parses the JSON text buf[0..len): at most SCENARIO_BYTES_MAX bytes, valid
 * UTF-8, no key twice in one object, nesting at most SCENARIO_DEPTH_MAX.
 * Returns 0 and sets *out to a new reference (the caller decrefs it).
 * Returns -1 with *out NULL and one error with path "" appended to `errs`.
 * This does not validate the scenario: call scenario_validate next.
 */
int scenario_parse(const char *buf, size_t len, json_t **out,
                   struct errlist *errs);

/*
 * Checks every rule of docs/scenario-format.md and appends one error per
 * problem to `errs` (keys nobody knows, such as a misspelt "speakr", are
 * errors too).  So that one mistake gives one message, graph problems are
 * held back where they would only echo another error: "cannot reach an end"
 * is not reported for a node whose choices could not be read or that has a
 * choice pointing nowhere (nor for the nodes leading to it), and
 * "unreachable from start" is reported only when every choice of every
 * node points at an existing node.
 * Returns 0 when the document is a valid scenario, -1 when this call
 * appended (or dropped) at least one error.  `doc` is only read.  Works
 * iteratively: the document's shape cannot exhaust the stack.  Aborts when
 * out of memory.
 */
int scenario_validate(const json_t *doc, struct errlist *errs);

enum scenario_play_status {
	SCENARIO_PLAY_OK,
	SCENARIO_PLAY_BAD_DOC,      /* the document is not a valid scenario */
	SCENARIO_PLAY_TOO_LONG,     /* more than SCENARIO_PLAY_STEPS_MAX */
	SCENARIO_PLAY_BAD_INDEX,    /* no such choice at that step */
	SCENARIO_PLAY_PAST_END,     /* choices left after an end node */
	SCENARIO_PLAY_NOT_FINISHED, /* the choices stop before an end node */
};

/*
 * The outcome of playing one attempt.  `outcome` and the strings in `path`
 * are borrowed from the document and live as long as it does; the `path`
 * array itself is owned by the result (scenario_play_result_free).
 */
struct scenario_play_result {
	enum scenario_play_status status;
	int                       score;   /* sum of the chosen scores */
	const char               *outcome; /* "outcome" of the end node */
	const char              **path;    /* node ids, start first, end last */
	size_t                    n_path;
	size_t                    step; /* on error: 0-based step at fault */
	char error[160];                /* on error: Dutch, for learners */
};

/*
 * Walks `doc` from "start", taking choices[i] (a 0-based index into that
 * node's "choices") at step i.  Returns 0 when the walk ends exactly on an
 * end node, with `out` filled.  Returns -1 with out->status, out->step and
 * out->error set when the path is impossible: an index out of range, more
 * choices after an end node, fewer choices than it takes to reach an end
 * node, more than SCENARIO_PLAY_STEPS_MAX choices, or a document that is
 * not a valid scenario.  Call it on a document that passed
 * scenario_validate; on any other it fails cleanly rather than crashes.  In
 * both cases release `out` with scenario_play_result_free.
 */
int scenario_play(const json_t *doc, const int *choices, size_t n,
                  struct scenario_play_result *out);

/* Frees the path array; the result can be used again.  NULL is allowed. */
void scenario_play_result_free(struct scenario_play_result *r);

/*
 * {"score","outcome","path":[...]} for a successful play, as the attempts
 * endpoint returns it.  A new reference; aborts when out of memory.
 */
json_t *scenario_play_result_json(const struct scenario_play_result *r);

/*
 * Reads the "choices" array of an attempt body into buf[0..cap).  Every
 * entry must be a JSON integer in 0..SCENARIO_CHOICES_MAX-1 (checked before
 * it is narrowed to int); at most `cap` entries.  Returns 0 with *n set, or
 * -1 with *problem set to a static Dutch message.
 */
int scenario_choices_from_json(const json_t *arr, int *buf, size_t cap,
                               size_t *n, const char **problem);

/* True when s is a valid node id: 1 to 64 of [A-Za-z0-9_-]. */
bool scenario_valid_node_id(const char *s);

/* True when s is a valid media id: [A-Za-z0-9][A-Za-z0-9._-]{0,127}. */
bool scenario_valid_media_id(const char *s);

#endif
