/* All SQL lives under store/: one file per resource.  Handlers call these
 * functions and never see SQL or a PGresult.  Strings returned are owned by
 * the request arena. */
#ifndef STORE_H
#define STORE_H

#include <stdbool.h>
#include <stdio.h>

#include "../db.h"

struct user;

/* Formats an integer parameter into a caller buffer and yields the buffer. */
#define STORE_INT(buf, v)                                                      \
	(snprintf((buf), sizeof(buf), "%lld", (long long)(v)), (buf))

/* What a store function may know of the request: the connection, the
 * arena that owns what it returns, and who asks (0 / NULL on public routes).
 * worker.c fills one per request (struct request .store); tools fill their
 * own.  The store never sees struct request. */
struct store_ctx {
	struct db    *db;
	struct arena *arena;
	long long     user_id;
	const char   *role; /* "teacher", "ib", ...; NULL: nobody logged in */
	/* On routes whose statement checks the caller itself (ROUTE_CALLER_
	 * IN_STATEMENT): the verified token; user_id/role are 0/NULL until
	 * handler_caller() has the statement's caller. */
	const struct store_token *token;
	/* The worker's connection for board and region reports; NULL or not
	 * enabled: they run on db. */
	struct store_reports *reports;
};

/*
 * With reports-database-url set (a streaming replica), a worker keeps a
 * second connection for the board and region reports, opened on the first
 * report.  It lives as long as the worker (struct worker_ctx).
 */
struct store_reports {
	bool      enabled; /* false: reports use the main connection */
	struct db db;
};
void store_reports_init(struct store_reports *rep, const char *url,
                        int statement_timeout);
void store_reports_close(struct store_reports *rep);

/* A verified token (auth_token_verify): whom it names, and what the
 * database may have revoked (its jti, its issue time in milliseconds). */
struct store_token {
	long long   user_id;
	const char *jti;
	long long   iat_ms;
};

/*
 * The caller of a token as one query: the account is not erased, the token
 * is not older than its tokens_valid_after and its jti is not revoked.  The
 * one rule for user_for_token and for the statements that check the caller
 * themselves, so that a request makes one round trip: they start with
 * "WITH me AS (" STORE_CALLER_SQL(...) ")" and select STORE_CALLER_COLS
 * first; no row means the token no longer holds (store_exec_as_caller).
 * Arguments: the parameters ("$1") of user id, jti and iat in ms.
 */
#define STORE_CALLER_SQL(uid, jti, iat_ms)                                     \
	"SELECT u.id, u.email, u.name, u.role, u.school_id, u.board_id,"       \
	" u.region_id FROM users u WHERE u.id = " uid                          \
	" AND u.erased_at IS NULL"                                             \
	" AND u.tokens_valid_after <= to_timestamp(" iat_ms                    \
	"::bigint / 1000.0)"                                                   \
	" AND NOT EXISTS (SELECT 1 FROM revoked_tokens t WHERE t.jti = " jti   \
	")"
#define STORE_CALLER_COLS                                                      \
	"me.id, me.email, me.name, me.role, me.school_id, me.board_id,"        \
	" me.region_id"
#define STORE_CALLER_NCOLS 7

/* Every statement table, NULL-terminated, prepared by db_ensure(). */
extern const struct db_stmt *const store_all_statements[];

extern const struct db_stmt store_health_stmts[];
extern const struct db_stmt store_users_stmts[];
extern const struct db_stmt store_modules_stmts[];
extern const struct db_stmt store_certificates_stmts[];
extern const struct db_stmt store_org_stmts[];
extern const struct db_stmt store_coverage_stmts[];
extern const struct db_stmt store_roster_stmts[];
extern const struct db_stmt store_register_stmts[];
extern const struct db_stmt store_scenarios_stmts[];
extern const struct db_stmt store_trainings_stmts[];
extern const struct db_stmt store_accounts_stmts[];
extern const struct db_stmt store_invitations_stmts[];
/* Prepared by the mailer and the content tool only, not by workers. */
extern const struct db_stmt store_mail_stmts[];
extern const struct db_stmt store_content_stmts[];

