/* Integration tests: login, register, logout, /me and the JWT checks. */
#include "itest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TWELVE_HOURS (12L * 3600)

static bool        cookie_attr(const char *cookie, const char *attr);
static const char *session_cookie(const struct itest_resp *r);
static void        expect_session_cookie(const struct itest_resp *r,
                                         const char              *token);
static void        expect_no_session(const struct itest_resp *r);
static void        expect_auth_body(const struct itest_resp *r, long status,
                                    const char *email, const char *name);
static void        expect_rejected(const char *token, const char *why);
static void        expect_accepted(const char *token, long user_id);
static void        login_fail_n(const char *email, int n);

static void test_register_ok(void **state);
static void test_register_short_password(void **state);
static void test_register_bad_join_code(void **state);
static void test_register_duplicate_email(void **state);
static void test_register_role_ignored(void **state);
static void test_register_missing_fields(void **state);
static void test_register_roster_email(void **state);
static void test_login_ok(void **state);
static void test_login_demo_accounts(void **state);
static void test_login_wrong_password(void **state);
static void test_login_unknown_email(void **state);
static void test_login_bad_body(void **state);
static void test_login_rate_limit(void **state);
static void test_login_rate_limit_unknown_email(void **state);
static void test_me(void **state);
static void test_me_unauthenticated(void **state);
static void test_logout_bearer(void **state);
static void test_logout_cookie(void **state);
static void test_logout_unauthenticated(void **state);
static void test_me_session_expiry(void **state);
static void test_refresh_ok(void **state);
static void test_refresh_revokes_old(void **state);
static void test_refresh_bearer(void **state);
static void test_refresh_unauthenticated(void **state);
static void test_refresh_foreign_origin(void **state);
static void test_refresh_session_max_age(void **state);
static void test_refresh_race(void **state);
static void test_jwt_forged_control(void **state);
static void test_jwt_alg_none(void **state);
static void test_jwt_hs512(void **state);
static void test_jwt_hs384(void **state);
static void test_jwt_alg_lowercase(void **state);
static void test_jwt_alg_missing(void **state);
static void test_jwt_expired(void **state);
static void test_jwt_exp_missing(void **state);
static void test_jwt_exp_not_integer(void **state);
static void test_jwt_tampered_payload(void **state);
static void test_jwt_wrong_signature(void **state);
static void test_jwt_oversize(void **state);
static void test_jwt_unknown_subject(void **state);
static void test_jwt_role_claim_ignored(void **state);

/* Helpers. */

/* true when the ';'-separated attribute list of cookie has attr (no case). */
static bool
cookie_attr(const char *cookie, const char *attr)
{
	const char *p = strchr(cookie, ';');
	size_t      alen = strlen(attr);

	while (p != NULL) {
		const char *end;

		p++;
		while (*p == ' ')
			p++;
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		while (end > p && end[-1] == ' ')
			end--;
		if ((size_t)(end - p) == alen &&
		    strncasecmp(p, attr, alen) == 0)
			return true;
		p = strchr(p, ';');
	}
	return false;
}

/* The Set-Cookie line for "session", owned by the test, or NULL. */
static const char *
session_cookie(const struct itest_resp *r)
{
	char *all, *save = NULL, *line;

	if (r->set_cookie == NULL)
		return NULL;
	all = itest_fmt("%s", r->set_cookie);
	for (line = strtok_r(all, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, "session=", 8) == 0)
			return line;
	return NULL;
}

/* The token in the session cookie of an answer (owned by the test). */
static const char *
cookie_token(const struct itest_resp *r)
{
	const char *c = session_cookie(r);

	if (c == NULL)
		fail_msg("%s: no Set-Cookie session=...", r->what);
	return itest_fmt("%.*s", (int)strcspn(c + 8, ";"), c + 8);
}

static void
expect_session_cookie(const struct itest_resp *r, const char *token)
{
	const char *c = session_cookie(r);
	size_t      tlen = strlen(token);

	if (c == NULL)
		fail_msg("%s: no Set-Cookie session=...; got: %s", r->what,
		         r->set_cookie ? r->set_cookie : "(none)");
	if (strncmp(c + 8, token, tlen) != 0 ||
	    (c[8 + tlen] != ';' && c[8 + tlen] != '\0'))
		fail_msg("%s: the session cookie is not the token: %.200s",
		         r->what, c);
	if (!cookie_attr(c, "HttpOnly") || !cookie_attr(c, "SameSite=Strict") ||
	    !cookie_attr(c, "Path=/"))
		fail_msg("%s: session cookie lacks HttpOnly, SameSite=Strict "
		         "or Path=/: %.300s",
		         r->what, c + 8 + tlen);
}

static void
expect_no_session(const struct itest_resp *r)
{
	const char *c = session_cookie(r);

	if (c != NULL && c[8] != ';' && c[8] != '\0')
		fail_msg("%s: a failed request set a session cookie: %.100s",
		         r->what, c);
}

/* The body of a successful login or register. */
static void
expect_auth_body(const struct itest_resp *r, long status, const char *email,
                 const char *name)
{
	json_t     *j = itest_expect_json(r, status), *user, *hdr, *pl;
	const char *token = itest_jstr(j, "token");
	time_t      exp = itest_expect_time(itest_jstr(j, "expires_at"));
	time_t      now = time(NULL);
	long        id;

	assert_true(strlen(token) > 20);
	if (exp <= now || exp > now + TWELVE_HOURS + 120)
		fail_msg("expires_at %s is not within 12 hours from now",
		         itest_jstr(j, "expires_at"));
	user = itest_jobj(j, "user");
	id = itest_jint(user, "id");
	assert_true(id > 0);
	assert_true(strcasecmp(itest_jstr(user, "email"), email) == 0);
	if (name != NULL)
		assert_string_equal(itest_jstr(user, "name"), name);
	(void)itest_jstr(user, "role");
	assert_true(json_object_get(user, "school_id") != NULL);
	assert_true(json_object_get(user, "board_id") != NULL);
	expect_session_cookie(r, token);

	/* The token itself: HS256, sub = id, jti, integer iat/exp. */
	hdr = itest_jwt_part(token, 0);
	assert_string_equal(itest_jstr(hdr, "alg"), "HS256");
	pl = itest_jwt_part(token, 1);
	assert_string_equal(itest_jstr(pl, "sub"), itest_fmt("%ld", id));
	assert_true(strlen(itest_jstr(pl, "jti")) > 0);
	assert_true(itest_jint(pl, "exp") - itest_jint(pl, "iat") <=
	            TWELVE_HOURS);
	assert_true(labs((long)exp - itest_jint(pl, "exp")) <= 1);
}

