/* Unit tests for scenario.c: every validation rule, parsing, playing. */

/*
 * Most validation cases start from base_doc (a small valid scenario), apply
 * up to three edits given as JSON pointers, and list the exact paths that
 * must be reported, in order, each with a piece of its message.  Cases that
 * need large or odd values (long texts, 501 nodes, invalid UTF-8 that the
 * parser would refuse) build them in code.  The shipped examples in
 * $TEST_CONTENT_DIR/scenarios (default content/scenarios, so run from the
 * repository root) must validate too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

static const char base_doc[] =
    "{"
    " \"title\": \"Testgesprek\","
    " \"summary\": \"Een klein scenario voor de tests.\","
    " \"audience\": [\"teacher\", \"ib\"],"
    " \"start\": \"n1\","
    " \"nodes\": {"
    "  \"n1\": {\"speaker\": \"Ouder\", \"text\": \"Goedemorgen.\","
    "   \"meldcode_step\": 1,"
    "   \"media\": \"0123456789abcdef0123456789abcdef"
    "0123456789abcdef0123456789abcdef\","
    "   \"choices\": ["
    "    {\"text\": \"Groet terug\", \"next\": \"n2\","
    "     \"feedback\": \"Goed.\", \"score\": 10},"
    "    {\"text\": \"Negeer\", \"next\": \"n3\","
    "     \"feedback\": \"Niet goed.\", \"score\": -10}]},"
    "  \"n2\": {\"speaker\": \"Ouder\", \"text\": \"Fijn.\", \"choices\": ["
    "    {\"text\": \"Verder\", \"next\": \"end_good\","
    "     \"feedback\": \"Prima.\", \"score\": 5}]},"
    "  \"n3\": {\"speaker\": \"Ouder\", \"text\": \"Hm.\", \"choices\": ["
    "    {\"text\": \"Toch groeten\", \"next\": \"n2\","
    "     \"feedback\": \"Beter.\", \"score\": 0},"
    "    {\"text\": \"Weglopen\", \"next\": \"end_bad\","
    "     \"feedback\": \"Jammer.\", \"score\": -5}]},"
    "  \"end_good\": {\"speaker\": \"Verteller\", \"text\": \"Einde.\","
    "   \"outcome\": \"Goed afgelopen.\"},"
    "  \"end_bad\": {\"speaker\": \"Verteller\", \"text\": \"Einde.\","
    "   \"choices\": [], \"outcome\": \"Minder goed.\"}"
    " }"
    "}";

/* A choice to n2, for building long choice lists. */
#define CH "{\"text\":\"t\",\"next\":\"n2\",\"feedback\":\"f\",\"score\":0}"
/* A node that ends the conversation. */
#define END "{\"speaker\":\"V\",\"text\":\"Einde.\",\"outcome\":\"Klaar.\"}"
/* A node with one choice, to end_good. */
#define VIA                                                                    \
	"{\"speaker\":\"A\",\"text\":\"t\",\"choices\":[{\"text\":\"t\","      \
	"\"next\":\"end_good\",\"feedback\":\"f\",\"score\":0}]}"

/* Sets the value at a JSON pointer (json NULL: removes it). */
struct edit {
	const char *ptr;
	const char *json;
};

#define MAX_EXPECT 6

struct vcase {
	const char *name;
	struct edit edits[3];
	const char *paths[MAX_EXPECT]; /* exactly these, in this order */
	const char *msgs[MAX_EXPECT];  /* substring of the message, or NULL */
};

