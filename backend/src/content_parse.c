/* Course content, part 1 of 3: parse module.json of one module directory
 * (and list the module directories), the entry point of content.h. */

/*
 * A module is module.json plus one Markdown file per section.  Parsing goes
 * on after an error wherever the rest still makes sense, so that an author
 * sees every problem in one run; the module is handed out only when no error
 * was found.  Every message starts with the file, then the JSON pointer of
 * the field or the line in the file.
 *
 * Markdown is trusted project content, but raw HTML is refused outright
 * rather than silently dropped by cmark, so that the author notices.  Files
 * over CONTENT_MD_MAX are refused before cmark sees them: cmark 0.30 takes
 * seconds on some nested-list shapes of that size.
 *
 * Allocation failure aborts: this runs in a command-line loader, where there
 * is nothing sensible to do without memory.
 */
#include "content.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content_impl.h"
#include "domain.h"
#include "validate.h"

#define CONTENT_ID_MAX 32 /* question and choice ids */
#define CONTENT_TITLE_MAX 200
#define CONTENT_SUMMARY_MAX 1000
#define CONTENT_TEXT_MAX 2000
#define CONTENT_EXPLAIN_MAX 4000
#define CONTENT_POSITION_MAX 100000
#define CONTENT_FILE_MAX 128

/* Text kinds: a title is one line, the others may span lines. */
enum {
	TEXT_LINE,
	TEXT_MULTILINE,
};
static void    quote_key(const char *key, char *buf, size_t size);
static void    check_keys(struct ctx *c, json_t *obj, const char *ptr,
                          const char *const *allowed);
static json_t *get_field(struct ctx *c, json_t *obj, const char *ptr,
                         const char *key);
static json_t *get_typed(struct ctx *c, json_t *obj, const char *ptr,
                         const char *key, json_type type, const char *what);
static int     get_text(struct ctx *c, json_t *obj, const char *ptr,
                        const char *key, size_t max, int kind, char **out);
static int get_id(struct ctx *c, json_t *obj, const char *ptr, const char *key,
                  size_t max, char **out);
static int get_int(struct ctx *c, json_t *obj, const char *ptr, const char *key,
                   int min, int max, int *out);
static int get_bool(struct ctx *c, json_t *obj, const char *ptr,
                    const char *key, bool *out);
static json_t *get_array(struct ctx *c, json_t *obj, const char *ptr,
                         const char *key, size_t min, size_t max);
static void    parse_audience(struct ctx *c, json_t *root,
                              struct content_module *m);
static void    parse_sections(struct ctx *c, json_t *root,
                              struct content_module *m);
static void    parse_choices(struct ctx *c, json_t *q, const char *ptr,
                             struct content_question *qu, bool multiple_ok);
static void   parse_quiz(struct ctx *c, json_t *root, struct content_module *m);
static void   parse_objectives(struct ctx *c, json_t *root,
                               struct content_module *m);
static size_t first_with(const void *base, size_t n, size_t stride,
                         size_t offset, const char *s);
static void   free_strings(char *const *s, size_t n);
static bool   entry_object(struct ctx *c, json_t *v, const char *ptr_base,
                           const char *name, size_t i, const char *const *keys,
                           char *ptr, size_t size);
static void get_unique_id(struct ctx *c, json_t *v, const char *ptr, size_t max,
                          char **out, const void *first, size_t i,
                          size_t stride, size_t offset, const char *other);
static void parse_criteria(struct ctx *c, json_t *root,
                           struct content_module *m);
static void parse_module(struct ctx *c, json_t *root, struct content_module *m);
static int  cmp_names(const void *a, const void *b);

static const char *const module_keys[] = {
    "title",
    "summary",
    "audience",
    "estimated_minutes",
    "validity_months",
    "pass_mark",
    "position",
    "sections",
    "quiz",
    "in_person",
    "objectives",
    "criteria",
    NULL,
};
static const char *const criterion_keys[] = {"id", "text", NULL};
static const char *const objective_keys[] = {"id", "title", "sections", "draw",
                                             NULL};
static const char *const section_keys[] = {"id", "title", "file", "scenario",
                                           NULL};
