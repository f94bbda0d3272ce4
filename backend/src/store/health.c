/* SQL of the health check. */
#include "store.h"

const struct db_stmt store_health_stmts[] = {
    {"health_ping", "SELECT 1", 0},
    {0},
};

enum db_status
store_health_ping(struct store_ctx *ctx)
{
	return db_exec(ctx->db, ctx->arena, "health_ping", 0, NULL, NULL);
}
