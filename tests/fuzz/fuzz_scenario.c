/* Fuzz target: scenario_parse, scenario_validate and scenario_play on
 * uploaded scenario documents (docs/scenario-format.md). */

/*
 * Input: the document, then optionally a NUL and one byte per choice (taken
 * modulo 12, so that indexes 10 and 11, which no node has, come up too).
 * Without choices the harness walks the first choice of every node.
 *
 * Properties:
 *  - scenario_parse accepts only objects of depth <= SCENARIO_DEPTH_MAX
 *    (measured here), and a refusal has exactly one error, at path "".
 *  - scenario_validate returns 0 exactly when it reported nothing.  A
 *    document it accepts meets the graph rules as checked here from the
 *    format: 1-500 nodes with valid ids, start names a node, choices at
 *    most 10 with an existing next and an integer score in -100..100, every
 *    end node has an outcome, every node is reachable from start and can
 *    reach an end node.
 *  - The error list always encodes as JSON: paths are "" or start with '/',
 *    messages are non-empty valid UTF-8.
 *  - scenario_play on a validated document never says BAD_DOC and gives
 *    exactly what a reference walk gives: status, step, score, path and
 *    outcome.  On any parsed document it must not crash (ASan checks the
 *    reads), and a successful play ends on an end node.
 */
#include <jansson.h>

#include "fuzz_common.h"
#include "json.h"
#include "scenario.h"

#define NODES_MAX_HERE 600 /* above SCENARIO_NODES_MAX */

static int
depth(const json_t *v)
{
	const char *k;
	json_t     *c;
	size_t      i;
	int         max = 0, d;

	if (json_is_array(v)) {
		json_array_foreach (v, i, c) {
			if ((d = depth(c)) > max)
				max = d;
		}
	} else if (json_is_object(v)) {
		json_object_foreach ((json_t *)v, k, c) {
			if ((d = depth(c)) > max)
				max = d;
		}
	} else {
		return 0;
	}
	return max + 1;
}

static bool
node_id_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= 64 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                 "0123456789_-") == n;
}

static size_t
n_choices(const json_t *node)
{
	return json_array_size(json_object_get(node, "choices"));
}

/* The graph rules, for a document scenario_validate accepted. */
static void
check_valid(const json_t *doc)
{
	const json_t *nodes = json_object_get(doc, "nodes");
	const char   *start = json_string_value(json_object_get(doc, "start"));
	const char   *ids[NODES_MAX_HERE], *k;
	bool    reach[NODES_MAX_HERE] = {false}, fin[NODES_MAX_HERE] = {false};
	size_t  n = 0, i, j, stack[NODES_MAX_HERE], top = 0;
	json_t *node;
	bool    changed;

	FUZZ_CHECK(json_is_object(nodes) && json_object_size(nodes) >= 1 &&
	               json_object_size(nodes) <= SCENARIO_NODES_MAX,
	           "valid with %zu nodes", json_object_size(nodes));
	FUZZ_CHECK(start != NULL &&
	               json_is_object(json_object_get(nodes, start)),
	           "valid with start \"%s\"", start ? start : "(none)");
	json_object_foreach ((json_t *)nodes, k, node) {
		const json_t *list = json_object_get(node, "choices");

		ids[n++] = k;
		FUZZ_CHECK(node_id_ok(k) && json_is_object(node),
		           "valid with node \"%s\"", k);
		FUZZ_CHECK(list == NULL || (json_is_array(list) &&
		                            json_array_size(list) <= 10),
		           "valid with choices of %s", k);
		if (json_array_size(list) == 0) {
			FUZZ_CHECK(
			    json_is_string(json_object_get(node, "outcome")),
			    "valid end node %s without outcome", k);
			fin[n - 1] = true;
		}
		for (i = 0; i < json_array_size(list); i++) {
			const json_t *c = json_array_get(list, i);
			const json_t *s = json_object_get(c, "score");
			const char   *next =
			    json_string_value(json_object_get(c, "next"));

			FUZZ_CHECK(json_is_integer(s) &&
			               json_integer_value(s) >= -100 &&
			               json_integer_value(s) <= 100,
			           "valid with a bad score at %s/%zu", k, i);
			FUZZ_CHECK(next != NULL &&
			               json_object_get(nodes, next) != NULL,
			           "valid with a dangling next at %s/%zu", k,
			           i);
		}
	}

	/* Reachable from start. */
	for (i = 0; i < n; i++)
		if (strcmp(ids[i], start) == 0)
			break;
	reach[i] = true;
	stack[top++] = i;
	while (top > 0) {
		const json_t *list = json_object_get(
		    json_object_get(nodes, ids[stack[--top]]), "choices");

		for (j = 0; j < json_array_size(list); j++) {
			const char *next = json_string_value(
			    json_object_get(json_array_get(list, j), "next"));

			for (i = 0; i < n; i++)
				if (strcmp(ids[i], next) == 0)
					break;
			if (!reach[i]) {
				reach[i] = true;
				stack[top++] = i;
			}
		}
	}
	/* Can finish: a fixpoint, fine for 500 nodes. */
	do {
		changed = false;
		for (i = 0; i < n; i++) {
			const json_t *list;

			if (fin[i])
				continue;
			list = json_object_get(json_object_get(nodes, ids[i]),
			                       "choices");
			for (j = 0; j < json_array_size(list) && !fin[i]; j++) {
				const char *next =
				    json_string_value(json_object_get(
				        json_array_get(list, j), "next"));

				for (size_t t = 0; t < n; t++)
					if (fin[t] && strcmp(ids[t], next) == 0)
						fin[i] = changed = true;
			}
		}
	} while (changed);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(reach[i] && fin[i], "valid, but node %s is %s",
		           ids[i], !reach[i] ? "unreachable" : "a dead end");
}