/* The token is refused on /me both as a bearer token and as the cookie. */
static void
expect_rejected(const char *token, const char *why)
{
	struct itest_req   rq = {.path = "/api/v1/me", .bearer = token};
	struct itest_resp *r = itest_do(&rq);

	if (r->status != 401)
		print_error("token (%s) as bearer: expected 401\n", why);
	itest_expect_error(r, 401, "unauthenticated");
	rq.bearer = NULL;
	rq.cookie = token;
	r = itest_do(&rq);
	if (r->status != 401)
		print_error("token (%s) as cookie: expected 401\n", why);
	itest_expect_error(r, 401, "unauthenticated");
}

static void
expect_accepted(const char *token, long user_id)
{
	json_t *j = itest_expect_json(itest_get("/api/v1/me", token), 200);

	assert_int_equal(itest_jint(j, "id"), user_id);
}

static void
login_fail_n(const char *email, int n)
{
	for (int i = 0; i < n; i++) {
		struct itest_resp *r =
		    itest_login(email, "Verkeerd-wachtwoord-1");

		if (r->status != 401)
			print_error("failed login %d of %d\n", i + 1, n);
		itest_expect_error(r, 401, "invalid_credentials");
	}
}

/* Register. */

static void
test_register_ok(void **state)
{
	char              *email = itest_unique_email();
	char              *pw = itest_strong_password();
	const char        *name = "Fatima el Idrissi-M\xc3\xbcller";
	struct itest_resp *r;
	json_t            *user;
	char              *hash, *id;
	const char        *m, *t;

	(void)state;
	r = itest_post_json(
	    "/api/v1/auth/register", NULL,
	    itest_register_body(email, pw, name, itest_join_code(0)));
	expect_auth_body(r, 201, email, name);
	user = itest_jobj(r->json, "user");
	assert_string_equal(itest_jstr(user, "role"), "teacher");
	assert_true(json_is_integer(json_object_get(user, "school_id")));
	id = itest_fmt("%ld", itest_jint(user, "id"));

	/* Stored as argon2id, at least 19 MiB and 2 passes. */
	assert_string_equal(
	    itest_db_text("SELECT role FROM users WHERE id = $1", id, NULL),
	    "teacher");
	hash = itest_db_text("SELECT password_hash FROM users WHERE id = $1",
	                     id, NULL);
	assert_non_null(hash);
	if (strncmp(hash, "$argon2id$", 10) != 0)
		fail_msg("password hash is not argon2id: %.12s...", hash);
	assert_null(strstr(hash, pw));
	m = strstr(hash, "m=");
	t = strstr(hash, "t=");
	assert_non_null(m);
	assert_non_null(t);
	if (strtol(m + 2, NULL, 10) < 19456 || strtol(t + 2, NULL, 10) < 2)
		fail_msg("argon2id parameters below 19 MiB / 2 passes: %.40s",
		         hash);
}

static void
test_register_short_password(void **state)
{
	char              *email = itest_unique_email();
	struct itest_resp *r;
	json_t            *err;

	(void)state;
	/* 11 characters: one short of the minimum. */
	r = itest_post_json("/api/v1/auth/register", NULL,
	                    itest_register_body(email, "Kort-wachtw",
	                                        "Kim de Wit",
	                                        itest_join_code(0)));
	err = itest_expect_error(r, 400, "validation_failed");
	(void)itest_jstr(itest_jobj(err, "fields"), "password");
	assert_int_equal(itest_db_long("SELECT count(*) FROM users WHERE "
	                               "lower(email) = lower($1)",
	                               email, NULL),
	                 0);
	expect_no_session(r);
}

static void
test_register_bad_join_code(void **state)
{
	char              *email = itest_unique_email();
	struct itest_resp *r;
	json_t            *err;

	(void)state;
	r = itest_post_json(
	    "/api/v1/auth/register", NULL,
	    itest_register_body(email, itest_strong_password(), "Kim de Wit",
	                        itest_fmt("GEEN%s", itest_random_hex(5))));
	err = itest_expect_error(r, 400, "validation_failed");
	(void)itest_jstr(itest_jobj(err, "fields"), "join_code");
	assert_int_equal(itest_db_long("SELECT count(*) FROM users WHERE "
	                               "lower(email) = lower($1)",
	                               email, NULL),
	                 0);

	/* An empty join code is just as bad. */
	r = itest_post_json("/api/v1/auth/register", NULL,
	                    itest_register_body(email, itest_strong_password(),
	                                        "Kim de Wit", ""));
	err = itest_expect_error(r, 400, "validation_failed");
	(void)itest_jstr(itest_jobj(err, "fields"), "join_code");
}

