/* SQL of role-play scenarios: versions, publication, attempts, statistics,
 * media records. */
#include "store.h"

#include "scope.h"

const struct db_stmt store_scenarios_stmts[] = {
    /* $1 owner, $2 title, $3 audience, $4 document */
    {"scenario_create",
     "WITH s AS (INSERT INTO scenarios (owner_id) VALUES ($1) RETURNING id)"
     " INSERT INTO scenario_versions (scenario_id, version, title, audience,"
     " document) SELECT s.id, 1, $2, $3::text[], $4::jsonb FROM s"
     " RETURNING scenario_id",
     4},
    {"scenario_meta",
     "SELECT owner_id, current_version, published_version,"
     " status = 'published' FROM scenarios WHERE id = $1",
     1},
    /* $1 id, $2 title, $3 audience, $4 document */
    {"scenario_new_version",
     "WITH s AS (UPDATE scenarios SET current_version = current_version + 1,"
     "   status = 'draft', updated_at = now() WHERE id = $1"
     "   RETURNING id, current_version)"
     " INSERT INTO scenario_versions (scenario_id, version, title, audience,"
     " document) SELECT s.id, s.current_version, $2, $3::text[], $4::jsonb"
     " FROM s RETURNING version",
     4},
    {"scenario_publish",
     "UPDATE scenarios SET published_version = current_version,"
     " status = 'published', updated_at = now() WHERE id = $1"
     " RETURNING current_version",
     1},
    /* $1 user, $2 role, $3 whether the caller may see every published one */
    {"scenario_list",
     "SELECT coalesce(json_agg(json_build_object('id', s.id,"
     " 'title', v.title, 'summary', v.document->>'summary',"
     " 'audience', v.audience, 'version', v.version,"
     " 'status', CASE WHEN s.owner_id = $1 THEN s.status ELSE 'published' END,"
     " 'published_version', s.published_version,"
     " 'owner', s.owner_id = $1, 'updated_at', rfc3339(s.updated_at))"
     " ORDER BY s.updated_at DESC, s.id), '[]')"
     " FROM scenarios s JOIN scenario_versions v ON v.scenario_id = s.id"
     " AND v.version = CASE WHEN s.owner_id = $1 THEN s.current_version"
     "   ELSE s.published_version END"
     " WHERE " STORE_SCENARIO_VISIBLE("$1", "$2", "$3"),
     3},
    {"scenario_document",
     "SELECT document::text FROM scenario_versions"
     " WHERE scenario_id = $1 AND version = $2",
     2},
    /* Played to an end: module sections that are this role-play are done. */
    {"scenario_attempt",
     "WITH a AS (INSERT INTO scenario_attempts (scenario_id, version, user_id,"
     "   choices, path, score, outcome)"
     "   VALUES ($1, $2, $3, $4::int[], $5::text[], $6, $7) RETURNING id)"
     " INSERT INTO section_progress (user_id, module_id, section_id)"
     " SELECT $3::bigint, s.module_id, s.id FROM a, sections s"
     " JOIN modules m ON m.id = s.module_id AND m.active"
     " JOIN scenarios sc ON sc.slug = s.scenario_slug"
     " WHERE sc.id = $1 AND s.active AND $8 = ANY (m.audience)"
     " ON CONFLICT DO NOTHING",
     8},
    {"scenario_stats",
     "SELECT a.path[k], a.choices[k], count(*)"
     " FROM scenario_attempts a, generate_subscripts(a.choices, 1) k"
     " WHERE a.scenario_id = $1 AND a.version = $2 GROUP BY 1, 2",
     2},
    {"scenario_attempt_count",
     "SELECT count(*) FROM scenario_attempts WHERE scenario_id = $1"
     " AND version = $2",
     2},
    {"scenario_media_add",
     "INSERT INTO scenario_media (id, scenario_id, mime, size)"
     " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
     4},
    /* Whether the caller may see a scenario that holds this media file. */
    /* The type is read from the bytes, so every row of a file has one. */
    {"media_mime", "SELECT mime FROM scenario_media WHERE id = $1 LIMIT 1", 1},
    {0},
};

enum db_status
store_scenario_create(struct store_ctx *ctx, const char *title,
                      const char *audience, const char *doc, long long *id)
{
	char        ob[24];
	const char *v[4] = {STORE_INT(ob, ctx->user_id), title, audience, doc};
	PGresult   *res;
	enum db_status st =
	    db_exec(ctx->db, ctx->arena, "scenario_create", 4, v, &res);

	if (st == DB_OK)
		*id = db_int(res, 0, 0);
	return st;
}

