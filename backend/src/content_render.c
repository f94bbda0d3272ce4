/* Course content, part 3 of 3: render a section's Markdown to HTML (cmark,
 * raw HTML refused) and hash a parsed module. */
#include "content.h"

#include <cmark.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content_impl.h"
#include "validate.h"

#define CONTENT_CMARK_OPTS (CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8)

static void hash_bytes(crypto_hash_sha256_state *st, const char *tag,
                       const char *s, size_t len);
static void hash_str(crypto_hash_sha256_state *st, const char *tag,
                     const char *s);
static void hash_int(crypto_hash_sha256_state *st, const char *tag,
                     long long v);

/*
 * Reads, checks and renders one section's Markdown.  The file must be valid
 * UTF-8 without control characters other than tab, CR, LF and form feed,
 * must not be blank, and must contain no raw HTML.
 */
void
content_render_markdown(const char *dir, struct content_section *s,
                        struct errlist *errs)
{
	const unsigned char *u;
	cmark_node          *doc;
	cmark_iter          *it;
	cmark_event_type     ev;
	char                *path, *md;
	size_t               len, i, seq;
	bool                 blank;
	int                  last_line, nerr;

	path = content_path_join(dir, s->file);
	if (content_read_file(path, CONTENT_MD_MAX, &md, &len, errs) != 0) {
		free(path);
		return;
	}
	u = (const unsigned char *)md;
	blank = true;
	for (i = 0; i < len;) {
		if (u[i] < 0x20 && u[i] != '\t' && u[i] != '\n' &&
		    u[i] != '\r' && u[i] != '\f') {
			errlist_add(errs, NULL, 0, 0,
			            "%s:%zu: control character 0x%02x is "
			            "not allowed",
			            path, content_line_of(md, i), u[i]);
			goto out;
		}
		if (u[i] > ' ')
			blank = false;
		if ((seq = utf8_seq_len(u + i, len - i)) == 0) {
			errlist_add(errs, NULL, 0, 0, "%s:%zu: invalid UTF-8",
			            path, content_line_of(md, i));
			goto out;
		}
		i += seq;
	}
	if (blank) {
		errlist_add(errs, NULL, 0, 0, "%s: file is empty", path);
		goto out;
	}

	doc = cmark_parse_document(md, len, CONTENT_CMARK_OPTS);
	if (doc == NULL)
		content_oom();
	it = cmark_iter_new(doc);
	if (it == NULL)
		content_oom();
	last_line = -1;
	nerr = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node     *n, *p;
		cmark_node_type t;
		int             line;

		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		t = cmark_node_get_type(n);
		if (t != CMARK_NODE_HTML_BLOCK && t != CMARK_NODE_HTML_INLINE)
			continue;
		/* Some inlines carry no position; use their block's line. */
		line = cmark_node_get_start_line(n);
		for (p = n; line <= 0 && (p = cmark_node_parent(p)) != NULL;)
			line = cmark_node_get_start_line(p);
		nerr++;
		if (line == last_line)
			continue;
		last_line = line;
		errlist_add(errs, NULL, 0, 0,
		            "%s:%d: raw HTML is not allowed, write Markdown "
		            "instead",
		            path, line);
	}
	cmark_iter_free(it);
	/*
	 * Rendered from the tree already parsed with the same options that
	 * cmark_markdown_to_html() would use, so cmark parses only once.
	 */
	if (nerr == 0) {
		s->html = cmark_render_html(doc, CONTENT_CMARK_OPTS);
		if (s->html == NULL)
			content_oom();
	}
	cmark_node_free(doc);
	if (nerr == 0) {
		s->markdown = md;
		s->markdown_len = len;
		md = NULL;
	}
out:
	free(md);
	free(path);
}

/*
 * Canonical serialisation for the hash: every field as its tag with a NUL,
 * an 8-byte big-endian length, then the bytes.  Lists are preceded by their
 * length, so no two different modules serialise the same way.
 */
