/* Integration suite helpers: HTTP over libcurl, JSON checks, users, JWTs. */
#ifndef ITEST_H
#define ITEST_H

/*
 * Design note.  The suite talks to a running stack (nginx -> FastCGI workers
 * -> PostgreSQL) named by the environment: BASE_URL, DATABASE_URL,
 * JWT_SECRET_FILE, DEMO_ACCOUNTS, JOIN_CODES, CONTENT_DIR.  Nothing is mocked.
 *
 * Ownership.  Most helpers return objects owned by the *current test*: they
 * are put on a cleanup list that itest_teardown() (run after every test, see
 * ITEST()) releases.  Tests never free them.  This keeps a failing test, which
 * leaves through cmocka's longjmp, from leaking under LeakSanitizer.
 *
 * Threads.  Functions that assert (nearly all of them) must only run on the
 * test's own thread: cmocka's failure path is not thread-safe.  Worker threads
 * use itest_perform() and itest_resp_release(), which never assert and never
 * touch the cleanup list.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>
#include <jwt.h>

/* cmocka needs these before its header. */
#include <setjmp.h>
#include <cmocka.h>

#define ITEST_CT_JSON "application/json; charset=utf-8"
#define ITEST_MODULE "meldcode-kort"

/* A cmocka test that releases what the test allocated through itest_*(). */
#define ITEST(fn) cmocka_unit_test_teardown(fn, itest_teardown)

/* One HTTP request.  Unset fields mean "not sent". */
struct itest_req {
	const char *method;       /* "GET" when NULL */
	const char *path;         /* appended to BASE_URL, starts with '/' */
	const char *content_type; /* Content-Type header */
	const char *body;         /* request body, may contain NUL bytes */
	size_t      body_len;     /* 0 with body != NULL: strlen(body) */
	const char *bearer;       /* Authorization: Bearer <bearer> */
	const char *cookie;       /* Cookie: session=<cookie> */
	const char *headers[6];   /* extra raw header lines, NULL-terminated */
	bool        chunked;      /* send the body with Transfer-Encoding */
	const char *source;       /* local address to connect from, e.g.
	                             127.1.2.3: another client to nginx */
};

/* One HTTP response.  body is always NUL-terminated (len excludes it). */
struct itest_resp {
	long    status; /* 0 when no response arrived */
	char   *body;
	size_t  len;
	char   *content_type; /* NULL when absent */
	char   *set_cookie;   /* every Set-Cookie value, joined with '\n' */
	char   *allow;        /* Allow header, NULL when absent */
	char   *headers;      /* the raw header block of the final response */
	json_t *json;         /* parsed body, NULL when it is not JSON */
	char    what[160];    /* "METHOD /path", for failure messages */
	char    curl_error[256];
};

/* A registered user, owned by the current test. */
struct itest_user {
	long id;
	long school_id;
	char email[96];
	char password[48];
	char name[80];
	char token[8192];
};

/* The demo module, read from CONTENT_DIR once and kept for the run. */
struct itest_module {
	json_t     *doc; /* module.json */
	const char *title;
	long        pass_mark;
	long        validity_months;
	long        estimated_minutes;
	size_t      nsections;
	const char *section_ids[64];
	size_t      nquestions;
	char       *right_body; /* {"answers":{...}} that passes */
	char       *wrong_body; /* {"answers":{...}} that scores 0 */
};

/* Process setup (main.c): curl, libsodium, the environment.  0 or -1. */
int  itest_global_init(void);
void itest_global_cleanup(void);

/* Per-test teardown: releases everything the test put on the list. */
int itest_teardown(void **state);

/* Registers fn(p) to run at the end of the current test; returns p. */
void *itest_keep(void *p, void (*fn)(void *));

/* Puts a JSON value (one reference) on the current test's list. */
json_t *itest_keep_json(json_t *j);

/* printf into a string owned by the current test. */
char *itest_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A value from the environment; the test fails when it is unset. */
const char *itest_env(const char *name);

