/* The route table: every endpoint of the service, who may call it, and how
 * its body is read.  Keep it in the order of docs/api.md. */
#include "router.h"

#include "handlers/handlers.h"

const struct route app_routes[] = {
	{"GET", "/api/v1/health", health_get, 0, ROUTE_NO_BODY | ROUTE_NO_DB, 0},

	{"POST", "/api/v1/auth/login", auth_login, 0, ROUTE_JSON_BODY, 0},
	{"POST", "/api/v1/auth/register", auth_register, 0, ROUTE_JSON_BODY, 0},
	{"POST", "/api/v1/auth/logout", auth_logout, ROLE_ANY, ROUTE_NO_BODY, 0},
	{"GET", "/api/v1/me", auth_me, ROLE_ANY, ROUTE_NO_BODY, 0},

	{"GET", "/api/v1/modules", modules_list, ROLE_ANY, ROUTE_NO_BODY, 0},
	{"GET", "/api/v1/modules/{}", modules_get, ROLE_ANY, ROUTE_NO_BODY, 0},
	{"PUT", "/api/v1/modules/{}/sections/{}", modules_section_done, ROLE_ANY,
	 ROUTE_NO_BODY, 0},
	{"POST", "/api/v1/modules/{}/attempts", modules_attempt, ROLE_ANY,
	 ROUTE_JSON_BODY, 0},

	{"GET", "/api/v1/me/certificates", certificates_mine, ROLE_ANY,
	 ROUTE_NO_BODY, 0},
	{"GET", "/api/v1/certificates/{}", certificates_verify, 0, ROUTE_NO_BODY, 0},
	{"GET", "/api/v1/certificates/{}/pdf", certificates_pdf, 0, ROUTE_NO_BODY,
	 0},
};

const size_t app_routes_count = sizeof(app_routes) / sizeof(app_routes[0]);