static const char *const quiz_keys[] = {"questions", NULL};
static const char *const question_keys[] = {
    "id", "objective", "text", "multiple", "explanation", "choices", NULL,
};
static const char *const choice_keys[] = {"id", "text", "correct", NULL};

void
content_oom(void)
{
	fputs("content: out of memory\n", stderr);
	abort();
}

void *
content_xcalloc(size_t n, size_t size)
{
	void *p;

	p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);
	if (p == NULL)
		content_oom();
	return p;
}

char *
content_xstrdup(const char *s)
{
	char *p;

	p = strdup(s);
	if (p == NULL)
		content_oom();
	return p;
}

char *
content_path_join(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		content_oom();
	return p;
}

/* A key from the file, made printable and cut short for a message. */
static void
quote_key(const char *key, char *buf, size_t size)
{
	size_t i;

	for (i = 0; key[i] != '\0' && i + 4 < size; i++) {
		unsigned char ch = (unsigned char)key[i];
		bool          odd = ch < 0x20 || ch == 0x7f || ch == '"';

		buf[i] = odd ? '?' : (char)ch;
	}
	if (key[i] != '\0') {
		/* Cut before a character, never inside one (keys are UTF-8). */
		while (i > 0 && ((unsigned char)key[i] & 0xC0) == 0x80)
			i--;
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
}

/*
 * A section file: a plain name in the module directory, so no '/', no "..",
 * no hidden files, ending in ".md".
 */
bool
content_valid_md_name(const char *s)
{
	size_t i, len;

	len = strlen(s);
	if (len <= 3 || len > CONTENT_FILE_MAX ||
	    strcmp(s + len - 3, ".md") != 0)
		return false;
	if (s[0] == '.' || s[0] == '-' || strstr(s, "..") != NULL)
		return false;
	for (i = 0; i < len; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		      ch == '.'))
			return false;
	}
	return true;
}

size_t
content_line_of(const char *s, size_t off)
{
	size_t i, line;

	line = 1;
	for (i = 0; i < off; i++)
		if (s[i] == '\n')
			line++;
	return line;
}

/*
 * Reads a whole regular file, refusing symbolic links and anything over
 * `max` bytes.  On success *buf is a NUL-terminated heap copy owned by the
 * caller.
 */
int
content_read_file(const char *path, size_t max, char **buf, size_t *len,
                  struct errlist *errs)
{
	struct stat st;
	char       *data;
	size_t      have;
	ssize_t     n;
	int         fd;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT)
			errlist_add(errs, NULL, 0, 0, "%s: file not found",
			            path);
		else if (errno == ELOOP)
			errlist_add(errs, NULL, 0, 0,
			            "%s: symbolic links are not allowed", path);
		else
			errlist_add(errs, NULL, 0, 0, "%s: %s", path,
			            strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		errlist_add(errs, NULL, 0, 0, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	/* Read one byte past the limit, so a file that grew is still caught. */
	data = content_xcalloc(max + 2, 1);
	have = 0;
	for (;;) {
		n = read(fd, data + have, max + 1 - have);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			errlist_add(errs, NULL, 0, 0, "%s: %s", path,
			            strerror(errno));
			free(data);
			close(fd);
			return -1;
		}
		if (n == 0 || (have += (size_t)n) > max)
			break;
	}
	close(fd);
	if (have > max) {
		errlist_add(errs, NULL, 0, 0,
		            "%s: file is larger than %zu bytes", path, max);
		free(data);
		return -1;
	}
	data[have] = '\0';
	*buf = data;
	*len = have;
	return 0;
}

/* Typo protection: every key of obj must be in `allowed`. */
static void
check_keys(struct ctx *c, json_t *obj, const char *ptr,
           const char *const *allowed)
{
	const char *key;
	json_t     *v;
	size_t      i;
	char        q[72];

	json_object_foreach (obj, key, v) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			quote_key(key, q, sizeof(q));
			errlist_add(c->errs, NULL, 0, 0,
			            "%s: %s: unknown key \"%s\"", c->file,
			            ptr[0] ? ptr : "/", q);
		}
	}
}

