/* SQL of course modules: lists, detail, section progress and the quiz key.
 * The study day's three statements check their caller themselves (one
 * round trip); the parts that are the same for everyone are built once and
 * kept by the worker (module_page.c, module_list.c). */
#include "store.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "../json.h"
#include "../log.h"
#include "../quiz.h"
#include "../user.h"

/*
 * rfc3339() of sql/001_core.sql, written out: that SQL function is declared
 * IMMUTABLE around to_char(), which is STABLE, so PostgreSQL does not inline
 * it and parses and plans its body again at every execution of a statement
 * that calls it (base_yyparse in the profile of GET /modules).  The same
 * text, and NULL for NULL.
 */
/* module_list.c reads its output by length (TIME_LEN): keep the format. */
#define RFC3339(t)                                                             \
	"to_char((" t ") AT TIME ZONE 'UTC', "                                 \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* clang-format breaks SQL strings into one word per line: keep it out. */
/* clang-format off */
const struct db_stmt store_modules_stmts[] = {
    /* Each statement of the three study-day endpoints (the list, a
     * module page, a section done) checks its caller itself (me,
     * STORE_CALLER_SQL): one round trip per request.  $1 user id, $2 jti,
     * $3 iat in ms.  No row: the token no longer holds. */
    /* The caller's part of the list; the part that is the same for
     * everyone is kept by the worker (module_list.h).  Texts, not JSON,
     * for a cheap statement: the modules of the caller's role in their
     * order ("id version,..."), every finished section ("module_id
     * section_id,...") and every certificate ("module_id issued expires
     * valid expiring,...").  The module list's counts and statuses are
     * those of DOMAIN_STATUS_SQL, worked out in module_list.c. */
    {"modules_list",
     "WITH me AS (" STORE_CALLER_SQL("$1", "$2", "$3") ")"
     " SELECT " STORE_CALLER_COLS ","
     " (SELECT string_agg(m.id || ' ' || m.version, ','"
     "   ORDER BY m.position, m.slug) FROM modules m"
     "   WHERE m.active AND NOT m.in_person AND me.role = ANY (m.audience)),"
     " (SELECT string_agg(sp.module_id || ' ' || sp.section_id, ',')"
     "   FROM section_progress sp WHERE sp.user_id = me.id),"
     " (SELECT string_agg(c.module_id || ' ' || " RFC3339("c.issued_at")
     "   || ' ' || " RFC3339("c.expires_at") " || ' ' || (c.expires_at > now())"
     "   || ' ' || (c.expires_at <= now() + interval '90 days'), ',')"
     "   FROM certificates c WHERE c.user_id = me.id)"
     " FROM me",
     3},
    /* What a module of the list says, the same for everyone: its fields
     * as the list shows them and its active sections ("a,b,..."). */
    {"module_list_entry",
     "SELECT m.version, json_build_object('slug', m.slug, 'title', m.title,"
     " 'summary', m.summary, 'estimated_minutes', m.estimated_minutes,"
     " 'version', m.version, 'validity_months', m.validity_months),"
     " (SELECT string_agg(s.id, ',') FROM sections s"
     "   WHERE s.module_id = m.id AND s.active)"
     " FROM modules m WHERE m.id = $1",
     1},
    /* The caller's part of a module page; the content part is cached by
     * the worker (module_page.h).  $4 slug; a NULL version: no such
     * module for the caller. */
    {"module_user_part",
     "WITH me AS (" STORE_CALLER_SQL("$1", "$2", "$3") ")"
     " SELECT " STORE_CALLER_COLS ", m.version,"
     " (SELECT coalesce(json_agg(sp.section_id), '[]')"
     "   FROM section_progress sp WHERE sp.user_id = me.id"
     "   AND sp.module_id = m.id),"
     " (SELECT json_build_object('code', c.code,"
     "   'issued_at', " RFC3339("c.issued_at") ","
     "   'expires_at', " RFC3339("c.expires_at") ","
     "   'valid', c.expires_at > now())"
     "   FROM certificates c WHERE c.user_id = me.id AND c.module_id = m.id"
     "   ORDER BY c.expires_at DESC LIMIT 1),"
     /* The caller's quiz: until when it is paused (the one rule of
      * quiz_pause, sql/018, which PostgreSQL inlines here), and the open
      * attempt. */
     " json_build_object('paused_until', " RFC3339("qp.until") ","
     "   'open_attempt_expires_at', (SELECT " RFC3339("expires_at")
     "   FROM quiz_attempts WHERE user_id = me.id AND module_id = m.id"
     "   AND state = 'open' AND expires_at > now()))"
     " FROM me LEFT JOIN modules m ON m.slug = $4 AND m.active"
     " AND NOT m.in_person AND me.role = ANY (m.audience)"
     " LEFT JOIN LATERAL quiz_pause(me.id, m.id, '" QUIZ_PAUSE "') qp"
     " ON true",
     4},
    /* The same for everyone: sections and quiz without the answers. */
    {"module_content",
     "SELECT m.version, json_build_object('slug', m.slug, 'title', m.title,"
     " 'summary', m.summary, 'version', m.version,"
     " 'estimated_minutes', m.estimated_minutes,"
     " 'validity_months', m.validity_months,"
     " 'sections', (SELECT coalesce(json_agg(json_build_object("
     "   'id', s.id, 'title', s.title, 'html', s.html,"
     "   'scenario', (SELECT json_build_object('id', sc.id, 'slug', sc.slug)"
     "     FROM scenarios sc WHERE sc.slug = s.scenario_slug))"
     "   ORDER BY s.position),"
     "   '[]') FROM sections s WHERE s.module_id = m.id AND s.active),"
     /* No questions: the page would be an answer sheet's input.  The
      * quiz is started with POST .../quiz, which draws. */
     " 'quiz', json_build_object('pass_mark', m.pass_mark,"
     "   'questions_per_attempt', (SELECT coalesce(sum(o.draw), 0)"
     "     FROM quiz_objectives o WHERE o.module_id = m.id AND o.active),"
     "   'attempt_valid', '" QUIZ_ATTEMPT_TTL "',"
     "   'pause_after_two_failures', '" QUIZ_PAUSE "',"
     "   'objectives', (SELECT coalesce(json_agg(json_build_object("
     "     'id', o.id, 'title', o.title, 'sections', o.sections)"
     "     ORDER BY o.position), '[]')"
     "     FROM quiz_objectives o WHERE o.module_id = m.id AND o.active)))"
     " FROM modules m WHERE m.slug = $1 AND m.active",
     1},
    /* $4 slug, $5 section id: the insert, and whether the section
     * exists for the caller's role and is a role-play. */
    {"section_done",
     "WITH me AS (" STORE_CALLER_SQL("$1", "$2", "$3") "),"
     " s AS (SELECT s.module_id, s.id, s.scenario_slug FROM me"
     "   JOIN modules m ON m.slug = $4 AND m.active AND NOT m.in_person"
     "   AND me.role = ANY (m.audience)"
     "   JOIN sections s ON s.module_id = m.id AND s.active AND s.id = $5),"
     " ins AS (INSERT INTO section_progress (user_id, module_id, section_id)"
     "   SELECT me.id, s.module_id, s.id FROM me CROSS JOIN s"
     "   WHERE s.scenario_slug IS NULL ON CONFLICT DO NOTHING)"
     " SELECT " STORE_CALLER_COLS ", (SELECT count(*) FROM s),"
     " (SELECT coalesce(bool_or(scenario_slug IS NOT NULL), false) FROM s)"
     " FROM me",
     5},
    /* The bank a draw is made from, with its answer key: never sent. */
    {"quiz_bank",
     "SELECT m.id, m.version, m.pass_mark,"
     " (SELECT count(*) FROM sections s WHERE s.module_id = m.id AND s.active"
     "   AND NOT EXISTS (SELECT 1 FROM section_progress sp"
     "   WHERE sp.user_id = $1 AND sp.module_id = s.module_id"
     "   AND sp.section_id = s.id)),"
     " json_build_object('objectives', (SELECT coalesce(json_agg("
     "   json_build_object('id', o.id, 'title', o.title, 'draw', o.draw,"
     "   'sections', o.sections) ORDER BY o.position), '[]')"
     "   FROM quiz_objectives o WHERE o.module_id = m.id AND o.active),"
     " 'questions', (SELECT coalesce(json_agg(json_build_object('id', q.id,"
     "   'objective', q.objective_id, 'text', q.text,"
     "   'multiple', q.multiple, 'explanation', q.explanation,"
     "   'choices', (SELECT json_agg(json_build_object('id', ch.id,"
     "     'text', ch.text, 'correct', ch.correct) ORDER BY ch.position)"
     "     FROM quiz_choices ch WHERE ch.module_id = q.module_id"
     "     AND ch.question_id = q.id)) ORDER BY q.position), '[]')"
     "   FROM quiz_questions q WHERE q.module_id = m.id AND q.active)),"
     " m.validity_months"
     " FROM modules m WHERE m.slug = $2 AND m.active AND NOT m.in_person"
     " AND $3 = ANY (m.audience)",
     3},
    /* An open attempt of an older module version, or past its time, is
     * no longer open. $1 user, $2 module, $3 version */
    {"quiz_open_close",
     "UPDATE quiz_attempts SET state = 'expired'"
     " WHERE user_id = $1 AND module_id = $2 AND state = 'open'"
     " AND (expires_at <= now() OR module_version <> $3)",
     3},
    {"quiz_open_get",
     "SELECT id, " RFC3339("expires_at") ", draw, pass_mark"
     " FROM quiz_attempts WHERE user_id = $1 AND module_id = $2"
     " AND state = 'open'",
     2},
    /* Two failures in a row: the next start waits QUIZ_PAUSE after the
     * second.  Returns when it opens and the grading of the last one. */
    {"quiz_pause",
     "SELECT " RFC3339("p") ","
     " (SELECT grading FROM quiz_attempts WHERE user_id = $1"
     "   AND module_id = $2 AND state = 'submitted'"
     "   ORDER BY submitted_at DESC LIMIT 1)"
     " FROM quiz_paused_until($1, $2, '" QUIZ_PAUSE "') p"
     " WHERE p IS NOT NULL",
     2},
    /* Every question the learner was shown in an attempt of this module
     * version, with the last attempt that showed it: {"<id>": attempt id}.
     * $1 user, $2 module, $3 version */
    {"quiz_seen",
     "SELECT coalesce(jsonb_object_agg(qid, last), '{}') FROM"
     " (SELECT q->>'id' AS qid, max(a.id) AS last FROM quiz_attempts a"
     "   CROSS JOIN jsonb_array_elements(a.draw) q"
     "   WHERE a.user_id = $1 AND a.module_id = $2"
     "   AND a.module_version = $3 AND a.draw IS NOT NULL"
     "   GROUP BY 1) s",
     3},
    /* $1 user, $2 module, $3 version, $4 draw, $5 pass mark, $6 validity
     * months: the terms the attempt is graded on. */
    {"quiz_open_insert",
     "INSERT INTO quiz_attempts (user_id, module_id, module_version, state,"
     " draw, expires_at, pass_mark, validity_months)"
     " VALUES ($1, $2, $3, 'open', $4,"
     " now() + interval '" QUIZ_ATTEMPT_TTL "', $5, $6)"
     " RETURNING id, " RFC3339("expires_at"),
     6},
    {0},
};
/* clang-format on */

