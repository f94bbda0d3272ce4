/* The route table: every endpoint of the service, who may call it, and how
 * its body is read.  Keep it in the order of docs/api.md. */
#include "router.h"

#include "handlers/handlers.h"

const struct route app_routes[] = {
    {"GET", "/api/v1/health", health_get, 0, ROUTE_NO_BODY | ROUTE_NO_DB, 0},

    /* Not audited: a login changes nothing of anyone's data (failures are
     * counted in login_failures, every request is in the access log). */
    {"POST", "/api/v1/auth/login", auth_login, 0,
     ROUTE_JSON_BODY | ROUTE_NO_AUDIT, 0},
    {"POST", "/api/v1/auth/register", auth_register, 0, ROUTE_JSON_BODY, 0},
    {"POST", "/api/v1/auth/logout", auth_logout, ROLE_ANY, ROUTE_NO_BODY, 0},
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
    {"POST", "/api/v1/users/{}/erase", account_erase, ROLE_ADMIN, ROUTE_NO_BODY,
     0},
    {"GET", "/api/v1/audit", account_audit, ROLE_ADMIN, ROUTE_NO_BODY, 0},

    {"GET", "/api/v1/modules", modules_list, ROLE_ANY, ROUTE_NO_BODY, 0},
    {"GET", "/api/v1/modules/{}", modules_get, ROLE_ANY, ROUTE_NO_BODY, 0},
    /* Not audited: a learner's own reading progress, the most frequent
     * write; its row records who and when. */
    {"PUT", "/api/v1/modules/{}/sections/{}", modules_section_done, ROLE_ANY,
     ROUTE_NO_BODY | ROUTE_NO_AUDIT, 0},
    {"POST", "/api/v1/modules/{}/attempts", modules_attempt, ROLE_ANY,
     ROUTE_JSON_BODY, 0},

    {"GET", "/api/v1/me/certificates", certificates_mine, ROLE_ANY,
     ROUTE_NO_BODY, 0},
    {"GET", "/api/v1/certificates/{}", certificates_verify, 0, ROUTE_NO_BODY,
     0},
    {"GET", "/api/v1/certificates/{}/pdf", certificates_pdf, 0, ROUTE_NO_BODY,
     0},

    {"GET", "/api/v1/boards/{}/coverage", boards_coverage,
     ROLE_BOARD_ADMIN | ROLE_ADMIN, ROUTE_NO_BODY, 0},
    {"GET", "/api/v1/boards/{}/coverage/history", boards_history,
     ROLE_BOARD_ADMIN | ROLE_ADMIN, ROUTE_NO_BODY, 0},
    {"GET", "/api/v1/boards/{}/schools/{}/staff", boards_staff,
     ROLE_BOARD_ADMIN | ROLE_ADMIN, ROUTE_NO_BODY, 0},
    {"GET", "/api/v1/boards/{}/schools/{}/expiring", boards_expiring,
     ROLE_BOARD_ADMIN | ROLE_ADMIN, ROUTE_NO_BODY, 0},

    {"GET", "/api/v1/regions/{}/coverage", regions_coverage,
     ROLE_REGION_VIEWER | ROLE_ADMIN, ROUTE_NO_BODY, 0},
    {"GET", "/api/v1/regions/{}/coverage/history", regions_history,
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
    {"GET", "/api/v1/boards/{}/schools", boards_schools,
     ROLE_BOARD_ADMIN | ROLE_ADMIN, ROUTE_NO_BODY, 0},
    {"POST", "/api/v1/schools/{}/join-code", admin_school_join_code,
     ROLE_BOARD_ADMIN | ROLE_ADMIN, ROUTE_NO_BODY, 0},
    {"POST", "/api/v1/users", admin_user_create, ROLE_ADMIN, ROUTE_JSON_BODY,
     0},
    {"POST", "/api/v1/trainers/{}/boards", admin_trainer_board, ROLE_ADMIN,
     ROUTE_JSON_BODY, 0},
    {"POST", "/api/v1/school-register", register_import, ROLE_ADMIN,
     ROUTE_CSV_BODY, 20 * 1024 * 1024},
    {"POST", "/api/v1/boards/{}/roster", roster_import,
     ROLE_BOARD_ADMIN | ROLE_ADMIN, ROUTE_CSV_BODY, 5 * 1024 * 1024},
    {"PUT", "/api/v1/schools/{}/package/{}", boards_package,
     ROLE_BOARD_ADMIN | ROLE_ADMIN, ROUTE_JSON_BODY, 0},

    {"POST", "/api/v1/scenarios", scenarios_create, ROLE_TRAINER,
     ROUTE_JSON_BODY, 2 * 1024 * 1024},
    {"GET", "/api/v1/scenarios", scenarios_list, ROLE_ANY, ROUTE_NO_BODY, 0},
    {"GET", "/api/v1/scenarios/{}", scenarios_get, ROLE_ANY, ROUTE_NO_BODY, 0},
    {"PUT", "/api/v1/scenarios/{}", scenarios_update, ROLE_TRAINER,
     ROUTE_JSON_BODY, 2 * 1024 * 1024},
    {"POST", "/api/v1/scenarios/{}/publish", scenarios_publish, ROLE_TRAINER,
     ROUTE_NO_BODY, 0},
    {"POST", "/api/v1/scenarios/{}/attempts", scenarios_attempt, ROLE_ANY,
     ROUTE_JSON_BODY, 0},
    {"GET", "/api/v1/scenarios/{}/stats", scenarios_stats, ROLE_TRAINER,
     ROUTE_NO_BODY, 0},
    {"POST", "/api/v1/scenarios/{}/media", scenarios_media_upload, ROLE_TRAINER,
     ROUTE_RAW_BODY, 50 * 1024 * 1024},
    {"GET", "/api/v1/media/{}", media_get, ROLE_ANY, ROUTE_NO_BODY, 0},

    {"POST", "/api/v1/trainings", trainings_create, ROLE_TRAINER,
     ROUTE_JSON_BODY, 0},
    {"GET", "/api/v1/trainings", trainings_list, ROLE_TRAINER, ROUTE_NO_BODY,
     0},
    {"GET", "/api/v1/trainings/{}", trainings_get, ROLE_TRAINER, ROUTE_NO_BODY,
     0},
    {"POST", "/api/v1/trainings/{}/attendance", trainings_attendance,
     ROLE_TRAINER, ROUTE_RAW_BODY, 0},
};

const size_t app_routes_count = sizeof(app_routes) / sizeof(app_routes[0]);
