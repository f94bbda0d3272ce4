/* Integration helpers for the organisation: admin-made regions, boards,
 * schools and accounts, rosters, raw uploads, modules passed through the
 * API, and direct database checks with any number of parameters. */
#ifndef ITEST_ORG_H
#define ITEST_ORG_H

#include "itest.h"

/*
 * Every object comes from the admin API, with unique names, so that a test
 * never depends on what another test (or the demo data) left behind.
 * Everything returned is owned by the current test (see itest.h), except
 * the cached demo tokens, which live for the run.
 */

/* A school made through POST /api/v1/schools. */
struct org_school {
	long id;
	long board_id;
	char brin[8];
	char join_code[16];
	char name[128];
	char municipality[96];
};

/* Tokens of the demo accounts (DEMO_ACCOUNTS), logged in once per run. */
const char *org_admin(void);
const char *org_demo_token(const char *role);

/* Six random lower-case hex characters, for unique names. */
char *org_tag(void);

/*
 * A BRIN location code that the register import never closes: the first
 * character is a letter, so it is not of DUO's form [0-9]{2}[A-Z]{2}[0-9]{2}
 * (every real location code is), yet it is a valid code.
 */
char *org_unique_brin(void);

/* POST /api/v1/regions, /boards, /schools as the admin; assert 201. */
long               org_region(const char *name);
long               org_board(long region_id); /* region_id 0: none */
struct org_school *org_school(long board_id, const char *name,
                              const char *municipality);

/* POST /api/v1/users as the admin (board_id, region_id 0: none), then a
 * login; the user's token is filled in. */
struct itest_user *org_account(const char *role, long board_id, long region_id);

/* POST /api/v1/auth/register with a school's join code; asserts 201. */
struct itest_user *org_register(const char *join_code, const char *name);

/* Marks an account's email as verified.  The link goes out by mail; the
 * tests set the flag directly (DATABASE_URL) instead of reading the mail. */
void org_verify_email(long user_id);

/* Verifies the address the way its owner does: the link of the latest
 * verification mail queued for `email`, posted to /api/v1/auth/verify (so
 * that what verification sets off runs too). */
void org_verify_by_mail(const char *email);

/* POST /api/v1/trainers/{id}/boards as the admin; asserts 204. */
void org_link_trainer(long trainer_id, long board_id);

/* A POST or PUT with any body and Content-Type (NULL: none sent). */
struct itest_resp *org_send(const char *method, const char *path,
                            const char *token, const char *content_type,
                            const char *body, size_t len);
/* POST /api/v1/boards/{id}/roster as text/csv. */
/* The staff-list entry of `email` at a school of board `board` (the board
 * admin's GET .../staff, asserted 200), or NULL when it is not listed. */
json_t *org_staff_entry(const char *token, long board, long school,
                        const char *email);

struct itest_resp *org_roster(const char *token, long board_id,
                              const char *csv);

/* Passes a module through the API: every section done (a role-play one by
 * playing its scenario to an end, shortest way), then the
 * right answers from CONTENT_DIR/modules/<slug>/module.json (choices with
 * "correct": true).  Returns the certificate code. */
const char *org_pass_module(const char *token, const char *slug);

/* A certificate written straight into the database (DATABASE_URL), for
 * counting tests where going through every module would be slow:
 * issued `issued_ago` before now and expiring `expires_in` from now
 * (PostgreSQL intervals; expires_in may be negative, e.g. "-1 day"). */
void org_insert_certificate(long user_id, const char *slug,
                            const char *issued_ago, const char *expires_in);

/* The same for every module the role must hold (the requirements table),
 * so that a test certifies a person whatever the course requires. */
void org_certify_role(long user_id, const char *role, const char *issued_ago,
                      const char *expires_in);

/* Database access with up to 8 text parameters (NULL: SQL NULL). */
long  org_db_exec(const char *sql, int n, const char *const *params);
char *org_db_text(const char *sql, int n, const char *const *params);
long  org_db_long(const char *sql, int n, const char *const *params);

/* Every staff row of a board's schools as one string, ordered by id: for
 * "nothing changed" checks, byte for byte. */
char *org_staff_snapshot(long board_id);

/* Number of open staff rows of a school with that email (lower case). */
long org_staff_active(long school_id, const char *email);

/* The object in a JSON array whose member key is the integer id. */
json_t *org_find_by_id(const json_t *list, const char *key, long id);

/* A JSON number (integer or real); fails on anything else. */
double org_jnum(const json_t *obj, const char *key);
/* coverage_pct: the number, which must have at most one decimal. */
void org_expect_pct(const json_t *obj, const char *key, double expected);

/*
 * A judgement of af-praktijktraining's six criteria (its module.json) for
 * an attendee in JSON: every criterion met (a pass), or one not met.
 */
#define AF_ALL_MET                                                             \
	"\"criteria\":{\"opening\":true,\"luisteren\":true,"                   \
	"\"veiligheid\":true,\"gesprek-kind\":true,\"overleg\":true,"          \
	"\"wegen\":true}"
#define AF_ONE_NOT_MET                                                         \
	"\"criteria\":{\"opening\":true,\"luisteren\":true,"                   \
	"\"veiligheid\":true,\"gesprek-kind\":true,\"overleg\":true,"          \
	"\"wegen\":false}"

#endif
