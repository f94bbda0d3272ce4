/* How many workers the service runs: the default per core, and the cap
 * that keeps its connections within PostgreSQL's max_connections. */
#ifndef CAPACITY_H
#define CAPACITY_H

/* Connections kept free for backups, migrations and an administrator. */
#define CAPACITY_HEADROOM 10
/* The default never goes beyond this many workers, however many cores. */
#define CAPACITY_DEFAULT_MAX 32

/* The default worker count: four per core (a worker waits on the database
 * most of the time), at least 4, at most CAPACITY_DEFAULT_MAX. */
int capacity_default_workers(long cores);

/*
 * The number of workers that fit: each worker holds per_worker connections
 * (1, or 2 with a reports connection), the mailer one more, and
 * CAPACITY_HEADROOM stay free, within max_connections minus the
 * superuser_reserved_connections.  Returns `wanted` when it fits, else the
 * most that fit, but at least 1.
 */
int capacity_workers_that_fit(int wanted, int max_connections,
                              int superuser_reserved, int per_worker);

#endif
