/* Account flows of issue 11: one canonical ASCII email, login delays per
 * address and client instead of a lock-out, reset links that end, and a
 * complete erase. */
#include <string.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "itest.h"
#include "itest_org.h"

#define LOGIN "/api/v1/auth/login"
#define REGISTER "/api/v1/auth/register"
#define RESET_REQUEST "/api/v1/auth/reset-request"
#define RESET "/api/v1/auth/reset"
#define RESET_SUBJECT "Nieuw wachtwoord instellen"
#define WRONG "Verkeerd-wachtwoord-1"

/* U+0130 (capital I with dot) and U+212A (Kelvin sign): PostgreSQL's
 * lower() under a UTF-8 locale folds them to 'i' and 'k'. */
#define DOTTED_I "\xc4\xb0"
#define KELVIN "\xe2\x84\xaa"

static void test_lookalike_addresses_refused(void **state);
static void test_canonical_column_constraints(void **state);
static void test_reset_mail_to_stored_address(void **state);
static void test_login_delay_per_client(void **state);
static void test_login_delay_per_client_cap(void **state);
static void test_reset_clears_login_failures(void **state);
static void test_login_failures_pruned(void **state);
static void test_reset_links_end_on_password_change(void **state);
static void test_reset_links_end_on_reset(void **state);
static void test_erase_complete(void **state);

/* Helpers. */

/* A random loopback address other than 127.0.0.1: to nginx, a client of
 * its own (Linux routes all of 127/8 to lo). */
static char *
other_client(void)
{
	return itest_fmt("127.%u.%u.%u", 1 + randombytes_uniform(250),
	                 randombytes_uniform(256),
	                 1 + randombytes_uniform(250));
}

static struct itest_resp *
post_from(const char *client, const char *path, const char *json_text)
{
	struct itest_req rq = {.method = "POST",
	                       .path = path,
	                       .content_type = "application/json",
	                       .body = json_text,
	                       .source = client ? itest_fmt("host!%s", client)
	                                        : NULL};

	return itest_do(&rq);
}

static struct itest_resp *
login_from(const char *client, const char *email, const char *password)
{
	json_t *b = itest_keep_json(
	    json_pack("{s:s, s:s}", "email", email, "password", password));

	return post_from(client, LOGIN, itest_dump(b));
}

static struct itest_resp *
reset_request(const char *email)
{
	json_t *b = itest_keep_json(json_pack("{s:s}", "email", email));

	return itest_post_json(RESET_REQUEST, NULL, itest_dump(b));
}

static struct itest_resp *
reset_with(const char *token, const char *password)
{
	json_t *b = itest_keep_json(
	    json_pack("{s:s, s:s}", "token", token, "password", password));

	return itest_post_json(RESET, NULL, itest_dump(b));
}

/* Registers a teacher at the first demo school with exactly this email. */
static struct itest_user *
register_as(const char *email)
{
	struct itest_user *u = itest_keep(calloc(1, sizeof(*u)), free);
	json_t            *j, *user;

	snprintf(u->email, sizeof(u->email), "%s", email);
	snprintf(u->password, sizeof(u->password), "%s",
	         itest_strong_password());
	snprintf(u->name, sizeof(u->name), "Kim Jansen %s",
	         itest_random_hex(3));
	j = itest_expect_json(
	    itest_post_json(REGISTER, NULL,
	                    itest_register_body(u->email, u->password, u->name,
	                                        itest_join_code(0))),
	    201);
	user = itest_jobj(j, "user");
	u->id = itest_jint(user, "id");
	snprintf(u->token, sizeof(u->token), "%s", itest_jstr(j, "token"));
	return u;
}

/* The token of the newest reset mail queued for the account. */
static char *
last_reset_token(long user_id)
{
	char       *id = itest_fmt("%ld", user_id);
	const char *body = itest_db_text(
	    "SELECT body FROM mail_outbox WHERE subject = $2"
	    " AND user_ids @> ARRAY[$1::bigint] ORDER BY id DESC LIMIT 1",
	    id, RESET_SUBJECT);
	const char *at;

	assert_non_null(body);
	at = strstr(body, "#reset=");
	assert_non_null(at);
	return itest_fmt("%.64s", at + strlen("#reset="));
}