/* What scenario_play must give on a valid document. */
static void
check_play(const json_t *doc, const int *choices, size_t n)
{
	struct scenario_play_result got;
	const json_t               *nodes = json_object_get(doc, "nodes");
	const char *id = json_string_value(json_object_get(doc, "start"));
	enum scenario_play_status want = SCENARIO_PLAY_OK;
	size_t                    step = 0, i;
	int                       score = 0, rc;

	rc = scenario_play(doc, choices, n, &got);
	FUZZ_CHECK(got.status != SCENARIO_PLAY_BAD_DOC,
	           "a validated document is BAD_DOC: %s", got.error);

	if (n > SCENARIO_PLAY_STEPS_MAX) {
		want = SCENARIO_PLAY_TOO_LONG;
	} else {
		for (i = 0;; i++) {
			const json_t *node = json_object_get(nodes, id);
			const json_t *list = json_object_get(node, "choices");
			const json_t *c;

			FUZZ_CHECK(rc != 0 || (i < got.n_path &&
			                       strcmp(got.path[i], id) == 0),
			           "path entry %zu is not %s", i, id);
			if (json_array_size(list) == 0) {
				if (i < n)
					want = SCENARIO_PLAY_PAST_END;
				step = i;
				break;
			}
			if (i == n) {
				want = SCENARIO_PLAY_NOT_FINISHED;
				step = i;
				break;
			}
			if (choices[i] < 0 ||
			    (size_t)choices[i] >= json_array_size(list)) {
				want = SCENARIO_PLAY_BAD_INDEX;
				step = i;
				break;
			}
			c = json_array_get(list, (size_t)choices[i]);
			score += (int)json_integer_value(
			    json_object_get(c, "score"));
			id = json_string_value(json_object_get(c, "next"));
		}
	}
	FUZZ_CHECK(got.status == want &&
	               (rc == 0) == (want == SCENARIO_PLAY_OK),
	           "play status %d rc %d, reference %d", (int)got.status, rc,
	           (int)want);
	if (rc == 0) {
		const json_t *end = json_object_get(nodes, id);
		json_t       *j;
		char         *s;

		FUZZ_CHECK(got.score == score, "score %d, reference %d",
		           got.score, score);
		FUZZ_CHECK(got.n_path == n + 1, "path of %zu for %zu choices",
		           got.n_path, n);
		FUZZ_CHECK(
		    got.outcome != NULL &&
		        strcmp(got.outcome, json_string_value(json_object_get(
		                                end, "outcome"))) == 0,
		    "outcome");
		j = scenario_play_result_json(&got);
		s = json_dumps(j, 0);
		FUZZ_CHECK(s != NULL, "play result does not encode");
		free(s);
		json_decref(j);
	} else if (want != SCENARIO_PLAY_TOO_LONG) {
		FUZZ_CHECK(got.step == step, "step %zu, reference %zu",
		           got.step, step);
		FUZZ_CHECK(got.error[0] != '\0' && fuzz_str_utf8(got.error),
		           "play error text");
	}
	scenario_play_result_free(&got);
}

