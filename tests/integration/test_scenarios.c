/* Integration tests: role-play scenarios (create, versions, publish, list,
 * get, attempts, statistics) and their media files. */
#include "itest_org.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define MEDIA_LIMIT (50u * 1024 * 1024)

static json_t *scenario_doc(const char *title, const char *audience,
                            int variant);
static long    create(const char *token, const json_t *doc);
static void    publish(const char *token, long id, long version);
static json_t *play(const char *token, long id, const char *choices,
                    long status);
static json_t *find_scenario(const json_t *list, long id);
static bool    listed(const char *token, long id);
static void expect_paths(const struct itest_resp *r, const char *const *paths);
static uint32_t           crc32_png(const unsigned char *p, size_t n);
static const char        *png_bytes(size_t *len);
static struct itest_resp *upload(const char *token, long id, const char *ct,
                                 const char *body, size_t len);
static const char        *sha256_hex(const char *data, size_t len);
static struct itest_user *learner_ib(void);
static void expect_png(const struct itest_resp *r, const char *png, size_t len);

static void test_scenario_create_and_get(void **state);
static void test_scenario_invalid_documents(void **state);
static void test_scenario_learner_cannot_create(void **state);
static void test_scenario_other_trainer_forbidden(void **state);
static void test_scenario_versions(void **state);
static void test_scenario_list_visibility(void **state);
static void test_scenario_attempts(void **state);
static void test_scenario_stats(void **state);
static void test_media_png(void **state);
static void test_media_visibility_by_audience(void **state);
static void test_media_wrong_type(void **state);
static void test_media_too_large(void **state);
static void test_scenario_scope(void **state);
static void test_media_scope(void **state);

/*
 * A small scenario: begin (step 1) -> midden -> einde_goed, with a way
 * back from midden to begin and a bad end.  `variant` shows in the texts
 * and sets the first choice's score (10 * variant), so a reply tells which
 * version was played.  audience: "teacher", "ib" or "both".
 */
static json_t *
scenario_doc(const char *title, const char *audience, int variant)
{
	json_t *aud = json_array();
	json_t *doc;

	if (strcmp(audience, "ib") != 0)
		json_array_append_new(aud, json_string("teacher"));
	if (strcmp(audience, "teacher") != 0)
		json_array_append_new(aud, json_string("ib"));
	doc = json_pack(
	    "{s:s, s:s, s:o, s:s, s:{"
	    " s:{s:s, s:s, s:i, s:[{s:s, s:s, s:s, s:i}, {s:s, s:s, s:s, "
	    "s:i}]},"
	    " s:{s:s, s:s, s:[{s:s, s:s, s:s, s:i}, {s:s, s:s, s:s, s:i}]},"
	    " s:{s:s, s:s, s:s},"
	    " s:{s:s, s:s, s:s}}}",
	    "title", title, "summary",
	    "Een ouder bij het hek; <script>alert(1)</script> is gewoon tekst.",
	    "audience", aud, "start", "begin", "nodes",
	    /* begin */
	    "begin", "speaker", "Verteller", "text",
	    itest_fmt("Het is vijf voor acht (versie %d).", variant),
	    "meldcode_step", 1, "choices", "text", "Vraag rustig hoe het gaat.",
	    "next", "midden", "feedback", "Goed: rustig blijven.", "score",
	    10 * variant, "text", "Loop weg.", "next", "einde_slecht",
	    "feedback", "Zo help je niemand.", "score", -10,
	    /* midden */
	    "midden", "speaker", "Ouder", "text", "Het gaat wel, hoor.",
	    "choices", "text", "Overleg met de aandachtsfunctionaris.", "next",
	    "einde_goed", "feedback", "Precies.", "score", 5, "text",
	    "Begin opnieuw.", "next", "begin", "feedback", "Nog een keer.",
	    "score", 0,
	    /* ends */
	    "einde_goed", "speaker", "Verteller", "text", "Je legt het vast.",
	    "outcome", itest_fmt("Goed afgerond (versie %d).", variant),
	    "einde_slecht", "speaker", "Verteller", "text",
	    "Het hek gaat dicht.", "outcome",
	    itest_fmt("Vastgelopen (versie %d).", variant));
	assert_non_null(doc);
	return itest_keep_json(doc);
}

static long
create(const char *token, const json_t *doc)
{
	json_t *j = itest_expect_json(
	    itest_post_json("/api/v1/scenarios", token, itest_dump(doc)), 201);

	assert_int_equal(itest_jint(j, "version"), 1);
	assert_string_equal(itest_jstr(j, "status"), "draft");
	return itest_jint(j, "id");
}

static void
publish(const char *token, long id, long version)
{
	json_t *j = itest_expect_json(
	    itest_post_json(itest_fmt("/api/v1/scenarios/%ld/publish", id),
	                    token, NULL),
	    200);

	assert_int_equal(itest_jint(j, "id"), id);
	assert_int_equal(itest_jint(j, "version"), version);
	assert_string_equal(itest_jstr(j, "status"), "published");
}

static json_t *
play(const char *token, long id, const char *choices, long status)
{
	struct itest_resp *r =
	    itest_post_json(itest_fmt("/api/v1/scenarios/%ld/attempts", id),
	                    token, itest_fmt("{\"choices\":%s}", choices));

	if (status == 200)
		return itest_expect_json(r, 200);
	return itest_expect_error(
	    r, status, status == 400 ? "validation_failed" : "not_found");
}

static json_t *
find_scenario(const json_t *list, long id)
{
	return org_find_by_id(list, "id", id);
}

static bool
listed(const char *token, long id)
{
	json_t *list =
	    itest_expect_json(itest_get("/api/v1/scenarios", token), 200);
	json_t *e;
	size_t  i;

	json_array_foreach (list, i, e)
		if (json_integer_value(json_object_get(e, "id")) == id)
			return true;
	return false;
}

/* 400 validation_failed whose errors[] has every path (and messages). */
static void
expect_paths(const struct itest_resp *r, const char *const *paths)
{
	json_t *err = itest_expect_error(r, 400, "validation_failed");
	json_t *list = json_object_get(err, "errors");

	if (!json_is_array(list) || json_array_size(list) == 0)
		fail_msg("no errors[] in %s", r->body);
	for (size_t k = 0; paths[k] != NULL; k++) {
		json_t *e;
		size_t  i;
		bool    found = false;

		json_array_foreach (list, i, e) {
			if (strcmp(itest_jstr(e, "path"), paths[k]) == 0 &&
			    strlen(itest_jstr(e, "message")) > 0)
				found = true;
		}
		if (!found)
			fail_msg("no error at %s: %s", paths[k], r->body);
	}
}

