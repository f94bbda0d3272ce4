/* Login, registration, session refresh, logout and /me. */
#include "handlers.h"

#include <string.h>
#include <time.h>

#include "../auth.h"
#include "../config.h"
#include "../json.h"
#include "../log.h"
#include "../store/store.h"
#include "../validate.h"

/*
 * Failed logins slow down; they never lock an account.
 *
 * A browser where the account once logged in (or registered, or reset its
 * password) holds a device cookie for it (OWASP's "device cookies").  A try
 * with a valid device cookie of the account is judged only by that
 * device's own failures: LOGIN_FREE_PER_DEVICE, then the growing delay.
 * No one else's failures count there, so no one can slow the owner down on
 * a known device.
 *
 * Every other try is counted in a 15-minute window per (address, client),
 * per client network, and per address across all clients: after
 * LOGIN_FREE_PER_PAIR failures of one address from one client, the next
 * try from that client must wait 1 s after the last failure, then 2, 4, ...
 * s, at most LOGIN_DELAY_MAX; LOGIN_FREE_PER_CLIENT failures from one
 * client network across all addresses (credential stuffing), or
 * LOGIN_FREE_PER_ADDRESS failures of one address from all clients together
 * (guessing from many machines), start the same delay for every such try.
 * The owner on a new device can always reset the password, which gives
 * that browser a device cookie.  A try during the delay gets 429 with
 * Retry-After and is not counted; the worker never sleeps.
 */
#define LOGIN_FREE_PER_PAIR 5
#define LOGIN_FREE_PER_CLIENT 100
#define LOGIN_FREE_PER_ADDRESS 20
#define LOGIN_FREE_PER_DEVICE 5
#define LOGIN_DELAY_MAX 900
#define DEVICE_DAYS 180
#define DEVICES_PER_ACCOUNT 20

static void reply_session(struct request *r, struct response *res, int status,
                          const struct user *u);
static const char *dummy_hash(void);
static long        login_wait(long long failures, double age, long long free);
static const char *device_cookie_name(const struct request *r);

/* Whole seconds still to wait after `failures` failures, the last `age`
 * seconds ago; 0 when a try may go ahead. */
static long
login_wait(long long failures, double age, long long free)
{
	double delay, left;
	long   wait;

	if (failures < free)
		return 0;
	delay = failures - free >= 10 ? LOGIN_DELAY_MAX
	                              : (double)(1L << (failures - free));
	if (delay > LOGIN_DELAY_MAX)
		delay = LOGIN_DELAY_MAX;
	left = delay - age;
	if (left <= 0)
		return 0;
	wait = (long)left;
	return (double)wait < left ? wait + 1 : wait;
}

/* Over HTTPS the __Host- prefix: the browser takes the cookie only with
 * Secure, Path=/ and no Domain, so no sibling host can plant or shadow
 * one.  Path=/ for that reason, although only /api/v1/auth/ reads it. */
static const char *
device_cookie_name(const struct request *r)
{
	return r->https ? "__Host-hgkm_device" : "hgkm_device";
}

int
auth_device_issue(struct request *r, struct response *res, long long user_id)
{
	char           secret[65], hash[65];
	enum db_status st;

	auth_secret_new(secret, hash);
	st = store_login_device_add(&r->store, user_id, hash, DEVICE_DAYS,
	                            DEVICES_PER_ACCOUNT);
	if (st != DB_OK) {
		sodium_memzero(secret, sizeof(secret));
		return -1;
	}
	http_header_add(
	    r, res, "Set-Cookie",
	    arena_printf(r->arena,
	                 "%s=%s; HttpOnly; SameSite=Strict; Path=/; "
	                 "Max-Age=%d%s",
	                 device_cookie_name(r), secret, DEVICE_DAYS * 86400,
	                 r->https ? "; Secure" : ""));
	sodium_memzero(secret, sizeof(secret));
	return 0;
}

/* A hash to verify against when the email is unknown, so that unknown and
 * known emails take the same time.  Computed once per worker. */
static const char *
dummy_hash(void)
{
	static char hash[crypto_pwhash_STRBYTES];

	if (hash[0] == '\0' &&
	    auth_password_hash("not a password of anyone", hash) != 0)
		return NULL;
	return hash;
}

/* A new token for u, arena-owned, with its claims, for a session that
 * began with a password at auth_time (0: now); NULL (logged) when libjwt
 * fails. */
static const char *
session_token(struct request *r, const struct user *u, long long auth_time,
              struct auth_claims *claims)
{
	const char *token = auth_token_issue(
	    r->arena, r->config->jwt_key, r->config->jwt_key_len, u->id,
	    (long long)time(NULL), r->config->token_ttl, auth_time, claims);

	if (token == NULL)
		log_error("auth: cannot issue a token for user %lld", u->id);
	return token;
}

/* Answers with a session token in the cookie and (token_in_body) the
 * body, as login, register and refresh all do. */