static void
check_errors(const struct errlist *errs)
{
	json_t *j = errlist_json(errs);
	char   *s;

	FUZZ_CHECK(
	    errs->count <= SCENARIO_ERRORS_MAX &&
	        (errs->dropped == 0 || errs->count == SCENARIO_ERRORS_MAX),
	    "%zu errors kept, %zu dropped", errs->count, errs->dropped);
	for (size_t i = 0; i < errs->count; i++) {
		const struct errlist_item *e = &errs->items[i];

		FUZZ_CHECK(e->path != NULL &&
		               (e->path[0] == '\0' || e->path[0] == '/') &&
		               fuzz_str_utf8(e->path),
		           "error path \"%s\"", e->path ? e->path : "(null)");
		FUZZ_CHECK(e->message != NULL && e->message[0] != '\0' &&
		               fuzz_str_utf8(e->message),
		           "error message at %s", e->path);
	}
	FUZZ_CHECK(json_array_size(j) == errs->count + (errs->dropped > 0),
	           "errors JSON has %zu entries", json_array_size(j));
	s = json_dumps(j, 0);
	FUZZ_CHECK(s != NULL, "error list does not encode");
	free(s);
	json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int                  choices[SCENARIO_PLAY_STEPS_MAX + 2];
	struct errlist              errs;
	struct scenario_play_result any;
	json_t                     *doc = NULL;
	const uint8_t              *tail;
	size_t                      doc_len, tail_len, n = 0;
	int                         rc, arr[SCENARIO_PLAY_STEPS_MAX];
	const char                 *problem;

	fuzz_part(data, size, 0, &doc_len);
	tail = fuzz_part(data, size, 1, &tail_len);
	if (tail != NULL) {
		tail_len = (size_t)(data + size - tail); /* NULs are choice 0 */
		for (n = 0; n < tail_len && n < SCENARIO_PLAY_STEPS_MAX + 1;
		     n++)
			choices[n] = tail[n] % 12;
	}

	errlist_init(&errs);
	rc = scenario_parse((const char *)data, doc_len, &doc, &errs);
	if (rc != 0) {
		FUZZ_CHECK(doc == NULL && errs.count == 1 &&
		               errs.items[0].path[0] == '\0',
		           "a refused parse: %zu errors", errs.count);
		check_errors(&errs);
		errlist_free(&errs);
		return 0;
	}
	FUZZ_CHECK(depth(doc) <= SCENARIO_DEPTH_MAX, "accepted depth %d",
	           depth(doc));

	/* The attempt body's "choices", if the document has such a key. */
	if (json_object_get(doc, "choices") != NULL) {
		const json_t *list = json_object_get(doc, "choices");
		size_t        m = 0;

		if (scenario_choices_from_json(list, arr,
		                               SCENARIO_PLAY_STEPS_MAX, &m,
		                               &problem) == 0) {
			FUZZ_CHECK(m == json_array_size(list), "choices count");
			for (size_t i = 0; i < m; i++)
				FUZZ_CHECK(arr[i] >= 0 &&
				               arr[i] < SCENARIO_CHOICES_MAX,
				           "choice %d", arr[i]);
		} else {
			FUZZ_CHECK(problem != NULL && m == 0,
			           "choices problem");
		}
	}

	rc = scenario_validate(doc, &errs);
	FUZZ_CHECK((rc == 0) == (errs.count == 0 && errs.dropped == 0),
	           "validate rc %d with %zu errors", rc, errs.count);
	check_errors(&errs);

	if (rc == 0) {
		check_valid(doc);
		if (tail == NULL) {
			/* Take the first choice until an end node. */
			const json_t *nodes = json_object_get(doc, "nodes");
			const char   *id =
			    json_string_value(json_object_get(doc, "start"));

			for (n = 0; n < SCENARIO_PLAY_STEPS_MAX &&
			            n_choices(json_object_get(nodes, id)) > 0;
			     n++) {
				choices[n] = 0;
				id = json_string_value(json_object_get(
				    json_array_get(
				        json_object_get(
				            json_object_get(nodes, id),
				            "choices"),
				        0),
				    "next"));
			}
		}
		check_play(doc, choices, n);
	} else {
		/* Not valid: play must still not crash, and a success must end
		 * on a node with an outcome. */
		int prc = scenario_play(doc, choices, n, &any);

		if (prc == 0)
			FUZZ_CHECK(any.outcome != NULL && any.n_path == n + 1,
			           "play on an invalid document");
		scenario_play_result_free(&any);
	}

	errlist_free(&errs);
	json_decref(doc);
	return 0;
}