enum db_status
store_modules_list_mine(struct store_ctx *ctx, struct user *me,
                        struct store_modules_mine *out)
{
	PGresult      *res;
	int            c = STORE_CALLER_NCOLS;
	enum db_status st =
	    store_exec_as_caller(ctx, "modules_list", 0, NULL, me, &res);

	if (st != DB_OK || me->id == 0)
		return st;
	out->modules = db_text_or_null(res, 0, c);
	out->done = db_text_or_null(res, 0, c + 1);
	out->certificates = db_text_or_null(res, 0, c + 2);
	return DB_OK;
}

enum db_status
store_module_list_entry(struct store_ctx *ctx, long long module_id,
                        int *version, const char **head, const char **sections)
{
	char        id[24];
	const char *v[1] = {STORE_INT(id, module_id)};

	return db_exec_scan(ctx->db, ctx->arena, "module_list_entry", 1, v,
	                    "nsz", version, head, sections);
}

enum db_status
store_module_mine(struct store_ctx *ctx, const char *slug, struct user *me,
                  struct store_module_mine *out)
{
	const char    *v[1] = {slug};
	PGresult      *res;
	int            c = STORE_CALLER_NCOLS;
	enum db_status st =
	    store_exec_as_caller(ctx, "module_user_part", 1, v, me, &res);

