/* SQL of the route contract's scope checks: the owner of a board, region,
 * school or training named in a path. */
#include "scope.h"

const struct db_stmt store_scope_stmts[] = {
    {"scope_board", "SELECT id FROM boards WHERE id = $1", 1},
    {"scope_region", "SELECT id FROM regions WHERE id = $1", 1},
    {"scope_school", "SELECT board_id FROM schools WHERE id = $1", 1},
    {"scope_training", "SELECT trainer_id FROM trainings WHERE id = $1", 1},
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
