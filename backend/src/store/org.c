/* SQL of the organisation: regions, boards, schools, accounts, join codes,
 * trainer-board links and the school package. */
#include "store.h"
#include "reader.h"

#include <string.h>

const struct db_stmt store_org_stmts[] = {
    {"region_create",
     "INSERT INTO regions (name) VALUES ($1) ON CONFLICT DO NOTHING"
     " RETURNING id",
     1},
    {"board_create",
     "INSERT INTO boards (name, number, region_id) VALUES ($1, $2, $3)"
     " ON CONFLICT DO NOTHING RETURNING id",
     3},
    {"region_exists", "SELECT 1 FROM regions WHERE id = $1", 1},
    {"region_list",
     "SELECT coalesce(json_agg(json_build_object('id', r.id, 'name', r.name,"
     " 'code', r.code, 'municipalities', (SELECT count(*) FROM municipalities m"
     "   WHERE m.region_id = r.id)) ORDER BY r.name), '[]')"
     " FROM regions r WHERE $1::bigint = 0 OR r.id = $1",
     1},
    {"board_list",
     "SELECT coalesce(json_agg(json_build_object('id', b.id, 'name', b.name,"
     " 'number', b.number, 'region_id', b.region_id,"
     " 'schools', (SELECT count(*) FROM schools s WHERE s.board_id = b.id"
     "   AND s.closed_at IS NULL)) ORDER BY b.name, b.id), '[]')"
     " FROM boards b",
     0},
    {"board_exists", "SELECT 1 FROM boards WHERE id = $1", 1},
    {"school_create",
     "WITH m AS (INSERT INTO municipalities (name) VALUES ($4)"
     "   ON CONFLICT ((lower(name))) DO UPDATE SET name = municipalities.name"
     "   RETURNING id)"
     " INSERT INTO schools (board_id, name, brin, municipality,"
     " municipality_id, join_code) SELECT $1, $2, $3, $4, m.id, $5 FROM m"
     " ON CONFLICT DO NOTHING RETURNING id",
     5},
    {"board_schools",
     "SELECT coalesce(json_agg(json_build_object('id', s.id, 'name', s.name,"
     " 'brin', s.brin, 'municipality', s.municipality,"
     " 'join_code', s.join_code, 'closed', s.closed_at IS NOT NULL)"
     " ORDER BY s.name, s.id), '[]')"
     " FROM schools s WHERE s.board_id = $1",
     1},
    {"school_join_code",
     "UPDATE schools SET join_code = $2 WHERE id = $1 RETURNING join_code", 2},
    {"user_create",
     "INSERT INTO users (email, name, password_hash, role, board_id,"
     " region_id, email_verified, email_canonical)"
     " VALUES ($1, $2, $3, $4, $5, $6, true, $7)"
     " ON CONFLICT (email_canonical) DO NOTHING RETURNING id",
     7},
    {"trainer_board_link",
     "INSERT INTO trainer_boards (trainer_id, board_id)"
     " SELECT u.id, $2 FROM users u WHERE u.id = $1 AND u.role = 'trainer'"
     " ON CONFLICT DO NOTHING RETURNING trainer_id",
     2},
    {"trainer_is", "SELECT 1 FROM users WHERE id = $1 AND role = 'trainer'", 1},
    {"package_set",
     "INSERT INTO school_package (school_id, item, done_on, ticked_by)"
     " VALUES ($1, $2, $3, $4) ON CONFLICT (school_id, item) DO UPDATE"
     " SET done_on = EXCLUDED.done_on, ticked_by = EXCLUDED.ticked_by,"
     " ticked_at = now()",
     4},
    {"package_clear",
     "DELETE FROM school_package WHERE school_id = $1 AND item = $2", 2},
    {0},
};

/* Runs a statement that returns one id, or none on a conflict. */
static enum db_status
returning_id(struct store_ctx *ctx, const char *name, int n,
             const char *const *v, long long *id)
{
	PGresult      *res;
	enum db_status st = db_exec(ctx->db, ctx->arena, name, n, v, &res);

	if (st != DB_OK)
		return st;
	if (PQntuples(res) != 1)
		return DB_CONFLICT;
	if (id != NULL)
		*id = db_int(res, 0, 0);
	return DB_OK;
}