/* PNG. */

static uint32_t
crc32_png(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return c ^ 0xffffffffu;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/*
 * A real 1x1 PNG (signature, IHDR, IDAT of one green pixel), with a tEXt
 * chunk of random text so that every test has its own file: media are
 * content-addressed, and a shared file would be visible through another
 * test's scenario.  CRCs are computed here.
 */
static const char *
png_bytes(size_t *len)
{
	static const unsigned char head[] = {
	    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, /* signature */
	    0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, /* IHDR */
	    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08,
	    0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xde, 0x00,
	    0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, /* IDAT */
	    0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00, 0x00, 0x03,
	    0x01, 0x01, 0x00, 0xc9, 0xfe, 0x92, 0xef};
	static const unsigned char iend[] = {0x00, 0x00, 0x00, 0x00,
	                                     0x49, 0x45, 0x4e, 0x44,
	                                     0xae, 0x42, 0x60, 0x82};
	const char                *hex = itest_random_hex(16);
	size_t                     tlen = 8 + 32; /* "Comment\0" + 32 hex */
	size_t                     n = sizeof(head) + 12 + tlen + sizeof(iend);
	unsigned char             *out = malloc(n);
	unsigned char             *p = out;

	assert_non_null(out);
	itest_keep(out, free);
	memcpy(p, head, sizeof(head));
	p += sizeof(head);
	put32(p, (uint32_t)tlen);
	memcpy(p + 4, "tEXt", 4);
	memcpy(p + 8, "Comment", 8); /* with its NUL separator */
	memcpy(p + 16, hex, 32);
	put32(p + 8 + tlen, crc32_png(p + 4, 4 + tlen));
	p += 12 + tlen;
	memcpy(p, iend, sizeof(iend));
	*len = n;
	return (const char *)out;
}

static struct itest_resp *
upload(const char *token, long id, const char *ct, const char *body, size_t len)
{
	return org_send("POST", itest_fmt("/api/v1/scenarios/%ld/media", id),
	                token, ct, body, len);
}

static const char *
sha256_hex(const char *data, size_t len)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char          hex[2 * crypto_hash_sha256_BYTES + 1];

	crypto_hash_sha256(h, (const unsigned char *)data, len);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	return itest_fmt("%s", hex);
}

/* An IB'er with an account: registered at a fresh school, address
 * verified (set in the database), then on the roster as ib. */
static struct itest_user *
learner_ib(void)
{
	long               board = org_board(0);
	struct org_school *s = org_school(board, NULL, NULL);
	struct itest_user *u = org_register(s->join_code, NULL);

	org_verify_email(u->id);
	itest_expect_json(org_roster(org_admin(), board,
	                             itest_fmt("email,name,role,brin\n"
	                                       "%s,%s,ib,%s\n",
	                                       u->email, u->name, s->brin)),
	                  200);
	assert_string_equal(
	    itest_jstr(
	        itest_expect_json(itest_get("/api/v1/me", u->token), 200),
	        "role"),
	    "ib");
	return u;
}

/* 200 with the PNG's bytes, its type and nosniff. */
static void
expect_png(const struct itest_resp *r, const char *png, size_t len)
{
	const char *nosniff = itest_header(r, "X-Content-Type-Options");

	itest_expect_status(r, 200);
	if (r->content_type == NULL ||
	    strncmp(r->content_type, "image/png", 9) != 0)
		fail_msg("%s: Content-Type %s", r->what,
		         r->content_type ? r->content_type : "(none)");
	if (nosniff == NULL || strcmp(nosniff, "nosniff") != 0)
		fail_msg("%s: X-Content-Type-Options %s", r->what,
		         nosniff ? nosniff : "(none)");
	if (r->len != len || memcmp(r->body, png, len) != 0)
		fail_msg("%s: %zu bytes, not the %zu uploaded", r->what, r->len,
		         len);
}

/* Tests. */

static void
test_scenario_create_and_get(void **state)
{
	struct itest_user *tr = org_account("trainer", 0, 0);
	struct itest_user *t = itest_new_teacher();
	const char        *title = itest_fmt("IT scenario %s", org_tag());
	json_t            *doc = scenario_doc(title, "both", 1);
	json_t            *j, *e;
	long               id;

	(void)state;
	id = create(tr->token, doc);
	assert_string_equal(
	    org_db_text("SELECT concat_ws('|', s.owner_id, s.current_version,"
	                " s.published_version, s.status, v.version, v.title,"
	                " array_to_string(v.audience, ','))"
	                " FROM scenarios s JOIN scenario_versions v"
	                " ON v.scenario_id = s.id WHERE s.id = $1",
	                1, (const char *[]){itest_fmt("%ld", id)}),
	    itest_fmt("%ld|1|draft|1|%s|teacher,ib", tr->id, title));
	/* The owner reads it back as sent. */
	j = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/scenarios/%ld", id), tr->token), 200);
	assert_int_equal(itest_jint(j, "id"), id);
	assert_int_equal(itest_jint(j, "version"), 1);
	assert_string_equal(itest_jstr(j, "status"), "draft");
	if (!json_equal(itest_jobj(j, "document"), doc))
		fail_msg("document changed:\n sent %s\n got  %s",
		         itest_dump(doc),
		         itest_dump(itest_jobj(j, "document")));
	/* Listed for the owner as a draft. */
	e = find_scenario(
	    itest_expect_json(itest_get("/api/v1/scenarios", tr->token), 200),
	    id);
	assert_string_equal(itest_jstr(e, "title"), title);
	assert_string_equal(itest_jstr(e, "status"), "draft");
	assert_int_equal(itest_jint(e, "version"), 1);
	assert_true(json_is_null(json_object_get(e, "published_version")));
	assert_true(itest_jbool(e, "owner"));
	(void)itest_expect_time(itest_jstr(e, "updated_at"));
	/* A learner does not see a draft. */
	assert_false(listed(t->token, id));
	itest_expect_error(
	    itest_get(itest_fmt("/api/v1/scenarios/%ld", id), t->token), 404,
	    "not_found");
	play(t->token, id, "[0,0]", 404);
	itest_expect_error(itest_get("/api/v1/scenarios/999999999", tr->token),
	                   404, "not_found");
}

