/* Worker counts: the default per core and the cap by PostgreSQL's
 * connection limit (pure arithmetic, unit-tested). */
#include "capacity.h"

int
capacity_default_workers(long cores)
{
	long n = cores > 0 ? 4 * cores : 4;

	return n > CAPACITY_DEFAULT_MAX ? CAPACITY_DEFAULT_MAX : (int)n;
}

int
capacity_workers_that_fit(int wanted, int max_connections,
                          int superuser_reserved, int per_worker)
{
	/* The mailer holds one connection; the headroom is for pg_dump,
	 * hgkm-admin and a person with psql. */
	long free_for_workers =
	    (long)max_connections - superuser_reserved - CAPACITY_HEADROOM - 1;
	long fit;

	if (per_worker < 1)
		per_worker = 1;
	fit = free_for_workers / per_worker;
	if (fit < 1)
		fit = 1;
	return wanted <= fit ? wanted : (int)fit;
}