static void
reply_session_token(struct request *r, struct response *res, int status,
                    const struct user *u, const char *token,
                    const struct auth_claims *claims, bool token_in_body)
{
	const char *cookie;
	json_t     *body;

	cookie = arena_printf(r->arena,
	                      "%s=%s; HttpOnly; SameSite=Strict; "
	                      "Path=/; Max-Age=%d%s",
	                      r->https ? "__Host-session" : "session", token,
	                      r->config->token_ttl, r->https ? "; Secure" : "");
	http_header_add(r, res, "Set-Cookie", cookie);
	body = arena_json(
	    r->arena,
	    json_pack("{s:s, s:s, s:{s:I, s:s, s:s, s:s, s:o, s:o}}", "token",
	              token, "expires_at",
	              handler_rfc3339(r->arena, claims->exp), "user", "id",
	              (json_int_t)u->id, "email", u->email, "name", u->name,
	              "role", u->role, "school_id",
	              u->school_id ? json_integer(u->school_id) : json_null(),
	              "board_id",
	              u->board_id ? json_integer(u->board_id) : json_null()));
	if (!token_in_body)
		json_object_del(body, "token");
	http_json(r, res, status, body);
}

/* Issues a token and answers with it, as login and register both do. */
static void
reply_session(struct request *r, struct response *res, int status,
              const struct user *u)
{
	struct auth_claims claims;
	const char        *token = session_token(r, u, 0, &claims);

	if (token == NULL)
		return; /* no response: the worker answers 500 */
	reply_session_token(r, res, status, u, token, &claims, true);
}

void
auth_login(struct request *r, struct response *res)
{
	const char      *email, *password, *hash, *device;
	char             canonical[EMAIL_MAX + 1], device_hash[65];
	char             client[AUTH_CLIENT_KEY_MAX], net[AUTH_CLIENT_KEY_MAX];
	struct login_row row;
	struct user      u;
	enum db_status   st;
	enum email_check ec;
	long             wait, other;
	bool             ok;

	if (json_get_string(r->json, "email", 1, EMAIL_MAX, &email) !=
	    JSON_FIELD_OK) {
		reply_invalid_field(r, res, "email", "Vul je e-mailadres in.");
		return;
	}
	if ((ec = email_canonical(email, canonical)) != EMAIL_OK) {
		reply_invalid_field(r, res, "email", email_problem(ec));
		return;
	}
	switch (json_get_string(r->json, "password", 1, AUTH_PASSWORD_MAX,
	                        &password)) {
	case JSON_FIELD_OK:
		break;
	case JSON_FIELD_TOO_LONG:
		reply_invalid_field(r, res, "password",
		                    "Het wachtwoord is te lang.");
		return;
	default:
		reply_invalid_field(r, res, "password",
		                    "Vul je wachtwoord in.");
		return;
	}
	auth_client_keys(r->remote_addr, client, net);
	/* A cookie of the wrong shape is no cookie. */
	device = http_cookie_get(r->arena, r->cookie, device_cookie_name(r));
	st = store_user_login_lookup(
	    &r->store, canonical, client, net,
	    auth_secret_hash(device, device_hash) ? device_hash : NULL, &row);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	/* Checked before the password, so a guess during the delay tells
	 * nothing. */
	if (row.device_id != 0) {
		wait = login_wait(row.device_failures, row.device_age,
		                  LOGIN_FREE_PER_DEVICE);
	} else {
		wait = login_wait(row.pair_failures, row.pair_age,
		                  LOGIN_FREE_PER_PAIR);
		other = login_wait(row.client_failures, row.client_age,
		                   LOGIN_FREE_PER_CLIENT);
		if (other > wait)
			wait = other;
		other = login_wait(row.address_failures, row.address_age,
		                   LOGIN_FREE_PER_ADDRESS);
		if (other > wait)
			wait = other;
	}
	if (wait > 0) {
		http_header_add(r, res, "Retry-After",
		                arena_printf(r->arena, "%ld", wait));
		http_error(
		    r, res, 429, "too_many_requests",
		    arena_printf(r->arena,
		                 "Te veel mislukte pogingen; probeer het "
		                 "over %ld seconde%s opnieuw, of vraag een "
		                 "nieuw wachtwoord aan.",
		                 wait, wait == 1 ? "" : "n"));
		return;
	}
	hash = row.password_hash != NULL ? row.password_hash : dummy_hash();
	ok = hash != NULL && auth_password_verify(hash, password) &&
	     row.user_id != 0;
	if (!ok) {
		st = row.device_id != 0
		         ? store_login_device_failed(&r->store, row.device_id)
		         : store_user_login_failed(&r->store, canonical, client,
		                                   net);
		if (st != DB_OK) {
			reply_db_error(r, res, st);
			return;
		}
		http_error(r, res, 401, "invalid_credentials",
		           "E-mailadres of wachtwoord klopt niet.");
		return;
	}
	if (row.device_id != 0 && row.device_failures > 0)
		st = store_login_device_succeeded(&r->store, row.device_id);
	else if (row.device_id == 0 && row.pair_failures > 0)
		st = store_user_login_succeeded(&r->store, canonical, client);
	if (st == DB_OK)
		st = store_user_by_id(&r->store, row.user_id, &u);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	/* This browser is now a known device of the account. */
	if (row.device_id == 0 && auth_device_issue(r, res, u.id) != 0)
		log_error("auth: no device cookie for user %lld", u.id);
	reply_session(r, res, 200, &u);
}