static void
test_scenario_invalid_documents(void **state)
{
	static const char *const paths1[] = {"/nodes/n3/choices/0/next",
	                                     "/nodes/n4/speaker", "/audience/1",
	                                     NULL};
	static const char *const paths2[] = {"/nodes/a", "/nodes/b", NULL};
	static const char *const paths3[] = {"/nodes/los", NULL};
	struct itest_user       *tr = org_account("trainer", 0, 0);
	const char              *owner = itest_fmt("%ld", tr->id);
	const char              *bad1, *bad2, *bad3;
	long                     id;

	(void)state;
	/* An unknown next, a missing speaker, a bad audience. */
	bad1 =
	    "{\"title\":\"Fout\",\"summary\":\"S\","
	    "\"audience\":[\"teacher\",\"directeur\"],\"start\":\"n1\","
	    "\"nodes\":{"
	    "\"n1\":{\"speaker\":\"V\",\"text\":\"T\",\"choices\":["
	    "{\"text\":\"a\",\"next\":\"n3\",\"feedback\":\"f\",\"score\":1},"
	    "{\"text\":\"b\",\"next\":\"n4\",\"feedback\":\"f\",\"score\":1}]},"
	    "\"n3\":{\"speaker\":\"V\",\"text\":\"T\",\"choices\":["
	    "{\"text\":\"a\",\"next\":\"nergens\",\"feedback\":\"f\","
	    "\"score\":1},"
	    "{\"text\":\"b\",\"next\":\"eind\",\"feedback\":\"f\","
	    "\"score\":1}]},"
	    "\"n4\":{\"text\":\"T\",\"choices\":["
	    "{\"text\":\"a\",\"next\":\"eind\",\"feedback\":\"f\","
	    "\"score\":1}]},"
	    "\"eind\":{\"speaker\":\"V\",\"text\":\"T\",\"outcome\":\"O\"}}}";
	expect_paths(itest_post_json("/api/v1/scenarios", tr->token, bad1),
	             paths1);
	/* A cycle without an exit. */
	bad2 =
	    "{\"title\":\"Rond\",\"summary\":\"S\",\"audience\":[\"ib\"],"
	    "\"start\":\"a\",\"nodes\":{"
	    "\"a\":{\"speaker\":\"V\",\"text\":\"T\",\"choices\":["
	    "{\"text\":\"x\",\"next\":\"b\",\"feedback\":\"f\",\"score\":0}]},"
	    "\"b\":{\"speaker\":\"V\",\"text\":\"T\",\"choices\":["
	    "{\"text\":\"y\",\"next\":\"a\",\"feedback\":\"f\","
	    "\"score\":0}]}}}";
	expect_paths(itest_post_json("/api/v1/scenarios", tr->token, bad2),
	             paths2);
	/* A node nobody reaches. */
	bad3 = "{\"title\":\"Los\",\"summary\":\"S\",\"audience\":[\"ib\"],"
	       "\"start\":\"a\",\"nodes\":{"
	       "\"a\":{\"speaker\":\"V\",\"text\":\"T\",\"outcome\":\"O\"},"
	       "\"los\":{\"speaker\":\"V\",\"text\":\"T\",\"outcome\":\"O\"}}}";
	expect_paths(itest_post_json("/api/v1/scenarios", tr->token, bad3),
	             paths3);
	/* Not JSON; not declared as JSON. */
	itest_expect_error(
	    itest_post_json("/api/v1/scenarios", tr->token, "{\"title\":"), 400,
	    "invalid_json");
	itest_expect_error(org_send("POST", "/api/v1/scenarios", tr->token,
	                            "text/plain", bad3, strlen(bad3)),
	                   415, "unsupported_media_type");
	/* Nothing was stored. */
	assert_int_equal(org_db_long("SELECT count(*) FROM scenarios"
	                             " WHERE owner_id = $1",
	                             1, (const char *[]){owner}),
	                 0);
	/* A new version that is invalid: 400, the scenario stays at 1. */
	id = create(tr->token, scenario_doc("Goed", "both", 1));
	expect_paths(
	    itest_put(itest_fmt("/api/v1/scenarios/%ld", id), tr->token, bad1),
	    paths1);
	assert_int_equal(
	    org_db_long("SELECT current_version FROM scenarios WHERE id = $1",
	                1, (const char *[]){itest_fmt("%ld", id)}),
	    1);
}

static void
test_scenario_learner_cannot_create(void **state)
{
	static const char *const roles[] = {"teacher", "ib", "board_admin",
	                                    "region_viewer"};
	const char              *title = itest_fmt("IT verboden %s", org_tag());
	const char *body = itest_dump(scenario_doc(title, "both", 1));

	(void)state;
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		itest_expect_error(itest_post_json("/api/v1/scenarios",
		                                   org_demo_token(roles[i]),
		                                   body),
		                   403, "forbidden");
	itest_expect_error(itest_post_json("/api/v1/scenarios",
	                                   itest_new_teacher()->token, body),
	                   403, "forbidden");
	assert_int_equal(org_db_long("SELECT count(*) FROM scenario_versions"
	                             " WHERE title = $1",
	                             1, (const char *[]){title}),
	                 0);
}