static json_t *
get_field(struct ctx *c, json_t *obj, const char *ptr, const char *key)
{
	json_t *v;

	v = json_object_get(obj, key);
	if (v == NULL)
		errlist_add(c->errs, NULL, 0, 0, "%s: %s: missing key \"%s\"",
		            c->file, ptr[0] ? ptr : "/", key);
	return v;
}

/*
 * The field `key` when it is there and of the type `type` (true and false
 * both for JSON_TRUE); `what` names the type in the message.  NULL after
 * an error.
 */
static json_t *
get_typed(struct ctx *c, json_t *obj, const char *ptr, const char *key,
          json_type type, const char *what)
{
	json_t *v = get_field(c, obj, ptr, key);

	if (v == NULL || json_typeof(v) == type ||
	    (type == JSON_TRUE && json_is_boolean(v)))
		return v;
	errlist_add(c->errs, NULL, 0, 0, "%s: %s/%s: must be %s", c->file, ptr,
	            key, what);
	return NULL;
}

/*
 * A text field: a non-blank string of at most `max` code points, with no
 * control characters other than newline and tab (and no newline in a
 * TEXT_LINE).  jansson has already refused invalid UTF-8 and NUL.
 */
static int
get_text(struct ctx *c, json_t *obj, const char *ptr, const char *key,
         size_t max, int kind, char **out)
{
	const unsigned char *s;
	json_t              *v;
	size_t               i, len, chars;
	bool                 blank;

	*out = NULL;
	if ((v = get_typed(c, obj, ptr, key, JSON_STRING, "a string")) == NULL)
		return -1;
	s = (const unsigned char *)json_string_value(v);
	len = json_string_length(v);
	chars = 0;
	blank = true;
	for (i = 0; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			chars++;
		if (s[i] < 0x20 && s[i] != '\t' &&
		    !(s[i] == '\n' && kind == TEXT_MULTILINE)) {
			errlist_add(c->errs, NULL, 0, 0,
			            "%s: %s/%s: control character 0x%02x "
			            "is not allowed",
			            c->file, ptr, key, s[i]);
			return -1;
		}
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
			blank = false;
	}
	if (blank) {
		errlist_add(c->errs, NULL, 0, 0, "%s: %s/%s: must not be empty",
		            c->file, ptr, key);
		return -1;
	}
	if (chars > max) {
		errlist_add(c->errs, NULL, 0, 0,
		            "%s: %s/%s: is %zu characters, the limit "
		            "is %zu",
		            c->file, ptr, key, chars, max);
		return -1;
	}
	*out = content_xstrdup((const char *)s);
	return 0;
}

static int
get_id(struct ctx *c, json_t *obj, const char *ptr, const char *key, size_t max,
       char **out)
{
	json_t *v;

	*out = NULL;
	if ((v = get_field(c, obj, ptr, key)) == NULL)
		return -1;
	if (!json_is_string(v) || !validate_id(json_string_value(v), max)) {
		errlist_add(c->errs, NULL, 0, 0,
		            "%s: %s/%s: must be a string matching "
		            "^[a-z0-9][a-z0-9-]{0,%zu}$",
		            c->file, ptr, key, max - 1);
		return -1;
	}
	*out = content_xstrdup(json_string_value(v));
	return 0;
}

static int
get_int(struct ctx *c, json_t *obj, const char *ptr, const char *key, int min,
        int max, int *out)
{
	json_t    *v;
	json_int_t n;

	if ((v = get_typed(c, obj, ptr, key, JSON_INTEGER, "an integer")) ==
	    NULL)
		return -1;
	/* Range first: json_int_t is wider than int. */
	n = json_integer_value(v);
	if (n < min || n > max) {
		errlist_add(c->errs, NULL, 0, 0,
		            "%s: %s/%s: must be between %d and %d", c->file,
		            ptr, key, min, max);
		return -1;
	}
	*out = (int)n;
	return 0;
}

static int
get_bool(struct ctx *c, json_t *obj, const char *ptr, const char *key,
         bool *out)
{
	json_t *v;

	if ((v = get_typed(c, obj, ptr, key, JSON_TRUE, "true or false")) ==
	    NULL)
		return -1;
	*out = json_is_true(v);
	return 0;
}

/*
 * An array field.  A wrong length is reported but the array is still
 * returned, so that the entries are checked too.
 */