static void
hash_bytes(crypto_hash_sha256_state *st, const char *tag, const char *s,
           size_t len)
{
	unsigned char n[8];
	int           i;

	for (i = 0; i < 8; i++)
		n[i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
	crypto_hash_sha256_update(st, (const unsigned char *)tag,
	                          strlen(tag) + 1);
	crypto_hash_sha256_update(st, n, sizeof(n));
	crypto_hash_sha256_update(st, (const unsigned char *)s, len);
}

static void
hash_str(crypto_hash_sha256_state *st, const char *tag, const char *s)
{
	hash_bytes(st, tag, s, strlen(s));
}

static void
hash_int(crypto_hash_sha256_state *st, const char *tag, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	hash_str(st, tag, buf);
}

void
content_module_hash(struct content_module *m)
{
	crypto_hash_sha256_state st;
	unsigned char            out[crypto_hash_sha256_BYTES];
	size_t                   i, j;

	crypto_hash_sha256_init(&st);
	/* Bump the format tag whenever the serialisation changes. */
	hash_str(&st, "format", "hgkm-content/2");
	hash_str(&st, "slug", m->slug);
	hash_str(&st, "title", m->title);
	hash_str(&st, "summary", m->summary);
	hash_int(&st, "audience", m->audience);
	hash_int(&st, "estimated_minutes", m->estimated_minutes);
	hash_int(&st, "validity_months", m->validity_months);
	hash_int(&st, "pass_mark", m->pass_mark);
	if (m->in_person)
		hash_int(&st, "in_person", 1);
	hash_int(&st, "position", m->position);
	hash_int(&st, "sections", (long long)m->n_sections);
	for (i = 0; i < m->n_sections; i++) {
		const struct content_section *s = &m->sections[i];

		hash_str(&st, "section.id", s->id);
		hash_str(&st, "section.title", s->title);
		if (s->scenario != NULL)
			hash_str(&st, "section.scenario", s->scenario);
		hash_bytes(&st, "section.markdown", s->markdown,
		           s->markdown_len);
	}
	hash_int(&st, "objectives", (long long)m->n_objectives);
	for (i = 0; i < m->n_objectives; i++) {
		const struct content_objective *o = &m->objectives[i];

		hash_str(&st, "objective.id", o->id);
		hash_str(&st, "objective.title", o->title);
		hash_int(&st, "objective.draw", o->draw);
		hash_int(&st, "objective.sections", (long long)o->n_sections);
		for (j = 0; j < o->n_sections; j++)
			hash_str(&st, "objective.section", o->sections[j]);
	}
	hash_int(&st, "questions", (long long)m->n_questions);
	for (i = 0; i < m->n_questions; i++) {
		const struct content_question *q = &m->questions[i];

		hash_str(&st, "question.id", q->id);
		hash_str(&st, "question.objective", q->objective);
		hash_str(&st, "question.text", q->text);
		hash_int(&st, "question.multiple", q->multiple);
		hash_str(&st, "question.explanation", q->explanation);
		hash_int(&st, "choices", (long long)q->n_choices);
		for (j = 0; j < q->n_choices; j++) {
			hash_str(&st, "choice.id", q->choices[j].id);
			hash_str(&st, "choice.text", q->choices[j].text);
			hash_int(&st, "choice.correct", q->choices[j].correct);
		}
	}
	/* Only when there are criteria, so modules without keep their hash. */
	if (m->n_criteria > 0)
		hash_int(&st, "criteria", (long long)m->n_criteria);
	for (i = 0; i < m->n_criteria; i++) {
		hash_str(&st, "criterion.id", m->criteria[i].id);
		hash_str(&st, "criterion.text", m->criteria[i].text);
	}
	crypto_hash_sha256_final(&st, out);
	sodium_bin2hex(m->hash, sizeof(m->hash), out, sizeof(out));
}
