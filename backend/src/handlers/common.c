/* Shared replies of the handlers. */
#include "handlers.h"

#include <ctype.h>
#include <stdarg.h>
#include <time.h>

#include "../auth.h"
#include "../log.h"
#include "../router.h"
#include "../user.h"
#include "../json.h"
#include "../store/store.h"
#include "../validate.h"

#include <string.h>
#include <stdlib.h>

void
reply_db_error(struct request *r, struct response *res, enum db_status st)
{
	switch (st) {
	case DB_NOT_FOUND:
		http_error(r, res, 404, "not_found", "Niet gevonden.");
		break;
	case DB_CONFLICT:
		http_error(r, res, 409, "conflict", "Dit bestaat al.");
		break;
	case DB_UNAVAILABLE:
		http_error(r, res, 503, "unavailable",
		           "De database is tijdelijk niet bereikbaar.");
		break;
	default:
		/* db.c has logged the detail. */
		http_error(r, res, 500, "internal",
		           "Er ging iets mis aan onze kant.");
		break;
	}
}

bool
handler_caller(struct request *r, struct response *res, enum db_status st,
               const struct user *me)
{
	if (st == DB_UNAVAILABLE || st == DB_ERROR) {
		reply_db_error(r, res, st);
		return false;
	}
	if (me->id == 0) {
		http_error(r, res, 401, "unauthenticated", "Log opnieuw in.");
		return false;
	}
	r->user = arena_alloc(r->arena, sizeof(*r->user));
	*r->user = *me;
	r->store.user_id = me->id;
	r->store.role = me->role;
	if ((r->route->roles & scope_role_bit(me->role)) == 0) {
		http_error(r, res, 403, "forbidden", "Dit mag je rol niet.");
		return false;
	}
	return true;
}

void
reply_json_result(struct request *r, struct response *res, enum db_status st,
                  const char *json)
{
	if (st != DB_OK)
		reply_db_error(r, res, st);
	else
		http_json_text(r, res, 200, json);
}

void
reply_json_by_id(struct request *r, struct response *res,
                 store_json_by_id lookup, long long id)
{
	const char    *json;
	enum db_status st = lookup(&r->store, id, &json);

	reply_json_result(r, res, st, json);
}

void
reply_created(struct request *r, struct response *res, enum db_status st,
              long long id)
{
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	http_json(
	    r, res, 201,
	    arena_json(r->arena, json_pack("{s:I}", "id", (json_int_t)id)));
}

void
reply_json_list(struct request *r, struct response *res, store_json_list lookup)
{
	const char    *json;
	enum db_status st = lookup(&r->store, &json);

	reply_json_result(r, res, st, json);
}

bool
reply_lookup_failed(struct request *r, struct response *res, enum db_status st,
                    const char *field, const char *missing)
{
	if (st == DB_OK)
		return false;
	if (st == DB_NOT_FOUND)
		reply_invalid_field(r, res, field, missing);
	else
		reply_db_error(r, res, st);
	return true;
}

bool
reply_fields(struct request *r, struct response *res, json_t *fields)
{
	if (json_object_size(fields) == 0) {
		arena_json(r->arena, fields);
		return false;
	}
	http_error_full(r, res, 400, "validation_failed",
	                "De invoer klopt niet.", fields, NULL);
	return true;
}

void
clear_session_cookie(struct request *r, struct response *res)
{
	http_header_add(r, res, "Set-Cookie",
	                r->https
	                    ? "__Host-session=; HttpOnly; SameSite=Strict; "
	                      "Path=/; Max-Age=0; Secure"
	                    : "session=; HttpOnly; SameSite=Strict; Path=/; "
	                      "Max-Age=0");
}

void
reply_invalid_field(struct request *r, struct response *res, const char *field,
                    const char *reason)
{
	json_t *fields = json_object();

	json_object_set_new(fields, field, json_string(reason));
	http_error_full(r, res, 400, "validation_failed",
	                "De invoer klopt niet.", fields, NULL);
}

bool
handler_slug_valid(const char *s)
{
	return validate_slug(s);
}

const char *
handler_rfc3339(struct arena *a, long long t)
{
	time_t    tt = (time_t)t;
	struct tm tm;
	char      buf[32];

	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strdup(a, buf);
}

/* YYYY-MM-DD naming a real day, between 2000 and 2100. */
bool
handler_date_valid(const char *s)
{
	struct tm tm = {0};
	int       y, m, d;
	time_t    t;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	return tm.tm_mday == d && tm.tm_mon == m - 1;
}

bool
handler_email_field(struct request *r, json_t *fields, const char **email,
                    char *canonical)
{
	enum email_check ec = EMAIL_INVALID;

	if (json_get_string(r->json, "email", 3, EMAIL_MAX, email) ==
	    JSON_FIELD_OK)
		ec = email_canonical(*email, canonical);
	if (ec == EMAIL_OK)
		return true;
	json_object_set_new(fields, "email", json_string(email_problem(ec)));
	return false;
}

void
handler_audit(struct request *r, const char *action, const char *target,
              const char *details)
{
	/* Only names the line: worker.c writes it for every successful write,
	 * whether or not the handler called this. */
	r->audit.action = action;
	r->audit.target = target;
	r->audit.details = details;
}

void
handler_audit_on(struct request *r, const char *action, const char *kind,
                 long long id, const char *details_fmt, ...)
{
	const char *details = NULL;
	va_list     ap;

	if (details_fmt != NULL) {
		va_start(ap, details_fmt);
		details = arena_vprintf(r->arena, details_fmt, ap);
		va_end(ap);
	}
	handler_audit(r, action, arena_printf(r->arena, "%s:%lld", kind, id),
	              details);
}

bool
handler_text_field(struct request *r, json_t *fields, const char *key,
                   size_t max, const char *missing, const char **out)
{
	if (json_get_string(r->json, key, 1, max, out) == JSON_FIELD_OK &&
	    validate_plain_text(*out))
		return true;
	json_object_set_new(fields, key, json_string(missing));
	return false;
}

bool
handler_password_field(struct request *r, json_t *fields, const char **password)
{
	const char *problem;

	if (json_get_string(r->json, "password", 0, AUTH_PASSWORD_MAX * 4,
	                    password) != JSON_FIELD_OK)
		problem = "Kies een wachtwoord.";
	else
		problem = auth_password_problem(*password);
	if (problem == NULL)
		return true;
	json_object_set_new(fields, "password", json_string(problem));
	return false;
}