static json_t *
get_array(struct ctx *c, json_t *obj, const char *ptr, const char *key,
          size_t min, size_t max)
{
	json_t *v;
	size_t  n;

	if ((v = get_typed(c, obj, ptr, key, JSON_ARRAY, "an array")) == NULL)
		return NULL;
	n = json_array_size(v);
	if (n < min || n > max)
		errlist_add(c->errs, NULL, 0, 0,
		            "%s: %s/%s: needs %zu to %zu entries, "
		            "has %zu",
		            c->file, ptr, key, min, max, n);
	return v;
}

/*
 * Uniqueness checks: the index of the first of the n entries of `stride`
 * bytes at `base` whose string at `offset` (an id, a file) is s, or n when
 * there is none.  Entries whose id failed to parse are NULL and never match.
 */
static size_t
first_with(const void *base, size_t n, size_t stride, size_t offset,
           const char *s)
{
	const char *p = base;

	for (size_t j = 0; j < n; j++) {
		const char *v = *(const char *const *)(p + j * stride + offset);

		if (v != NULL && strcmp(v, s) == 0)
			return j;
	}
	return n;
}

/* Frees n strings; any of them may be NULL. */
static void
free_strings(char *const *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i]);
}

#define FREE_STRINGS(...)                                                      \
	free_strings((char *const[]){__VA_ARGS__},                             \
	             sizeof((char *const[]){__VA_ARGS__}) / sizeof(char *))

/* first_with over the array `arr` of `type`, comparing its `field`. */
#define FIRST_WITH(arr, n, type, field, s)                                     \
	first_with((arr), (n), sizeof(type), offsetof(type, field), (s))

/*
 * Entry i of the array at ptr_base + name: writes its pointer to ptr; an
 * error and false when it is not an object, else its keys are checked.
 */
static bool
entry_object(struct ctx *c, json_t *v, const char *ptr_base, const char *name,
             size_t i, const char *const *keys, char *ptr, size_t size)
{
	snprintf(ptr, size, "%s%s/%zu", ptr_base, name, i);
	if (!json_is_object(v)) {
		errlist_add(c->errs, NULL, 0, 0, "%s: %s: must be an object",
		            c->file, ptr);
		return false;
	}
	check_keys(c, v, ptr, keys);
	return true;
}

/*
 * The "id" of entry i (get_id), and an error when one of the i entries
 * before it (`stride` bytes each from `first`, the id at `offset`) has the
 * same id; `other` names the earlier entry, followed by its index.
 */
static void
get_unique_id(struct ctx *c, json_t *v, const char *ptr, size_t max, char **out,
              const void *first, size_t i, size_t stride, size_t offset,
              const char *other)
{
	size_t j;

	if (get_id(c, v, ptr, "id", max, out) == 0 &&
	    (j = first_with(first, i, stride, offset, *out)) < i)
		errlist_add(c->errs, NULL, 0, 0,
		            "%s: %s/id: \"%s\" is also the id of %s%zu",
		            c->file, ptr, *out, other, j);
}

#define GET_UNIQUE_ID(c, v, ptr, max, arr, i, type, other)                     \
	get_unique_id((c), (v), (ptr), (max), &(arr)[i].id, (arr), (i),        \
	              sizeof(type), offsetof(type, id), (other))

static void
parse_audience(struct ctx *c, json_t *root, struct content_module *m)
{
	json_t  *arr, *v;
	size_t   i;
	unsigned bit;

	if ((arr = get_array(c, root, "", "audience", 1, 2)) == NULL)
		return;
	json_array_foreach (arr, i, v) {
		const char               *s = json_string_value(v);
		const struct domain_item *role =
		    domain_find(&domain_learner_roles, s);

		/* CONTENT_AUDIENCE_* bits follow the order of the list. */
		if (role != NULL)
			bit = 1u << (role - domain_learner_roles.items);
		else {
			errlist_add(c->errs, NULL, 0, 0,
			            "%s: /audience/%zu: must be "
			            "\"teacher\" or \"ib\"",
			            c->file, i);
			continue;
		}
		if (m->audience & bit)
			errlist_add(c->errs, NULL, 0, 0,
			            "%s: /audience/%zu: \"%s\" is listed "
			            "twice",
			            c->file, i, s);
		m->audience |= bit;
	}
}

