/* In-person trainings: sessions and attendance by a trainer; a pass issues
 * the module's certificate (api.md). */
#include "handlers.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "../csvin.h"
#include "../errlist.h"
#include "../json.h"
#include "../store/store.h"
#include "../validate.h"

#define ATTENDEES_MAX 500

void
trainings_create(struct request *r, struct response *res)
{
	const char    *title, *slug, *date, *location;
	json_t        *fields = json_object();
	long long      id;
	enum db_status st;

	handler_text_field(r, fields, "title", 200,
	                   "Geef de training een titel.", &title);
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
	handler_text_field(r, fields, "location", 200, "Vul de locatie in.",
	                   &location);
	if (reply_fields(r, res, fields))
		return;
	st = store_training_create(&r->store, title, slug, date, location, &id);
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
	reply_created(r, res, st, id);
}

void
trainings_list(struct request *r, struct response *res)
{
	reply_json_list(r, res, store_training_list_json);
}

void
trainings_get(struct request *r, struct response *res)
{
	reply_json_by_id(r, res, store_training_get_json, r->param.training);
}

/* What a trainer can judge: the criteria ids of the training's module. */
struct judging {
	const char **ids;
	size_t       n;
	int          version;
};

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

/* State of reading one attendance CSV. */
struct attendance_csv {
	struct request        *r;
	struct store_attendee *att;
	size_t                *n;
	struct errlist        *errs;
	bool                   header_done;
};

/* One "email[,passed]" record; the first record is the header. */
static int
attendance_record(struct csvin_record *rec, void *data)
{
	struct attendance_csv *st = data;
	char  *email = rec->n_kept > 0 ? csvin_trim(rec->field[0]) : "";
	char  *flag = rec->n_kept > 1 ? csvin_trim(rec->field[1]) : "";
	char   canonical[EMAIL_MAX + 1];
	bool   passed = false;
	size_t i = *st->n;

	if (csvin_record_empty(rec))
		return 0;
	if (!st->header_done) {
		/* A file without its header would lose its first attendee
		 * silently: say what the first line must be. */
		st->header_done = true;
		if (strcasecmp(email, "email") != 0 || rec->n_fields > 2 ||
		    (rec->n_kept > 1 && strcasecmp(flag, "passed") != 0))
			errlist_add(
			    st->errs, NULL, rec->line, 0,
			    "de eerste regel moet de kop email zijn (of "
			    "email,passed), daarna een deelnemer per regel");
		return 0;
	}
	if (rec->has_nul || rec->n_fields > 2 ||
	    email_canonical(email, canonical) != EMAIL_OK ||
	    i >= ATTENDEES_MAX ||
	    (*flag != '\0' && !parse_passed(flag, &passed))) {
		errlist_add(st->errs, NULL, rec->line, 0,
		            "ongeldig e-mailadres, of geslaagd is niet leeg of "
		            "nee");
		return 0;
	}
	if (passed) {
		errlist_add(st->errs, NULL, rec->line, 0,
		            "een CSV-bestand legt alleen aanwezigheid vast: "
		            "geslaagd kan alleen met een beoordeling van alle "
		            "criteria (in het formulier)");
		return 0;
	}
	st->att[i].email = arena_strdup(st->r->arena, canonical);
	st->att[i].passed = false;
	st->att[i].criteria = NULL;
	(*st->n)++;
	return 0;
}

static void
attendance_csv_error(unsigned line, const char *message, void *data)
{
	struct attendance_csv *st = data;

	errlist_add(st->errs, NULL, line, 0, "%s", message);
}

/*
 * Reads "email[,passed]" records (',' or ';', a header record first) with
 * csvin into the attendees; on a bad record answers 400 with its line and
 * returns -1.  A file has no criteria, so it records presence only:
 * "passed" may be empty or no, and a yes is refused (a pass needs every
 * criterion judged, in the form or as JSON).
 */
