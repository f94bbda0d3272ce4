/* SQL of accounts: token checks, login, registration, revocation, /me. */
#include "store.h"
#include "reader.h"

#include "../user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct db_stmt store_users_stmts[] = {
    {"user_for_token", STORE_CALLER_SQL("$1", "$2", "$3"), 3},
    {"user_by_id",
     "SELECT u.id, u.email, u.name, u.role, u.school_id, u.board_id,"
     " u.region_id FROM users u WHERE u.id = $1",
     1},
    /* The account of a canonical address ($1), the recent failed logins
     * without a device cookie for it (from the client's pair key $2, from
     * anywhere, and from the client's network $3 for any address), each
     * with the seconds since the last one, and the account's device of
     * cookie hash $4 with its own recent failures. */
    {"user_login_lookup",
     "SELECT u.id, u.password_hash, a.pair_n,"
     " coalesce(extract(epoch FROM now() - a.pair_last), 0), c.net_n,"
     " coalesce(extract(epoch FROM now() - c.net_last), 0), a.all_n,"
     " coalesce(extract(epoch FROM now() - a.all_last), 0), d.id,"
     " CASE WHEN d.failed_at > now() - interval '15 minutes'"
     "   THEN d.failures ELSE 0 END,"
     " coalesce(extract(epoch FROM now() - d.failed_at), 0)"
     " FROM (SELECT count(*) FILTER (WHERE client = $2) AS pair_n,"
     "   max(at) FILTER (WHERE client = $2) AS pair_last,"
     "   count(*) AS all_n, max(at) AS all_last FROM login_failures"
     "   WHERE email = $1 AND at > now() - interval '15 minutes') a"
     " CROSS JOIN (SELECT count(*) AS net_n, max(at) AS net_last"
     "   FROM login_failures"
     "   WHERE net = $3 AND at > now() - interval '15 minutes') c"
     " LEFT JOIN users u ON u.email_canonical = $1"
     " LEFT JOIN login_devices d ON d.user_id = u.id"
     "   AND d.cookie_hash = $4 AND d.expires_at > now()",
     4},
    /* Records a failure and prunes a bounded number of rows that have
     * left the window, so that no address is kept longer than needed. */
    {"user_login_failed",
     "WITH old AS (DELETE FROM login_failures WHERE ctid = ANY (ARRAY("
     "   SELECT ctid FROM login_failures"
     "   WHERE at < now() - interval '15 minutes' ORDER BY at LIMIT 100)))"
     " INSERT INTO login_failures (email, client, net) VALUES ($1, $2, $3)",
     3},
    {"user_login_succeeded",
     "DELETE FROM login_failures WHERE email = $1 AND client = $2", 2},
    /* A failure on a known device restarts its count once the last one
     * has left the 15-minute window. */
    {"login_device_failed",
     "UPDATE login_devices SET failed_at = now(), failures = CASE"
     " WHEN failed_at > now() - interval '15 minutes' THEN failures + 1"
     " ELSE 1 END WHERE id = $1",
     1},
    {"login_device_succeeded",
     "UPDATE login_devices SET failures = 0, failed_at = NULL WHERE id = $1",
     1},
    /* A new device of account $1 (cookie hash $2, $3 days); the account
     * keeps its newest $4 devices, and a bounded number of expired rows of
     * any account go. */
    {"login_device_add",
     "WITH old AS (DELETE FROM login_devices d WHERE d.id IN ("
     "   SELECT id FROM login_devices WHERE user_id = $1"
     "   ORDER BY id DESC OFFSET $4::int - 1)"
     "   OR d.id = ANY (ARRAY(SELECT id FROM login_devices"
     "   WHERE expires_at <= now() LIMIT 100)))"
     " INSERT INTO login_devices (user_id, cookie_hash, expires_at)"
     " VALUES ($1, $2, now() + make_interval(days => $3::int))",
     4},
    {"login_devices_drop", "DELETE FROM login_devices WHERE user_id = $1", 1},
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
    /* A row back: this call revoked it (else DB_NOT_FOUND). */
    {"token_revoke",
     "INSERT INTO revoked_tokens (jti, expires_at)"
     " VALUES ($1, to_timestamp($2)) ON CONFLICT DO NOTHING RETURNING jti",
     2},
    /* $2: when the caller's session ends (RFC 3339, from the token). */
    {"user_me",
     "SELECT json_build_object('id', u.id, 'email', u.email, 'name', u.name,"
     " 'role', u.role, 'session_expires_at', $2::text,"
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
     2},
    {0},
};

/* The columns of user_for_token and user_by_id into a struct user. */
static enum db_status
user_row(struct store_ctx *ctx, const char *name, int n, const char *const *v,
         struct user *u)
{
	return db_exec_scan(ctx->db, ctx->arena, name, n, v, "isssiii", &u->id,
	                    &u->email, &u->name, &u->role, &u->school_id,
	                    &u->board_id, &u->region_id);
}

enum db_status
store_user_for_token(struct store_ctx *ctx, long long user_id, const char *jti,
                     long long iat_ms, struct user *out)
{
	char        id[24], at[24];
	const char *v[3] = {STORE_INT(id, user_id), jti, STORE_INT(at, iat_ms)};

	return user_row(ctx, "user_for_token", 3, v, out);
}

