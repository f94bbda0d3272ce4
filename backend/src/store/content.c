/* SQL of the content loader (hgkm-content load): modules, their sections,
 * quiz and criteria, written in one transaction under an advisory lock. */
#include "store.h"

#include <jansson.h>
#include <string.h>

#include "../content.h"
#include "../json.h"

/* clang-format off */
const struct db_stmt store_content_stmts[] = {
    /* One loader at a time; the lock ends with the transaction. */
    {"content_lock", "SELECT pg_advisory_xact_lock(hashtext('hgkm-content'))",
     0},
    {"content_module_get",
     "SELECT id, version, content_hash, active FROM modules"
     " WHERE slug = $1 FOR UPDATE",
     1},
    {"content_module_reactivate",
     "UPDATE modules SET active = true WHERE id = $1", 1},
    /* $1 the module's id (update) or slug (insert), then the fields. */
    {"content_module_update",
     "UPDATE modules SET title = $2, summary = $3, audience = $4::text[],"
     " estimated_minutes = $5, validity_months = $6, pass_mark = $7,"
     " position = $8, content_hash = $9, in_person = $10,"
     " version = version + 1, active = true, loaded_at = now()"
     " WHERE id = $1 RETURNING id, version",
     10},
    {"content_module_insert",
     "INSERT INTO modules (slug, title, summary, audience, estimated_minutes,"
     " validity_months, pass_mark, position, content_hash, in_person,"
     " version) VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8, $9, $10, 1)"
     " RETURNING id, version",
     10},
    /* Everything of a changed module is marked inactive first and the
     * upserts turn the current rows active again, so rows that left the
     * content stay behind inactive (progress and attempts point at them). */
    {"content_sections_off",
     "UPDATE sections SET active = false WHERE module_id = $1 AND active", 1},
    {"content_section_put",
     "INSERT INTO sections (module_id, id, position, title, html,"
     " scenario_slug, active) VALUES ($1, $2, $3, $4, $5, $6, true)"
     " ON CONFLICT (module_id, id) DO UPDATE SET position = EXCLUDED.position,"
     " title = EXCLUDED.title, html = EXCLUDED.html,"
     " scenario_slug = EXCLUDED.scenario_slug, active = true",
     6},
    {"content_objectives_off",
     "UPDATE quiz_objectives SET active = false"
     " WHERE module_id = $1 AND active",
     1},
    {"content_objective_put",
     "INSERT INTO quiz_objectives (module_id, id, position, title, sections,"
     " draw, active) VALUES ($1, $2, $3, $4, $5::text[], $6, true)"
     " ON CONFLICT (module_id, id) DO UPDATE SET position = EXCLUDED.position,"
     " title = EXCLUDED.title, sections = EXCLUDED.sections,"
     " draw = EXCLUDED.draw, active = true",
     6},
    {"content_questions_off",
     "UPDATE quiz_questions SET active = false"
     " WHERE module_id = $1 AND active",
     1},
    {"content_question_put",
     "INSERT INTO quiz_questions (module_id, id, position, text, multiple,"
     " explanation, objective_id, active)"
     " VALUES ($1, $2, $3, $4, $5, $6, $7, true)"
     " ON CONFLICT (module_id, id) DO UPDATE SET position = EXCLUDED.position,"
     " text = EXCLUDED.text, multiple = EXCLUDED.multiple,"
     " explanation = EXCLUDED.explanation,"
     " objective_id = EXCLUDED.objective_id, active = true",
     7},
    /* Choices have no inbound foreign keys: each question's are replaced. */
    {"content_choices_clear",
     "DELETE FROM quiz_choices WHERE module_id = $1 AND question_id = $2", 2},
    {"content_choice_put",
     "INSERT INTO quiz_choices (module_id, question_id, id, position, text,"
     " correct) VALUES ($1, $2, $3, $4, $5, $6)",
     6},
    /* An attendee's judgement names the version, so the criteria of older
     * versions stay readable. */
    {"content_criteria_put",
     "INSERT INTO module_criteria (module_id, module_version, criteria)"
     " VALUES ($1, $2, $3::jsonb) ON CONFLICT (module_id, module_version)"
     " DO UPDATE SET criteria = EXCLUDED.criteria",
     3},
    {"content_modules_active",
     "SELECT slug FROM modules WHERE active ORDER BY slug", 0},
    {"content_module_deactivate",
     "UPDATE modules SET active = false WHERE slug = $1", 1},
    {0},
};
/* clang-format on */

