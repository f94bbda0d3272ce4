/* Course modules: list with progress, detail, section progress, attempts. */
#include "handlers.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../json.h"
#include "../log.h"
#include "../module_page.h"
#include "../quiz.h"
#include "../user.h"
#include "../store/store.h"
#include "../worker.h"

/* The worker's entry of a module at version; loaded and kept on a miss
 * (then at the version the database has now). */
static const struct module_list_entry *
cached_list_entry(struct request *r, long long id, int version,
                  enum db_status *st)
{
	struct module_list_cache       *cache = &r->worker->module_list;
	const struct module_list_entry *e =
	    module_list_cache_find(cache, id, version);
	const char *head, *sections;

	if (e != NULL)
		return e;
	*st =
	    store_module_list_entry(&r->store, id, &version, &head, &sections);
	if (*st != DB_OK)
		return NULL;
	e = module_list_cache_add(cache, id, version, head, sections);
	if (e == NULL)
		*st = DB_ERROR;
	return e;
}

/* The caller's list from the store's texts and the worker's entries; NULL
 * with *st set when an entry cannot be had.  Each module is rendered before
 * the next entry is asked for, which may recycle it. */
static const char *
list_text(struct request *r, const struct store_modules_mine *mine,
          enum db_status *st)
{
	char      **items;
	const char *p = mine->modules;
	size_t      n = 0, cap = 1;

	for (const char *c = p; c != NULL && *c != '\0'; c++)
		cap += *c == ',';
	items = arena_alloc(r->arena, cap * sizeof(*items));
	while (p != NULL && *p != '\0' && n < cap) {
		const struct module_list_entry *e;
		struct module_list_progress     progress;
		char                           *end;
		long long                       id = strtoll(p, &end, 10);
		long version = *end == ' ' ? strtol(end + 1, &end, 10) : 0;

		if (version <= 0 || version > INT_MAX ||
		    (*end != ',' && *end != '\0')) {
			log_error("modules: the list's module text is not "
			          "\"id version\"");
			*st = DB_ERROR;
			return NULL;
		}
		e = cached_list_entry(r, id, (int)version, st);
		if (e == NULL)
			return NULL;
		module_list_progress(r->arena, e, mine->done,
		                     mine->certificates, &progress);
		items[n++] = module_list_item(r->arena, e, &progress);
		p = *end == ',' ? end + 1 : NULL;
	}
	return module_list_join(r->arena, items, n);
}

void
modules_list(struct request *r, struct response *res)
{
	struct store_modules_mine mine;
	struct user               me;
	const char               *json = NULL;
	enum db_status st = store_modules_list_mine(&r->store, &me, &mine);

	if (!handler_caller(r, res, st, &me))
		return;
	json = list_text(r, &mine, &st);
	if (st == DB_OK && json == NULL)
		st = DB_ERROR;
	reply_json_result(r, res, st, json);
}

/* The worker's page of a module version; loaded and kept on a miss, so a
 * warm worker reads only the caller's part. */
static const struct module_page *
cached_page(struct request *r, const char *slug, int version,
            enum db_status *st)
{
	const struct module_page *page =
	    module_page_cache_find(&r->worker->module_pages, slug, version);
	const char *content;

	if (page != NULL)
		return page;
	*st = store_module_content(&r->store, slug, &version, &content);
	if (*st != DB_OK)
		return NULL;
	page = module_page_cache_add(&r->worker->module_pages, slug, version,
	                             content);
	if (page == NULL)
		*st = DB_ERROR;
	return page;
}

/*
 * A page goes out with its entity tag; a client that kept the page and
 * sends the tag back (If-None-Match) while the page is unchanged gets 304
 * without the module's text, the bulk of the page.  The page is personal
 * (progress, certificate code), so it stays Cache-Control: no-store like
 * every answer (fcgi_io.c): browsers do not keep it, API clients may.
 */
static void
page_validators(struct request *r, struct response *res, const char *tag)
{
	http_header_add(r, res, "ETag", tag);
}

void
modules_get(struct request *r, struct response *res)
{
	struct store_module_mine  mine;
	struct user               me;
	const struct module_page *page = NULL;
	const char               *json = NULL, *tag;
	enum db_status            st;

	st = store_module_mine(&r->store, r->param.module, &me, &mine);
	if (!handler_caller(r, res, st, &me))
		return;
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	tag = module_page_etag(r->arena, mine.version, mine.done_json,
	                       mine.certificate_json, mine.quiz_state_json);
	if (r->if_none_match != NULL &&
	    (strstr(r->if_none_match, tag) != NULL ||
	     strcmp(r->if_none_match, "*") == 0)) {
		http_not_modified(res);
		page_validators(r, res, tag);
		return;
	}
	page = cached_page(r, r->param.module, mine.version, &st);
	if (page != NULL)
		json = module_page_for_caller(r->arena, page, mine.done_json,
		                              mine.certificate_json,
		                              mine.quiz_state_json);
	if (st == DB_OK && json == NULL)
		st = DB_ERROR;
	reply_json_result(r, res, st, json);
	if (res->status == 200)
		page_validators(r, res, tag);
}

