/* Integration tests: administration (regions, boards, schools, accounts,
 * trainer-board links, join codes) and who may use it. */
#include "itest_org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void expect_field(const struct itest_resp *r, const char *field);
static bool join_code_valid(const char *code);
static long count_rows(const char *sql, const char *p1);

static void test_admin_region_create(void **state);
static void test_admin_board_create(void **state);
static void test_admin_school_create(void **state);
static void test_admin_school_validation(void **state);
static void test_admin_users_each_role(void **state);
static void test_admin_users_validation(void **state);
static void test_admin_trainer_board_link(void **state);
static void test_admin_join_code_rotation(void **state);
static void test_admin_non_admin_forbidden(void **state);

/* 400 validation_failed naming `field` in error.fields. */
static void
expect_field(const struct itest_resp *r, const char *field)
{
	json_t *err = itest_expect_error(r, 400, "validation_failed");
	json_t *fields = json_object_get(err, "fields");

	if (!json_is_object(fields) || json_object_get(fields, field) == NULL)
		fail_msg("%s: expected fields.%s in %s", r->what, field,
		         r->body);
}

/* 8 characters from the alphabet without look-alikes (api.md). */
static bool
join_code_valid(const char *code)
{
	return strlen(code) == 8 &&
	       strspn(code, "ABCDEFGHJKMNPQRSTUVWXYZ23456789") == 8;
}

static long
count_rows(const char *sql, const char *p1)
{
	const char *p[1] = {p1};

	return org_db_long(sql, p1 ? 1 : 0, p);
}

static void
test_admin_region_create(void **state)
{
	const char *name = itest_fmt("IT-regio %s", itest_random_hex(6));
	json_t     *list, *j;
	long        id;

	(void)state;
	j = itest_expect_json(
	    itest_post_json("/api/v1/regions", org_admin(),
	                    itest_fmt("{\"name\":\"%s\"}", name)),
	    201);
	id = itest_jint(j, "id");
	assert_string_equal(
	    org_db_text("SELECT name FROM regions WHERE id = $1", 1,
	                (const char *[]){itest_fmt("%ld", id)}),
	    name);
	/* The same name again: 409, still one row. */
	itest_expect_error(
	    itest_post_json("/api/v1/regions", org_admin(),
	                    itest_fmt("{\"name\":\"%s\"}", name)),
	    409, "conflict");
	assert_int_equal(
	    count_rows("SELECT count(*) FROM regions WHERE name = $1", name),
	    1);
	expect_field(itest_post_json("/api/v1/regions", org_admin(), "{}"),
	             "name");
	expect_field(
	    itest_post_json("/api/v1/regions", org_admin(), "{\"name\":\"\"}"),
	    "name");
	/* The admin's list has it, with no municipalities yet. */
	list =
	    itest_expect_json(itest_get("/api/v1/regions", org_admin()), 200);
	j = org_find_by_id(list, "id", id);
	assert_string_equal(itest_jstr(j, "name"), name);
	assert_int_equal(itest_jint(j, "municipalities"), 0);
}

