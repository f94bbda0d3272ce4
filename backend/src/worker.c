/*
 * A FastCGI worker: one request at a time, from accept to one response.
 * Each request gets the worker's arena; everything it allocates goes at the
 * reset after the response, so the worker's memory stays flat.
 */
#include "worker.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "db.h"
#include "fcgi_io.h"
#include "http.h"
#include "json.h"
#include "log.h"
#include "router.h"
#include "scope.h"
#include "signals.h"
#include "handlers/handlers.h"
#include "store/store.h"

#define WORKER_ARENA_SIZE (64 * 1024)

static void handle(struct fcgi_conn *fc, struct request *r,
                   struct response *res);
static int  authenticate(struct request *r, struct response *res);
static void audit_write(struct request *r, const struct response *res);
static bool origin_ok(const struct request *r);

/* A cookie-authenticated change must come from our own pages: SameSite
 * does most of it, the Origin check covers older browsers.  The origin is
 * compared with the configured public URL, which carries scheme and port. */
static bool
origin_ok(const struct request *r)
{
	const char *base = r->config->public_url;
	size_t      n = strlen(base);

	if (r->origin == NULL)
		return true;
	while (n > 0 && base[n - 1] == '/')
		n--;
	return strlen(r->origin) == n && strncmp(r->origin, base, n) == 0;
}

/* Loads the caller from the token; answers 401, 403 or 503 itself and
 * returns -1 when the request cannot go on. */
static int
authenticate(struct request *r, struct response *res)
{
	struct auth_claims claims;
	const char        *token;
	bool               from_cookie = false;
	enum db_status     st;

	token = http_bearer_token(r->arena, r->authorization);
	if (token == NULL) {
		token =
		    http_cookie_get(r->arena, r->cookie,
		                    r->https ? "__Host-session" : "session");
		from_cookie = token != NULL;
	}
	if (token == NULL ||
	    auth_token_verify_cached(r->worker->tokens, r->config->jwt_key,
	                             r->config->jwt_key_len, token,
	                             (long long)time(NULL),
	                             r->config->token_ttl, &claims) != 0) {
		http_error(r, res, 401, "unauthenticated", "Log eerst in.");
		return -1;
	}
	if (from_cookie && strcmp(r->method, "GET") != 0 && !origin_ok(r)) {
		http_error(r, res, 403, "forbidden",
		           "Dit verzoek komt niet van deze site.");
		return -1;
	}
	r->token_jti = arena_strdup(r->arena, claims.jti);
	r->token_exp = claims.exp;
	r->token_auth_time = claims.auth_time;
	r->token_from_cookie = from_cookie;
	if (r->route->flags & ROUTE_CALLER_IN_STATEMENT) {
		/* The handler's statement checks the rest (handler_caller). */
		struct store_token *t = arena_alloc(r->arena, sizeof(*t));

		t->user_id = claims.user_id;
		t->jti = r->token_jti;
		t->iat_ms = claims.iat_ms;
		r->store.token = t;
		return 0;
	}
	r->user = arena_alloc(r->arena, sizeof(*r->user));
	st = store_user_for_token(&r->store, claims.user_id, claims.jti,
	                          claims.iat_ms, r->user);
	if (st == DB_NOT_FOUND) {
		r->user = NULL;
		http_error(r, res, 401, "unauthenticated", "Log opnieuw in.");
		return -1;
	}
	if (st != DB_OK) {
		r->user = NULL;
		reply_db_error(r, res, st);
		return -1;
	}
	r->store.user_id = r->user->id;
	r->store.role = r->user->role;
	if ((r->route->roles & scope_role_bit(r->user->role)) == 0) {
		http_error(r, res, 403, "forbidden", "Dit mag je rol niet.");
		return -1;
	}
	return 0;
}

static void
handle(struct fcgi_conn *fc, struct request *r, struct response *res)
{
	const struct route *route;
	const char         *allow = NULL, *why;
	const char         *captures[HTTP_MAX_PARAMS];
	int                 ncaptures = 0;
	size_t              limit;
	int                 st;

	fcgi_read_params(fc, r);
	switch (router_match(app_routes, app_routes_count, r->arena, r->method,
	                     r->path, &route, captures, &ncaptures, &allow)) {
	case ROUTER_NOT_FOUND:
		http_error(r, res, 404, "not_found",
		           "Deze pagina bestaat niet.");
		return;
	case ROUTER_METHOD_NOT_ALLOWED:
		http_header_add(r, res, "Allow", allow);
		http_error(r, res, 405, "method_not_allowed",
		           "Deze methode past niet bij dit adres.");
		return;
	case ROUTER_FOUND:
		break;
	}
	r->route = route;
	limit = route->body_limit ? route->body_limit : HTTP_BODY_LIMIT;
	if (r->content_length == -2) {
		http_error(r, res, 400, "bad_request",
		           "Ongeldige Content-Length.");
		return;
	}
	if ((route->flags & ROUTE_NO_BODY) == 0 &&
	    r->content_length > (long long)limit) {
		http_error(r, res, 413, "payload_too_large",
		           "Het verzoek is te groot.");
		return;
	}
	if ((route->flags & ROUTE_NO_DB) == 0 && db_ensure(r->db) != DB_OK) {
		http_error(r, res, 503, "unavailable",
		           "De database is tijdelijk niet bereikbaar.");
		return;
	}
	if (route->roles != 0 && authenticate(r, res) < 0)
		return;
	/* The route contract: typed path values, then their scope (404/403),
	 * before any body is read or a handler runs. */
	if (!scope_bind(r, res, captures, ncaptures) || !scope_check(r, res))
		return;
	if ((route->flags & ROUTE_CSV_BODY) &&
	    !http_is_type(r->content_type, "text/csv")) {
		http_error(r, res, 415, "unsupported_media_type",
		           "Stuur een CSV-bestand (Content-Type: text/csv).");
		return;
	}
	if ((route->flags & ROUTE_JSON_BODY) &&
	    !http_is_json_type(r->content_type)) {
		http_error(r, res, 415, "unsupported_media_type",
		           "Stuur JSON (Content-Type: application/json).");
		return;
	}
	if (route->flags &
	    (ROUTE_CSV_BODY | ROUTE_RAW_BODY | ROUTE_JSON_BODY)) {
		st = fcgi_read_body(fc, r, limit);
		if (st != 0) {
			http_error(
			    r, res, st,
			    st == 413 ? "payload_too_large" : "bad_request",
			    st == 413 ? (route->flags & ROUTE_JSON_BODY
			                     ? "Het verzoek is te groot."
			                     : "Het bestand is te groot.")
			              : "Het verzoek is onvolledig.");
			return;
		}
	}
	if (route->flags & ROUTE_JSON_BODY) {
		r->json =
		    json_parse_object(r->arena, r->body, r->body_len, &why);
		if (r->json == NULL) {
			http_error(
			    r, res, 400, "invalid_json",
			    arena_printf(r->arena, "Ongeldige JSON: %s", why));
			return;
		}
	}
	route->handler(r, res);
}