/* One case per rule; keep in step with docs/scenario-format.md. */
static const struct vcase vcases[] = {
    {"valid", {{NULL, NULL}}, {NULL}, {NULL}},
    {"meldcode_step and media are optional",
     {{"/nodes/n1/meldcode_step", NULL}, {"/nodes/n1/media", NULL}},
     {NULL},
     {NULL}},
    {"end node may omit choices or give []",
     {{"/nodes/end_good/choices", "[]"}},
     {NULL},
     {NULL}},
    {"cycle with an exit is fine",
     {{"/nodes/n3/choices/0/next", "\"n1\""}},
     {NULL},
     {NULL}},
    {"self-loop with an exit is fine",
     {{"/nodes/n3/choices/0/next", "\"n3\""}},
     {NULL},
     {NULL}},
    {"one end node is a whole scenario",
     {{"/nodes", "{\"n1\":" END "}"}},
     {NULL},
     {NULL}},

    /* The document. */
    {"document not an object",
     {{"", "[1, 2]"}},
     {""},
     {"moet een JSON-object zijn"}},
    {"unknown top-level key",
     {{"/titel", "\"x\""}},
     {"/titel"},
     {"Onbekend veld \"titel\". Bedoel je \"title\"?"}},
    {"unknown key without a near match",
     {{"/version", "2"}},
     {"/version"},
     {"Onbekend veld \"version\". Dit veld hoort hier niet."}},

    /* title and summary. */
    {"title missing",
     {{"/title", NULL}},
     {"/title"},
     {"Het veld \"title\" ontbreekt."}},
    {"title not a string",
     {{"/title", "12"}},
     {"/title"},
     {"Moet een tekst zijn (nu: een geheel getal)."}},
    {"title null", {{"/title", "null"}}, {"/title"}, {"(nu: null)"}},
    {"title with a line break",
     {{"/title", "\"een\\ntwee\""}},
     {"/title"},
     {"op één regel"}},
    {"title blank",
     {{"/title", "\" \\t \""}},
     {"/title"},
     {"Mag niet leeg zijn."}},
    {"summary missing", {{"/summary", NULL}}, {"/summary"}, {"ontbreekt"}},
    {"summary empty",
     {{"/summary", "\"\""}},
     {"/summary"},
     {"Mag niet leeg zijn."}},
    {"summary may span lines",
     {{"/summary", "\"een\\r\\ntwee\\n\\tdrie\""}},
     {NULL},
     {NULL}},
    {"summary with a control character",
     {{"/summary", "\"bel\\u0007\""}},
     {"/summary"},
     {"stuurteken 0x07"}},
    {"DEL is a control character",
     {{"/nodes/n1/text", "\"x\\u007f\""}},
     {"/nodes/n1/text"},
     {"stuurteken 0x7f"}},

    /* audience. */
    {"audience missing", {{"/audience", NULL}}, {"/audience"}, {"ontbreekt"}},
    {"audience not a list",
     {{"/audience", "\"teacher\""}},
     {"/audience"},
     {"Moet een lijst zijn"}},
    {"audience empty",
     {{"/audience", "[]"}},
     {"/audience"},
     {"minstens één doelgroep"}},
    {"audience unknown role",
     {{"/audience", "[\"teacher\", \"parent\", 3]"}},
     {"/audience/1", "/audience/2"},
     {"Moet \"teacher\" of \"ib\" zijn.", "\"teacher\" of \"ib\""}},
    {"audience duplicate",
     {{"/audience", "[\"ib\", \"teacher\", \"ib\"]"}},
     {"/audience/2"},
     {"\"ib\" staat al op plaats 0."}},
    {"audience one role", {{"/audience", "[\"ib\"]"}}, {NULL}, {NULL}},

    /* start. */
    {"start missing",
     {{"/start", NULL}},
     {"/start"},
     {"Het veld \"start\" ontbreekt"}},
    {"start not a string",
     {{"/start", "1"}},
     {"/start"},
     {"naam van een knooppunt"}},
    {"start unknown",
     {{"/start", "\"begin\""}},
     {"/start"},
     {"Er is geen knooppunt \"begin\"."}},

    /* nodes. */
    {"nodes missing",
     {{"/nodes", NULL}},
     {"/nodes"},
     {"Het veld \"nodes\" ontbreekt."}},
    {"nodes not an object",
     {{"/nodes", "[]"}},
     {"/nodes"},
     {"Moet een object zijn"}},
    {"nodes empty", {{"/nodes", "{}"}}, {"/nodes"}, {"geen knooppunten"}},
    {"node not an object",
     {{"/nodes/n2", "\"Fijn.\""}},
     {"/nodes/n2"},
     {"Een knooppunt moet een object zijn"}},
    {"node id with bad characters, escaped in the path",
     {{"/nodes/a~1b~0c", VIA}, {"/nodes/n2/choices/0/next", "\"a/b~c\""}},
     {"/nodes/a~1b~0c"},
     {"Ongeldige naam voor een knooppunt"}},
    {"node id 65 characters: one error, contents skipped",
     {{"/nodes/"
       "n1234567890123456789012345678901234567890123456789012345678901234",
       "{\"x\": 1}"}},
     {"/nodes/"
      "n1234567890123456789012345678901234567890123456789012345678901234"},
     {"is 65 tekens lang; de grens is 64"}},
    {"node id 64 characters",
     {{"/nodes/"
       "n123456789012345678901234567890123456789012345678901234567890123",
       VIA},
      {"/nodes/n2/choices/0/next",
       "\"n12345678901234567890123456789012345678901234567890123456789"
       "0123\""}},
     {NULL},
     {NULL}},
    {"unknown node key and the field it misspells",
     {{"/nodes/n1/speakr", "\"Ouder\""}, {"/nodes/n1/speaker", NULL}},
     {"/nodes/n1/speakr", "/nodes/n1/speaker"},
     {"Bedoel je \"speaker\"?", "Het veld \"speaker\" ontbreekt."}},
    {"unknown key with ~ and / is escaped",
     {{"/nodes/n1/a~1~0", "1"}},
     {"/nodes/n1/a~1~0"},
     {"Onbekend veld \"a/~\"."}},
    {"speaker missing",
     {{"/nodes/n2/speaker", NULL}},
     {"/nodes/n2/speaker"},
     {"ontbreekt"}},
    {"speaker not a string",
     {{"/nodes/n2/speaker", "[\"Ouder\"]"}},
     {"/nodes/n2/speaker"},
     {"(nu: een lijst)"}},
    {"speaker on one line",
     {{"/nodes/n2/speaker", "\"Ou\\nder\""}},
     {"/nodes/n2/speaker"},
     {"één regel"}},
    {"text missing",
     {{"/nodes/end_bad/text", NULL}},
     {"/nodes/end_bad/text"},
     {"Het veld \"text\" ontbreekt."}},
    {"text not a string",
     {{"/nodes/n1/text", "true"}},
     {"/nodes/n1/text"},
     {"(nu: true/false)"}},
    {"media not a string",
     {{"/nodes/n1/media", "42"}},
     {"/nodes/n1/media"},
     {"Moet een media-id zijn"}},
    {"media with a path",
     {{"/nodes/n1/media", "\"../etc/passwd\""}},
     {"/nodes/n1/media"},
     {"Ongeldig media-id"}},
    {"media empty",
     {{"/nodes/n1/media", "\"\""}},
     {"/nodes/n1/media"},
     {"Ongeldig media-id"}},
    {"media with a space",
     {{"/nodes/n1/media", "\"a b.png\""}},
     {"/nodes/n1/media"},
     {"Ongeldig media-id"}},
    {"meldcode_step 0",
     {{"/nodes/n1/meldcode_step", "0"}},
     {"/nodes/n1/meldcode_step"},
     {"van 1 tot en met 5 zijn (nu: 0)"}},
    {"meldcode_step 6",
     {{"/nodes/n2/meldcode_step", "6"}},
     {"/nodes/n2/meldcode_step"},
     {"(nu: 6)"}},
    {"meldcode_step a string",
     {{"/nodes/n1/meldcode_step", "\"2\""}},
     {"/nodes/n1/meldcode_step"},
     {"(nu: een tekst)"}},
    {"meldcode_step a real",
     {{"/nodes/n1/meldcode_step", "2.0"}},
     {"/nodes/n1/meldcode_step"},
     {"(nu: een kommagetal)"}},
    {"meldcode_step 5 on an end node",
     {{"/nodes/end_bad/meldcode_step", "5"}},
     {NULL},
     {NULL}},

    /* choices. */
    {"choices not a list: no cascade",
     {{"/nodes/n1/choices", "{\"text\": \"x\"}"}},
     {"/nodes/n1/choices"},
     {"Moet een lijst van keuzes zijn (nu: een object)."}},
    {"eleven choices",
     {{"/nodes/n2/choices",
       "[" CH "," CH "," CH "," CH "," CH "," CH "," CH "," CH "," CH "," CH
       ",{\"text\":\"t\",\"next\":\"end_good\",\"feedback\":"
       "\"f\",\"score\":0}]"}},
     {"/nodes/n2/choices"},
     {"Heeft 11 keuzes; het maximum is 10."}},
    {"choice not an object",
     {{"/nodes/n3/choices/0", "\"n2\""}},
     {"/nodes/n3/choices/0"},
     {"Een keuze moet een object zijn"}},
    {"unknown choice key",
     {{"/nodes/n1/choices/1/feedbak", "\"x\""},
      {"/nodes/n1/choices/1/feedback", NULL}},
     {"/nodes/n1/choices/1/feedbak", "/nodes/n1/choices/1/feedback"},
     {"Bedoel je \"feedback\"?", "ontbreekt"}},
    {"choice text missing",
     {{"/nodes/n1/choices/0/text", NULL}},
     {"/nodes/n1/choices/0/text"},
     {"Het veld \"text\" ontbreekt."}},
    {"next missing",
     {{"/nodes/n3/choices/1/next", NULL}},
     {"/nodes/n3/choices/1/next"},
     {"Het veld \"next\" ontbreekt"}},
    {"next not a string",
     {{"/nodes/n3/choices/1/next", "3"}},
     {"/nodes/n3/choices/1/next"},
     {"naam van een knooppunt zijn (nu: een geheel getal)"}},
    {"next unknown, and no unreachable cascade",
     {{"/nodes/n3/choices/1/next", "\"end_bda\""}},
     {"/nodes/n3/choices/1/next"},
     {"Er is geen knooppunt \"end_bda\"."}},
    {"next unknown, long name cut in the message",
     {{"/nodes/n1/choices/0/next",
       "\"abcdefghijabcdefghijabcdefghijabcdefghijXYZ\""}},
     {"/nodes/n1/choices/0/next"},
     {"\"abcdefghijabcdefghijabcdefghijabcdefghij\xe2\x80\xa6\""}},
    {"feedback missing",
     {{"/nodes/n2/choices/0/feedback", NULL}},
     {"/nodes/n2/choices/0/feedback"},
     {"ontbreekt"}},
    {"feedback blank",
     {{"/nodes/n2/choices/0/feedback", "\"\\n\""}},
     {"/nodes/n2/choices/0/feedback"},
     {"Mag niet leeg zijn."}},
    {"score missing",
     {{"/nodes/n2/choices/0/score", NULL}},
     {"/nodes/n2/choices/0/score"},
     {"Het veld \"score\" ontbreekt."}},
    {"score 101",
     {{"/nodes/n1/choices/0/score", "101"}},
     {"/nodes/n1/choices/0/score"},
     {"van -100 tot en met 100 zijn (nu: 101)"}},
    {"score -101",
     {{"/nodes/n1/choices/1/score", "-101"}},
     {"/nodes/n1/choices/1/score"},
     {"(nu: -101)"}},
    {"score beyond int64 range check",
     {{"/nodes/n1/choices/1/score", "9223372036854775807"}},
     {"/nodes/n1/choices/1/score"},
     {"(nu: 9223372036854775807)"}},
    {"score a string",
     {{"/nodes/n1/choices/0/score", "\"5\""}},
     {"/nodes/n1/choices/0/score"},
     {"(nu: een tekst)"}},
    {"score a real",
     {{"/nodes/n1/choices/0/score", "1.5"}},
     {"/nodes/n1/choices/0/score"},
     {"(nu: een kommagetal)"}},
    {"score -100 and 100",
     {{"/nodes/n1/choices/0/score", "100"},
      {"/nodes/n1/choices/1/score", "-100"}},
     {NULL},
     {NULL}},

    /* End nodes and outcome. */
    {"end node without outcome",
     {{"/nodes/end_good/outcome", NULL}},
     {"/nodes/end_good/outcome"},
     {"Het veld \"outcome\" ontbreekt."}},
    {"end node with [] and no outcome",
     {{"/nodes/end_bad/outcome", NULL}},
     {"/nodes/end_bad/outcome"},
     {"ontbreekt"}},
    {"outcome not a string",
     {{"/nodes/end_bad/outcome", "{}"}},
     {"/nodes/end_bad/outcome"},
     {"(nu: een object)"}},
    {"outcome on a node with choices",
     {{"/nodes/n1/outcome", "\"Klaar.\""}},
     {"/nodes/n1/outcome"},
     {"Alleen een eindpunt"}},

    /* The graph. */
    {"node unreachable from start",
     {{"/nodes/orphan", END}},
     {"/nodes/orphan"},
     {"niet te bereiken"}},
    {"unreachable node with / in its id",
     {{"/nodes/a~1b", END}},
     {"/nodes/a~1b", "/nodes/a~1b"},
     {"Ongeldige naam", "niet te bereiken"}},
    {"unreachable pair pointing at each other",
     {{"/nodes/x1",
       "{\"speaker\":\"A\",\"text\":\"t\",\"choices\":[{\"text\":\"t\","
       "\"next\":\"x2\",\"feedback\":\"f\",\"score\":0}]}"},
      {"/nodes/x2", END}},
     {"/nodes/x1", "/nodes/x2"},
     {"niet te bereiken", "niet te bereiken"}},
    {"start itself is an end: the rest unreachable",
     {{"/start", "\"end_good\""}},
     {"/nodes/n1", "/nodes/n2", "/nodes/n3", "/nodes/end_bad"},
     {"niet te bereiken", NULL, NULL, NULL}},
    {"self-loop without exit",
     {{"/nodes/n3/choices",
       "[{\"text\":\"nog eens\",\"next\":\"n3\",\"feedback\":\"f\","
       "\"score\":0}]"},
      {"/nodes/end_bad", NULL}},
     {"/nodes/n3"},
     {"geen einde te bereiken"}},
    {"cycle of two without exit",
     {{"/nodes/n3/choices",
       "[{\"text\":\"t\",\"next\":\"loop\",\"feedback\":\"f\","
       "\"score\":0}]"},
      {"/nodes/loop",
       "{\"speaker\":\"A\",\"text\":\"t\",\"choices\":[{\"text\":\"t\","
       "\"next\":\"n3\",\"feedback\":\"f\",\"score\":0}]}"},
      {"/nodes/end_bad", NULL}},
     {"/nodes/n3", "/nodes/loop"},
     {"geen einde te bereiken", "geen einde te bereiken"}},
    {"no end node at all",
     {{"/nodes/end_good",
       "{\"speaker\":\"A\",\"text\":\"t\",\"choices\":[{\"text\":\"t\","
       "\"next\":\"n1\",\"feedback\":\"f\",\"score\":0}]}"},
      {"/nodes/end_bad",
       "{\"speaker\":\"A\",\"text\":\"t\",\"choices\":[{\"text\":\"t\","
       "\"next\":\"n1\",\"feedback\":\"f\",\"score\":0}]}"}},
     {"/nodes/n1", "/nodes/n2", "/nodes/n3", "/nodes/end_good",
      "/nodes/end_bad"},
     {"geen einde", NULL, NULL, NULL, "geen einde"}},

    /* Several problems at once, all reported, in document order. */
    {"several problems in one upload",
     {{"/title", NULL},
      {"/nodes/n1/choices/0/next", "\"n9\""},
      {"/nodes/n3/choices/1/score", "500"}},
     {"/title", "/nodes/n1/choices/0/next", "/nodes/n3/choices/1/score"},
     {"ontbreekt", "\"n9\"", "(nu: 500)"}},
};

