/* Role-play scenarios: create, new version, publish, list, get, attempts,
 * statistics, and media files. */
#include "handlers.h"

#include <errno.h>
#include <magic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../config.h"
#include "../json.h"
#include "../log.h"
#include "../media.h"
#include "../scenario.h"
#include "../store/store.h"

#define SCENARIO_MEDIA_MAX_BYTES (50 * 1024 * 1024)

static void play_free_cb(void *p);

static void
play_free_cb(void *p)
{
	scenario_play_result_free(p);
}

/* Validates r->json as a scenario; answers 400 with every error itself.
 * Fills the title, the audience as an array literal and the canonical text. */
static bool
valid_document(struct request *r, struct response *res, const char **title,
               const char **audience, const char **text)
{
	struct errlist *errs = errlist_in_arena(r->arena);
	const char     *items[2];
	size_t          n = 0, i;
	json_t         *v;

	if (scenario_validate(r->json, errs) != 0) {
		http_error_full(r, res, 400, "validation_failed",
		                "Het scenario klopt niet; zie de fouten.", NULL,
		                errlist_json(errs));
		return false;
	}
	*title = json_string_value(json_object_get(r->json, "title"));
	json_array_foreach (json_object_get(r->json, "audience"), i, v)
		if (n < 2)
			items[n++] = json_string_value(v);
	*audience = db_text_array(r->arena, items, n);
	*text = json_dump_arena(r->arena, r->json);
	return true;
}

/* The owner and versions of the path's scenario.  Whether the caller may
 * see or change it, scope.c decided before the handler ran. */
static bool
load_meta(struct request *r, struct response *res, struct scenario_meta *m)
{
	enum db_status st =
	    store_scenario_meta(&r->store, r->param.scenario, m);

	if (st != DB_OK)
		reply_db_error(r, res, st);
	return st == DB_OK;
}

static void
reply_version(struct request *r, struct response *res, int status, long long id,
              int version, const char *state)
{
	json_t *body = arena_json(
	    r->arena, json_pack("{s:I, s:i, s:s}", "id", (json_int_t)id,
	                        "version", version, "status", state));

	http_json(r, res, status, body);
}

void
scenarios_create(struct request *r, struct response *res)
{
	const char    *title, *audience, *text;
	long long      id;
	enum db_status st;

	if (!valid_document(r, res, &title, &audience, &text))
		return;
	st = store_scenario_create(&r->store, title, audience, text, &id);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	reply_version(r, res, 201, id, 1, "draft");
}

void
scenarios_update(struct request *r, struct response *res)
{
	const char    *title, *audience, *text;
	long long      id = r->param.scenario;
	int            version;
	enum db_status st;

	if (!valid_document(r, res, &title, &audience, &text))
		return;
	st = store_scenario_new_version(&r->store, id, title, audience, text,
	                                &version);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	reply_version(r, res, 200, id, version, "draft");
}

void
scenarios_publish(struct request *r, struct response *res)
{
	long long      id = r->param.scenario;
	int            version;
	enum db_status st;

	st = store_scenario_publish(&r->store, id, &version);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	handler_audit(r, "scenario_publish",
	              arena_printf(r->arena, "scenario:%lld", id),
	              arena_printf(r->arena, "{\"version\":%d}", version));
	reply_version(r, res, 200, id, version, "published");
}

void
scenarios_list(struct request *r, struct response *res)
{
	const char    *json;
	enum db_status st = store_scenario_list_json(
	    &r->store, scope_sees_all_scenarios(r->user), &json);

	reply_json_result(r, res, st, json);
}

/* The version the caller plays or reads: the owner the current one (or
 * ?version=N), everyone else the published one. */
static int
version_for(struct request *r, const struct scenario_meta *m)
{
	const char *q = http_query_get(r->arena, r->query, "version");
	long long   v;

	if (m->owner_id != r->user->id)
		return m->published_version;
	if (q != NULL && scope_id_parse(q, &v) && v <= m->current_version)
		return (int)v;
	return m->current_version;
}

