/* Integration helpers for the organisation (see itest_org.h). */
#include "itest_org.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sodium.h>

static char     *demo_login(const char *role);
static char     *path_to_end(const json_t *doc);
static PGresult *db_run(PGconn **conn, const char *sql, int n,
                        const char *const *params, ExecStatusType want);

/* Demo tokens: one login per role and run, kept for the process. */
struct demo_token {
	const char *role;
	char       *token;
};

static struct demo_token demo_tokens[] = {
    {"teacher", NULL},       {"ib", NULL},
    {"trainer", NULL},       {"board_admin", NULL},
    {"region_viewer", NULL}, {"admin", NULL},
};

static char *
demo_login(const char *role)
{
	char *email, *password;

	if (!itest_demo_account(role, &email, &password))
		fail_msg("no %s in DEMO_ACCOUNTS", role);
	return itest_login_token(email, password);
}

const char *
org_demo_token(const char *role)
{
	for (size_t i = 0; i < sizeof(demo_tokens) / sizeof(demo_tokens[0]);
	     i++) {
		struct demo_token *d = &demo_tokens[i];
		struct itest_resp *r;

		if (strcmp(d->role, role) != 0)
			continue;
		/* Still good?  A stack restarted with a new secret is not. */
		if (d->token != NULL) {
			r = itest_get("/api/v1/me", d->token);
			if (r->status == 200)
				return d->token;
			free(d->token);
			d->token = NULL;
		}
		d->token = strdup(demo_login(role));
		assert_non_null(d->token);
		return d->token;
	}
	fail_msg("unknown demo role %s", role);
	return NULL;
}

const char *
org_admin(void)
{
	return org_demo_token("admin");
}

char *
org_tag(void)
{
	return itest_random_hex(3);
}

char *
org_unique_brin(void)
{
	static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	char              b[7];

	b[0] = letters[randombytes_uniform(26)];
	for (int i = 1; i < 4; i++)
		b[i] = alnum[randombytes_uniform(36)];
	for (int i = 4; i < 6; i++)
		b[i] = (char)('0' + randombytes_uniform(10));
	b[6] = '\0';
	return itest_fmt("%s", b);
}

long
org_region(const char *name)
{
	json_t *body = itest_keep_json(json_pack(
	    "{s:s}", "name",
	    name ? name : itest_fmt("IT-regio %s", itest_random_hex(6))));
	json_t *j = itest_expect_json(
	    itest_post_json("/api/v1/regions", org_admin(), itest_dump(body)),
	    201);

	return itest_jint(j, "id");
}

long
org_board(long region_id)
{
	/* Board numbers are unique; DUO's have at most 5 digits. */
	char   *number = itest_fmt("9%08u", randombytes_uniform(100000000));
	json_t *body = itest_keep_json(json_pack(
	    "{s:s, s:s}", "name",
	    itest_fmt("IT-bestuur %s", itest_random_hex(6)), "number", number));
	json_t *j;

	if (region_id > 0)
		json_object_set_new(body, "region_id", json_integer(region_id));
	j = itest_expect_json(
	    itest_post_json("/api/v1/boards", org_admin(), itest_dump(body)),
	    201);
	return itest_jint(j, "id");
}

struct org_school *
org_school(long board_id, const char *name, const char *municipality)
{
	struct org_school *s = calloc(1, sizeof(*s));
	struct itest_resp *r = NULL;

	assert_non_null(s);
	itest_keep(s, free);
	s->board_id = board_id;
	snprintf(s->name, sizeof(s->name), "%s",
	         name ? name : itest_fmt("IT-school %s", itest_random_hex(6)));
	snprintf(s->municipality, sizeof(s->municipality), "%s",
	         municipality
	             ? municipality
	             : itest_fmt("IT-gemeente %s", itest_random_hex(6)));
	/* A random code can meet an earlier one (409): try another. */
	for (int attempt = 0; attempt < 3; attempt++) {
		json_t *body;

		snprintf(s->brin, sizeof(s->brin), "%s", org_unique_brin());
		body = itest_keep_json(
		    json_pack("{s:I, s:s, s:s, s:s}", "board_id",
		              (json_int_t)board_id, "name", s->name, "brin",
		              s->brin, "municipality", s->municipality));
		r = itest_post_json("/api/v1/schools", org_admin(),
		                    itest_dump(body));
		if (r->status != 409)
			break;
	}
	itest_expect_json(r, 201);
	s->id = itest_jint(r->json, "id");
	snprintf(s->join_code, sizeof(s->join_code), "%s",
	         itest_jstr(r->json, "join_code"));
	return s;
}

