/* A module page as pre-rendered JSON text; see module_page.h. */
#include "module_page.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "json.h"
#include "log.h"

/* The flags of http_json(), so that the bytes are the same. */
#define DUMP_FLAGS (JSON_COMPACT | JSON_ENCODE_ANY)

static int dump_member(FILE *f, const char *key, const json_t *value);
static int build_section(struct module_page_section *s, const json_t *sec);

/* Writes `"key":value` as jansson writes an object member. */
static int
dump_member(FILE *f, const char *key, const json_t *value)
{
	json_t *k = json_string(key);
	int     rc = k == NULL ? -1 : json_dumpf(k, f, DUMP_FLAGS);

	json_decref(k);
	if (rc != 0 || fputc(':', f) == EOF)
		return -1;
	return json_dumpf(value, f, DUMP_FLAGS);
}

/* A section's text: its members as dumped, without the closing brace, and
 * then the "done" member's name. */
static int
build_section(struct module_page_section *s, const json_t *sec)
{
	const json_t *id = json_object_get(sec, "id");
	const char   *done =
            json_object_size(sec) > 0 ? ",\"done\":" : "\"done\":";
	char  *dump;
	size_t n;

	if (!json_is_object(sec) || json_object_get(sec, "done") != NULL)
		return -1;
	if (json_is_string(id)) {
		s->id = strdup(json_string_value(id));
		if (s->id == NULL)
			return -1;
	}
	dump = json_dumps(sec, DUMP_FLAGS);
	if (dump == NULL)
		return -1;
	n = strlen(dump);
	if (n < 2 || dump[n - 1] != '}') {
		free(dump);
		return -1;
	}
	s->len = n - 1 + strlen(done);
	s->text = malloc(s->len + 1);
	if (s->text != NULL) {
		memcpy(s->text, dump, n - 1);
		strcpy(s->text + n - 1, done);
	}
	free(dump);
	return s->text == NULL ? -1 : 0;
}

int
module_page_build(struct module_page *p, const json_t *content)
{
	const json_t *sections = json_object_get(content, "sections");
	const char   *key;
	json_t       *value;
	FILE         *f;
	bool          first = true, in_tail = false;
	size_t        i;
	int           rc = 0;

	memset(p, 0, sizeof(*p));
	if (!json_is_object(content) || !json_is_array(sections) ||
	    json_object_get(content, "certificate") != NULL)
		return -1;

	p->nsections = json_array_size(sections);
	if (p->nsections > 0) {
		p->sections = calloc(p->nsections, sizeof(*p->sections));
		if (p->sections == NULL) {
			p->nsections = 0;
			return -1;
		}
	}
	for (i = 0; i < p->nsections && rc == 0; i++)
		rc =
		    build_section(&p->sections[i], json_array_get(sections, i));

	/* The members before "sections" go to the head, those after to the
	 * tail, in the object's order (the order json_dumps writes). */
	f = open_memstream(&p->head, &p->head_len);
	if (f == NULL) {
		module_page_free(p);
		return -1;
	}
	if (fputc('{', f) == EOF)
		rc = -1;
	json_object_foreach ((json_t *)content, key, value) {
		if (rc != 0)
			break;
		if (!first && fputc(',', f) == EOF)
			rc = -1;
		first = false;
		if (strcmp(key, "sections") == 0) {
			if (fputs("\"sections\":[", f) == EOF || fclose(f) != 0)
				rc = -1;
			f = open_memstream(&p->tail, &p->tail_len);
			if (f == NULL) {
				module_page_free(p);
				return -1;
			}
			in_tail = true;
			if (fputc(']', f) == EOF)
				rc = -1;
			continue;
		}
		if (dump_member(f, key, value) != 0)
			rc = -1;
	}
	if (fputs(",\"certificate\":", f) == EOF)
		rc = -1;
	if (fclose(f) != 0 || !in_tail)
		rc = -1;
	if (rc != 0)
		module_page_free(p);
	return rc;
}

char *
module_page_render(struct arena *a, const struct module_page *p,
                   const json_t *done, const json_t *certificate)
{
	char  *cert = NULL, *out;
	size_t cert_len = 4, n, o = 0, i, j;

	if (certificate != NULL) {
		cert = json_dumps(certificate, DUMP_FLAGS);
		if (cert == NULL)
			return NULL;
		cert_len = strlen(cert);
	}
	/* Each section adds a comma and at most "false}". */
	n = p->head_len + p->tail_len + cert_len + 2;
	for (i = 0; i < p->nsections; i++)
		n += p->sections[i].len + 7;
	out = arena_alloc(a, n);

	memcpy(out + o, p->head, p->head_len);
	o += p->head_len;
	for (i = 0; i < p->nsections; i++) {
		const struct module_page_section *s = &p->sections[i];
		bool                              is_done = false;
		json_t                           *d;

		json_array_foreach (done, j, d) {
			const char *v = json_string_value(d);

			if (s->id != NULL && v != NULL && strcmp(v, s->id) == 0)
				is_done = true;
		}
		if (i > 0)
			out[o++] = ',';
		memcpy(out + o, s->text, s->len);
		o += s->len;
		memcpy(out + o, is_done ? "true}" : "false}", is_done ? 5 : 6);
		o += is_done ? 5 : 6;
	}
	memcpy(out + o, p->tail, p->tail_len);
	o += p->tail_len;
	memcpy(out + o, cert != NULL ? cert : "null", cert_len);
	o += cert_len;
	out[o++] = '}';
	out[o] = '\0';
	free(cert);
	return out;
}