#define N_VCASES (sizeof(vcases) / sizeof(vcases[0]))

static json_t     *load_base(void);
static json_t     *parse_any(const char *text);
static char       *unescape_token(const char *tok, size_t len);
static void        apply_edit(json_t **doc, const struct edit *e);
static void        dump_errors(const struct errlist *errs);
static json_t     *end_node(void);
static json_t     *choice_to(const char *next, int score);
static json_t     *chain_doc(size_t count);
static char       *read_all(const char *path, size_t *len);
static const char *content_dir(void);

static json_t *
load_base(void)
{
	json_error_t err;
	json_t      *doc;

	doc = json_loads(base_doc, JSON_REJECT_DUPLICATES, &err);
	if (doc == NULL)
		print_message("base_doc: %d: %s\n", err.line, err.text);
	assert_non_null(doc);
	return doc;
}

static json_t *
parse_any(const char *text)
{
	json_error_t err;
	json_t      *v;

	v = json_loads(text, JSON_DECODE_ANY, &err);
	if (v == NULL)
		print_message("edit value %s: %s\n", text, err.text);
	assert_non_null(v);
	return v;
}

/* A reference token with ~1 and ~0 undone (RFC 6901); the caller frees. */
static char *
unescape_token(const char *tok, size_t len)
{
	char  *out = malloc(len + 1);
	size_t i, o = 0;

	assert_non_null(out);
	for (i = 0; i < len; i++) {
		if (tok[i] == '~' && i + 1 < len &&
		    (tok[i + 1] == '0' || tok[i + 1] == '1')) {
			out[o++] = tok[i + 1] == '0' ? '~' : '/';
			i++;
		} else {
			out[o++] = tok[i];
		}
	}
	out[o] = '\0';
	return out;
}