static void
test_scenario_other_trainer_forbidden(void **state)
{
	struct itest_user *a = org_account("trainer", 0, 0);
	struct itest_user *b = org_account("trainer", 0, 0);
	long        id = create(a->token, scenario_doc("Van A", "both", 1));
	const char *sid = itest_fmt("%ld", id);
	const char *v2 = itest_dump(scenario_doc("Door B", "both", 2));
	size_t      plen;
	const char *png = png_bytes(&plen);
	const char *state_sql =
	    "SELECT concat_ws('|', current_version, published_version, status,"
	    " (SELECT count(*) FROM scenario_versions WHERE scenario_id = $1),"
	    " (SELECT count(*) FROM scenario_media WHERE scenario_id = $1))"
	    " FROM scenarios WHERE id = $1";

	(void)state;
	/* A draft of A: B may not change it (and does not see it). */
	itest_expect_error(
	    itest_put(itest_fmt("/api/v1/scenarios/%ld", id), b->token, v2),
	    403, "forbidden");
	itest_expect_error(
	    itest_post_json(itest_fmt("/api/v1/scenarios/%ld/publish", id),
	                    b->token, NULL),
	    403, "forbidden");
	itest_expect_error(upload(b->token, id, "image/png", png, plen), 403,
	                   "forbidden");
	itest_expect_error(
	    itest_get(itest_fmt("/api/v1/scenarios/%ld/stats", id), b->token),
	    403, "forbidden");
	itest_expect_error(
	    itest_get(itest_fmt("/api/v1/scenarios/%ld", id), b->token), 404,
	    "not_found");
	assert_string_equal(org_db_text(state_sql, 1, (const char *[]){sid}),
	                    "1|draft|1|0");
	/* Published: B reads it, but still may not change it. */
	publish(a->token, id, 1);
	itest_expect_json(
	    itest_get(itest_fmt("/api/v1/scenarios/%ld", id), b->token), 200);
	itest_expect_error(
	    itest_put(itest_fmt("/api/v1/scenarios/%ld", id), b->token, v2),
	    403, "forbidden");
	itest_expect_error(
	    itest_post_json(itest_fmt("/api/v1/scenarios/%ld/publish", id),
	                    b->token, NULL),
	    403, "forbidden");
	itest_expect_error(
	    itest_get(itest_fmt("/api/v1/scenarios/%ld/stats", id), b->token),
	    403, "forbidden");
	/* A learner: the trainer routes are closed. */
	itest_expect_error(itest_put(itest_fmt("/api/v1/scenarios/%ld", id),
	                             org_demo_token("teacher"), v2),
	                   403, "forbidden");
	itest_expect_error(
	    itest_post_json(itest_fmt("/api/v1/scenarios/%ld/publish", id),
	                    org_demo_token("teacher"), NULL),
	    403, "forbidden");
	assert_string_equal(org_db_text(state_sql, 1, (const char *[]){sid}),
	                    "1|1|published|1|0");
}

static void
test_scenario_versions(void **state)
{
	struct itest_user *tr = org_account("trainer", 0, 0);
	struct itest_user *t = itest_new_teacher();
	long id = create(tr->token, scenario_doc("Versies v1", "both", 1));
	const char *sid = itest_fmt("%ld", id);
	const char *path = itest_fmt("/api/v1/scenarios/%ld", id);
	json_t     *j, *e;

	(void)state;
	publish(tr->token, id, 1);
	j = itest_expect_json(itest_get(path, t->token), 200);
	assert_int_equal(itest_jint(j, "version"), 1);
	assert_string_equal(itest_jstr(j, "status"), "published");

	/* A new version goes back to draft ... */
	j = itest_expect_json(
	    itest_put(path, tr->token,
	              itest_dump(scenario_doc("Versies v2", "both", 2))),
	    200);
	assert_int_equal(itest_jint(j, "id"), id);
	assert_int_equal(itest_jint(j, "version"), 2);
	assert_string_equal(itest_jstr(j, "status"), "draft");
	assert_string_equal(
	    org_db_text("SELECT concat_ws('|', current_version,"
	                " published_version, status, (SELECT string_agg("
	                " version || ':' || title, ',' ORDER BY version)"
	                " FROM scenario_versions WHERE scenario_id = $1))"
	                " FROM scenarios WHERE id = $1",
	                1, (const char *[]){sid}),
	    "2|1|draft|1:Versies v1,2:Versies v2");
	/* ... while learners keep the published version. */
	j = itest_expect_json(itest_get(path, t->token), 200);
	assert_int_equal(itest_jint(j, "version"), 1);
	assert_string_equal(itest_jstr(itest_jobj(j, "document"), "title"),
	                    "Versies v1");
	e = find_scenario(
	    itest_expect_json(itest_get("/api/v1/scenarios", t->token), 200),
	    id);
	assert_int_equal(itest_jint(e, "version"), 1);
	assert_string_equal(itest_jstr(e, "title"), "Versies v1");
	assert_int_equal(itest_jint(e, "published_version"), 1);
	assert_false(itest_jbool(e, "owner"));
	j = play(t->token, id, "[0,0]", 200);
	assert_int_equal(itest_jint(j, "version"), 1);
	assert_int_equal(itest_jint(j, "score"), 15);
	assert_string_equal(itest_jstr(j, "outcome"),
	                    "Goed afgerond (versie 1).");

	/* The owner gets the current version, or the one asked for. */
	j = itest_expect_json(itest_get(path, tr->token), 200);
	assert_int_equal(itest_jint(j, "version"), 2);
	assert_string_equal(itest_jstr(j, "status"), "draft");
	assert_string_equal(itest_jstr(itest_jobj(j, "document"), "title"),
	                    "Versies v2");
	j = itest_expect_json(
	    itest_get(itest_fmt("%s?version=1", path), tr->token), 200);
	assert_int_equal(itest_jint(j, "version"), 1);
	assert_string_equal(itest_jstr(itest_jobj(j, "document"), "title"),
	                    "Versies v1");
	/* The owner's preview plays the draft. */
	j = play(tr->token, id, "[0,0]", 200);
	assert_int_equal(itest_jint(j, "version"), 2);
	assert_int_equal(itest_jint(j, "score"), 25);

	/* Published again: learners move to version 2. */
	publish(tr->token, id, 2);
	j = itest_expect_json(itest_get(path, t->token), 200);
	assert_int_equal(itest_jint(j, "version"), 2);
	j = play(t->token, id, "[0,0]", 200);
	assert_int_equal(itest_jint(j, "version"), 2);
	assert_string_equal(itest_jstr(j, "outcome"),
	                    "Goed afgerond (versie 2).");

	/* Each attempt refers to the version played. */
	assert_string_equal(
	    org_db_text("SELECT string_agg(version::text, ',' ORDER BY id)"
	                " FROM scenario_attempts WHERE scenario_id = $1"
	                " AND user_id = $2",
	                2, (const char *[]){sid, itest_fmt("%ld", t->id)}),
	    "1,2");
	assert_string_equal(
	    org_db_text("SELECT string_agg(version::text, ',' ORDER BY id)"
	                " FROM scenario_attempts WHERE scenario_id = $1"
	                " AND user_id = $2",
	                2, (const char *[]){sid, itest_fmt("%ld", tr->id)}),
	    "2");
}

