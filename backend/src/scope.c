/* Roles and scopes: role bits, the typed values of a route's path and the
 * check that each lies in the caller's part of the organisation or is one
 * the caller may see. */
#include "scope.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "log.h"
#include "router.h"
#include "handlers/handlers.h"
#include "store/scope.h"

/* Which part of the organisation a path value must lie in. */
enum scope_rule {
	RULE_NONE,   /* none here: admin-only route or a caller-scoped query */
	RULE_BOARD,  /* the caller's board; an admin: any that exists */
	RULE_REGION, /* the caller's region; an admin: any that exists */
	RULE_SCHOOL, /* in the path's board (if any) and the caller's board */
	RULE_TRAINING,     /* a training the caller gives */
	RULE_SCENARIO,     /* a scenario the caller may see */
	RULE_OWN_SCENARIO, /* a scenario the caller made */
	RULE_MEDIA,        /* a file of a scenario the caller may see */
};

/* The types a pattern may declare: "{name:type}". */
enum value_type {
	TYPE_ID,     /* scope_id_parse */
	TYPE_SLUG,   /* handler_slug_valid: ^[a-z0-9][a-z0-9-]{0,63}$ */
	TYPE_WORD,   /* ^[a-z][a-z0-9_]{0,63}$, such as a package item */
	TYPE_CODE,   /* a certificate code (auth_code_valid) */
	TYPE_SHA256, /* 64 lower-case hex digits: a media file */
};

static const char *const type_names[] = {"id", "slug", "word", "code",
                                         "sha256"};

/* Every value a path may carry: its name in patterns, its type, where it
 * goes in struct path_values, its scope rule and its one 404 text. */