/* The text[] literal for the audience bits; the values are fixed words. */
static const char *
audience_array(unsigned audience)
{
	switch (audience) {
	case CONTENT_AUDIENCE_TEACHER:
		return "{teacher}";
	case CONTENT_AUDIENCE_IB:
		return "{ib}";
	default:
		return "{teacher,ib}";
	}
}

static enum db_status
put(struct store_ctx *ctx, const char *name, int n, const char *const *v)
{
	return db_exec(ctx->db, ctx->arena, name, n, v, NULL);
}

static enum db_status
write_sections(struct store_ctx *ctx, const char *module_id,
               const struct content_module *m)
{
	const char    *p[6] = {module_id};
	char           pos[24];
	enum db_status st = put(ctx, "content_sections_off", 1, p);

	for (size_t i = 0; st == DB_OK && i < m->n_sections; i++) {
		p[1] = m->sections[i].id;
		p[2] = STORE_INT(pos, i + 1);
		p[3] = m->sections[i].title;
		p[4] = m->sections[i].html;
		p[5] = m->sections[i].scenario;
		st = put(ctx, "content_section_put", 6, p);
	}
	return st;
}

static enum db_status
write_quiz(struct store_ctx *ctx, const char *module_id,
           const struct content_module *m)
{
	const char    *p[7] = {module_id};
	char           pos[24], cpos[24], draw[24];
	enum db_status st = put(ctx, "content_objectives_off", 1, p);

	for (size_t i = 0; st == DB_OK && i < m->n_objectives; i++) {
		const struct content_objective *o = &m->objectives[i];

		p[1] = o->id;
		p[2] = STORE_INT(pos, i + 1);
		p[3] = o->title;
		p[4] =
		    db_text_array(ctx->arena, (const char *const *)o->sections,
		                  o->n_sections);
		p[5] = STORE_INT(draw, o->draw);
		st = put(ctx, "content_objective_put", 6, p);
	}
	if (st == DB_OK)
		st = put(ctx, "content_questions_off", 1, p);
	for (size_t i = 0; st == DB_OK && i < m->n_questions; i++) {
		const struct content_question *q = &m->questions[i];

		p[1] = q->id;
		p[2] = STORE_INT(pos, i + 1);
		p[3] = q->text;
		p[4] = q->multiple ? "true" : "false";
		p[5] = q->explanation;
		p[6] = q->objective;
		st = put(ctx, "content_question_put", 7, p);
		if (st == DB_OK)
			st = put(ctx, "content_choices_clear", 2, p);
		for (size_t j = 0; st == DB_OK && j < q->n_choices; j++) {
			const char *cp[6] = {
			    module_id,
			    q->id,
			    q->choices[j].id,
			    STORE_INT(cpos, j + 1),
			    q->choices[j].text,
			    q->choices[j].correct ? "true" : "false"};

			st = put(ctx, "content_choice_put", 6, cp);
		}
	}
	return st;
}

static enum db_status
write_criteria(struct store_ctx *ctx, const char *module_id,
               const char *version, const struct content_module *m)
{
	json_t     *arr = arena_json(ctx->arena, json_array());
	const char *p[3] = {module_id, version, NULL};

	if (m->n_criteria == 0)
		return DB_OK;
	for (size_t i = 0; i < m->n_criteria; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "id",
		                                     m->criteria[i].id, "text",
		                                     m->criteria[i].text));
	p[2] = json_dump_arena(ctx->arena, arr);
	if (p[2] == NULL)
		return DB_ERROR;
	return put(ctx, "content_criteria_put", 3, p);
}