/* health.c */
enum db_status store_health_ping(struct store_ctx *ctx);
/* PostgreSQL's max_connections and superuser_reserved_connections. */
enum db_status store_connection_limits(struct store_ctx *ctx,
                                       int              *max_connections,
                                       int              *superuser_reserved);

/* users.c */

/* Loads the caller for a verified token: DB_NOT_FOUND when the user is gone,
 * the jti is revoked, or the token predates tokens_valid_after. */
enum db_status store_user_for_token(struct store_ctx *ctx, long long user_id,
                                    const char *jti, long long iat_ms,
                                    struct user *out);
/*
 * Runs a statement that checks its caller itself ($1-$3 of STORE_CALLER_SQL
 * from ctx->token, then the `nextra` parameters `extra` as $4...) and reads
 * the caller's columns (STORE_CALLER_COLS, first in row 0) into *me;
 * me->id = 0 when there is no row (the token no longer holds).  *res is the
 * result (arena-owned) on DB_OK.
 */
enum db_status store_exec_as_caller(struct store_ctx *ctx, const char *name,
                                    int nextra, const char *const *extra,
                                    struct user *me, PGresult **res);

/* Login: the account of a canonical address, the recent failures without
 * a device cookie (of this client for this address, of this client's
 * network for any address, and of anyone for this address), each with the
 * seconds since the last one, and the account's device of the cookie hash
 * (NULL: none) with its own recent failures. */
struct login_row {
	long long   user_id; /* 0 when the email is unknown */
	const char *password_hash;
	long long   pair_failures;
	double      pair_age;
	long long   client_failures;
	double      client_age;
	long long   address_failures;
	double      address_age;
	long long device_id; /* 0 when no valid device cookie of the account */
	long long device_failures;
	double    device_age;
};
enum db_status store_user_login_lookup(struct store_ctx *ctx,
                                       const char       *canonical,
                                       const char *client, const char *net,
                                       const char       *device_hash,
                                       struct login_row *out);
enum db_status store_user_login_failed(struct store_ctx *ctx,
                                       const char       *canonical,
                                       const char *client, const char *net);
enum db_status store_user_login_succeeded(struct store_ctx *ctx,
                                          const char       *canonical,
                                          const char       *client);
/* Device cookies: a failure or a success on a known device; a new device
 * of an account (valid `days`, the account keeping its newest `keep`);
 * every device of an account gone (password reset). */
enum db_status store_login_device_failed(struct store_ctx *ctx,
                                         long long         device_id);
enum db_status store_login_device_succeeded(struct store_ctx *ctx,
                                            long long         device_id);
enum db_status store_login_device_add(struct store_ctx *ctx, long long user_id,
                                      const char *cookie_hash, int days,
                                      int keep);
enum db_status store_login_devices_drop(struct store_ctx *ctx,
                                        long long         user_id);
enum db_status store_user_by_id(struct store_ctx *ctx, long long id,
                                struct user *out);

/* Registration: the school of a join code (DB_NOT_FOUND when none). */
enum db_status store_school_by_join_code(struct store_ctx *ctx,
                                         const char *code, long long *school_id,
                                         long long *board_id);
/* Counts and records one registration attempt from addr in the last hour. */
enum db_status store_register_attempt(struct store_ctx *ctx, const char *addr,
                                      long long *recent);
/* DB_CONFLICT when the email exists. */
enum db_status store_user_create_teacher(struct store_ctx *ctx,
                                         const char       *email,
                                         const char       *canonical,
                                         const char *name, const char *hash,
                                         long long school_id, long long *id);
/* Revokes a token's jti; DB_NOT_FOUND when it was revoked already: of two
 * refreshes of one token at once, or a refresh racing a logout, only one
 * wins (the insert waits for the other's commit). */
enum db_status store_token_revoke(struct store_ctx *ctx, const char *jti,
                                  long long exp);
/* GET /me as JSON text, with session_expires_at as given. */
enum db_status store_user_me_json(struct store_ctx *ctx, long long user_id,
                                  const char  *session_expires_at,
                                  const char **json);

