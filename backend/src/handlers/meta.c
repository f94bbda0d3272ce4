/* GET /api/v1/meta: the domain lists (roles, package items, statuses, the
 * slug rule) for the frontend, from the one place they are defined. */
#include "handlers.h"

#include "../domain.h"

void
meta_get(struct request *r, struct response *res)
{
	http_json_text(r, res, 200, domain_meta_json());
}