void
modules_section_done(struct request *r, struct response *res)
{
	struct user    me;
	enum db_status st;

	st = store_section_done(&r->store, r->param.module, r->param.section,
	                        &me);
	if (!handler_caller(r, res, st, &me))
		return;
	if (st == DB_CONFLICT) {
		http_error(
		    r, res, 409, "conflict",
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

/*
 * The objectives of `grading` ({"objectives":[{"id","right","drawn"}]})
 * with their titles and sections from `meta` ([{"id","title","sections"}]);
 * only those with a wrong answer when `wrong_only`.
 */
static json_t *
objectives_report(const json_t *grading, const json_t *meta, bool wrong_only)
{
	json_t *out = json_array(), *g, *m;
	size_t  i, j;

	json_array_foreach (json_object_get(grading, "objectives"), i, g) {
		const char *id = json_string_value(json_object_get(g, "id"));
		json_int_t  right =
		    json_integer_value(json_object_get(g, "right"));
		json_int_t drawn =
		    json_integer_value(json_object_get(g, "drawn"));

		if (id == NULL || (wrong_only && right >= drawn))
			continue;
		json_array_foreach (meta, j, m) {
			const char *mid =
			    json_string_value(json_object_get(m, "id"));

			if (mid == NULL || strcmp(mid, id) != 0)
				continue;
			json_array_append_new(
			    out, json_pack("{s:s, s:O, s:I, s:I, s:O}", "id",
			                   id, "title",
			                   json_object_get(m, "title"), "right",
			                   right, "drawn", drawn, "sections",
			                   json_object_get(m, "sections")));
			break;
		}
	}
	return out;
}

/* 429 quiz_paused: when the quiz opens again and what to reread. */
static void
reply_paused(struct request *r, struct response *res,
             const struct quiz_start *qs, const json_t *meta)
{
	json_t *grading =
	    arena_json(r->arena, qs->last_grading != NULL
	                             ? json_loads(qs->last_grading, 0, NULL)
	                             : NULL);
	json_t *reread = objectives_report(grading, meta, true);
	json_t *body = arena_json(
	    r->arena,
	    json_pack(
	        "{s:{s:s, s:s, s:s, s:o}}", "error", "code", "quiz_paused",
	        "message",
	        "Je hebt de toets twee keer achter elkaar niet gehaald. Lees "
	        "de "
	        "onderdelen hieronder nog eens; daarna kun je de toets opnieuw "
	        "maken.",
	        "retry_after", qs->retry_after, "reread", reread));

	http_json(r, res, 429, body);
}

void
modules_quiz_start(struct request *r, struct response *res)
{
	struct quiz_start qs;
	json_t           *draw, *bank, *questions, *body;
	enum db_status    st;

	st = store_quiz_start(&r->store, r->param.module, &qs);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	if (qs.sections_missing > 0) {
		http_error(r, res, 409, "sections_incomplete",
		           "Rond eerst alle onderdelen van de module af.");
		return;
	}
	bank = json_loads(qs.bank_json, 0, NULL);
	if (bank == NULL) {
		log_error("modules: the quiz bank of %s is not JSON",
		          r->param.module);
		reply_db_error(r, res, DB_ERROR);
		return;
	}
	arena_json(r->arena, bank);
	if (qs.retry_after != NULL) {
		reply_paused(r, res, &qs, json_object_get(bank, "objectives"));
		return;
	}
	draw = arena_json(r->arena, json_loads(qs.draw_json, 0, NULL));
	questions = draw != NULL ? quiz_draw_public(draw) : NULL;
	if (questions == NULL) {
		log_error("modules: attempt %lld has no readable draw",
		          qs.attempt_id);
		reply_db_error(r, res, DB_ERROR);
		return;
	}
	body = arena_json(
	    r->arena, json_pack("{s:I, s:s, s:i, s:b, s:o}", "attempt_id",
	                        (json_int_t)qs.attempt_id, "expires_at",
	                        qs.expires_at, "pass_mark", qs.pass_mark,
	                        "resumed", qs.resumed, "questions", questions));
	http_json(r, res, qs.resumed ? 200 : 201, body);
}

/* The answer to a submission, from its grading (new or stored): the same
 * feedback rule for both (quiz_feedback_public). */
static void
reply_graded(struct request *r, struct response *res,
             const struct quiz_attempt *a, const json_t *draw,
             const struct quiz_submitted *sub, const struct certificate *cert,
             const char *next_attempt_at)
{
	json_t *grading =
	    arena_json(r->arena, json_loads(sub->grading_json, 0, NULL));
	json_t *meta =
	    arena_json(r->arena, json_loads(a->objectives_json, 0, NULL));
	json_t *body = arena_json(
	    r->arena,
	    json_pack("{s:I, s:i, s:i, s:b, s:o, s:o, s:o, s:o}", "attempt_id",
	              (json_int_t)a->id, "score", sub->score, "pass_mark",
	              a->pass_mark, "passed", sub->passed, "certificate",
	              cert->code == NULL
	                  ? json_null()
	                  : json_pack("{s:s, s:s, s:s}", "code", cert->code,
	                              "issued_at", cert->issued_at,
	                              "expires_at", cert->expires_at),
	              "objectives", objectives_report(grading, meta, false),
	              "questions",
	              quiz_feedback_public(json_object_get(grading, "feedback"),
	                                   draw, meta, sub->passed),
	              "next_attempt_at",
	              next_attempt_at != NULL ? json_string(next_attempt_at)
	                                      : json_null()));

	if (body == NULL) {
		log_error("modules: attempt %lld has no readable grading",
		          a->id);
		reply_db_error(r, res, DB_ERROR);
		return;
	}
	http_json(r, res, 200, body);
}

void
modules_attempt(struct request *r, struct response *res)
{
	struct quiz_attempt   a;
	struct quiz_result    result;
	struct quiz_submitted sub;
	struct quiz_start     pause;
	struct certificate    cert;
	const char           *problem, *next_at = NULL;
	json_t               *draw, *answers, *id, *grading;
	enum db_status        st;
	bool                  passed;

	id = json_object_get(r->json, "attempt_id");
	if (!json_is_integer(id) || json_integer_value(id) < 1) {
		reply_invalid_field(r, res, "attempt_id",
		                    "Start eerst de toets: verwacht het nummer "
		                    "van je poging.");
		return;
	}
	answers = json_object_get(r->json, "answers");
	if (!json_is_object(answers)) {
		reply_invalid_field(
		    r, res, "answers",
		    "Verwacht een object met de antwoorden per vraag.");
		return;
	}
	st = store_quiz_attempt_get(&r->store, r->param.module,
	                            json_integer_value(id), &a);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	if (!a.module_active) {
		http_error(r, res, 409, "module_inactive",
		           "Deze module wordt niet meer aangeboden. Je poging "
		           "telt daarom niet.");
		return;
	}
	draw = json_loads(a.draw_json, 0, NULL);
	if (draw == NULL) {
		log_error("modules: the draw of attempt %lld is not JSON",
		          a.id);
		reply_db_error(r, res, DB_ERROR);
		return;
	}
	arena_json(r->arena, draw);
	/* Graded against exactly what was shown: the stored draw. */
	if (quiz_score(draw, answers, &result, &problem) != 0) {
		if (result.not_drawn)
			http_error(
			    r, res, 400, "not_drawn",
			    "Dit antwoord hoort niet bij de vragen van deze "
			    "poging.");
		else
			reply_invalid_field(r, res, "answers", problem);
		return;
	}
	arena_json(r->arena, result.feedback);
	arena_json(r->arena, result.objectives);
	passed = quiz_passed(&result, a.pass_mark);
	grading = arena_json(r->arena, json_pack("{s:O, s:O}", "objectives",
	                                         result.objectives, "feedback",
	                                         result.feedback));
	st = store_quiz_submit(&r->store, &a, result.score, passed,
	                       json_dump_arena(r->arena, answers),
	                       json_dump_arena(r->arena, grading), &sub, &cert);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	if (sub.expired) {
		http_error(r, res, 409, "attempt_expired",
		           "De tijd voor deze poging is om. Start de toets "
		           "opnieuw.");
		return;
	}
	if (!sub.passed) {
		st = store_quiz_pause(&r->store, a.module_id, &pause);
		if (st != DB_OK) {
			reply_db_error(r, res, st);
			return;
		}
		next_at = pause.retry_after;
	}
	reply_graded(r, res, &a, draw, &sub, &cert, next_at);
}
