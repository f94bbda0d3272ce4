/* Login, registration, logout and /me. */
#include "handlers.h"

#include <string.h>
#include <time.h>

#include "../auth.h"
#include "../config.h"
#include "../json.h"
#include "../log.h"
#include "../store/store.h"
#include "../validate.h"

#define LOGIN_MAX_FAILURES 10

static void reply_session(struct request *r, struct response *res, int status,
                          const struct user *u);
static const char *dummy_hash(void);

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

/* Issues a token and answers with it, as login and register both do. */
static void
reply_session(struct request *r, struct response *res, int status,
              const struct user *u)
{
	struct auth_claims claims;
	long long          now = (long long)time(NULL);
	const char        *token, *cookie;
	json_t            *body;

	token = auth_token_issue(r->arena, r->config->jwt_key,
	                         r->config->jwt_key_len, u->id, now,
	                         r->config->token_ttl, &claims);
	if (token == NULL) {
		log_error("auth: cannot issue a token for user %lld", u->id);
		return; /* no response: the worker answers 500 */
	}
	cookie = arena_printf(r->arena,
	                      "%s=%s; HttpOnly; SameSite=Strict; "
	                      "Path=/; Max-Age=%d%s",
	                      r->https ? "__Host-session" : "session", token,
	                      r->config->token_ttl, r->https ? "; Secure" : "");
	http_header_add(r, res, "Set-Cookie", cookie);
	body = json_pack(
	    "{s:s, s:s, s:{s:I, s:s, s:s, s:s, s:o, s:o}}", "token", token,
	    "expires_at", handler_rfc3339(r->arena, claims.exp), "user", "id",
	    (json_int_t)u->id, "email", u->email, "name", u->name, "role",
	    u->role, "school_id",
	    u->school_id ? json_integer(u->school_id) : json_null(), "board_id",
	    u->board_id ? json_integer(u->board_id) : json_null());
	http_json(r, res, status, body);
	json_decref(body);
}

void
auth_login(struct request *r, struct response *res)
{
	const char      *email, *password, *hash;
	struct login_row row;
	struct user      u;
	enum db_status   st;
	bool             ok;

	if (json_get_string(r->json, "email", 1, 254, &email) !=
	    JSON_FIELD_OK) {
		reply_invalid_field(r, res, "email", "Vul je e-mailadres in.");
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
	st = store_user_login_lookup(r, email, &row);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	if (row.recent_failures >= LOGIN_MAX_FAILURES) {
		http_error(
		    r, res, 429, "too_many_requests",
		    "Te veel mislukte pogingen; probeer het later opnieuw.");
		return;
	}
	hash = row.password_hash != NULL ? row.password_hash : dummy_hash();
	ok = hash != NULL && auth_password_verify(hash, password) &&
	     row.user_id != 0;
	if (!ok) {
		st = store_user_login_failed(r, email);
		if (st != DB_OK) {
			reply_db_error(r, res, st);
			return;
		}
		http_error(r, res, 401, "invalid_credentials",
		           "E-mailadres of wachtwoord klopt niet.");
		return;
	}
	st = store_user_by_id(r, row.user_id, &u);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	reply_session(r, res, 200, &u);
}

void
auth_register(struct request *r, struct response *res)
{
	const char    *email, *password, *name, *join_code, *problem;
	char           hash[crypto_pwhash_STRBYTES];
	json_t        *fields = json_object();
	long long      school_id, board_id, id, recent;
	struct user    u;
	enum db_status st;

	st = store_register_attempt(r, r->remote_addr, &recent);
	if (st != DB_OK) {
		json_decref(fields);
		reply_db_error(r, res, st);
		return;
	}
	if (recent > r->config->register_limit) {
		json_decref(fields);
		http_error(
		    r, res, 429, "too_many_requests",
		    "Te veel registraties vanaf dit adres; probeer het later.");
		return;
	}
	if (json_get_string(r->json, "email", 3, 254, &email) !=
	        JSON_FIELD_OK ||
	    !validate_email(email))
		json_object_set_new(
		    fields, "email",
		    json_string("Vul een geldig e-mailadres in."));
	if (json_get_string(r->json, "name", 1, 200, &name) != JSON_FIELD_OK ||
	    !validate_plain_text(name))
		json_object_set_new(fields, "name",
		                    json_string("Vul je naam in."));
	if (json_get_string(r->json, "password", 0, AUTH_PASSWORD_MAX * 4,
	                    &password) != JSON_FIELD_OK)
		json_object_set_new(fields, "password",
		                    json_string("Kies een wachtwoord."));
	else if ((problem = auth_password_problem(password)) != NULL)
		json_object_set_new(fields, "password", json_string(problem));
	if (json_get_string(r->json, "join_code", 1, 64, &join_code) !=
	    JSON_FIELD_OK)
		json_object_set_new(fields, "join_code",
		                    json_string("Vul de schoolcode in."));
	if (reply_fields(r, res, fields))
		return;
	st = store_school_by_join_code(r, join_code, &school_id, &board_id);
	if (st == DB_NOT_FOUND) {
		reply_invalid_field(r, res, "join_code",
		                    "Deze schoolcode kennen we niet.");
		return;
	}
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	if (auth_password_hash(password, hash) != 0) {
		log_error("auth: password hashing failed (out of memory?)");
		return;
	}
	st = store_user_create_teacher(r, email, name, hash, school_id, &id);
	sodium_memzero(hash, sizeof(hash));
	if (st == DB_CONFLICT) {
		http_error(r, res, 409, "conflict",
		           "Er bestaat al een account met dit e-mailadres.");
		return;
	}
	if (st == DB_OK)
		st = store_user_by_id(r, id, &u);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	/* The account works at once as a teacher; a roster role applies only
	 * once the address is verified through the mailed link. */
	if (account_send_verification(r, id, email, u.name) != 0)
		log_error("auth: no verification mail queued for user %lld",
		          id);
	reply_session(r, res, 201, &u);
}

void
auth_logout(struct request *r, struct response *res)
{
	enum db_status st = store_token_revoke(r, r->token_jti, r->token_exp);

	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	clear_session_cookie(r, res);
	http_no_content(res);
}

void
auth_me(struct request *r, struct response *res)
{
	const char    *json;
	enum db_status st = store_user_me_json(r, r->user->id, &json);

	reply_json_result(r, res, st, json);
}
