/* HTTP handlers, one file per resource.  A handler validates its input,
 * calls store/, and fills the response; auth, the path's typed values and
 * their scope (r->param, scope.c) and body parsing have already run in
 * worker.c at the level the route declares. */
#ifndef HANDLERS_H
#define HANDLERS_H

#include "../db.h"
#include "../http.h"
#include "../scope.h"
#include "../json.h"

/* Answers the error that matches a failed store call: 404, 409, 503, 500. */
void reply_db_error(struct request *r, struct response *res, enum db_status st);

/*
 * On a route with ROUTE_CALLER_IN_STATEMENT: the caller as the handler's
 * statement found it (`me`, filled by the store when st is not a failure).
 * Answers 503/500 for a failed statement, 401 when the token no longer
 * holds (me->id == 0), 403 for a role the route does not allow, and returns
 * false; else the request knows its caller (r->user, r->store) and true.
 */
bool handler_caller(struct request *r, struct response *res, enum db_status st,
                    const struct user *me);

/* Answers 200 with JSON text from the store, or the error of a failed call. */
void reply_json_result(struct request *r, struct response *res,
                       enum db_status st, const char *json);

/* A store lookup that gives the JSON text of one thing by its id. */
typedef enum db_status (*store_json_by_id)(struct store_ctx *s, long long id,
                                           const char **json);

/* Answers 200 with the JSON text `lookup` gives for `id` (a checked path
 * value), or the error of a failed lookup. */
void reply_json_by_id(struct request *r, struct response *res,
                      store_json_by_id lookup, long long id);

/* A store lookup that gives the JSON text of a list it keys itself (the
 * caller's own, or everything). */
typedef enum db_status (*store_json_list)(struct store_ctx *s,
                                          const char      **json);

/* Answers 200 with the JSON text `lookup` gives, or its error. */
void reply_json_list(struct request *r, struct response *res,
                     store_json_list lookup);

/* Answers 201 {"id": id} after a create, or the error of the failed
 * create (st). */
void reply_created(struct request *r, struct response *res, enum db_status st,
                   long long id);

/* Answers 400 validation_failed with every entry of `fields` and returns
 * true; false (and nothing sent) when it is empty.  Takes `fields`. */
bool reply_fields(struct request *r, struct response *res, json_t *fields);

/* Ends the session cookie in the browser. */
void clear_session_cookie(struct request *r, struct response *res);

/* Answers 400 validation_failed with one field and its reason. */
void reply_invalid_field(struct request *r, struct response *res,
                         const char *field, const char *reason);

/* True when s is a slug or section id: ^[a-z0-9][a-z0-9-]{0,63}$. */
bool handler_slug_valid(const char *s);

/* True when s is YYYY-MM-DD naming a real day between 2000 and 2100. */
bool handler_date_valid(const char *s);

/* RFC 3339 UTC text of a Unix time, into the arena. */
const char *handler_rfc3339(struct arena *a, long long t);

/* Reads the body's "email" field and its canonical form (validate.c); when
 * it is missing or refused, names the problem in `fields` (Dutch) and
 * returns false.  `canonical` has room for EMAIL_MAX + 1 bytes. */
bool handler_email_field(struct request *r, json_t *fields, const char **email,
                         char *canonical);

/* Names the audit line of this write (action, target, JSON details); the
 * worker writes it once the write has succeeded (worker.c:audit_write). */
void handler_audit(struct request *r, const char *action, const char *target,
                   const char *details);

/* handler_audit with the target "kind:id" and the details from a format
 * (NULL for none). */
void handler_audit_on(struct request *r, const char *action, const char *kind,
                      long long id, const char *details_fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Reads the body's text field `key` (1 to `max` bytes of plain text,
 * validate.c); when it is missing or refused, puts `missing` (Dutch) on it
 * in `fields` and returns false. */
bool handler_text_field(struct request *r, json_t *fields, const char *key,
                        size_t max, const char *missing, const char **out);

/* Reads the body's "password" field; when it is missing or too weak
 * (auth.c), names the problem in `fields` and returns false. */
