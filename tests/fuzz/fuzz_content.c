/* Fuzz target: content_module_load on a module directory whose module.json
 * and Markdown files come from the input. */

/*
 * content.h has no entry below content_module_load(dir), so the harness
 * makes one module directory per process under $TMPDIR and rewrites its
 * files for every input.  The input is split at NUL bytes: module.json,
 * then 01-intro.md, then 02-verder.md (the rest of the input, NUL bytes
 * included).  A missing Markdown part gets a
 * short default text, and each is cut at MD_CAP bytes: cmark 0.30 is
 * quadratic on some shapes, and the module limit (64 KiB) is for trusted
 * files only.
 *
 * Properties of a loaded module, from content.h and content-format.md: the
 * slug is the directory name; audience is not 0; the numbers are in range;
 * 1-50 sections with unique ids, each with its Markdown and HTML; the HTML
 * uses only the tags cmark writes for Markdown (raw HTML is refused), and
 * no link or image points at javascript:, vbscript:, file: or data: (bar
 * data:image); 1-50 questions unless in person, each with 2-10 choices
 * with unique ids and one correct choice (at least one when multiple); the
 * hash is 64 hex digits and loading the same files again gives the same
 * hash.  A refused module comes with at least one message and no module.
 */
#include <ctype.h>
#include <fcntl.h>
#include <ftw.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content.h"
#include "fuzz_common.h"

#define MD_CAP 4096

static char root[64];
static char dir[128];

static const char default_md[] = "# Kop\n\nEen *korte* tekst met een "
                                 "[link](https://example.nl).\n";

