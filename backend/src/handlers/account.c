/* Account life: email verification, password change and reset, a person's
 * own data, erasure by an admin, and the audit log. */
#include "handlers.h"

#include <ctype.h>
#include <string.h>

#include "../auth.h"
#include "../config.h"
#include "../json.h"
#include "../log.h"
#include "../store/store.h"
#include "../validate.h"

#define VERIFY_TTL (7 * 24 * 3600)
#define RESET_TTL 3600

/* A mail with a one-time link: the link's kind (store/accounts.c) and
 * lifetime, and the text around the link. */
struct link_mail {
	const struct store_link_kind *kind;
	const char                   *subject, *intro, *outro;
	int                           ttl;
};

static const struct link_mail verify_link = {
    &store_link_verify,
    "Bevestig je e-mailadres",
    "Je hebt een account gemaakt op de leeromgeving over huiselijk geweld "
    "en kindermishandeling. Bevestig je e-mailadres met deze link (een "
    "week geldig):",
    "Heb je dit niet zelf gedaan? Dan kun je deze mail negeren.",
    VERIFY_TTL,
};

static const struct link_mail reset_link = {
    &store_link_reset,
    "Nieuw wachtwoord instellen",
    "Iemand (hopelijk jij) vroeg een nieuw wachtwoord aan voor je account "
    "op de leeromgeving. Stel het in met deze link; hij werkt één keer en "
    "een uur lang:",
    "Heb je dit niet zelf gedaan? Dan hoef je niets te doen.",
    RESET_TTL,
};

/* Makes a new token for `m` and queues its mail to `to`. */
static enum db_status
mail_link(struct request *r, const struct link_mail *m, long long user_id,
          const char *to, const char *name)
{
	const char    *secret, *url;
	enum db_status st =
	    store_link_create(&r->store, m->kind, user_id, m->ttl, &secret);

	if (st != DB_OK)
		return st;
	url = auth_link_url(r->arena, r->config->public_url, m->kind->anchor,
	                    secret);
	return store_mail_queue(&r->store, to, user_id, m->subject,
	                        arena_printf(r->arena,
	                                     "Beste %s,\n\n%s\n\n%s\n\n%s\n",
	                                     name, m->intro, url, m->outro));
	return st;
}

/* What a link from a mail answers once its token is spent or expired. */
static const char link_spent[] = "Deze link is verlopen of al gebruikt.";

/* Hashes the body's "token" as the store keeps it; answers 400 itself
 * and returns false when there is no token. */
static bool
token_hash(struct request *r, struct response *res, char hash[65])
{
	const char *token =
	    json_string_value(json_object_get(r->json, "token"));

	if (auth_secret_hash(token, hash))
		return true;
	reply_invalid_field(r, res, "token", "Deze link klopt niet.");
	return false;
}

int
account_send_verification(struct request *r, long long user_id,
                          const char *email, const char *name)
{
	return mail_link(r, &verify_link, user_id, email, name) == DB_OK ? 0
	                                                                 : -1;
}

void
account_verify(struct request *r, struct response *res)
{
	char hash[65];

	if (!token_hash(r, res, hash) ||
	    reply_lookup_failed(
	        r, res,
	        store_email_verify(&r->store, hash, r->config->public_url),
	        "token", link_spent))
		return;
	http_json_text(r, res, 200, "{\"verified\":true}");
}

void
account_verify_resend(struct request *r, struct response *res)
{
	const char    *email, *name;
	bool           verified;
	enum db_status st = store_user_contact(&r->store, r->user->id, &email,
	                                       &name, &verified);

	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	if (verified) {
		http_error(r, res, 409, "conflict",
		           "Je e-mailadres is al bevestigd.");
		return;
	}
	if (account_send_verification(r, r->user->id, email, name) != 0) {
		reply_db_error(r, res, DB_ERROR);
		return;
	}
	http_json_text(r, res, 202, "{\"sent\":true}");
}

