/* Role-play scenarios, part 2 of 3: check a parsed document against every
 * rule of docs/scenario-format.md. */

/*
 * A scenario is one JSON object whose "nodes" form a directed graph: each
 * choice of a node points at the next node, and a node without choices ends
 * the conversation.  Validation runs in three passes:
 *
 *  1. the top-level fields;
 *  2. every node and choice, in document order, collecting the edges;
 *  3. the graph: a walk forward from "start" marks what can be reached, and
 *     a walk backward from the end nodes marks what can still finish.
 *
 * Both walks use an explicit stack sized to the node count, so a long chain
 * or a deep cycle cannot exhaust the C stack.  Every problem becomes one
 * error with a JSON pointer (RFC 6901: "~" is written "~0" and "/" is "~1"
 * in a key) and a Dutch message for the trainer.  The pass goes on after an
 * error wherever the rest still makes sense, so that one upload shows every
 * problem.  The graph pass keeps one mistake from cascading: a node whose
 * choices could not be read, or that has a choice pointing nowhere, counts
 * as if it could finish, and unreachable nodes are only reported once every
 * choice points at an existing node.
 *
 * Output size stays bounded by the input: a node id longer than
 * SCENARIO_ID_MAX gets one error and its contents are skipped (otherwise
 * every error inside it would repeat the long id in its path), and strings
 * quoted inside messages are cut to DISPLAY_MAX characters.
 *
 * jansson only hands out valid UTF-8 from its parser, but a document built
 * in code (json_string_nocheck) need not be; such bytes are replaced by
 * U+FFFD in paths and messages so the error list can always be encoded.
 *
 * Allocation failure aborts, as everywhere in the worker.
 */
#include "scenario.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain.h"
#include "json.h"
#include "scenario_impl.h"

#define SUGGEST_MAX 32 /* longest unknown key we look for a typo in */
#define ID_BYTES_MAX 256

/* Text kinds: a title is one line, the others may span lines. */
enum {
	TEXT_LINE,
	TEXT_MULTILINE,
};

/* What pass 2 learnt about one node, for the graph pass. */
struct node_info {
	const char   *id;
	const json_t *node;
	char         *ptr;        /* "/nodes/<escaped id>" */
	size_t        first_edge; /* into edges[] */
	size_t        n_edges;
	bool          is_end;   /* no choices, or an empty array */
	bool          broken;   /* not an object, choices not a list, long id */
	bool          dangling; /* a choice whose target is unknown */
	bool          reached;  /* from start */
	bool          can_end;  /* some end node is reachable from here */
};

/* Node ids sorted for lookup by name. */
struct node_key {
	const char *id;
	size_t      index;
};

struct graph {
	struct node_info *nodes;
	size_t            n;
	struct node_key  *keys; /* sorted by id */
	size_t           *edges;
	size_t            n_edges, cap_edges;
};

static const char *type_name(const json_t *v);
static size_t      edit_distance(const char *a, const char *b);
static const char *suggest(const char *key, const char *const *allowed);
static void        check_keys(struct errlist *errs, const json_t *obj,
                              const char *base, const char *const *allowed);
static const char *get_text(struct errlist *errs, const json_t *obj,
                            const char *base, const char *key, size_t max,
                            int kind);
static bool get_int(struct errlist *errs, const json_t *obj, const char *base,
                    const char *key, int min, int max, bool required);
static void check_audience(struct errlist *errs, const json_t *doc);
static int  cmp_keys(const void *a, const void *b);
static struct node_info *graph_find(const struct graph *g, const char *id);
static void              graph_add_edge(struct graph *g, size_t to);
static void              check_choice(struct errlist *errs, struct graph *g,
                                      struct node_info *ni, const json_t *c,
                                      const char *base);
static void              check_node(struct errlist *errs, struct graph *g,
                                    struct node_info *ni);
static void walk_forward(struct graph *g, size_t start, size_t *stack);
static void walk_backward(struct graph *g, size_t *stack);
static void check_graph(struct errlist *errs, struct graph *g,
                        const struct node_info *start);