static const struct value_kind {
	const char     *name;
	enum value_type type;
	size_t          offset;
	enum scope_rule rule;
	const char     *missing;
} kinds[] = {
    {"board", TYPE_ID, offsetof(struct path_values, board), RULE_BOARD,
     "Dit bestuur bestaat niet."},
    {"school", TYPE_ID, offsetof(struct path_values, school), RULE_SCHOOL,
     "Deze school bestaat niet."},
    {"region", TYPE_ID, offsetof(struct path_values, region), RULE_REGION,
     "Deze regio bestaat niet."},
    {"training", TYPE_ID, offsetof(struct path_values, training), RULE_TRAINING,
     "Deze training bestaat niet."},
    /* The store answers only the caller's own invitations. */
    {"invitation", TYPE_ID, offsetof(struct path_values, invitation), RULE_NONE,
     "Deze uitnodiging bestaat niet."},
    {"user", TYPE_ID, offsetof(struct path_values, user), RULE_NONE,
     "Dit account bestaat niet."},
    {"trainer", TYPE_ID, offsetof(struct path_values, trainer), RULE_NONE,
     "Deze trainer bestaat niet."},
    /* Both scenario kinds fill r->param.scenario: a route names the one
     * whose rule it needs (to read and play, or to change). */
    {"scenario", TYPE_ID, offsetof(struct path_values, scenario), RULE_SCENARIO,
     "Dit scenario bestaat niet."},
    {"own_scenario", TYPE_ID, offsetof(struct path_values, scenario),
     RULE_OWN_SCENARIO, "Dit scenario bestaat niet."},
    {"module", TYPE_SLUG, offsetof(struct path_values, module), RULE_NONE,
     "Deze module bestaat niet."},
    {"section", TYPE_SLUG, offsetof(struct path_values, section), RULE_NONE,
     "Dit onderdeel bestaat niet."},
    {"item", TYPE_WORD, offsetof(struct path_values, item), RULE_NONE,
     "Onbekend onderdeel van het pakket."},
    {"certificate", TYPE_CODE, offsetof(struct path_values, certificate),
     RULE_NONE, "Onbekende certificaatcode."},
    {"media", TYPE_SHA256, offsetof(struct path_values, media), RULE_MEDIA,
     "Onbekend bestand."},
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static const char *const outside = "Dit valt buiten jouw organisatie.";

static const struct value_kind *kind_of(const struct route_param *p);
static bool                     value_valid(enum value_type t, const char *s);
static bool                     word_valid(const char *s);
static bool check_one(struct request *r, struct response *res,
                      const struct value_kind *k);
static bool check_own(struct request *r, struct response *res,
                      const struct value_kind *k, enum store_scope_kind sk,
                      long long id, unsigned owner_role, long long own);
static bool check_school(struct request *r, struct response *res,
                         const struct value_kind *k, long long id);
static bool check_training(struct request *r, struct response *res,
                           const struct value_kind *k, long long id);
static bool check_scenario(struct request *r, struct response *res,
                           const struct value_kind *k, long long id,
                           bool owner_only);
static bool check_media(struct request *r, struct response *res,
                        const struct value_kind *k, const char *id);

unsigned
scope_role_bit(const char *role)
{
	static const struct {
		const char *name;
		unsigned    bit;
	} roles[] = {
	    {"teacher", ROLE_TEACHER},
	    {"ib", ROLE_IB},
	    {"trainer", ROLE_TRAINER},
	    {"board_admin", ROLE_BOARD_ADMIN},
	    {"region_viewer", ROLE_REGION_VIEWER},
	    {"admin", ROLE_ADMIN},
	};

	if (role == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(roles[i].name, role) == 0)
			return roles[i].bit;
	return 0;
}

bool
scope_sees_all_scenarios(const struct user *u)
{
	return (scope_role_bit(u->role) & (ROLE_TRAINER | ROLE_ADMIN)) != 0;
}

bool
scope_id_parse(const char *s, long long *out)
{
	long long v;
	char     *end;

	/* 19 digits hold INT64_MAX; strtoll reports anything above it. */
	if (s == NULL || s[0] < '1' || s[0] > '9' ||
	    strspn(s, "0123456789") != strlen(s) || strlen(s) > 19)
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = v;
	return true;
}

static bool
word_valid(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= 64 && s[0] >= 'a' && s[0] <= 'z' &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

static bool
value_valid(enum value_type t, const char *s)
{
	long long id;

	switch (t) {
	case TYPE_ID:
		return scope_id_parse(s, &id);
	case TYPE_SLUG:
		return handler_slug_valid(s);
	case TYPE_WORD:
		return word_valid(s);
	case TYPE_CODE:
		return auth_code_valid(s);
	case TYPE_SHA256:
		return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
	}
	return false;
}

/* The kind a "{name:type}" names, when its type is the kind's; else NULL. */
static const struct value_kind *
kind_of(const struct route_param *p)
{
	for (size_t i = 0; i < N_KINDS; i++) {
		const char *type = type_names[kinds[i].type];

		if (strlen(kinds[i].name) == p->name_len &&
		    strncmp(kinds[i].name, p->name, p->name_len) == 0)
			return strlen(type) == p->type_len &&
			               strncmp(type, p->type, p->type_len) == 0
			           ? &kinds[i]
			           : NULL;
	}
	return NULL;
}

bool
scope_pattern_valid(const char *pattern)
{
	struct route_param p;
	int                braces = 0, i = 0;

	for (const char *c = pattern; *c != '\0'; c++)
		braces += *c == '{';
	for (; router_param(pattern, i, &p); i++)
		if (kind_of(&p) == NULL)
			return false;
	return i == braces && braces <= HTTP_MAX_PARAMS;
}

bool
scope_pattern_needs_caller(const char *pattern)
{
	struct route_param       p;
	const struct value_kind *k;

	for (int i = 0; router_param(pattern, i, &p); i++)
		if ((k = kind_of(&p)) != NULL && k->rule != RULE_NONE)
			return true;
	return false;
}

bool
scope_bind(struct request *r, struct response *res, const char *const *captures,
           int n)
{
	struct route_param p;

	for (int i = 0; i < n; i++) {
		const struct value_kind *k;
		char                    *slot;

		if (!router_param(r->route->pattern, i, &p) ||
		    (k = kind_of(&p)) == NULL) {
			/* test_router checks the table; never on a release. */
			log_error("route %s: path value %d is not declared",
			          r->route->pattern, i);
			http_error(r, res, 500, "internal",
			           "Er ging iets mis aan onze kant.");
			return false;
		}
		if (!value_valid(k->type, captures[i])) {
			http_error(r, res, 404, "not_found", k->missing);
			return false;
		}
		slot = (char *)&r->param + k->offset;
		if (k->type == TYPE_ID) {
			long long id = 0;

			scope_id_parse(captures[i], &id);
			memcpy(slot, &id, sizeof(id));
		} else {
			memcpy(slot, &captures[i], sizeof(captures[i]));
		}
	}
	return true;
}

/* A board or region: the caller's own one, or any that exists for an
 * admin (404 when it does not: an admin may know that). */
static bool
check_own(struct request *r, struct response *res, const struct value_kind *k,
          enum store_scope_kind sk, long long id, unsigned owner_role,
          long long own)
{
	unsigned       bit = scope_role_bit(r->user->role);
	long long      found;
	enum db_status st;

	if (bit == owner_role && own == id)
		return true;
	if (bit != ROLE_ADMIN) {
		http_error(r, res, 403, "forbidden", outside);
		return false;
	}
	st = store_scope_owner(&r->store, sk, id, &found);
	if (st == DB_NOT_FOUND)
		http_error(r, res, 404, "not_found", k->missing);
	else if (st != DB_OK)
		reply_db_error(r, res, st);
	return st == DB_OK;
}

/* A school lies in the board of the path (when the path names one) and in
 * the caller's board; only an admin learns that an id is not a school. */
static bool
check_school(struct request *r, struct response *res,
             const struct value_kind *k, long long id)
{
	bool           admin = scope_role_bit(r->user->role) == ROLE_ADMIN;
	long long      board;
	enum db_status st =
	    store_scope_owner(&r->store, STORE_SCOPE_SCHOOL, id, &board);

	if (st == DB_NOT_FOUND && admin) {
		http_error(r, res, 404, "not_found", k->missing);
		return false;
	}
	if (st != DB_OK && st != DB_NOT_FOUND) {
		reply_db_error(r, res, st);
		return false;
	}
	if (st == DB_NOT_FOUND || (r->param.board && board != r->param.board) ||
	    (!admin && (scope_role_bit(r->user->role) != ROLE_BOARD_ADMIN ||
	                r->user->board_id != board))) {
		http_error(r, res, 403, "forbidden", outside);
		return false;
	}
	return true;
}

/* Only the trainer who gives a training may see or change it. */
static bool
check_training(struct request *r, struct response *res,
               const struct value_kind *k, long long id)
{
	long long      trainer;
	enum db_status st =
	    store_scope_owner(&r->store, STORE_SCOPE_TRAINING, id, &trainer);

	if (st == DB_NOT_FOUND)
		http_error(r, res, 404, "not_found", k->missing);
	else if (st != DB_OK)
		reply_db_error(r, res, st);
	else if (trainer != r->user->id)
		http_error(r, res, 403, "forbidden",
		           "Alleen de trainer van deze sessie mag dit doen.");
	return st == DB_OK && trainer == r->user->id;
}

/* A scenario: the caller's own one passes.  Someone else's is 404 where the
 * caller may not know it exists (a draft, or not for their role); on a
 * route of the owner only it is 403 once the caller may know it: it is
 * published, or the caller sees every published one (a trainer). */
static bool
check_scenario(struct request *r, struct response *res,
               const struct value_kind *k, long long id, bool owner_only)
{
	struct store_scope_scenario s;
	bool                        see_all = scope_sees_all_scenarios(r->user);
	enum db_status st = store_scope_scenario(&r->store, id, see_all, &s);

	if (st != DB_OK && st != DB_NOT_FOUND) {
		reply_db_error(r, res, st);
		return false;
	}
	if (st == DB_OK && s.owner == r->user->id)
		return true;
	/* One answer for an unknown id and a hidden one. */
	if (st == DB_NOT_FOUND ||
	    (owner_only ? !s.published && !see_all : !s.visible)) {
		http_error(r, res, 404, "not_found", k->missing);
		return false;
	}
	if (owner_only) {
		http_error(r, res, 403, "forbidden",
		           "Alleen de maker van dit scenario mag dit doen.");
		return false;
	}
	return true;
}

/* A media file: seen by whoever may see a scenario that holds it; 404
 * alike for an unknown file and a hidden one. */
static bool
check_media(struct request *r, struct response *res, const struct value_kind *k,
            const char *id)
{
	enum db_status st =
	    store_scope_media(&r->store, id, scope_sees_all_scenarios(r->user));

	if (st == DB_NOT_FOUND)
		http_error(r, res, 404, "not_found", k->missing);
	else if (st != DB_OK)
		reply_db_error(r, res, st);
	return st == DB_OK;
}

static bool
check_one(struct request *r, struct response *res, const struct value_kind *k)
{
	const char *slot = (const char *)&r->param + k->offset;
	long long   id = 0;
	const char *text = NULL;

	if (k->rule == RULE_NONE)
		return true;
	if (r->user == NULL) {
		http_error(r, res, 403, "forbidden", outside);
		return false;
	}
	/* scope_bind stored an id as a long long, anything else as a text. */
	if (k->type == TYPE_ID)
		memcpy(&id, slot, sizeof(id));
	else
		memcpy(&text, slot, sizeof(text));
	switch (k->rule) {
	case RULE_NONE:
		break;
	case RULE_BOARD:
		return check_own(r, res, k, STORE_SCOPE_BOARD, id,
		                 ROLE_BOARD_ADMIN, r->user->board_id);
	case RULE_REGION:
		return check_own(r, res, k, STORE_SCOPE_REGION, id,
		                 ROLE_REGION_VIEWER, r->user->region_id);
	case RULE_SCHOOL:
		return check_school(r, res, k, id);
	case RULE_TRAINING:
		return check_training(r, res, k, id);
	case RULE_SCENARIO:
		return check_scenario(r, res, k, id, false);
	case RULE_OWN_SCENARIO:
		return check_scenario(r, res, k, id, true);
	case RULE_MEDIA:
		return check_media(r, res, k, text);
	}
	return true;
}

bool
scope_check(struct request *r, struct response *res)
{
	struct route_param p;

	for (int i = 0; router_param(r->route->pattern, i, &p); i++)
		if (!check_one(r, res, kind_of(&p)))
			return false;
	return true;
}
