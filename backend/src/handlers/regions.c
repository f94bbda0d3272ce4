/* Region reports: aggregates per municipality and board, never names. */
#include "handlers.h"

#include "../store/store.h"

void
regions_coverage(struct request *r, struct response *res)
{
	reply_json_by_id(r, res, store_region_coverage_json, r->param.region);
}

void
regions_history(struct request *r, struct response *res)
{
	reply_json_by_id(r, res, store_region_history_json, r->param.region);
}