/*
 * The one place where writes are audited: every successful request of a
 * route that changes something (not GET or HEAD, not ROUTE_NO_AUDIT) gets
 * one line, named by its handler (handler_audit) or else by its method and
 * route.  Written before the answer goes out, so that whoever has the
 * answer also finds the line (an admin's page reloads the log right after
 * an erase); a failure is logged, never turned into an error after the fact.
 */
static void
audit_write(struct request *r, const struct response *res)
{
	const struct route *route = r->route;
	const char         *action, *target;

	if (route == NULL || res->status < 200 || res->status > 299 ||
	    strcmp(route->method, "GET") == 0 ||
	    strcmp(route->method, "HEAD") == 0 ||
	    (route->flags & (ROUTE_NO_AUDIT | ROUTE_NO_DB)))
		return;
	action = r->audit.action != NULL
	             ? r->audit.action
	             : arena_printf(
	                   r->arena, "%s %s", route->method,
	                   router_pattern_untyped(r->arena, route->pattern));
	target = r->audit.target != NULL ? r->audit.target : r->path;
	if (store_audit(&r->store, action, target,
	                r->audit.details ? r->audit.details : "{}") != DB_OK)
		log_error("audit: could not record %s on %s by user %lld",
		          action, target, r->user ? r->user->id : 0);
}

int
worker_run(const struct config *c, int listen_fd)
{
	struct fcgi_conn *fc;
	struct arena      arena;
	struct db         db;
	struct worker_ctx wctx;
	enum db_status    st;
	sigset_t          wait_mask;
	int               got;

	/* SIGTERM lets the request in hand finish: it is only let in while
	 * the worker waits for the next one (fcgi_accept). */
	signals_setup(&wait_mask);

	db_init(&db, c->database_url, store_all_statements,
	        c->statement_timeout);
	memset(&wctx, 0, sizeof(wctx));
	store_reports_init(&wctx.reports, c->reports_database_url,
	                   c->statement_timeout);
	st = db_ensure(&db);
	if (st == DB_ERROR) {
		log_error(
		    "worker: the database schema does not fit this build; "
		    "apply the migrations in sql/");
		return WORKER_EXIT_FATAL;
	}
	fc = fcgi_open(listen_fd);
	if (fc == NULL)
		return 1;
	arena_init(&arena, WORKER_ARENA_SIZE);
	/* Without it every token is checked in full: slower, not wrong. */
	wctx.tokens = auth_token_cache_new();
	while (!signals_stop) {
		struct request  r;
		struct response res;
		long long       start;

		if (signals_reopen) {
			signals_reopen = 0;
			log_reopen();
		}
		got = fcgi_accept(fc, &wait_mask);
		if (got < 0)
			break;
		if (got > 0)
			continue;
		start = db_now_us();

		memset(&r, 0, sizeof(r));
		memset(&res, 0, sizeof(res));
		r.arena = &arena;
		r.db = &db;
		r.worker = &wctx;
		r.store.db = &db;
		r.store.arena = &arena;
		r.store.reports = &wctx.reports;
		r.config = c;
		handle(fc, &r, &res);
		if (res.status == 0) {
			/* A handler without an answer is a bug; it logged why.
			 */
			memset(&res, 0, sizeof(res));
			http_error(&r, &res, 500, "internal",
			           "Er ging iets mis aan onze kant.");
		}
		audit_write(&r, &res);
		fcgi_send(fc, &r, &res);
		fcgi_finish(fc);
		log_access(r.method, r.path, res.status, db_now_us() - start,
		           r.user ? r.user->id : 0);
		db_end_request(&db);
		arena_reset(&arena);
	}
	fcgi_close(fc);
	arena_destroy(&arena);
	store_reports_close(&wctx.reports);
	module_page_cache_free(&wctx.module_pages);
	module_list_cache_free(&wctx.module_list);
	free(wctx.tokens);
	db_close(&db);
	return 0;
}