struct itest_user *
org_account(const char *role, long board_id, long region_id)
{
	struct itest_user *u = calloc(1, sizeof(*u));
	json_t            *body;
	json_t            *j;

	assert_non_null(u);
	itest_keep(u, free);
	snprintf(u->email, sizeof(u->email), "%s", itest_unique_email());
	snprintf(u->password, sizeof(u->password), "%s",
	         itest_strong_password());
	snprintf(u->name, sizeof(u->name), "IT %s %s", role,
	         itest_random_hex(3));
	body = itest_keep_json(json_pack("{s:s, s:s, s:s, s:s}", "email",
	                                 u->email, "name", u->name, "role",
	                                 role, "password", u->password));
	if (board_id > 0)
		json_object_set_new(body, "board_id", json_integer(board_id));
	if (region_id > 0)
		json_object_set_new(body, "region_id", json_integer(region_id));
	j = itest_expect_json(
	    itest_post_json("/api/v1/users", org_admin(), itest_dump(body)),
	    201);
	u->id = itest_jint(j, "id");
	u->school_id = -1;
	snprintf(u->token, sizeof(u->token), "%s",
	         itest_login_token(u->email, u->password));
	return u;
}

struct itest_user *
org_register(const char *join_code, const char *name)
{
	struct itest_user *u = calloc(1, sizeof(*u));
	json_t            *j, *sid;

	assert_non_null(u);
	itest_keep(u, free);
	snprintf(u->email, sizeof(u->email), "%s", itest_unique_email());
	snprintf(u->password, sizeof(u->password), "%s",
	         itest_strong_password());
	snprintf(u->name, sizeof(u->name), "%s",
	         name ? name : itest_fmt("Leerkracht %s", itest_random_hex(3)));
	j = itest_expect_json(
	    itest_post_json(
	        "/api/v1/auth/register", NULL,
	        itest_register_body(u->email, u->password, u->name, join_code)),
	    201);
	u->id = itest_jint(itest_jobj(j, "user"), "id");
	sid = json_object_get(itest_jobj(j, "user"), "school_id");
	u->school_id =
	    json_is_integer(sid) ? (long)json_integer_value(sid) : -1;
	snprintf(u->token, sizeof(u->token), "%s", itest_jstr(j, "token"));
	return u;
}

void
org_verify_email(long user_id)
{
	const char *p[1] = {itest_fmt("%ld", user_id)};

	assert_int_equal(
	    org_db_exec("UPDATE users SET email_verified = true WHERE id = $1",
	                1, p),
	    1);
}

void
org_verify_by_mail(const char *email)
{
	const char *token =
	    org_db_text("SELECT substring(body from 'verify=([0-9a-f]{64})')"
	                " FROM mail_outbox WHERE lower(recipient) = lower($1)"
	                " AND body LIKE '%#verify=%' ORDER BY id DESC LIMIT 1",
	                1, (const char *[]){email});

	if (token == NULL)
		fail_msg("no verification mail for %s", email);
	itest_expect_json(
	    itest_post_json("/api/v1/auth/verify", NULL,
	                    itest_fmt("{\"token\":\"%s\"}", token)),
	    200);
}

void
org_link_trainer(long trainer_id, long board_id)
{
	itest_expect_status(
	    itest_post_json(
	        itest_fmt("/api/v1/trainers/%ld/boards", trainer_id),
	        org_admin(), itest_fmt("{\"board_id\":%ld}", board_id)),
	    204);
}

struct itest_resp *
org_send(const char *method, const char *path, const char *token,
         const char *content_type, const char *body, size_t len)
{
	struct itest_req rq = {.method = method,
	                       .path = path,
	                       .bearer = token,
	                       .content_type = content_type,
	                       .body = body,
	                       .body_len = len};

	/* itest_perform reads body_len 0 as strlen(body): an empty body is
	 * sent as "" with length 0 either way. */
	return itest_do(&rq);
}

struct itest_resp *
org_roster(const char *token, long board_id, const char *csv)
{
	return org_send("POST",
	                itest_fmt("/api/v1/boards/%ld/roster", board_id), token,
	                "text/csv", csv, strlen(csv));
}

/* {"choices":[...]} that walks a scenario document from start to an end
 * node (breadth first, so the shortest way). */