static void graph_free(struct graph *g);

/* Keys allowed in each kind of object; anything else is a typo. */
static const char *const doc_keys[] = {
    "title", "summary", "audience", "start", "nodes", NULL,
};
static const char *const node_keys[] = {
    "speaker", "text", "media", "meldcode_step", "choices", "outcome", NULL,
};
static const char *const choice_keys[] = {
    "text", "next", "feedback", "score", NULL,
};

/* The JSON type of v, in Dutch, for "nu: ..." in messages. */
static const char *
type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "een object";
	case JSON_ARRAY:
		return "een lijst";
	case JSON_STRING:
		return "een tekst";
	case JSON_INTEGER:
		return "een geheel getal";
	case JSON_REAL:
		return "een kommagetal";
	case JSON_TRUE:
	case JSON_FALSE:
		return "true/false";
	case JSON_NULL:
		return "null";
	}
	return "onbekend";
}

/* Levenshtein distance, ignoring ASCII case; both at most SUGGEST_MAX. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t row[SUGGEST_MAX + 1], la = strlen(a), lb = strlen(b);
	size_t i, j, diag, up, best;

	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			best =
			    diag +
			    (((a[i - 1] | 0x20) == (b[j - 1] | 0x20)) ? 0 : 1);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* The allowed key that `key` is most likely a typo of, or NULL. */
static const char *
suggest(const char *key, const char *const *allowed)
{
	const char *best = NULL;
	size_t      d, best_d = 3; /* at most two edits */

	if (strlen(key) > SUGGEST_MAX)
		return NULL;
	for (; *allowed != NULL; allowed++) {
		d = edit_distance(key, *allowed);
		if (d < best_d) {
			best_d = d;
			best = *allowed;
		}
	}
	return best;
}

static void
check_keys(struct errlist *errs, const json_t *obj, const char *base,
           const char *const *allowed)
{
	const char        *key, *hint;
	const char *const *a;
	void              *it;
	char              *shown;

	for (it = json_object_iter((json_t *)obj); it != NULL;
	     it = json_object_iter_next((json_t *)obj, it)) {
		key = json_object_iter_key(it);
		for (a = allowed; *a != NULL; a++)
			if (strcmp(key, *a) == 0)
				break;
		if (*a != NULL)
			continue;
		shown = scenario_display(key, SCENARIO_DISPLAY_MAX);
		hint = suggest(key, allowed);
		if (hint != NULL)
			scenario_err(errs, base, key, 0, 0,
			             "Onbekend veld \"%s\". Bedoel je \"%s\"?",
			             shown, hint);
		else
			scenario_err(
			    errs, base, key, 0, 0,
			    "Onbekend veld \"%s\". Dit veld hoort hier niet.",
			    shown);
		free(shown);
	}
}

/*
 * Checks required text field obj[key] and returns it, or NULL after
 * reporting the first problem: missing, not a string, invalid UTF-8 or NUL,
 * a line break in a one-line field, another control character, blank, or
 * longer than max characters.
 */
static const char *
get_text(struct errlist *errs, const json_t *obj, const char *base,
         const char *key, size_t max, int kind)
{
	const json_t        *v = json_object_get(obj, key);
	const unsigned char *p;
	const char          *s;
	size_t               len, chars;
	bool                 blank = true;

	if (v == NULL) {
		scenario_err(errs, base, key, 0, 0,
		             "Het veld \"%s\" ontbreekt.", key);
		return NULL;
	}
	if (!json_is_string(v)) {
		scenario_err(errs, base, key, 0, 0,
		             "Moet een tekst zijn (nu: %s).", type_name(v));
		return NULL;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	if (!json_utf8_valid(s, len)) {
		scenario_err(errs, base, key, 0, 0,
		             "Bevat ongeldige UTF-8 of een NUL-teken.");
		return NULL;
	}
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r') {
			if (kind == TEXT_LINE) {
				scenario_err(errs, base, key, 0, 0,
				             "Moet op één regel staan, zonder "
				             "regeleinde.");
				return NULL;
			}
		} else if ((*p < 0x20 && *p != '\t') || *p == 0x7F) {
			scenario_err(
			    errs, base, key, 0, 0,
			    "Bevat het stuurteken 0x%02x; dat mag niet.", *p);
			return NULL;
		}
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			blank = false;
	}
	if (blank) {
		scenario_err(errs, base, key, 0, 0, "Mag niet leeg zijn.");
		return NULL;
	}
	chars = json_utf8_chars(s);
	if (chars > max) {
		scenario_err(errs, base, key, 0, 0,
		             "Is %zu tekens lang; de grens is %zu.", chars,
		             max);
		return NULL;
	}
	return s;
}