static int
parse_csv(struct request *r, struct response *res, struct store_attendee *att,
          size_t *n)
{
	const char           *text = r->body != NULL ? r->body : "";
	size_t                len = r->body_len;
	struct errlist       *errs = errlist_in_arena(r->arena);
	struct attendance_csv st = {r, att, n, errs, false};
	struct csvin_reader   reader = {
	      /* A header of "email" alone names no delimiter: an email holds
             * neither, so any ';' in the file is one. */
	      .delim = memchr(text, ';', len) != NULL ? ';' : ',',
	      .max_fields = 3,
	      .record = attendance_record,
	      .error = attendance_csv_error,
	      .data = &st,
        };

	*n = 0;
	if (csvin_bom(text, len) == CSVIN_BOM_UTF8) {
		text += CSVIN_UTF8_BOM_LEN;
		len -= CSVIN_UTF8_BOM_LEN;
	}
	csvin_read(&reader, text, len);
	if (errlist_total(errs) == 0 && *n == 0)
		errlist_add(errs, NULL, 1, 0, "geen deelnemers in het bestand");
	if (errlist_total(errs) > 0) {
		http_error_full(
		    r, res, 400, "validation_failed",
		    "De lijst is niet ingelezen: er is niets veranderd.", NULL,
		    errlist_json(errs));
		return -1;
	}
	return 0;
}

static bool
criterion_known(const struct judging *jd, const char *id)
{
	for (size_t i = 0; i < jd->n; i++)
		if (strcmp(jd->ids[i], id) == 0)
			return true;
	return false;
}

/*
 * One attendee's judgement: criteria (id -> true/false, ids of the module)
 * and passed (optional).  Passed is true exactly when every criterion is
 * judged and met; a passed that says otherwise is refused.  Without
 * criteria the attendee is recorded as present, not passed.  Answers 400
 * naming the field and returns false on a bad judgement.
 */
static bool
parse_judgement(struct request *r, struct response *res,
                const struct judging *jd, size_t i, json_t *a,
                struct store_attendee *out)
{
	json_t     *crit = json_object_get(a, "criteria");
	json_t     *p = json_object_get(a, "passed"), *v;
	const char *key;
	size_t      met = 0;
	bool        all_met;

	if (p != NULL && !json_is_boolean(p)) {
		reply_invalid_field(
		    r, res, arena_printf(r->arena, "attendees[%zu].passed", i),
		    arena_printf(r->arena,
		                 "Deelnemer %zu: geslaagd is true of false.",
		                 i + 1));
		return false;
	}
	if (crit != NULL && !json_is_object(crit)) {
		reply_invalid_field(
		    r, res,
		    arena_printf(r->arena, "attendees[%zu].criteria", i),
		    arena_printf(r->arena,
		                 "Deelnemer %zu: geef de criteria als "
		                 "{\"criterium\": true of false}.",
		                 i + 1));
		return false;
	}
	json_object_foreach (crit, key, v) {
		/* An id we do not know is named only when it looks like one. */
		bool shaped = strlen(key) <= 32 && handler_slug_valid(key);
		const char *field =
		    shaped
		        ? arena_printf(r->arena, "attendees[%zu].criteria.%s",
		                       i, key)
		        : arena_printf(r->arena, "attendees[%zu].criteria", i);

		if (!criterion_known(jd, key)) {
			reply_invalid_field(
			    r, res, field,
			    arena_printf(r->arena,
			                 "Deelnemer %zu: %s%s%s is geen "
			                 "criterium van deze module.",
			                 i + 1, shaped ? "\"" : "",
			                 shaped ? key : "dit",
			                 shaped ? "\"" : ""));
			return false;
		}
		if (!json_is_boolean(v)) {
			reply_invalid_field(
			    r, res, field,
			    arena_printf(
			        r->arena,
			        "Deelnemer %zu: criterium \"%s\" is "
			        "true (behaald) of false (niet behaald).",
			        i + 1, key));
			return false;
		}
		met += json_is_true(v);
	}
	/* Keys are unique and known, so n met means all n are judged true. */
	all_met = crit != NULL && jd->n > 0 && met == jd->n;
	if (p != NULL && json_is_true(p) != all_met) {
		const char *why =
		    json_is_true(p)
		        ? (json_object_size(crit) == 0
		               ? "is niet geslaagd zonder beoordeling: "
		                 "beoordeel eerst alle criteria"
		               : "is niet geslaagd: niet alle criteria zijn "
		                 "beoordeeld en behaald")
		        : "heeft alle criteria behaald en is dus geslaagd";

		reply_invalid_field(
		    r, res, arena_printf(r->arena, "attendees[%zu].passed", i),
		    arena_printf(r->arena, "Deelnemer %zu (%s) %s.", i + 1,
		                 out->email, why));
		return false;
	}
	out->passed = all_met;
	out->criteria =
	    json_object_size(crit) > 0 ? json_dump_arena(r->arena, crit) : NULL;
	return true;
}

