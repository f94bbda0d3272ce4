/* Store functions whose whole body is one prepared statement keyed by one
 * id: each is defined by one line naming its statement, instead of a copied
 * body per resource.  Their prototypes stay in store.h. */
#ifndef STORE_READER_H
#define STORE_READER_H

#include "store.h"

/* The statement's one value (JSON or text) for the row with this id. */
#define STORE_VALUE_BY_ID(fn, stmt)                                            \
	enum db_status fn(struct store_ctx *ctx, long long id,                 \
	                  const char **out)                                    \
	{                                                                      \
		return db_exec_id_value(ctx->db, ctx->arena, stmt, id, out);   \
	}

/* The same, keyed by the caller's own account id. */
#define STORE_VALUE_OF_CALLER(fn, stmt)                                        \
	enum db_status fn(struct store_ctx *ctx, const char **out)             \
	{                                                                      \
		return db_exec_id_value(ctx->db, ctx->arena, stmt,             \
		                        ctx->user_id, out);                    \
	}

/* A write keyed by one id whose result nobody reads. */
#define STORE_RUN_BY_ID(fn, stmt)                                              \
	enum db_status fn(struct store_ctx *ctx, long long id)                 \
	{                                                                      \
		return db_exec_id(ctx->db, ctx->arena, stmt, id, NULL);        \
	}

#endif