static char *
path_to_end(const json_t *doc)
{
	json_t     *nodes = json_object_get(doc, "nodes");
	json_t     *prev = itest_keep_json(json_object());
	json_t     *queue = itest_keep_json(json_array());
	json_t     *choices = itest_keep_json(json_array());
	const char *start = json_string_value(json_object_get(doc, "start"));
	const char *end = NULL;

	assert_non_null(start);
	json_object_set_new(prev, start, json_null());
	json_array_append_new(queue, json_string(start));
	for (size_t head = 0; head < json_array_size(queue) && end == NULL;
	     head++) {
		const char *id = json_string_value(json_array_get(queue, head));
		json_t     *list =
		    json_object_get(json_object_get(nodes, id), "choices");
		json_t *c;
		size_t  i;

		if (json_array_size(list) == 0) {
			end = id;
			break;
		}
		json_array_foreach (list, i, c) {
			const char *next =
			    json_string_value(json_object_get(c, "next"));

			if (next == NULL || json_object_get(prev, next) != NULL)
				continue;
			json_object_set_new(prev, next,
			                    json_pack("{s:s, s:I}", "from", id,
			                              "index", (json_int_t)i));
			json_array_append_new(queue, json_string(next));
		}
	}
	if (end == NULL)
		fail_msg("no end node in %s", itest_dump(doc));
	for (json_t *step = json_object_get(prev, end); json_is_object(step);
	     step = json_object_get(
	         prev, json_string_value(json_object_get(step, "from"))))
		json_array_insert(choices, 0, json_object_get(step, "index"));
	return itest_fmt("{\"choices\":%s}", itest_dump(choices));
}

const char *
org_pass_module(const char *token, const char *slug)
{
	char        *path = itest_fmt("%s/modules/%s/module.json",
	                              itest_env("CONTENT_DIR"), slug);
	json_error_t jerr;
	json_t      *doc = itest_keep_json(json_load_file(path, 0, &jerr));
	json_t      *s, *j, *sc;
	size_t       i;
	struct itest_resp *r;

	if (doc == NULL)
		fail_msg("cannot read %s: %s", path, jerr.text);
	/* Sections as the service lists them: a role-play section is done
	 * by playing its scenario to an end, the others by a PUT. */
	j = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/modules/%s", slug), token), 200);
	json_array_foreach (itest_jarr(j, "sections"), i, s) {
		sc = json_object_get(s, "scenario");
		if (json_is_object(sc)) {
			long    id = itest_jint(sc, "id");
			json_t *sd = itest_expect_json(
			    itest_get(itest_fmt("/api/v1/scenarios/%ld", id),
			              token),
			    200);

			itest_expect_json(
			    itest_post_json(
			        itest_fmt("/api/v1/scenarios/%ld/attempts", id),
			        token, path_to_end(itest_jobj(sd, "document"))),
			    200);
			continue;
		}
		r = itest_put(itest_fmt("/api/v1/modules/%s/sections/%s", slug,
		                        itest_jstr(s, "id")),
		              token, NULL);
		itest_expect_status(r, 204);
	}
	j = itest_expect_json(
	    itest_post_json(itest_fmt("/api/v1/modules/%s/attempts", slug),
	                    token, itest_quiz_answers(token, slug, true)),
	    200);
	if (!itest_jbool(j, "passed"))
		fail_msg("the right answers of %s did not pass: %s", slug,
		         itest_dump(j));
	return itest_jstr(itest_jobj(j, "certificate"), "code");
}

void
org_insert_certificate(long user_id, const char *slug, const char *issued_ago,
                       const char *expires_in)
{
	const char *p[5] = {itest_fmt("%ld", user_id), slug,
	                    itest_random_hex(16), issued_ago, expires_in};

	assert_int_equal(
	    org_db_exec("INSERT INTO certificates (code, user_id, module_id,"
	                " module_version, issued_at, expires_at)"
	                " SELECT $3, $1::bigint, m.id, m.version,"
	                " now() - $4::interval, now() + $5::interval"
	                " FROM modules m WHERE m.slug = $2",
	                5, p),
	    1);
}

void
org_certify_role(long user_id, const char *role, const char *issued_ago,
                 const char *expires_in)
{
	const char *p[5] = {itest_fmt("%ld", user_id), role, issued_ago,
	                    expires_in};

	assert_true(
	    org_db_exec(
	        "INSERT INTO certificates (code, user_id, module_id,"
	        " module_version, issued_at, expires_at)"
	        " SELECT replace(gen_random_uuid()::text, '-', ''), $1::bigint,"
	        " m.id, m.version, now() - $3::interval,"
	        " now() + $4::interval"
	        " FROM requirements r JOIN modules m"
	        " ON m.slug = r.module_slug AND m.active"
	        " WHERE r.role = $2",
	        4, p) > 0);
}