static void
test_scenario_list_visibility(void **state)
{
	struct itest_user *tr = org_account("trainer", 0, 0);
	struct itest_user *other = org_account("trainer", 0, 0);
	struct itest_user *t = itest_new_teacher();
	struct itest_user *ib = learner_ib();
	long both = create(tr->token, scenario_doc("Voor allen", "both", 1));
	long ibonly = create(tr->token, scenario_doc("Alleen IB", "ib", 1));
	long tonly =
	    create(tr->token, scenario_doc("Alleen leerkracht", "teacher", 1));
	long    draft = create(tr->token, scenario_doc("Concept", "both", 1));
	json_t *list, *e;
	size_t  i;
	bool    example = false;

	(void)state;
	publish(tr->token, both, 1);
	publish(tr->token, ibonly, 1);
	publish(tr->token, tonly, 1);

	assert_true(listed(t->token, both));
	assert_false(listed(t->token, ibonly));
	assert_true(listed(t->token, tonly));
	assert_false(listed(t->token, draft));
	assert_true(listed(ib->token, both));
	assert_true(listed(ib->token, ibonly));
	assert_false(listed(ib->token, tonly));
	assert_false(listed(ib->token, draft));
	/* Another trainer sees what is published, not the drafts. */
	assert_true(listed(other->token, ibonly));
	assert_false(listed(other->token, draft));
	/* The owner sees all four. */
	list =
	    itest_expect_json(itest_get("/api/v1/scenarios", tr->token), 200);
	assert_string_equal(itest_jstr(find_scenario(list, draft), "status"),
	                    "draft");
	assert_true(itest_jbool(find_scenario(list, ibonly), "owner"));
	e = find_scenario(list, ibonly);
	assert_int_equal(json_array_size(itest_jarr(e, "audience")), 1);
	assert_string_equal(
	    json_string_value(json_array_get(itest_jarr(e, "audience"), 0)),
	    "ib");
	(void)itest_jstr(e, "summary");

	/* Not listed means not readable or playable either. */
	itest_expect_error(
	    itest_get(itest_fmt("/api/v1/scenarios/%ld", ibonly), t->token),
	    404, "not_found");
	play(t->token, ibonly, "[0,0]", 404);
	itest_expect_error(
	    itest_get(itest_fmt("/api/v1/scenarios/%ld", tonly), ib->token),
	    404, "not_found");
	itest_expect_json(
	    itest_get(itest_fmt("/api/v1/scenarios/%ld", ibonly), ib->token),
	    200);
	play(ib->token, ibonly, "[0,0]", 200);

	/* The demo data's example scenarios are there for a teacher. */
	list = itest_expect_json(itest_get("/api/v1/scenarios", t->token), 200);
	json_array_foreach (list, i, e) {
		json_t *title = json_object_get(e, "title");

		if (json_is_string(title) &&
		    strcmp(json_string_value(title), "Een vader bij het hek") ==
		        0)
			example = true;
	}
	if (!example)
		fail_msg("the example \"Een vader bij het hek\" is not listed "
		         "for a teacher");
}

static void
test_scenario_attempts(void **state)
{
	struct itest_user *tr = org_account("trainer", 0, 0);
	struct itest_user *t = itest_new_teacher();
	long        id = create(tr->token, scenario_doc("Spelen", "both", 1));
	const char *sid = itest_fmt("%ld", id);
	const char *uid = itest_fmt("%ld", t->id);
	static const char *const impossible[] = {
	    "[2]", "[0]", "[1,0]", "[]", "[0,0,0]", "[-1]", "[\"0\"]",
	};
	json_t *j, *path;

	(void)state;
	publish(tr->token, id, 1);
	j = play(t->token, id, "[0,0]", 200);
	assert_int_equal(itest_jint(j, "score"), 15);
	assert_string_equal(itest_jstr(j, "outcome"),
	                    "Goed afgerond (versie 1).");
	path = itest_jarr(j, "path");
	if (json_array_size(path) != 3 ||
	    strcmp(json_string_value(json_array_get(path, 0)), "begin") != 0 ||
	    strcmp(json_string_value(json_array_get(path, 1)), "midden") != 0 ||
	    strcmp(json_string_value(json_array_get(path, 2)), "einde_goed") !=
	        0)
		fail_msg("path: %s", itest_dump(path));
	/* Round the loop and out through the bad end. */
	j = play(t->token, id, "[0,1,1]", 200);
	assert_int_equal(itest_jint(j, "score"), 0);
	assert_string_equal(itest_jstr(j, "outcome"),
	                    "Vastgelopen (versie 1).");
	assert_int_equal(json_array_size(itest_jarr(j, "path")), 4);
	assert_string_equal(
	    json_string_value(json_array_get(itest_jarr(j, "path"), 2)),
	    "begin");
	j = play(t->token, id, "[1]", 200);
	assert_int_equal(itest_jint(j, "score"), -10);

	/* Impossible paths: 400 with fields.choices, nothing stored. */
	for (size_t i = 0; i < sizeof(impossible) / sizeof(impossible[0]);
	     i++) {
		json_t *err = play(t->token, id, impossible[i], 400);

		if (json_object_get(json_object_get(err, "fields"),
		                    "choices") == NULL)
			fail_msg("no fields.choices for %s: %s", impossible[i],
			         itest_dump(err));
	}
	itest_expect_error(
	    itest_post_json(itest_fmt("/api/v1/scenarios/%ld/attempts", id),
	                    t->token, "{}"),
	    400, "validation_failed");
	assert_string_equal(
	    org_db_text("SELECT string_agg(concat_ws(';', version,"
	                " array_to_string(choices, ','), array_to_string(path,"
	                " ','), score, outcome), '/' ORDER BY id)"
	                " FROM scenario_attempts WHERE scenario_id = $1"
	                " AND user_id = $2",
	                2, (const char *[]){sid, uid}),
	    "1;0,0;begin,midden,einde_goed;15;Goed afgerond (versie 1)./"
	    "1;0,1,1;begin,midden,begin,einde_slecht;0;Vastgelopen (versie 1)./"
	    "1;1;begin,einde_slecht;-10;Vastgelopen (versie 1).");
}