static void
test_register_duplicate_email(void **state)
{
	struct itest_user *u = itest_new_teacher();
	struct itest_resp *r;
	char              *upper;

	(void)state;
	r = itest_post_json(
	    "/api/v1/auth/register", NULL,
	    itest_register_body(u->email, itest_strong_password(),
	                        "Iemand Anders", itest_join_code(0)));
	itest_expect_error(r, 409, "conflict");
	expect_no_session(r);

	/* The same address in other case is the same account. */
	upper = itest_fmt("%s", u->email);
	for (char *p = upper; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	r = itest_post_json("/api/v1/auth/register", NULL,
	                    itest_register_body(upper, itest_strong_password(),
	                                        "Iemand Anders",
	                                        itest_join_code(0)));
	itest_expect_error(r, 409, "conflict");
	assert_int_equal(itest_db_long("SELECT count(*) FROM users WHERE "
	                               "lower(email) = lower($1)",
	                               u->email, NULL),
	                 1);
	/* The original password still works: nothing was overwritten. */
	(void)itest_login_token(u->email, u->password);
}

static void
test_register_role_ignored(void **state)
{
	char              *email = itest_unique_email();
	json_t            *b, *j;
	struct itest_resp *r;
	const char        *token;
	long               id;

	(void)state;
	b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:i}", "email", email,
	              "password", itest_strong_password(), "name",
	              "Rol Negeerder", "join_code", itest_join_code(0), "role",
	              "admin", "email_verified", 1, "board_id", 1);
	assert_non_null(b);
	itest_keep_json(b);
	r = itest_post_json("/api/v1/auth/register", NULL, itest_dump(b));
	j = itest_expect_json(r, 201);
	assert_string_equal(itest_jstr(itest_jobj(j, "user"), "role"),
	                    "teacher");
	id = itest_jint(itest_jobj(j, "user"), "id");
	token = itest_jstr(j, "token");
	j = itest_expect_json(itest_get("/api/v1/me", token), 200);
	assert_string_equal(itest_jstr(j, "role"), "teacher");
	assert_string_equal(
	    itest_db_text("SELECT role FROM users WHERE id = $1",
	                  itest_fmt("%ld", id), NULL),
	    "teacher");
}

static void
test_register_missing_fields(void **state)
{
	static const char *const fields[] = {"email", "password", "name",
	                                     "join_code"};

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		json_t *b = json_pack(
		    "{s:s, s:s, s:s, s:s}", "email", itest_unique_email(),
		    "password", itest_strong_password(), "name", "Kim de Wit",
		    "join_code", itest_join_code(0));
		struct itest_resp *r;
		json_t            *err;

		assert_non_null(b);
		itest_keep_json(b);
		json_object_del(b, fields[i]);
		r = itest_post_json("/api/v1/auth/register", NULL,
		                    itest_dump(b));
		err = itest_expect_error(r, 400, "validation_failed");
		if (json_object_get(itest_jobj(err, "fields"), fields[i]) ==
		    NULL)
			fail_msg("missing %s: no fields.%s in %s", fields[i],
			         fields[i], r->body);

		/* The same field with the wrong type. */
		json_object_set_new(b, fields[i], json_integer(42));
		r = itest_post_json("/api/v1/auth/register", NULL,
		                    itest_dump(b));
		err = itest_expect_error(r, 400, "validation_failed");
		if (json_object_get(itest_jobj(err, "fields"), fields[i]) ==
		    NULL)
			fail_msg("numeric %s: no fields.%s in %s", fields[i],
			         fields[i], r->body);
	}
	/* Not an email address at all. */
	{
		struct itest_resp *r = itest_post_json(
		    "/api/v1/auth/register", NULL,
		    itest_register_body("geen-adres", itest_strong_password(),
		                        "Kim de Wit", itest_join_code(0)));
		json_t *err = itest_expect_error(r, 400, "validation_failed");

		(void)itest_jstr(itest_jobj(err, "fields"), "email");
	}
}

/*
 * An email the school's roster lists as an IB'er: the roster's name applies,
 * but the role stays teacher until the address is verified (api.md).  The
 * roster line is put in place over DATABASE_URL for a fresh address.
 */
static void
test_register_roster_email(void **state)
{
	char       *email = itest_unique_email();
	const char *code = itest_join_code(0);
	char       *roster_name;
	char       *school;
	json_t     *j, *user;

	(void)state;
	/* The roster's name is derived from the address in SQL below. */
	roster_name = itest_fmt("Roos Roster %.*s",
	                        (int)(strchr(email, '@') - email), email);
	school = itest_db_text(
	    "SELECT id::text FROM schools WHERE join_code = $1", code, NULL);
	assert_non_null(school);
	assert_int_equal(
	    itest_db_exec("INSERT INTO staff (school_id, email, name, role, "
	                  "source) VALUES ($1, lower($2), 'Roos Roster ' || "
	                  "split_part($2, '@', 1), 'ib', 'roster')",
	                  school, email),
	    1);
	j = itest_expect_json(
	    itest_post_json("/api/v1/auth/register", NULL,
	                    itest_register_body(email, itest_strong_password(),
	                                        "Zelfgekozen Naam", code)),
	    201);
	user = itest_jobj(j, "user");
	assert_string_equal(itest_jstr(user, "name"), roster_name);
	if (strcmp(itest_jstr(user, "role"), "teacher") != 0)
		fail_msg("an unverified roster address got role %s at once",
		         itest_jstr(user, "role"));
	j = itest_expect_json(itest_get("/api/v1/me", itest_jstr(j, "token")),
	                      200);
	assert_string_equal(itest_jstr(j, "role"), "teacher");
	assert_string_equal(itest_jstr(j, "name"), roster_name);
}

/* Login. */

static void
test_login_ok(void **state)
{
	struct itest_user *u = itest_new_teacher();
	struct itest_resp *r;

	(void)state;
	r = itest_login(u->email, u->password);
	expect_auth_body(r, 200, u->email, u->name);
	assert_int_equal(itest_jint(itest_jobj(r->json, "user"), "id"), u->id);
	assert_string_equal(itest_jstr(itest_jobj(r->json, "user"), "role"),
	                    "teacher");
	expect_accepted(itest_jstr(r->json, "token"), u->id);

	/* Content-Type with a charset parameter is still JSON. */
	{
		struct itest_req rq = {
		    .method = "POST",
		    .path = "/api/v1/auth/login",
		    .content_type = "application/json; charset=utf-8",
		    .body = itest_fmt("{\"email\":\"%s\",\"password\":\"%s\"}",
		                      u->email, u->password)};

		itest_expect_json(itest_do(&rq), 200);
	}
}

static void
test_login_demo_accounts(void **state)
{
	static const char *const roles[] = {"teacher",       "ib",
	                                    "trainer",       "board_admin",
	                                    "region_viewer", "admin"};

	(void)state;
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		char              *email, *pw;
		struct itest_resp *r;

		if (!itest_demo_account(roles[i], &email, &pw))
			fail_msg("DEMO_ACCOUNTS has no %s", roles[i]);
		r = itest_login(email, pw);
		expect_auth_body(r, 200, email, NULL);
		assert_string_equal(
		    itest_jstr(itest_jobj(r->json, "user"), "role"), roles[i]);
	}
}