void
account_password_change(struct request *r, struct response *res)
{
	const char    *current, *next, *hash, *problem;
	char           newhash[crypto_pwhash_STRBYTES];
	enum db_status st;

	if (json_get_string(r->json, "current_password", 1, AUTH_PASSWORD_MAX,
	                    &current) != JSON_FIELD_OK) {
		reply_invalid_field(r, res, "current_password",
		                    "Vul je huidige wachtwoord in.");
		return;
	}
	if (json_get_string(r->json, "new_password", 0, AUTH_PASSWORD_MAX * 4,
	                    &next) != JSON_FIELD_OK ||
	    (problem = auth_password_problem(next)) != NULL) {
		reply_invalid_field(r, res, "new_password",
		                    next ? auth_password_problem(next)
		                         : "Kies een nieuw wachtwoord.");
		return;
	}
	st = store_user_password_hash(&r->store, r->user->id, &hash);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	if (!auth_password_verify(hash, current)) {
		http_error(r, res, 401, "invalid_credentials",
		           "Je huidige wachtwoord klopt niet.");
		return;
	}
	if (auth_password_hash(next, newhash) != 0)
		return;
	st = store_user_set_password(&r->store, r->user->id, newhash);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	handler_audit_on(r, "password_change", "user", r->user->id, NULL);
	/* Every session ends, this one too: log in with the new password. */
	clear_session_cookie(r, res);
	http_no_content(res);
}

void
account_reset_request(struct request *r, struct response *res)
{
	const char      *email, *stored, *name;
	char             canonical[EMAIL_MAX + 1];
	long long        id, recent;
	enum db_status   st;
	enum email_check ec = EMAIL_INVALID;

	if (json_get_string(r->json, "email", 3, EMAIL_MAX, &email) ==
	    JSON_FIELD_OK)
		ec = email_canonical(email, canonical);
	if (ec != EMAIL_OK) {
		reply_invalid_field(r, res, "email", email_problem(ec));
		return;
	}
	st = store_register_attempt(
	    &r->store, arena_printf(r->arena, "reset:%s", r->remote_addr),
	    &recent);
	if (st == DB_OK && recent > r->config->register_limit) {
		http_error(r, res, 429, "too_many_requests",
		           "Te veel aanvragen; probeer het later opnieuw.");
		return;
	}
	if (st == DB_OK)
		st = store_user_id_by_email(&r->store, canonical, &id, &stored,
		                            &name);
	/* To the account's own address, never to what was typed. */
	if (st == DB_OK)
		st = mail_link(r, &reset_link, id, stored, name);
	/* The same answer whether the address is known or not. */
	if (st != DB_OK && st != DB_NOT_FOUND) {
		reply_db_error(r, res, st);
		return;
	}
	http_json_text(r, res, 202, "{\"sent\":true}");
}

void
account_reset(struct request *r, struct response *res)
{
	const char *password;
	char        hash[65], newhash[crypto_pwhash_STRBYTES];
	long long   user_id;
	json_t     *fields;

	/* A dead link is said first: no use choosing a password for it. */
	if (!token_hash(r, res, hash) ||
	    reply_lookup_failed(
	        r, res,
	        store_token_valid(&r->store, hash, store_link_reset.purpose),
	        "token", link_spent))
		return;
	fields = json_object();
	handler_password_field(r, fields, &password);
	if (reply_fields(r, res, fields))
		return;
	if (auth_password_hash(password, newhash) != 0)
		return;
	if (reply_lookup_failed(
	        r, res,
	        store_password_reset(&r->store, hash, newhash, &user_id),
	        "token", link_spent))
		return;
	handler_audit_on(r, "password_reset", "user", user_id, NULL);
	if (auth_device_issue(r, res, user_id) != 0)
		log_error("account: no device cookie for user %lld", user_id);
	http_no_content(res);
}

void
account_export(struct request *r, struct response *res)
{
	const char    *json;
	enum db_status st =
	    store_user_export_json(&r->store, r->user->id, &json);

	reply_json_result(r, res, st, json);
	http_header_add(r, res, "Content-Disposition",
	                "attachment; filename=\"mijn-gegevens.json\"");
}

void
account_erase(struct request *r, struct response *res)
{
	long long      id = r->param.user;
	enum db_status st;

	if (id == r->user->id) {
		http_error(r, res, 409, "conflict",
		           "Je kunt je eigen beheerdersaccount niet wissen.");
		return;
	}
	st = store_user_erase(&r->store, id);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	handler_audit_on(r, "erase", "user", id, NULL);
	http_no_content(res);
}

void
account_audit(struct request *r, struct response *res)
{
	const char    *q = http_query_get(r->arena, r->query, "before");
	const char    *json;
	long long      before = 0;
	enum db_status st;

	if (q != NULL && !scope_id_parse(q, &before)) {
		reply_invalid_field(r, res, "before",
		                    "Geef een positief getal.");
		return;
	}
	st = store_audit_list_json(&r->store, before, &json);
	reply_json_result(r, res, st, json);
}