static long
retry_after(const struct itest_resp *r)
{
	char *v = itest_header(r, "Retry-After");

	assert_non_null(v);
	return strtol(v, NULL, 10);
}

/* Moves a client's failed logins `seconds` into the past: the delay it
 * started has then passed, without the test sleeping. */
static void
age_failures(const char *client, int seconds)
{
	assert_true(itest_db_exec("UPDATE login_failures SET at = at -"
	                          " make_interval(secs => $2::int)"
	                          " WHERE client = $1",
	                          client, itest_fmt("%d", seconds)) > 0);
}

static long
failures_of(const char *canonical)
{
	return itest_db_long(
	    "SELECT count(*) FROM login_failures WHERE email = $1", canonical,
	    NULL);
}

/* The SQLSTATE of a statement run as the service's role ("" on success). */
static char *
sqlstate_of(const char *sql, const char *p1)
{
	PGconn     *conn = PQconnectdb(itest_env("DATABASE_URL"));
	const char *params[1] = {p1};
	PGresult   *res;
	char       *state;

	assert_int_equal(PQstatus(conn), CONNECTION_OK);
	res = PQexecParams(conn, sql, p1 ? 1 : 0, NULL, params, NULL, NULL, 0);
	state = itest_fmt("%s", PQresultErrorField(res, PG_DIAG_SQLSTATE)
	                            ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
	                            : "");
	PQclear(res);
	PQfinish(conn);
	return state;
}

/* Point 3: look-alike addresses. */

/*
 * kİm@... and a Kelvin-sign kim@... are not kim@...: addresses are ASCII
 * only, so a reset request for one is refused (400) and no token or mail is
 * made for the real account; register and login refuse them too.  Before,
 * the reset found the real account through lower() and mailed its link to
 * the look-alike.
 */
static void
test_lookalike_addresses_refused(void **state)
{
	char              *tag = itest_random_hex(4);
	struct itest_user *kim =
	    register_as(itest_fmt("kim.%s@gmail-test.nl", tag));
	const char *const lookalikes[] = {
	    itest_fmt("k" DOTTED_I "m.%s@gmail-test.nl", tag),
	    itest_fmt(KELVIN "im.%s@gmail-test.nl", tag),
	    itest_fmt("kim.%s@gma" DOTTED_I "l-test.nl", tag),
	    itest_fmt("kim.%s@\xef\xbd\x87mail-test.nl", tag), /* fullwidth g */
	};
	char *id = itest_fmt("%ld", kim->id);

	(void)state;
	for (size_t i = 0; i < sizeof(lookalikes) / sizeof(lookalikes[0]);
	     i++) {
		const char *a = lookalikes[i];
		json_t     *err;

		err = itest_expect_error(reset_request(a), 400,
		                         "validation_failed");
		assert_non_null(
		    json_object_get(itest_jobj(err, "fields"), "email"));
		err = itest_expect_error(
		    itest_post_json(
		        REGISTER, NULL,
		        itest_register_body(a, itest_strong_password(),
		                            "Nep Kim", itest_join_code(0))),
		    400, "validation_failed");
		assert_non_null(
		    json_object_get(itest_jobj(err, "fields"), "email"));
		itest_expect_error(login_from(NULL, a, kim->password), 400,
		                   "validation_failed");
		assert_int_equal(
		    itest_db_long("SELECT count(*) FROM mail_outbox"
		                  " WHERE recipient = $1",
		                  a, NULL),
		    0);
	}
	assert_int_equal(itest_db_long("SELECT count(*) FROM account_tokens"
	                               " WHERE user_id = $1"
	                               " AND purpose = 'reset_password'",
	                               id, NULL),
	                 0);
	assert_int_equal(itest_db_long("SELECT count(*) FROM users"
	                               " WHERE email LIKE $1",
	                               itest_fmt("%%%s%%", tag), NULL),
	                 1);
}

/*
 * users.email_canonical: filled by the service, unique, and only printable
 * ASCII in lower case, whatever writes the row.
 */