/*
 * Checks integer field obj[key] in [min, max].  Returns true when it is
 * there and right; false when it is absent (reported only when required)
 * or wrong (always reported).
 */
static bool
get_int(struct errlist *errs, const json_t *obj, const char *base,
        const char *key, int min, int max, bool required)
{
	const json_t *v = json_object_get(obj, key);
	json_int_t    n;

	if (v == NULL) {
		if (required)
			scenario_err(errs, base, key, 0, 0,
			             "Het veld \"%s\" ontbreekt.", key);
		return false;
	}
	if (!json_is_integer(v)) {
		scenario_err(errs, base, key, 0, 0,
		             "Moet een geheel getal van %d tot en met %d zijn "
		             "(nu: %s).",
		             min, max, type_name(v));
		return false;
	}
	n = json_integer_value(v);
	if (n < min || n > max) {
		scenario_err(errs, base, key, 0, 0,
		             "Moet een geheel getal van %d tot en met %d zijn "
		             "(nu: %lld).",
		             min, max, (long long)n);
		return false;
	}
	return true;
}

static void
check_audience(struct errlist *errs, const json_t *doc)
{
	const struct domain_list *roles = &domain_learner_roles;
	const struct domain_item *role;
	const json_t             *arr = json_object_get(doc, "audience"), *v;
	size_t                    i, r, seen[2] = {SIZE_MAX, SIZE_MAX};
	char                     *base;

	if (arr == NULL) {
		scenario_err(errs, "", "audience", 0, 0,
		             "Het veld \"audience\" ontbreekt.");
		return;
	}
	if (!json_is_array(arr)) {
		scenario_err(errs, "", "audience", 0, 0,
		             "Moet een lijst zijn, zoals [\"teacher\", \"ib\"] "
		             "(nu: %s).",
		             type_name(arr));
		return;
	}
	if (json_array_size(arr) == 0) {
		scenario_err(
		    errs, "", "audience", 0, 0,
		    "Kies minstens één doelgroep: \"teacher\", \"ib\" of "
		    "allebei.");
		return;
	}
	for (i = 0; i < json_array_size(arr); i++) {
		v = json_array_get(arr, i);
		role = domain_find(roles, json_string_value(v));
		r = role != NULL ? (size_t)(role - roles->items) : 0;
		base = errlist_ptr_index("/audience", i);
		if (role == NULL)
			scenario_err(errs, base, NULL, 0, 0,
			             "Moet \"teacher\" of \"ib\" zijn.");
		else if (seen[r] != SIZE_MAX)
			scenario_err(errs, base, NULL, 0, 0,
			             "\"%s\" staat al op plaats %zu.",
			             role->code, seen[r]);
		else
			seen[r] = i;
		free(base);
	}
}

static int
cmp_keys(const void *a, const void *b)
{
	return strcmp(((const struct node_key *)a)->id,
	              ((const struct node_key *)b)->id);
}

static struct node_info *
graph_find(const struct graph *g, const char *id)
{
	struct node_key  probe = {id, 0};
	struct node_key *k;

	if (g->n == 0)
		return NULL;
	k = bsearch(&probe, g->keys, g->n, sizeof(*g->keys), cmp_keys);
	return k == NULL ? NULL : &g->nodes[k->index];
}

