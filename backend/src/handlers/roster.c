/* POST /api/v1/boards/{id}/roster: replace a board's staff list from CSV,
 * all or nothing, with every bad line reported. */
#include "handlers.h"

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
	                "De lijst is niet ingelezen: er is niets veranderd.", NULL,
	                errors);
}

void
roster_import(struct request *r, struct response *res)
{
	struct roster              *ro = NULL;
	struct store_roster_row    *rows;
	struct store_roster_counts  counts;
	size_t                     *unknown, nunknown;
	long long                   board_id;
	json_t                     *errors, *body;
	enum db_status              st;

	if (!handler_id(r->params[0], &board_id)) {
		http_error(r, res, 404, "not_found", "Dit bestuur bestaat niet.");
		return;
	}
	if (!authz_board(r, res, board_id))
		return;
	if (roster_parse(r->body ? r->body : "", r->body_len, &ro) != 0) {
		arena_on_reset(r->arena, free_cb, ro);
		errors = json_array();
		for (size_t i = 0; i < ro->n_errors; i++)
			json_array_append_new(errors, json_pack("{s:I, s:s}", "line",
			    (json_int_t)ro->errors[i].line, "message",
			    ro->errors[i].message));
		if (ro->dropped > 0)
			json_array_append_new(errors, json_pack("{s:i, s:s}", "line", 0,
			    "message", arena_printf(r->arena, "en nog %zu fouten",
			                            ro->dropped)));
		reply_line_errors(r, res, errors);
		return;
	}
	arena_on_reset(r->arena, free_cb, ro);
	/* An empty list would mark every member of staff as left: far more
	 * likely a wrong file than a board without staff. */
	if (ro->n_rows == 0) {
		errors = json_array();
		json_array_append_new(errors, json_pack("{s:i, s:s}", "line", 1,
		    "message", "het bestand bevat geen medewerkers"));
		reply_line_errors(r, res, errors);
		return;
	}
	rows = arena_alloc(r->arena, (ro->n_rows + 1) * sizeof(*rows));
	for (size_t i = 0; i < ro->n_rows; i++) {
		rows[i].email = ro->rows[i].email;
		rows[i].name = ro->rows[i].name;
		rows[i].role = ro->rows[i].role;
		rows[i].brin = ro->rows[i].brin;
	}
	st = store_roster_import(r, board_id, rows, ro->n_rows, &unknown,
	                         &nunknown, &counts);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	if (nunknown > 0) {
		/* Checked against both the path's board and each row's school. */
		errors = json_array();
		for (size_t i = 0; i < nunknown && i < 200; i++) {
			const struct roster_row *row = &ro->rows[unknown[i]];

			json_array_append_new(errors, json_pack("{s:I, s:s}", "line",
			    (json_int_t)row->line, "message",
			    arena_printf(r->arena, "Vestigingscode %s is geen school "
			                 "van dit bestuur.", row->brin)));
		}
		reply_line_errors(r, res, errors);
		return;
	}
	handler_audit(r, "roster_import", arena_printf(r->arena, "board:%lld",
	              board_id), arena_printf(r->arena, "{\"created\":%lld,"
	              "\"updated\":%lld,\"unchanged\":%lld,\"removed\":%lld}",
	              counts.created, counts.updated, counts.unchanged,
	              counts.removed));
	body = json_pack("{s:I, s:I, s:I, s:I}", "created",
	                 (json_int_t)counts.created, "updated",
	                 (json_int_t)counts.updated, "unchanged",
	                 (json_int_t)counts.unchanged, "removed",
	                 (json_int_t)counts.removed);
	http_json(r, res, 200, body);
	json_decref(body);
}
