/* A FastCGI worker process: accept loop, auth, dispatch, access log. */
#ifndef WORKER_H
#define WORKER_H

#include "config.h"
#include "auth.h"
#include "module_list.h"
#include "module_page.h"
#include "store/store.h"

/* What a worker keeps from one request to the next, owned by worker_run()
 * and reached through struct request .worker: nothing of it is static. */
struct worker_ctx {
	struct store_reports     reports;      /* board and region reports */
	struct module_page_cache module_pages; /* rendered module content */
	struct module_list_cache module_list;  /* what each module says */
	struct auth_token_cache *tokens; /* verified tokens; may be NULL */
};

/* Exit status of a worker that cannot work with this database schema: the
 * master stops instead of restarting it in a loop. */
#define WORKER_EXIT_FATAL 3

/* Serves requests on listen_fd until SIGTERM; returns the exit status. */
int worker_run(const struct config *c, int listen_fd);

#endif
