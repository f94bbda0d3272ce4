/* Unit tests for content.c: every format rule, the hash, module listing. */

/*
 * Fixtures live in $TEST_DATA_DIR/content (default tests/unit/data, so run
 * from the repository root).  modules/good is the reference module; every
 * other directory under modules/ breaks exactly one rule and is listed in
 * broken_cases[] with the message it must produce.  Cases that need a file
 * git cannot hold well (a 64 KiB file, a symlink) are built in a temporary
 * directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content.h"
#include "validate.h"

/* A module that must fail, and the messages it must give. */
struct broken_case {
	const char *dir;       /* under content/modules/ */
	size_t      n_errors;  /* exactly this many */
	const char *expect[2]; /* each must be a substring of some message */
};

/* Keep in step with the directories under tests/unit/data/content/modules/. */
static const struct broken_case broken_cases[] = {
    /* JSON syntax: file and line. */
    {"dup-key", 1, {"dup-key/module.json:11:", "duplicate object key"}},
    {"syntax-error", 1, {"syntax-error/module.json:11:", NULL}},
    {"not-object", 1, {"module.json: /: must be an object", NULL}},
    {"no-module-json", 1, {"no-module-json/module.json: file not found", NULL}},
    /* Keys. */
    {"unknown-key-top", 1, {"module.json: /: unknown key \"titel\"", NULL}},
    /* A long key is cut before a character, not inside one. */
    {"unknown-key-long-multibyte",
     1,
     {"unknown key \"x\xc3\xa9", "\xc3\xa9...\""}},
    {"unknown-key-question",
     2,
     {"/quiz/questions/0: unknown key \"multple\"",
      "/quiz/questions/0: missing key \"multiple\""}},
    {"unknown-key-choice",
     1,
     {"/quiz/questions/1/choices/2: unknown key \"corect\"", NULL}},
    {"missing-key", 1, {"module.json: /: missing key \"summary\"", NULL}},
    {"quiz-no-questions", 1, {"/quiz: missing key \"questions\"", NULL}},
    /* Types and ranges. */
    {"pass-mark-string",
     1,
     {"module.json: /pass_mark: must be an integer", NULL}},
    {"pass-mark-real", 1, {"/pass_mark: must be an integer", NULL}},
    {"pass-mark-range", 1, {"/pass_mark: must be between 1 and 100", NULL}},
    {"minutes-range",
     1,
     {"/estimated_minutes: must be between 1 and 600", NULL}},
    {"validity-range",
     1,
     {"/validity_months: must be between 1 and 240", NULL}},
    {"position-range", 1, {"/position: must be between 0 and", NULL}},
    {"multiple-not-bool",
     1,
     {"/quiz/questions/0/multiple: must be true or false", NULL}},
    {"title-not-string", 1, {"/title: must be a string", NULL}},
    /* Audience. */
    {"audience-empty", 1, {"/audience: needs 1 to 2 entries, has 0", NULL}},
    {"audience-unknown",
     1,
     {"/audience/1: must be \"teacher\" or \"ib\"", NULL}},
    {"audience-dup", 1, {"/audience/1: \"ib\" is listed twice", NULL}},
    /* Sections. */
    {"no-sections", 1, {"/sections: needs 1 to 50 entries, has 0", NULL}},
    {"section-id-bad",
     1,
     {"/sections/0/id: must be a string matching "
      "^[a-z0-9][a-z0-9-]{0,63}$",
      NULL}},
    {"section-id-dup",
     1,
     {"/sections/1/id: \"intro\" is also the id of /sections/0", NULL}},
    {"section-entry-not-object", 1, {"/sections/1: must be an object", NULL}},
    {"section-file-dotdot",
     1,
     {"/sections/0/file: must be a plain file name", NULL}},
    {"section-file-not-md",
     1,
     {"/sections/0/file: must be a plain file name", NULL}},
    {"section-file-dup",
     1,
     {"/sections/1/file: \"01-intro.md\" is also the file of /sections/0",
      NULL}},
    {"section-file-missing",
     1,
     {"section-file-missing/02-verder.md: file not found", NULL}},
    {"stray-md", 1, {"stray-md/03-extra.md: not listed in module.json", NULL}},
    /* Quiz. */
    {"no-questions",
     1,
     {"/quiz/questions: needs 1 to 50 entries, has 0", NULL}},
    {"one-choice",
     1,
     {"/quiz/questions/0/choices: needs 2 to 10 entries, has 1", NULL}},
    {"eleven-choices",
     1,
     {"/quiz/questions/1/choices: needs 2 to 10 entries, has 11", NULL}},
    {"single-two-correct",
     1,
     {"module.json: /quiz/questions/0/choices: a single-answer question "
      "needs exactly one correct choice, it has 2",
      NULL}},
    {"single-none-correct",
     1,
     {"/quiz/questions/0/choices: a single-answer question needs "
      "exactly one correct choice, it has 0",
      NULL}},
    {"multiple-none-correct",
     1,
     {"/quiz/questions/1/choices: a multiple-answer question needs at "
      "least one correct choice",
      NULL}},
    {"question-id-bad",
     1,
     {"/quiz/questions/0/id: must be a string matching "
      "^[a-z0-9][a-z0-9-]{0,31}$",
      NULL}},
    {"question-id-long", 1, {"/quiz/questions/0/id: must be a string", NULL}},
    {"question-id-dup",
     1,
     {"/quiz/questions/1/id: \"q1\" is also the id of /quiz/questions/0",
      NULL}},
    {"choice-id-dup",
     1,
     {"/quiz/questions/1/choices/1/id: \"a\" is also the id of choice 0",
      NULL}},
    /* Texts. */
    {"text-blank", 1, {"/quiz/questions/0/text: must not be empty", NULL}},
    {"title-too-long",
     1,
     {"/title: is 201 characters, the limit is 200", NULL}},
    {"title-newline",
     1,
     {"/title: control character 0x0a is not allowed", NULL}},
    {"summary-too-long",
     1,
     {"/summary: is 1001 characters, the limit is 1000", NULL}},
    {"choice-text-too-long",
     1,
     {"/quiz/questions/0/choices/0/text: is 2001 characters", NULL}},
    {"explanation-too-long",
     1,
     {"/quiz/questions/0/explanation: is 4001 characters, the limit is "
      "4000",
      NULL}},
    /* Markdown: file and line. */
    {"raw-html-block",
     1,
     {"raw-html-block/01-intro.md:5: raw HTML is not allowed", NULL}},
    {"raw-html-inline",
     1,
     {"raw-html-inline/02-verder.md:3: raw HTML is not allowed", NULL}},
    {"md-empty", 1, {"md-empty/01-intro.md: file is empty", NULL}},
    {"md-bad-utf8", 1, {"md-bad-utf8/01-intro.md:2: invalid UTF-8", NULL}},
    {"md-overlong-utf8",
     1,
     {"md-overlong-utf8/01-intro.md:1: invalid UTF-8", NULL}},
    {"md-control-char",
     1,
     {"md-control-char/01-intro.md:3: control character 0x01", NULL}},
    {"md-nul", 1, {"md-nul/01-intro.md:1: control character 0x00", NULL}},
    /* Learning objectives and question banks (issue 12). */
    {"objectives-missing",
     1,
     {"module.json: /: missing key \"objectives\"", NULL}},
    {"objectives-too-many",
     1,
     {"/objectives: needs 1 to 10 entries, has 11", NULL}},
    {"objectives-without-quiz",
     1,
     {"/objectives: only a module with a quiz has learning objectives", NULL}},
    {"objective-id-bad",
     3,
     {"/objectives/0/id: must be a string matching",
      "/quiz/questions/0/objective: \"kennis\" is not an objective"}},
    {"objective-id-dup",
     1,
     {"/objectives/1/id: \"kennis\" is also the id of /objectives/0", NULL}},
    {"objective-title-newline",
     1,
     {"/objectives/0/title: control character 0x0a", NULL}},
    {"objective-section-unknown",
     1,
     {"/objectives/0/sections/1: must be the id of a section of this "
      "module",
      NULL}},
    {"objective-section-dup",
     1,
     {"/objectives/0/sections/1: \"intro\" is listed twice", NULL}},
    {"objective-draw-range",
     1,
     {"/objectives/0/draw: must be between 1 and 10", NULL}},
    {"objective-draw-zero",
     1,
     {"/objectives/0/draw: must be between 1 and 10", NULL}},
    {"objective-bank-small",
     1,
     {"/objectives/0: \"kennis\" has 2 questions, needs at least 4 "
      "(twice its draw of 2",
      NULL}},
    {"objective-no-questions",
     1,
     {"/objectives/1: \"leeg\" has 0 questions, needs at least 2", NULL}},
    {"question-objective-missing",
     1,
     {"/quiz/questions/1: missing key \"objective\"", NULL}},
    {"question-objective-unknown",
     2,
     {"/quiz/questions/1/objective: \"onbekend\" is not an objective of "
      "this module",
      "/objectives/0: \"kennis\" has 1 question, needs at least 2"}},
    /* Criteria of an in-person module (issue 12, point 5). */
    {"criteria-missing", 1, {"module.json: /: missing key \"criteria\"", NULL}},
    {"criteria-not-in-person",
     1,
     {"/criteria: only an in-person module (\"in_person\": true) has "
      "criteria",
      NULL}},
    {"criteria-empty", 1, {"/criteria: needs 1 to 12 entries, has 0", NULL}},
    {"criteria-too-many",
     1,
     {"/criteria: needs 1 to 12 entries, has 13", NULL}},
    {"criteria-not-array",
     1,
     {"module.json: /criteria: must be an array", NULL}},
    {"criterion-not-object", 1, {"/criteria/1: must be an object", NULL}},
    {"criterion-id-bad",
     1,
     {"/criteria/1/id: must be a string matching "
      "^[a-z0-9][a-z0-9-]{0,31}$",
      NULL}},
    {"criterion-id-long",
     1,
     {"/criteria/1/id: must be a string matching "
      "^[a-z0-9][a-z0-9-]{0,31}$",
      NULL}},
    {"criterion-id-dup",
     1,
     {"/criteria/1/id: \"opening\" is also the id of /criteria/0", NULL}},
    {"criterion-text-too-long",
     1,
     {"/criteria/1/text: is 301 characters, the limit is 300", NULL}},
    {"criterion-text-newline",
     1,
     {"/criteria/1/text: control character 0x0a is not allowed", NULL}},
    {"criterion-text-missing", 1, {"/criteria/1: missing key \"text\"", NULL}},
    {"criterion-unknown-key", 1, {"/criteria/1: unknown key \"titel\"", NULL}},
};