/* modules.c */
/* The caller's part of the module list (module_list.h), with the caller as
 * in store_module_mine; each text NULL when empty. */
struct store_modules_mine {
	const char *modules; /* "id version,...", in the list's order */
	const char *done;    /* "module_id section_id,..." */
	/* "module_id issued expires valid expiring,...", flags true/false */
	const char *certificates;
};
enum db_status store_modules_list_mine(struct store_ctx *ctx, struct user *me,
                                       struct store_modules_mine *out);
/* What module_id says in the list (its fields as JSON text, its active
 * section ids joined by ',' or NULL), at its current version. */
enum db_status store_module_list_entry(struct store_ctx *ctx,
                                       long long module_id, int *version,
                                       const char **head,
                                       const char **sections);
/* The caller's part of a module page (module_page.h renders it), with the
 * caller (store_exec_as_caller: me->id = 0 when the token no longer holds):
 * DB_NOT_FOUND when the module is not one the caller may take. */
struct store_module_mine {
	int         version;          /* the module's current version */
	const char *done_json;        /* array of the finished section ids */
	const char *certificate_json; /* the newest certificate, or NULL */
	const char *quiz_state_json;  /* paused_until, open attempt's expiry */
};
enum db_status store_module_mine(struct store_ctx *ctx, const char *slug,
                                 struct user              *me,
                                 struct store_module_mine *out);
/* The part of a module page that is the same for everyone, as JSON text,
 * and its version; DB_NOT_FOUND when the module is not active. */
enum db_status store_module_content(struct store_ctx *ctx, const char *slug,
                                    int *version, const char **content_json);
/* DB_NOT_FOUND when the module or section is unknown for the caller;
 * the caller as in store_module_mine. */
enum db_status store_section_done(struct store_ctx *ctx, const char *slug,
                                  const char *section_id, struct user *me);

/* How long a started attempt stays open, and the pause after two failures
 * in a row (PostgreSQL intervals; docs/api.md, "The quiz").  Over 20 hours:
 * a learner who needs much longer loses no answers (WCAG 2.2.1, the
 * twenty-hour exception), and the draw does not outlive a day. */
#define QUIZ_ATTEMPT_TTL "21 hours"
#define QUIZ_PAUSE "30 minutes"

struct quiz_start {
	long long   module_id;
	int         pass_mark;
	int         sections_missing; /* > 0: nothing else is set */
	const char *bank_json; /* objectives and questions, with the key */
	/* When paused: the time it opens again and the last attempt's grading
	 * (or NULL); attempt_id is then 0. */
	const char *retry_after;
	const char *last_grading;
	long long   attempt_id;
	const char *expires_at;
	const char *draw_json; /* quiz.h, quiz_draw() */
	bool        resumed;   /* the open attempt, not a new draw */
};
/*
 * Starts the caller's quiz on a module: returns the open attempt, or the
 * pause, or a new draw stored as an open attempt.  DB_NOT_FOUND when the
 * module has no quiz for the caller.
 */
enum db_status store_quiz_start(struct store_ctx *ctx, const char *slug,
                                struct quiz_start *out);
/* Only the pause part of store_quiz_start (after a failed submission). */
enum db_status store_quiz_pause(struct store_ctx *ctx, long long module_id,
                                struct quiz_start *out);

/* certificates.c */
struct certificate {
	const char *code;
	const char *issued_at;
	const char *expires_at;
};
/* A started attempt, as the submission needs it. */
struct quiz_attempt {
	long long id;
	long long module_id;
	int       version;
	/* The terms the attempt was started with, not the module's now. */
	int         pass_mark;
	int         validity_months;
	bool        module_active; /* false: the module was withdrawn */
	const char *draw_json;
	/* [{"id","title","sections":[ids],"reread":[{"id","title"}]}], the
	 * active sections of each objective in "reread" */
	const char *objectives_json;
};
/* DB_NOT_FOUND unless the attempt is the caller's, on module `slug`. */
enum db_status store_quiz_attempt_get(struct store_ctx *ctx, const char *slug,
                                      long long            attempt_id,
                                      struct quiz_attempt *out);