static enum db_status
exists(struct store_ctx *ctx, const char *name, long long id)
{
	PGresult      *res;
	enum db_status st = db_exec_id(ctx->db, ctx->arena, name, id, &res);

	return st == DB_OK && PQntuples(res) != 1 ? DB_NOT_FOUND : st;
}

enum db_status
store_region_create(struct store_ctx *ctx, const char *name, long long *id)
{
	const char *v[1] = {name};

	return returning_id(ctx, "region_create", 1, v, id);
}

enum db_status
store_region_exists(struct store_ctx *ctx, long long id)
{
	return exists(ctx, "region_exists", id);
}

enum db_status
store_board_exists(struct store_ctx *ctx, long long id)
{
	return exists(ctx, "board_exists", id);
}

enum db_status
store_board_create(struct store_ctx *ctx, const char *name, const char *number,
                   long long region_id, long long *id)
{
	char        rb[24];
	const char *v[3] = {name, number,
	                    region_id ? STORE_INT(rb, region_id) : NULL};

	return returning_id(ctx, "board_create", 3, v, id);
}

enum db_status
store_school_create(struct store_ctx *ctx, long long board_id, const char *name,
                    const char *brin, const char *municipality,
                    const char *join_code, long long *id)
{
	char        bb[24];
	const char *v[5] = {STORE_INT(bb, board_id), name, brin, municipality,
	                    join_code};

	return returning_id(ctx, "school_create", 5, v, id);
}

STORE_VALUE_BY_ID(store_board_schools_json, "board_schools")

enum db_status
store_school_set_join_code(struct store_ctx *ctx, long long school_id,
                           const char *code)
{
	char           b[24];
	const char    *v[2] = {STORE_INT(b, school_id), code};
	enum db_status st = returning_id(ctx, "school_join_code", 2, v, NULL);

	return st == DB_CONFLICT ? DB_NOT_FOUND : st;
}

enum db_status
store_user_create(struct store_ctx *ctx, const char *email,
                  const char *canonical, const char *name, const char *hash,
                  const char *role, long long board_id, long long region_id,
                  long long *id)
{
	char        bb[24], rb[24];
	const char *v[7] = {email,
	                    name,
	                    hash,
	                    role,
	                    board_id ? STORE_INT(bb, board_id) : NULL,
	                    region_id ? STORE_INT(rb, region_id) : NULL,
	                    canonical};

	return returning_id(ctx, "user_create", 7, v, id);
}

enum db_status
store_trainer_board_link(struct store_ctx *ctx, long long trainer_id,
                         long long board_id)
{
	char        tb[24], bb[24];
	const char *v[2] = {STORE_INT(tb, trainer_id), STORE_INT(bb, board_id)};
	enum db_status st = exists(ctx, "trainer_is", trainer_id);

	if (st != DB_OK)
		return st;
	st = returning_id(ctx, "trainer_board_link", 2, v, NULL);
	/* Linking twice is fine: the link exists. */
	return st == DB_CONFLICT ? DB_OK : st;
}

enum db_status
store_package_set(struct store_ctx *ctx, long long school_id, const char *item,
                  const char *done_on)
{
	char        sb[24], ub[24];
	const char *v[4] = {STORE_INT(sb, school_id), item, done_on,
	                    STORE_INT(ub, ctx->user_id)};

	if (done_on == NULL)
		return db_exec(ctx->db, ctx->arena, "package_clear", 2, v,
		               NULL);
	return db_exec(ctx->db, ctx->arena, "package_set", 4, v, NULL);
}

STORE_VALUE_BY_ID(store_region_list_json, "region_list")

enum db_status
store_board_list_json(struct store_ctx *ctx, const char **json)
{
	return db_exec_value(ctx->db, ctx->arena, "board_list", 0, NULL, json);
}