static void
parse_sections(struct ctx *c, json_t *root, struct content_module *m)
{
	json_t *arr, *v;
	size_t  i, j;
	char    ptr[64];

	arr = get_array(c, root, "", "sections", 1, CONTENT_MAX_SECTIONS);
	if (arr == NULL)
		return;
	m->n_sections = json_array_size(arr);
	m->sections = content_xcalloc(m->n_sections, sizeof(*m->sections));
	json_array_foreach (arr, i, v) {
		struct content_section *s = &m->sections[i];
		char                   *file;

		if (!entry_object(c, v, "", "/sections", i, section_keys, ptr,
		                  sizeof(ptr)))
			continue;
		GET_UNIQUE_ID(c, v, ptr, 64, m->sections, i,
		              struct content_section, "/sections/");
		get_text(c, v, ptr, "title", CONTENT_TITLE_MAX, TEXT_LINE,
		         &s->title);
		/* A section that is a role-play: done once played to an end. */
		if (json_object_get(v, "scenario") != NULL)
			get_id(c, v, ptr, "scenario", 64, &s->scenario);
		if (get_text(c, v, ptr, "file", CONTENT_FILE_MAX, TEXT_LINE,
		             &file) != 0)
			continue;
		if (!content_valid_md_name(file)) {
			errlist_add(
			    c->errs, NULL, 0, 0,
			    "%s: %s/file: must be a plain file "
			    "name in the module directory ending in .md "
			    "(letters, digits, '-', '_', '.'; no '/' or "
			    "'..')",
			    c->file, ptr);
			free(file);
			continue;
		}
		s->file = file;
		if ((j = FIRST_WITH(m->sections, i, struct content_section,
		                    file, file)) < i)
			errlist_add(c->errs, NULL, 0, 0,
			            "%s: %s/file: \"%s\" is also the "
			            "file of /sections/%zu",
			            c->file, ptr, file, j);
	}
}

static void
parse_choices(struct ctx *c, json_t *q, const char *ptr,
              struct content_question *qu, bool multiple_ok)
{
	json_t *arr, *v;
	size_t  i, correct;
	bool    all_ok;
	char    cptr[96];

	arr = get_array(c, q, ptr, "choices", CONTENT_MIN_CHOICES,
	                CONTENT_MAX_CHOICES);
	if (arr == NULL)
		return;
	qu->n_choices = json_array_size(arr);
	qu->choices = content_xcalloc(qu->n_choices, sizeof(*qu->choices));
	correct = 0;
	all_ok = true;
	json_array_foreach (arr, i, v) {
		struct content_choice *ch = &qu->choices[i];

		if (!entry_object(c, v, ptr, "/choices", i, choice_keys, cptr,
		                  sizeof(cptr))) {
			all_ok = false;
			continue;
		}
		GET_UNIQUE_ID(c, v, cptr, CONTENT_ID_MAX, qu->choices, i,
		              struct content_choice, "choice ");
		get_text(c, v, cptr, "text", CONTENT_TEXT_MAX, TEXT_MULTILINE,
		         &ch->text);
		if (get_bool(c, v, cptr, "correct", &ch->correct) != 0)
			all_ok = false;
		else if (ch->correct)
			correct++;
	}
	/* Count correct choices only when every flag could be read. */
	if (!all_ok || !multiple_ok)
		return;
	if (!qu->multiple && correct != 1)
		errlist_add(c->errs, NULL, 0, 0,
		            "%s: %s/choices: a single-answer question "
		            "needs exactly one correct choice, it has %zu",
		            c->file, ptr, correct);
	else if (qu->multiple && correct == 0)
		errlist_add(c->errs, NULL, 0, 0,
		            "%s: %s/choices: a multiple-answer question "
		            "needs at least one correct choice",
		            c->file, ptr);
}

