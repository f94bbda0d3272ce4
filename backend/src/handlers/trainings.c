/* In-person trainings: sessions and attendance by a trainer; a pass issues
 * the module's certificate (api.md). */
#include "handlers.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "../json.h"
#include "../store/store.h"
#include "../validate.h"

#define ATTENDEES_MAX 500

void
trainings_create(struct request *r, struct response *res)
{
	const char    *title, *slug, *date, *location;
	json_t        *fields = json_object(), *body;
	long long      id;
	enum db_status st;

	if (json_get_string(r->json, "title", 1, 200, &title) !=
	        JSON_FIELD_OK ||
	    !validate_plain_text(title))
		json_object_set_new(fields, "title",
		                    json_string("Geef de training een titel."));
	if (json_get_string(r->json, "module_slug", 1, 64, &slug) !=
	        JSON_FIELD_OK ||
	    !handler_slug_valid(slug))
		json_object_set_new(fields, "module_slug",
		                    json_string("Kies een module."));
	if (json_get_string(r->json, "date", 10, 10, &date) != JSON_FIELD_OK ||
	    !handler_date_valid(date))
		json_object_set_new(
		    fields, "date",
		    json_string("Geef een datum als JJJJ-MM-DD."));
	if (json_get_string(r->json, "location", 1, 200, &location) !=
	        JSON_FIELD_OK ||
	    !validate_plain_text(location))
		json_object_set_new(fields, "location",
		                    json_string("Vul de locatie in."));
	if (reply_fields(r, res, fields))
		return;
	st = store_training_create(r, title, slug, date, location, &id);
	if (st == DB_NOT_FOUND) {
		reply_invalid_field(r, res, "module_slug",
		                    "Deze module bestaat niet.");
		return;
	}
	if (st == DB_CONFLICT) {
		http_error_full(
		    r, res, 422, "module_not_in_person",
		    "Deze module wordt online gedaan, met een toets: "
		    "een training kan er geen certificaat voor geven.",
		    json_pack("{s:s}", "module_slug",
		              "Kies een module die in persoon wordt "
		              "gegeven."),
		    NULL);
		return;
	}
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	body = json_pack("{s:I}", "id", (json_int_t)id);
	http_json(r, res, 201, body);
	json_decref(body);
}

void
trainings_list(struct request *r, struct response *res)
{
	const char    *json;
	enum db_status st = store_training_list_json(r, &json);

	reply_json_result(r, res, st, json);
}

/* The training of the path, which only its trainer may see or change. */
static bool
own_training(struct request *r, struct response *res, long long *id,
             long long *module_id)
{
	long long      trainer_id;
	enum db_status st;

	if (!handler_id(r->params[0], id)) {
		http_error(r, res, 404, "not_found",
		           "Deze training bestaat niet.");
		return false;
	}
	st = store_training_owner(r, *id, &trainer_id, module_id);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return false;
	}
	if (trainer_id != r->user->id) {
		http_error(r, res, 403, "forbidden",
		           "Alleen de trainer van deze sessie mag dit doen.");
		return false;
	}
	return true;
}

void
trainings_get(struct request *r, struct response *res)
{
	long long      id, module_id;
	const char    *json;
	enum db_status st;

	if (!own_training(r, res, &id, &module_id))
		return;
	st = store_training_get_json(r, id, &json);
	reply_json_result(r, res, st, json);
}