/* Database. */

static PGresult *
db_run(PGconn **conn, const char *sql, int n, const char *const *params,
       ExecStatusType want)
{
	PGresult *res;

	assert_true(n >= 0 && n <= 8);
	*conn = PQconnectdb(itest_env("DATABASE_URL"));
	if (PQstatus(*conn) != CONNECTION_OK) {
		print_error("DATABASE_URL: %s\n", PQerrorMessage(*conn));
		PQfinish(*conn);
		*conn = NULL;
		fail();
		return NULL;
	}
	res = PQexecParams(*conn, sql, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != want) {
		print_error("SQL failed: %s\n  %s\n", sql,
		            PQresultErrorMessage(res));
		PQclear(res);
		PQfinish(*conn);
		*conn = NULL;
		fail();
		return NULL;
	}
	return res;
}

long
org_db_exec(const char *sql, int n, const char *const *params)
{
	PGconn   *conn = NULL;
	PGresult *res = db_run(&conn, sql, n, params, PGRES_COMMAND_OK);
	long      rows = strtol(PQcmdTuples(res), NULL, 10);

	PQclear(res);
	PQfinish(conn);
	return rows;
}

char *
org_db_text(const char *sql, int n, const char *const *params)
{
	PGconn   *conn = NULL;
	PGresult *res = db_run(&conn, sql, n, params, PGRES_TUPLES_OK);
	char     *v = NULL;

	if (PQntuples(res) > 0 && PQnfields(res) > 0 && !PQgetisnull(res, 0, 0))
		v = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	PQfinish(conn);
	return itest_keep(v, free);
}

long
org_db_long(const char *sql, int n, const char *const *params)
{
	char *v = org_db_text(sql, n, params);

	if (v == NULL)
		fail_msg("no value from: %s", sql);
	return strtol(v, NULL, 10);
}

char *
org_staff_snapshot(long board_id)
{
	const char *p[1] = {itest_fmt("%ld", board_id)};
	char       *v = org_db_text(
	          "SELECT coalesce(string_agg(concat_ws('|', st.id, st.school_id,"
	                " st.email, st.name, st.role, st.user_id, st.source,"
	                " st.started_at, st.left_at), E'\\n' ORDER BY st.id), '')"
	                " FROM staff st JOIN schools s ON s.id = st.school_id"
	                " WHERE s.board_id = $1",
	          1, p);

	return v ? v : itest_fmt("%s", "");
}

long
org_staff_active(long school_id, const char *email)
{
	const char *p[2] = {itest_fmt("%ld", school_id), email};

	return org_db_long("SELECT count(*) FROM staff WHERE school_id = $1"
	                   " AND email = lower($2) AND left_at IS NULL",
	                   2, p);
}

json_t *
org_find_by_id(const json_t *list, const char *key, long id)
{
	json_t *e;
	size_t  i;

	if (!json_is_array(list))
		fail_msg("not an array: %s", itest_dump(list));
	json_array_foreach (list, i, e) {
		json_t *v = json_object_get(e, key);

		if (json_is_integer(v) && json_integer_value(v) == id)
			return e;
	}
	fail_msg("no entry with %s = %ld in %.600s", key, id, itest_dump(list));
	return NULL;
}

double
org_jnum(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_number(v))
		fail_msg("member \"%s\" missing or not a number in %.500s", key,
		         itest_dump(obj));
	return json_number_value(v);
}

void
org_expect_pct(const json_t *obj, const char *key, double expected)
{
	double v = org_jnum(obj, key);

	if (fabs(v - expected) > 1e-9)
		fail_msg("%s: expected %.1f, got %.6g in %.500s", key, expected,
		         v, itest_dump(obj));
	if (fabs(v * 10.0 - round(v * 10.0)) > 1e-6)
		fail_msg("%s has more than one decimal: %.10g", key, v);
}

json_t *
org_staff_entry(const char *token, long board, long school, const char *email)
{
	json_t *list = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/schools/%ld/staff", board,
	                        school),
	              token),
	    200);
	json_t *e;
	size_t  i;

	json_array_foreach (list, i, e)
		if (strcmp(itest_jstr(e, "email"), email) == 0)
			return e;
	return NULL;
}