static void
parse_quiz(struct ctx *c, json_t *root, struct content_module *m)
{
	json_t *quiz, *arr, *v;
	size_t  i;
	char    ptr[64];

	if ((quiz = get_field(c, root, "", "quiz")) == NULL)
		return;
	if (!json_is_object(quiz)) {
		errlist_add(c->errs, NULL, 0, 0, "%s: /quiz: must be an object",
		            c->file);
		return;
	}
	check_keys(c, quiz, "/quiz", quiz_keys);
	arr =
	    get_array(c, quiz, "/quiz", "questions", 1, CONTENT_MAX_QUESTIONS);
	if (arr == NULL)
		return;
	m->n_questions = json_array_size(arr);
	m->questions = content_xcalloc(m->n_questions, sizeof(*m->questions));
	json_array_foreach (arr, i, v) {
		struct content_question *qu = &m->questions[i];
		bool                     multiple_ok;

		if (!entry_object(c, v, "", "/quiz/questions", i, question_keys,
		                  ptr, sizeof(ptr)))
			continue;
		GET_UNIQUE_ID(c, v, ptr, CONTENT_ID_MAX, m->questions, i,
		              struct content_question, "/quiz/questions/");
		if (get_id(c, v, ptr, "objective", 64, &qu->objective) == 0 &&
		    m->n_objectives > 0 &&
		    FIRST_WITH(m->objectives, m->n_objectives,
		               struct content_objective, id,
		               qu->objective) == m->n_objectives)
			errlist_add(c->errs, NULL, 0, 0,
			            "%s: %s/objective: \"%s\" is not an "
			            "objective of this module (/objectives)",
			            c->file, ptr, qu->objective);
		get_text(c, v, ptr, "text", CONTENT_TEXT_MAX, TEXT_MULTILINE,
		         &qu->text);
		multiple_ok =
		    get_bool(c, v, ptr, "multiple", &qu->multiple) == 0;
		get_text(c, v, ptr, "explanation", CONTENT_EXPLAIN_MAX,
		         TEXT_MULTILINE, &qu->explanation);
		parse_choices(c, v, ptr, qu, multiple_ok);
	}
}

static void
parse_module(struct ctx *c, json_t *root, struct content_module *m)
{
	check_keys(c, root, "", module_keys);
	get_text(c, root, "", "title", CONTENT_TITLE_MAX, TEXT_LINE, &m->title);
	get_text(c, root, "", "summary", CONTENT_SUMMARY_MAX, TEXT_MULTILINE,
	         &m->summary);
	parse_audience(c, root, m);
	get_int(c, root, "", "estimated_minutes", 1, 600,
	        &m->estimated_minutes);
	get_int(c, root, "", "validity_months", 1, 240, &m->validity_months);
	get_int(c, root, "", "pass_mark", 1, 100, &m->pass_mark);
	get_int(c, root, "", "position", 0, CONTENT_POSITION_MAX, &m->position);
	/* An in-person module (the aandachtsfunctionaris training) has no quiz:
	 * its certificate comes from a trainer's attendance record. */
	if (json_object_get(root, "in_person") != NULL)
		get_bool(c, root, "", "in_person", &m->in_person);
	parse_sections(c, root, m);
	if (!m->in_person || json_object_get(root, "quiz") != NULL) {
		parse_objectives(c, root, m);
		parse_quiz(c, root, m);
		content_check_banks(c, m);
	} else if (json_object_get(root, "objectives") != NULL) {
		errlist_add(c->errs, NULL, 0, 0,
		            "%s: /objectives: only a module with a quiz "
		            "has learning objectives",
		            c->file);
	}
	/* A trainer passes an attendee on these criteria only. */
	if (m->in_person)
		parse_criteria(c, root, m);
	else if (json_object_get(root, "criteria") != NULL)
		errlist_add(c->errs, NULL, 0, 0,
		            "%s: /criteria: only an in-person module "
		            "(\"in_person\": true) has criteria",
		            c->file);
}

/* The criteria a trainer judges per attendee: 1 to CONTENT_MAX_CRITERIA,
 * each a unique short id and one line of text. */