static void
graph_add_edge(struct graph *g, size_t to)
{
	if (g->n_edges == g->cap_edges) {
		g->cap_edges = g->cap_edges == 0 ? 64 : 2 * g->cap_edges;
		g->edges = scenario_xrealloc(g->edges, g->cap_edges,
		                             sizeof(*g->edges));
	}
	g->edges[g->n_edges++] = to;
}

/* One choice of node ni; base is its pointer. */
static void
check_choice(struct errlist *errs, struct graph *g, struct node_info *ni,
             const json_t *c, const char *base)
{
	const json_t     *next;
	struct node_info *to;
	char             *shown;

	if (!json_is_object(c)) {
		scenario_err(errs, base, NULL, 0, 0,
		             "Een keuze moet een object zijn met \"text\", "
		             "\"next\", \"feedback\" en \"score\" (nu: %s).",
		             type_name(c));
		ni->dangling = true;
		return;
	}
	check_keys(errs, c, base, choice_keys);
	get_text(errs, c, base, "text", SCENARIO_TEXT_MAX, TEXT_MULTILINE);

	next = json_object_get(c, "next");
	to = NULL;
	if (next == NULL)
		scenario_err(errs, base, "next", 0, 0,
		             "Het veld \"next\" ontbreekt: naar welk knooppunt "
		             "leidt deze keuze?");
	else if (!json_is_string(next))
		scenario_err(errs, base, "next", 0, 0,
		             "Moet de naam van een knooppunt zijn (nu: %s).",
		             type_name(next));
	else if ((to = graph_find(g, json_string_value(next))) == NULL) {
		shown = scenario_display(json_string_value(next),
		                         SCENARIO_DISPLAY_MAX);
		scenario_err(errs, base, "next", 0, 0,
		             "Er is geen knooppunt \"%s\".", shown);
		free(shown);
	}
	if (to != NULL)
		graph_add_edge(g, (size_t)(to - g->nodes));
	else
		ni->dangling = true;

	get_text(errs, c, base, "feedback", SCENARIO_TEXT_MAX, TEXT_MULTILINE);
	get_int(errs, c, base, "score", SCENARIO_SCORE_MIN, SCENARIO_SCORE_MAX,
	        true);
}

