/* SQL of accounts: token checks, login, registration, revocation, /me. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct db_stmt store_users_stmts[] = {
    {"user_for_token",
     "SELECT u.id, u.email, u.name, u.role, u.school_id, u.board_id,"
     " u.region_id FROM users u"
     " WHERE u.id = $1 AND u.erased_at IS NULL"
     " AND u.tokens_valid_after <= to_timestamp($3::bigint / 1000.0)"
     " AND NOT EXISTS (SELECT 1 FROM revoked_tokens t WHERE t.jti = $2)",
     3},
    {"user_by_id",
     "SELECT u.id, u.email, u.name, u.role, u.school_id, u.board_id,"
     " u.region_id FROM users u WHERE u.id = $1",
     1},
    /* The account of a canonical address ($1) and the recent failed
     * logins from the client ($2): for this address, and for any; each
     * with the seconds since the last one. */
    {"user_login_lookup",
     "SELECT u.id, u.password_hash, f.pair_n,"
     " coalesce(extract(epoch FROM now() - f.pair_last), 0), f.client_n,"
     " coalesce(extract(epoch FROM now() - f.client_last), 0)"
     " FROM (SELECT count(*) FILTER (WHERE email = $1) AS pair_n,"
     "   max(at) FILTER (WHERE email = $1) AS pair_last,"
     "   count(*) AS client_n, max(at) AS client_last FROM login_failures"
     "   WHERE client = $2 AND at > now() - interval '15 minutes') f"
     " LEFT JOIN users u ON u.email_canonical = $1",
     2},
    /* Records a failure and prunes a bounded number of rows that have
     * left the window, so that no address is kept longer than needed. */
    {"user_login_failed",
     "WITH old AS (DELETE FROM login_failures WHERE ctid = ANY (ARRAY("
     "   SELECT ctid FROM login_failures"
     "   WHERE at < now() - interval '15 minutes' ORDER BY at LIMIT 100)))"
     " INSERT INTO login_failures (email, client) VALUES ($1, $2)",
     2},
    {"user_login_succeeded",
     "DELETE FROM login_failures WHERE email = $1 AND client = $2", 2},
    {"school_by_join_code",
     "SELECT id, board_id FROM schools"
     " WHERE join_code = upper($1) AND closed_at IS NULL",
     1},
    {"register_attempt",
     "WITH ins AS (INSERT INTO register_attempts (addr) VALUES ($1))"
     " SELECT count(*) FROM register_attempts"
     " WHERE addr = $1 AND at > now() - interval '1 hour'",
     1},
    /* A new account is a teacher of the join code's school.  When the
     * school's roster already lists the email, the roster's name applies and
     * the roster row is linked (with its role) only once the address is
     * verified; otherwise the person joins the school's staff at once.
     * $1 the address as typed, $5 its canonical form (validate.c). */
    {"user_create_teacher",
     "WITH s AS (SELECT id, board_id FROM schools WHERE id = $4),"
     " roster AS (SELECT st.name FROM staff st WHERE st.school_id = $4"
     "   AND st.email = $5 AND st.left_at IS NULL),"
     " u AS (INSERT INTO users (email, email_canonical, name, password_hash,"
     "   role, school_id, board_id) SELECT $1, $5,"
     "   coalesce((SELECT name FROM roster), $2), $3, 'teacher', s.id,"
     "   s.board_id FROM s"
     "   ON CONFLICT (email_canonical) DO NOTHING RETURNING id),"
     " joined AS (INSERT INTO staff (school_id, email, name, role, user_id,"
     "   source) SELECT $4, $5, $2, 'teacher', u.id, 'join_code'"
     "   FROM u WHERE NOT EXISTS (SELECT 1 FROM roster) RETURNING id)"
     " SELECT id FROM u",
     5},
    {"token_revoke",
     "INSERT INTO revoked_tokens (jti, expires_at)"
     " VALUES ($1, to_timestamp($2)) ON CONFLICT DO NOTHING",
     2},
    {"user_me",
     "SELECT json_build_object('id', u.id, 'email', u.email, 'name', u.name,"
     " 'role', u.role,"
     " 'school', CASE WHEN s.id IS NULL THEN NULL ELSE json_build_object("
     "   'id', s.id, 'name', s.name, 'brin', s.brin,"
     "   'municipality', s.municipality) END,"
     " 'board', CASE WHEN b.id IS NULL THEN NULL ELSE json_build_object("
     "   'id', b.id, 'name', b.name) END,"
     " 'region', CASE WHEN r.id IS NULL THEN NULL ELSE json_build_object("
     "   'id', r.id, 'name', r.name) END)"
     " FROM users u LEFT JOIN schools s ON s.id = u.school_id"
     " LEFT JOIN boards b ON b.id = coalesce(u.board_id, s.board_id)"
     " LEFT JOIN regions r ON r.id = u.region_id"
     " WHERE u.id = $1",
     1},
    {0},
};

