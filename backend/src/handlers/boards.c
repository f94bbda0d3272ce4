/* Board reports: schools, coverage (JSON and CSV), coverage over time,
 * staff per school, expiring certificates, and the package checklist. */
#include "handlers.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../csvout.h"
#include "../domain.h"
#include "../json.h"
#include "../log.h"
#include "../store/store.h"

void
boards_schools(struct request *r, struct response *res)
{
	reply_json_by_id(r, res, store_board_schools_json, r->param.board);
}

void
boards_coverage(struct request *r, struct response *res)
{
	static const char *const cols[] = {
	    "school_id",    "name",         "brin",
	    "municipality", "teachers",     "teachers_certified",
	    "ib",           "ib_certified", "has_certified_af",
	    "expiring_90d", "coverage_pct",
	};
	const struct domain_list *items = &domain_package_items;
	long long                 board_id = r->param.board;
	const char               *json, *format;
	json_t                   *doc, *row;
	struct csvout             w;
	size_t                    i, k;
	enum db_status            st;

	st = store_board_coverage_json(&r->store, board_id, &json);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	format = http_query_get(r->arena, r->query, "format");
	if (format == NULL || strcmp(format, "json") == 0) {
		http_json_text(r, res, 200, json);
		return;
	}
	if (strcmp(format, "csv") != 0) {
		reply_invalid_field(r, res, "format", "Kies json of csv.");
		return;
	}
	doc = json_loads(json, 0, NULL);
	if (doc == NULL) {
		log_error("boards: coverage of board %lld is not JSON",
		          board_id);
		reply_db_error(r, res, DB_ERROR);
		return;
	}
	arena_json(r->arena, doc);
	csvout_init(&w, r->arena);
	for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++)
		csvout_cell(&w, cols[k]);
	for (k = 0; k < items->n; k++)
		csvout_cell(&w, arena_printf(r->arena, "package_%s",
		                             items->items[k].code));
	csvout_end_row(&w);
	json_array_foreach (json_object_get(doc, "schools"), i, row) {
		json_t *pkg = json_object_get(row, "package");

		for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++)
			csvout_json(&w, json_object_get(row, cols[k]));
		for (k = 0; k < items->n; k++)
			csvout_json(&w,
			            json_object_get(pkg, items->items[k].code));
		csvout_end_row(&w);
	}
	http_body(r, res, 200, "text/csv; charset=utf-8", w.data, w.len);
	http_header_add(
	    r, res, "Content-Disposition",
	    arena_printf(r->arena,
	                 "attachment; filename=\"dekking-bestuur-%lld.csv\"",
	                 board_id));
}

void
boards_history(struct request *r, struct response *res)
{
	reply_json_by_id(r, res, store_board_history_json, r->param.board);
}

void
boards_staff(struct request *r, struct response *res)
{
	reply_json_by_id(r, res, store_school_staff_json, r->param.school);
}

void
boards_expiring(struct request *r, struct response *res)
{
	reply_json_by_id(r, res, store_school_expiring_json, r->param.school);
}

void
boards_package(struct request *r, struct response *res)
{
	const char    *item = r->param.item, *done_on = NULL;
	json_t        *v = json_object_get(r->json, "done_on");
	long long      school_id = r->param.school;
	enum db_status st;

	if (domain_find(&domain_package_items, item) == NULL) {
		http_error(r, res, 404, "not_found",
		           "Onbekend onderdeel van het pakket.");
		return;
	}
	if (v == NULL || (!json_is_null(v) && !json_is_string(v)) ||
	    (json_is_string(v) && !handler_date_valid(json_string_value(v)))) {
		reply_invalid_field(r, res, "done_on",
		                    "Geef een datum als JJJJ-MM-DD, of null.");
		return;
	}
	if (json_is_string(v))
		done_on = json_string_value(v);
	st = store_package_set(&r->store, school_id, item, done_on);
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	handler_audit_on(r, "package_item", "school", school_id,
	                 "{\"item\":\"%s\",\"done_on\":%s%s%s}", item,
	                 done_on ? "\"" : "", done_on ? done_on : "null",
	                 done_on ? "\"" : "");
	http_no_content(res);
}