enum db_status
store_scenario_meta(struct store_ctx *ctx, long long id,
                    struct scenario_meta *m)
{
	char        ib[24];
	const char *v[1] = {STORE_INT(ib, id)};

	return db_exec_scan(ctx->db, ctx->arena, "scenario_meta", 1, v, "innb",
	                    &m->owner_id, &m->current_version,
	                    &m->published_version, &m->published);
}

enum db_status
store_scenario_new_version(struct store_ctx *ctx, long long id,
                           const char *title, const char *audience,
                           const char *doc, int *version)
{
	char           ib[24];
	const char    *v[4] = {STORE_INT(ib, id), title, audience, doc};
	PGresult      *res;
	enum db_status st = db_exec_row(ctx->db, ctx->arena,
	                                "scenario_new_version", 4, v, &res);

	if (st != DB_OK)
		return st;
	*version = (int)db_int(res, 0, 0);
	return DB_OK;
}

enum db_status
store_scenario_publish(struct store_ctx *ctx, long long id, int *version)
{
	char        ib[24];
	const char *v[1] = {STORE_INT(ib, id)};

	return db_exec_scan(ctx->db, ctx->arena, "scenario_publish", 1, v, "n",
	                    version);
}

enum db_status
store_scenario_list_json(struct store_ctx *ctx, bool see_all, const char **json)
{
	char        ub[24];
	const char *v[3] = {STORE_INT(ub, ctx->user_id), ctx->role,
	                    see_all ? "true" : "false"};
	return db_exec_value(ctx->db, ctx->arena, "scenario_list", 3, v, json);
}

enum db_status
store_scenario_document(struct store_ctx *ctx, long long id, int version,
                        const char **doc)
{
	char        ib[24], vb[24];
	const char *v[2] = {STORE_INT(ib, id), STORE_INT(vb, version)};
	return db_exec_value(ctx->db, ctx->arena, "scenario_document", 2, v,
	                     doc);
}

enum db_status
store_scenario_attempt(struct store_ctx *ctx, long long id, int version,
                       const char *choices, const char *path, int score,
                       const char *outcome)
{
	char        ib[24], vb[24], ub[24], sb[24];
	const char *v[8] = {STORE_INT(ib, id),
	                    STORE_INT(vb, version),
	                    STORE_INT(ub, ctx->user_id),
	                    choices,
	                    path,
	                    STORE_INT(sb, score),
	                    outcome,
	                    ctx->role};

	return db_exec(ctx->db, ctx->arena, "scenario_attempt", 8, v, NULL);
}

enum db_status
store_scenario_stats(struct store_ctx *ctx, long long id, int version,
                     struct store_choice_count **counts, size_t *n,
                     long long *attempts)
{
	char           ib[24], vb[24];
	const char    *v[2] = {STORE_INT(ib, id), STORE_INT(vb, version)};
	PGresult      *res;
	enum db_status st =
	    db_exec(ctx->db, ctx->arena, "scenario_attempt_count", 2, v, &res);

	if (st == DB_OK) {
		*attempts = db_int(res, 0, 0);
		st = db_exec(ctx->db, ctx->arena, "scenario_stats", 2, v, &res);
	}
	if (st != DB_OK)
		return st;
	*n = (size_t)PQntuples(res);
	*counts = arena_alloc(ctx->arena, (*n + 1) * sizeof(**counts));
	for (size_t i = 0; i < *n; i++) {
		(*counts)[i].node = db_value(res, (int)i, 0);
		(*counts)[i].choice = db_int(res, (int)i, 1);
		(*counts)[i].count = db_int(res, (int)i, 2);
	}
	return DB_OK;
}

enum db_status
store_scenario_media_add(struct store_ctx *ctx, long long id,
                         const char *media_id, const char *mime, size_t size)
{
	char        ib[24], sb[24];
	const char *v[4] = {media_id, STORE_INT(ib, id), mime,
	                    STORE_INT(sb, (long long)size)};

	return db_exec(ctx->db, ctx->arena, "scenario_media_add", 4, v, NULL);
}

enum db_status
store_media_mime(struct store_ctx *ctx, const char *media_id, const char **mime)
{
	const char *v[1] = {media_id};

	return db_exec_value(ctx->db, ctx->arena, "media_mime", 1, v, mime);
}
