/* The list of every statement table, prepared on each new connection. */
#include "store.h"
#include "scope.h"

const struct db_stmt *const store_all_statements[] = {
    store_health_stmts,    store_users_stmts,
    store_modules_stmts,   store_certificates_stmts,
    store_org_stmts,       store_coverage_stmts,
    store_roster_stmts,    store_register_stmts,
    store_scenarios_stmts, store_trainings_stmts,
    store_accounts_stmts,  store_invitations_stmts,
    store_scope_stmts,     NULL,
};
