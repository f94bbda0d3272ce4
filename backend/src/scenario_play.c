/* Role-play scenarios, part 3 of 3: play one attempt through a checked
 * document, and the JSON of attempts. */
#include "scenario.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_impl.h"

static void jset(json_t *obj, const char *key, json_t *v);
static int  play_fail(struct scenario_play_result *out,
                      enum scenario_play_status status, size_t step,
                      const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
jset(json_t *obj, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new(obj, key, v) != 0)
		scenario_oom();
}

static int
play_fail(struct scenario_play_result *out, enum scenario_play_status status,
          size_t step, const char *fmt, ...)
{
	va_list ap;

	out->status = status;
	out->step = step;
	out->outcome = NULL;
	va_start(ap, fmt);
	vsnprintf(out->error, sizeof(out->error), fmt, ap);
	va_end(ap);
	return -1;
}

int
scenario_play(const json_t *doc, const int *choices, size_t n,
              struct scenario_play_result *out)
{
	const json_t *nodes, *node, *list, *c, *next, *score, *outcome;
	const char   *id;
	size_t        i, size;
	json_int_t    s;

	memset(out, 0, sizeof(*out));
	out->status = SCENARIO_PLAY_OK;
	if (n > SCENARIO_PLAY_STEPS_MAX)
		return play_fail(
		    out, SCENARIO_PLAY_TOO_LONG, SCENARIO_PLAY_STEPS_MAX,
		    "Te veel keuzes: een poging heeft er hoogstens "
		    "%d.",
		    SCENARIO_PLAY_STEPS_MAX);
	nodes = json_object_get(doc, "nodes");
	id = json_string_value(json_object_get(doc, "start"));
	if (!json_is_object(nodes) || id == NULL)
		goto bad_doc;

	out->path = scenario_xmalloc(n + 1, sizeof(*out->path));
	for (i = 0;; i++) {
		node = json_object_get(nodes, id);
		if (!json_is_object(node))
			goto bad_doc;
		out->path[out->n_path++] = id;
		list = json_object_get(node, "choices");
		if (list != NULL && !json_is_array(list))
			goto bad_doc;
		size = json_array_size(list);
		if (size == 0) {
			outcome = json_object_get(node, "outcome");
			if (!json_is_string(outcome))
				goto bad_doc;
			if (i < n)
				return play_fail(
				    out, SCENARIO_PLAY_PAST_END, i,
				    "Het gesprek was na %zu keuzes al "
				    "afgelopen; daarna kun je niet meer "
				    "kiezen.",
				    i);
			out->outcome = json_string_value(outcome);
			return 0;
		}
		if (i == n)
			return play_fail(
			    out, SCENARIO_PLAY_NOT_FINISHED, i,
			    "Het gesprek is nog niet afgelopen: na "
			    "%zu keuzes is er geen eindpunt "
			    "bereikt.",
			    i);
		if (choices[i] < 0 || (size_t)choices[i] >= size)
			return play_fail(
			    out, SCENARIO_PLAY_BAD_INDEX, i,
			    "Bij stap %zu bestaat keuze %d niet; er "
			    "zijn %zu keuzes (0 tot en met %zu).",
			    i + 1, choices[i], size, size - 1);
		c = json_array_get(list, (size_t)choices[i]);
		next = json_object_get(c, "next");
		score = json_object_get(c, "score");
		if (!json_is_string(next) || !json_is_integer(score))
			goto bad_doc;
		s = json_integer_value(score);
		if (s < SCENARIO_SCORE_MIN || s > SCENARIO_SCORE_MAX)
			goto bad_doc;
		/* At most 1000 steps of +-100: no overflow. */
		out->score += (int)s;
		id = json_string_value(next);
	}

bad_doc:
	return play_fail(out, SCENARIO_PLAY_BAD_DOC, out->n_path,
	                 "Dit scenario is niet geldig en kan niet worden "
	                 "gespeeld.");
}

void
scenario_play_result_free(struct scenario_play_result *r)
{
	if (r == NULL)
		return;
	free(r->path);
	r->path = NULL;
	r->n_path = 0;
}

json_t *
scenario_play_result_json(const struct scenario_play_result *r)
{
	json_t *obj, *path;
	size_t  i;

	obj = json_object();
	path = json_array();
	if (obj == NULL || path == NULL)
		scenario_oom();
	for (i = 0; i < r->n_path; i++)
		if (json_array_append_new(path, json_string(r->path[i])) != 0)
			scenario_oom();
	jset(obj, "score", json_integer(r->score));
	jset(obj, "outcome",
	     r->outcome != NULL ? json_string(r->outcome) : json_null());
	jset(obj, "path", path);
	return obj;
}

/* The message below names the range. */
_Static_assert(SCENARIO_CHOICES_MAX == 10, "update the choices message");

int
scenario_choices_from_json(const json_t *arr, int *buf, size_t cap, size_t *n,
                           const char **problem)
{
	size_t        i;
	const json_t *v;
	json_int_t    k;

	*n = 0;
	if (!json_is_array(arr)) {
		*problem = "\"choices\" moet een lijst met keuzenummers zijn.";
		return -1;
	}
	if (json_array_size(arr) > cap) {
		*problem = "\"choices\" heeft te veel keuzes.";
		return -1;
	}
	for (i = 0; i < json_array_size(arr); i++) {
		v = json_array_get(arr, i);
		if (!json_is_integer(v)) {
			*problem = "Elke keuze moet een geheel getal zijn.";
			return -1;
		}
		k = json_integer_value(v);
		if (k < 0 || k >= SCENARIO_CHOICES_MAX) {
			*problem = "Een keuzenummer moet van 0 tot en met 9 "
			           "zijn.";
			return -1;
		}
		buf[i] = (int)k;
	}
	*n = json_array_size(arr);
	return 0;
}