static void
test_scenario_stats(void **state)
{
	struct itest_user *tr = org_account("trainer", 0, 0);
	struct itest_user *t = itest_new_teacher();
	struct itest_user *ib = learner_ib();
	long    id = create(tr->token, scenario_doc("Stats", "both", 1));
	json_t *j, *nodes, *n, *c;
	size_t  i;
	long    begin_counts[2] = {-1, -1}, midden_counts[2] = {-1, -1};

	(void)state;
	publish(tr->token, id, 1);
	play(t->token, id, "[0,0]", 200);
	play(ib->token, id, "[0,1,1]", 200);
	play(t->token, id, "[1]", 200);
	play(t->token, id, "[9]", 400); /* not counted */

	j = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/scenarios/%ld/stats", id), tr->token),
	    200);
	assert_int_equal(itest_jint(j, "version"), 1);
	assert_int_equal(itest_jint(j, "attempts"), 3);
	nodes = itest_jarr(j, "nodes");
	/* Only nodes with choices. */
	assert_int_equal(json_array_size(nodes), 2);
	json_array_foreach (nodes, i, n) {
		const char *node = itest_jstr(n, "node");
		long       *counts;
		size_t      k;

		if (strcmp(node, "begin") == 0) {
			counts = begin_counts;
			assert_int_equal(itest_jint(n, "meldcode_step"), 1);
			assert_string_equal(
			    itest_jstr(n, "text"),
			    "Het is vijf voor acht (versie 1).");
		} else if (strcmp(node, "midden") == 0) {
			counts = midden_counts;
			assert_true(
			    json_is_null(json_object_get(n, "meldcode_step")));
		} else {
			fail_msg("unexpected node %s", node);
			return;
		}
		assert_int_equal(json_array_size(itest_jarr(n, "choices")), 2);
		json_array_foreach (itest_jarr(n, "choices"), k, c) {
			assert_int_equal(itest_jint(c, "index"), (long)k);
			(void)itest_jstr(c, "text");
			counts[k] = itest_jint(c, "count");
		}
	}
	/* begin: choice 0 by t and ib, choice 1 by t and by ib's second
	 * visit; midden: each choice once. */
	if (begin_counts[0] != 2 || begin_counts[1] != 2 ||
	    midden_counts[0] != 1 || midden_counts[1] != 1)
		fail_msg("counts: begin %ld/%ld, midden %ld/%ld: %s",
		         begin_counts[0], begin_counts[1], midden_counts[0],
		         midden_counts[1], itest_dump(j));
	/* Not for a learner (role) nor for another trainer (owner). */
	itest_expect_error(
	    itest_get(itest_fmt("/api/v1/scenarios/%ld/stats", id), t->token),
	    403, "forbidden");
	itest_expect_error(
	    itest_get(itest_fmt("/api/v1/scenarios/%ld/stats", id),
	              org_account("trainer", 0, 0)->token),
	    403, "forbidden");
}

static void
test_media_png(void **state)
{
	struct itest_user *tr = org_account("trainer", 0, 0);
	struct itest_user *t = itest_new_teacher();
	long   id = create(tr->token, scenario_doc("Met beeld", "both", 1));
	size_t len;
	const char        *png = png_bytes(&len);
	const char        *hash = sha256_hex(png, len);
	const char        *media_id, *file, *url;
	struct itest_resp *r;
	json_t            *j, *doc;
	FILE              *f;
	char               disk[512];
	size_t             got;

	(void)state;
	r = upload(tr->token, id, "image/png", png, len);
	j = itest_expect_json(r, 201);
	media_id = itest_jstr(j, "media_id");
	url = itest_jstr(j, "url");
	/* Content-addressed: the SHA-256 of the bytes, never a given name. */
	assert_string_equal(media_id, hash);
	assert_string_equal(url, itest_fmt("/api/v1/media/%s", media_id));
	assert_string_equal(
	    org_db_text("SELECT concat_ws('|', mime, size) FROM scenario_media"
	                " WHERE id = $1 AND scenario_id = $2",
	                2, (const char *[]){media_id, itest_fmt("%ld", id)}),
	    itest_fmt("image/png|%zu", len));
	file = itest_fmt("%s/media/%s.png", itest_env("VAR_DIR"), media_id);
	f = fopen(file, "rb");
	if (f == NULL)
		fail_msg("no file %s", file);
	got = fread(disk, 1, sizeof(disk), f);
	fclose(f);
	assert_int_equal(got, len);
	assert_memory_equal(disk, png, len);

	/* The owner gets it back, typed, with nosniff. */
	expect_png(itest_get(url, tr->token), png, len);

	/* A learner may not see a draft's media; nor may another trainer. */
	itest_expect_error(itest_get(url, t->token), 404, "not_found");
	itest_expect_error(itest_get(url, org_account("trainer", 0, 0)->token),
	                   404, "not_found");
	itest_expect_error(itest_get(url, NULL), 401, "unauthenticated");

	/* Used in a node and published: the learner gets it. */
	doc = scenario_doc("Met beeld", "both", 1);
	json_object_set_new(
	    json_object_get(json_object_get(doc, "nodes"), "midden"), "media",
	    json_string(media_id));
	itest_expect_json(itest_put(itest_fmt("/api/v1/scenarios/%ld", id),
	                            tr->token, itest_dump(doc)),
	                  200);
	publish(tr->token, id, 2);
	expect_png(itest_get(url, t->token), png, len);
	j = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/scenarios/%ld", id), t->token), 200);
	assert_string_equal(
	    itest_jstr(json_object_get(
	                   json_object_get(itest_jobj(j, "document"), "nodes"),
	                   "midden"),
	               "media"),
	    media_id);

	/* Unknown or malformed ids. */
	itest_expect_error(
	    itest_get(itest_fmt("/api/v1/media/%064d", 0), tr->token), 404,
	    "not_found");
	itest_expect_error(itest_get("/api/v1/media/not-a-hash", tr->token),
	                   404, "not_found");
}

/* The media of an IB-only scenario: the IB'er sees it, a teacher not. */
static void
test_media_visibility_by_audience(void **state)
{
	struct itest_user *tr = org_account("trainer", 0, 0);
	struct itest_user *t = itest_new_teacher();
	struct itest_user *ib = learner_ib();
	long        id = create(tr->token, scenario_doc("IB beeld", "ib", 1));
	size_t      len;
	const char *png = png_bytes(&len);
	const char *url;

	(void)state;
	url = itest_jstr(itest_expect_json(
	                     upload(tr->token, id, "image/png", png, len), 201),
	                 "url");
	publish(tr->token, id, 1);
	expect_png(itest_get(url, ib->token), png, len);
	itest_expect_error(itest_get(url, t->token), 404, "not_found");
}

