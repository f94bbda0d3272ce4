/* SQL of the health check, and the connection limits the start checks
 * read (preflight.c). */
#include "store.h"

const struct db_stmt store_health_stmts[] = {
    {"health_ping", "SELECT 1", 0},
    {"health_connection_limits",
     "SELECT current_setting('max_connections')::int,"
     " current_setting('superuser_reserved_connections')::int",
     0},
    {0},
};

enum db_status
store_health_ping(struct store_ctx *ctx)
{
	return db_exec(ctx->db, ctx->arena, "health_ping", 0, NULL, NULL);
}

enum db_status
store_connection_limits(struct store_ctx *ctx, int *max_connections,
                        int *superuser_reserved)
{
	return db_exec_scan(ctx->db, ctx->arena, "health_connection_limits", 0,
	                    NULL, "nn", max_connections, superuser_reserved);
}