static void
test_login_wrong_password(void **state)
{
	struct itest_user *u = itest_new_teacher();
	struct itest_resp *r;

	(void)state;
	r = itest_login(u->email, "Niet-het-goede-wachtwoord");
	itest_expect_error(r, 401, "invalid_credentials");
	expect_no_session(r);
	/* A prefix of the right password is wrong too. */
	r = itest_login(u->email, itest_fmt("%.*s", 12, u->password));
	itest_expect_error(r, 401, "invalid_credentials");
}

static void
test_login_unknown_email(void **state)
{
	struct itest_resp *r;

	(void)state;
	r = itest_login(itest_unique_email(), itest_strong_password());
	itest_expect_error(r, 401, "invalid_credentials");
	expect_no_session(r);
}

static void
test_login_bad_body(void **state)
{
	const char *bodies[] = {
	    "{}",
	    itest_fmt("{\"email\":\"%s\"}", itest_unique_email()),
	    "{\"password\":\"Zonnebloem-123456\"}",
	    "{\"email\":5,\"password\":true}",
	    "{\"email\":null,\"password\":null}",
	    "{\"email\":[\"a@example.nl\"],\"password\":{}}",
	    "[]",
	    "\"email\"",
	    "42",
	    "null",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct itest_resp *r =
		    itest_post_json("/api/v1/auth/login", NULL, bodies[i]);

		itest_expect_4xx(r);
		if (r->status != 400 && r->status != 401)
			fail_msg("%s: expected 400 or 401, got %ld", bodies[i],
			         r->status);
		expect_no_session(r);
	}
}

/*
 * Five failures of one address from one client start a delay for that
 * address from that client: the next try, even with the right password,
 * gets 429 with Retry-After (test_account_privacy.c has the growth and
 * the other clients).
 */
static void
test_login_rate_limit(void **state)
{
	struct itest_user *u = itest_new_teacher();
	struct itest_user *other = itest_new_teacher();
	struct itest_resp *r;
	char              *after;

	(void)state;
	login_fail_n(u->email, 5);
	r = itest_login(u->email, "Verkeerd-wachtwoord-1");
	itest_expect_error(r, 429, "too_many_requests");
	after = itest_header(r, "Retry-After");
	assert_non_null(after);
	assert_string_equal(after, "1");
	/* Checked before the password: the right one does not help either. */
	r = itest_login(u->email, u->password);
	itest_expect_error(r, 429, "too_many_requests");
	expect_no_session(r);
	/* Per address: another account is unaffected. */
	(void)itest_login_token(other->email, other->password);
	/* Existing tokens keep working: the limit is on logins only. */
	expect_accepted(u->token, u->id);
}

static void
test_login_rate_limit_unknown_email(void **state)
{
	char *email = itest_unique_email();

	(void)state;
	/* Otherwise the 429 would tell which addresses have an account. */
	login_fail_n(email, 5);
	itest_expect_error(itest_login(email, "Verkeerd-wachtwoord-1"), 429,
	                   "too_many_requests");
}

/* /me. */

static void
test_me(void **state)
{
	struct itest_user *u = itest_new_teacher();
	struct itest_req   rq = {.path = "/api/v1/me"};
	json_t            *j, *school, *sid;

	(void)state;
	rq.bearer = u->token;
	j = itest_expect_json(itest_do(&rq), 200);
	assert_int_equal(itest_jint(j, "id"), u->id);
	assert_true(strcasecmp(itest_jstr(j, "email"), u->email) == 0);
	assert_string_equal(itest_jstr(j, "name"), u->name);
	assert_string_equal(itest_jstr(j, "role"), "teacher");
	school = itest_jobj(j, "school");
	sid = json_object_get(school, "id");
	if (sid != NULL && u->school_id > 0)
		assert_int_equal(json_integer_value(sid), u->school_id);
	if (!json_is_null(json_object_get(j, "board")))
		(void)itest_jobj(j, "board");
	assert_null(json_object_get(j, "password_hash"));
	assert_false(itest_json_has_key(j, "password_hash"));
	assert_false(itest_json_has_key(j, "join_code"));

	/* The same through the cookie. */
	rq.bearer = NULL;
	rq.cookie = u->token;
	j = itest_expect_json(itest_do(&rq), 200);
	assert_int_equal(itest_jint(j, "id"), u->id);
}

static void
test_me_unauthenticated(void **state)
{
	static const char *const auth[] = {
	    "Authorization: Bearer",
	    "Authorization: Bearer ",
	    "Authorization: Bearer abc",
	    "Authorization: Bearer a.b.c",
	    "Authorization: Bearer ...",
	    "Authorization: Basic YWRtaW46YWRtaW4=",
	    "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9..",
	    "Cookie: session=",
	    "Cookie: session=abc",
	    "Cookie: other=1",
	};
	size_t bad = 0;

	(void)state;
	itest_expect_error(itest_get("/api/v1/me", NULL), 401,
	                   "unauthenticated");
	for (size_t i = 0; i < sizeof(auth) / sizeof(auth[0]); i++) {
		struct itest_req rq = {.path = "/api/v1/me",
		                       .headers = {auth[i]}};

		bad += !itest_soft_error(itest_do(&rq), 401, "unauthenticated");
	}
	if (bad > 0)
		fail_msg("%zu bad credentials were not 401", bad);
}

/* Logout. */

