/* Request and response structs, error bodies, cookies and header parsing. */
#ifndef HTTP_H
#define HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "store/store.h"
#include "user.h"

#define HTTP_MAX_HEADERS 8
#define HTTP_MAX_PARAMS 4
#define HTTP_BODY_LIMIT (1024 * 1024) /* default for JSON endpoints */

struct db;
struct config;

struct route;
struct worker_ctx;

/* The typed values of a route's path ("{board:id}"), parsed and checked
 * against the caller by scope.c before the handler runs; 0 or NULL when
 * the route has no such value. */
struct path_values {
	long long board, school, region, training, invitation, user, trainer,
	    scenario;
	const char *module, *section, *item, *certificate, *media;
};

/*
 * One request.  Everything it points to is owned by `arena` and lives until
 * the worker resets the arena after the response is sent.
 */
struct request {
	struct arena        *arena;
	struct db           *db;
	const struct config *config;
	const struct route  *route;

	const char *method;
	const char *path;         /* DOCUMENT_URI: normalised by nginx */
	const char *query;        /* may be "" */
	const char *content_type; /* NULL when absent */
	const char *authorization;
	const char *cookie;
	const char *origin;
	const char *if_none_match; /* NULL when absent */
	const char *remote_addr;
	bool        https;
	long long   content_length; /* -1 when absent or empty */

	const char *body; /* NUL-terminated; NULL when none */
	size_t      body_len;

	struct path_values param; /* checked values of the path */

	json_t      *json; /* parsed body of JSON routes, arena-owned */
	struct user *user; /* NULL on public routes */
	/* What the store may know of this request: connection, arena and, once
	 * authenticated, the caller's id and role (worker.c fills it). */
	struct store_ctx store;
	/* What outlives the request: the worker's caches and connections. */
	struct worker_ctx *worker;
	const char        *token_jti;
	long long          token_exp;
	long long          token_auth_time;   /* the session's password login */
	bool               token_from_cookie; /* not a bearer token */

	/* What the audit line of a write says: a handler may name the action,
	 * target and details (handler_audit); worker.c:audit_write writes the
	 * line, once, after a successful answer. */
	struct {
		const char *action;
		const char *target;
		const char *details;
	} audit;
};

struct http_header {
	const char *name;
	const char *value;
};

struct response {
	int                status; /* 0 until a handler answers */
	const char        *content_type;
	const char        *body;
	size_t             body_len;
	struct http_header headers[HTTP_MAX_HEADERS];
	int                nheaders;
};

/* Answers with a JSON value; the value is dumped into the arena, not kept. */
void http_json(struct request *r, struct response *res, int status, json_t *v);

/* Answers with JSON text that the caller vouches for (built by PostgreSQL). */
void http_json_text(struct request *r, struct response *res, int status,
                    const char *text);

/* Answers {"error":{"code","message"}}; `fields` (stolen, may be NULL) adds
 * "fields", `errors` (stolen, may be NULL) adds "errors". */
void http_error_full(struct request *r, struct response *res, int status,
                     const char *code, const char *message, json_t *fields,
                     json_t *errors);
void http_error(struct request *r, struct response *res, int status,
                const char *code, const char *message);

/* Answers with a body of any type, copied into the arena. */
void http_body(struct request *r, struct response *res, int status,
               const char *content_type, const void *body, size_t len);

void http_no_content(struct response *res);

/* 304: the caller's copy (If-None-Match) is still the answer; no body. */
void http_not_modified(struct response *res);

/* Adds a response header; CR and LF in the value are replaced by spaces so
 * that no client data can split the response.  Returns -1 when full. */
int http_header_add(struct request *r, struct response *res, const char *name,
                    const char *value);

/* The standard reason phrase of a status code ("Not Found"). */
const char *http_status_text(int status);

/* True when `ct` is application/json, optionally with parameters. */
bool http_is_json_type(const char *ct);

/* True when `ct` is the media type `type`, optionally with parameters. */
bool http_is_type(const char *ct, const char *type);

/* The value of cookie `name` in a Cookie header, arena-owned, or NULL. */
const char *http_cookie_get(struct arena *a, const char *header,
                            const char *name);

/* The token of an "Authorization: Bearer <token>" header, or NULL. */
const char *http_bearer_token(struct arena *a, const char *header);

/* The percent-decoded value of `name` in a query string, or NULL.  Values
 * that decode to a NUL byte or invalid escapes count as absent. */
const char *http_query_get(struct arena *a, const char *query,
                           const char *name);

/* Parses a CONTENT_LENGTH value: -1 for absent or empty, -2 for malformed. */
long long http_parse_content_length(const char *s);

#endif