static void
test_canonical_column_constraints(void **state)
{
	char              *tag = itest_random_hex(4);
	struct itest_user *kim =
	    register_as(itest_fmt("Kim.Jansen.%s@School.NL", tag));
	char       *canonical = itest_fmt("kim.jansen.%s@school.nl", tag);
	char       *id = itest_fmt("%ld", kim->id);
	const char *insert = "INSERT INTO users (email, email_canonical, name, "
	                     "password_hash, role)"
	                     " VALUES ($1, $1, 'X', '!', 'teacher')";

	(void)state;
	assert_string_equal(
	    itest_db_text("SELECT email_canonical FROM users WHERE id = $1", id,
	                  NULL),
	    canonical);
	assert_string_equal(
	    itest_db_text("SELECT email FROM users WHERE id = $1", id, NULL),
	    kim->email);
	/* The same address in other ASCII case is the same account. */
	itest_expect_error(
	    itest_post_json(REGISTER, NULL,
	                    itest_register_body(canonical,
	                                        itest_strong_password(), "Kim",
	                                        itest_join_code(0))),
	    409, "conflict");
	(void)itest_login_token(canonical, kim->password);
	/* Straight into the table: a duplicate canonical form, an upper-case
	 * one and a non-ASCII one are refused by the database itself. */
	assert_string_equal(sqlstate_of(insert, canonical), "23505");
	assert_string_equal(sqlstate_of(insert, itest_fmt("X%s@school.nl",
	                                                  itest_random_hex(4))),
	                    "23514");
	assert_string_equal(
	    sqlstate_of(insert, itest_fmt("k" DOTTED_I "m%s@school.nl",
	                                  itest_random_hex(4))),
	    "23514");
}

/*
 * The reset mail goes to the address the account was registered with, not
 * to what was typed in the request.
 */
static void
test_reset_mail_to_stored_address(void **state)
{
	char              *tag = itest_random_hex(4);
	struct itest_user *kim =
	    register_as(itest_fmt("Kim.Jansen.%s@School.NL", tag));
	char *typed = itest_fmt("kim.jansen.%s@school.nl", tag);
	char *id = itest_fmt("%ld", kim->id);

	(void)state;
	itest_expect_status(reset_request(typed), 202);
	assert_string_equal(
	    itest_db_text("SELECT recipient FROM mail_outbox WHERE subject = $2"
	                  " AND user_ids @> ARRAY[$1::bigint]",
	                  id, RESET_SUBJECT),
	    kim->email);
	assert_int_equal(itest_db_long("SELECT count(*) FROM mail_outbox"
	                               " WHERE recipient = $1",
	                               typed, NULL),
	                 0);
	/* The verification mail, too. */
	assert_string_equal(
	    itest_db_text("SELECT recipient FROM mail_outbox WHERE subject ="
	                  " 'Bevestig je e-mailadres'"
	                  " AND user_ids @> ARRAY[$1::bigint]",
	                  id, NULL),
	    kim->email);
}

/* Point 4: no lock-out by others. */

/*
 * Ten wrong passwords from client A: from the sixth on, A must wait 1, 2,
 * 4, 8, 16, 32 s (Retry-After) after its last failure, during which even the
 * right password from A gets 429.  The owner on client B logs in at once,
 * and a wrong password from B is B's own first failure.  Before, ten
 * failures from anywhere locked the owner out for 15 minutes.
 */
