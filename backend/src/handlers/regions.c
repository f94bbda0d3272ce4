/* Region reports: aggregates per municipality and board, never names. */
#include "handlers.h"

#include "../store/store.h"

static bool
region_param(struct request *r, struct response *res, long long *region_id)
{
	if (!handler_id(r->params[0], region_id)) {
		http_error(r, res, 404, "not_found",
		           "Deze regio bestaat niet.");
		return false;
	}
	return authz_region(r, res, *region_id);
}

void
regions_coverage(struct request *r, struct response *res)
{
	long long      region_id;
	const char    *json;
	enum db_status st;

	if (!region_param(r, res, &region_id))
		return;
	st = store_region_coverage_json(&r->store, region_id, &json);
	reply_json_result(r, res, st, json);
}

void
regions_history(struct request *r, struct response *res)
{
	long long      region_id;
	const char    *json;
	enum db_status st;

	if (!region_param(r, res, &region_id))
		return;
	st = store_region_history_json(&r->store, region_id, &json);
	reply_json_result(r, res, st, json);
}
