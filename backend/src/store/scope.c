/* SQL of the route contract's scope checks: the owner of a board, region,
 * school or training named in a path, and whether the caller may see a
 * scenario or a media file. */
#include "scope.h"

/* $2..$4 of the scenario and media lookups: the caller's id, role and
 * whether they see every published scenario. */
#define CALLER_SEES STORE_SCENARIO_VISIBLE("$2", "$3", "$4")

const struct db_stmt store_scope_stmts[] = {
    {"scope_board", "SELECT id FROM boards WHERE id = $1", 1},
    {"scope_region", "SELECT id FROM regions WHERE id = $1", 1},
    {"scope_school", "SELECT board_id FROM schools WHERE id = $1", 1},
    {"scope_training", "SELECT trainer_id FROM trainings WHERE id = $1", 1},
    /* $1 scenario id */
    {"scope_scenario",
     "SELECT s.owner_id, s.published_version IS NOT NULL, " CALLER_SEES
     " FROM scenarios s WHERE s.id = $1",
     4},
    /* $1 media id (SHA-256); visible when some scenario holding it is. */
    {"scope_media",
     "SELECT 1 FROM scenario_media m JOIN scenarios s ON s.id = m.scenario_id"
     " WHERE m.id = $1 AND " CALLER_SEES " LIMIT 1",
     4},
    {0},
};

enum db_status
store_scope_owner(struct store_ctx *c, enum store_scope_kind kind, long long id,
                  long long *owner)
{
	/* In the order of enum store_scope_kind. */
	static const char *const names[] = {"scope_board", "scope_region",
	                                    "scope_school", "scope_training"};
	char                     b[24];
	const char              *v[1] = {STORE_INT(b, id)};
	PGresult                *res;
	enum db_status           st =
	    db_exec_row(c->db, c->arena, names[kind], 1, v, &res);

	if (st == DB_OK)
		*owner = db_int(res, 0, 0);
	return st;
}

enum db_status
store_scope_scenario(struct store_ctx *c, long long id, bool see_all,
                     struct store_scope_scenario *out)
{
	char        ib[24], ub[24];
	const char *v[4] = {STORE_INT(ib, id), STORE_INT(ub, c->user_id),
	                    c->role, see_all ? "true" : "false"};

	return db_exec_scan(c->db, c->arena, "scope_scenario", 4, v, "ibb",
	                    &out->owner, &out->published, &out->visible);
}

enum db_status
store_scope_media(struct store_ctx *c, const char *media_id, bool see_all)
{
	char        ub[24];
	const char *v[4] = {media_id, STORE_INT(ub, c->user_id), c->role,
	                    see_all ? "true" : "false"};
	const char *one;

	return db_exec_value(c->db, c->arena, "scope_media", 4, v, &one);
}