/*
 * Sets or removes the value at e->ptr.  The parent must exist; in an array
 * the index must exist.  "" replaces the whole document.
 */
static void
apply_edit(json_t **doc, const struct edit *e)
{
	json_t     *parent = *doc, *v;
	const char *p = e->ptr, *slash;
	char       *tok;
	size_t      idx;

	if (p[0] == '\0') {
		json_decref(*doc);
		*doc = parse_any(e->json);
		return;
	}
	assert_true(p[0] == '/');
	for (;;) {
		p++;
		slash = strchr(p, '/');
		tok = unescape_token(p, slash == NULL ? strlen(p)
		                                      : (size_t)(slash - p));
		if (slash == NULL)
			break;
		if (json_is_array(parent))
			parent = json_array_get(parent, strtoul(tok, NULL, 10));
		else
			parent = json_object_get(parent, tok);
		if (parent == NULL)
			print_message("edit %s: no parent\n", e->ptr);
		assert_non_null(parent);
		free(tok);
		p = slash;
	}
	if (json_is_array(parent)) {
		idx = strtoul(tok, NULL, 10);
		assert_true(idx < json_array_size(parent));
		if (e->json == NULL) {
			assert_int_equal(json_array_remove(parent, idx), 0);
		} else {
			v = parse_any(e->json);
			assert_int_equal(json_array_set_new(parent, idx, v), 0);
		}
	} else {
		assert_true(json_is_object(parent));
		if (e->json == NULL) {
			assert_int_equal(json_object_del(parent, tok), 0);
		} else {
			v = parse_any(e->json);
			assert_int_equal(json_object_set_new(parent, tok, v),
			                 0);
		}
	}
	free(tok);
}

static void
dump_errors(const struct errlist *errs)
{
	size_t i;

	for (i = 0; i < errs->count; i++)
		print_message("  \"%s\": %s\n", errs->items[i].path,
		              errs->items[i].message);
}

static json_t *
end_node(void)
{
	return json_pack("{s:s, s:s, s:s}", "speaker", "Verteller", "text",
	                 "Einde.", "outcome", "Klaar.");
}

static json_t *
choice_to(const char *next, int score)
{
	return json_pack("{s:s, s:s, s:s, s:i}", "text", "Verder", "next", next,
	                 "feedback", "Uitleg.", "score", score);
}

static const char *
content_dir(void)
{
	const char *d = getenv("TEST_CONTENT_DIR");

	return d != NULL && d[0] != '\0' ? d : "content";
}

static void
test_validate_cases(void **state)
{
	const struct vcase *c;
	struct errlist      errs;
	json_t             *doc;
	size_t              i, j, n_expect;
	int                 rc;
	bool                ok;

	(void)state;
	for (i = 0; i < N_VCASES; i++) {
		c = &vcases[i];
		doc = load_base();
		for (j = 0; j < 3 && c->edits[j].ptr != NULL; j++)
			apply_edit(&doc, &c->edits[j]);
		for (n_expect = 0; n_expect < MAX_EXPECT; n_expect++)
			if (c->paths[n_expect] == NULL)
				break;

		errlist_init(&errs);
		rc = scenario_validate(doc, &errs);
		ok = rc == (n_expect == 0 ? 0 : -1) && errs.count == n_expect &&
		     errs.dropped == 0;
		for (j = 0; ok && j < n_expect; j++) {
			ok = strcmp(errs.items[j].path, c->paths[j]) == 0 &&
			     (c->msgs[j] == NULL ||
			      strstr(errs.items[j].message, c->msgs[j]) !=
			          NULL) &&
			     errs.items[j].line == 0;
		}
		if (!ok) {
			print_message("case \"%s\": rc %d, got:\n", c->name,
			              rc);
			dump_errors(&errs);
			print_message("expected:\n");
			for (j = 0; j < n_expect; j++)
				print_message("  \"%s\": ...%s...\n",
				              c->paths[j],
				              c->msgs[j] ? c->msgs[j] : "");
		}
		assert_true(ok);
		errlist_free(&errs);
		assert_int_equal(errs.count, 0);
		json_decref(doc);
	}
}