struct quiz_submitted {
	bool        expired; /* nothing recorded: the attempt ran out */
	int         score;
	bool        passed;
	const char *grading_json;
};
/*
 * Records the grading of an open attempt and, when it passed, the
 * completion, under a per-user, per-module lock: a still valid certificate
 * is returned as it is, else a new one is issued.  An attempt graded
 * before gives its stored result and certificate again, so the same
 * submission twice, even at once, gives one certificate.  cert->code is
 * NULL when none applies.
 */
enum db_status store_quiz_submit(struct store_ctx          *ctx,
                                 const struct quiz_attempt *a, int score,
                                 bool passed, const char *answers_json,
                                 const char            *grading_json,
                                 struct quiz_submitted *out,
                                 struct certificate    *cert);
enum db_status store_my_certificates_json(struct store_ctx *ctx,
                                          const char      **json);
struct certificate_public {
	bool        valid;
	const char *holder_name;
	const char *module_title;
	const char *issued_at;
	const char *expires_at;
};
enum db_status store_certificate_public(struct store_ctx *ctx, const char *code,
                                        struct certificate_public *out);

/* org.c: DB_CONFLICT when a unique name, number, brin or email exists. */
enum db_status store_region_create(struct store_ctx *ctx, const char *name,
                                   long long *id);
enum db_status store_region_exists(struct store_ctx *ctx, long long id);
enum db_status store_board_exists(struct store_ctx *ctx, long long id);
/* Regions as JSON; `only` 0 lists all, else that one region. */
enum db_status store_region_list_json(struct store_ctx *ctx, long long only,
                                      const char **json);
enum db_status store_board_list_json(struct store_ctx *ctx, const char **json);
enum db_status store_board_create(struct store_ctx *ctx, const char *name,
                                  const char *number, long long region_id,
                                  long long *id);
enum db_status store_school_create(struct store_ctx *ctx, long long board_id,
                                   const char *name, const char *brin,
                                   const char *municipality,
                                   const char *join_code, long long *id);
enum db_status store_board_schools_json(struct store_ctx *ctx,
                                        long long board_id, const char **json);
enum db_status store_school_set_join_code(struct store_ctx *ctx,
                                          long long         school_id,
                                          const char       *code);
enum db_status store_user_create(struct store_ctx *ctx, const char *email,
                                 const char *canonical, const char *name,
                                 const char *hash, const char *role,
                                 long long board_id, long long region_id,
                                 long long *id);
/* DB_NOT_FOUND when user_id is not a trainer. */
enum db_status store_trainer_board_link(struct store_ctx *ctx,
                                        long long         trainer_id,
                                        long long         board_id);
/* done_on NULL clears the item. */
enum db_status store_package_set(struct store_ctx *ctx, long long school_id,
                                 const char *item, const char *done_on);

/* coverage.c: report JSON built by PostgreSQL. */
enum db_status store_board_coverage_json(struct store_ctx *ctx,
                                         long long board_id, const char **json);
enum db_status store_school_staff_json(struct store_ctx *ctx,
                                       long long school_id, const char **json);
enum db_status store_school_expiring_json(struct store_ctx *ctx,
                                          long long         school_id,
                                          const char      **json);
enum db_status store_board_history_json(struct store_ctx *ctx,
                                        long long board_id, const char **json);
enum db_status store_region_history_json(struct store_ctx *ctx,
                                         long long         region_id,
                                         const char      **json);
enum db_status store_region_coverage_json(struct store_ctx *ctx,
                                          long long         region_id,
                                          const char      **json);

/* roster.c */
struct store_roster_row {
	const char *email; /* lower case */
	const char *name;
	const char *role; /* teacher or ib */
	const char *brin;
};
struct store_roster_counts {
	long long created, updated, unchanged, removed;
	long long invited; /* owners of another board's account asked */
};
/* Indexes (arena-owned) of the codes that are not an open school of the
 * board. */
enum db_status store_roster_unknown_brins(struct store_ctx  *ctx,
                                          long long          board_id,
                                          const char *const *brins, size_t n,
                                          size_t **unknown, size_t *nunknown);
