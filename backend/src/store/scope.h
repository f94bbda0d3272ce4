/* Scope lookups of the route contract (../scope.c): what a path value
 * belongs to, one prepared statement per kind. */
#ifndef STORE_SCOPE_H
#define STORE_SCOPE_H

#include "store.h"

enum store_scope_kind {
	STORE_SCOPE_BOARD,    /* the board itself */
	STORE_SCOPE_REGION,   /* the region itself */
	STORE_SCOPE_SCHOOL,   /* the school's board */
	STORE_SCOPE_TRAINING, /* the training's trainer */
};

extern const struct db_stmt store_scope_stmts[];

/* What the thing `id` of `kind` belongs to, in *owner (see the kinds);
 * DB_NOT_FOUND when it does not exist. */
enum db_status store_scope_owner(struct store_ctx     *c,
                                 enum store_scope_kind kind, long long id,
                                 long long *owner);

#endif