static json_t *
load_document(struct request *r, struct response *res, long long id,
              int version)
{
	const char    *text;
	json_t        *doc;
	enum db_status st =
	    store_scenario_document(&r->store, id, version, &text);

	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return NULL;
	}
	doc = json_loads(text, 0, NULL);
	if (doc == NULL) {
		log_error("scenarios: stored document %lld v%d is not JSON", id,
		          version);
		return NULL;
	}
	arena_json(r->arena, doc);
	return doc;
}

void
scenarios_get(struct request *r, struct response *res)
{
	struct scenario_meta m;
	long long            id = r->param.scenario;
	int                  version;
	json_t              *doc, *body;

	if (!load_meta(r, res, &m))
		return;
	version = version_for(r, &m);
	doc = load_document(r, res, id, version);
	if (doc == NULL)
		return;
	body = arena_json(
	    r->arena,
	    json_pack("{s:I, s:i, s:s, s:O}", "id", (json_int_t)id, "version",
	              version, "status",
	              version == m.published_version ? "published" : "draft",
	              "document", doc));
	http_json(r, res, 200, body);
}

void
scenarios_attempt(struct request *r, struct response *res)
{
	struct scenario_meta         m;
	struct scenario_play_result *play;
	int                          choices[SCENARIO_PLAY_STEPS_MAX];
	const char                  *problem, **ids;
	char                        *ints;
	size_t                       n, o = 0;
	long long                    id = r->param.scenario;
	int                          version;
	json_t                      *doc, *body;
	enum db_status               st;

	if (!load_meta(r, res, &m))
		return;
	if (scenario_choices_from_json(json_object_get(r->json, "choices"),
	                               choices, SCENARIO_PLAY_STEPS_MAX, &n,
	                               &problem) != 0) {
		reply_invalid_field(r, res, "choices", problem);
		return;
	}
	version = version_for(r, &m);
	doc = load_document(r, res, id, version);
	if (doc == NULL)
		return;
	play = arena_alloc(r->arena, sizeof(*play));
	arena_on_reset(r->arena, play_free_cb, play);
	if (scenario_play(doc, choices, n, play) != 0) {
		reply_invalid_field(r, res, "choices", play->error);
		return;
	}
	ints = arena_alloc(r->arena, n * 12 + 3);
	ints[o++] = '{';
	for (size_t i = 0; i < n; i++)
		o +=
		    (size_t)sprintf(ints + o, "%s%d", i ? "," : "", choices[i]);
	ints[o++] = '}';
	ints[o] = '\0';
	ids = play->path;
	st = store_scenario_attempt(&r->store, id, version, ints,
	                            db_text_array(r->arena, ids, play->n_path),
	                            play->score, play->outcome);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	body = arena_json(r->arena, scenario_play_result_json(play));
	json_object_set_new(body, "version", json_integer(version));
	http_json(r, res, 200, body);
}

void
scenarios_stats(struct request *r, struct response *res)
{
	struct scenario_meta       m;
	struct store_choice_count *counts;
	size_t                     ncounts;
	long long                  id = r->param.scenario, attempts;
	int                        version;
	json_t                    *doc, *nodes, *out, *node, *choice;
	const char                *nid, *q;
	long long                  v;
	enum db_status             st;

	if (!load_meta(r, res, &m))
		return;
	q = http_query_get(r->arena, r->query, "version");
	version = m.published_version ? m.published_version : m.current_version;
	if (q != NULL && scope_id_parse(q, &v) && v <= m.current_version)
		version = (int)v;
	doc = load_document(r, res, id, version);
	if (doc == NULL)
		return;
	st = store_scenario_stats(&r->store, id, version, &counts, &ncounts,
	                          &attempts);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	out = json_array();
	json_object_foreach (json_object_get(doc, "nodes"), nid, node) {
		json_t *choices = json_object_get(node, "choices");
		json_t *list;
		size_t  i;

		if (json_array_size(choices) == 0)
			continue;
		list = json_array();
		json_array_foreach (choices, i, choice) {
			long long count = 0;

			for (size_t k = 0; k < ncounts; k++)
				if (strcmp(counts[k].node, nid) == 0 &&
				    counts[k].choice == (long long)i)
					count = counts[k].count;
			json_array_append_new(
			    list,
			    json_pack("{s:I, s:O, s:I}", "index", (json_int_t)i,
			              "text", json_object_get(choice, "text"),
			              "count", (json_int_t)count));
		}
		json_array_append_new(
		    out, json_pack("{s:s, s:O, s:O, s:o}", "node", nid,
		                   "meldcode_step",
		                   json_object_get(node, "meldcode_step")
		                       ? json_object_get(node, "meldcode_step")
		                       : json_null(),
		                   "text", json_object_get(node, "text"),
		                   "choices", list));
	}
	nodes =
	    arena_json(r->arena, json_pack("{s:i, s:I, s:o}", "version",
	                                   version, "attempts",
	                                   (json_int_t)attempts, "nodes", out));
	http_json(r, res, 200, nodes);
}

