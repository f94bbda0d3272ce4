/* Route matching: method and path pattern to a handler, its roles and its
 * typed path values (their rules: scope.h). */
#ifndef ROUTER_H
#define ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "http.h"

/* Route flags. */
enum {
	ROUTE_JSON_BODY = 1 << 0, /* body must be a JSON object (415, 400) */
	ROUTE_NO_BODY = 1 << 1,   /* a body is ignored, never read */
	ROUTE_NO_DB = 1 << 2,     /* answers without the database */
	ROUTE_CSV_BODY = 1 << 3,  /* body must be text/csv (415), read raw */
	ROUTE_RAW_BODY =
	    1 << 4, /* body read raw; the handler checks its type */
	ROUTE_NO_AUDIT = 1 << 5, /* a write that is not audited (say why) */
	/* The handler's one statement checks the caller (STORE_CALLER_SQL)
	 * and the handler calls handler_caller(): the worker checks only the
	 * token, so the request makes one round trip.  The statement runs
	 * before any role check: such a route allows ROLE_ANY. */
	ROUTE_CALLER_IN_STATEMENT = 1 << 6,
};

typedef void (*route_handler)(struct request *, struct response *);

struct route {
	const char *method;
	/* "/api/v1/modules/{module:slug}": each {name:type} is one segment,
	 * bound and scope-checked by scope.c before the handler runs. */
	const char   *pattern;
	route_handler handler;
	unsigned      roles; /* 0: public; else the roles allowed */
	unsigned      flags;
	size_t        body_limit; /* 0: HTTP_BODY_LIMIT */
};

enum router_result {
	ROUTER_FOUND,
	ROUTER_NOT_FOUND,
	ROUTER_METHOD_NOT_ALLOWED,
};

#define ROUTER_MAX_SEGMENT 128

/*
 * Finds the route for method and path.  On ROUTER_FOUND, *found is set and
 * params[] holds up to HTTP_MAX_PARAMS captures (arena-owned).  On
 * ROUTER_METHOD_NOT_ALLOWED, *allow is an arena string such as "GET, PUT".
 */
enum router_result router_match(const struct route *routes, size_t n,
                                struct arena *a, const char *method,
                                const char *path, const struct route **found,
                                const char **params, int *nparams,
                                const char **allow);

/* One "{name:type}" segment of a pattern, pointing into the pattern. */
struct route_param {
	const char *name, *type;
	size_t      name_len, type_len;
};

/* The i-th (from 0) typed segment of a pattern; false past the last one or
 * when it has no ':'. */
bool router_param(const char *pattern, int i, struct route_param *out);

/* The pattern with each "{name:type}" written "{}" (arena-owned): how the
 * audit log has named a route's writes since before the types. */
const char *router_pattern_untyped(struct arena *a, const char *pattern);

/* The application's route table (routes.c). */
extern const struct route app_routes[];
extern const size_t       app_routes_count;

#endif
