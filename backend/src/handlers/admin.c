/* Administration: regions, boards, schools, accounts, trainer-board links
 * and join codes.  Routes are admin-only except the join code, which a
 * board admin may rotate for the board's own schools. */
#include "handlers.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../auth.h"
#include "../json.h"
#include "../log.h"
#include "../store/store.h"
#include "../validate.h"

static bool optional_id(const json_t *obj, const char *key, long long *out);
static bool board_missing(struct request *r, struct response *res,
                          long long board_id);
static bool region_missing(struct request *r, struct response *res,
                           long long region_id);

/* Reads an optional positive integer id; false when present but invalid. */
static bool
optional_id(const json_t *obj, const char *key, long long *out)
{
	json_t *v = json_object_get(obj, key);

	*out = 0;
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return false;
	*out = json_integer_value(v);
	return true;
}

/* The board or region a body names must exist: true when it answered. */
static bool
board_missing(struct request *r, struct response *res, long long board_id)
{
	return reply_lookup_failed(r, res,
	                           store_board_exists(&r->store, board_id),
	                           "board_id", "Dit bestuur bestaat niet.");
}

static bool
region_missing(struct request *r, struct response *res, long long region_id)
{
	return reply_lookup_failed(r, res,
	                           store_region_exists(&r->store, region_id),
	                           "region_id", "Deze regio bestaat niet.");
}

void
admin_region_create(struct request *r, struct response *res)
{
	const char    *name;
	json_t        *fields = json_object();
	long long      id;
	enum db_status st;

	handler_text_field(r, fields, "name", 200, "Geef de regio een naam.",
	                   &name);
	if (reply_fields(r, res, fields))
		return;
	st = store_region_create(&r->store, name, &id);
	reply_created(r, res, st, id);
}

void
admin_board_create(struct request *r, struct response *res)
{
	const char    *name, *number = NULL;
	char           numbuf[24];
	json_t        *num = json_object_get(r->json, "number");
	json_t        *fields = json_object();
	long long      region_id, id;
	enum db_status st;

	handler_text_field(r, fields, "name", 200, "Geef het bestuur een naam.",
	                   &name);
	if (reply_fields(r, res, fields))
		return;
	/* DUO's BEVOEGD GEZAG NUMMER, as a number or as text of digits. */
	if (json_is_integer(num) && json_integer_value(num) > 0) {
		snprintf(numbuf, sizeof(numbuf), "%lld",
		         (long long)json_integer_value(num));
		number = numbuf;
	} else if (json_is_string(num) && json_string_length(num) >= 1 &&
	           json_string_length(num) <= 16) {
		number = json_string_value(num);
		for (const char *p = number; *p; p++)
			if (!isdigit((unsigned char)*p))
				number = NULL;
	} else if (num == NULL || json_is_null(num)) {
		number = NULL;
		num = NULL;
	}
	if (num != NULL && number == NULL) {
		reply_invalid_field(r, res, "number",
		                    "Het bestuursnummer bestaat uit cijfers.");
		return;
	}
	if (!optional_id(r->json, "region_id", &region_id)) {
		reply_invalid_field(r, res, "region_id", "Ongeldige regio.");
		return;
	}
	if (region_id != 0 && region_missing(r, res, region_id))
		return;
	st = store_board_create(&r->store, name, number, region_id, &id);
	reply_created(r, res, st, id);
}

void
admin_school_create(struct request *r, struct response *res)
{
	const char    *name, *brin, *municipality;
	char           code[AUTH_JOIN_CODE_LEN + 1];
	json_t        *fields = json_object(), *body;
	long long      board_id, id;
	enum db_status st;

	if (!optional_id(r->json, "board_id", &board_id) || board_id == 0)
		json_object_set_new(fields, "board_id",
		                    json_string("Kies een bestuur."));
	handler_text_field(r, fields, "name", 200, "Geef de school een naam.",
	                   &name);
	if (json_get_string(r->json, "brin", 6, 6, &brin) != JSON_FIELD_OK ||
	    !validate_brin(brin))
		json_object_set_new(fields, "brin",
		                    json_string("Een vestigingscode is vier "
		                                "tekens BRIN en twee cijfers, "
		                                "bijvoorbeeld 32JK00."));
	handler_text_field(r, fields, "municipality", 200,
	                   "Vul de gemeente in.", &municipality);
	if (reply_fields(r, res, fields) || board_missing(r, res, board_id))
		return;
	auth_join_code(code);
	st = store_school_create(&r->store, board_id, name, brin, municipality,
	                         code, &id);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	body =
	    arena_json(r->arena, json_pack("{s:I, s:s}", "id", (json_int_t)id,
	                                   "join_code", code));
	http_json(r, res, 201, body);
}