static void
test_admin_board_create(void **state)
{
	long        region = org_region(NULL);
	const char *number = itest_fmt("8%07u", (unsigned)(region % 10000000));
	const char *name = itest_fmt("IT-bestuur %s", itest_random_hex(6));
	json_t     *j, *list;
	long        id, id2;

	(void)state;
	/* number as a string of digits, with a region. */
	j = itest_expect_json(
	    itest_post_json("/api/v1/boards", org_admin(),
	                    itest_fmt("{\"name\":\"%s\",\"number\":\"%s\","
	                              "\"region_id\":%ld}",
	                              name, number, region)),
	    201);
	id = itest_jint(j, "id");
	assert_string_equal(
	    org_db_text("SELECT concat_ws('|', name, number, region_id)"
	                " FROM boards WHERE id = $1",
	                1, (const char *[]){itest_fmt("%ld", id)}),
	    itest_fmt("%s|%s|%ld", name, number, region));
	/* The same number again: 409. */
	itest_expect_error(
	    itest_post_json(
	        "/api/v1/boards", org_admin(),
	        itest_fmt("{\"name\":\"Ander\",\"number\":\"%s\"}", number)),
	    409, "conflict");
	assert_int_equal(
	    count_rows("SELECT count(*) FROM boards WHERE number = $1", number),
	    1);
	/* number as a JSON number, no region. */
	j = itest_expect_json(
	    itest_post_json(
	        "/api/v1/boards", org_admin(),
	        itest_fmt("{\"name\":\"IT-bestuur %s\",\"number\":7%07ld}",
	                  itest_random_hex(3), id % 10000000)),
	    201);
	id2 = itest_jint(j, "id");
	assert_string_equal(
	    org_db_text("SELECT concat_ws('|', number, region_id) FROM boards"
	                " WHERE id = $1",
	                1, (const char *[]){itest_fmt("%ld", id2)}),
	    itest_fmt("7%07ld", id % 10000000));
	/* Bad input. */
	expect_field(itest_post_json("/api/v1/boards", org_admin(),
	                             "{\"name\":\"X\",\"number\":\"12a\"}"),
	             "number");
	expect_field(itest_post_json("/api/v1/boards", org_admin(),
	                             "{\"number\":\"123\"}"),
	             "name");
	expect_field(
	    itest_post_json("/api/v1/boards", org_admin(),
	                    "{\"name\":\"X\",\"region_id\":999999999}"),
	    "region_id");
	/* The admin's board list shows it, with its region and no schools. */
	list = itest_expect_json(itest_get("/api/v1/boards", org_admin()), 200);
	j = org_find_by_id(list, "id", id);
	assert_string_equal(itest_jstr(j, "name"), name);
	assert_string_equal(itest_jstr(j, "number"), number);
	assert_int_equal(itest_jint(j, "region_id"), region);
	assert_int_equal(itest_jint(j, "schools"), 0);
}

static void
test_admin_school_create(void **state)
{
	long        board = org_board(0);
	const char *brin = org_unique_brin();
	const char *mun = itest_fmt("IT-gemeente %s", itest_random_hex(6));
	const char *name = itest_fmt("IT-school %s", itest_random_hex(6));
	const char *code, *sid;
	json_t     *j, *list, *s;
	long        id;

	(void)state;
	j = itest_expect_json(
	    itest_post_json(
	        "/api/v1/schools", org_admin(),
	        itest_fmt("{\"board_id\":%ld,\"name\":\"%s\",\"brin\":\"%s\","
	                  "\"municipality\":\"%s\"}",
	                  board, name, brin, mun)),
	    201);
	id = itest_jint(j, "id");
	code = itest_jstr(j, "join_code");
	if (!join_code_valid(code))
		fail_msg("join code \"%s\" is not 8 characters of the alphabet",
		         code);
	sid = itest_fmt("%ld", id);
	assert_string_equal(
	    org_db_text("SELECT concat_ws('|', s.board_id, s.name, s.brin,"
	                " s.municipality, s.join_code, m.name)"
	                " FROM schools s JOIN municipalities m"
	                " ON m.id = s.municipality_id WHERE s.id = $1",
	                1, (const char *[]){sid}),
	    itest_fmt("%ld|%s|%s|%s|%s|%s", board, name, brin, mun, code, mun));
	/* GET /boards/{id}/schools (admin) lists it with its join code. */
	list = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/schools", board),
	              org_admin()),
	    200);
	assert_int_equal(json_array_size(list), 1);
	s = org_find_by_id(list, "id", id);
	assert_string_equal(itest_jstr(s, "name"), name);
	assert_string_equal(itest_jstr(s, "brin"), brin);
	assert_string_equal(itest_jstr(s, "municipality"), mun);
	assert_string_equal(itest_jstr(s, "join_code"), code);
	assert_false(itest_jbool(s, "closed"));
	/* The code works for registration at once. */
	assert_int_equal(org_register(code, NULL)->school_id, id);
}

#define SCHOOL_TMPL                                                            \
	"{\"board_id\":%ld,\"name\":\"X %s\",\"brin\":\"%s\","                 \
	"\"municipality\":\"M\"}"

