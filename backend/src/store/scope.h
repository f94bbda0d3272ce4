/* Scope lookups of the route contract (../scope.c): what a path value
 * belongs to or whether the caller may see it, one prepared statement per
 * kind. */
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

/*
 * SQL: whether the caller may see scenario `s`: their own one, or a
 * published one whose published version is for their role, or any
 * published one when the caller sees all (scope_sees_all_scenarios).  The
 * arguments name the parameters that hold the caller's id, role and
 * "sees all".  The one rule for the path values and the list.
 */
#define STORE_SCENARIO_VISIBLE(user, role, see_all)                            \
	"(s.owner_id = " user                                                  \
	" OR (s.published_version IS NOT NULL AND (" see_all                   \
	" OR EXISTS (SELECT 1 FROM scenario_versions sv"                       \
	"   WHERE sv.scenario_id = s.id AND sv.version = s.published_version"  \
	"   AND " role " = ANY (sv.audience)))))"

/* What the scope check of a scenario decides on. */
struct store_scope_scenario {
	long long owner;     /* the trainer who made it */
	bool      published; /* some version is published */
	bool      visible;   /* the caller's own, or published for their role */
};

/* The scenario `id` as the caller (c->user_id, c->role) sees it; `see_all`:
 * the caller may see every published scenario.  DB_NOT_FOUND when there is
 * no such scenario. */
enum db_status store_scope_scenario(struct store_ctx *c, long long id,
                                    bool                         see_all,
                                    struct store_scope_scenario *out);

/* DB_OK when the caller may see some scenario that holds the media file
 * `media_id` (a SHA-256 in hex), DB_NOT_FOUND otherwise. */
enum db_status store_scope_media(struct store_ctx *c, const char *media_id,
                                 bool see_all);

#endif