/* Text limits count characters: "é" is two bytes but one character. */
static void
test_text_limits(void **state)
{
	static const struct {
		const char *parent;
		const char *key;
		size_t      max;
	} limits[] = {
	    {"", "title", SCENARIO_TITLE_MAX},
	    {"", "summary", SCENARIO_TEXT_MAX},
	    {"/nodes/n1", "speaker", SCENARIO_SPEAKER_MAX},
	    {"/nodes/n1", "text", SCENARIO_TEXT_MAX},
	    {"/nodes/n1/choices/0", "text", SCENARIO_TEXT_MAX},
	    {"/nodes/n1/choices/0", "feedback", SCENARIO_TEXT_MAX},
	    {"/nodes/end_good", "outcome", SCENARIO_TEXT_MAX},
	};
	struct errlist errs;
	json_t        *doc, *obj;
	char          *s, *path, *msg;
	size_t         i, k, len;

	(void)state;
	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		for (len = limits[i].max; len <= limits[i].max + 1; len++) {
			s = malloc(2 * len + 1);
			assert_non_null(s);
			for (k = 0; k < len; k++)
				memcpy(s + 2 * k, "\xc3\xa9", 2);
			s[2 * len] = '\0';

			doc = load_base();
			obj = limits[i].parent[0] == '\0'
			          ? doc
			          : json_object_get(doc, "nodes");
			if (strcmp(limits[i].parent, "/nodes/n1") == 0)
				obj = json_object_get(obj, "n1");
			else if (strcmp(limits[i].parent, "/nodes/end_good") ==
			         0)
				obj = json_object_get(obj, "end_good");
			else if (limits[i].parent[0] != '\0')
				obj = json_array_get(
				    json_object_get(json_object_get(obj, "n1"),
				                    "choices"),
				    0);
			assert_non_null(obj);
			assert_int_equal(json_object_set_new(obj, limits[i].key,
			                                     json_string(s)),
			                 0);

			errlist_init(&errs);
			if (len == limits[i].max) {
				if (scenario_validate(doc, &errs) != 0)
					dump_errors(&errs);
				assert_int_equal(errs.count, 0);
			} else {
				assert_int_equal(scenario_validate(doc, &errs),
				                 -1);
				assert_int_equal(errs.count, 1);
				assert_true(asprintf(&path, "%s/%s",
				                     limits[i].parent,
				                     limits[i].key) > 0);
				assert_true(asprintf(&msg,
				                     "Is %zu tekens lang; de "
				                     "grens is %zu.",
				                     len, limits[i].max) > 0);
				assert_string_equal(errs.items[0].path, path);
				assert_string_equal(errs.items[0].message, msg);
				free(path);
				free(msg);
			}
			errlist_free(&errs);
			json_decref(doc);
			free(s);
		}
	}
}

/* Invalid UTF-8 and NUL cannot come from the parser, but can from code. */
static void
test_invalid_utf8_in_built_document(void **state)
{
	struct errlist errs;
	json_t        *doc, *n1, *bad;

	(void)state;
	doc = load_base();
	n1 = json_object_get(json_object_get(doc, "nodes"), "n1");
	bad = json_string_nocheck("caf\xc3");
	assert_non_null(bad);
	assert_int_equal(json_object_set_new(n1, "text", bad), 0);
	bad = json_stringn("a\0b", 3);
	assert_non_null(bad);
	assert_int_equal(json_object_set_new(doc, "title", bad), 0);
	/* A key with invalid UTF-8: the path shows U+FFFD instead. */
	assert_int_equal(json_object_set_new_nocheck(n1, "x\xff", json_true()),
	                 0);

	errlist_init(&errs);
	assert_int_equal(scenario_validate(doc, &errs), -1);
	if (errs.count != 3)
		dump_errors(&errs);
	assert_int_equal(errs.count, 3);
	assert_string_equal(errs.items[0].path, "/title");
	assert_non_null(strstr(errs.items[0].message, "ongeldige UTF-8"));
	assert_string_equal(errs.items[1].path, "/nodes/n1/x\xef\xbf\xbd");
	assert_string_equal(errs.items[2].path, "/nodes/n1/text");
	assert_non_null(strstr(errs.items[2].message, "ongeldige UTF-8"));
	errlist_free(&errs);
	json_decref(doc);
}

/*
 * A chain n0 -> n1 -> ... -> n<count-1>, the last an end node, with a
 * second choice on every node back to n0: long paths and one big cycle
 * for the iterative walks.
 */
static json_t *
chain_doc(size_t count)
{
	json_t *doc, *nodes, *node, *choices;
	char    id[32], next[32];
	size_t  i;

	nodes = json_object();
	for (i = 0; i < count; i++) {
		snprintf(id, sizeof(id), "n%zu", i);
		if (i + 1 == count) {
			node = end_node();
		} else {
			snprintf(next, sizeof(next), "n%zu", i + 1);
			choices = json_pack("[o, o]", choice_to(next, 1),
			                    choice_to("n0", -1));
			node = json_pack("{s:s, s:s, s:o}", "speaker", "A",
			                 "text", "t", "choices", choices);
		}
		assert_non_null(node);
		assert_int_equal(json_object_set_new(nodes, id, node), 0);
	}
	doc = json_pack("{s:s, s:s, s:[s], s:s, s:o}", "title", "Keten",
	                "summary", "Lang.", "audience", "teacher", "start",
	                "n0", "nodes", nodes);
	assert_non_null(doc);
	return doc;
}

static void
test_node_count_limit(void **state)
{
	struct errlist errs;
	json_t        *doc;

	(void)state;
	doc = chain_doc(SCENARIO_NODES_MAX);
	errlist_init(&errs);
	if (scenario_validate(doc, &errs) != 0)
		dump_errors(&errs);
	assert_int_equal(errs.count, 0);
	json_decref(doc);

	doc = chain_doc(SCENARIO_NODES_MAX + 1);
	assert_int_equal(scenario_validate(doc, &errs), -1);
	assert_int_equal(errs.count, 1);
	assert_string_equal(errs.items[0].path, "/nodes");
	assert_string_equal(errs.items[0].message,
	                    "Er zijn 501 knooppunten; het maximum is 500.");
	errlist_free(&errs);
	json_decref(doc);
}

/* Big graphs cannot hurt: the walks use a heap stack, not recursion. */
static void
test_big_graph_iterative(void **state)
{
	struct errlist errs;
	json_t        *doc, *last;
	size_t         i;
	char           id[32];

	(void)state;
	doc = chain_doc(50000);
	errlist_init(&errs);
	assert_int_equal(scenario_validate(doc, &errs), -1);
	assert_int_equal(errs.count, 1);
	assert_string_equal(errs.items[0].path, "/nodes");
	errlist_free(&errs);

	/* Turn the end into a loop: now no node can finish. */
	snprintf(id, sizeof(id), "n%d", 49999);
	last = json_pack("{s:s, s:s, s:[o]}", "speaker", "A", "text", "t",
	                 "choices", choice_to("n0", 0));
	assert_int_equal(
	    json_object_set_new(json_object_get(doc, "nodes"), id, last), 0);
	assert_int_equal(scenario_validate(doc, &errs), -1);
	assert_int_equal(errs.count, SCENARIO_ERRORS_MAX);
	assert_int_equal(errs.dropped, 50000 + 1 - SCENARIO_ERRORS_MAX);
	for (i = 1; i < errs.count; i++) {
		snprintf(id, sizeof(id), "/nodes/n%zu", i - 1);
		assert_string_equal(errs.items[i].path, id);
		assert_non_null(strstr(errs.items[i].message, "geen einde"));
	}
	errlist_free(&errs);
	json_decref(doc);
}