static void
test_login_delay_per_client(void **state)
{
	struct itest_user *u = itest_new_teacher();
	char              *a = other_client(), *b = other_client();
	long               expected = 1;

	(void)state;
	for (int i = 0; i < 5; i++)
		itest_expect_error(login_from(a, u->email, WRONG), 401,
		                   "invalid_credentials");
	for (int i = 5; i < 10; i++) {
		struct itest_resp *r = login_from(a, u->email, u->password);

		itest_expect_error(r, 429, "too_many_requests");
		if (retry_after(r) != expected)
			fail_msg(
			    "after %d failures: Retry-After %ld, expected %ld",
			    i, retry_after(r), expected);
		/* A try during the delay is not counted. */
		itest_expect_error(login_from(a, u->email, WRONG), 429,
		                   "too_many_requests");
		age_failures(a, (int)expected + 1);
		itest_expect_error(login_from(a, u->email, WRONG), 401,
		                   "invalid_credentials");
		expected *= 2;
	}
	assert_int_equal(retry_after(login_from(a, u->email, u->password)), 32);
	/* The owner elsewhere is not affected. */
	(void)itest_json_has_key(
	    itest_expect_json(login_from(b, u->email, u->password), 200),
	    "token");
	itest_expect_error(login_from(b, u->email, WRONG), 401,
	                   "invalid_credentials");
	/* Once A's delay has passed, the right password works from A and
	 * clears A's failures for the address. */
	age_failures(a, 33);
	itest_expect_json(login_from(a, u->email, u->password), 200);
	assert_int_equal(
	    itest_db_long(
	        "SELECT count(*) FROM login_failures WHERE client = $1", a,
	        NULL),
	    0);
}

/*
 * Credential stuffing from one client: 100 failures across any addresses
 * in 15 minutes start the delay for that client (for every address, even a
 * right password); another client is not affected.  97 of the failures are
 * written straight into the table, to keep the test short.
 */
static void
test_login_delay_per_client_cap(void **state)
{
	struct itest_user *u = itest_new_teacher();
	char              *c = other_client(), *d = other_client();
	struct itest_resp *r;

	(void)state;
	assert_int_equal(
	    itest_db_exec("INSERT INTO login_failures (email, client)"
	                  " SELECT 'stuffed-' || g || '@example.nl', $1"
	                  " FROM generate_series(1, 97) g",
	                  c, NULL),
	    97);
	for (int i = 0; i < 3; i++)
		itest_expect_error(login_from(c, itest_unique_email(), WRONG),
		                   401, "invalid_credentials");
	r = login_from(c, u->email, u->password);
	itest_expect_error(r, 429, "too_many_requests");
	assert_int_equal(retry_after(r), 1);
	itest_expect_json(login_from(d, u->email, u->password), 200);
}

/* A successful reset clears the failed logins of the address, from every
 * client. */
static void
test_reset_clears_login_failures(void **state)
{
	struct itest_user *u = itest_new_teacher();
	char              *a = other_client(), *b = other_client();
	char              *password = itest_strong_password();

	(void)state;
	for (int i = 0; i < 5; i++) {
		itest_expect_status(login_from(a, u->email, WRONG), 401);
		itest_expect_status(login_from(b, u->email, WRONG), 401);
	}
	itest_expect_error(login_from(a, u->email, u->password), 429,
	                   "too_many_requests");
	assert_int_equal(failures_of(u->email), 10);
	itest_expect_status(reset_request(u->email), 202);
	itest_expect_status(reset_with(last_reset_token(u->id), password), 204);
	assert_int_equal(failures_of(u->email), 0);
	itest_expect_json(login_from(a, u->email, password), 200);
}

/* A failed login is kept only for the 15-minute window: each new failure
 * deletes the oldest rows that have left it, so an address someone once
 * mistyped does not stay in the table. */
static void
test_login_failures_pruned(void **state)
{
	char *old = itest_unique_email(), *recent = itest_unique_email();

	(void)state;
	/* Older than any other row (the oldest go first), and one still in
	 * the window. */
	assert_int_equal(
	    itest_db_exec(
	        "INSERT INTO login_failures (email, client, at)"
	        " VALUES ($1, '192.0.2.1', now() - interval '100 years'),"
	        " ($1, '192.0.2.1', now() - interval '99 years'),"
	        " ($2, '192.0.2.1', now() - interval '10 minutes')",
	        old, recent),
	    3);
	itest_expect_status(
	    login_from(other_client(), itest_unique_email(), WRONG), 401);
	assert_int_equal(failures_of(old), 0);
	assert_int_equal(failures_of(recent), 1);
}

/* Point 7: reset links end. */

/* A reset link sent earlier no longer works once the password has been
 * changed (by the owner, logged in). */
