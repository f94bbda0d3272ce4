/* The route table: every endpoint of the service, who may call it, the
 * typed values of its path and how its body is read.  A "{name:type}"
 * names a value that worker.c parses and checks against the caller before
 * the handler runs (the rules per name: scope.c); the handler reads it as
 * r->param.name.  Keep it in the order of docs/api.md. */
#include "router.h"
#include "scope.h"

#include "handlers/handlers.h"

const struct route app_routes[] = {
    {"GET", "/api/v1/health", health_get, 0, ROUTE_NO_BODY | ROUTE_NO_DB, 0},
    /* The domain lists (roles, package items, statuses) for the pages. */
    {"GET", "/api/v1/meta", meta_get, 0, ROUTE_NO_BODY | ROUTE_NO_DB, 0},

    /* Not audited: a login changes nothing of anyone's data (failures are
     * counted in login_failures, every request is in the access log). */
    {"POST", "/api/v1/auth/login", auth_login, 0,
     ROUTE_JSON_BODY | ROUTE_NO_AUDIT, 0},
    {"POST", "/api/v1/auth/register", auth_register, 0, ROUTE_JSON_BODY, 0},
    {"POST", "/api/v1/auth/logout", auth_logout, ROLE_ANY, ROUTE_NO_BODY, 0},
    /* Not audited, as a login: a new session for the same account. */
    {"POST", "/api/v1/auth/refresh", auth_refresh, ROLE_ANY,
     ROUTE_NO_BODY | ROUTE_NO_AUDIT, 0},
    {"GET", "/api/v1/me", auth_me, ROLE_ANY, ROUTE_NO_BODY, 0},
    {"POST", "/api/v1/auth/verify", account_verify, 0, ROUTE_JSON_BODY, 0},
    {"POST", "/api/v1/auth/verify/resend", account_verify_resend, ROLE_ANY,
     ROUTE_NO_BODY, 0},
    {"POST", "/api/v1/auth/password", account_password_change, ROLE_ANY,
     ROUTE_JSON_BODY, 0},
    {"POST", "/api/v1/auth/reset-request", account_reset_request, 0,
     ROUTE_JSON_BODY, 0},
    {"POST", "/api/v1/auth/reset", account_reset, 0, ROUTE_JSON_BODY, 0},
    {"GET", "/api/v1/me/export", account_export, ROLE_ANY, ROUTE_NO_BODY, 0},
    {"GET", "/api/v1/me/invitations", invitations_mine, ROLE_LEARNER,
     ROUTE_NO_BODY, 0},
    {"POST", "/api/v1/me/invitations/{invitation:id}/accept",
     invitations_accept, ROLE_LEARNER, ROUTE_NO_BODY, 0},
    {"POST", "/api/v1/me/invitations/{invitation:id}/decline",
     invitations_decline, ROLE_LEARNER, ROUTE_NO_BODY, 0},
    {"POST", "/api/v1/users/{user:id}/erase", account_erase, ROLE_ADMIN,
     ROUTE_NO_BODY, 0},
    {"GET", "/api/v1/audit", account_audit, ROLE_ADMIN, ROUTE_NO_BODY, 0},

    /* The study day's three: one round trip each. */
    {"GET", "/api/v1/modules", modules_list, ROLE_ANY,
     ROUTE_NO_BODY | ROUTE_CALLER_IN_STATEMENT, 0},
    {"GET", "/api/v1/modules/{module:slug}", modules_get, ROLE_ANY,
     ROUTE_NO_BODY | ROUTE_CALLER_IN_STATEMENT, 0},
    /* Not audited: a learner's own reading progress, the most frequent
     * write; its row records who and when. */
    {"PUT", "/api/v1/modules/{module:slug}/sections/{section:slug}",
     modules_section_done, ROLE_ANY,
     ROUTE_NO_BODY | ROUTE_NO_AUDIT | ROUTE_CALLER_IN_STATEMENT, 0},
    {"POST", "/api/v1/modules/{module:slug}/quiz", modules_quiz_start, ROLE_ANY,
     ROUTE_NO_BODY, 0},
    {"POST", "/api/v1/modules/{module:slug}/attempts", modules_attempt,
     ROLE_ANY, ROUTE_JSON_BODY, 0},

    {"GET", "/api/v1/me/certificates", certificates_mine, ROLE_ANY,
     ROUTE_NO_BODY, 0},
    {"GET", "/api/v1/certificates/{certificate:code}", certificates_verify, 0,
     ROUTE_NO_BODY, 0},
    {"GET", "/api/v1/certificates/{certificate:code}/pdf", certificates_pdf, 0,
     ROUTE_NO_BODY, 0},

    {"GET", "/api/v1/boards/{board:id}/coverage", boards_coverage,
     ROLE_BOARD_ADMIN | ROLE_ADMIN, ROUTE_NO_BODY, 0},
    {"GET", "/api/v1/boards/{board:id}/coverage/history", boards_history,
     ROLE_BOARD_ADMIN | ROLE_ADMIN, ROUTE_NO_BODY, 0},
    {"GET", "/api/v1/boards/{board:id}/schools/{school:id}/staff", boards_staff,
     ROLE_BOARD_ADMIN | ROLE_ADMIN, ROUTE_NO_BODY, 0},
    {"GET", "/api/v1/boards/{board:id}/schools/{school:id}/expiring",
     boards_expiring, ROLE_BOARD_ADMIN | ROLE_ADMIN, ROUTE_NO_BODY, 0},

    {"GET", "/api/v1/regions/{region:id}/coverage", regions_coverage,
     ROLE_REGION_VIEWER | ROLE_ADMIN, ROUTE_NO_BODY, 0},
    {"GET", "/api/v1/regions/{region:id}/coverage/history", regions_history,
     ROLE_REGION_VIEWER | ROLE_ADMIN, ROUTE_NO_BODY, 0},

    {"POST", "/api/v1/regions", admin_region_create, ROLE_ADMIN,
     ROUTE_JSON_BODY, 0},
    {"GET", "/api/v1/regions", admin_region_list,
     ROLE_REGION_VIEWER | ROLE_ADMIN, ROUTE_NO_BODY, 0},
    {"POST", "/api/v1/boards", admin_board_create, ROLE_ADMIN, ROUTE_JSON_BODY,
     0},
    {"GET", "/api/v1/boards", admin_board_list, ROLE_ADMIN, ROUTE_NO_BODY, 0},
    {"POST", "/api/v1/schools", admin_school_create, ROLE_ADMIN,
     ROUTE_JSON_BODY, 0},
    {"GET", "/api/v1/boards/{board:id}/schools", boards_schools,
     ROLE_BOARD_ADMIN | ROLE_ADMIN, ROUTE_NO_BODY, 0},
    {"POST", "/api/v1/schools/{school:id}/join-code", admin_school_join_code,
     ROLE_BOARD_ADMIN | ROLE_ADMIN, ROUTE_NO_BODY, 0},
    {"POST", "/api/v1/users", admin_user_create, ROLE_ADMIN, ROUTE_JSON_BODY,
     0},
    {"POST", "/api/v1/trainers/{trainer:id}/boards", admin_trainer_board,
     ROLE_ADMIN, ROUTE_JSON_BODY, 0},
    {"POST", "/api/v1/school-register", register_import, ROLE_ADMIN,
     ROUTE_CSV_BODY, 20 * 1024 * 1024},
    {"POST", "/api/v1/boards/{board:id}/roster", roster_import,
     ROLE_BOARD_ADMIN | ROLE_ADMIN, ROUTE_CSV_BODY, 5 * 1024 * 1024},
    {"PUT", "/api/v1/schools/{school:id}/package/{item:word}", boards_package,
     ROLE_BOARD_ADMIN | ROLE_ADMIN, ROUTE_JSON_BODY, 0},

    {"POST", "/api/v1/scenarios", scenarios_create, ROLE_TRAINER,
     ROUTE_JSON_BODY, 2 * 1024 * 1024},
    {"GET", "/api/v1/scenarios", scenarios_list, ROLE_ANY, ROUTE_NO_BODY, 0},
    {"GET", "/api/v1/scenarios/{scenario:id}", scenarios_get, ROLE_ANY,
     ROUTE_NO_BODY, 0},
    {"PUT", "/api/v1/scenarios/{own_scenario:id}", scenarios_update,
     ROLE_TRAINER, ROUTE_JSON_BODY, 2 * 1024 * 1024},
    {"POST", "/api/v1/scenarios/{own_scenario:id}/publish", scenarios_publish,
     ROLE_TRAINER, ROUTE_NO_BODY, 0},
    {"POST", "/api/v1/scenarios/{scenario:id}/attempts", scenarios_attempt,
     ROLE_ANY, ROUTE_JSON_BODY, 0},
    {"GET", "/api/v1/scenarios/{own_scenario:id}/stats", scenarios_stats,
     ROLE_TRAINER, ROUTE_NO_BODY, 0},
    {"POST", "/api/v1/scenarios/{own_scenario:id}/media",
     scenarios_media_upload, ROLE_TRAINER, ROUTE_RAW_BODY, 50 * 1024 * 1024},
    {"GET", "/api/v1/media/{media:sha256}", media_get, ROLE_ANY, ROUTE_NO_BODY,
     0},

    {"POST", "/api/v1/trainings", trainings_create, ROLE_TRAINER,
     ROUTE_JSON_BODY, 0},
    {"GET", "/api/v1/trainings", trainings_list, ROLE_TRAINER, ROUTE_NO_BODY,
     0},
    {"GET", "/api/v1/trainings/{training:id}", trainings_get, ROLE_TRAINER,
     ROUTE_NO_BODY, 0},
    {"POST", "/api/v1/trainings/{training:id}/attendance", trainings_attendance,
     ROLE_TRAINER, ROUTE_RAW_BODY, 0},
};

const size_t app_routes_count = sizeof(app_routes) / sizeof(app_routes[0]);