bool handler_password_field(struct request *r, json_t *fields,
                            const char **password);

/* After looking up something the body named in `field`: false (nothing
 * sent) when it was found; otherwise answers 400 on `field` with `missing`
 * when there is none, the store error for any other failure, and returns
 * true. */
bool reply_lookup_failed(struct request *r, struct response *res,
                         enum db_status st, const char *field,
                         const char *missing);

/* auth.c */
/* Makes this browser a known device of the account: a new device row and
 * its cookie on the response.  -1 on a database failure (logged). */
int  auth_device_issue(struct request *r, struct response *res,
                       long long user_id);
void auth_login(struct request *r, struct response *res);
void auth_register(struct request *r, struct response *res);
void auth_logout(struct request *r, struct response *res);
void auth_refresh(struct request *r, struct response *res);
void auth_me(struct request *r, struct response *res);

/* modules.c */
void modules_list(struct request *r, struct response *res);
void modules_get(struct request *r, struct response *res);
void modules_section_done(struct request *r, struct response *res);
void modules_quiz_start(struct request *r, struct response *res);
void modules_attempt(struct request *r, struct response *res);

/* certificates.c */
void certificates_mine(struct request *r, struct response *res);
void certificates_verify(struct request *r, struct response *res);
void certificates_pdf(struct request *r, struct response *res);

/* admin.c */
void admin_region_create(struct request *r, struct response *res);
void admin_board_create(struct request *r, struct response *res);
void admin_school_create(struct request *r, struct response *res);
void admin_user_create(struct request *r, struct response *res);
void admin_trainer_board(struct request *r, struct response *res);
void admin_school_join_code(struct request *r, struct response *res);
void admin_region_list(struct request *r, struct response *res);
void admin_board_list(struct request *r, struct response *res);

/* boards.c */
void boards_schools(struct request *r, struct response *res);
void boards_coverage(struct request *r, struct response *res);
void boards_history(struct request *r, struct response *res);
void boards_staff(struct request *r, struct response *res);
void boards_expiring(struct request *r, struct response *res);
void boards_package(struct request *r, struct response *res);

/* register.c */
void register_import(struct request *r, struct response *res);

/* roster.c */
void roster_import(struct request *r, struct response *res);

/* scenarios.c */
void scenarios_create(struct request *r, struct response *res);
void scenarios_update(struct request *r, struct response *res);
void scenarios_publish(struct request *r, struct response *res);
void scenarios_list(struct request *r, struct response *res);
void scenarios_get(struct request *r, struct response *res);
void scenarios_attempt(struct request *r, struct response *res);
void scenarios_stats(struct request *r, struct response *res);
void scenarios_media_upload(struct request *r, struct response *res);
void media_get(struct request *r, struct response *res);

/* trainings.c */
void trainings_create(struct request *r, struct response *res);
void trainings_list(struct request *r, struct response *res);
void trainings_get(struct request *r, struct response *res);
void trainings_attendance(struct request *r, struct response *res);

/* account.c */
/* Queues the mail with a verification link; -1 on a database failure. */
int  account_send_verification(struct request *r, long long user_id,
                               const char *email, const char *name);
void account_verify(struct request *r, struct response *res);
void account_verify_resend(struct request *r, struct response *res);
void account_password_change(struct request *r, struct response *res);
void account_reset_request(struct request *r, struct response *res);
void account_reset(struct request *r, struct response *res);
void account_export(struct request *r, struct response *res);
void account_erase(struct request *r, struct response *res);
void account_audit(struct request *r, struct response *res);

/* invitations.c */
void invitations_mine(struct request *r, struct response *res);
void invitations_accept(struct request *r, struct response *res);
void invitations_decline(struct request *r, struct response *res);

/* regions.c */
void regions_coverage(struct request *r, struct response *res);
void regions_history(struct request *r, struct response *res);

/* health.c */
void health_get(struct request *r, struct response *res);

/* meta.c */
void meta_get(struct request *r, struct response *res);

#endif