static void
test_reset_links_end_on_password_change(void **state)
{
	struct itest_user *u = itest_new_teacher();
	char              *link, *next = itest_strong_password();
	json_t            *b;
	json_t            *err;

	(void)state;
	itest_expect_status(reset_request(u->email), 202);
	link = last_reset_token(u->id);
	b = itest_keep_json(json_pack("{s:s, s:s}", "current_password",
	                              u->password, "new_password", next));
	itest_expect_status(
	    itest_post_json("/api/v1/auth/password", u->token, itest_dump(b)),
	    204);
	err = itest_expect_error(reset_with(link, itest_strong_password()), 400,
	                         "validation_failed");
	assert_non_null(json_object_get(itest_jobj(err, "fields"), "token"));
	(void)itest_login_token(u->email, next);
}

/* Of two reset links, using one ends the other. */
static void
test_reset_links_end_on_reset(void **state)
{
	struct itest_user *u = itest_new_teacher();
	char              *first, *second, *password = itest_strong_password();

	(void)state;
	itest_expect_status(reset_request(u->email), 202);
	first = last_reset_token(u->id);
	itest_expect_status(reset_request(u->email), 202);
	second = last_reset_token(u->id);
	assert_string_not_equal(first, second);
	itest_expect_status(reset_with(second, password), 204);
	itest_expect_error(reset_with(first, itest_strong_password()), 400,
	                   "validation_failed");
	(void)itest_login_token(u->email, password);
}

/* Point 5: erase is complete. */

/*
 * After an erase no mail row, failed login or token holds the person's
 * address or name; mail about them (a digest naming them, a mail quoting
 * their address) is rewritten; the placeholder address cannot be
 * registered; a row that already holds the old placeholder form cannot make
 * the erase fail; the board's coverage counts stay the same.
 */