static void
check_node(struct errlist *errs, struct graph *g, struct node_info *ni)
{
	const json_t *node = ni->node, *media, *choices, *c;
	size_t        chars, i, n_choices;
	char         *list, *base;

	chars = json_utf8_chars(ni->id);
	if (chars > SCENARIO_ID_MAX || strlen(ni->id) > ID_BYTES_MAX) {
		scenario_err(
		    errs, ni->ptr, NULL, 0, 0,
		    "De naam van dit knooppunt is %zu tekens lang; de "
		    "grens is %d. De inhoud wordt pas gecontroleerd als "
		    "de naam klopt.",
		    chars, SCENARIO_ID_MAX);
		ni->broken = true;
		return;
	}
	if (!scenario_valid_node_id(ni->id))
		scenario_err(
		    errs, ni->ptr, NULL, 0, 0,
		    "Ongeldige naam voor een knooppunt: gebruik 1 tot %d "
		    "letters (a-z, A-Z), cijfers, \"-\" of \"_\".",
		    SCENARIO_ID_MAX);
	if (!json_is_object(node)) {
		scenario_err(
		    errs, ni->ptr, NULL, 0, 0,
		    "Een knooppunt moet een object zijn met \"speaker\", "
		    "\"text\" en \"choices\" of \"outcome\" (nu: %s).",
		    type_name(node));
		ni->broken = true;
		return;
	}
	check_keys(errs, node, ni->ptr, node_keys);
	get_text(errs, node, ni->ptr, "speaker", SCENARIO_SPEAKER_MAX,
	         TEXT_LINE);
	get_text(errs, node, ni->ptr, "text", SCENARIO_TEXT_MAX,
	         TEXT_MULTILINE);

	media = json_object_get(node, "media");
	if (media != NULL && !json_is_string(media))
		scenario_err(errs, ni->ptr, "media", 0, 0,
		             "Moet een media-id zijn (nu: %s).",
		             type_name(media));
	else if (media != NULL &&
	         !scenario_valid_media_id(json_string_value(media)))
		scenario_err(
		    errs, ni->ptr, "media", 0, 0,
		    "Ongeldig media-id: 1 tot %d tekens, letters, cijfers, "
		    "\".\", \"-\" of \"_\", beginnend met een letter of "
		    "cijfer. Gebruik het media_id dat je bij het "
		    "uploaden kreeg.",
		    SCENARIO_MEDIA_MAX);

	get_int(errs, node, ni->ptr, "meldcode_step", 1,
	        SCENARIO_MELDCODE_STEPS, false);

	ni->first_edge = g->n_edges;
	choices = json_object_get(node, "choices");
	if (choices != NULL && !json_is_array(choices)) {
		scenario_err(errs, ni->ptr, "choices", 0, 0,
		             "Moet een lijst van keuzes zijn (nu: %s).",
		             type_name(choices));
		ni->broken = true;
		return;
	}
	n_choices = choices == NULL ? 0 : json_array_size(choices);
	if (n_choices > SCENARIO_CHOICES_MAX)
		scenario_err(errs, ni->ptr, "choices", 0, 0,
		             "Heeft %zu keuzes; het maximum is %d.", n_choices,
		             SCENARIO_CHOICES_MAX);
	list = errlist_ptr_child(ni->ptr, "choices");
	for (i = 0; i < n_choices; i++) {
		c = json_array_get(choices, i);
		base = errlist_ptr_index(list, i);
		check_choice(errs, g, ni, c, base);
		free(base);
	}
	free(list);
	ni->n_edges = g->n_edges - ni->first_edge;

	ni->is_end = n_choices == 0;
	if (ni->is_end && json_object_get(node, "outcome") == NULL)
		scenario_err(
		    errs, ni->ptr, "outcome", 0, 0,
		    "Het veld \"outcome\" ontbreekt. Een eindpunt (een "
		    "knooppunt zonder keuzes) vertelt hoe het gesprek "
		    "afliep.");
	else if (ni->is_end)
		get_text(errs, node, ni->ptr, "outcome", SCENARIO_TEXT_MAX,
		         TEXT_MULTILINE);
	else if (json_object_get(node, "outcome") != NULL)
		scenario_err(
		    errs, ni->ptr, "outcome", 0, 0,
		    "Alleen een eindpunt (een knooppunt zonder keuzes) "
		    "heeft een \"outcome\". Haal de keuzes of de "
		    "\"outcome\" weg.");
}

/* Marks every node reachable from `start` along known edges. */
static void
walk_forward(struct graph *g, size_t start, size_t *stack)
{
	size_t            top = 0, e, to;
	struct node_info *ni;

	g->nodes[start].reached = true;
	stack[top++] = start;
	while (top > 0) {
		ni = &g->nodes[stack[--top]];
		for (e = ni->first_edge; e < ni->first_edge + ni->n_edges;
		     e++) {
			to = g->edges[e];
			if (!g->nodes[to].reached) {
				g->nodes[to].reached = true;
				stack[top++] = to;
			}
		}
	}
}

/*
 * Marks every node from which an end node can be reached, walking the
 * edges backwards from the end nodes.  Broken nodes and nodes with an
 * unknown target count as ends here: their problem is reported already.
 */