void
admin_user_create(struct request *r, struct response *res)
{
	static const char *const roles[] = {"board_admin", "region_viewer",
	                                    "trainer", "admin"};
	const char              *email, *name, *role = NULL, *password;
	char           hash[crypto_pwhash_STRBYTES], canonical[EMAIL_MAX + 1];
	json_t        *fields = json_object();
	long long      board_id = 0, region_id = 0, id;
	enum db_status st;
	bool           role_ok = false;

	handler_email_field(r, fields, &email, canonical);
	handler_text_field(r, fields, "name", 200, "Vul een naam in.", &name);
	if (json_get_string(r->json, "role", 1, 32, &role) == JSON_FIELD_OK)
		for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
			role_ok |= strcmp(role, roles[i]) == 0;
	if (!role_ok)
		json_object_set_new(
		    fields, "role",
		    json_string(
		        "Kies board_admin, region_viewer, trainer of admin; "
		        "leerkrachten "
		        "en IB'ers registreren zich met de schoolcode."));
	handler_password_field(r, fields, &password);
	if (!optional_id(r->json, "board_id", &board_id))
		json_object_set_new(fields, "board_id",
		                    json_string("Ongeldig bestuur."));
	if (!optional_id(r->json, "region_id", &region_id))
		json_object_set_new(fields, "region_id",
		                    json_string("Ongeldige regio."));
	if (role_ok && strcmp(role, "board_admin") == 0 && board_id == 0)
		json_object_set_new(
		    fields, "board_id",
		    json_string("Een bestuursaccount hoort bij een bestuur."));
	if (role_ok && strcmp(role, "region_viewer") == 0 && region_id == 0)
		json_object_set_new(
		    fields, "region_id",
		    json_string("Een regio-account hoort bij een regio."));
	if (reply_fields(r, res, fields))
		return;
	/* Only the scope that fits the role is kept. */
	if (strcmp(role, "board_admin") != 0)
		board_id = 0;
	if (strcmp(role, "region_viewer") != 0)
		region_id = 0;
	if ((board_id && board_missing(r, res, board_id)) ||
	    (region_id && region_missing(r, res, region_id)))
		return;
	if (auth_password_hash(password, hash) != 0) {
		log_error("admin: password hashing failed");
		return;
	}
	st = store_user_create(&r->store, email, canonical, name, hash, role,
	                       board_id, region_id, &id);
	sodium_memzero(hash, sizeof(hash));
	if (st == DB_CONFLICT) {
		http_error(r, res, 409, "conflict",
		           "Er bestaat al een account met dit e-mailadres.");
		return;
	}
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	handler_audit_on(r, "account_create", "user", id, "{\"role\":\"%s\"}",
	                 role);
	reply_created(r, res, st, id);
}

void
admin_trainer_board(struct request *r, struct response *res)
{
	long long      trainer_id = r->param.trainer, board_id;
	enum db_status st;

	if (!optional_id(r->json, "board_id", &board_id) || board_id == 0) {
		reply_invalid_field(r, res, "board_id", "Kies een bestuur.");
		return;
	}
	if (board_missing(r, res, board_id))
		return;
	st = store_trainer_board_link(&r->store, trainer_id, board_id);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	handler_audit_on(r, "trainer_board_link", "user", trainer_id,
	                 "{\"board_id\":%lld}", board_id);
	http_no_content(res);
}

void
admin_school_join_code(struct request *r, struct response *res)
{
	char           code[AUTH_JOIN_CODE_LEN + 1];
	long long      school_id = r->param.school;
	json_t        *body;
	enum db_status st;

	auth_join_code(code);
	st = store_school_set_join_code(&r->store, school_id, code);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	handler_audit_on(r, "join_code_rotate", "school", school_id, NULL);
	body = arena_json(r->arena, json_pack("{s:s}", "join_code", code));
	http_json(r, res, 200, body);
}

void
admin_region_list(struct request *r, struct response *res)
{
	const char *json;
	long long   only =
            strcmp(r->user->role, "admin") == 0 ? 0 : r->user->region_id;
	enum db_status st = store_region_list_json(&r->store, only, &json);

	reply_json_result(r, res, st, json);
}

void
admin_board_list(struct request *r, struct response *res)
{
	reply_json_list(r, res, store_board_list_json);
}
