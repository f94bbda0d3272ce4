/* Course content: parses and checks one module directory of content/. */
#ifndef CONTENT_H
#define CONTENT_H

#include <stdbool.h>
#include <stddef.h>

#include "errlist.h"

/*
 * Limits of the format (docs/content-format.md).  Text limits count Unicode
 * code points, not bytes.
 */
#define CONTENT_MD_MAX (64 * 1024)         /* bytes; cmark 0.30 is quadratic */
#define CONTENT_JSON_MAX (4 * 1024 * 1024) /* bytes of module.json */
#define CONTENT_MAX_SECTIONS 50
#define CONTENT_MAX_QUESTIONS 50
#define CONTENT_MIN_CHOICES 2
#define CONTENT_MAX_CHOICES 10
#define CONTENT_MAX_OBJECTIVES 10
#define CONTENT_MAX_DRAW 10 /* questions one attempt draws per objective */
#define CONTENT_MAX_CRITERIA 12
#define CONTENT_CRITERION_ID_MAX 32
#define CONTENT_CRITERION_TEXT_MAX 300
#define CONTENT_ERRORS_MAX ERRLIST_MAX /* further messages are only counted */

/* Audience bits; the order is the order used in the database array. */
enum {
	CONTENT_AUDIENCE_TEACHER = 1 << 0,
	CONTENT_AUDIENCE_IB = 1 << 1,
};

struct content_choice {
	char *id;
	char *text;
	bool  correct;
};

struct content_question {
	char *id;
	char *objective; /* id of one of the module's objectives */
	char *text;
	char *explanation;
	bool  multiple;
	struct content_choice *choices;
	size_t                 n_choices;
};

/* A learning objective: the questions that test it form its bank, of which
 * every attempt draws `draw`; `sections` teach it. */
struct content_objective {
	char  *id;
	char  *title;
	char **sections; /* section ids of the module */
	size_t n_sections;
	int    draw;
};

/* What a trainer judges per attendee of an in-person module. */
struct content_criterion {
	char *id;
	char *text; /* one line */
};

struct content_section {
	char  *id;
	char  *title;
	char  *file;     /* plain file name inside the module directory */
	char  *markdown; /* NUL-terminated source */
	size_t markdown_len;
	char  *html; /* rendered by cmark, raw HTML refused */
	char
	    *scenario; /* slug of a role-play played in this section, or NULL */
};

/*
 * One parsed module.  Every pointer in it, down to the choice texts, is owned
 * by the module and released by content_module_free().
 */
struct content_module {
	char                   *slug;
	char                   *title;
	char                   *summary;
	unsigned                audience; /* CONTENT_AUDIENCE_*, never 0 */
	int                     estimated_minutes;
	int                     validity_months;
	int                     pass_mark;
	int                     position;
	bool                    in_person; /* done in person: no quiz */
	struct content_section *sections;
	size_t                  n_sections;
	struct content_objective
	      *objectives; /* none for a module without quiz */
	size_t n_objectives;
	struct content_question *questions;
	size_t                   n_questions;
	/* Only and always for an in_person module (1..CONTENT_MAX_CRITERIA). */
	struct content_criterion *criteria;
	size_t                    n_criteria;
	char                      hash[65]; /* hex sha256, see below */
};

/*
 * Problems go to an errlist (errlist.h), one message per problem, each
 * naming the file and either the JSON pointer of the field or the line.
 */

/* Sorted module directory names (slugs); the list owns the strings. */
struct content_list {
	char **names;
	size_t count;
};

/*
 * Parses and checks the module in `dir` (for example "content/modules/x");
 * the slug is the last path component.  Every problem found is appended to
 * `errs`, and parsing goes on after most problems so that one run shows them
 * all.
 *
 * Returns 0 and sets *out to a module owned by the caller (release it with
 * content_module_free) when nothing was wrong.  Returns -1 with *out NULL
 * when at least one error was appended.  The content hash covers the slug,
 * all metadata, the section ids, titles and Markdown, and the whole quiz, so
 * loading unchanged content twice gives the same hash; file names and the
 * rendered HTML are not part of it.  Allocation failure aborts the process.
 */
int content_module_load(const char *dir, struct content_module **out,
                        struct errlist *errs);

/* Frees the module and everything it points to; NULL is allowed. */
void content_module_free(struct content_module *m);

/*
 * Lists the module directories in `modules_dir` (for example
 * "content/modules") in byte order.  Names starting with '.' and entries
 * that are not directories are skipped; a directory whose name is not a
 * valid slug is an error.  Returns 0 with `out` filled (release it with
 * content_list_free), or -1 with errors appended and `out` empty.
 */
int content_list_modules(const char *modules_dir, struct content_list *out,
                         struct errlist *errs);

void content_list_free(struct content_list *list);

/*
 * The balance rules of a question bank (docs/content-format.md, "Balance").
 * hgkm-content check fails on a module that breaks them while this switch
 * is on (off: it only reports them).  load runs no balance check at all, so
 * a stack can still start on unbalanced content: run check before load.
 */
#define CONTENT_BALANCE_RULES_ENFORCED 1
#define CONTENT_LONGEST_RIGHT_MAX_PCT 40

/* What a module's bank looks like to a guesser; see content_balance(). */
struct content_balance {
	size_t bank;  /* questions in the bank */
	size_t drawn; /* questions one attempt draws (sum of draws) */
	size_t objectives;
	size_t longest_right; /* questions whose right choice is the longest */
	double longest_right_pct;
	/* expected score (0..100) of a learner who always ticks only the
	 * longest choice, on a random draw */
	double longest_learner_score;
};

/* Computes the balance figures of a parsed module with a quiz. */
void content_balance(const struct content_module *m,
                     struct content_balance      *out);

/*
 * Appends one message per broken balance rule of `m` to `errs` (file
 * `json_path`, usually <dir>/module.json).  Returns the number appended.
 */
size_t content_balance_check(const struct content_module *m,
                             const char *json_path, struct errlist *errs);

#endif
