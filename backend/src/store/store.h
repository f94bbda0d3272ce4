/* All SQL lives under store/: one file per resource.  Handlers call these
 * functions and never see SQL or a PGresult.  Strings returned are owned by
 * the request arena. */
#ifndef STORE_H
#define STORE_H

#include <stdbool.h>
#include <stdio.h>

#include "../db.h"
#include "../http.h"

/* Formats an integer parameter into a caller buffer and yields the buffer. */
#define STORE_INT(buf, v) \
	(snprintf((buf), sizeof(buf), "%lld", (long long)(v)), (buf))

/* Every statement table, NULL-terminated, prepared by db_ensure(). */
extern const struct db_stmt *const store_all_statements[];

extern const struct db_stmt store_health_stmts[];
extern const struct db_stmt store_users_stmts[];
extern const struct db_stmt store_modules_stmts[];
extern const struct db_stmt store_certificates_stmts[];

/* health.c */
enum db_status store_health_ping(struct request *r);

/* users.c */

/* Loads the caller for a verified token: DB_NOT_FOUND when the user is gone,
 * the jti is revoked, or the token predates tokens_valid_after. */
enum db_status store_user_for_token(struct request *r, long long user_id,
                                    const char *jti, long long iat,
                                    struct user *out);

struct login_row {
	long long   user_id;       /* 0 when the email is unknown */
	const char *password_hash;
	long long   recent_failures;
};
enum db_status store_user_login_lookup(struct request *r, const char *email,
                                       struct login_row *out);
enum db_status store_user_login_failed(struct request *r, const char *email);
enum db_status store_user_by_id(struct request *r, long long id,
                                struct user *out);

/* Registration: the school of a join code (DB_NOT_FOUND when none). */
enum db_status store_school_by_join_code(struct request *r, const char *code,
                                         long long *school_id,
                                         long long *board_id);
/* Counts and records one registration attempt from addr in the last hour. */
enum db_status store_register_attempt(struct request *r, const char *addr,
                                      long long *recent);
/* DB_CONFLICT when the email exists. */
enum db_status store_user_create_teacher(struct request *r, const char *email,
                                         const char *name, const char *hash,
                                         long long school_id, long long *id);
enum db_status store_token_revoke(struct request *r, const char *jti,
                                  long long exp);
/* GET /me as JSON text. */
enum db_status store_user_me_json(struct request *r, long long user_id,
                                  const char **json);

/* modules.c */
enum db_status store_modules_list_json(struct request *r, const char **json);
/* The module page for the caller: cached content plus own progress; the
 * result is owned by the arena. */
enum db_status store_module_detail(struct request *r, const char *slug,
                                   json_t **out);
/* DB_NOT_FOUND when the module or section is unknown for the caller. */
enum db_status store_section_done(struct request *r, const char *slug,
                                  const char *section_id);

struct quiz_key {
	long long   module_id;
	int         version;
	int         pass_mark;
	int         validity_months;
	int         sections_missing;
	const char *key_json; /* see quiz.h */
};
enum db_status store_quiz_key(struct request *r, const char *slug,
                              struct quiz_key *out);

/* certificates.c */
struct certificate {
	const char *code;
	const char *issued_at;
	const char *expires_at;
};
/*
 * Records an attempt and, when it passed, the completion: under a per-user,
 * per-module lock, a still valid certificate is returned as it is, else a
 * new one is issued.  *cert->code is NULL when none applies.
 */
enum db_status store_attempt_record(struct request *r, const struct quiz_key *k,
                                    int score, bool passed,
                                    const char *answers_json,
                                    struct certificate *cert);
enum db_status store_my_certificates_json(struct request *r,
                                          const char **json);
struct certificate_public {
	bool        valid;
	const char *holder_name;
	const char *module_title;
	const char *issued_at;
	const char *expires_at;
};
enum db_status store_certificate_public(struct request *r, const char *code,
                                        struct certificate_public *out);

#endif