/* Random lower-case hex of 2*nbytes characters, owned by the test. */
char *itest_random_hex(size_t nbytes);

/*
 * Thread-safe request without assertions: fills *out (which the caller
 * releases with itest_resp_release) and returns 0, or -1 when curl failed
 * before any status arrived (out->curl_error says why).
 */
int  itest_perform(const struct itest_req *rq, struct itest_resp *out);
void itest_resp_release(struct itest_resp *r);

/* Same, but asserts that an HTTP status arrived; the response is the test's. */
struct itest_resp *itest_do(const struct itest_req *rq);

/* Shorthands.  token may be NULL (no Authorization header). */
struct itest_resp *itest_get(const char *path, const char *token);
struct itest_resp *itest_post_json(const char *path, const char *token,
                                   const char *json_text);
struct itest_resp *itest_put(const char *path, const char *token,
                             const char *json_text);

/*
 * Assertions on a response; each failure message shows the request, the
 * status and the start of the body.
 */
#define itest_expect_status(r, st)                                             \
	itest_expect_status_at((r), (st), __FILE__, __LINE__)
#define itest_expect_json(r, st)                                               \
	itest_expect_json_at((r), (st), __FILE__, __LINE__)
#define itest_expect_error(r, st, code)                                        \
	itest_expect_error_at((r), (st), (code), __FILE__, __LINE__)
#define itest_error_code(r) itest_error_code_at((r), __FILE__, __LINE__)
#define itest_expect_4xx(r) itest_expect_4xx_at((r), __FILE__, __LINE__)

void itest_expect_status_at(const struct itest_resp *r, long status,
                            const char *file, int line);
/* Status, Content-Type application/json; charset=utf-8, a parsed body. */
json_t *itest_expect_json_at(const struct itest_resp *r, long status,
                             const char *file, int line);
/*
 * Asserts the JSON content type and the shape {"error":{"code","message"}}
 * (code snake_case, message a non-empty string) and returns the code.
 */
const char *itest_error_code_at(const struct itest_resp *r, const char *file,
                                int line);
/* Status and error code; returns the "error" object (for "fields"). */
json_t *itest_expect_error_at(const struct itest_resp *r, long status,
                              const char *code, const char *file, int line);
/* Any 4xx with the error shape: the "never 500 for bad input" check. */
void itest_expect_4xx_at(const struct itest_resp *r, const char *file,
                         int line);

/*
 * For table-driven tests: true when r has the status (0: any 4xx), the error
 * shape and the code (NULL: any); otherwise prints why and returns false, so
 * that a test can report every bad case before it fails.
 */
bool itest_soft_error(const struct itest_resp *r, long status,
                      const char *code);

/* Case-insensitive header lookup in r->headers; owned by the test. */
char *itest_header(const struct itest_resp *r, const char *name);

/* JSON getters that fail the test when the member is missing or mistyped. */
const char *itest_jstr(const json_t *obj, const char *key);
long        itest_jint(const json_t *obj, const char *key);
bool        itest_jbool(const json_t *obj, const char *key);
json_t     *itest_jobj(const json_t *obj, const char *key);
json_t     *itest_jarr(const json_t *obj, const char *key);
/* JSON text of v, owned by the test. */
char *itest_dump(const json_t *v);
/* true when some object under v has a member named key. */
bool itest_json_has_key(const json_t *v, const char *key);
/* true when some string under v contains needle. */
bool itest_json_has_text(const json_t *v, const char *needle);

/* Parses an RFC 3339 UTC timestamp ("...Z" or "+00:00"); false if invalid. */
bool itest_parse_time(const char *s, time_t *out);
#define itest_expect_time(s) itest_expect_time_at((s), __FILE__, __LINE__)
time_t itest_expect_time_at(const char *s, const char *file, int line);

/* Login; returns the raw response (for negative tests). */
struct itest_resp *itest_login(const char *email, const char *password);
/* Login that must succeed: returns the token, owned by the test. */
char *itest_login_token(const char *email, const char *password);

