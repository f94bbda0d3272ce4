/* Course modules: list with progress, detail, section progress, attempts. */
#include "handlers.h"

#include <stdlib.h>

#include "../json.h"
#include "../log.h"
#include "../quiz.h"
#include "../store/store.h"

static void decref_cb(void *p);

static void
decref_cb(void *p)
{
	json_decref(p);
}

void
modules_list(struct request *r, struct response *res)
{
	const char    *json;
	enum db_status st = store_modules_list_json(r, &json);

	reply_json_result(r, res, st, json);
}

void
modules_get(struct request *r, struct response *res)
{
	const char    *page;
	enum db_status st;

	if (!handler_slug_valid(r->params[0])) {
		http_error(r, res, 404, "not_found", "Deze module bestaat niet.");
		return;
	}
	st = store_module_detail(r, r->params[0], &page);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	http_json_text(r, res, 200, page);
}

void
modules_section_done(struct request *r, struct response *res)
{
	enum db_status st;

	if (!handler_slug_valid(r->params[0]) || !handler_slug_valid(r->params[1])) {
		http_error(r, res, 404, "not_found", "Dit onderdeel bestaat niet.");
		return;
	}
	st = store_section_done(r, r->params[0], r->params[1]);
	if (st == DB_CONFLICT) {
		http_error(r, res, 409, "conflict",
		           "Dit onderdeel is een rollenspel: het telt als klaar "
		           "zodra je het tot het einde hebt gespeeld.");
		return;
	}
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	http_no_content(res);
}

void
modules_attempt(struct request *r, struct response *res)
{
	struct quiz_key    key;
	struct quiz_result result;
	struct certificate cert;
	const char        *problem, *answers_text;
	json_t            *key_json, *answers, *body;
	enum db_status     st;
	bool               passed;

	if (!handler_slug_valid(r->params[0])) {
		http_error(r, res, 404, "not_found", "Deze module bestaat niet.");
		return;
	}
	answers = json_object_get(r->json, "answers");
	if (!json_is_object(answers)) {
		reply_invalid_field(r, res, "answers",
		                    "Verwacht een object met de antwoorden per vraag.");
		return;
	}
	st = store_quiz_key(r, r->params[0], &key);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	if (key.sections_missing > 0) {
		http_error(r, res, 409, "sections_incomplete",
		           "Rond eerst alle onderdelen van de module af.");
		return;
	}
	key_json = json_loads(key.key_json, 0, NULL);
	if (key_json == NULL) {
		log_error("modules: quiz key of %s is not JSON", r->params[0]);
		return;
	}
	arena_on_reset(r->arena, decref_cb, key_json);
	if (quiz_score(key_json, answers, &result, &problem) != 0) {
		reply_invalid_field(r, res, "answers", problem);
		return;
	}
	arena_on_reset(r->arena, decref_cb, result.feedback);
	passed = result.score >= key.pass_mark;
	answers_text = json_dump_arena(r->arena, answers);
	st = store_attempt_record(r, &key, result.score, passed, answers_text,
	                          &cert);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	body = json_pack("{s:i, s:i, s:b, s:o, s:O}", "score", result.score,
	                 "pass_mark", key.pass_mark, "passed", passed,
	                 "certificate",
	                 cert.code == NULL
	                     ? json_null()
	                     : json_pack("{s:s, s:s, s:s}", "code", cert.code,
	                                 "issued_at", cert.issued_at,
	                                 "expires_at", cert.expires_at),
	                 "feedback", result.feedback);
	http_json(r, res, 200, body);
	json_decref(body);
}
