/* SQL of staff invitations: a board that put someone else's account on its
 * roster asks the owner, who accepts (the stay is linked) or declines; and
 * the linking that follows a verified address (sql/009). */
#include "store.h"
#include "reader.h"

#include <string.h>

const struct db_stmt store_invitations_stmts[] = {
    /* The caller's open invitations: a stay still open and without a
     * person. */
    {"invitations_mine",
     "SELECT coalesce(json_agg(json_build_object('id', i.id,"
     " 'board', json_build_object('id', b.id, 'name', b.name),"
     " 'school', json_build_object('id', s.id, 'name', s.name),"
     " 'role', st.role, 'name', st.name,"
     " 'invited_at', rfc3339(i.created_at)) ORDER BY i.id), '[]')"
     " FROM staff_invitations i JOIN staff st ON st.id = i.staff_id"
     " JOIN schools s ON s.id = st.school_id JOIN boards b ON b.id = s.board_id"
     " WHERE i.user_id = $1 AND i.status = 'pending'"
     " AND st.left_at IS NULL AND st.user_id IS NULL",
     1},
    /* $1 invitation, $2 caller: whether it can still be answered. */
    {"invitation_lock",
     "SELECT i.staff_id, i.status = 'pending' AND st.left_at IS NULL"
     " AND st.user_id IS NULL FROM staff_invitations i"
     " JOIN staff st ON st.id = i.staff_id"
     " WHERE i.id = $1 AND i.user_id = $2 FOR UPDATE OF i, st",
     2},
    /* $1 invitation, $2 accepted or declined */
    {"invitation_decide",
     "UPDATE staff_invitations SET status = $2, decided_at = now()"
     " WHERE id = $1 AND status = 'pending'",
     2},
    /* Accepting links the stay; the account keeps its own school, board
     * and role.  The staff_status trigger fills the stay's status. */
    {"invitation_link",
     "UPDATE staff SET user_id = $2 WHERE id = $1 AND user_id IS NULL"
     " AND left_at IS NULL",
     2},
    {"training_credits_apply", "SELECT training_credits_apply($1)", 1},
    {"staff_link_verified", "SELECT staff_link_verified($1, $2)", 2},
    {0},
};

STORE_VALUE_OF_CALLER(store_invitations_mine_json, "invitations_mine")

enum db_status
store_invitation_answer(struct store_ctx *ctx, long long id, bool accept,
                        long long *staff_id, long long *issued)
{
	char           ib[24], ub[24], sb[24];
	const char    *lv[2] = {STORE_INT(ib, id), STORE_INT(ub, ctx->user_id)};
	const char    *dv[2] = {ib, accept ? "accepted" : "declined"};
	const char    *kv[2] = {sb, ub};
	PGresult      *res;
	enum db_status st;

	*staff_id = 0;
	*issued = 0;
	st = db_begin(ctx->db);
	if (st == DB_OK)
		st = db_exec_row(ctx->db, ctx->arena, "invitation_lock", 2, lv,
		                 &res);
	if (st == DB_OK && db_value(res, 0, 1)[0] != 't')
		st = DB_CONFLICT;
	if (st == DB_OK) {
		*staff_id = db_int(res, 0, 0);
		STORE_INT(sb, *staff_id);
		st = db_exec(ctx->db, ctx->arena, "invitation_decide", 2, dv,
		             NULL);
	}
	if (st == DB_OK && accept)
		st = db_exec(ctx->db, ctx->arena, "invitation_link", 2, kv,
		             NULL);
	if (st == DB_OK && accept)
		st = db_exec(ctx->db, ctx->arena, "training_credits_apply", 1,
		             &kv[1], &res);
	if (st == DB_OK && accept)
		*issued = db_int(res, 0, 0);
	return db_finish(ctx->db, st);
}

enum db_status
store_staff_link_verified(struct store_ctx *ctx, long long user_id,
                          const char *public_url)
{
	char        ub[24];
	const char *v[2] = {STORE_INT(ub, user_id), public_url};

	return db_exec(ctx->db, ctx->arena, "staff_link_verified", 2, v, NULL);
}