#define N_BROKEN (sizeof(broken_cases) / sizeof(broken_cases[0]))

static const char *data_dir(void);
static char       *fixture(const char *rel);
static bool        has_error(const struct errlist *errs, const char *needle);
static void        dump_errors(const struct errlist *errs);
static struct content_module *load_ok(const char *dir);
static void  write_file(const char *path, const char *data, size_t len);
static void  copy_file(const char *src, const char *dst);
static char *temp_good_copy(char **moddir);
static void replace_in_file(const char *path, const char *from, const char *to);
static int  rm_entry(const char *path, const struct stat *st, int flag,
                     struct FTW *ftw);
static void rm_tree(char *root);

static const char *
data_dir(void)
{
	const char *d = getenv("TEST_DATA_DIR");

	return d != NULL && d[0] != '\0' ? d : "tests/unit/data";
}

/* $TEST_DATA_DIR/content/<rel>; the caller frees it. */
static char *
fixture(const char *rel)
{
	char *p;

	assert_true(asprintf(&p, "%s/content/%s", data_dir(), rel) > 0);
	return p;
}

static bool
has_error(const struct errlist *errs, const char *needle)
{
	size_t i;

	for (i = 0; i < errs->count; i++)
		if (strstr(errs->items[i].message, needle) != NULL)
			return true;
	return false;
}