void
auth_register(struct request *r, struct response *res)
{
	const char    *email, *password, *name, *join_code;
	char           hash[crypto_pwhash_STRBYTES], canonical[EMAIL_MAX + 1];
	json_t        *fields;
	long long      school_id, board_id, id, recent;
	struct user    u;
	enum db_status st;

	st = store_register_attempt(&r->store, r->remote_addr, &recent);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	if (recent > r->config->register_limit) {
		http_error(
		    r, res, 429, "too_many_requests",
		    "Te veel registraties vanaf dit adres; probeer het later.");
		return;
	}
	fields = json_object();
	handler_email_field(r, fields, &email, canonical);
	handler_text_field(r, fields, "name", 200, "Vul je naam in.", &name);
	handler_password_field(r, fields, &password);
	if (json_get_string(r->json, "join_code", 1, 64, &join_code) !=
	    JSON_FIELD_OK)
		json_object_set_new(fields, "join_code",
		                    json_string("Vul de schoolcode in."));
	if (reply_fields(r, res, fields))
		return;
	if (reply_lookup_failed(r, res,
	                        store_school_by_join_code(&r->store, join_code,
	                                                  &school_id,
	                                                  &board_id),
	                        "join_code", "Deze schoolcode kennen we niet."))
		return;
	if (auth_password_hash(password, hash) != 0) {
		log_error("auth: password hashing failed (out of memory?)");
		return;
	}
	st = store_user_create_teacher(&r->store, email, canonical, name, hash,
	                               school_id, &id);
	sodium_memzero(hash, sizeof(hash));
	if (st == DB_CONFLICT) {
		http_error(r, res, 409, "conflict",
		           "Er bestaat al een account met dit e-mailadres.");
		return;
	}
	if (st == DB_OK)
		st = store_user_by_id(&r->store, id, &u);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	/* The account works at once as a teacher; a roster role applies only
	 * once the address is verified through the mailed link. */
	if (account_send_verification(r, id, u.email, u.name) != 0)
		log_error("auth: no verification mail queued for user %lld",
		          id);
	if (auth_device_issue(r, res, id) != 0)
		log_error("auth: no device cookie for user %lld", id);
	reply_session(r, res, 201, &u);
}

void
auth_logout(struct request *r, struct response *res)
{
	enum db_status st =
	    store_token_revoke(&r->store, r->token_jti, r->token_exp);

	/* DB_NOT_FOUND: a second logout of the same token at the same time. */
	if (st != DB_OK && st != DB_NOT_FOUND) {
		reply_db_error(r, res, st);
		return;
	}
	clear_session_cookie(r, res);
	http_no_content(res);
}

/*
 * A fresh session for the caller (WCAG 2.2.1: the page offers this before
 * the session runs out): a new token with a new jti and the full ttl, and
 * the caller's token revoked, so that a copy of the old cookie ends here.
 * The new token is made first: when that fails, the old one still works.
 * It carries the session's auth_time on: a token that would outlive
 * AUTH_SESSION_MAX_AGE after the password login is refused, and the page
 * then asks for the password (in a dialog, nothing typed is lost).
 */
void
auth_refresh(struct request *r, struct response *res)
{
	struct auth_claims claims;
	const char        *token;
	enum db_status     st;

	if ((long long)time(NULL) + r->config->token_ttl >
	    r->token_auth_time + AUTH_SESSION_MAX_AGE) {
		http_error(r, res, 401, "login_required",
		           "Je bent al lang ingelogd. Log opnieuw in met je "
		           "wachtwoord.");
		return;
	}
	/* r->user: the caller as this request loaded it (worker.c). */
	token = session_token(r, r->user, r->token_auth_time, &claims);
	if (token == NULL)
		return; /* no response: the worker answers 500 */
	st = store_token_revoke(&r->store, r->token_jti, r->token_exp);
	if (st == DB_NOT_FOUND) {
		http_error(r, res, 401, "unauthenticated", "Log eerst in.");
		return;
	}
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	/* A page has the cookie: the token stays out of reach of its scripts,
	 * as the cookie does (HttpOnly).  A bearer client needs it. */
	reply_session_token(r, res, 200, r->user, token, &claims,
	                    !r->token_from_cookie);
}

void
auth_me(struct request *r, struct response *res)
{
	const char    *json;
	enum db_status st =
	    store_user_me_json(&r->store, r->user->id,
	                       handler_rfc3339(r->arena, r->token_exp), &json);

	reply_json_result(r, res, st, json);
}
