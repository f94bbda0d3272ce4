/* POST /api/v1/school-register: DUO's register of school locations. */
#include "handlers.h"

#include "../duo.h"
#include "../store/store.h"

static void free_cb(void *p);

static void
free_cb(void *p)
{
	duo_register_free(p);
}

void
register_import(struct request *r, struct response *res)
{
	struct duo_register         *reg = NULL;
	struct store_register_input  in;
	struct store_register_counts counts = {0};
	const char                 **cols[8];
	json_t                      *errors, *body;
	enum db_status               st;

	if (r->body == NULL || r->body_len == 0) {
		reply_invalid_field(r, res, "body", "Het bestand is leeg.");
		return;
	}
	if (duo_parse(r->body, r->body_len, &reg) != 0) {
		arena_on_reset(r->arena, free_cb, reg);
		errors = errlist_json(&reg->errors);
		http_error_full(
		    r, res, 400, "validation_failed",
		    "Het bestand is niet ingelezen: er is niets veranderd.",
		    NULL, errors);
		return;
	}
	arena_on_reset(r->arena, free_cb, reg);
	for (int c = 0; c < 8; c++)
		cols[c] =
		    arena_alloc(r->arena, (reg->n_rows + 1) * sizeof(char *));
	for (size_t i = 0; i < reg->n_rows; i++) {
		const struct duo_row *row = &reg->rows[i];

		cols[0][i] = row->brin;
		cols[1][i] = row->name;
		cols[2][i] = row->board_number;
		cols[3][i] = row->municipality;
		cols[4][i] = row->municipality_code;
		cols[5][i] = row->place;
		cols[6][i] = row->rmc_region_code;
		cols[7][i] = row->rmc_region_name;
	}
	in.n = reg->n_rows;
	in.brins = cols[0];
	in.names = cols[1];
	in.board_numbers = cols[2];
	in.municipalities = cols[3];
	in.municipality_codes = cols[4];
	in.places = cols[5];
	in.rmc_codes = cols[6];
	in.rmc_names = cols[7];
	st = store_register_import(&r->store, &in, &counts);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	handler_audit(r, "school_register_import", "register",
	              arena_printf(r->arena, "{\"rows\":%zu}", reg->n_rows));
	body = arena_json(
	    r->arena,
	    json_pack("{s:I, s:I, s:I, s:I}", "boards_created",
	              (json_int_t)counts.boards_created, "schools_created",
	              (json_int_t)counts.schools_created, "schools_updated",
	              (json_int_t)counts.schools_updated, "schools_closed",
	              (json_int_t)counts.schools_closed));
	http_json(r, res, 200, body);
}