static void
dump_errors(const struct errlist *errs)
{
	size_t i;

	for (i = 0; i < errs->count; i++)
		print_message("  error: %s\n", errs->items[i].message);
}

/* Loads a module that must be clean; fails the test otherwise. */
static struct content_module *
load_ok(const char *dir)
{
	struct errlist         errs;
	struct content_module *m;
	int                    rc;

	errlist_init(&errs);
	rc = content_module_load(dir, &m, &errs);
	if (rc != 0)
		dump_errors(&errs);
	assert_int_equal(rc, 0);
	assert_int_equal(errs.count, 0);
	assert_non_null(m);
	errlist_free(&errs);
	return m;
}

static void
write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
copy_file(const char *src, const char *dst)
{
	FILE  *f;
	char   buf[8192];
	size_t n;
	char  *all = NULL;
	size_t len = 0;

	f = fopen(src, "rb");
	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		all = realloc(all, len + n);
		assert_non_null(all);
		memcpy(all + len, buf, n);
		len += n;
	}
	fclose(f);
	write_file(dst, all, len);
	free(all);
}

/*
 * Copies modules/good into <tmp>/good and returns <tmp>; *moddir is
 * <tmp>/good.  The slug stays "good", so the hash is comparable.
 */
static char *
temp_good_copy(char **moddir)
{
	static const char *const files[] = {
	    "module.json",
	    "01-intro.md",
	    "02-verder.md",
	};
	char  *root, *src, *dst, *good;
	size_t i;

	root = strdup("/tmp/test-content-XXXXXX");
	assert_non_null(root);
	assert_non_null(mkdtemp(root));
	assert_true(asprintf(moddir, "%s/good", root) > 0);
	assert_int_equal(mkdir(*moddir, 0700), 0);
	good = fixture("modules/good");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		assert_true(asprintf(&src, "%s/%s", good, files[i]) > 0);
		assert_true(asprintf(&dst, "%s/%s", *moddir, files[i]) > 0);
		copy_file(src, dst);
		free(src);
		free(dst);
	}
	free(good);
	return root;
}