static bool
parse_passed(const char *s, bool *out)
{
	static const char *const yes[] = {"ja", "true", "1", "yes", "geslaagd"};
	static const char *const no[] = {"nee", "false", "0", "no",
	                                 "niet geslaagd"};

	for (size_t i = 0; i < 5; i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return (*out = true);
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

/* Reads "email,passed" lines (',' or ';', a header line first) into the
 * arrays; on a bad line answers 400 with its number and returns -1. */
static int
parse_csv(struct request *r, struct response *res, const char **emails,
          bool *passed, size_t *n)
{
	char *text =
	    arena_strndup(r->arena, r->body ? r->body : "", r->body_len);
	char    *line, *save = NULL;
	unsigned lineno = 0;
	json_t  *errors = json_array();

	*n = 0;
	if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char  *sep, *email, *flag;
		size_t len;

		lineno++;
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (lineno == 1 || len == 0)
			continue; /* the header, or a blank line */
		sep = strpbrk(line, ",;");
		if (sep == NULL) {
			json_array_append_new(
			    errors,
			    json_pack("{s:i, s:s}", "line", lineno, "message",
			              "verwacht e-mail en geslaagd, gescheiden "
			              "door een komma"));
			continue;
		}
		*sep = '\0';
		email = line;
		flag = sep + 1;
		for (char *p = email; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		while (*flag == ' ' || *flag == '"')
			flag++;
		for (char *e = flag + strlen(flag);
		     e > flag && (e[-1] == ' ' || e[-1] == '"');)
			*--e = '\0';
		if (!validate_email(email) || *n >= ATTENDEES_MAX ||
		    !parse_passed(flag, &passed[*n])) {
			json_array_append_new(
			    errors,
			    json_pack(
			        "{s:i, s:s}", "line", lineno, "message",
			        "ongeldig e-mailadres of geslaagd (ja/nee)"));
			continue;
		}
		emails[(*n)++] = email;
	}
	if (json_array_size(errors) > 0 || *n == 0) {
		if (json_array_size(errors) == 0)
			json_array_append_new(
			    errors,
			    json_pack("{s:i, s:s}", "line", 1, "message",
			              "geen deelnemers in het bestand"));
		http_error_full(
		    r, res, 400, "validation_failed",
		    "De lijst is niet ingelezen: er is niets veranderd.", NULL,
		    errors);
		return -1;
	}
	json_decref(errors);
	return 0;
}

static int
parse_json(struct request *r, struct response *res, const char **emails,
           bool *passed, size_t *n)
{
	const char *why;
	json_t     *doc, *list, *a;
	size_t      i;

	doc = json_parse_object(r->arena, r->body, r->body_len, &why);
	if (doc == NULL) {
		http_error(r, res, 400, "invalid_json",
		           arena_printf(r->arena, "Ongeldige JSON: %s", why));
		return -1;
	}
	list = json_object_get(doc, "attendees");
	if (!json_is_array(list) || json_array_size(list) == 0 ||
	    json_array_size(list) > ATTENDEES_MAX) {
		reply_invalid_field(r, res, "attendees",
		                    "Geef 1 tot 500 deelnemers op.");
		return -1;
	}
	*n = 0;
	json_array_foreach (list, i, a) {
		const char *email =
		    json_string_value(json_object_get(a, "email"));
		json_t *p = json_object_get(a, "passed");

		if (email == NULL || !validate_email(email) ||
		    !json_is_boolean(p)) {
			reply_invalid_field(
			    r, res, "attendees",
			    arena_printf(r->arena,
			                 "Deelnemer %zu heeft geen geldig "
			                 "e-mailadres of geen "
			                 "passed (true/false).",
			                 i + 1));
			return -1;
		}
		emails[*n] = arena_strdup(r->arena, email);
		for (char *c = (char *)emails[*n]; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		passed[(*n)++] = json_is_true(p);
	}
	return 0;
}

void
trainings_attendance(struct request *r, struct response *res)
{
	const char **emails =
	    arena_alloc(r->arena, ATTENDEES_MAX * sizeof(char *));
	bool     *passed = arena_alloc(r->arena, ATTENDEES_MAX * sizeof(bool));
	long long id, module_id, refused;
	struct store_attendance_counts counts;
	size_t                         n = 0;
	json_t                        *body;
	enum db_status                 st;
	int                            rc;

	if (!own_training(r, res, &id, &module_id))
		return;
	if (http_is_json_type(r->content_type))
		rc = parse_json(r, res, emails, passed, &n);
	else if (http_is_type(r->content_type, "text/csv"))
		rc = parse_csv(r, res, emails, passed, &n);
	else {
		http_error(r, res, 415, "unsupported_media_type",
		           "Stuur JSON of CSV (email,passed).");
		return;
	}
	if (rc != 0)
		return;
	st = store_attendance_record(r, id, module_id, emails, passed, n,
	                             &refused, &counts);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	if (refused >= 0) {
		http_error(
		    r, res, 403, "forbidden",
		    arena_printf(
		        r->arena,
		        "%s staat niet op de personeelslijst van een bestuur "
		        "waarvoor je bent aangewezen; er is niets vastgelegd.",
		        emails[refused]));
		return;
	}
	handler_audit(
	    r, "attendance", arena_printf(r->arena, "training:%lld", id),
	    arena_printf(r->arena,
	                 "{\"recorded\":%zu,"
	                 "\"certificates_issued\":%lld,\"pending\":%lld}",
	                 n, counts.issued, counts.pending));
	body = json_pack("{s:I, s:I, s:I}", "recorded", (json_int_t)n,
	                 "certificates_issued", (json_int_t)counts.issued,
	                 "pending", (json_int_t)counts.pending);
	http_json(r, res, 200, body);
	json_decref(body);
}