static void
row_to_user(const PGresult *res, struct user *u)
{
	u->id = db_int(res, 0, 0);
	u->email = db_value(res, 0, 1);
	u->name = db_value(res, 0, 2);
	u->role = db_value(res, 0, 3);
	u->school_id = db_int(res, 0, 4);
	u->board_id = db_int(res, 0, 5);
	u->region_id = db_int(res, 0, 6);
}

enum db_status
store_user_for_token(struct request *r, long long user_id, const char *jti,
                     long long iat_ms, struct user *out)
{
	char        id[24], at[24];
	const char *v[3] = {STORE_INT(id, user_id), jti, STORE_INT(at, iat_ms)};
	PGresult   *res;
	enum db_status st =
	    db_exec_row(r->db, r->arena, "user_for_token", 3, v, &res);

	if (st != DB_OK)
		return st;
	row_to_user(res, out);
	return DB_OK;
}

enum db_status
store_user_by_id(struct request *r, long long user_id, struct user *out)
{
	char           id[24];
	const char    *v[1] = {STORE_INT(id, user_id)};
	PGresult      *res;
	enum db_status st =
	    db_exec_row(r->db, r->arena, "user_by_id", 1, v, &res);

	if (st != DB_OK)
		return st;
	row_to_user(res, out);
	return DB_OK;
}

enum db_status
store_user_login_lookup(struct request *r, const char *canonical,
                        const char *client, struct login_row *out)
{
	const char    *v[2] = {canonical, client};
	PGresult      *res;
	enum db_status st =
	    db_exec(r->db, r->arena, "user_login_lookup", 2, v, &res);

	if (st != DB_OK)
		return st;
	out->user_id = db_int(res, 0, 0);
	out->password_hash = db_is_null(res, 0, 1) ? NULL : db_value(res, 0, 1);
	out->pair_failures = db_int(res, 0, 2);
	out->pair_age = strtod(db_value(res, 0, 3), NULL);
	out->client_failures = db_int(res, 0, 4);
	out->client_age = strtod(db_value(res, 0, 5), NULL);
	return DB_OK;
}

enum db_status
store_user_login_failed(struct request *r, const char *canonical,
                        const char *client)
{
	const char *v[2] = {canonical, client};

	return db_exec(r->db, r->arena, "user_login_failed", 2, v, NULL);
}

enum db_status
store_user_login_succeeded(struct request *r, const char *canonical,
                           const char *client)
{
	const char *v[2] = {canonical, client};

	return db_exec(r->db, r->arena, "user_login_succeeded", 2, v, NULL);
}

enum db_status
store_school_by_join_code(struct request *r, const char *code,
                          long long *school_id, long long *board_id)
{
	const char    *v[1] = {code};
	PGresult      *res;
	enum db_status st =
	    db_exec_row(r->db, r->arena, "school_by_join_code", 1, v, &res);

	if (st != DB_OK)
		return st;
	*school_id = db_int(res, 0, 0);
	*board_id = db_int(res, 0, 1);
	return DB_OK;
}

enum db_status
store_register_attempt(struct request *r, const char *addr, long long *recent)
{
	const char    *v[1] = {addr};
	PGresult      *res;
	enum db_status st =
	    db_exec(r->db, r->arena, "register_attempt", 1, v, &res);

	if (st != DB_OK)
		return st;
	*recent = db_int(res, 0, 0);
	return DB_OK;
}

enum db_status
store_user_create_teacher(struct request *r, const char *email,
                          const char *canonical, const char *name,
                          const char *hash, long long school_id, long long *id)
{
	char           sid[24];
	const char    *v[5] = {email, name, hash, STORE_INT(sid, school_id),
	                       canonical};
	PGresult      *res;
	enum db_status st =
	    db_exec(r->db, r->arena, "user_create_teacher", 5, v, &res);

	if (st != DB_OK)
		return st;
	if (PQntuples(res) != 1)
		return DB_CONFLICT;
	*id = db_int(res, 0, 0);
	return DB_OK;
}

enum db_status
store_token_revoke(struct request *r, const char *jti, long long exp)
{
	char        e[24];
	const char *v[2] = {jti, STORE_INT(e, exp)};

	return db_exec(r->db, r->arena, "token_revoke", 2, v, NULL);
}

enum db_status
store_user_me_json(struct request *r, long long user_id, const char **json)
{
	char        id[24];
	const char *v[1] = {STORE_INT(id, user_id)};
	return db_exec_value(r->db, r->arena, "user_me", 1, v, json);
}