static void
test_media_wrong_type(void **state)
{
	static const char html[] =
	    "<!DOCTYPE html>\n<html><head><title>x</title></head><body>"
	    "<script>alert(document.cookie)</script></body></html>\n";
	struct itest_user *tr = org_account("trainer", 0, 0);
	long id = create(tr->token, scenario_doc("Fout type", "both", 1));
	const char *count_sql = "SELECT count(*) FROM scenario_media"
	                        " WHERE scenario_id = $1";
	size_t      len;
	const char *png = png_bytes(&len);

	(void)state;
	/* HTML named image/png: the bytes decide. */
	itest_expect_error(
	    upload(tr->token, id, "image/png", html, sizeof(html) - 1), 415,
	    "unsupported_media_type");
	/* A PNG named image/jpeg, audio/mpeg or video/mp4. */
	itest_expect_error(upload(tr->token, id, "image/jpeg", png, len), 415,
	                   "unsupported_media_type");
	itest_expect_error(upload(tr->token, id, "video/mp4", png, len), 415,
	                   "unsupported_media_type");
	/* Types that are never accepted. */
	itest_expect_error(
	    upload(tr->token, id, "text/html", html, sizeof(html) - 1), 415,
	    "unsupported_media_type");
	itest_expect_error(
	    upload(tr->token, id, "image/svg+xml", html, sizeof(html) - 1), 415,
	    "unsupported_media_type");
	itest_expect_error(upload(tr->token, id, NULL, png, len), 415,
	                   "unsupported_media_type");
	/* Nothing stored. */
	assert_int_equal(
	    org_db_long(count_sql, 1, (const char *[]){itest_fmt("%ld", id)}),
	    0);
	assert_int_equal(
	    org_db_long("SELECT count(*) FROM scenario_media WHERE id = $1", 1,
	                (const char *[]){sha256_hex(html, sizeof(html) - 1)}),
	    0);
	/* A learner uploading: 403. */
	itest_expect_error(
	    upload(itest_new_teacher()->token, id, "image/png", png, len), 403,
	    "forbidden");
	assert_int_equal(
	    org_db_long(count_sql, 1, (const char *[]){itest_fmt("%ld", id)}),
	    0);
}

/* Over 50 MiB: 413 in the JSON error shape. */
static void
test_media_too_large(void **state)
{
	struct itest_user *tr = org_account("trainer", 0, 0);
	long        id = create(tr->token, scenario_doc("Te groot", "both", 1));
	size_t      len = MEDIA_LIMIT + 1, plen;
	char       *body = malloc(len);
	const char *png = png_bytes(&plen);

	(void)state;
	assert_non_null(body);
	itest_keep(body, free);
	/* A PNG head and zeros: the size alone decides. */
	memset(body, 0, len);
	memcpy(body, png, plen);
	itest_expect_error(upload(tr->token, id, "image/png", body, len), 413,
	                   "payload_too_large");
	assert_int_equal(org_db_long("SELECT count(*) FROM scenario_media"
	                             " WHERE scenario_id = $1",
	                             1, (const char *[]){itest_fmt("%ld", id)}),
	                 0);
}

/* One request of a scope table and what it must answer. */
struct scope_case {
	const char *method, *path, *token;
	const char *content_type, *body; /* NULL: no body */
	size_t      len;                 /* 0: strlen(body) */
	long        status;
	const char *code;    /* NULL: a success */
	const char *message; /* NULL: any */
};

/* Sends every case and reports each wrong answer; false if any was. */
static bool
scope_cases_pass(const struct scope_case *cases, size_t n)
{
	bool bad = false;

	for (size_t i = 0; i < n; i++) {
		const struct scope_case *c = &cases[i];
		struct itest_resp *r = org_send(c->method, c->path, c->token,
		                                c->content_type, c->body,
		                                c->body == NULL ? 0
		                                : c->len        ? c->len
		                                         : strlen(c->body));
		const char        *msg = json_string_value(json_object_get(
		           json_object_get(r->json, "error"), "message"));

		if (c->code != NULL && !itest_soft_error(r, c->status, c->code))
			bad = true;
		else if (c->code == NULL && r->status != c->status) {
			print_error("case %zu: %s: %ld, want %ld: %s\n", i,
			            r->what, r->status, c->status, r->body);
			bad = true;
		} else if (c->message != NULL &&
		           (msg == NULL || strcmp(msg, c->message) != 0)) {
			print_error(
			    "case %zu: %s: message \"%s\", want \"%s\"\n", i,
			    r->what, msg ? msg : "(none)", c->message);
			bad = true;
		}
	}
	return !bad;
}

/*
 * The scope of a scenario, decided by the route contract (scope.c) before
 * the body is read: a learner sees a published one for their role, a
 * trainer or an admin every published one, the owner everything; someone
 * else's draft or one for another role is 404, with the same text as an
 * unknown id; changing someone else's is 403 for whoever may know it.
 */