	if (st != DB_OK || me->id == 0)
		return st;
	if (db_is_null(res, 0, c))
		return DB_NOT_FOUND;
	out->version = (int)db_int(res, 0, c);
	out->done_json = db_value(res, 0, c + 1);
	out->certificate_json = db_text_or_null(res, 0, c + 2);
	out->quiz_state_json = db_value(res, 0, c + 3);
	return DB_OK;
}

enum db_status
store_module_content(struct store_ctx *ctx, const char *slug, int *version,
                     const char **content_json)
{
	const char *v[1] = {slug};

	return db_exec_scan(ctx->db, ctx->arena, "module_content", 1, v, "ns",
	                    version, content_json);
}

enum db_status
store_section_done(struct store_ctx *ctx, const char *slug,
                   const char *section_id, struct user *me)
{
	const char    *v[2] = {slug, section_id};
	PGresult      *res;
	int            c = STORE_CALLER_NCOLS;
	enum db_status st =
	    store_exec_as_caller(ctx, "section_done", 2, v, me, &res);

	if (st != DB_OK || me->id == 0)
		return st;
	if (db_int(res, 0, c) != 1)
		return DB_NOT_FOUND;
	/* A role-play section is done by playing it, not by saying so. */
	return db_value(res, 0, c + 1)[0] == 't' ? DB_CONFLICT : DB_OK;
}