static void
test_erase_complete(void **state)
{
	long               board = org_board(0);
	struct org_school *school = org_school(board, "Erase school", "Erasum");
	struct itest_user *v = org_register(school->join_code, NULL);
	char              *id = itest_fmt("%ld", v->id);
	char              *client = other_client();
	char              *canonical, *placeholder, *old_form, *before, *after;
	const char        *p[4];
	json_t            *cov;

	(void)state;
	canonical = itest_fmt("%s", v->email);
	for (char *c = canonical; *c; c++)
		*c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
	org_insert_certificate(v->id, ITEST_MODULE, "1 month", "11 months");
	cov = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/coverage", board),
	              org_admin()),
	    200);
	before = itest_dump(itest_jarr(cov, "schools"));
	/* What the person leaves behind: a verification mail (registration),
	 * a reset mail and token, failed logins, a digest that names them and
	 * a mail to someone else that quotes their address. */
	itest_expect_status(reset_request(v->email), 202);
	itest_expect_status(login_from(client, v->email, WRONG), 401);
	p[0] = itest_fmt("admin-%s@example.nl", itest_random_hex(4));
	/* The roster's spelling of the name, not the account's. */
	p[1] = itest_fmt("- Erase school, %s (roster): Meldcode (verloopt "
	                 "01-01-2030)",
	                 v->name);
	p[2] = id;
	assert_int_equal(
	    org_db_exec("INSERT INTO mail_outbox (recipient,"
	                " subject, body, user_ids) VALUES ($1,"
	                " 'Maandoverzicht', $2, ARRAY[$3::bigint])",
	                3, p),
	    1);
	p[1] = itest_fmt("Vraag van %s over de training.", v->email);
	assert_int_equal(org_db_exec("INSERT INTO mail_outbox (recipient,"
	                             " subject, body) VALUES ($1, 'Vraag', $2)",
	                             2, p),
	                 1);
	/* A row written before 008 could hold the old placeholder form. */
	old_form = itest_fmt("verwijderd-%ld@verwijderd.invalid", v->id);
	assert_int_equal(
	    itest_db_exec("INSERT INTO users (email, email_canonical, name,"
	                  " password_hash, role) VALUES ($1, $1, 'Oud', '!',"
	                  " 'teacher')",
	                  old_form, NULL),
	    1);
	assert_true(itest_db_long("SELECT count(*) FROM mail_outbox WHERE"
	                          " strpos(recipient || body, $1) > 0",
	                          v->email, NULL) >= 3);

	itest_expect_status(
	    org_send("POST", itest_fmt("/api/v1/users/%ld/erase", v->id),
	             org_admin(), "application/json", "{}", 2),
	    204);

	/* Nothing holds the address or the name any more. */
	assert_int_equal(
	    itest_db_long("SELECT count(*) FROM mail_outbox WHERE"
	                  " strpos(lower(recipient || ' ' || body),"
	                  " $1) > 0 OR strpos(body, $2) > 0",
	                  canonical, v->name),
	    0);
	assert_int_equal(failures_of(canonical), 0);
	assert_int_equal(itest_db_long("SELECT count(*) FROM account_tokens"
	                               " WHERE user_id = $1",
	                               id, NULL),
	                 0);
	assert_int_equal(itest_db_long("SELECT count(*) FROM staff WHERE"
	                               " email = $1 OR name = $2",
	                               canonical, v->name),
	                 0);
	assert_int_equal(itest_db_long("SELECT count(*) FROM users WHERE"
	                               " email_canonical = $1 OR name = $2",
	                               canonical, v->name),
	                 0);
	/* The digest that named them (by id: it may spell the name as a
	 * roster did) is emptied; the mail row itself stays. */
	assert_int_equal(
	    itest_db_long(
	        "SELECT count(*) FROM mail_outbox WHERE recipient = $1"
	        " AND subject = 'Maandoverzicht'"
	        " AND body LIKE '(inhoud gewist%'",
	        p[0], NULL),
	    1);
	/* Unsent mail to the person is never sent. */
	assert_int_equal(
	    itest_db_long("SELECT count(*) FROM mail_outbox WHERE"
	                  " user_ids @> ARRAY[$1::bigint] AND sent_at IS NULL"
	                  " AND next_try < 'infinity'"
	                  " AND recipient NOT LIKE $2",
	                  id, p[0]),
	    0);
	/* The placeholder cannot be registered, nor the old form. */
	placeholder =
	    itest_db_text("SELECT email FROM users WHERE id = $1", id, NULL);
	assert_non_null(strstr(placeholder, "@verwijderd.invalid"));
	assert_string_not_equal(placeholder, old_form);
	itest_expect_error(
	    itest_post_json(REGISTER, NULL,
	                    itest_register_body(placeholder,
	                                        itest_strong_password(),
	                                        "Iemand", itest_join_code(0))),
	    400, "validation_failed");
	itest_expect_error(
	    itest_post_json(
	        REGISTER, NULL,
	        itest_register_body(itest_fmt("x-%s@sub.verwijderd.invalid",
	                                      itest_random_hex(3)),
	                            itest_strong_password(), "Iemand",
	                            itest_join_code(0))),
	    400, "validation_failed");
	/* The session ended; the counts of the board did not change. */
	itest_expect_status(itest_get("/api/v1/me", v->token), 401);
	cov = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/coverage", board),
	              org_admin()),
	    200);
	after = itest_dump(itest_jarr(cov, "schools"));
	assert_string_equal(before, after);
	/* Erasing again: not found. */
	itest_expect_status(
	    org_send("POST", itest_fmt("/api/v1/users/%ld/erase", v->id),
	             org_admin(), "application/json", "{}", 2),
	    404);
	itest_db_exec("DELETE FROM users WHERE email = $1", old_form, NULL);
}

int
itest_run_account_privacy(void)
{
	const struct CMUnitTest tests[] = {
	    ITEST(test_lookalike_addresses_refused),
	    ITEST(test_canonical_column_constraints),
	    ITEST(test_reset_mail_to_stored_address),
	    ITEST(test_login_delay_per_client),
	    ITEST(test_login_delay_per_client_cap),
	    ITEST(test_reset_clears_login_failures),
	    ITEST(test_login_failures_pruned),
	    ITEST(test_reset_links_end_on_password_change),
	    ITEST(test_reset_links_end_on_reset),
	    ITEST(test_erase_complete),
	};

	return cmocka_run_group_tests_name("account_privacy", tests, NULL,
	                                   NULL);
}