/* Replaces the first `from` in the file with `to`; `from` must be there. */
static void
replace_in_file(const char *path, const char *from, const char *to)
{
	FILE  *f;
	char   buf[8192], out[8192 + 256];
	size_t n, head;
	char  *at;

	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	at = strstr(buf, from);
	assert_non_null(at);
	head = (size_t)(at - buf);
	assert_true(n - strlen(from) + strlen(to) < sizeof(out));
	memcpy(out, buf, head);
	strcpy(out + head, to);
	strcat(out, at + strlen(from));
	write_file(path, out, strlen(out));
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
rm_tree(char *root)
{
	assert_int_equal(nftw(root, rm_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
	free(root);
}

static void
test_good_module(void **state)
{
	struct content_module *m;
	char                  *dir;
	size_t                 i;

	(void)state;
	dir = fixture("modules/good");
	m = load_ok(dir);
	free(dir);

	assert_string_equal(m->slug, "good");
	assert_string_equal(m->title, "Goede testmodule");
	assert_string_equal(m->summary,
	                    "Een kleine module om de parser mee te testen.");
	assert_int_equal(m->audience,
	                 CONTENT_AUDIENCE_TEACHER | CONTENT_AUDIENCE_IB);
	assert_int_equal(m->estimated_minutes, 20);
	assert_int_equal(m->validity_months, 24);
	assert_int_equal(m->pass_mark, 70);
	assert_int_equal(m->position, 3);

	assert_int_equal(m->n_sections, 2);
	assert_string_equal(m->sections[0].id, "intro");
	assert_string_equal(m->sections[0].title, "Inleiding");
	assert_string_equal(m->sections[0].file, "01-intro.md");
	assert_string_equal(m->sections[1].id, "verder");
	assert_int_equal(m->sections[0].markdown_len,
	                 strlen(m->sections[0].markdown));
	assert_non_null(strstr(m->sections[0].markdown, "# Inleiding"));
	/* Rendered by cmark, with unsafe link schemes neutralised. */
	assert_non_null(strstr(m->sections[0].html, "<h1>Inleiding</h1>"));
	assert_non_null(strstr(m->sections[0].html, "<em>testtekst</em>"));
	assert_non_null(strstr(m->sections[0].html,
	                       "<a href=\"https://example.org/\">link</a>"));
	assert_null(strstr(m->sections[0].html, "javascript:"));
	assert_non_null(strstr(m->sections[0].html, "<li>punt twee</li>"));
	assert_non_null(strstr(m->sections[1].html, "<code>code</code>"));
	assert_non_null(strstr(m->sections[1].html, "&amp; entiteit"));

	assert_int_equal(m->n_questions, 2);
	assert_string_equal(m->questions[0].id, "q1");
	assert_string_equal(m->questions[0].text, "Eerste vraag?");
	assert_string_equal(m->questions[0].explanation, "Omdat a klopt.");
	assert_false(m->questions[0].multiple);
	assert_int_equal(m->questions[0].n_choices, 2);
	assert_string_equal(m->questions[0].choices[0].id, "a");
	assert_string_equal(m->questions[0].choices[0].text, "Ja");
	assert_true(m->questions[0].choices[0].correct);
	assert_false(m->questions[0].choices[1].correct);
	assert_true(m->questions[1].multiple);
	assert_int_equal(m->questions[1].n_choices, 3);
	assert_true(m->questions[1].choices[0].correct);
	assert_true(m->questions[1].choices[1].correct);
	assert_false(m->questions[1].choices[2].correct);

	assert_int_equal(strlen(m->hash), 64);
	for (i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", m->hash[i]));
	content_module_free(m);
}

static void
test_broken_modules(void **state)
{
	static struct content_module sentinel;
	struct errlist               errs;
	struct content_module       *m;
	char                        *dir, *rel;
	size_t                       i, k;
	int                          rc;

	(void)state;
	for (i = 0; i < N_BROKEN; i++) {
		const struct broken_case *bc = &broken_cases[i];

		assert_true(asprintf(&rel, "modules/%s", bc->dir) > 0);
		dir = fixture(rel);
		free(rel);
		errlist_init(&errs);
		m = &sentinel; /* must come back NULL */
		rc = content_module_load(dir, &m, &errs);
		if (rc != -1 || errs.count != bc->n_errors) {
			print_message("case %s:\n", bc->dir);
			dump_errors(&errs);
		}
		assert_int_equal(rc, -1);
		assert_null(m);
		assert_int_equal(errs.count, bc->n_errors);
		for (k = 0; k < 2 && bc->expect[k] != NULL; k++) {
			if (!has_error(&errs, bc->expect[k])) {
				print_message("case %s, missing: %s\n", bc->dir,
				              bc->expect[k]);
				dump_errors(&errs);
			}
			assert_true(has_error(&errs, bc->expect[k]));
		}
		/* Every message names the file it is about. */
		for (k = 0; k < errs.count; k++)
			assert_non_null(strstr(errs.items[k].message, dir));
		errlist_free(&errs);
		free(dir);
	}
}

/* The fixtures that must load cleanly. */
static bool
valid_fixture(const char *name)
{
	return strcmp(name, "good") == 0 ||
	       strcmp(name, "title-200-multibyte") == 0 ||
	       strcmp(name, "in-person-good") == 0;
}

/* Every fixture directory is either a valid one or in broken_cases[]. */
static void
test_fixtures_all_listed(void **state)
{
	struct errlist      errs;
	struct content_list list;
	char               *dir;
	size_t              i, k, valid;

	(void)state;
	errlist_init(&errs);
	dir = fixture("modules");
	assert_int_equal(content_list_modules(dir, &list, &errs), 0);
	free(dir);
	valid = 0;
	for (i = 0; i < list.count; i++) {
		const char *name = list.names[i];

		for (k = 0; k < N_BROKEN; k++)
			if (strcmp(broken_cases[k].dir, name) == 0)
				break;
		if (k < N_BROKEN)
			continue;
		if (!valid_fixture(name))
			print_message("fixture %s is not in broken_cases[]\n",
			              name);
		assert_true(valid_fixture(name));
		valid++;
	}
	assert_int_equal(valid, 3);
	assert_int_equal(list.count, valid + N_BROKEN);
	content_list_free(&list);
	errlist_free(&errs);
}

/* Limits count code points: 200 two-byte characters is a valid title. */
static void
test_title_limit_counts_characters(void **state)
{
	struct content_module *m;
	char                  *dir;

	(void)state;
	dir = fixture("modules/title-200-multibyte");
	m = load_ok(dir);
	free(dir);
	assert_int_equal(strlen(m->title), 400);
	content_module_free(m);
}

static void
test_hash_stable(void **state)
{
	static const char changed[] =
	    "Tweede deel met `code` en een &amp; entiteit!\n";
	struct content_module *a, *b, *c;
	char                  *dir, *root, *moddir, *path;

	(void)state;
	dir = fixture("modules/good");
	a = load_ok(dir);
	b = load_ok(dir);
	free(dir);
	assert_string_equal(a->hash, b->hash);
	content_module_free(b);

	/* A byte-for-byte copy elsewhere, same slug: same hash. */
	root = temp_good_copy(&moddir);
	b = load_ok(moddir);
	assert_string_equal(a->hash, b->hash);
	content_module_free(b);

	/* One changed character in a section: another hash. */
	assert_true(asprintf(&path, "%s/02-verder.md", moddir) > 0);
	write_file(path, changed, strlen(changed));
	free(path);
	c = load_ok(moddir);
	assert_string_not_equal(a->hash, c->hash);
	content_module_free(c);
	free(moddir);
	rm_tree(root);

	/* Other metadata: another hash. */
	dir = fixture("modules/title-200-multibyte");
	c = load_ok(dir);
	free(dir);
	assert_string_not_equal(a->hash, c->hash);
	content_module_free(c);
	content_module_free(a);
}

/*
 * Every stored field is in the hash: changing any one of them in module.json
 * (keeping the module valid) gives a hash different from the original and
 * from every other change.  Otherwise a change would never reach the database.
 */
static void
test_hash_covers_every_field(void **state)
{
	static const struct {
		const char *from, *to;
	} edits[] = {
	    {"\"Goede testmodule\"", "\"Goede testmodule 2\""},
	    {"om de parser mee", "om de lezer mee"},
	    {"\"teacher\",\n  \"ib\"", "\"ib\""},
	    {"\"estimated_minutes\": 20", "\"estimated_minutes\": 21"},
	    {"\"validity_months\": 24", "\"validity_months\": 12"},
	    {"\"pass_mark\": 70", "\"pass_mark\": 80"},
	    {"\"position\": 3", "\"position\": 4"},
	    {"\"id\": \"verder\"", "\"id\": \"verderop\""},
	    {"de stof van de module\"", "de stof van de module goed\""},
	    {"\"sections\": [\n    \"intro\"",
	     "\"sections\": [\n    \"verder\""},
	    {"\"title\": \"Inleiding\"", "\"title\": \"Begin\""},
	    {"\"id\": \"q1\"", "\"id\": \"vraag-1\""},
	    {"\"Eerste vraag?\"", "\"Eerste vraag!\""},
	    {"\"multiple\": false", "\"multiple\": true"},
	    {"\"Omdat a klopt.\"", "\"Omdat a juist is.\""},
	    {"\"id\": \"c\"", "\"id\": \"d\""},
	    {"\"text\": \"Drie\"", "\"text\": \"Vier\""},
	    {"\"text\": \"Drie\",\n      \"correct\": false",
	     "\"text\": \"Drie\",\n      \"correct\": true"},
	};
	enum { N_EDITS = sizeof(edits) / sizeof(edits[0]) };
	struct content_module *good, *m;
	char                   hashes[N_EDITS][65];
	char                  *dir, *root, *moddir, *json;
	size_t                 i, k;

	(void)state;
	dir = fixture("modules/good");
	good = load_ok(dir);
	free(dir);
	for (i = 0; i < N_EDITS; i++) {
		root = temp_good_copy(&moddir);
		assert_true(asprintf(&json, "%s/module.json", moddir) > 0);
		replace_in_file(json, edits[i].from, edits[i].to);
		m = load_ok(moddir);
		if (strcmp(m->hash, good->hash) == 0)
			print_message("edit %zu (%s) kept the hash\n", i,
			              edits[i].to);
		assert_string_not_equal(m->hash, good->hash);
		memcpy(hashes[i], m->hash, sizeof(hashes[i]));
		for (k = 0; k < i; k++)
			assert_string_not_equal(hashes[k], hashes[i]);
		content_module_free(m);
		free(json);
		free(moddir);
		rm_tree(root);
	}
	content_module_free(good);
}

/* Loads content/balance/<name>, which must pass the format rules. */
static struct content_module *
load_balance(const char *name)
{
	struct content_module *m;
	char                  *rel, *dir;

	assert_true(asprintf(&rel, "balance/%s", name) > 0);
	dir = fixture(rel);
	m = load_ok(dir);
	free(dir);
	free(rel);
	return m;
}

/* The figures hgkm-content check prints, on ties and multiple answers. */
static void
test_balance_figures(void **state)
{
	struct content_balance b;
	struct content_module *m;

	(void)state;
	m = load_balance("ties");
	content_balance(m, &b);
	assert_int_equal(b.bank, 6);
	assert_int_equal(b.drawn, 3);
	assert_int_equal(b.objectives, 2);
	/* q1 (a tie), q2 (two right ones) and q3 (the one right one). */
	assert_int_equal(b.longest_right, 3);
	assert_true(b.longest_right_pct > 49.99 && b.longest_right_pct < 50.01);
	/* (1 x (1/2 + 0) / 2 + 2 x (1 + 0 + 0 + 0) / 4) / 3 = 25 % */
	assert_true(b.longest_learner_score > 24.99 &&
	            b.longest_learner_score < 25.01);
	content_module_free(m);
}

/* Each balance rule fails on its own fixture and only there. */
static void
test_balance_rules(void **state)
{
	struct errlist         errs;
	struct content_module *m;

	(void)state;
	errlist_init(&errs);

	m = load_balance("ok"); /* 2 of 5 (40 %) is still allowed */
	assert_int_equal(content_balance_check(m, "ok", &errs), 0);
	assert_int_equal(errs.count, 0);
	content_module_free(m);

	m = load_balance("longest");
	assert_int_equal(content_balance_check(m, "longest", &errs), 1);
	assert_true(has_error(&errs, "longest: balance: in 3 of 5 questions "
	                             "(60%) a right choice is the longest"));
	content_module_free(m);
	errlist_free(&errs);

	/* 6 of 16 longest-right, but weighted by the draws it scores 75. */
	m = load_balance("learner");
	assert_int_equal(content_balance_check(m, "learner", &errs), 1);
	assert_true(has_error(&errs, "learner: balance: a learner who always "
	                             "ticks the longest choice scores 75.0"));
	content_module_free(m);
	errlist_free(&errs);
	assert_int_equal(CONTENT_BALANCE_RULES_ENFORCED, 1);
}

/* The objectives and each question's objective are parsed as written. */
static void
test_objectives_parsed(void **state)
{
	struct content_module *m;

	(void)state;
	m = load_balance("ties");
	assert_int_equal(m->n_objectives, 2);
	assert_string_equal(m->objectives[0].id, "o1");
	assert_string_equal(m->objectives[0].title, "Doel o1");
	assert_int_equal(m->objectives[1].draw, 2);
	assert_int_equal(m->objectives[1].n_sections, 1);
	assert_string_equal(m->objectives[1].sections[0], "intro");
	assert_string_equal(m->questions[0].objective, "o1");
	assert_string_equal(m->questions[5].objective, "o2");
	content_module_free(m);
}

/*
 * An in-person module's criteria are parsed as written and are part of the
 * hash (a changed id or text is a new module version).
 */
static void
test_criteria_parsed(void **state)
{
	static const struct {
		const char *from, *to;
	} edits[] = {
	    {"\"id\": \"luisteren\"", "\"id\": \"luisteren-2\""},
	    {"Je luistert en vat samen.", "Je luistert en vat kort samen."},
	};
	struct content_module *m, *e, *good;
	char                  *dir, *root, *moddir, *json, *src, *dst;
	size_t                 i, f;

	(void)state;
	dir = fixture("modules/in-person-good");
	m = load_ok(dir);
	assert_true(m->in_person);
	assert_int_equal(m->n_questions, 0);
	assert_int_equal(m->n_criteria, 2);
	assert_string_equal(m->criteria[0].id, "opening");
	assert_string_equal(m->criteria[0].text,
	                    "Je opent het gesprek met een ik-boodschap.");
	assert_string_equal(m->criteria[1].id, "luisteren");
	assert_string_equal(m->criteria[1].text, "Je luistert en vat samen.");
	for (i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		root = temp_good_copy(&moddir);
		for (f = 0; f < 3; f++) {
			static const char *const files[] = {
			    "module.json", "01-intro.md", "02-verder.md"};

			assert_true(asprintf(&src, "%s/%s", dir, files[f]) > 0);
			assert_true(asprintf(&dst, "%s/%s", moddir, files[f]) >
			            0);
			copy_file(src, dst);
			free(src);
			free(dst);
		}
		assert_true(asprintf(&json, "%s/module.json", moddir) > 0);
		replace_in_file(json, edits[i].from, edits[i].to);
		e = load_ok(moddir);
		assert_string_not_equal(e->hash, m->hash);
		content_module_free(e);
		free(json);
		free(moddir);
		rm_tree(root);
	}
	free(dir);
	content_module_free(m);
	/* A module with a quiz has none. */
	dir = fixture("modules/good");
	good = load_ok(dir);
	free(dir);
	assert_int_equal(good->n_criteria, 0);
	assert_null(good->criteria);
	content_module_free(good);
}

/* File names are not content: renaming a section file keeps the hash. */
static void
test_hash_ignores_file_names(void **state)
{
	struct content_module *a, *b;
	char                  *dir, *root, *moddir, *from, *to, *json;

	(void)state;
	dir = fixture("modules/good");
	a = load_ok(dir);
	free(dir);
	root = temp_good_copy(&moddir);
	assert_true(asprintf(&from, "%s/01-intro.md", moddir) > 0);
	assert_true(asprintf(&to, "%s/01-inleiding.md", moddir) > 0);
	assert_int_equal(rename(from, to), 0);
	assert_true(asprintf(&json, "%s/module.json", moddir) > 0);
	replace_in_file(json, "\"01-intro.md\"", "\"01-inleiding.md\"");
	b = load_ok(moddir);
	assert_string_equal(b->sections[0].file, "01-inleiding.md");
	assert_string_equal(a->hash, b->hash);
	content_module_free(a);
	content_module_free(b);
	free(from);
	free(to);
	free(json);
	free(moddir);
	rm_tree(root);
}

/* The 64 KiB cap: exactly at the limit loads, one byte more is refused. */
static void
test_markdown_size_cap(void **state)
{
	struct errlist         errs;
	struct content_module *m;
	char                  *root, *moddir, *path, *big;
	size_t                 i;

	(void)state;
	root = temp_good_copy(&moddir);
	assert_true(asprintf(&path, "%s/01-intro.md", moddir) > 0);
	big = malloc(CONTENT_MD_MAX + 1);
	assert_non_null(big);
	/* Plain paragraphs: nothing that makes cmark slow. */
	for (i = 0; i < CONTENT_MD_MAX + 1; i++)
		big[i] = (i % 64 == 63) ? '\n' : 'a';

	write_file(path, big, CONTENT_MD_MAX);
	m = load_ok(moddir);
	assert_int_equal(m->sections[0].markdown_len, CONTENT_MD_MAX);
	content_module_free(m);

	write_file(path, big, CONTENT_MD_MAX + 1);
	errlist_init(&errs);
	assert_int_equal(content_module_load(moddir, &m, &errs), -1);
	assert_null(m);
	assert_int_equal(errs.count, 1);
	assert_true(has_error(&errs, "01-intro.md: file is larger than 65536 "
	                             "bytes"));
	errlist_free(&errs);
	free(big);
	free(path);
	free(moddir);
	rm_tree(root);
}

/* A section file must be a regular file in the directory, not a link. */
static void
test_symlink_refused(void **state)
{
	struct errlist         errs;
	struct content_module *m;
	char                  *root, *moddir, *path, *target;

	(void)state;
	root = temp_good_copy(&moddir);
	assert_true(asprintf(&path, "%s/01-intro.md", moddir) > 0);
	assert_true(asprintf(&target, "%s/elsewhere.txt", root) > 0);
	write_file(target, "Buiten de module.\n", 18);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(target, path), 0);
	errlist_init(&errs);
	assert_int_equal(content_module_load(moddir, &m, &errs), -1);
	assert_null(m);
	assert_int_equal(errs.count, 1);
	assert_true(has_error(&errs, "01-intro.md: symbolic links are not "
	                             "allowed"));
	errlist_free(&errs);
	free(path);
	free(target);
	free(moddir);
	rm_tree(root);
}

/* Errors accumulate across calls; each call judges only its own. */
static void
test_errors_accumulate(void **state)
{
	struct errlist         errs;
	struct content_module *m;
	char                  *bad, *good;

	(void)state;
	bad = fixture("modules/pass-mark-range");
	good = fixture("modules/good");
	errlist_init(&errs);
	assert_int_equal(content_module_load(bad, &m, &errs), -1);
	assert_int_equal(errs.count, 1);
	assert_int_equal(content_module_load(good, &m, &errs), 0);
	assert_non_null(m);
	assert_int_equal(errs.count, 1);
	content_module_free(m);
	assert_int_equal(content_module_load(bad, &m, &errs), -1);
	assert_int_equal(errs.count, 2);
	errlist_free(&errs);
	assert_int_equal(errs.count, 0);
	assert_null(errs.items);
	free(bad);
	free(good);
}

/* Past CONTENT_ERRORS_MAX messages are counted, not kept. */
static void
test_errors_cap(void **state)
{
	struct errlist         errs;
	struct content_module *m;
	char                  *bad;
	int                    i;

	(void)state;
	bad = fixture("modules/no-module-json");
	errlist_init(&errs);
	for (i = 0; i < CONTENT_ERRORS_MAX + 5; i++)
		assert_int_equal(content_module_load(bad, &m, &errs), -1);
	assert_int_equal(errs.count, CONTENT_ERRORS_MAX);
	assert_int_equal(errs.dropped, 5);
	errlist_free(&errs);
	assert_int_equal(errs.dropped, 0);
	free(bad);
}

static void
test_list_modules(void **state)
{
	struct errlist      errs;
	struct content_list list;
	char               *dir;

	(void)state;
	errlist_init(&errs);

	/* Sorted, hidden entries and plain files skipped. */
	dir = fixture("list-ok");
	assert_int_equal(content_list_modules(dir, &list, &errs), 0);
	free(dir);
	assert_int_equal(errs.count, 0);
	assert_int_equal(list.count, 3);
	assert_string_equal(list.names[0], "10-mod");
	assert_string_equal(list.names[1], "a-mod");
	assert_string_equal(list.names[2], "b-mod");
	content_list_free(&list);
	assert_null(list.names);
	assert_int_equal(list.count, 0);

	/* A directory with a name that is not a slug is an error. */
	dir = fixture("list-bad");
	assert_int_equal(content_list_modules(dir, &list, &errs), -1);
	free(dir);
	assert_int_equal(errs.count, 1);
	assert_true(has_error(&errs, "list-bad/Bad_Slug: directory name is not "
	                             "a valid module slug"));
	assert_int_equal(list.count, 0);
	assert_null(list.names);

	dir = fixture("does-not-exist");
	assert_int_equal(content_list_modules(dir, &list, &errs), -1);
	assert_int_equal(errs.count, 2);
	assert_true(has_error(&errs, dir));
	free(dir);
	errlist_free(&errs);
}

/* Loading a module directory whose own name is not a slug. */
static void
test_bad_slug_directory(void **state)
{
	struct errlist         errs;
	struct content_module *m;
	char                  *dir;

	(void)state;
	dir = fixture("list-bad/Bad_Slug/");
	errlist_init(&errs);
	assert_int_equal(content_module_load(dir, &m, &errs), -1);
	assert_null(m);
	assert_int_equal(errs.count, 1);
	assert_true(has_error(&errs, "Bad_Slug: directory name is not a valid "
	                             "module slug"));
	errlist_free(&errs);
	free(dir);
}

static void
test_valid_slug(void **state)
{
	static const struct {
		const char *s;
		bool        ok;
	} cases[] = {
	    {"a", true},
	    {"0", true},
	    {"meldcode-kort", true},
	    {"a-", true},
	    {"12345678901234567890123456789012"
	     "34567890123456789012345678901234",
	     true}, /* 64 */
	    {"", false},
	    {"-a", false},
	    {"A", false},
	    {"a_b", false},
	    {"a b", false},
	    {"a/b", false},
	    {"..", false},
	    {"\xc3\xa9", false},
	    {"12345678901234567890123456789012"
	     "345678901234567890123456789012345",
	     false}, /* 65 */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (validate_slug(cases[i].s) != cases[i].ok)
			print_message("slug \"%s\"\n", cases[i].s);
		assert_int_equal(validate_slug(cases[i].s), cases[i].ok);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_module),
	    cmocka_unit_test(test_broken_modules),
	    cmocka_unit_test(test_fixtures_all_listed),
	    cmocka_unit_test(test_title_limit_counts_characters),
	    cmocka_unit_test(test_hash_stable),
	    cmocka_unit_test(test_hash_covers_every_field),
	    cmocka_unit_test(test_hash_ignores_file_names),
	    cmocka_unit_test(test_balance_figures),
	    cmocka_unit_test(test_balance_rules),
	    cmocka_unit_test(test_objectives_parsed),
	    cmocka_unit_test(test_criteria_parsed),
	    cmocka_unit_test(test_markdown_size_cap),
	    cmocka_unit_test(test_symlink_refused),
	    cmocka_unit_test(test_errors_accumulate),
	    cmocka_unit_test(test_errors_cap),
	    cmocka_unit_test(test_list_modules),
	    cmocka_unit_test(test_bad_slug_directory),
	    cmocka_unit_test(test_valid_slug),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