/* Inserts, updates or leaves alone one module, and says which. */
static enum db_status
load_module(struct store_ctx *ctx, const struct content_module *m,
            struct store_content_outcome *out)
{
	const char    *p[10] = {m->slug};
	char           minutes[24], months[24], mark[24], position[24];
	const char    *module_id;
	PGresult      *res;
	enum db_status st =
	    db_exec(ctx->db, ctx->arena, "content_module_get", 1, p, &res);

	out->slug = m->slug;
	if (st != DB_OK)
		return st;
	if (PQntuples(res) == 1 && strcmp(db_value(res, 0, 2), m->hash) == 0) {
		out->version = (int)db_int(res, 0, 1);
		/* Unchanged: not even loaded_at is touched. */
		out->what = db_bool(res, 0, 3) ? STORE_CONTENT_UNCHANGED
		                               : STORE_CONTENT_REACTIVATED;
		p[0] = db_value(res, 0, 0);
		return out->what == STORE_CONTENT_UNCHANGED
		           ? DB_OK
		           : put(ctx, "content_module_reactivate", 1, p);
	}
	p[1] = m->title;
	p[2] = m->summary;
	p[3] = audience_array(m->audience);
	p[4] = STORE_INT(minutes, m->estimated_minutes);
	p[5] = STORE_INT(months, m->validity_months);
	p[6] = STORE_INT(mark, m->pass_mark);
	p[7] = STORE_INT(position, m->position);
	p[8] = m->hash;
	p[9] = m->in_person ? "true" : "false";
	if (PQntuples(res) == 1) {
		p[0] = db_value(res, 0, 0);
		st = db_exec_row(ctx->db, ctx->arena, "content_module_update",
		                 10, p, &res);
	} else {
		st = db_exec_row(ctx->db, ctx->arena, "content_module_insert",
		                 10, p, &res);
	}
	if (st != DB_OK)
		return st;
	module_id = db_value(res, 0, 0);
	out->version = (int)db_int(res, 0, 1);
	out->what =
	    out->version == 1 ? STORE_CONTENT_NEW : STORE_CONTENT_UPDATED;
	st = write_sections(ctx, module_id, m);
	if (st == DB_OK)
		st = write_quiz(ctx, module_id, m);
	if (st == DB_OK)
		st = write_criteria(ctx, module_id, db_value(res, 0, 1), m);
	return st;
}

enum db_status
store_content_load(struct store_ctx                   *ctx,
                   const struct content_module *const *mods, size_t n,
                   struct store_content_outcome **out, size_t *nout)
{
	PGresult      *active;
	size_t         k = 0;
	enum db_status st = db_begin(ctx->db);

	*out = NULL;
	*nout = 0;
	if (st == DB_OK)
		st =
		    db_exec(ctx->db, ctx->arena, "content_lock", 0, NULL, NULL);
	if (st == DB_OK)
		st = db_exec(ctx->db, ctx->arena, "content_modules_active", 0,
		             NULL, &active);
	if (st != DB_OK)
		return db_finish(ctx->db, st);
	/* At most one line per module and one per module that is gone. */
	*out = arena_alloc(ctx->arena,
	                   (n + (size_t)PQntuples(active) + 1) * sizeof(**out));
	for (size_t i = 0; st == DB_OK && i < n; i++)
		st = load_module(ctx, mods[i], &(*out)[k++]);
	/* Modules whose directory is gone stay in the database, inactive. */
	for (int row = 0; st == DB_OK && row < PQntuples(active); row++) {
		const char *p[1] = {db_value(active, row, 0)};
		size_t      i;

		for (i = 0; i < n && strcmp(mods[i]->slug, p[0]) != 0; i++)
			;
		if (i < n)
			continue;
		st = put(ctx, "content_module_deactivate", 1, p);
		(*out)[k].slug = p[0];
		(*out)[k++].what = STORE_CONTENT_DEACTIVATED;
	}
	st = db_finish(ctx->db, st);
	*nout = st == DB_OK ? k : 0;
	return st;
}