static void
test_admin_school_validation(void **state)
{
	static const char *const bad_brins[] = {
	    "32jk00", "32JK0", "32JK0A", "32JK000", "32-K00", "", "32JK 0",
	};
	long               board = org_board(0);
	struct org_school *s = org_school(board, NULL, NULL);
	const char        *path = "/api/v1/schools";
	long               before =
	    count_rows("SELECT count(*) FROM schools WHERE board_id = $1",
	               itest_fmt("%ld", board));

	(void)state;
	for (size_t i = 0; i < sizeof(bad_brins) / sizeof(bad_brins[0]); i++)
		expect_field(itest_post_json(path, org_admin(),
		                             itest_fmt(SCHOOL_TMPL, board, "a",
		                                       bad_brins[i])),
		             "brin");
	expect_field(itest_post_json(path, org_admin(),
	                             "{\"name\":\"X\",\"brin\":\"QQQQ11\","
	                             "\"municipality\":\"M\"}"),
	             "board_id");
	expect_field(itest_post_json(path, org_admin(),
	                             itest_fmt(SCHOOL_TMPL, 999999999L, "b",
	                                       org_unique_brin())),
	             "board_id");
	expect_field(
	    itest_post_json(path, org_admin(),
	                    itest_fmt("{\"board_id\":%ld,\"name\":\"X\","
	                              "\"brin\":\"%s\"}",
	                              board, org_unique_brin())),
	    "municipality");
	expect_field(
	    itest_post_json(path, org_admin(),
	                    itest_fmt("{\"board_id\":%ld,\"brin\":\"%s\","
	                              "\"municipality\":\"M\"}",
	                              board, org_unique_brin())),
	    "name");
	/* The BRIN of an existing school: 409, and no second row. */
	itest_expect_error(
	    itest_post_json(path, org_admin(),
	                    itest_fmt(SCHOOL_TMPL, board, "c", s->brin)),
	    409, "conflict");
	assert_int_equal(
	    count_rows("SELECT count(*) FROM schools WHERE brin = $1", s->brin),
	    1);
	assert_int_equal(
	    count_rows("SELECT count(*) FROM schools WHERE board_id = $1",
	               itest_fmt("%ld", board)),
	    before);
}

/* Each role the admin can create: 201, a verified account with the right
 * scope, and a working login. */
static void
test_admin_users_each_role(void **state)
{
	long               region = org_region(NULL);
	long               board = org_board(region);
	struct itest_user *ba = org_account("board_admin", board, 0);
	struct itest_user *rv = org_account("region_viewer", 0, region);
	struct itest_user *tr = org_account("trainer", 0, 0);
	struct itest_user *ad = org_account("admin", 0, 0);
	json_t            *me;

	(void)state;
	assert_string_equal(
	    org_db_text("SELECT concat_ws('|', role, board_id, region_id,"
	                " school_id, email_verified) FROM users WHERE id = $1",
	                1, (const char *[]){itest_fmt("%ld", ba->id)}),
	    itest_fmt("board_admin|%ld|t", board));
	assert_string_equal(
	    org_db_text("SELECT concat_ws('|', role, board_id, region_id,"
	                " email_verified) FROM users WHERE id = $1",
	                1, (const char *[]){itest_fmt("%ld", rv->id)}),
	    itest_fmt("region_viewer|%ld|t", region));
	assert_string_equal(
	    org_db_text("SELECT concat_ws('|', role, board_id, region_id,"
	                " email_verified) FROM users WHERE id = $1",
	                1, (const char *[]){itest_fmt("%ld", tr->id)}),
	    "trainer|t");
	assert_string_equal(
	    org_db_text("SELECT concat_ws('|', role, email_verified)"
	                " FROM users WHERE id = $1",
	                1, (const char *[]){itest_fmt("%ld", ad->id)}),
	    "admin|t");

	me = itest_expect_json(itest_get("/api/v1/me", ba->token), 200);
	assert_string_equal(itest_jstr(me, "role"), "board_admin");
	assert_int_equal(itest_jint(itest_jobj(me, "board"), "id"), board);
	me = itest_expect_json(itest_get("/api/v1/me", rv->token), 200);
	assert_string_equal(itest_jstr(me, "role"), "region_viewer");
	assert_int_equal(itest_jint(itest_jobj(me, "region"), "id"), region);
	me = itest_expect_json(itest_get("/api/v1/me", tr->token), 200);
	assert_string_equal(itest_jstr(me, "role"), "trainer");
	/* The new admin can administer: it creates a region. */
	itest_expect_json(
	    itest_post_json(
	        "/api/v1/regions", ad->token,
	        itest_fmt("{\"name\":\"IT-regio %s\"}", itest_random_hex(6))),
	    201);
}