static void
walk_backward(struct graph *g, size_t *stack)
{
	size_t *in_first, *in_from, top = 0, i, e, k, from;

	/* Incoming edges per node, in compressed rows: in_from[in_first[i]
	 * .. in_first[i + 1]) are the nodes with an edge to node i. */
	in_first = scenario_xmalloc(g->n + 1, sizeof(*in_first));
	in_from = scenario_xmalloc(g->n_edges, sizeof(*in_from));
	memset(in_first, 0, (g->n + 1) * sizeof(*in_first));
	for (e = 0; e < g->n_edges; e++)
		in_first[g->edges[e] + 1]++;
	for (i = 0; i < g->n; i++)
		in_first[i + 1] += in_first[i];
	for (i = 0; i < g->n; i++) {
		for (e = g->nodes[i].first_edge;
		     e < g->nodes[i].first_edge + g->nodes[i].n_edges; e++) {
			/* in_first[t] is advanced as a cursor, then restored
			 * below by shifting. */
			in_from[in_first[g->edges[e]]++] = i;
		}
	}
	for (i = g->n; i > 0; i--)
		in_first[i] = in_first[i - 1];
	in_first[0] = 0;

	for (i = 0; i < g->n; i++) {
		struct node_info *ni = &g->nodes[i];

		if (ni->is_end || ni->broken || ni->dangling) {
			ni->can_end = true;
			stack[top++] = i;
		}
	}
	while (top > 0) {
		i = stack[--top];
		for (k = in_first[i]; k < in_first[i + 1]; k++) {
			from = in_from[k];
			if (!g->nodes[from].can_end) {
				g->nodes[from].can_end = true;
				stack[top++] = from;
			}
		}
	}
	free(in_first);
	free(in_from);
}

static void
check_graph(struct errlist *errs, struct graph *g,
            const struct node_info *start)
{
	size_t           *stack, i;
	struct node_info *ni;

	/*
	 * While a choice points nowhere or a node could not be read, the real
	 * edges are unknown, and "unreachable" would mostly repeat that
	 * mistake for every node behind it.  So reachability is only judged
	 * once every choice has a known target.
	 */
	for (i = 0; start != NULL && i < g->n; i++)
		if (g->nodes[i].broken || g->nodes[i].dangling)
			start = NULL;

	/* Each node is pushed at most once per walk. */
	stack = scenario_xmalloc(g->n, sizeof(*stack));
	if (start != NULL)
		walk_forward(g, (size_t)(start - g->nodes), stack);
	walk_backward(g, stack);
	free(stack);

	for (i = 0; i < g->n; i++) {
		ni = &g->nodes[i];
		if (ni->broken)
			continue;
		if (start != NULL && !ni->reached)
			scenario_err(
			    errs, ni->ptr, NULL, 0, 0,
			    "Dit knooppunt is vanaf het begin (\"start\") "
			    "niet te bereiken: geen enkele keuze leidt "
			    "hierheen.");
		if (!ni->can_end)
			scenario_err(
			    errs, ni->ptr, NULL, 0, 0,
			    "Vanaf dit knooppunt is geen einde te bereiken: "
			    "de keuzes blijven rondgaan. Geef minstens "
			    "één keuze een uitweg naar een eindpunt.");
	}
}

static void
graph_free(struct graph *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->nodes[i].ptr);
	free(g->nodes);
	free(g->keys);
	free(g->edges);
	memset(g, 0, sizeof(*g));
}