static int
parse_json(struct request *r, struct response *res, const struct judging *jd,
           struct store_attendee *att, size_t *n)
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
		char *lower;

		if (email == NULL || !validate_email(email)) {
			reply_invalid_field(
			    r, res,
			    arena_printf(r->arena, "attendees[%zu].email", i),
			    arena_printf(r->arena,
			                 "Deelnemer %zu heeft geen geldig "
			                 "e-mailadres.",
			                 i + 1));
			return -1;
		}
		lower = arena_strdup(r->arena, email);
		for (char *c = lower; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		att[*n].email = lower;
		if (!parse_judgement(r, res, jd, i, a, &att[*n]))
			return -1;
		(*n)++;
	}
	return 0;
}

void
trainings_attendance(struct request *r, struct response *res)
{
	struct store_attendee *att =
	    arena_alloc(r->arena, ATTENDEES_MAX * sizeof(*att));
	struct judging jd = {0};
	long long      id = r->param.training, module_id, refused;
	struct store_attendance_counts counts;
	size_t                         n = 0, passed = 0;
	bool                           in_person, held;
	json_t                        *body;
	enum db_status                 st;
	int                            rc;

	/* worker.c has checked that the caller gives this training.  One made
	 * before the in-person rule, for an online module, certifies nobody;
	 * nor does one that has not been held yet. */
	st = store_training_recordable(&r->store, id, &module_id, &in_person,
	                               &held);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	if (!in_person) {
		http_error(r, res, 409, "module_not_in_person",
		           "Deze sessie hoort bij een online module; "
		           "aanwezigheid telt daar niet.");
		return;
	}
	if (!held) {
		http_error(r, res, 409, "training_not_held",
		           "Deze training is nog niet gegeven. Leg de "
		           "aanwezigheid vast op of na de trainingsdag.");
		return;
	}
	st = store_training_criteria(&r->store, module_id, &jd.version, &jd.ids,
	                             &jd.n);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	if (http_is_json_type(r->content_type))
		rc = parse_json(r, res, &jd, att, &n);
	else if (http_is_type(r->content_type, "text/csv"))
		rc = parse_csv(r, res, att, &n);
	else {
		http_error(r, res, 415, "unsupported_media_type",
		           "Stuur JSON of CSV (email,passed).");
		return;
	}
	if (rc != 0)
		return;
	st = store_attendance_record(&r->store, id, module_id, jd.version, att,
	                             n, &refused, &counts);
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
		        att[refused].email));
		return;
	}
	for (size_t i = 0; i < n; i++)
		passed += att[i].passed;
	handler_audit_on(r, "attendance", "training", id,
	                 "{\"recorded\":%zu,\"passed\":%zu,"
	                 "\"certificates_issued\":%lld,\"pending\":%lld}",
	                 n, passed, counts.issued, counts.pending);
	body =
	    arena_json(r->arena, json_pack("{s:I, s:I, s:I}", "recorded",
	                                   (json_int_t)n, "certificates_issued",
	                                   (json_int_t)counts.issued, "pending",
	                                   (json_int_t)counts.pending));
	http_json(r, res, 200, body);
}
