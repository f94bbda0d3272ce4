/* Board reports: schools, coverage (JSON and CSV), coverage over time,
 * staff per school, expiring certificates, and the package checklist. */
#include "handlers.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../json.h"
#include "../store/store.h"

struct buf {
	char  *data;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n);
static void csv_cell(struct buf *b, const char *s);
static void csv_value(struct buf *b, json_t *v);
static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (b->data == NULL)
			abort();
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* One CSV cell, quoted when needed.  A cell that a spreadsheet would run as
 * a formula (= + - @ tab CR at the start) gets a leading apostrophe. */
static void
csv_cell(struct buf *b, const char *s)
{
	bool quote = strpbrk(s, ",;\"\r\n") != NULL;

	if (quote)
		buf_add(b, "\"", 1);
	if (strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0')
		buf_add(b, "'", 1);
	for (; *s; s++) {
		if (*s == '"')
			buf_add(b, "\"", 1);
		buf_add(b, s, 1);
	}
	if (quote)
		buf_add(b, "\"", 1);
}

static void
csv_value(struct buf *b, json_t *v)
{
	char num[64];

	if (json_is_string(v))
		csv_cell(b, json_string_value(v));
	else if (json_is_integer(v))
		snprintf(num, sizeof(num), "%lld",
		         (long long)json_integer_value(v)),
		    buf_add(b, num, strlen(num));
	else if (json_is_real(v))
		snprintf(num, sizeof(num), "%.1f", json_real_value(v)),
		    buf_add(b, num, strlen(num));
	else if (json_is_true(v))
		buf_add(b, "ja", 2);
	else if (json_is_false(v))
		buf_add(b, "nee", 3);
}

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
	static const char *const items[] = {
	    "tv_series",          "lesson_kit",
	    "parent_letter",      "veilig_thuis_contact",
	    "neighbourhood_team",
	};
	long long      board_id = r->param.board;
	const char    *json, *format;
	json_t        *doc, *row;
	struct buf     b = {0};
	size_t         i, k;
	enum db_status st;

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
	if (doc == NULL)
		return;
	arena_json(r->arena, doc);
	for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
		buf_add(&b, k ? "," : "", k ? 1 : 0);
		buf_add(&b, cols[k], strlen(cols[k]));
	}
	for (k = 0; k < sizeof(items) / sizeof(items[0]); k++) {
		buf_add(&b, ",package_", 9);
		buf_add(&b, items[k], strlen(items[k]));
	}
	buf_add(&b, "\r\n", 2);
	json_array_foreach (json_object_get(doc, "schools"), i, row) {
		json_t *pkg = json_object_get(row, "package");

		for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
			if (k)
				buf_add(&b, ",", 1);
			csv_value(&b, json_object_get(row, cols[k]));
		}
		for (k = 0; k < sizeof(items) / sizeof(items[0]); k++) {
			buf_add(&b, ",", 1);
			csv_value(&b, json_object_get(pkg, items[k]));
		}
		buf_add(&b, "\r\n", 2);
	}
	http_body(r, res, 200, "text/csv; charset=utf-8", b.data, b.len);
	free(b.data);
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
	static const char *const items[] = {
	    "tv_series",          "lesson_kit",
	    "parent_letter",      "veilig_thuis_contact",
	    "neighbourhood_team",
	};
	const char    *item = r->param.item, *done_on = NULL;
	json_t        *v = json_object_get(r->json, "done_on");
	long long      school_id = r->param.school;
	bool           known = false;
	enum db_status st;

	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		known |= strcmp(item, items[i]) == 0;
	if (!known) {
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
	handler_audit(
	    r, "package_item", arena_printf(r->arena, "school:%lld", school_id),
	    arena_printf(r->arena,
	                 "{\"item\":\"%s\","
	                 "\"done_on\":%s%s%s}",
	                 item, done_on ? "\"" : "", done_on ? done_on : "null",
	                 done_on ? "\"" : ""));
	http_no_content(res);
}