void
module_page_free(struct module_page *p)
{
	size_t i;

	for (i = 0; i < p->nsections; i++) {
		free(p->sections[i].id);
		free(p->sections[i].text);
	}
	free(p->sections);
	free(p->head);
	free(p->tail);
	memset(p, 0, sizeof(*p));
}

char *
module_page_for_caller(struct arena *a, const struct module_page *p,
                       const char *done_json, const char *certificate_json,
                       const char *quiz_state_json)
{
	json_t *done = arena_json(a, json_loads(done_json, 0, NULL));
	json_t *cert =
	    certificate_json == NULL
	        ? NULL
	        : arena_json(a, json_loads(certificate_json, 0, NULL));
	json_t *state = arena_json(a, json_loads(quiz_state_json, 0, NULL));
	char   *rendered, *quiz, *out;
	size_t  len;

	if (done == NULL || state == NULL ||
	    (certificate_json != NULL && cert == NULL)) {
		log_error("module page: the caller's part is not JSON");
		return NULL;
	}
	rendered = module_page_render(a, p, done, cert);
	quiz = json_dump_arena(a, state);
	if (rendered == NULL || quiz == NULL)
		return NULL;
	/* The rendered page is one JSON object: its closing brace makes room
	 * for the quiz state, which goes last, after the certificate. */
	len = strlen(rendered);
	if (len <= 2 || rendered[len - 1] != '}') {
		log_error("module page: the page is not a JSON object");
		return NULL;
	}
	out = arena_alloc(a, len + strlen(quiz) + 16);
	memcpy(out, rendered, len - 1);
	sprintf(out + len - 1, ",\"quiz_state\":%s}", quiz);
	return out;
}

char *
module_page_etag(struct arena *a, int version, const char *done_json,
                 const char *certificate_json, const char *quiz_state_json)
{
	crypto_generichash_state st;
	unsigned char            h[16];
	char                     hex[2 * sizeof(h) + 1];
	const char *parts[3] = {done_json, certificate_json, quiz_state_json};

	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	/* Each part with its terminating NUL, and "" for no certificate
	 * (NUL and "" cannot be confused: a certificate is an object). */
	for (int i = 0; i < 3; i++) {
		const char *p = parts[i] != NULL ? parts[i] : "";

		crypto_generichash_update(&st, (const unsigned char *)p,
		                          strlen(p) + 1);
	}
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	return arena_printf(a, "\"v%d-%s\"", version, hex);
}

const struct module_page *
module_page_cache_find(const struct module_page_cache *c, const char *slug,
                       int version)
{
	for (size_t i = 0; i < MODULE_PAGE_CACHE_SIZE; i++)
		if (c->entries[i].used && c->entries[i].version == version &&
		    strcmp(c->entries[i].slug, slug) == 0)
			return &c->entries[i].page;
	return NULL;
}

const struct module_page *
module_page_cache_add(struct module_page_cache *c, const char *slug,
                      int version, const char *content_json)
{
	json_t            *content = json_loads(content_json, 0, NULL);
	struct module_page page;
	size_t             i, slot = MODULE_PAGE_CACHE_SIZE;
	int rc = content == NULL ? -1 : module_page_build(&page, content);

	json_decref(content);
	if (rc != 0) {
		log_error("module page: the content of %s is not a module page",
		          slug);
		return NULL;
	}
	/* The slug's own entry (an older version), else a free one, else the
	 * first. */
	for (i = 0; i < MODULE_PAGE_CACHE_SIZE; i++) {
		if (c->entries[i].used &&
		    strcmp(c->entries[i].slug, slug) == 0) {
			slot = i;
			break;
		}
		if (!c->entries[i].used && slot == MODULE_PAGE_CACHE_SIZE)
			slot = i;
	}
	if (slot == MODULE_PAGE_CACHE_SIZE)
		slot = 0;
	module_page_free(&c->entries[slot].page);
	snprintf(c->entries[slot].slug, sizeof(c->entries[slot].slug), "%s",
	         slug);
	c->entries[slot].version = version;
	c->entries[slot].used = true;
	c->entries[slot].page = page;
	return &c->entries[slot].page;
}

void
module_page_cache_free(struct module_page_cache *c)
{
	for (size_t i = 0; i < MODULE_PAGE_CACHE_SIZE; i++) {
		module_page_free(&c->entries[i].page);
		c->entries[i].used = false;
	}
}