int
scenario_validate(const json_t *doc, struct errlist *errs)
{
	size_t            before = errlist_total(errs), i;
	const json_t     *nodes, *start, *v;
	const char       *id;
	struct graph      g;
	struct node_info *start_node = NULL;
	void             *it;
	char             *shown;

	memset(&g, 0, sizeof(g));
	if (!json_is_object(doc)) {
		scenario_err(
		    errs, "", NULL, 0, 0,
		    "Een scenario moet een JSON-object zijn: { ... }.");
		return -1;
	}
	check_keys(errs, doc, "", doc_keys);
	get_text(errs, doc, "", "title", SCENARIO_TITLE_MAX, TEXT_LINE);
	get_text(errs, doc, "", "summary", SCENARIO_TEXT_MAX, TEXT_MULTILINE);
	check_audience(errs, doc);

	start = json_object_get(doc, "start");
	if (start == NULL)
		scenario_err(errs, "", "start", 0, 0,
		             "Het veld \"start\" ontbreekt: met welk knooppunt "
		             "begint het gesprek?");
	else if (!json_is_string(start))
		scenario_err(errs, "", "start", 0, 0,
		             "Moet de naam van een knooppunt zijn (nu: %s).",
		             type_name(start));

	nodes = json_object_get(doc, "nodes");
	if (nodes == NULL) {
		scenario_err(errs, "", "nodes", 0, 0,
		             "Het veld \"nodes\" ontbreekt.");
		goto out;
	}
	if (!json_is_object(nodes)) {
		scenario_err(errs, "", "nodes", 0, 0,
		             "Moet een object zijn met de knooppunten op naam "
		             "(nu: %s).",
		             type_name(nodes));
		goto out;
	}
	g.n = json_object_size(nodes);
	if (g.n == 0) {
		scenario_err(errs, "", "nodes", 0, 0,
		             "Er zijn geen knooppunten; een scenario heeft er "
		             "minstens één nodig.");
		goto out;
	}
	if (g.n > SCENARIO_NODES_MAX)
		scenario_err(errs, "", "nodes", 0, 0,
		             "Er zijn %zu knooppunten; het maximum is %d.", g.n,
		             SCENARIO_NODES_MAX);

	/* Pass 1 over the nodes: names, so that "next" can be looked up. */
	g.nodes = scenario_xmalloc(g.n, sizeof(*g.nodes));
	g.keys = scenario_xmalloc(g.n, sizeof(*g.keys));
	i = 0;
	for (it = json_object_iter((json_t *)nodes); it != NULL;
	     it = json_object_iter_next((json_t *)nodes, it)) {
		id = json_object_iter_key(it);
		v = json_object_iter_value(it);
		memset(&g.nodes[i], 0, sizeof(g.nodes[i]));
		g.nodes[i].id = id;
		g.nodes[i].node = v;
		g.nodes[i].ptr = errlist_ptr_child("/nodes", id);
		g.keys[i].id = id;
		g.keys[i].index = i;
		i++;
	}
	qsort(g.keys, g.n, sizeof(*g.keys), cmp_keys);

	if (json_is_string(start)) {
		start_node = graph_find(&g, json_string_value(start));
		if (start_node == NULL) {
			shown = scenario_display(json_string_value(start),
			                         SCENARIO_DISPLAY_MAX);
			scenario_err(errs, "", "start", 0, 0,
			             "Er is geen knooppunt \"%s\".", shown);
			free(shown);
		}
	}

	/* Pass 2: every node and choice, in document order. */
	for (i = 0; i < g.n; i++)
		check_node(errs, &g, &g.nodes[i]);

	/* Pass 3: the graph.  Reachability needs a start that exists. */
	check_graph(errs, &g, start_node);

out:
	graph_free(&g);
	return errlist_total(errs) > before ? -1 : 0;
}

bool
scenario_valid_node_id(const char *s)
{
	size_t n;

	for (n = 0; s[n] != '\0'; n++) {
		if (n >= SCENARIO_ID_MAX)
			return false;
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		      (s[n] >= 'A' && s[n] <= 'Z') ||
		      (s[n] >= '0' && s[n] <= '9') || s[n] == '_' ||
		      s[n] == '-'))
			return false;
	}
	return n > 0;
}

bool
scenario_valid_media_id(const char *s)
{
	size_t n;
	bool   alnum;

	for (n = 0; s[n] != '\0'; n++) {
		if (n >= SCENARIO_MEDIA_MAX)
			return false;
		alnum = (s[n] >= 'a' && s[n] <= 'z') ||
		        (s[n] >= 'A' && s[n] <= 'Z') ||
		        (s[n] >= '0' && s[n] <= '9');
		if (!alnum &&
		    (n == 0 || (s[n] != '.' && s[n] != '_' && s[n] != '-')))
			return false;
	}
	return n > 0;
}