/*
 * Replaces the board's staff list with `rows`, all or nothing.  When some
 * rows name a school that is not an open school of the board, nothing is
 * changed and *unknown lists their indexes (arena-owned).  Owners of
 * another board's account are invited by mail with links to public_url.
 */
enum db_status store_roster_import(struct store_ctx *ctx, long long board_id,
                                   const struct store_roster_row *rows,
                                   size_t n, size_t **unknown, size_t *nunknown,
                                   struct store_roster_counts *counts,
                                   const char                 *public_url);

/* register.c: DUO's register as parallel arrays of n strings each. */
struct store_register_input {
	size_t             n;
	const char *const *brins;
	const char *const *names;
	const char *const *board_numbers;
	const char *const *municipalities;
	const char *const *municipality_codes;
	const char *const *places;
	const char *const *rmc_codes;
	const char *const *rmc_names;
};
struct store_register_counts {
	long long boards_created, schools_created, schools_updated,
	    schools_closed;
};
enum db_status store_register_import(struct store_ctx                  *ctx,
                                     const struct store_register_input *in,
                                     struct store_register_counts      *counts);

/* scenarios.c */
struct scenario_meta {
	long long owner_id;
	int       current_version;
	int       published_version; /* 0 when never published */
	bool      published;         /* the current version is published */
};
enum db_status store_scenario_create(struct store_ctx *ctx, const char *title,
                                     const char *audience, const char *doc,
                                     long long *id);
enum db_status store_scenario_meta(struct store_ctx *ctx, long long id,
                                   struct scenario_meta *m);
enum db_status store_scenario_new_version(struct store_ctx *ctx, long long id,
                                          const char *title,
                                          const char *audience, const char *doc,
                                          int *version);
enum db_status store_scenario_publish(struct store_ctx *ctx, long long id,
                                      int *version);
enum db_status store_scenario_list_json(struct store_ctx *ctx, bool see_all,
                                        const char **json);
enum db_status store_scenario_document(struct store_ctx *ctx, long long id,
                                       int version, const char **doc);
/* choices and path are PostgreSQL array literals. */
enum db_status store_scenario_attempt(struct store_ctx *ctx, long long id,
                                      int version, const char *choices,
                                      const char *path, int score,
                                      const char *outcome);
/* How often a choice was taken at a node. */
struct store_choice_count {
	const char *node;
	long long   choice; /* index in the node's choices */
	long long   count;
};
/* The counts of every (node, choice) taken in some attempt at `version`,
 * *n of them (arena-owned), and the number of attempts. */
enum db_status store_scenario_stats(struct store_ctx *ctx, long long id,
                                    int                         version,
                                    struct store_choice_count **counts,
                                    size_t *n, long long *attempts);
enum db_status store_scenario_media_add(struct store_ctx *ctx, long long id,
                                        const char *media_id, const char *mime,
                                        size_t size);
/* The type of a media file; whether the caller may see it is
 * store_scope_media's. */
enum db_status store_media_mime(struct store_ctx *ctx, const char *media_id,
                                const char **mime);

/* trainings.c */
/* DB_NOT_FOUND when the module slug is unknown; DB_CONFLICT when the module
 * is not done in person (it has a quiz instead). */
enum db_status store_training_create(struct store_ctx *ctx, const char *title,
                                     const char *slug, const char *date,
                                     const char *location, long long *id);
enum db_status store_training_list_json(struct store_ctx *ctx,
                                        const char      **json);
/* Whether attendance of training `id` may be recorded: its module
 * (*module_id) is an active in-person one (*in_person) and its day has come
 * (*held). */
enum db_status store_training_recordable(struct store_ctx *ctx, long long id,
                                         long long *module_id, bool *in_person,
                                         bool *held);
enum db_status store_training_get_json(struct store_ctx *ctx, long long id,
                                       const char **json);
/* The criteria ids of the module's current version, in content order, and
 * that version (none for a module without criteria). */
enum db_status store_training_criteria(struct store_ctx *ctx,
                                       long long module_id, int *version,
                                       const char ***ids, size_t *n);