static void
parse_criteria(struct ctx *c, json_t *root, struct content_module *m)
{
	json_t *arr, *v;
	size_t  i;
	char    ptr[64];

	arr = get_array(c, root, "", "criteria", 1, CONTENT_MAX_CRITERIA);
	if (arr == NULL || json_array_size(arr) == 0)
		return;
	m->n_criteria = json_array_size(arr);
	m->criteria = content_xcalloc(m->n_criteria, sizeof(*m->criteria));
	json_array_foreach (arr, i, v) {
		struct content_criterion *cr = &m->criteria[i];

		if (!entry_object(c, v, "", "/criteria", i, criterion_keys, ptr,
		                  sizeof(ptr)))
			continue;
		GET_UNIQUE_ID(c, v, ptr, CONTENT_CRITERION_ID_MAX, m->criteria,
		              i, struct content_criterion, "/criteria/");
		get_text(c, v, ptr, "text", CONTENT_CRITERION_TEXT_MAX,
		         TEXT_LINE, &cr->text);
	}
}

/*
 * The learning objectives: each names the sections that teach it (the
 * pointer a learner gets after failing its questions) and how many of its
 * questions an attempt draws.  Runs after parse_sections.
 */
static void
parse_objectives(struct ctx *c, json_t *root, struct content_module *m)
{
	json_t *arr, *v, *secs, *sv;
	size_t  i, j, k;
	bool    sections_ok;
	char    ptr[64];

	arr = get_array(c, root, "", "objectives", 1, CONTENT_MAX_OBJECTIVES);
	if (arr == NULL)
		return;
	m->n_objectives = json_array_size(arr);
	if (m->n_objectives == 0)
		return;
	m->objectives =
	    content_xcalloc(m->n_objectives, sizeof(*m->objectives));
	/* Section references are checked only against sound sections: a
	 * broken section list was reported already. */
	sections_ok = m->n_sections > 0;
	for (k = 0; k < m->n_sections; k++)
		if (m->sections[k].id == NULL)
			sections_ok = false;
	json_array_foreach (arr, i, v) {
		struct content_objective *o = &m->objectives[i];

		if (!entry_object(c, v, "", "/objectives", i, objective_keys,
		                  ptr, sizeof(ptr)))
			continue;
		GET_UNIQUE_ID(c, v, ptr, 64, m->objectives, i,
		              struct content_objective, "/objectives/");
		get_text(c, v, ptr, "title", CONTENT_TITLE_MAX, TEXT_LINE,
		         &o->title);
		get_int(c, v, ptr, "draw", 1, CONTENT_MAX_DRAW, &o->draw);
		secs =
		    get_array(c, v, ptr, "sections", 1, CONTENT_MAX_SECTIONS);
		if (secs == NULL || json_array_size(secs) == 0)
			continue;
		o->sections = content_xcalloc(json_array_size(secs),
		                              sizeof(*o->sections));
		json_array_foreach (secs, j, sv) {
			const char *sid = json_string_value(sv);

			if (sid == NULL ||
			    (sections_ok &&
			     FIRST_WITH(m->sections, m->n_sections,
			                struct content_section, id,
			                sid) == m->n_sections)) {
				errlist_add(
				    c->errs, NULL, 0, 0,
				    "%s: %s/sections/%zu: must be "
				    "the id of a section of this module",
				    c->file, ptr, j);
				continue;
			}
			for (k = 0; k < o->n_sections; k++)
				if (strcmp(o->sections[k], sid) == 0)
					break;
			if (k < o->n_sections) {
				errlist_add(c->errs, NULL, 0, 0,
				            "%s: %s/sections/%zu: \"%s\" "
				            "is listed twice",
				            c->file, ptr, j, sid);
				continue;
			}
			o->sections[o->n_sections++] = content_xstrdup(sid);
		}
	}
}

int
content_module_load(const char *dir, struct content_module **out,
                    struct errlist *errs)
{
	struct content_module *m;
	struct ctx             c;
	json_error_t           jerr;
	json_t                *root;
	const char            *base;
	char                  *json_path, *buf, *trimmed;
	size_t                 before, len, i;

	*out = NULL;
	before = errlist_total(errs);
	m = content_xcalloc(1, sizeof(*m));