/* Registers a new teacher with a unique email at the first school of
 * JOIN_CODES; asserts 201 and fills the user.  Owned by the test. */
struct itest_user *itest_new_teacher(void);
/* The body for POST /auth/register, built with jansson; owned by the test. */
char *itest_register_body(const char *email, const char *password,
                          const char *name, const char *join_code);
/* A unique, plausible email and a strong password; owned by the test. */
char *itest_unique_email(void);
char *itest_strong_password(void);

/* Lookups in the TSV files; NULL when absent.  Owned by the test. */
const char *itest_join_code(size_t index);
bool        itest_demo_account(const char *role, char **email, char **password);

/* The demo module (loaded on first use, kept for the run). */
const struct itest_module *itest_module(void);
/* Marks every section of the demo module done for the token's user. */
void itest_complete_sections(const char *token);

/*
 * The quiz (issue 12): answers are built for the questions the server drew,
 * with the right choices read by question id from CONTENT_DIR's module.json,
 * so that content changes do not break the tests.
 *
 * itest_quiz_start: POST /modules/{slug}/quiz, expects 200 or 201; returns
 * the JSON (attempt_id, questions).  itest_quiz_body: {"attempt_id":..,
 * "answers":{..}} for it, every drawn question right (right) or wrong, the
 * choices by the ids the attempt shows (matched to module.json by text).
 * itest_quiz_answers: both at once.  All owned by the test.
 */
json_t *itest_quiz_start(const char *token, const char *slug);
char   *itest_quiz_body(const char *slug, const json_t *started, bool right);
/* The id an attempt shows for module.json's choice `c` of the shown question
 * `shown` (the service sends its own ids per attempt): found by its text. */
const char *itest_shown_choice_id(const json_t *shown, const json_t *c);
char       *itest_quiz_answers(const char *token, const char *slug, bool right);
/* module.json of a module in CONTENT_DIR (kept for the test). */
json_t *itest_module_json(const char *slug);

/* JWT forging with the server's secret (JWT_SECRET_FILE). */
const unsigned char *itest_secret(size_t *len);
/* Claims {"sub","jti","iat","exp"} for the user; owned by the test. */
json_t *itest_claims(long user_id, long exp_offset);
/* header.payload.signature by hand: alg_sig is "HS256", "HS512", "none"
 * (empty signature) or "HS256-otherkey". */
char *itest_jwt_raw(const char *header_json, const char *payload_json,
                    const char *alg_sig);
/* Through libjwt 1.10 (jwt_new, jwt_add_grants_json, jwt_set_alg). */
char *itest_jwt_lib(jwt_alg_t alg, const json_t *claims);
/* Part 0 (header) or 1 (payload) of a token, decoded (owned by the test). */
json_t *itest_jwt_part(const char *token, int part);
/* base64url without padding; owned by the test. */
char *itest_b64url(const void *data, size_t len);

/* Direct database checks over DATABASE_URL: the first column of the first
 * row of a query with up to two text parameters.  NULL params are skipped
 * (nparams counts). */
long  itest_db_long(const char *sql, const char *p1, const char *p2);
char *itest_db_text(const char *sql, const char *p1, const char *p2);

/* A statement that changes rows (time travel on the test's own rows);
 * returns the number of rows affected. */
long itest_db_exec(const char *sql, const char *p1, const char *p2);

/* Groups, one per file; each returns the number of failed tests. */
int itest_run_auth(void);
int itest_run_modules(void);
int itest_run_http(void);
int itest_run_admin(void);
int itest_run_roster(void);
int itest_run_boards(void);
int itest_run_scenarios(void);
int itest_run_trainings(void);
int itest_run_linking(void);
int itest_run_register(void);
int itest_run_security(void);
int itest_run_region_privacy(void);
int itest_run_account_privacy(void);
int itest_run_quiz_bank(void);
int itest_run_routes(void);
int itest_run_account_tool(void);
int itest_run_identity(void);

#endif