struct store_attendance_counts {
	long long issued;  /* certificates newly issued */
	long long pending; /* attendees stored against their stays, waiting
	                    * for a verified account */
};
/* One attendee to record: passed only with every criterion met. */
struct store_attendee {
	const char *email;
	bool        passed;
	const char *criteria; /* JSON object id -> bool, or NULL: not judged */
};
/*
 * Records attendance, all or nothing.  When an email is not an active stay
 * at a board linked to the caller, nothing is recorded and *refused is its
 * index; otherwise *refused is -1.  An attendee whose stay has a verified
 * account gets the attendance (and, passed, the certificate) at once; any
 * other is stored against the stays (training_credits) until then.  A
 * judgement (criteria, against criteria_version, by the caller, now)
 * replaces an earlier one; an attendee without one keeps an earlier result.
 */
enum db_status store_attendance_record(
    struct store_ctx *ctx, long long training_id, long long module_id,
    int criteria_version, const struct store_attendee *attendees, size_t n,
    long long *refused, struct store_attendance_counts *counts);

/* invitations.c */
/* The caller's invitations waiting for an answer, as JSON text. */
enum db_status store_invitations_mine_json(struct store_ctx *ctx,
                                           const char      **json);
/*
 * Accepts (links the stay to the caller, then turns the stay's training
 * credits into certificates, *issued of them) or declines an invitation of
 * the caller.  DB_NOT_FOUND when it is not the caller's; DB_CONFLICT when it
 * was answered already or its stay has ended or has a person.
 */
enum db_status store_invitation_answer(struct store_ctx *ctx, long long id,
                                       bool accept, long long *staff_id,
                                       long long *issued);
/* After an address is verified: links its open stays at the account's own
 * board, invites the owner to those of other boards (mail), and applies the
 * training credits of its stays. */
enum db_status store_staff_link_verified(struct store_ctx *ctx,
                                         long long         user_id,
                                         const char       *public_url);

/* accounts.c */
/* Appends to the audit log; `details` is JSON text or NULL. */
enum db_status store_audit(struct store_ctx *ctx, const char *action,
                           const char *target, const char *details);
/* The 200 entries before id `before` (0: the newest). */
enum db_status store_audit_list_json(struct store_ctx *ctx, long long before,
                                     const char **json);
/* Queues a mail to `to` (the stored address of an account), naming the
 * account it is for (0: none), so that erase can find it. */
enum db_status store_mail_queue(struct store_ctx *ctx, const char *to,
                                long long about_user, const char *subject,
                                const char *body);
/* One-time links to account.html: the token's purpose (account_tokens)
 * and the page's anchor that takes it. */
struct store_link_kind {
	const char *purpose, *anchor;
};
extern const struct store_link_kind store_link_verify, store_link_reset;
/*
 * A new one-time link of `kind` for the account, valid `seconds`: only the
 * SHA-256 of its secret is stored; *secret (arena-owned) is what the link
 * carries (auth_link_url() makes its address).  The API's mails and
 * hgkm-account make every link's secret here.
 */
enum db_status store_link_create(struct store_ctx             *ctx,
                                 const struct store_link_kind *kind,
                                 long long user_id, int seconds,
                                 const char **secret);
/* Marks a valid, unused token used; DB_NOT_FOUND otherwise. */
enum db_status store_token_use(struct store_ctx *ctx, const char *hash,
                               const char *purpose, long long *user_id);
/* Whether a token is valid now, without using it. */
enum db_status store_token_valid(struct store_ctx *ctx, const char *hash,
                                 const char *purpose);
/* Uses a verification link and verifies its account's address, linking
 * its stays (store/invitations.c), all in one transaction; DB_NOT_FOUND
 * for a link that is unknown, used or expired. */
enum db_status store_email_verify(struct store_ctx *ctx, const char *hash,
                                  const char *public_url);
/* Uses a password reset link and sets the new password (ending sessions,
 * reset links and every login device of the account), in one transaction;
 * DB_NOT_FOUND for a link that is unknown, used or expired. */
enum db_status store_password_reset(struct store_ctx *ctx, const char *hash,
                                    const char *password_hash,
                                    long long  *user_id);