/* The file name extension nginx's mime.types maps back to the type. */
static const char *
media_ext(const char *mime)
{
	if (strcmp(mime, "image/png") == 0)
		return "png";
	if (strcmp(mime, "image/jpeg") == 0)
		return "jpg";
	if (strcmp(mime, "audio/mpeg") == 0)
		return "mp3";
	if (strcmp(mime, "video/mp4") == 0)
		return "mp4";
	return NULL;
}

/* The type libmagic reads from the bytes; the magic database is loaded once
 * per worker. */
static const char *
sniff(const char *buf, size_t len)
{
	static magic_t cookie;

	if (cookie == NULL) {
		cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
		if (cookie == NULL || magic_load(cookie, NULL) != 0) {
			log_error("media: cannot load the magic database");
			if (cookie != NULL)
				magic_close(cookie);
			cookie = NULL;
			return NULL;
		}
	}
	return magic_buffer(cookie, buf, len);
}

void
scenarios_media_upload(struct request *r, struct response *res)
{
	unsigned char            hash[crypto_hash_sha256_BYTES];
	char                     hex[crypto_hash_sha256_BYTES * 2 + 1];
	const char              *claimed = NULL, *actual, *ext, *path, *name;
	static const char *const types[] = {"image/png", "image/jpeg",
	                                    "audio/mpeg", "video/mp4"};
	long long                id = r->param.scenario;
	json_t                  *body;
	enum db_status           st;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (http_is_type(r->content_type, types[i]))
			claimed = types[i];
	if (claimed == NULL) {
		http_error(r, res, 415, "unsupported_media_type",
		           "Alleen PNG, JPEG, MP3 of MP4.");
		return;
	}
	if (r->body_len == 0) {
		reply_invalid_field(r, res, "body", "Het bestand is leeg.");
		return;
	}
	actual = sniff(r->body, r->body_len);
	if (actual == NULL)
		return;
	/* MP3 without an ID3 tag is sometimes named audio/mp3 or
	 * application/octet-stream by older magic files: only trust exact hits.
	 */
	if (strcmp(actual, claimed) != 0) {
		http_error(r, res, 415, "unsupported_media_type",
		           arena_printf(r->arena,
		                        "Dit bestand is geen %s maar %s.",
		                        claimed, actual));
		return;
	}
	ext = media_ext(claimed);
	crypto_hash_sha256(hash, (const unsigned char *)r->body, r->body_len);
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	name = arena_printf(r->arena, "%s.%s", hex, ext);
	path = arena_printf(r->arena, "%s/%s", r->config->media_dir, name);
	if (access(path, F_OK) != 0 &&
	    media_store(r->config->media_dir, name, r->body, r->body_len,
	                (int)getpid()) != 0) {
		log_error("media: cannot store %s: %s", path, strerror(errno));
		return;
	}
	st = store_scenario_media_add(&r->store, id, hex, claimed, r->body_len);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	body = arena_json(
	    r->arena,
	    json_pack("{s:s, s:s}", "media_id", hex, "url",
	              arena_printf(r->arena, "/api/v1/media/%s", hex)));
	http_json(r, res, 201, body);
}

void
media_get(struct request *r, struct response *res)
{
	const char    *id = r->param.media, *mime;
	enum db_status st;

	st = store_media_mime(&r->store, id, &mime);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	/* nginx sends the file from its internal location; the extension gives
	 * the type, and nosniff comes with every answer. */
	res->status = 200;
	res->content_type = mime;
	http_header_add(
	    r, res, "X-Accel-Redirect",
	    arena_printf(r->arena, "/_media/%s.%s", id, media_ext(mime)));
	http_header_add(r, res, "Cache-Control", "private, max-age=3600");
}
