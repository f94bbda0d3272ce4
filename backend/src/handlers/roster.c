/* POST /api/v1/boards/{id}/roster: replace a board's staff list from CSV,
 * all or nothing, with every bad line reported. */
#include "handlers.h"

#include <stdlib.h>

#include "../config.h"
#include "../roster.h"
#include "../store/store.h"

static void free_cb(void *p);

static void
free_cb(void *p)
{
	roster_free(p);
}

static void
reply_line_errors(struct request *r, struct response *res, json_t *errors)
{
	http_error_full(r, res, 400, "validation_failed",
	                "De lijst is niet ingelezen: er is niets veranderd.",
	                NULL, errors);
}

/* Adds {"line","message"} entries for the codes of the roster that are not
 * an open school of the board: checked against both the path's board and
 * each row's school, also when other lines are bad. */
static enum db_status
brin_errors(struct request *r, long long board_id, const struct roster *ro,
            json_t *errors)
{
	const char **codes =
	    arena_alloc(r->arena, (ro->n_brins + 1) * sizeof(char *));
	size_t        *unknown, nunknown;
	enum db_status st;

	if (ro->n_brins == 0)
		return DB_OK;
	for (size_t i = 0; i < ro->n_brins; i++)
		codes[i] = ro->brins[i].brin;
	st = store_roster_unknown_brins(&r->store, board_id, codes, ro->n_brins,
	                                &unknown, &nunknown);
	for (size_t i = 0; st == DB_OK && i < nunknown && i < 200; i++) {
		const struct roster_brin *b = &ro->brins[unknown[i]];

		json_array_append_new(
		    errors,
		    json_pack(
		        "{s:I, s:s}", "line", (json_int_t)b->line, "message",
		        arena_printf(
		            r->arena,
		            "Vestigingscode %s is geen school van dit bestuur.",
		            b->brin)));
	}
	return st;
}

static int
by_line(const void *a, const void *b)
{
	json_int_t x =
	    json_integer_value(json_object_get(*(json_t *const *)a, "line"));
	json_int_t y =
	    json_integer_value(json_object_get(*(json_t *const *)b, "line"));

	/* Line 0 is the file as a whole: alone, or "en nog N fouten" that
	 * closes a full list, so it goes last. */
	if (x == 0 || y == 0)
		return (x == 0) - (y == 0);
	return (x > y) - (x < y);
}

/* The errors in line order, for people reading them top to bottom: a new
 * array of the same entries. */
static json_t *
sorted(struct arena *a, const json_t *errors)
{
	size_t   n = json_array_size(errors);
	json_t **items = arena_alloc(a, (n + 1) * sizeof(*items));
	json_t  *out = json_array();

	for (size_t i = 0; i < n; i++)
		items[i] = json_array_get(errors, i);
	qsort(items, n, sizeof(*items), by_line);
	for (size_t i = 0; i < n; i++)
		json_array_append(out, items[i]);
	return out;
}

void
roster_import(struct request *r, struct response *res)
{
	struct roster             *ro = NULL;
	struct store_roster_row   *rows;
	struct store_roster_counts counts;
	size_t                    *unknown, nunknown;
	long long                  board_id = r->param.board;
	json_t                    *errors, *body;
	enum db_status             st;
	int                        bad;

	bad = roster_parse(r->body ? r->body : "", r->body_len, &ro);
	arena_on_reset(r->arena, free_cb, ro);
	errors = arena_json(r->arena, errlist_json(&ro->errors));
	st = brin_errors(r, board_id, ro, errors);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	/* An empty list would mark every member of staff as left: far more
	 * likely a wrong file than a board without staff. */
	if (bad == 0 && ro->n_rows == 0)
		json_array_append_new(
		    errors, json_pack("{s:i, s:s}", "line", 1, "message",
		                      "het bestand bevat geen medewerkers"));
	if (json_array_size(errors) > 0) {
		reply_line_errors(r, res, sorted(r->arena, errors));
		return;
	}
	rows = arena_alloc(r->arena, (ro->n_rows + 1) * sizeof(*rows));
	for (size_t i = 0; i < ro->n_rows; i++) {
		rows[i].email = ro->rows[i].email;
		rows[i].name = ro->rows[i].name;
		rows[i].role = ro->rows[i].role;
		rows[i].brin = ro->rows[i].brin;
	}
	st =
	    store_roster_import(&r->store, board_id, rows, ro->n_rows, &unknown,
	                        &nunknown, &counts, r->config->public_url);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	if (nunknown > 0) {
		/* A school closed between the check and the lock. */
		errors = json_array();
		for (size_t i = 0; i < nunknown && i < 200; i++)
			json_array_append_new(
			    errors,
			    json_pack(
			        "{s:I, s:s}", "line",
			        (json_int_t)ro->rows[unknown[i]].line,
			        "message",
			        arena_printf(r->arena,
			                     "Vestigingscode %s is geen school "
			                     "van dit bestuur.",
			                     ro->rows[unknown[i]].brin)));
		reply_line_errors(r, res, errors);
		return;
	}
	handler_audit_on(
	    r, "roster_import", "board", board_id,
	    "{\"created\":%lld,\"updated\":%lld,\"unchanged\":%lld,"
	    "\"removed\":%lld,\"invited\":%lld}",
	    counts.created, counts.updated, counts.unchanged, counts.removed,
	    counts.invited);
	body = arena_json(r->arena,
	                  json_pack("{s:I, s:I, s:I, s:I, s:I}", "created",
	                            (json_int_t)counts.created, "updated",
	                            (json_int_t)counts.updated, "unchanged",
	                            (json_int_t)counts.unchanged, "removed",
	                            (json_int_t)counts.removed, "invited",
	                            (json_int_t)counts.invited));
	http_json(r, res, 200, body);
}
