/* SQL of the roster import: one transaction that replaces a board's staff
 * list, keeping history (people who are not on the new list are marked as
 * left, never deleted). */
#include "store.h"

#include <stdlib.h>
#include <string.h>

/* An account the roster of board $1 may link and move without asking: one
 * at a school of that board, or at no school yet.  Any other needs its
 * owner's consent (staff_invitations, sql/009). */
#define ROSTER_OWN_ACCOUNT                                                     \
	"coalesce((SELECT us.board_id FROM schools us WHERE us.id = "          \
	"u.school_id),"                                                        \
	" u.board_id, $1) = $1"

const struct db_stmt store_roster_stmts[] = {
    {"roster_lock",
     "SELECT pg_advisory_xact_lock(hashtextextended('roster:' || $1::text, 0))",
     1},
    /* 1-based positions of the rows whose school is not an open school of
     * the board. */
    {"roster_unknown_brins",
     "SELECT i.ord FROM unnest($2::text[]) WITH ORDINALITY AS i(brin, ord)"
     " WHERE NOT EXISTS (SELECT 1 FROM schools s WHERE s.brin = i.brin"
     " AND s.board_id = $1 AND s.closed_at IS NULL) ORDER BY i.ord",
     2},
    {"roster_apply",
     "WITH input AS (SELECT i.email, i.name, i.role, s.id AS school_id"
     "   FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])"
     "   AS i(email, name, role, brin)"
     "   JOIN schools s ON s.brin = i.brin AND s.board_id = $1),"
     " cur AS (SELECT st.id, st.email, st.school_id, st.name, st.role"
     "   FROM staff st JOIN schools s ON s.id = st.school_id"
     "   WHERE s.board_id = $1 AND st.left_at IS NULL),"
     " gone AS (UPDATE staff SET left_at = now() WHERE id IN (SELECT cur.id"
     "   FROM cur LEFT JOIN input i ON i.email = cur.email"
     "   AND i.school_id = cur.school_id WHERE i.email IS NULL) RETURNING id),"
     " changed AS (UPDATE staff st SET name = i.name, role = i.role"
     "   FROM input i, cur WHERE cur.id = st.id AND i.email = cur.email"
     "   AND i.school_id = cur.school_id"
     "   AND (cur.name <> i.name OR cur.role <> i.role) RETURNING st.id),"
     " created AS (INSERT INTO staff (school_id, email, name, role, user_id,"
     "   source) SELECT i.school_id, i.email, i.name, i.role,"
     "   (SELECT u.id FROM users u WHERE"
     "     u.email_canonical = i.email"
     "     AND u.email_verified AND u.role IN ('teacher', 'ib')"
     "     AND " ROSTER_OWN_ACCOUNT "), 'roster'"
     /* Against staff itself, so that staff_open_idx serves it whatever
      * the estimates of the CTE. */
     "   FROM input i WHERE NOT EXISTS (SELECT 1 FROM staff x"
     "   WHERE x.email = i.email AND x.school_id = i.school_id"
     "   AND x.left_at IS NULL)"
     "   RETURNING id),"
     /* A verified account of this board (or of none) follows the roster:
      * its school and role.  One of another board is only invited. */
     " accounts AS (UPDATE users u SET role = i.role, school_id = i.school_id,"
     "   board_id = $1 FROM input i WHERE"
     "   u.email_canonical = i.email"
     "   AND u.email_verified AND u.role IN ('teacher', 'ib')"
     "   AND " ROSTER_OWN_ACCOUNT
     "   AND (u.role <> i.role OR u.school_id IS DISTINCT FROM i.school_id)"
     "   RETURNING u.id)"
     " SELECT (SELECT count(*) FROM created), (SELECT count(*) FROM changed),"
     " (SELECT count(*) FROM input) - (SELECT count(*) FROM created)"
     "   - (SELECT count(*) FROM changed),"
     " (SELECT count(*) FROM gone), (SELECT count(*) FROM accounts)",
     5},
    /* The board's open stays without a person whose address is a verified
     * account of another board: invite its owner (once per stay, with a
     * mail).  Materialized, so that every invitation is made.  $1 board,
     * $2 public URL; returns the number of new invitations. */
    {"roster_invite",
     "WITH inv AS MATERIALIZED (SELECT staff_invite(st.id, u.id, $2) AS new"
     "   FROM staff st JOIN schools s ON s.id = st.school_id"
     "   JOIN users u ON"
     "   u.email_canonical = st.email"
     "   WHERE s.board_id = $1 AND st.left_at IS NULL AND st.user_id IS NULL"
     "   AND u.email_verified AND u.erased_at IS NULL"
     "   AND u.role IN ('teacher', 'ib') AND NOT (" ROSTER_OWN_ACCOUNT "))"
     " SELECT count(*) FILTER (WHERE new) FROM inv",
     2},
    {0},
};