static void
test_logout_bearer(void **state)
{
	struct itest_user *u = itest_new_teacher();
	char              *token = itest_login_token(u->email, u->password);
	struct itest_resp *r;
	const char        *c;

	(void)state;
	expect_accepted(token, u->id);
	r = itest_post_json("/api/v1/auth/logout", token, NULL);
	itest_expect_status(r, 204);
	assert_int_equal(r->len, 0);
	c = session_cookie(r);
	if (c == NULL ||
	    !(c[8] == ';' || c[8] == '\0' || cookie_attr(c, "Max-Age=0")))
		fail_msg("logout does not clear the session cookie: %s",
		         r->set_cookie ? r->set_cookie : "(none)");
	expect_rejected(token, "revoked by logout with bearer");
	/* Logging out again with the revoked token is unauthenticated. */
	itest_expect_error(itest_post_json("/api/v1/auth/logout", token, NULL),
	                   401, "unauthenticated");
	/* A revoked token cannot be replayed on other endpoints either. */
	itest_expect_error(itest_get("/api/v1/modules", token), 401,
	                   "unauthenticated");
}

static void
test_logout_cookie(void **state)
{
	struct itest_user *u = itest_new_teacher();
	struct itest_req   rq = {.method = "POST",
	                         .path = "/api/v1/auth/logout",
	                         .cookie = u->token};
	struct itest_resp *r;

	(void)state;
	expect_accepted(u->token, u->id);
	r = itest_do(&rq);
	itest_expect_status(r, 204);
	assert_non_null(session_cookie(r));
	expect_rejected(u->token, "revoked by logout with cookie");
}

static void
test_logout_unauthenticated(void **state)
{
	(void)state;
	itest_expect_error(itest_post_json("/api/v1/auth/logout", NULL, NULL),
	                   401, "unauthenticated");
}

/* Session expiry and refresh (WCAG 2.2.1: warned and extended in time). */