	/* The slug is the last path component, ignoring trailing slashes. */
	trimmed = content_xstrdup(dir);
	for (len = strlen(trimmed); len > 1 && trimmed[len - 1] == '/'; len--)
		trimmed[len - 1] = '\0';
	base = strrchr(trimmed, '/');
	base = base != NULL ? base + 1 : trimmed;
	m->slug = content_xstrdup(base);
	if (!validate_slug(m->slug))
		errlist_add(errs, NULL, 0, 0,
		            "%s: directory name is not a valid module slug "
		            "(^[a-z0-9][a-z0-9-]{0,63}$)",
		            trimmed);

	json_path = content_path_join(trimmed, "module.json");
	c.file = json_path;
	c.errs = errs;
	if (content_read_file(json_path, CONTENT_JSON_MAX, &buf, &len, errs) !=
	    0)
		goto done;
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	free(buf);
	if (root == NULL) {
		errlist_add(errs, NULL, 0, 0, "%s:%d:%d: %s", json_path,
		            jerr.line, jerr.column, jerr.text);
		goto done;
	}
	if (!json_is_object(root)) {
		errlist_add(errs, NULL, 0, 0, "%s: /: must be an object",
		            json_path);
		json_decref(root);
		goto done;
	}
	parse_module(&c, root, m);
	json_decref(root);
	for (i = 0; i < m->n_sections; i++)
		if (m->sections[i].file != NULL)
			content_render_markdown(trimmed, &m->sections[i], errs);
	content_check_stray_files(trimmed, m, errs);

done:
	free(json_path);
	free(trimmed);
	if (errlist_total(errs) != before) {
		content_module_free(m);
		return -1;
	}
	content_module_hash(m);
	*out = m;
	return 0;
}

void
content_module_free(struct content_module *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n_sections; i++) {
		const struct content_section *s = &m->sections[i];

		FREE_STRINGS(s->id, s->title, s->scenario, s->file, s->markdown,
		             s->html);
	}
	for (size_t i = 0; i < m->n_questions; i++) {
		const struct content_question *q = &m->questions[i];

		for (size_t j = 0; j < q->n_choices; j++)
			FREE_STRINGS(q->choices[j].id, q->choices[j].text);
		free(q->choices);
		FREE_STRINGS(q->id, q->objective, q->text, q->explanation);
	}
	for (size_t i = 0; i < m->n_objectives; i++) {
		const struct content_objective *o = &m->objectives[i];

		free_strings(o->sections, o->n_sections);
		free(o->sections);
		FREE_STRINGS(o->id, o->title);
	}
	for (size_t i = 0; i < m->n_criteria; i++)
		FREE_STRINGS(m->criteria[i].id, m->criteria[i].text);
	free(m->sections);
	free(m->questions);
	free(m->objectives);
	free(m->criteria);
	FREE_STRINGS(m->slug, m->title, m->summary);
	free(m);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
content_list_modules(const char *modules_dir, struct content_list *out,
                     struct errlist *errs)
{
	struct dirent *de;
	struct stat    st;
	DIR           *d;
	char          *path, **grown;
	size_t         before;

	out->names = NULL;
	out->count = 0;
	before = errlist_total(errs);
	if ((d = opendir(modules_dir)) == NULL) {
		errlist_add(errs, NULL, 0, 0, "%s: %s", modules_dir,
		            strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = content_path_join(modules_dir, de->d_name);
		if (stat(path, &st) == -1 || !S_ISDIR(st.st_mode)) {
			free(path);
			continue;
		}
		if (!validate_slug(de->d_name)) {
			errlist_add(errs, NULL, 0, 0,
			            "%s: directory name is not a valid "
			            "module slug (^[a-z0-9][a-z0-9-]{0,63}$)",
			            path);
			free(path);
			continue;
		}
		free(path);
		grown = realloc(out->names, (out->count + 1) * sizeof(*grown));
		if (grown == NULL)
			content_oom();
		out->names = grown;
		out->names[out->count++] = content_xstrdup(de->d_name);
	}
	closedir(d);
	if (errlist_total(errs) != before) {
		content_list_free(out);
		return -1;
	}
	if (out->count > 0)
		qsort(out->names, out->count, sizeof(*out->names), cmp_names);
	return 0;
}

void
content_list_free(struct content_list *list)
{
	free_strings(list->names, list->count);
	free(list->names);
	list->names = NULL;
	list->count = 0;
}