static void
test_errors_cap_and_json(void **state)
{
	struct errlist errs;
	json_t        *doc, *nodes, *arr, *e;
	char           key[32];
	size_t         i;

	(void)state;
	doc = load_base();
	nodes = json_object_get(doc, "nodes");
	for (i = 0; i < 300; i++) {
		snprintf(key, sizeof(key), "bad%zu", i);
		assert_int_equal(json_object_set_new(nodes, key, json_null()),
		                 0);
	}
	errlist_init(&errs);
	assert_int_equal(scenario_validate(doc, &errs), -1);
	assert_int_equal(errs.count, SCENARIO_ERRORS_MAX);
	assert_int_equal(errs.dropped, 100);
	assert_string_equal(errs.items[0].path, "/nodes/bad0");
	assert_string_equal(errs.items[199].path, "/nodes/bad199");

	arr = errlist_json(&errs);
	assert_int_equal(json_array_size(arr), SCENARIO_ERRORS_MAX + 1);
	e = json_array_get(arr, 0);
	assert_string_equal(json_string_value(json_object_get(e, "path")),
	                    "/nodes/bad0");
	assert_non_null(json_object_get(e, "message"));
	assert_null(json_object_get(e, "line"));
	e = json_array_get(arr, SCENARIO_ERRORS_MAX);
	assert_string_equal(json_string_value(json_object_get(e, "path")), "");
	assert_non_null(strstr(json_string_value(json_object_get(e, "message")),
	                       "En nog 100 andere fouten"));
	json_decref(arr);

	/* validate reports -1 only for what this call found. */
	errlist_free(&errs);
	json_decref(doc);
	doc = load_base();
	errs.dropped = 7;
	assert_int_equal(scenario_validate(doc, &errs), 0);
	errs.dropped = 0;
	errlist_free(&errs);
	json_decref(doc);
}

/* scenario_parse: one error with path "" and where it is. */
static void
test_parse(void **state)
{
	static const struct {
		const char *text;
		unsigned    line, column;
		const char *msg;
	} bad[] = {
	    {"{\"title\": \"a\",\n \"title\": \"b\"}", 2, 8,
	     "regel 2, kolom 8: het veld \"title\" staat twee keer in "
	     "hetzelfde object."},
	    {"{\"title\": }", 1, 11, "Geen geldige JSON op regel 1"},
	    {"{\"a\": \"\xff\"}", 1, 7, "geen geldige UTF-8"},
	    {"{\"a\": \"\xc0\xaf\"}", 1, 7, "geen geldige UTF-8"},
	    {"{\"a\": 1", 1, 7, "houdt te vroeg op"},
	    {"{} x", 1, 4, "nog tekst"},
	    {"{\"a\": 99999999999999999999}", 1, 26, "te groot"},
	    {"{\"a\": \"\\u0000\"}", 1, 14, "\\u0000"},
	    {"1", 1, 1, "kolom 1 ('[' or '{' expected near '1')"},
	};
	struct errlist errs;
	json_t        *doc;
	char          *big, deep[200];
	size_t         i;
	json_t        *arr;

	(void)state;
	errlist_init(&errs);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		doc = (json_t *)1;
		assert_int_equal(scenario_parse(bad[i].text,
		                                strlen(bad[i].text), &doc,
		                                &errs),
		                 -1);
		assert_null(doc);
		if (errs.count != 1 ||
		    strstr(errs.items[0].message, bad[i].msg) == NULL ||
		    errs.items[0].line != bad[i].line ||
		    errs.items[0].column != bad[i].column)
			print_message("parse %zu: %u:%u %s\n", i,
			              errs.count ? errs.items[0].line : 0,
			              errs.count ? errs.items[0].column : 0,
			              errs.count ? errs.items[0].message : "-");
		assert_int_equal(errs.count, 1);
		assert_string_equal(errs.items[0].path, "");
		assert_int_equal(errs.items[0].line, bad[i].line);
		assert_int_equal(errs.items[0].column, bad[i].column);
		assert_non_null(strstr(errs.items[0].message, bad[i].msg));
		errlist_free(&errs);
	}

	/* Line and column go into the JSON error too. */
	assert_int_equal(
	    scenario_parse(bad[0].text, strlen(bad[0].text), &doc, &errs), -1);
	arr = errlist_json(&errs);
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(arr, 0), "line")),
	    2);
	json_decref(arr);
	errlist_free(&errs);

	/* Empty. */
	assert_int_equal(scenario_parse("", 0, &doc, &errs), -1);
	assert_int_equal(scenario_parse(NULL, 0, &doc, &errs), -1);
	assert_int_equal(errs.count, 2);
	assert_string_equal(errs.items[0].message, "Het document is leeg.");
	errlist_free(&errs);

	/* Size: 2 MiB passes the cap, one byte more does not. */
	big = malloc(SCENARIO_BYTES_MAX + 1);
	assert_non_null(big);
	memset(big, ' ', SCENARIO_BYTES_MAX + 1);
	big[0] = '{';
	big[SCENARIO_BYTES_MAX - 1] = '}';
	assert_int_equal(scenario_parse(big, SCENARIO_BYTES_MAX, &doc, &errs),
	                 0);
	json_decref(doc);
	assert_int_equal(
	    scenario_parse(big, SCENARIO_BYTES_MAX + 1, &doc, &errs), -1);
	assert_null(doc);
	assert_int_equal(errs.count, 1);
	assert_string_equal(errs.items[0].path, "");
	assert_non_null(strstr(errs.items[0].message, "2 MiB"));
	errlist_free(&errs);
	free(big);

	/* Depth: 32 nested containers pass, 33 do not. */
	memset(deep, 0, sizeof(deep));
	memset(deep, '[', 32);
	memset(deep + 32, ']', 32);
	assert_int_equal(scenario_parse(deep, 64, &doc, &errs), 0);
	json_decref(doc);
	memset(deep, 0, sizeof(deep));
	memset(deep, '[', 33);
	memset(deep + 33, ']', 33);
	assert_int_equal(scenario_parse(deep, 66, &doc, &errs), -1);
	assert_null(doc);
	assert_int_equal(errs.count, 1);
	assert_non_null(strstr(errs.items[0].message, "dieper genest dan 32"));
	errlist_free(&errs);

	/* No NUL terminator needed: only len bytes are read. */
	assert_int_equal(
	    scenario_parse(base_doc, strlen(base_doc), &doc, &errs), 0);
	assert_int_equal(scenario_validate(doc, &errs), 0);
	json_decref(doc);
	assert_int_equal(scenario_parse("{}garbage", 2, &doc, &errs), 0);
	json_decref(doc);
	assert_int_equal(errs.count, 0);
}

struct pcase {
	const char               *name;
	const char               *loop_next; /* set n3's first choice */
	int                       choices[8];
	size_t                    n;
	enum scenario_play_status status;
	int                       score;
	const char               *outcome;
	const char               *path[8];
	size_t                    step;
};

