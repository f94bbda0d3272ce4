/* GET /api/v1/health: the service answers and the database too. */
#include "handlers.h"

#include "../store/store.h"

void
health_get(struct request *r, struct response *res)
{
	enum db_status st = db_ensure(r->db);

	if (st == DB_OK)
		st = store_health_ping(&r->store);
	if (st == DB_OK) {
		http_json_text(r, res, 200,
		               "{\"status\":\"ok\",\"db\":\"ok\"}");
		return;
	}
	/* Both the health shape and the error shape, for any client. */
	http_json_text(r, res, 503,
	               "{\"status\":\"unavailable\",\"db\":\"down\","
	               "\"error\":{\"code\":\"unavailable\","
	               "\"message\":\"De database is niet bereikbaar.\"}}");
}