enum db_status
store_exec_as_caller(struct store_ctx *ctx, const char *name, int nextra,
                     const char *const *extra, struct user *me, PGresult **res)
{
	char           id[24], iat[24];
	const char    *v[3 + 4];
	enum db_status st;

	memset(me, 0, sizeof(*me));
	if (nextra < 0 || nextra > 4)
		return DB_ERROR;
	v[0] = STORE_INT(id, ctx->token->user_id);
	v[1] = ctx->token->jti;
	v[2] = STORE_INT(iat, ctx->token->iat_ms);
	for (int i = 0; i < nextra; i++)
		v[3 + i] = extra[i];
	st = db_exec(ctx->db, ctx->arena, name, 3 + nextra, v, res);
	if (st != DB_OK || PQntuples(*res) < 1 ||
	    PQnfields(*res) < STORE_CALLER_NCOLS)
		return st;
	me->id = db_int(*res, 0, 0);
	me->email = db_value(*res, 0, 1);
	me->name = db_value(*res, 0, 2);
	me->role = db_value(*res, 0, 3);
	me->school_id = db_int(*res, 0, 4);
	me->board_id = db_int(*res, 0, 5);
	me->region_id = db_int(*res, 0, 6);
	return DB_OK;
}

enum db_status
store_user_by_id(struct store_ctx *ctx, long long user_id, struct user *out)
{
	char        id[24];
	const char *v[1] = {STORE_INT(id, user_id)};

	return user_row(ctx, "user_by_id", 1, v, out);
}

enum db_status
store_user_login_lookup(struct store_ctx *ctx, const char *canonical,
                        const char *client, const char *net,
                        const char *device_hash, struct login_row *out)
{
	const char *v[4] = {canonical, client, net, device_hash};

	return db_exec_scan(
	    ctx->db, ctx->arena, "user_login_lookup", 4, v, "izidididiid",
	    &out->user_id, &out->password_hash, &out->pair_failures,
	    &out->pair_age, &out->client_failures, &out->client_age,
	    &out->address_failures, &out->address_age, &out->device_id,
	    &out->device_failures, &out->device_age);
}

enum db_status
store_user_login_failed(struct store_ctx *ctx, const char *canonical,
                        const char *client, const char *net)
{
	const char *v[3] = {canonical, client, net};

	return db_exec(ctx->db, ctx->arena, "user_login_failed", 3, v, NULL);
}

enum db_status
store_user_login_succeeded(struct store_ctx *ctx, const char *canonical,
                           const char *client)
{
	const char *v[2] = {canonical, client};

	return db_exec(ctx->db, ctx->arena, "user_login_succeeded", 2, v, NULL);
}

STORE_RUN_BY_ID(store_login_device_failed, "login_device_failed")

STORE_RUN_BY_ID(store_login_device_succeeded, "login_device_succeeded")

enum db_status
store_login_device_add(struct store_ctx *ctx, long long user_id,
                       const char *cookie_hash, int days, int keep)
{
	char        id[24], d[24], k[24];
	const char *v[4] = {STORE_INT(id, user_id), cookie_hash,
	                    STORE_INT(d, days), STORE_INT(k, keep)};

	return db_exec(ctx->db, ctx->arena, "login_device_add", 4, v, NULL);
}

STORE_RUN_BY_ID(store_login_devices_drop, "login_devices_drop")

enum db_status
store_school_by_join_code(struct store_ctx *ctx, const char *code,
                          long long *school_id, long long *board_id)
{
	const char *v[1] = {code};

	return db_exec_scan(ctx->db, ctx->arena, "school_by_join_code", 1, v,
	                    "ii", school_id, board_id);
}

enum db_status
store_register_attempt(struct store_ctx *ctx, const char *addr,
                       long long *recent)
{
	const char *v[1] = {addr};

	return db_exec_scan(ctx->db, ctx->arena, "register_attempt", 1, v, "i",
	                    recent);
}

enum db_status
store_user_create_teacher(struct store_ctx *ctx, const char *email,
                          const char *canonical, const char *name,
                          const char *hash, long long school_id, long long *id)
{
	char           sid[24];
	const char    *v[5] = {email, name, hash, STORE_INT(sid, school_id),
	                       canonical};
	PGresult      *res;
	enum db_status st =
	    db_exec(ctx->db, ctx->arena, "user_create_teacher", 5, v, &res);

	if (st != DB_OK)
		return st;
	if (PQntuples(res) != 1)
		return DB_CONFLICT;
	*id = db_int(res, 0, 0);
	return DB_OK;
}

enum db_status
store_token_revoke(struct store_ctx *ctx, const char *jti, long long exp)
{
	char        e[24];
	const char *v[2] = {jti, STORE_INT(e, exp)}, *revoked;

	return db_exec_value(ctx->db, ctx->arena, "token_revoke", 2, v,
	                     &revoked);
}

enum db_status
store_user_me_json(struct store_ctx *ctx, long long user_id,
                   const char *session_expires_at, const char **json)
{
	char        id[24];
	const char *v[2] = {STORE_INT(id, user_id), session_expires_at};

	return db_exec_value(ctx->db, ctx->arena, "user_me", 2, v, json);
}
