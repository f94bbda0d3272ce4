/* Roles and scopes: the role bits a route admits, the typed values of a
 * route's path ("{board:id}") and the part of the organisation each may
 * name for the caller.  worker.c binds and checks them before a handler
 * runs; handlers read r->param. */
#ifndef SCOPE_H
#define SCOPE_H

#include <stdbool.h>

#include "http.h"

/* Roles as bits, so that a route lists who may call it. */
enum {
	ROLE_TEACHER = 1 << 0,
	ROLE_IB = 1 << 1,
	ROLE_TRAINER = 1 << 2,
	ROLE_BOARD_ADMIN = 1 << 3,
	ROLE_REGION_VIEWER = 1 << 4,
	ROLE_ADMIN = 1 << 5,
	ROLE_ANY = (1 << 6) - 1,
	ROLE_LEARNER = ROLE_TEACHER | ROLE_IB,
};

/* The role bit of a role name, 0 when unknown. */
unsigned scope_role_bit(const char *role);

/* Whether the caller may see every published scenario, whatever its
 * audience (trainers and admins); learners see those for their role. */
bool scope_sees_all_scenarios(const struct user *u);

/* The one id rule, for path and query: decimal digits without a leading
 * zero, 1 up to INT64_MAX.  False (and *out untouched) otherwise. */
bool scope_id_parse(const char *s, long long *out);

/* Whether every "{name:type}" of a route pattern names a known value with
 * its type (tests check the route table with it). */
bool scope_pattern_valid(const char *pattern);

/* Whether a value of the pattern has a scope rule, which needs the caller
 * before the handler runs (so not on ROUTE_CALLER_IN_STATEMENT routes). */
bool scope_pattern_needs_caller(const char *pattern);

/*
 * Parses the route's captures into r->param by their "{name:type}": ids by
 * scope_id_parse, slugs by the slug rule, certificate codes and media ids
 * by their format.  Answers 404 not_found (one text per kind) and returns
 * false on the first malformed one.
 */
bool scope_bind(struct request *r, struct response *res,
                const char *const *captures, int n);

/*
 * Checks the bound values against the caller (r->user), in path order:
 * a board or region must be the caller's own (an admin: any that exists),
 * a school must lie in the board of the path and the caller's board, a
 * training must be the caller's own, a scenario ("{scenario:id}") or a
 * media file one the caller may see, an "{own_scenario:id}" one the caller
 * made.  Answers 404 for a thing that does not exist where the caller may
 * know that, and for a thing the caller may not know of; 403 forbidden for
 * a thing out of the caller's scope, 503/500 when the database fails;
 * returns false then.  Values without a scope rule (modules, invitations,
 * ...) pass: the store query of the handler is scoped to the caller.
 */
bool scope_check(struct request *r, struct response *res);

#endif