static void
test_admin_users_validation(void **state)
{
	long        board = org_board(0);
	const char *email = itest_unique_email();
	const char *pw = itest_strong_password();
	const char *path = "/api/v1/users";
	json_t     *j;
	char       *upper;

	(void)state;
	expect_field(
	    itest_post_json(path, org_admin(),
	                    itest_fmt("{\"email\":\"%s\",\"name\":\"B\","
	                              "\"role\":\"board_admin\","
	                              "\"password\":\"%s\"}",
	                              email, pw)),
	    "board_id");
	expect_field(
	    itest_post_json(path, org_admin(),
	                    itest_fmt("{\"email\":\"%s\",\"name\":\"R\","
	                              "\"role\":\"region_viewer\","
	                              "\"password\":\"%s\"}",
	                              email, pw)),
	    "region_id");
	expect_field(
	    itest_post_json(path, org_admin(),
	                    itest_fmt("{\"email\":\"%s\",\"name\":\"T\","
	                              "\"role\":\"trainer\","
	                              "\"password\":\"kort-1\"}",
	                              email)),
	    "password");
	expect_field(
	    itest_post_json(path, org_admin(),
	                    itest_fmt("{\"email\":\"%s\",\"name\":\"T\","
	                              "\"role\":\"teacher\","
	                              "\"password\":\"%s\"}",
	                              email, pw)),
	    "role");
	expect_field(itest_post_json(path, org_admin(),
	                             itest_fmt("{\"email\":\"geen-adres\","
	                                       "\"name\":\"T\","
	                                       "\"role\":\"trainer\","
	                                       "\"password\":\"%s\"}",
	                                       pw)),
	             "email");
	expect_field(
	    itest_post_json(path, org_admin(),
	                    itest_fmt("{\"email\":\"%s\",\"name\":\"B\","
	                              "\"role\":\"board_admin\","
	                              "\"board_id\":999999999,"
	                              "\"password\":\"%s\"}",
	                              email, pw)),
	    "board_id");
	/* None of these made an account. */
	assert_int_equal(count_rows("SELECT count(*) FROM users"
	                            " WHERE lower(email) = lower($1)",
	                            email),
	                 0);

	j = itest_expect_json(
	    itest_post_json(path, org_admin(),
	                    itest_fmt("{\"email\":\"%s\",\"name\":\"B\","
	                              "\"role\":\"board_admin\","
	                              "\"board_id\":%ld,\"password\":\"%s\"}",
	                              email, board, pw)),
	    201);
	(void)itest_jint(j, "id");
	/* The same address, in other case: 409, still one account. */
	upper = itest_fmt("%s", email);
	for (char *p = upper; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	itest_expect_error(
	    itest_post_json(path, org_admin(),
	                    itest_fmt("{\"email\":\"%s\",\"name\":\"T\","
	                              "\"role\":\"trainer\","
	                              "\"password\":\"%s\"}",
	                              upper, pw)),
	    409, "conflict");
	assert_int_equal(count_rows("SELECT count(*) FROM users"
	                            " WHERE lower(email) = lower($1)",
	                            email),
	                 1);
	/* An account of a teacher (made by registration) is taken too. */
	itest_expect_error(
	    itest_post_json(
	        path, org_admin(),
	        itest_fmt("{\"email\":\"%s\",\"name\":\"T\","
	                  "\"role\":\"trainer\",\"password\":\"%s\"}",
	                  itest_new_teacher()->email, pw)),
	    409, "conflict");
}

static void
test_admin_trainer_board_link(void **state)
{
	long               board = org_board(0);
	struct itest_user *tr = org_account("trainer", 0, 0);
	struct itest_user *ba = org_account("board_admin", board, 0);
	const char        *link_sql = "SELECT count(*) FROM trainer_boards"
	                              " WHERE trainer_id = $1";
	struct itest_resp *r;

	(void)state;
	org_link_trainer(tr->id, board);
	assert_int_equal(
	    org_db_long("SELECT count(*) FROM trainer_boards WHERE trainer_id"
	                " = $1 AND board_id = $2",
	                2,
	                (const char *[]){itest_fmt("%ld", tr->id),
	                                 itest_fmt("%ld", board)}),
	    1);
	/* Twice: still 204, still one link. */
	org_link_trainer(tr->id, board);
	assert_int_equal(count_rows(link_sql, itest_fmt("%ld", tr->id)), 1);
	/* An unknown board. */
	expect_field(
	    itest_post_json(itest_fmt("/api/v1/trainers/%ld/boards", tr->id),
	                    org_admin(), "{\"board_id\":999999999}"),
	    "board_id");
	expect_field(
	    itest_post_json(itest_fmt("/api/v1/trainers/%ld/boards", tr->id),
	                    org_admin(), "{}"),
	    "board_id");
	assert_int_equal(count_rows(link_sql, itest_fmt("%ld", tr->id)), 1);
	/* Someone who is not a trainer cannot be linked. */
	r = itest_post_json(itest_fmt("/api/v1/trainers/%ld/boards", ba->id),
	                    org_admin(),
	                    itest_fmt("{\"board_id\":%ld}", board));
	itest_expect_4xx(r);
	assert_int_equal(count_rows(link_sql, itest_fmt("%ld", ba->id)), 0);
	/* Only an admin links. */
	itest_expect_error(
	    itest_post_json(itest_fmt("/api/v1/trainers/%ld/boards", tr->id),
	                    ba->token, itest_fmt("{\"board_id\":%ld}", board)),
	    403, "forbidden");
	itest_expect_error(
	    itest_post_json(itest_fmt("/api/v1/trainers/%ld/boards", tr->id),
	                    tr->token, itest_fmt("{\"board_id\":%ld}", board)),
	    403, "forbidden");
}

static void
test_admin_join_code_rotation(void **state)
{
	long               board = org_board(0);
	long               other_board = org_board(0);
	struct org_school *s = org_school(board, NULL, NULL);
	struct itest_user *ba = org_account("board_admin", board, 0);
	struct itest_user *other_ba =
	    org_account("board_admin", other_board, 0);
	const char *old = itest_fmt("%s", s->join_code);
	const char *path = itest_fmt("/api/v1/schools/%ld/join-code", s->id);
	const char *mid, *fresh;
	char       *lower;
	struct itest_user *u;
	json_t            *j;

	(void)state;
	/* The old code works before the rotation. */
	assert_int_equal(org_register(old, NULL)->school_id, s->id);

	j = itest_expect_json(itest_post_json(path, org_admin(), NULL), 200);
	mid = itest_jstr(j, "join_code");
	if (!join_code_valid(mid) || strcmp(mid, old) == 0)
		fail_msg("rotation gave \"%s\" (old \"%s\")", mid, old);
	assert_string_equal(
	    org_db_text("SELECT join_code FROM schools WHERE id = $1", 1,
	                (const char *[]){itest_fmt("%ld", s->id)}),
	    mid);
	/* The old code stops working for registration. */
	expect_field(
	    itest_post_json("/api/v1/auth/register", NULL,
	                    itest_register_body(itest_unique_email(),
	                                        itest_strong_password(),
	                                        "Oude Code", old)),
	    "join_code");

	/* The board's own admin may rotate too; then the middle code dies. */
	j = itest_expect_json(itest_post_json(path, ba->token, NULL), 200);
	fresh = itest_jstr(j, "join_code");
	if (!join_code_valid(fresh) || strcmp(fresh, mid) == 0)
		fail_msg("second rotation gave \"%s\"", fresh);
	expect_field(
	    itest_post_json("/api/v1/auth/register", NULL,
	                    itest_register_body(itest_unique_email(),
	                                        itest_strong_password(),
	                                        "Vorige Code", mid)),
	    "join_code");
	/* The new code works, in any case. */
	lower = itest_fmt("%s", fresh);
	for (char *p = lower; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	u = org_register(lower, NULL);
	assert_int_equal(u->school_id, s->id);
	assert_int_equal(org_staff_active(s->id, u->email), 1);

	/* Another board's admin: 403, and the code stays. */
	itest_expect_error(itest_post_json(path, other_ba->token, NULL), 403,
	                   "forbidden");
	/* Learners and trainers cannot rotate. */
	itest_expect_error(itest_post_json(path, u->token, NULL), 403,
	                   "forbidden");
	assert_string_equal(
	    org_db_text("SELECT join_code FROM schools WHERE id = $1", 1,
	                (const char *[]){itest_fmt("%ld", s->id)}),
	    fresh);
	/* Unknown school (admin): 404. */
	itest_expect_error(
	    itest_post_json("/api/v1/schools/999999999/join-code", org_admin(),
	                    NULL),
	    404, "not_found");
}

/* Every admin endpoint refuses every other role with 403 and changes
 * nothing; without a token 401. */
static void
test_admin_non_admin_forbidden(void **state)
{
	static const char *const roles[] = {"teacher", "ib", "trainer",
	                                    "board_admin", "region_viewer"};
	long                     board = org_board(0);
	struct itest_user       *tr = org_account("trainer", 0, 0);
	const char              *tag = itest_random_hex(6);
	bool                     ok = true;

	(void)state;
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		const char *tok = org_demo_token(roles[i]);
		struct {
			const char *path;
			const char *body;
		} posts[] = {
		    {"/api/v1/regions",
		     itest_fmt("{\"name\":\"IT-nee %s\"}", tag)},
		    {"/api/v1/boards",
		     itest_fmt("{\"name\":\"IT-nee %s\",\"number\":\"6%s\"}",
		               tag, "12345")},
		    {"/api/v1/schools",
		     itest_fmt("{\"board_id\":%ld,\"name\":\"IT-nee %s\","
		               "\"brin\":\"%s\",\"municipality\":\"M\"}",
		               board, tag, org_unique_brin())},
		    {"/api/v1/users",
		     itest_fmt(
		         "{\"email\":\"nee-%s@example.nl\",\"name\":\"N\","
		         "\"role\":\"admin\",\"password\":\"%s\"}",
		         tag, itest_strong_password())},
		    {itest_fmt("/api/v1/trainers/%ld/boards", tr->id),
		     itest_fmt("{\"board_id\":%ld}", board)},
		};

		for (size_t k = 0; k < sizeof(posts) / sizeof(posts[0]); k++) {
			struct itest_resp *r =
			    itest_post_json(posts[k].path, tok, posts[k].body);

			if (!itest_soft_error(r, 403, "forbidden")) {
				print_error("    as %s\n", roles[i]);
				ok = false;
			}
		}
		if (!itest_soft_error(org_send("POST",
		                               "/api/v1/school-register", tok,
		                               "text/csv", "a;b\r\n", 5),
		                      403, "forbidden") ||
		    !itest_soft_error(itest_get("/api/v1/boards", tok), 403,
		                      "forbidden")) {
			print_error("    as %s\n", roles[i]);
			ok = false;
		}
	}
	if (!itest_soft_error(
	        itest_post_json("/api/v1/regions", NULL,
	                        itest_fmt("{\"name\":\"IT-nee %s\"}", tag)),
	        401, "unauthenticated"))
		ok = false;
	if (!ok)
		fail_msg("an admin endpoint answered another role");
	assert_int_equal(
	    count_rows("SELECT (SELECT count(*) FROM regions WHERE name LIKE"
	               " '%' || $1) + (SELECT count(*) FROM boards WHERE name"
	               " LIKE '%' || $1) + (SELECT count(*) FROM schools WHERE"
	               " name LIKE '%' || $1) + (SELECT count(*) FROM users"
	               " WHERE email LIKE 'nee-' || $1 || '%')",
	               tag),
	    0);
	assert_int_equal(count_rows("SELECT count(*) FROM trainer_boards"
	                            " WHERE trainer_id = $1",
	                            itest_fmt("%ld", tr->id)),
	                 0);
}

int
itest_run_admin(void)
{
	const struct CMUnitTest tests[] = {
	    ITEST(test_admin_region_create),
	    ITEST(test_admin_board_create),
	    ITEST(test_admin_school_create),
	    ITEST(test_admin_school_validation),
	    ITEST(test_admin_users_each_role),
	    ITEST(test_admin_users_validation),
	    ITEST(test_admin_trainer_board_link),
	    ITEST(test_admin_join_code_rotation),
	    ITEST(test_admin_non_admin_forbidden),
	};

	return cmocka_run_group_tests_name("admin", tests, NULL, NULL);
}