enum db_status
store_roster_unknown_brins(struct store_ctx *ctx, long long board_id,
                           const char *const *brins, size_t n, size_t **unknown,
                           size_t *nunknown)
{
	char           b[24];
	const char    *v[2] = {STORE_INT(b, board_id),
	                       db_text_array(ctx->arena, brins, n)};
	PGresult      *res;
	enum db_status st =
	    db_exec(ctx->db, ctx->arena, "roster_unknown_brins", 2, v, &res);

	*unknown = NULL;
	*nunknown = 0;
	if (st != DB_OK || PQntuples(res) == 0)
		return st;
	*nunknown = (size_t)PQntuples(res);
	*unknown = arena_alloc(ctx->arena, *nunknown * sizeof(size_t));
	for (size_t i = 0; i < *nunknown; i++)
		(*unknown)[i] = (size_t)db_int(res, (int)i, 0) - 1;
	return DB_OK;
}

enum db_status
store_roster_import(struct store_ctx *ctx, long long board_id,
                    const struct store_roster_row *rows, size_t n,
                    size_t **unknown, size_t *nunknown,
                    struct store_roster_counts *counts, const char *public_url)
{
	const char **emails = arena_alloc(ctx->arena, (n + 1) * sizeof(char *));
	const char **names = arena_alloc(ctx->arena, (n + 1) * sizeof(char *));
	const char **roles = arena_alloc(ctx->arena, (n + 1) * sizeof(char *));
	const char **brins = arena_alloc(ctx->arena, (n + 1) * sizeof(char *));
	char         b[24];
	const char  *v[5];
	PGresult    *res;
	enum db_status st;

	*unknown = NULL;
	*nunknown = 0;
	memset(counts, 0, sizeof(*counts));
	for (size_t i = 0; i < n; i++) {
		emails[i] = rows[i].email;
		names[i] = rows[i].name;
		roles[i] = rows[i].role;
		brins[i] = rows[i].brin;
	}
	v[0] = STORE_INT(b, board_id);
	v[1] = db_text_array(ctx->arena, emails, n);
	v[2] = db_text_array(ctx->arena, names, n);
	v[3] = db_text_array(ctx->arena, roles, n);
	v[4] = db_text_array(ctx->arena, brins, n);
	st = db_begin(ctx->db);
	if (st == DB_OK)
		st = db_allow_long_statements(ctx->db);
	if (st == DB_OK)
		st = db_exec(ctx->db, ctx->arena, "roster_lock", 1, v, NULL);
	if (st == DB_OK) {
		const char *uv[2] = {v[0], v[4]};

		st = db_exec(ctx->db, ctx->arena, "roster_unknown_brins", 2, uv,
		             &res);
	}
	if (st == DB_OK && PQntuples(res) > 0) {
		*nunknown = (size_t)PQntuples(res);
		*unknown = arena_alloc(ctx->arena, *nunknown * sizeof(size_t));
		for (size_t i = 0; i < *nunknown; i++)
			(*unknown)[i] = (size_t)db_int(res, (int)i, 0) - 1;
		db_rollback(ctx->db);
		return DB_OK;
	}
	if (st == DB_OK)
		st = db_exec(ctx->db, ctx->arena, "roster_apply", 5, v, &res);
	if (st == DB_OK) {
		const char *iv[2] = {v[0], public_url};

		counts->created = db_int(res, 0, 0);
		counts->updated = db_int(res, 0, 1);
		counts->unchanged = db_int(res, 0, 2);
		counts->removed = db_int(res, 0, 3);
		st = db_exec(ctx->db, ctx->arena, "roster_invite", 2, iv, &res);
	}
	if (st == DB_OK) {
		counts->invited = db_int(res, 0, 0);
		st = db_commit(ctx->db);
	}
	if (st != DB_OK) {
		db_rollback(ctx->db);
		return st;
	}
	return DB_OK;
}