static void
write_file(const char *name, const void *p, size_t n)
{
	char path[256];
	int  fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FUZZ_CHECK(fd >= 0, "cannot write %s", path);
	FUZZ_CHECK(n == 0 || write(fd, p, n) == (ssize_t)n, "short write");
	close(fd);
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
cleanup(void)
{
	nftw(root, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* True when the URL starts with a scheme a browser would run. */
static bool
dangerous_url(const char *v, size_t n, bool image)
{
	char   buf[32];
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < sizeof(buf); i++) {
		if (v[i] == '\t' || v[i] == '\n' || v[i] == '\r' ||
		    (o == 0 && v[i] == ' '))
			continue; /* browsers drop these */
		buf[o++] = (char)tolower((unsigned char)v[i]);
	}
	buf[o] = '\0';
	if (strncmp(buf, "javascript:", 11) == 0 ||
	    strncmp(buf, "vbscript:", 9) == 0 || strncmp(buf, "file:", 5) == 0)
		return true;
	if (strncmp(buf, "data:", 5) == 0)
		return !(image && (strncmp(buf, "data:image/png", 14) == 0 ||
		                   strncmp(buf, "data:image/gif", 14) == 0 ||
		                   strncmp(buf, "data:image/jpeg", 15) == 0 ||
		                   strncmp(buf, "data:image/webp", 15) == 0));
	return false;
}

/* Only cmark's own tags, and no dangerous link targets. */
static void
check_html(const char *html)
{
	static const char *const tags[] = {
	    "p",          "h1", "h2",     "h3", "h4",  "h5",   "h6",
	    "blockquote", "ul", "ol",     "li", "pre", "code", "hr",
	    "br",         "em", "strong", "a",  "img", NULL,
	};

	for (const char *p = strchr(html, '<'); p != NULL;
	     p = strchr(p + 1, '<')) {
		const char *t = p + 1 + (p[1] == '/');
		size_t n = strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789");
		const char *end = strchr(t, '>');
		bool        known = false;

		for (int i = 0; tags[i] != NULL; i++)
			if (strlen(tags[i]) == n && strncmp(t, tags[i], n) == 0)
				known = true;
		FUZZ_CHECK(known && end != NULL, "HTML has the tag <%.20s", t);
		for (const char *a = t; a < end; a++) {
			bool href = strncmp(a, " href=\"", 7) == 0;
			bool src = strncmp(a, " src=\"", 6) == 0;

			if (href || src) {
				const char *v = a + (href ? 7 : 6);
				const char *q = strchr(v, '"');

				FUZZ_CHECK(q != NULL, "unterminated attribute");
				FUZZ_CHECK(
				    !dangerous_url(v, (size_t)(q - v), src),
				    "dangerous URL in HTML: %.*s", (int)(q - v),
				    v);
			}
		}
	}
}

static bool
id_ok(const char *s, size_t max)
{
	size_t n = s != NULL ? strlen(s) : 0;

	return n >= 1 && n <= max &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n &&
	       s[0] != '-';
}

static void
check_module(const struct content_module *m)
{
	FUZZ_CHECK(strcmp(m->slug, "fuzz-module") == 0, "slug %s", m->slug);
	FUZZ_CHECK(m->title != NULL && m->summary != NULL, "title, summary");
	FUZZ_CHECK(m->audience >= 1 && m->audience <= 3, "audience %u",
	           m->audience);
	FUZZ_CHECK(m->estimated_minutes >= 1 && m->estimated_minutes <= 600 &&
	               m->validity_months >= 1 && m->validity_months <= 240 &&
	               m->pass_mark >= 1 && m->pass_mark <= 100 &&
	               m->position >= 0 && m->position <= 100000,
	           "numbers out of range");
	FUZZ_CHECK(m->n_sections >= 1 && m->n_sections <= CONTENT_MAX_SECTIONS,
	           "%zu sections", m->n_sections);
	for (size_t i = 0; i < m->n_sections; i++) {
		const struct content_section *s = &m->sections[i];

		FUZZ_CHECK(id_ok(s->id, 64) && s->title != NULL &&
		               s->file != NULL && s->markdown != NULL &&
		               s->html != NULL,
		           "section %zu incomplete", i);
		FUZZ_CHECK(strlen(s->markdown) == s->markdown_len &&
		               s->markdown_len <= MD_CAP &&
		               fuzz_str_utf8(s->markdown),
		           "section %zu markdown", i);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(m->sections[j].id, s->id) != 0,
			           "section id %s twice", s->id);
		check_html(s->html);
	}
	FUZZ_CHECK(m->n_questions <= CONTENT_MAX_QUESTIONS &&
	               (m->in_person || m->n_questions >= 1),
	           "%zu questions", m->n_questions);
	for (size_t i = 0; i < m->n_questions; i++) {
		const struct content_question *q = &m->questions[i];
		size_t                         right = 0;

		FUZZ_CHECK(id_ok(q->id, 32) && q->text != NULL &&
		               q->explanation != NULL,
		           "question %zu incomplete", i);
		FUZZ_CHECK(q->n_choices >= CONTENT_MIN_CHOICES &&
		               q->n_choices <= CONTENT_MAX_CHOICES,
		           "question %s has %zu choices", q->id, q->n_choices);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(m->questions[j].id, q->id) != 0,
			           "question id %s twice", q->id);
		for (size_t c = 0; c < q->n_choices; c++) {
			FUZZ_CHECK(id_ok(q->choices[c].id, 32) &&
			               q->choices[c].text != NULL,
			           "choice %zu of %s", c, q->id);
			for (size_t d = 0; d < c; d++)
				FUZZ_CHECK(strcmp(q->choices[d].id,
				                  q->choices[c].id) != 0,
				           "choice id twice in %s", q->id);
			right += q->choices[c].correct;
		}
		FUZZ_CHECK(q->multiple ? right >= 1 : right == 1,
		           "question %s: %zu correct", q->id, right);
	}
	/* Criteria: always and only for an in-person module. */
	FUZZ_CHECK(m->in_person ? m->n_criteria >= 1 &&
	                              m->n_criteria <= CONTENT_MAX_CRITERIA
	                        : m->n_criteria == 0,
	           "%zu criteria", m->n_criteria);
	for (size_t i = 0; i < m->n_criteria; i++) {
		FUZZ_CHECK(id_ok(m->criteria[i].id, 32) &&
		               m->criteria[i].text != NULL &&
		               strchr(m->criteria[i].text, '\n') == NULL,
		           "criterion %zu", i);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(
			    strcmp(m->criteria[j].id, m->criteria[i].id) != 0,
			    "criterion id %s twice", m->criteria[i].id);
	}
	FUZZ_CHECK(strlen(m->hash) == 64 &&
	               strspn(m->hash, "0123456789abcdef") == 64,
	           "hash %s", m->hash);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool              ready;
	static const char *const md_names[] = {"01-intro.md", "02-verder.md"};
	struct errlist           errs;
	struct content_module   *m = NULL, *again = NULL;
	const uint8_t           *part;
	size_t                   len;
	int                      rc;

	if (!ready) {
		const char *tmp = getenv("TMPDIR");

		snprintf(root, sizeof(root), "%s/fuzz-content-XXXXXX",
		         tmp != NULL && strlen(tmp) < 32 ? tmp : "/tmp");
		FUZZ_CHECK(mkdtemp(root) != NULL, "mkdtemp %s", root);
		snprintf(dir, sizeof(dir), "%s/fuzz-module", root);
		FUZZ_CHECK(mkdir(dir, 0700) == 0, "mkdir %s", dir);
		atexit(cleanup);
		ready = true;
	}

	part = fuzz_part(data, size, 0, &len);
	write_file("module.json", part, len);
	for (int i = 0; i < 2; i++) {
		part = fuzz_part(data, size, i + 1, &len);
		if (part != NULL && i == 1)
			len = (size_t)(data + size - part); /* NULs and all */
		if (part == NULL)
			write_file(md_names[i], default_md,
			           sizeof(default_md) - 1);
		else
			write_file(md_names[i], part,
			           len < MD_CAP ? len : MD_CAP);
	}

	errlist_init(&errs);
	rc = content_module_load(dir, &m, &errs);
	if (rc == 0) {
		FUZZ_CHECK(m != NULL && errs.count == 0 && errs.dropped == 0,
		           "loaded with errors");
		check_module(m);
		FUZZ_CHECK(content_module_load(dir, &again, &errs) == 0 &&
		               strcmp(again->hash, m->hash) == 0,
		           "the same files give another hash");
		content_module_free(again);
	} else {
		FUZZ_CHECK(rc == -1 && m == NULL &&
		               errs.count + errs.dropped > 0 &&
		               errs.count <= CONTENT_ERRORS_MAX,
		           "refused: rc %d, %zu messages", rc, errs.count);
		for (size_t i = 0; i < errs.count; i++)
			FUZZ_CHECK(errs.items[i].message != NULL &&
			               errs.items[i].message[0] != '\0',
			           "empty message");
	}
	content_module_free(m);
	errlist_free(&errs);
	return 0;
}
