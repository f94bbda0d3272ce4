/* Route matching: method and path pattern to a handler and its auth level. */
#ifndef ROUTER_H
#define ROUTER_H

#include <stddef.h>

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

/* Route flags. */
enum {
	ROUTE_JSON_BODY = 1 << 0, /* body must be a JSON object (415, 400) */
	ROUTE_NO_BODY = 1 << 1,   /* a body is ignored, never read */
	ROUTE_NO_DB = 1 << 2,     /* answers without the database */
	ROUTE_CSV_BODY = 1 << 3,  /* body must be text/csv (415), read raw */
	ROUTE_RAW_BODY =
	    1 << 4, /* body read raw; the handler checks its type */
	ROUTE_NO_AUDIT = 1 << 5, /* a write that is not audited (say why) */
};

typedef void (*route_handler)(struct request *, struct response *);

struct route {
	const char   *method;
	const char   *pattern; /* "/api/v1/modules/{}"; {} is one segment */
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

/* The role bit of a role name, 0 when unknown. */
unsigned router_role_bit(const char *role);

/* The application's route table (routes.c). */
extern const struct route app_routes[];
extern const size_t       app_routes_count;

#endif