static void
test_scenario_scope(void **state)
{
	static const char hidden[] = "Dit scenario bestaat niet.";
	static const char not_owner[] =
	    "Alleen de maker van dit scenario mag dit doen.";
	struct itest_user *a = org_account("trainer", 0, 0);
	struct itest_user *b = org_account("trainer", 0, 0);
	struct itest_user *t = itest_new_teacher();
	struct itest_user *ib = learner_ib();
	const char        *admin = org_admin();
	long draft = create(a->token, scenario_doc("Scope concept", "both", 1));
	long ibonly = create(a->token, scenario_doc("Scope IB", "ib", 1));
	const char *d = itest_fmt("/api/v1/scenarios/%ld", draft);
	const char *i = itest_fmt("/api/v1/scenarios/%ld", ibonly);
	const char *v2 = itest_dump(scenario_doc("Scope v2", "both", 2));
	const char *turn = "{\"choices\":[0,0]}";
	size_t      plen;
	const char *png = png_bytes(&plen);

	(void)state;
	publish(a->token, ibonly, 1);
	const struct scope_case cases[] = {
	    /* A learner and someone else's draft: 404, also before a body
	     * that is not JSON (400 invalid_json before the contract). */
	    {"GET", d, t->token, NULL, NULL, 0, 404, "not_found", hidden},
	    {"POST", itest_fmt("%s/attempts", d), t->token, ITEST_CT_JSON, turn,
	     0, 404, "not_found", hidden},
	    {"POST", itest_fmt("%s/attempts", d), t->token, ITEST_CT_JSON, "{",
	     0, 404, "not_found", hidden},
	    /* A learner of the wrong audience: 404; of the right one: 200. */
	    {"GET", i, t->token, NULL, NULL, 0, 404, "not_found", hidden},
	    {"POST", itest_fmt("%s/attempts", i), t->token, ITEST_CT_JSON, turn,
	     0, 404, "not_found", hidden},
	    {"GET", i, ib->token, NULL, NULL, 0, 200, NULL, NULL},
	    {"POST", itest_fmt("%s/attempts", i), ib->token, ITEST_CT_JSON,
	     turn, 0, 200, NULL, NULL},
	    /* An unknown id answers as a hidden one; a malformed one too. */
	    {"GET", "/api/v1/scenarios/999999999999", t->token, NULL, NULL, 0,
	     404, "not_found", hidden},
	    {"PUT", "/api/v1/scenarios/999999999999", b->token, ITEST_CT_JSON,
	     v2, 0, 404, "not_found", hidden},
	    {"GET", "/api/v1/scenarios/abc", t->token, NULL, NULL, 0, 404,
	     "not_found", hidden},
	    {"PUT", "/api/v1/scenarios/0", a->token, ITEST_CT_JSON, v2, 0, 404,
	     "not_found", hidden},
	    /* Another trainer: reads what is published, changes nothing; a
	     * body of the wrong type does not change the answer (415 before
	     * the contract). */
	    {"GET", d, b->token, NULL, NULL, 0, 404, "not_found", hidden},
	    {"GET", i, b->token, NULL, NULL, 0, 200, NULL, NULL},
	    {"PUT", d, b->token, ITEST_CT_JSON, v2, 0, 403, "forbidden",
	     not_owner},
	    {"PUT", d, b->token, "text/plain", "x", 0, 403, "forbidden",
	     not_owner},
	    {"PUT", i, b->token, ITEST_CT_JSON, v2, 0, 403, "forbidden",
	     not_owner},
	    {"POST", itest_fmt("%s/publish", d), b->token, NULL, NULL, 0, 403,
	     "forbidden", not_owner},
	    {"GET", itest_fmt("%s/stats", i), b->token, NULL, NULL, 0, 403,
	     "forbidden", not_owner},
	    {"POST", itest_fmt("%s/media", d), b->token, "image/png", png, plen,
	     403, "forbidden", not_owner},
	    /* An admin sees every published one, whatever its audience, but
	     * no draft of someone else, and changes nothing (role). */
	    {"GET", i, admin, NULL, NULL, 0, 200, NULL, NULL},
	    {"POST", itest_fmt("%s/attempts", i), admin, ITEST_CT_JSON, turn, 0,
	     200, NULL, NULL},
	    {"GET", d, admin, NULL, NULL, 0, 404, "not_found", hidden},
	    {"PUT", i, admin, ITEST_CT_JSON, v2, 0, 403, "forbidden", NULL},
	    /* The owner does everything, on the draft too. */
	    {"GET", d, a->token, NULL, NULL, 0, 200, NULL, NULL},
	    {"POST", itest_fmt("%s/attempts", d), a->token, ITEST_CT_JSON, turn,
	     0, 200, NULL, NULL},
	    {"PUT", d, a->token, ITEST_CT_JSON, v2, 0, 200, NULL, NULL},
	    {"GET", itest_fmt("%s/stats", d), a->token, NULL, NULL, 0, 200,
	     NULL, NULL},
	    {"POST", itest_fmt("%s/media", d), a->token, "image/png", png, plen,
	     201, NULL, NULL},
	    {"POST", itest_fmt("%s/publish", d), a->token, NULL, NULL, 0, 200,
	     NULL, NULL},
	    /* Published now: the learner reads it; the other trainer still
	     * may not change it. */
	    {"GET", d, t->token, NULL, NULL, 0, 200, NULL, NULL},
	    {"PUT", d, b->token, ITEST_CT_JSON, v2, 0, 403, "forbidden",
	     not_owner},
	};

	assert_true(scope_cases_pass(cases, sizeof(cases) / sizeof(cases[0])));
	/* Only the owner's version and attempts were stored. */
	assert_string_equal(
	    org_db_text(
	        "SELECT concat_ws('|', current_version,"
	        " published_version, (SELECT count(*)"
	        " FROM scenario_attempts WHERE scenario_id = $1),"
	        " (SELECT count(*) FROM scenario_media"
	        " WHERE scenario_id = $1)) FROM scenarios WHERE id = $1",
	        1, (const char *[]){itest_fmt("%ld", draft)}),
	    "2|2|1|1");
}

/*
 * A media file by the rule of its scenario, in the route contract: one
 * answer, 404 with one text, for a hidden file, an unknown and a malformed
 * id; an admin sees the file of a published scenario for another role.
 */
static void
test_media_scope(void **state)
{
	struct itest_user *tr = org_account("trainer", 0, 0);
	struct itest_user *t = itest_new_teacher();
	long   id = create(tr->token, scenario_doc("Scope beeld", "ib", 1));
	size_t len;
	const char *png = png_bytes(&len);
	const char *url, *unknown, *malformed;
	json_t     *e1, *e2, *e3;

	(void)state;
	url = itest_jstr(itest_expect_json(
	                     upload(tr->token, id, "image/png", png, len), 201),
	                 "url");
	/* A draft's file: for its owner only, not for an admin. */
	expect_png(itest_get(url, tr->token), png, len);
	itest_expect_error(itest_get(url, org_admin()), 404, "not_found");
	publish(tr->token, id, 1);
	expect_png(itest_get(url, org_admin()), png, len);
	/* Hidden (IB only), unknown and malformed: one answer. */
	unknown = itest_fmt("/api/v1/media/%064d", 0);
	malformed = "/api/v1/media/not-a-hash";
	e1 = itest_expect_error(itest_get(url, t->token), 404, "not_found");
	e2 = itest_expect_error(itest_get(unknown, t->token), 404, "not_found");
	e3 = itest_expect_error(itest_get(malformed, t->token), 404,
	                        "not_found");
	assert_string_equal(itest_jstr(e1, "message"),
	                    itest_jstr(e2, "message"));
	assert_string_equal(itest_jstr(e1, "message"),
	                    itest_jstr(e3, "message"));
}

int
itest_run_scenarios(void)
{
	const struct CMUnitTest tests[] = {
	    ITEST(test_scenario_create_and_get),
	    ITEST(test_scenario_invalid_documents),
	    ITEST(test_scenario_learner_cannot_create),
	    ITEST(test_scenario_other_trainer_forbidden),
	    ITEST(test_scenario_versions),
	    ITEST(test_scenario_list_visibility),
	    ITEST(test_scenario_attempts),
	    ITEST(test_scenario_stats),
	    ITEST(test_media_png),
	    ITEST(test_media_visibility_by_audience),
	    ITEST(test_media_wrong_type),
	    ITEST(test_media_too_large),
	    ITEST(test_scenario_scope),
	    ITEST(test_media_scope),
	};

	return cmocka_run_group_tests_name("scenarios", tests, NULL, NULL);
}