/* Seconds since the epoch of an RFC 3339 UTC time "YYYY-MM-DDTHH:MM:SSZ". */
static long long
rfc3339_seconds(const char *text)
{
	struct tm tm = {0};
	char     *end;

	assert_non_null(text);
	end = strptime(text, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0')
		fail_msg("not an RFC 3339 UTC time: %s", text);
	return (long long)timegm(&tm);
}

/* POST /auth/refresh with the token as the session cookie and `origin`
 * (a header line, or NULL for none). */
static struct itest_resp *
refresh_with_cookie(const char *token, const char *origin)
{
	struct itest_req rq = {.method = "POST",
	                       .path = "/api/v1/auth/refresh",
	                       .cookie = token,
	                       .headers = {origin}};

	return itest_do(&rq);
}

/* /me tells when the session of the token in use ends: its exp. */
static void
test_me_session_expiry(void **state)
{
	struct itest_user *u = itest_new_teacher();
	json_t            *c = itest_claims(u->id, 600);
	const char        *token = itest_jwt_lib(JWT_ALG_HS256, c);
	json_t            *j;

	(void)state;
	j = itest_expect_json(itest_get("/api/v1/me", token), 200);
	assert_int_equal(rfc3339_seconds(itest_jstr(j, "session_expires_at")),
	                 json_integer_value(json_object_get(c, "exp")));
	/* A login's token: the expiry the login answered. */
	{
		struct itest_resp *r = itest_login(u->email, u->password);
		json_t            *login = itest_expect_json(r, 200);

		j = itest_expect_json(
		    itest_get("/api/v1/me", itest_jstr(login, "token")), 200);
		assert_string_equal(itest_jstr(j, "session_expires_at"),
		                    itest_jstr(login, "expires_at"));
	}
}

/* A session with ten minutes left gets a new token with the full ttl, in
 * the cookie and the body, that works. */
static void
test_refresh_ok(void **state)
{
	struct itest_user *u = itest_new_teacher();
	json_t            *c = itest_claims(u->id, 600);
	const char        *old = itest_jwt_lib(JWT_ALG_HS256, c);
	const char        *own = itest_fmt("Origin: %s", itest_env("BASE_URL"));
	long long old_exp = json_integer_value(json_object_get(c, "exp"));
	struct itest_resp *r;
	const char        *token;
	json_t            *j, *me;

	(void)state;
	r = refresh_with_cookie(old, own);
	j = itest_expect_json(r, 200);
	/* A page's refresh: the new token only in the HttpOnly cookie, out of
	 * reach of the page's scripts (a bearer client gets it in the body). */
	if (json_object_get(j, "token") != NULL)
		fail_msg("a cookie refresh put the token in the body");
	token = cookie_token(r);
	assert_string_not_equal(token, old);
	expect_session_cookie(r, token);
	assert_int_equal(itest_jint(itest_jobj(j, "user"), "id"), u->id);
	assert_string_equal(itest_jstr(itest_jobj(j, "user"), "role"),
	                    "teacher");
	/* The full ttl from now, not the old token's end. */
	if (rfc3339_seconds(itest_jstr(j, "expires_at")) <= old_exp + 60)
		fail_msg("refresh did not extend the session: %s, old end %lld",
		         itest_jstr(j, "expires_at"), old_exp);
	assert_string_not_equal(itest_jstr(itest_jwt_part(token, 1), "jti"),
	                        itest_jstr(c, "jti"));
	me = itest_expect_json(itest_get("/api/v1/me", token), 200);
	assert_int_equal(itest_jint(me, "id"), u->id);
	assert_string_equal(itest_jstr(me, "session_expires_at"),
	                    itest_jstr(j, "expires_at"));
}

/* The old token is revoked: a copy of the old cookie ends with the
 * refresh, also for a second refresh. */
static void
test_refresh_revokes_old(void **state)
{
	struct itest_user *u = itest_new_teacher();
	char              *old = itest_login_token(u->email, u->password);
	struct itest_resp *r;

	(void)state;
	expect_accepted(old, u->id);
	r = refresh_with_cookie(old, NULL);
	itest_expect_json(r, 200);
	expect_rejected(old, "revoked by refresh");
	itest_expect_error(refresh_with_cookie(old, NULL), 401,
	                   "unauthenticated");
	expect_accepted(cookie_token(r), u->id);
}

/* A refresh carries the session's password login (auth_time) on, and one
 * that would make the session outlive 24 hours after it is refused: the
 * page then asks for the password.  A token without auth_time counts from
 * its iat (tokens issued before the claim existed). */
static void
test_refresh_session_max_age(void **state)
{
	struct itest_user *u = itest_new_teacher();
	json_t            *c = itest_claims(u->id, 600);
	long long          began = (long long)time(NULL) - 3600;
	const char        *tok, *fresh;
	json_t            *j;

	(void)state;
	/* Logged in an hour ago: refreshed, and the new token keeps that hour.
	 */
	json_object_set_new(c, "auth_time", json_integer(began));
	tok = itest_jwt_lib(JWT_ALG_HS256, c);
	j = itest_expect_json(
	    itest_post_json("/api/v1/auth/refresh", tok, NULL), 200);
	fresh = itest_jstr(j, "token");
	assert_int_equal(itest_jint(itest_jwt_part(fresh, 1), "auth_time"),
	                 began);
	/* Logged in 13 hours ago: a 12-hour token would end after 24 hours. */
	c = itest_claims(u->id, 600);
	json_object_set_new(c, "auth_time", json_integer(began - 12 * 3600));
	tok = itest_jwt_lib(JWT_ALG_HS256, c);
	itest_expect_error(itest_post_json("/api/v1/auth/refresh", tok, NULL),
	                   401, "login_required");
	expect_accepted(tok, u->id); /* refused, not revoked */
	/* Without auth_time the session began at iat (now): refreshed. */
	tok = itest_jwt_lib(JWT_ALG_HS256, itest_claims(u->id, 600));
	j = itest_expect_json(
	    itest_post_json("/api/v1/auth/refresh", tok, NULL), 200);
	assert_true(llabs(itest_jint(itest_jwt_part(itest_jstr(j, "token"), 1),
	                             "auth_time") -
	                  (long long)time(NULL)) <= 2);
}

/* Refreshes of one token at the same moment: exactly one gets a new
 * session, the others 401, so a copy of a cookie cannot fork a session.
 * Ten rounds of eight processes each (more than the workers, so that some
 * pass the token check together). */
static void
test_refresh_race(void **state)
{
	struct itest_user *u = itest_new_teacher();

	(void)state;
	for (int round = 0; round < 10; round++) {
		const char *tok = itest_login_token(u->email, u->password);
		pid_t       pids[8];
		int         ok = 0, refused = 0;

		fflush(NULL);
		for (int i = 0; i < 8; i++) {
			pids[i] = fork();
			assert_true(pids[i] >= 0);
			if (pids[i] == 0) {
				struct itest_resp *r = itest_post_json(
				    "/api/v1/auth/refresh", tok, NULL);

				_exit(r->status == 200   ? 0
				      : r->status == 401 ? 1
				                         : 2);
			}
		}
		for (int i = 0; i < 8; i++) {
			int status;

			assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
			assert_true(WIFEXITED(status));
			ok += WEXITSTATUS(status) == 0;
			refused += WEXITSTATUS(status) == 1;
		}
		if (ok != 1 || refused != 7)
			fail_msg("round %d: %d refreshes succeeded, %d refused",
			         round, ok, refused);
		expect_rejected(tok, "refreshed");
	}
}

/* With a bearer token (no cookie, so no Origin check): the same. */
static void
test_refresh_bearer(void **state)
{
	struct itest_user *u = itest_new_teacher();
	char              *old = itest_login_token(u->email, u->password);
	json_t            *j;

	(void)state;
	j = itest_expect_json(
	    itest_post_json("/api/v1/auth/refresh", old, NULL), 200);
	expect_rejected(old, "revoked by refresh with bearer");
	expect_accepted(itest_jstr(j, "token"), u->id);
}

static void
test_refresh_unauthenticated(void **state)
{
	struct itest_user *u = itest_new_teacher();
	const char        *expired =
	    itest_jwt_lib(JWT_ALG_HS256, itest_claims(u->id, -10));
	struct itest_resp *r;

	(void)state;
	r = itest_post_json("/api/v1/auth/refresh", NULL, NULL);
	itest_expect_error(r, 401, "unauthenticated");
	expect_no_session(r);
	/* An expired session cannot be brought back. */
	r = refresh_with_cookie(expired, NULL);
	itest_expect_error(r, 401, "unauthenticated");
	expect_no_session(r);
	/* Nor one that was logged out. */
	itest_expect_status(
	    itest_post_json("/api/v1/auth/logout", u->token, NULL), 204);
	r = refresh_with_cookie(u->token, NULL);
	itest_expect_error(r, 401, "unauthenticated");
	expect_no_session(r);
}

/* Another site cannot refresh (and so end) a session through the cookie;
 * the session stays as it was. */
static void
test_refresh_foreign_origin(void **state)
{
	struct itest_user *u = itest_new_teacher();
	struct itest_resp *r;

	(void)state;
	r = refresh_with_cookie(u->token,
	                        "Origin: https://kwaadwillend.example");
	itest_expect_error(r, 403, "forbidden");
	expect_no_session(r);
	expect_accepted(u->token, u->id);
}

/* JWT pitfalls (security-notes.md §1). */

static void
test_jwt_forged_control(void **state)
{
	struct itest_user *u = itest_new_teacher();
	json_t            *c = itest_claims(u->id, 3600);

	(void)state;
	/* Without this baseline every 401 below would prove nothing. */
	expect_accepted(itest_jwt_lib(JWT_ALG_HS256, c), u->id);
	expect_accepted(itest_jwt_raw("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
	                              itest_dump(c), "HS256"),
	                u->id);
	/* Also through the cookie. */
	{
		struct itest_req rq = {.path = "/api/v1/me",
		                       .cookie =
		                           itest_jwt_lib(JWT_ALG_HS256, c)};

		assert_int_equal(
		    itest_jint(itest_expect_json(itest_do(&rq), 200), "id"),
		    u->id);
	}
}

static void
test_jwt_alg_none(void **state)
{
	struct itest_user *u = itest_new_teacher();
	char              *pl = itest_dump(itest_claims(u->id, 3600));

	(void)state;
	expect_rejected(
	    itest_jwt_raw("{\"alg\":\"none\",\"typ\":\"JWT\"}", pl, "none"),
	    "alg none");
	expect_rejected(
	    itest_jwt_raw("{\"alg\":\"NONE\",\"typ\":\"JWT\"}", pl, "none"),
	    "alg NONE");
	expect_rejected(itest_jwt_raw("{\"alg\":\"None\"}", pl, "none"),
	                "alg None");
	expect_rejected(
	    itest_jwt_raw("{\"alg\":\"none\",\"typ\":\"JWT\"}", pl, "HS256"),
	    "alg none with an HS256 signature");
	expect_rejected(itest_jwt_lib(JWT_ALG_NONE, itest_claims(u->id, 3600)),
	                "alg none from libjwt");
}

static void
test_jwt_hs512(void **state)
{
	struct itest_user *u = itest_new_teacher();
	json_t            *c = itest_claims(u->id, 3600);

	(void)state;
	expect_rejected(itest_jwt_raw("{\"alg\":\"HS512\",\"typ\":\"JWT\"}",
	                              itest_dump(c), "HS512"),
	                "HS512 with the right secret");
	expect_rejected(itest_jwt_lib(JWT_ALG_HS512, c),
	                "HS512 from libjwt with the right secret");
}

static void
test_jwt_hs384(void **state)
{
	struct itest_user *u = itest_new_teacher();

	(void)state;
	expect_rejected(itest_jwt_lib(JWT_ALG_HS384, itest_claims(u->id, 3600)),
	                "HS384 with the right secret");
}

static void
test_jwt_alg_lowercase(void **state)
{
	struct itest_user *u = itest_new_teacher();
	char              *pl = itest_dump(itest_claims(u->id, 3600));

	(void)state;
	expect_rejected(
	    itest_jwt_raw("{\"alg\":\"hs256\",\"typ\":\"JWT\"}", pl, "HS256"),
	    "alg hs256");
	expect_rejected(
	    itest_jwt_raw("{\"alg\":\"Hs256\",\"typ\":\"JWT\"}", pl, "HS256"),
	    "alg Hs256");
}

static void
test_jwt_alg_missing(void **state)
{
	struct itest_user *u = itest_new_teacher();
	char              *pl = itest_dump(itest_claims(u->id, 3600));

	(void)state;
	expect_rejected(itest_jwt_raw("{\"typ\":\"JWT\"}", pl, "HS256"),
	                "no alg");
	expect_rejected(
	    itest_jwt_raw("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", pl, "HS256"),
	    "alg RS256 with an HMAC signature");
	expect_rejected(
	    itest_jwt_raw("{\"alg\":[\"HS256\"],\"typ\":\"JWT\"}", pl, "HS256"),
	    "alg as an array");
}

static void
test_jwt_expired(void **state)
{
	struct itest_user *u = itest_new_teacher();

	(void)state;
	expect_rejected(itest_jwt_lib(JWT_ALG_HS256, itest_claims(u->id, -60)),
	                "exp a minute ago");
	expect_rejected(itest_jwt_lib(JWT_ALG_HS256, itest_claims(u->id, 0)),
	                "exp now");
	expect_rejected(
	    itest_jwt_lib(JWT_ALG_HS256, itest_claims(u->id, -400L * 86400)),
	    "exp a year ago");
	/* Tokens live at most 12 hours: one claiming more is not ours. */
	expect_rejected(
	    itest_jwt_lib(JWT_ALG_HS256, itest_claims(u->id, 3650L * 86400)),
	    "exp in ten years");
	expect_rejected(
	    itest_jwt_lib(JWT_ALG_HS256,
	                  itest_claims(u->id, 4611686018427387904L)),
	    "exp near 2^62");
}

static void
test_jwt_exp_missing(void **state)
{
	struct itest_user *u = itest_new_teacher();
	json_t            *c = itest_claims(u->id, 3600);

	(void)state;
	json_object_del(c, "exp");
	expect_rejected(itest_jwt_lib(JWT_ALG_HS256, c), "no exp");
}

static void
test_jwt_exp_not_integer(void **state)
{
	static const char *const names[] = {"exp as string", "exp as float",
	                                    "exp as true", "exp as null",
	                                    "exp as object"};
	struct itest_user       *u = itest_new_teacher();
	json_int_t               later = (json_int_t)time(NULL) + 3600;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		json_t *c = itest_claims(u->id, 3600);
		json_t *exp = NULL;

		switch (i) {
		case 0:
			exp = json_string(itest_fmt("%lld", (long long)later));
			break;
		case 1:
			exp = json_real((double)later + 0.5);
			break;
		case 2:
			exp = json_true();
			break;
		case 3:
			exp = json_null();
			break;
		default:
			exp = json_pack("{s:I}", "v", later);
			break;
		}
		json_object_set_new(c, "exp", exp);
		expect_rejected(itest_jwt_lib(JWT_ALG_HS256, c), names[i]);
		expect_rejected(itest_jwt_raw("{\"alg\":\"HS256\",\"typ\":"
		                              "\"JWT\"}",
		                              itest_dump(c), "HS256"),
		                names[i]);
	}
}

