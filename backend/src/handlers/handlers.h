/* HTTP handlers, one file per resource.  A handler validates its input,
 * calls store/, and fills the response; auth and body parsing have already
 * run in worker.c at the level the route declares. */
#ifndef HANDLERS_H
#define HANDLERS_H

#include "../db.h"
#include "../http.h"

/* Answers the error that matches a failed store call: 404, 409, 503, 500. */
void reply_db_error(struct request *r, struct response *res, enum db_status st);

/* Answers 400 validation_failed with one field and its reason. */
void reply_invalid_field(struct request *r, struct response *res,
                         const char *field, const char *reason);

/* True when s is a slug or section id: ^[a-z0-9][a-z0-9-]{0,63}$. */
bool handler_slug_valid(const char *s);

/* RFC 3339 UTC text of a Unix time, into the arena. */
const char *handler_rfc3339(struct arena *a, long long t);

/* auth.c */
void auth_login(struct request *r, struct response *res);
void auth_register(struct request *r, struct response *res);
void auth_logout(struct request *r, struct response *res);
void auth_me(struct request *r, struct response *res);

/* modules.c */
void modules_list(struct request *r, struct response *res);
void modules_get(struct request *r, struct response *res);
void modules_section_done(struct request *r, struct response *res);
void modules_attempt(struct request *r, struct response *res);

/* certificates.c */
void certificates_mine(struct request *r, struct response *res);
void certificates_verify(struct request *r, struct response *res);
void certificates_pdf(struct request *r, struct response *res);

/* health.c */
void health_get(struct request *r, struct response *res);

#endif