static uint32_t
uniform(uint32_t upper)
{
	return randombytes_uniform(upper);
}

/* The pause, if one applies: when it ends and the last grading. */
static enum db_status
quiz_pause_get(struct store_ctx *ctx, const char *uid, const char *mid,
               struct quiz_start *out)
{
	const char    *v[2] = {uid, mid};
	PGresult      *res;
	enum db_status st =
	    db_exec(ctx->db, ctx->arena, "quiz_pause", 2, v, &res);

	if (st != DB_OK || PQntuples(res) == 0)
		return st;
	out->retry_after = db_value(res, 0, 0);
	out->last_grading = db_is_null(res, 0, 1) ? NULL : db_value(res, 0, 1);
	return DB_OK;
}

enum db_status
store_quiz_pause(struct store_ctx *ctx, long long module_id,
                 struct quiz_start *out)
{
	char uid[24], mid[24];

	out->retry_after = NULL;
	out->last_grading = NULL;
	return quiz_pause_get(ctx, STORE_INT(uid, ctx->user_id),
	                      STORE_INT(mid, module_id), out);
}

/*
 * Under the learner's per-module lock (the one submissions take), so that
 * two starts at once cannot both draw, and a start cannot slip between a
 * failure and its pause.
 */
enum db_status
store_quiz_start(struct store_ctx *ctx, const char *slug,
                 struct quiz_start *out)
{
	char           uid[24], mid[24], ver[24], pass[24], months[24];
	const char    *v[6] = {STORE_INT(uid, ctx->user_id), slug, ctx->role};
	PGresult      *res;
	json_t        *bank, *draw, *seen;
	enum db_status st;

	memset(out, 0, sizeof(*out));
	st = db_exec_row(ctx->db, ctx->arena, "quiz_bank", 3, v, &res);
	if (st != DB_OK)
		return st;
	out->module_id = db_int(res, 0, 0);
	out->pass_mark = (int)db_int(res, 0, 2);
	out->sections_missing = (int)db_int(res, 0, 3);
	out->bank_json = db_value(res, 0, 4);
	STORE_INT(mid, out->module_id);
	snprintf(ver, sizeof(ver), "%s", db_value(res, 0, 1));
	snprintf(pass, sizeof(pass), "%s", db_value(res, 0, 2));
	snprintf(months, sizeof(months), "%s", db_value(res, 0, 5));
	if (out->sections_missing > 0)
		return DB_OK;

	st = db_begin(ctx->db);
	v[0] = uid;
	v[1] = mid;
	v[2] = ver;
	if (st == DB_OK)
		st = db_exec(ctx->db, ctx->arena, "attempt_lock", 2, v, NULL);
	if (st == DB_OK)
		st =
		    db_exec(ctx->db, ctx->arena, "quiz_open_close", 3, v, NULL);
	if (st == DB_OK)
		st = db_exec(ctx->db, ctx->arena, "quiz_open_get", 2, v, &res);
	if (st == DB_OK && PQntuples(res) == 1) {
		/* Reloading the page gets the same draw, not a new one, on
		 * the terms it was started with. */
		out->attempt_id = db_int(res, 0, 0);
		out->expires_at = db_value(res, 0, 1);
		out->draw_json = db_value(res, 0, 2);
		out->pass_mark = (int)db_int(res, 0, 3);
		out->resumed = true;
		st = db_commit(ctx->db);
		goto done;
	}
	if (st == DB_OK)
		st = quiz_pause_get(ctx, uid, mid, out);
	if (st == DB_OK && out->retry_after != NULL) {
		st = db_commit(ctx->db);
		goto done;
	}
	if (st == DB_OK)
		st = db_exec_row(ctx->db, ctx->arena, "quiz_seen", 3, v, &res);
	if (st == DB_OK) {
		seen = json_loads(db_value(res, 0, 0), 0, NULL);
		bank = json_loads(out->bank_json, 0, NULL);
		draw = bank != NULL && seen != NULL
		           ? quiz_draw(bank, seen, uniform)
		           : NULL;
		json_decref(bank);
		json_decref(seen);
		if (draw == NULL) {
			log_error("modules: no draw from the bank of %s", slug);
			st = DB_ERROR;
		} else {
			out->draw_json = json_dump_arena(ctx->arena, draw);
			json_decref(draw);
			v[3] = out->draw_json;
			v[4] = pass;
			v[5] = months;
			st = db_exec(ctx->db, ctx->arena, "quiz_open_insert", 6,
			             v, &res);
		}
	}
	if (st == DB_OK) {
		out->attempt_id = db_int(res, 0, 0);
		out->expires_at = db_value(res, 0, 1);
		st = db_commit(ctx->db);
	}
done:
	if (st != DB_OK)
		db_rollback(ctx->db);
	return st;
}