static const struct pcase pcases[] = {
    {"best path",
     NULL,
     {0, 0},
     2,
     SCENARIO_PLAY_OK,
     15,
     "Goed afgelopen.",
     {"n1", "n2", "end_good"},
     0},
    {"worst path",
     NULL,
     {1, 1},
     2,
     SCENARIO_PLAY_OK,
     -15,
     "Minder goed.",
     {"n1", "n3", "end_bad"},
     0},
    {"detour",
     NULL,
     {1, 0, 0},
     3,
     SCENARIO_PLAY_OK,
     -5,
     "Goed afgelopen.",
     {"n1", "n3", "n2", "end_good"},
     0},
    {"round the loop twice",
     "n1",
     {1, 0, 1, 0, 0, 0},
     6,
     SCENARIO_PLAY_OK,
     -5,
     "Goed afgelopen.",
     {"n1", "n3", "n1", "n3", "n1", "n2", "end_good"},
     0},
    {"no choices at all",
     NULL,
     {0},
     0,
     SCENARIO_PLAY_NOT_FINISHED,
     0,
     NULL,
     {"n1"},
     0},
    {"stops before the end",
     NULL,
     {0},
     1,
     SCENARIO_PLAY_NOT_FINISHED,
     0,
     NULL,
     {"n1", "n2"},
     1},
    {"index too high",
     NULL,
     {2},
     1,
     SCENARIO_PLAY_BAD_INDEX,
     0,
     NULL,
     {"n1"},
     0},
    {"index negative",
     NULL,
     {-1},
     1,
     SCENARIO_PLAY_BAD_INDEX,
     0,
     NULL,
     {"n1"},
     0},
    {"index too high later",
     NULL,
     {0, 1},
     2,
     SCENARIO_PLAY_BAD_INDEX,
     0,
     NULL,
     {"n1", "n2"},
     1},
    {"past the end",
     NULL,
     {0, 0, 0},
     3,
     SCENARIO_PLAY_PAST_END,
     0,
     NULL,
     {"n1", "n2", "end_good"},
     2},
    {"past an end with []",
     NULL,
     {1, 1, 0},
     3,
     SCENARIO_PLAY_PAST_END,
     0,
     NULL,
     {"n1", "n3", "end_bad"},
     2},
};

static void
test_play(void **state)
{
	const struct pcase         *c;
	struct scenario_play_result r;
	json_t                     *doc, *out;
	size_t                      i, j, n_path;
	int                         rc;

	(void)state;
	for (i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		c = &pcases[i];
		doc = load_base();
		if (c->loop_next != NULL) {
			const struct edit e = {"/nodes/n3/choices/0/next",
			                       "\"n1\""};

			apply_edit(&doc, &e);
		}
		rc = scenario_play(doc, c->choices, c->n, &r);
		if (r.status != c->status)
			print_message("play \"%s\": status %d, %s\n", c->name,
			              r.status, r.error);
		assert_int_equal(r.status, c->status);
		assert_int_equal(rc, c->status == SCENARIO_PLAY_OK ? 0 : -1);
		for (n_path = 0; n_path < 8 && c->path[n_path] != NULL;
		     n_path++)
			;
		assert_int_equal(r.n_path, n_path);
		for (j = 0; j < n_path; j++)
			assert_string_equal(r.path[j], c->path[j]);
		if (rc == 0) {
			assert_int_equal(r.score, c->score);
			assert_string_equal(r.outcome, c->outcome);
			assert_string_equal(r.error, "");
			out = scenario_play_result_json(&r);
			assert_int_equal(
			    json_integer_value(json_object_get(out, "score")),
			    c->score);
			assert_string_equal(
			    json_string_value(json_object_get(out, "outcome")),
			    c->outcome);
			assert_int_equal(
			    json_array_size(json_object_get(out, "path")),
			    n_path);
			json_decref(out);
		} else {
			assert_int_equal(r.step, c->step);
			assert_null(r.outcome);
			assert_true(strlen(r.error) > 0);
		}
		scenario_play_result_free(&r);
		assert_null(r.path);
		json_decref(doc);
	}
}

static void
test_play_limits_and_bad_docs(void **state)
{
	static const char *const docs[] = {
	    "{}",
	    "{\"start\": \"x\", \"nodes\": {}}",
	    "{\"start\": 1, \"nodes\": {\"x\": {}}}",
	    "{\"start\": \"x\", \"nodes\": {\"x\": 5}}",
	    "{\"start\": \"x\", \"nodes\": {\"x\": {\"choices\": 5}}}",
	    "{\"start\": \"x\", \"nodes\": {\"x\": {}}}",
	    "{\"start\": \"x\", \"nodes\": {\"x\": {\"choices\": [7]}}}",
	    "{\"start\": \"x\", \"nodes\": {\"x\": {\"choices\": "
	    "[{\"next\": \"y\", \"score\": 1}]}}}",
	    "{\"start\": \"x\", \"nodes\": {\"x\": {\"choices\": "
	    "[{\"next\": \"x\", \"score\": 1000}]}}}",
	};
	int                         zero[1] = {0};
	struct scenario_play_result r;
	json_t                     *doc;
	int                        *many;
	size_t                      i;

	(void)state;
	/* Too many steps is refused before any walk. */
	many = calloc(SCENARIO_PLAY_STEPS_MAX + 1, sizeof(*many));
	assert_non_null(many);
	doc = chain_doc(3);
	assert_int_equal(
	    scenario_play(doc, many, SCENARIO_PLAY_STEPS_MAX + 1, &r), -1);
	assert_int_equal(r.status, SCENARIO_PLAY_TOO_LONG);
	scenario_play_result_free(&r);

	/* Exactly the maximum is fine: go round the cycle and then out. */
	for (i = 0; i < SCENARIO_PLAY_STEPS_MAX; i++)
		many[i] = 1; /* back to n0 */
	many[SCENARIO_PLAY_STEPS_MAX - 2] = 0;
	many[SCENARIO_PLAY_STEPS_MAX - 1] = 0;
	assert_int_equal(scenario_play(doc, many, SCENARIO_PLAY_STEPS_MAX, &r),
	                 0);
	assert_int_equal(r.n_path, SCENARIO_PLAY_STEPS_MAX + 1);
	assert_string_equal(r.path[r.n_path - 1], "n2");
	assert_int_equal(r.score, -(SCENARIO_PLAY_STEPS_MAX - 2) + 2);
	scenario_play_result_free(&r);
	json_decref(doc);
	free(many);

	/* Documents that never passed validation fail cleanly. */

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		doc = parse_any(docs[i]);
		assert_int_equal(scenario_play(doc, zero, 1, &r), -1);
		if (r.status != SCENARIO_PLAY_BAD_DOC)
			print_message("doc %zu: %d\n", i, r.status);
		assert_int_equal(r.status, SCENARIO_PLAY_BAD_DOC);
		scenario_play_result_free(&r);
		json_decref(doc);
	}
	scenario_play_result_free(NULL);
}