static void
test_jwt_tampered_payload(void **state)
{
	struct itest_user *u = itest_new_teacher();
	struct itest_user *v = itest_new_teacher();
	const char        *tok = u->token;
	const char        *d1 = strchr(tok, '.'), *d2;
	json_t            *pl;
	char              *forged, *enc;

	(void)state;
	assert_non_null(d1);
	d2 = strchr(d1 + 1, '.');
	assert_non_null(d2);

	/* Someone else's id, the original signature. */
	pl = json_deep_copy(itest_jwt_part(tok, 1));
	itest_keep_json(pl);
	json_object_set_new(pl, "sub", json_string(itest_fmt("%ld", v->id)));
	enc = itest_dump(pl);
	forged = itest_fmt("%.*s.%s%s", (int)(d1 - tok), tok,
	                   itest_b64url(enc, strlen(enc)), d2);
	expect_rejected(forged, "payload with another sub, old signature");

	/* A longer life, the original signature. */
	json_object_set_new(pl, "sub", json_string(itest_fmt("%ld", u->id)));
	json_object_set_new(pl, "exp",
	                    json_integer((json_int_t)time(NULL) + 86400 * 30));
	enc = itest_dump(pl);
	forged = itest_fmt("%.*s.%s%s", (int)(d1 - tok), tok,
	                   itest_b64url(enc, strlen(enc)), d2);
	expect_rejected(forged, "payload with a later exp, old signature");

	/* The real token still works. */
	expect_accepted(tok, u->id);
}