/* An administrator made by the operator (backend/tools/account.c). */
struct store_new_admin {
	const char *email;     /* as typed */
	const char *canonical; /* email_canonical() of it */
	const char *name;
	/* argon2id of the password, or NULL: no usable password, and a reset
	 * link valid link_seconds instead. */
	const char *password_hash;
	int         link_seconds;
	const char *audit_action;
};
/*
 * Creates the account (role admin, no school, board or region, address
 * verified), its reset link when it has no password (*link_secret, the
 * link's secret, arena-owned; else NULL) and its audit entry (actor
 * ctx->user_id, 0: none), all or nothing.  DB_CONFLICT when the address has an
 * account: that account is never changed.
 */
enum db_status store_admin_create(struct store_ctx             *ctx,
                                  const struct store_new_admin *in,
                                  long long *id, const char **link_secret);
enum db_status store_user_contact(struct store_ctx *ctx, long long user_id,
                                  const char **email, const char **name,
                                  bool *verified);
/* The live account of a canonical address, with its stored address. */
enum db_status store_user_id_by_email(struct store_ctx *ctx,
                                      const char *canonical, long long *id,
                                      const char **email, const char **name);
enum db_status store_user_password_hash(struct store_ctx *ctx,
                                        long long user_id, const char **hash);
enum db_status store_user_set_password(struct store_ctx *ctx, long long user_id,
                                       const char *hash);
enum db_status store_user_export_json(struct store_ctx *ctx, long long user_id,
                                      const char **json);
enum db_status store_user_erase(struct store_ctx *ctx, long long user_id);

/* mail.c: the mailer's outbox and digest. */
#define STORE_MAIL_BATCH 20 /* mail claimed per store_mail_send_due() */

/* Sends one mail; 0 when the mail system took it. */
typedef int (*store_mail_send_fn)(void *arg, const char *to,
                                  const char *subject, const char *body);
/*
 * Claims up to STORE_MAIL_BATCH due mails (two mailers never claim the
 * same), hands each to `send` and marks it sent, or failed with a retry
 * later, in one transaction; *claimed is how many it claimed.
 */
enum db_status store_mail_send_due(struct store_ctx  *ctx,
                                   store_mail_send_fn send, void *arg,
                                   int *claimed);

/* What the digest of one board admin says. */
struct store_digest {
	const char *admin_email;
	const char *admin_name;
	const char *board_coverage_json; /* the board report (coverage.c) */
	size_t      nexpiring;
	struct {
		const char *school, *person, *module;
		const char *expires_on; /* DD-MM-YYYY */
	} * expiring;                   /* within 90 days, at most 100 */
};
/* The text of one digest mail, arena-owned; NULL: it cannot be written. */
typedef const char *(*store_digest_compose_fn)(void *arg, struct arena *a,
                                               const struct store_digest *d);
/*
 * Once a month: claims the month's digest and queues one mail per board
 * admin (text by `compose`, naming the accounts it is about), all or
 * nothing.  DB_NOT_FOUND when this month's digest was queued already.
 */
enum db_status store_digest_queue(struct store_ctx *ctx, const char *subject,
                                  store_digest_compose_fn compose, void *arg,
                                  int *queued);

/* content.c: the content loader (backend/tools/content.c). */
struct content_module;
struct store_content_outcome {
	const char *slug;
	enum {
		STORE_CONTENT_UNCHANGED,
		STORE_CONTENT_REACTIVATED,
		STORE_CONTENT_NEW,
		STORE_CONTENT_UPDATED,
		STORE_CONTENT_DEACTIVATED, /* its directory is gone */
	} what;
	int version; /* the module's version after the load */
};
/*
 * Loads checked modules, all or nothing, one loader at a time: a module
 * whose content hash matches its row is left alone, a changed one gets
 * version + 1 with its sections and quiz upserted by id, and rows that
 * left the content (modules without a directory among them) are marked
 * inactive, not deleted.  *out (arena-owned) says what became of each.
 */
enum db_status store_content_load(struct store_ctx                   *ctx,
                                  const struct content_module *const *mods,
                                  size_t n, struct store_content_outcome **out,
                                  size_t *nout);

#endif