static void
test_choices_from_json(void **state)
{
	static const struct {
		const char *json;
		int         rc;
		size_t      n;
	} cases[] = {
	    {"[]", 0, 0},
	    {"[0, 2, 1]", 0, 3},
	    {"[9]", 0, 1},
	    {"[10]", -1, 0},
	    {"[-1]", -1, 0},
	    {"[4294967296]", -1, 0}, /* would be 0 if cast blindly */
	    {"[1.0]", -1, 0},
	    {"[\"1\"]", -1, 0},
	    {"{\"0\": 1}", -1, 0},
	    {"[0, 0, 0, 0, 0]", -1, 0}, /* cap is 4 below */
	};
	int         buf[4];
	size_t      i, n;
	const char *problem;
	json_t     *v;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = parse_any(cases[i].json);
		problem = NULL;
		assert_int_equal(
		    scenario_choices_from_json(v, buf, 4, &n, &problem),
		    cases[i].rc);
		assert_int_equal(n, cases[i].n);
		if (cases[i].rc != 0)
			assert_non_null(problem);
		json_decref(v);
	}
	v = parse_any("[0, 2, 1]");
	assert_int_equal(scenario_choices_from_json(v, buf, 4, &n, &problem),
	                 0);
	assert_int_equal(buf[0], 0);
	assert_int_equal(buf[1], 2);
	assert_int_equal(buf[2], 1);
	json_decref(v);
}

static void
test_id_predicates(void **state)
{
	static const struct {
		const char *s;
		bool        node, media;
	} cases[] = {
	    {"n1", true, true},
	    {"A_b-9", true, true},
	    {"_x", true, false},
	    {"-x", true, false},
	    {"a.png", false, true},
	    {"a..b", false, true},
	    {".hidden", false, false},
	    {"", false, false},
	    {"a b", false, false},
	    {"a/b", false, false},
	    {"\xc3\xa9", false, false},
	    {"0123456789abcdef0123456789abcdef"
	     "0123456789abcdef0123456789abcdef",
	     true, true}, /* 64 */
	    {"0123456789abcdef0123456789abcdef"
	     "0123456789abcdef0123456789abcdef0",
	     false, true}, /* 65 */
	    {"0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
	     "abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234"
	     "56789abcdef",
	     false, true}, /* 128 */
	    {"0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
	     "abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234"
	     "56789abcdefX",
	     false, false}, /* 129 */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (scenario_valid_node_id(cases[i].s) != cases[i].node ||
		    scenario_valid_media_id(cases[i].s) != cases[i].media)
			print_message("id \"%s\"\n", cases[i].s);
		assert_int_equal(scenario_valid_node_id(cases[i].s),
		                 cases[i].node);
		assert_int_equal(scenario_valid_media_id(cases[i].s),
		                 cases[i].media);
	}
}

/* Reads a whole file; the caller frees it. */
static char *
read_all(const char *path, size_t *len)
{
	FILE  *f = fopen(path, "rb");
	char  *buf = NULL;
	size_t cap = 0, n;

	assert_non_null(f);
	*len = 0;
	for (;;) {
		if (*len == cap) {
			cap = cap == 0 ? 65536 : 2 * cap;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		n = fread(buf + *len, 1, cap - *len, f);
		if (n == 0)
			break;
		*len += n;
	}
	fclose(f);
	return buf;
}

/*
 * Every shipped example validates, has 8 to 20 nodes, and can be played
 * from start to an end by always taking the best-scoring choice.
 */
static void
test_shipped_scenarios(void **state)
{
	struct errlist              errs;
	struct scenario_play_result r;
	DIR                        *d;
	struct dirent              *ent;
	char                       *dir, *path, *buf;
	size_t                      len, n_files = 0, n, i, best_i;
	json_t                     *doc, *nodes, *node, *choices, *c;
	const char                 *id;
	int                         path_choices[64];
	json_int_t                  best;

	(void)state;
	assert_true(asprintf(&dir, "%s/scenarios", content_dir()) > 0);
	d = opendir(dir);
	if (d == NULL)
		print_message("cannot open %s\n", dir);
	assert_non_null(d);
	while ((ent = readdir(d)) != NULL) {
		len = strlen(ent->d_name);
		if (len < 6 || strcmp(ent->d_name + len - 5, ".json") != 0)
			continue;
		assert_true(asprintf(&path, "%s/%s", dir, ent->d_name) > 0);
		buf = read_all(path, &len);

		errlist_init(&errs);
		if (scenario_parse(buf, len, &doc, &errs) != 0 ||
		    scenario_validate(doc, &errs) != 0) {
			print_message("%s:\n", path);
			dump_errors(&errs);
		}
		assert_int_equal(errs.count, 0);
		errlist_free(&errs);

		nodes = json_object_get(doc, "nodes");
		assert_in_range(json_object_size(nodes), 8, 20);

		/* Greedy best path: must end within 64 steps. */
		id = json_string_value(json_object_get(doc, "start"));
		for (n = 0; n < 64; n++) {
			node = json_object_get(nodes, id);
			choices = json_object_get(node, "choices");
			if (json_array_size(choices) == 0)
				break;
			best_i = 0;
			best = -1000;
			for (i = 0; i < json_array_size(choices); i++) {
				c = json_array_get(choices, i);
				if (json_integer_value(
				        json_object_get(c, "score")) > best) {
					best = json_integer_value(
					    json_object_get(c, "score"));
					best_i = i;
				}
			}
			path_choices[n] = (int)best_i;
			id = json_string_value(json_object_get(
			    json_array_get(choices, best_i), "next"));
		}
		assert_true(n < 64);
		assert_int_equal(scenario_play(doc, path_choices, n, &r), 0);
		assert_true(r.score > 0);
		print_message("%s: %zu nodes, best path %zu steps, score %d\n",
		              ent->d_name, json_object_size(nodes), n, r.score);
		scenario_play_result_free(&r);

		json_decref(doc);
		free(buf);
		free(path);
		n_files++;
	}
	closedir(d);
	free(dir);
	assert_true(n_files >= 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_validate_cases),
	    cmocka_unit_test(test_text_limits),
	    cmocka_unit_test(test_invalid_utf8_in_built_document),
	    cmocka_unit_test(test_node_count_limit),
	    cmocka_unit_test(test_big_graph_iterative),
	    cmocka_unit_test(test_errors_cap_and_json),
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_play),
	    cmocka_unit_test(test_play_limits_and_bad_docs),
	    cmocka_unit_test(test_choices_from_json),
	    cmocka_unit_test(test_id_predicates),
	    cmocka_unit_test(test_shipped_scenarios),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