static void
test_jwt_wrong_signature(void **state)
{
	struct itest_user *u = itest_new_teacher();
	char              *tok = itest_fmt("%s", u->token);
	char              *flip = itest_fmt("%s", u->token);
	char              *last = strrchr(flip, '.');
	size_t             len = strlen(flip);

	(void)state;
	expect_rejected(itest_jwt_raw("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
	                              itest_dump(itest_claims(u->id, 3600)),
	                              "HS256-otherkey"),
	                "HS256 with another key");
	/* One character of the signature changed. */
	flip[len - 2] = flip[len - 2] == 'A' ? 'B' : 'A';
	expect_rejected(flip, "one signature character changed");
	/* Signature cut off. */
	assert_non_null(last);
	last[1] = '\0';
	expect_rejected(flip, "signature removed");
	/* Padding appended. */
	expect_rejected(itest_fmt("%s=", tok), "'=' appended");
	/* Extra segment. */
	expect_rejected(itest_fmt("%s.%s", tok, "AAAA"), "four segments");
	expect_accepted(tok, u->id);
}

static void
test_jwt_oversize(void **state)
{
	struct itest_user *u = itest_new_teacher();
	json_t            *c = itest_claims(u->id, 3600);
	char              *pad;
	char              *tok;

	(void)state;
	/* Under the limit, a padded token is fine... */
	pad = itest_fmt("%0*d", 2000, 0);
	json_object_set_new(c, "pad", json_string(pad));
	tok = itest_jwt_lib(JWT_ALG_HS256, c);
	assert_true(strlen(tok) < 4096);
	expect_accepted(tok, u->id);
	/* ...over 4 KiB it is refused, though correctly signed. */
	pad = itest_fmt("%0*d", 3500, 0);
	json_object_set_new(c, "pad", json_string(pad));
	tok = itest_jwt_lib(JWT_ALG_HS256, c);
	assert_true(strlen(tok) > 4096 && strlen(tok) < 7000);
	expect_rejected(tok, "over 4 KiB");
}

static void
test_jwt_unknown_subject(void **state)
{
	static const char *const subs[] = {"999999999999", "0",  "-1", "abc",
	                                   "1e3",          " 1", ""};
	struct itest_user       *u = itest_new_teacher();

	(void)state;
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		json_t *c = itest_claims(u->id, 3600);

		json_object_set_new(c, "sub", json_string(subs[i]));
		expect_rejected(itest_jwt_lib(JWT_ALG_HS256, c),
		                itest_fmt("sub \"%s\"", subs[i]));
	}
	/* No sub at all. */
	{
		json_t *c = itest_claims(u->id, 3600);

		json_object_del(c, "sub");
		expect_rejected(itest_jwt_lib(JWT_ALG_HS256, c), "no sub");
	}
}

static void
test_jwt_role_claim_ignored(void **state)
{
	struct itest_user *u = itest_new_teacher();
	json_t            *c = itest_claims(u->id, 3600);
	char              *tok;
	json_t            *j;
	struct itest_resp *r;

	(void)state;
	json_object_set_new(c, "role", json_string("admin"));
	json_object_set_new(c, "board_id", json_integer(1));
	json_object_set_new(c, "region_id", json_integer(1));
	tok = itest_jwt_lib(JWT_ALG_HS256, c);
	j = itest_expect_json(itest_get("/api/v1/me", tok), 200);
	assert_string_equal(itest_jstr(j, "role"), "teacher");
	/* An admin-only action gains nothing from the claim. */
	r = itest_post_json(
	    "/api/v1/regions", tok,
	    itest_fmt("{\"name\":\"Regio %s\"}", itest_random_hex(4)));
	if (r->status >= 200 && r->status < 300)
		fail_msg("a teacher with a forged role claim created a region "
		         "(HTTP %ld)",
		         r->status);
	itest_expect_4xx(r);
}

int
itest_run_auth(void)
{
	const struct CMUnitTest tests[] = {
	    ITEST(test_register_ok),
	    ITEST(test_register_short_password),
	    ITEST(test_register_bad_join_code),
	    ITEST(test_register_duplicate_email),
	    ITEST(test_register_role_ignored),
	    ITEST(test_register_missing_fields),
	    ITEST(test_register_roster_email),
	    ITEST(test_login_ok),
	    ITEST(test_login_demo_accounts),
	    ITEST(test_login_wrong_password),
	    ITEST(test_login_unknown_email),
	    ITEST(test_login_bad_body),
	    ITEST(test_login_rate_limit),
	    ITEST(test_login_rate_limit_unknown_email),
	    ITEST(test_me),
	    ITEST(test_me_unauthenticated),
	    ITEST(test_logout_bearer),
	    ITEST(test_logout_cookie),
	    ITEST(test_logout_unauthenticated),
	    ITEST(test_me_session_expiry),
	    ITEST(test_refresh_ok),
	    ITEST(test_refresh_revokes_old),
	    ITEST(test_refresh_bearer),
	    ITEST(test_refresh_unauthenticated),
	    ITEST(test_refresh_foreign_origin),
	    ITEST(test_refresh_session_max_age),
	    ITEST(test_refresh_race),
	    ITEST(test_jwt_forged_control),
	    ITEST(test_jwt_alg_none),
	    ITEST(test_jwt_hs512),
	    ITEST(test_jwt_hs384),
	    ITEST(test_jwt_alg_lowercase),
	    ITEST(test_jwt_alg_missing),
	    ITEST(test_jwt_expired),
	    ITEST(test_jwt_exp_missing),
	    ITEST(test_jwt_exp_not_integer),
	    ITEST(test_jwt_tampered_payload),
	    ITEST(test_jwt_wrong_signature),
	    ITEST(test_jwt_oversize),
	    ITEST(test_jwt_unknown_subject),
	    ITEST(test_jwt_role_claim_ignored),
	};

	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
