/* The start checks: settings, secret, database login and schema, media
 * directory, logs, socket, mail command, each problem one sentence that
 * names the setting and what to do (hgkm-fcgi --check, and every start). */
#ifndef PREFLIGHT_H
#define PREFLIGHT_H

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"
#include "db.h"

#define PREFLIGHT_MAX 24
#define PREFLIGHT_TEXT 640

enum preflight_kind {
	PREFLIGHT_OK,      /* passed: "ok: ..." in --check */
	PREFLIGHT_PROBLEM, /* the service cannot run: no start */
	PREFLIGHT_MAIL,    /* mail cannot go out: the start goes on */
	PREFLIGHT_NOTE,    /* adjusted, not wrong (the worker cap) */
};

struct preflight {
	int n;
	struct {
		enum preflight_kind kind;
		char                text[PREFLIGHT_TEXT];
	} line[PREFLIGHT_MAX];
};

void preflight_init(struct preflight *p);

/* Adds one line (printf format); past PREFLIGHT_MAX lines are dropped. */
void preflight_add(struct preflight *p, enum preflight_kind kind,
                   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* How many lines of that kind there are. */
int preflight_count(const struct preflight *p, enum preflight_kind kind);

/* The directory exists and a file can be created in it (and removed). */
void preflight_media_dir(struct preflight *p, const char *dir);

/* The log file (key: "error-log", "access-log") can be opened for
 * appending; "-" is standard error. */
void preflight_log_file(struct preflight *p, const char *key, const char *path);

/* The socket's directory exists and the service can create a file in it. */
void preflight_socket_dir(struct preflight *p, const char *socket_path);

/* The group exists and the service may give the socket to it; *gid is
 * the group, or (gid_t)-1 when the setting is empty or wrong. */
void preflight_socket_group(struct preflight *p, const char *group, gid_t *gid);

/* The first word of the sendmail setting is an executable file: an
 * absolute path, or found in path_env (PATH; NULL: /usr/bin:/bin). */
void preflight_mail_command(struct preflight *p, const char *sendmail,
                            const char *path_env);

/*
 * Waits up to c->start_wait seconds for a server that does not answer yet
 * (PQping), then logs in and prepares every statement of this build (the
 * workers' own db_ensure), and the same for reports-database-url.  On
 * success *db stays connected for preflight_workers; the caller closes it.
 */
void preflight_database(struct preflight *p, const struct config *c,
                        struct db *db);

/* The worker count that fits PostgreSQL's connection limit (a note when
 * lowered); c->workers when db is not connected. */
int preflight_workers(struct preflight *p, const struct config *c,
                      struct db *db);

/* Every check above except the database, in the order --check prints. */
void preflight_files(struct preflight *p, const struct config *c,
                     gid_t *socket_gid);

#endif
