/* Integration tests: in-person trainings, attendance (JSON and CSV), the
 * certificates a pass issues, and who may record what. */
#include "itest_org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AF_MODULE "af-praktijktraining"

/*
 * A fresh board with one school: an IB'er and a teacher with accounts, a
 * person on the roster without one, the board's admin, and a trainer whom
 * the admin linked to the board.
 */
struct tr_fx {
	long               board;
	struct org_school *s;
	struct itest_user *ba, *trainer, *ib, *t;
	const char        *no_account;
};

static void               tr_fixture(struct tr_fx *fx);
static long               new_training(const char *token, const char *title);
static const char        *attendance_path(long id);
static struct itest_resp *attend_json(const char *token, long id,
                                      const char *attendees);
static void expect_recorded(const struct itest_resp *r, long recorded,
                            long issued);
static long af_certs(long user_id);
static long attendance_rows(long training);
static bool has_af(const struct tr_fx *fx);

static void test_training_create_and_list(void **state);
static void test_training_attendance_json(void **state);
static void test_training_attendance_csv(void **state);
static void test_training_criteria_judged(void **state);
static void test_training_attendee_outside_boards(void **state);
static void test_training_other_trainer(void **state);
static void test_training_online_module_refused(void **state);
static void test_training_attendance_only_when_held(void **state);
static void test_training_unverified_account(void **state);
static void test_training_roster_person_registers_later(void **state);

static void
tr_fixture(struct tr_fx *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->board = org_board(0);
	fx->s = org_school(fx->board, NULL, NULL);
	fx->ba = org_account("board_admin", fx->board, 0);
	fx->trainer = org_account("trainer", 0, 0);
	org_link_trainer(fx->trainer->id, fx->board);
	fx->ib = org_register(fx->s->join_code, NULL);
	fx->t = org_register(fx->s->join_code, NULL);
	fx->no_account = itest_fmt("geen-account-%s@example.nl", org_tag());
	/* The roster's role applies to a verified address, and a training
	 * certifies only a verified account. */
	org_verify_email(fx->ib->id);
	org_verify_email(fx->t->id);
	itest_expect_json(
	    org_roster(fx->ba->token, fx->board,
	               itest_fmt("email,name,role,brin\n%s,%s,ib,%s\n"
	                         "%s,%s,teacher,%s\n%s,Zonder Account,"
	                         "teacher,%s\n",
	                         fx->ib->email, fx->ib->name, fx->s->brin,
	                         fx->t->email, fx->t->name, fx->s->brin,
	                         fx->no_account, fx->s->brin)),
	    200);
}

static long
new_training(const char *token, const char *title)
{
	json_t *body = itest_keep_json(json_pack(
	    "{s:s, s:s, s:s, s:s}", "title", title, "module_slug", AF_MODULE,
	    "date", "2026-03-14", "location", "Utrecht, zaal 2"));

	return itest_jint(
	    itest_expect_json(
	        itest_post_json("/api/v1/trainings", token, itest_dump(body)),
	        201),
	    "id");
}

static const char *
attendance_path(long id)
{
	return itest_fmt("/api/v1/trainings/%ld/attendance", id);
}

static struct itest_resp *
attend_json(const char *token, long id, const char *attendees)
{
	return itest_post_json(attendance_path(id), token,
	                       itest_fmt("{\"attendees\":%s}", attendees));
}

static void
expect_recorded(const struct itest_resp *r, long recorded, long issued)
{
	json_t *j = itest_expect_json(r, 200);

	if (itest_jint(j, "recorded") != recorded ||
	    itest_jint(j, "certificates_issued") != issued)
		fail_msg("attendance: expected recorded %ld, "
		         "certificates_issued %ld; got %s",
		         recorded, issued, r->body);
}

static long
af_certs(long user_id)
{
	return org_db_long("SELECT count(*) FROM certificates c JOIN modules m"
	                   " ON m.id = c.module_id WHERE c.user_id = $1"
	                   " AND m.slug = '" AF_MODULE "'",
	                   1, (const char *[]){itest_fmt("%ld", user_id)});
}

static long
attendance_rows(long training)
{
	return org_db_long("SELECT count(*) FROM training_attendance"
	                   " WHERE training_id = $1",
	                   1, (const char *[]){itest_fmt("%ld", training)});
}

/* has_certified_af of the fixture's school in its board's coverage. */
static bool
has_af(const struct tr_fx *fx)
{
	json_t *cov = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/coverage", fx->board),
	              fx->ba->token),
	    200);
	json_t *row =
	    org_find_by_id(itest_jarr(cov, "schools"), "school_id", fx->s->id);
	bool af = itest_jbool(row, "has_certified_af");

	if (itest_jint(itest_jobj(cov, "totals"), "schools_with_af") !=
	    (af ? 1 : 0))
		fail_msg("schools_with_af disagrees with the school: %s",
		         itest_dump(cov));
	return af;
}

/* Tests. */

static void
test_training_create_and_list(void **state)
{
	struct itest_user *tr = org_account("trainer", 0, 0);
	struct itest_user *other = org_account("trainer", 0, 0);
	const char        *title = itest_fmt("IT training %s", org_tag());
	const char        *p = "/api/v1/trainings";
	long               id = new_training(tr->token, title);
	json_t            *list, *e, *j;
	static const struct {
		const char *body;
		const char *field;
	} bad[] = {
	    {"{\"title\":\"T\",\"module_slug\":\"bestaat-niet\","
	     "\"date\":\"2026-03-14\",\"location\":\"L\"}",
	     "module_slug"},
	    {"{\"title\":\"T\",\"module_slug\":\"Geen Slug!\","
	     "\"date\":\"2026-03-14\",\"location\":\"L\"}",
	     "module_slug"},
	    {"{\"title\":\"T\",\"module_slug\":\"" AF_MODULE "\","
	     "\"date\":\"2026-13-01\",\"location\":\"L\"}",
	     "date"},
	    {"{\"title\":\"T\",\"module_slug\":\"" AF_MODULE "\","
	     "\"date\":\"14-03-2026\",\"location\":\"L\"}",
	     "date"},
	    {"{\"module_slug\":\"" AF_MODULE "\","
	     "\"date\":\"2026-03-14\",\"location\":\"L\"}",
	     "title"},
	    {"{\"title\":\"T\",\"module_slug\":\"" AF_MODULE "\","
	     "\"date\":\"2026-03-14\"}",
	     "location"},
	};

	(void)state;
	assert_string_equal(
	    org_db_text("SELECT concat_ws('|', t.trainer_id, t.title,"
	                " m.slug, t.held_on, t.location) FROM trainings t"
	                " JOIN modules m ON m.id = t.module_id WHERE t.id = $1",
	                1, (const char *[]){itest_fmt("%ld", id)}),
	    itest_fmt("%ld|%s|" AF_MODULE "|2026-03-14|Utrecht, zaal 2", tr->id,
	              title));
	list = itest_expect_json(itest_get(p, tr->token), 200);
	e = org_find_by_id(list, "id", id);
	assert_string_equal(itest_jstr(e, "title"), title);
	assert_string_equal(itest_jstr(e, "module_slug"), AF_MODULE);
	(void)itest_jstr(e, "module_title");
	assert_string_equal(itest_jstr(e, "date"), "2026-03-14");
	assert_string_equal(itest_jstr(e, "location"), "Utrecht, zaal 2");
	assert_int_equal(itest_jint(e, "attendees"), 0);
	assert_int_equal(itest_jint(e, "passed"), 0);
	j = itest_expect_json(itest_get(itest_fmt("%s/%ld", p, id), tr->token),
	                      200);
	assert_int_equal(itest_jint(j, "id"), id);
	assert_int_equal(json_array_size(itest_jarr(j, "attendance")), 0);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *err = itest_expect_error(
		    itest_post_json(p, tr->token, bad[i].body), 400,
		    "validation_failed");

		if (json_object_get(json_object_get(err, "fields"),
		                    bad[i].field) == NULL)
			fail_msg("no fields.%s for %s", bad[i].field,
			         bad[i].body);
	}
	assert_int_equal(
	    org_db_long("SELECT count(*) FROM trainings"
	                " WHERE trainer_id = $1",
	                1, (const char *[]){itest_fmt("%ld", tr->id)}),
	    1);
	/* Learners and board admins do not run trainings. */
	itest_expect_error(
	    itest_post_json(p, org_demo_token("teacher"),
	                    "{\"title\":\"T\",\"module_slug\":\"" AF_MODULE
	                    "\",\"date\":\"2026-03-14\",\"location\":\"L\"}"),
	    403, "forbidden");
	itest_expect_error(itest_get(p, org_demo_token("board_admin")), 403,
	                   "forbidden");
	/* Another trainer neither lists nor reads it. */
	list = itest_expect_json(itest_get(p, other->token), 200);
	if (itest_json_has_text(list, title))
		fail_msg("another trainer's list shows the session: %s",
		         itest_dump(list));
	itest_expect_error(itest_get(itest_fmt("%s/%ld", p, id), other->token),
	                   403, "forbidden");
	itest_expect_error(itest_get("/api/v1/trainings/999999999", tr->token),
	                   404, "not_found");
}

/*
 * The IB'er passes, the teacher does not: one certificate, issued by the
 * trainer, once, also when the attendance is recorded again or at a second
 * session; and the school now has a certified aandachtsfunctionaris.
 */
static void
test_training_attendance_json(void **state)
{
	struct tr_fx fx;
	long         id, id2;
	const char  *code, *who;
	json_t      *j, *a, *e;
	size_t       i;
	time_t       exp, now = time(NULL);

	(void)state;
	tr_fixture(&fx);
	id = new_training(fx.trainer->token, "Praktijkdag");
	assert_false(has_af(&fx));
	who =
	    itest_fmt("[{\"email\":\"%s\",\"passed\":true," AF_ALL_MET "},"
	              "{\"email\":\"%s\",\"passed\":false," AF_ONE_NOT_MET "}]",
	              fx.ib->email, fx.t->email);
	expect_recorded(attend_json(fx.trainer->token, id, who), 2, 1);
	assert_int_equal(af_certs(fx.ib->id), 1);
	assert_int_equal(af_certs(fx.t->id), 0);
	/* The certificate keeps who issued it. */
	assert_int_equal(
	    org_db_long("SELECT c.issued_by FROM certificates c JOIN modules m"
	                " ON m.id = c.module_id WHERE c.user_id = $1"
	                " AND m.slug = '" AF_MODULE "'",
	                1, (const char *[]){itest_fmt("%ld", fx.ib->id)}),
	    fx.trainer->id);
	code = org_db_text("SELECT c.code FROM certificates c JOIN modules m"
	                   " ON m.id = c.module_id WHERE c.user_id = $1"
	                   " AND m.slug = '" AF_MODULE "'",
	                   1, (const char *[]){itest_fmt("%ld", fx.ib->id)});
	assert_int_equal(attendance_rows(id), 2);

	/* Recorded again: no second certificate. */
	expect_recorded(attend_json(fx.trainer->token, id, who), 2, 0);
	assert_int_equal(af_certs(fx.ib->id), 1);
	assert_int_equal(attendance_rows(id), 2);

	/* The session shows who attended, with the certificate. */
	j = itest_expect_json(itest_get(itest_fmt("/api/v1/trainings/%ld", id),
	                                fx.trainer->token),
	                      200);
	a = itest_jarr(j, "attendance");
	assert_int_equal(json_array_size(a), 2);
	json_array_foreach (a, i, e) {
		long uid = itest_jint(e, "user_id");

		if (uid == fx.ib->id) {
			assert_true(itest_jbool(e, "passed"));
			assert_string_equal(itest_jstr(e, "certificate_code"),
			                    code);
			assert_string_equal(itest_jstr(e, "email"),
			                    fx.ib->email);
		} else if (uid == fx.t->id) {
			assert_false(itest_jbool(e, "passed"));
			assert_true(json_is_null(
			    json_object_get(e, "certificate_code")));
		} else {
			fail_msg("stranger in the attendance: %s",
			         itest_dump(e));
		}
	}
	e = org_find_by_id(
	    itest_expect_json(itest_get("/api/v1/trainings", fx.trainer->token),
	                      200),
	    "id", id);
	assert_int_equal(itest_jint(e, "attendees"), 2);
	assert_int_equal(itest_jint(e, "passed"), 1);

	/* The IB'er holds it: her certificates, the public check. */
	j = itest_expect_json(
	    itest_get("/api/v1/me/certificates", fx.ib->token), 200);
	e = NULL;
	json_array_foreach (j, i, a)
		if (strcmp(itest_jstr(a, "code"), code) == 0)
			e = a;
	if (e == NULL)
		fail_msg("the certificate is not in her list: %s",
		         itest_dump(j));
	assert_string_equal(itest_jstr(e, "module_slug"), AF_MODULE);
	assert_true(itest_jbool(e, "valid"));
	exp = itest_expect_time(itest_jstr(e, "expires_at"));
	if (exp < now + 35L * 30 * 86400 || exp > now + 37L * 31 * 86400)
		fail_msg("expires_at %s is not 36 months ahead",
		         itest_jstr(e, "expires_at"));
	j = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/certificates/%s", code), NULL), 200);
	assert_true(itest_jbool(j, "valid"));
	assert_string_equal(itest_jstr(j, "holder_name"), fx.ib->name);

	/* Her school now has a certified aandachtsfunctionaris. */
	assert_true(has_af(&fx));

	/* A second session while the certificate is valid: the same one. */
	id2 = new_training(fx.trainer->token, "Terugkomdag");
	expect_recorded(
	    attend_json(
	        fx.trainer->token, id2,
	        itest_fmt("[{\"email\":\"%s\",\"passed\":true," AF_ALL_MET "}]",
	                  fx.ib->email)),
	    1, 0);
	assert_int_equal(af_certs(fx.ib->id), 1);
	j = itest_expect_json(itest_get(itest_fmt("/api/v1/trainings/%ld", id2),
	                                fx.trainer->token),
	                      200);
	assert_string_equal(
	    itest_jstr(json_array_get(itest_jarr(j, "attendance"), 0),
	               "certificate_code"),
	    code);
	/* Bad bodies. */
	itest_expect_error(attend_json(fx.trainer->token, id, "[]"), 400,
	                   "validation_failed");
	itest_expect_error(
	    attend_json(fx.trainer->token, id,
	                itest_fmt("[{\"email\":\"%s\",\"passed\":\"ja\"}]",
	                          fx.ib->email)),
	    400, "validation_failed");
	itest_expect_error(
	    itest_post_json(attendance_path(id), fx.trainer->token, "{\"at"),
	    400, "invalid_json");
}

/*
 * CSV records presence only: a file has no criteria, so "passed" may be
 * empty or no, and a yes is refused with its line (a pass needs every
 * criterion judged).  A later judgement in JSON passes the attendee.  The
 * file is read as CSV: quoted fields, line numbers of the text itself.
 */
static void
test_training_attendance_csv(void **state)
{
	struct tr_fx fx;
	long         id, id2, id3;
	char        *upper;
	const char  *csv;
	json_t      *err, *e;
	size_t       i;
	bool         line3 = false;

	(void)state;
	tr_fixture(&fx);
	id = new_training(fx.trainer->token, "CSV-dag");
	upper = itest_fmt("%s", fx.t->email);
	for (char *p = upper; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	csv =
	    itest_fmt("email,passed\r\n%s,nee\r\n%s,\r\n", upper, fx.ib->email);
	expect_recorded(org_send("POST", attendance_path(id), fx.trainer->token,
	                         "text/csv", csv, strlen(csv)),
	                2, 0);
	assert_int_equal(attendance_rows(id), 2);
	assert_int_equal(af_certs(fx.t->id), 0);
	assert_int_equal(af_certs(fx.ib->id), 0);
	/* Present, not judged. */
	assert_int_equal(
	    org_db_long("SELECT count(*) FROM training_attendance WHERE"
	                " training_id = $1 AND NOT passed AND criteria IS NULL"
	                " AND judged_by IS NULL",
	                1, (const char *[]){itest_fmt("%ld", id)}),
	    2);

	/* ';', a BOM, LF, 0, and an email column alone. */
	id2 = new_training(fx.trainer->token, "CSV-dag 2");
	csv = itest_fmt("\xEF\xBB\xBF"
	                "email\n%s\n%s;0\n",
	                fx.ib->email, fx.t->email);
	expect_recorded(org_send("POST", attendance_path(id2),
	                         fx.trainer->token, "text/csv", csv,
	                         strlen(csv)),
	                2, 0);
	assert_false(has_af(&fx));
	/* The judgement comes later, in JSON: now she passes. */
	expect_recorded(
	    attend_json(
	        fx.trainer->token, id2,
	        itest_fmt("[{\"email\":\"%s\"," AF_ALL_MET "}]", fx.ib->email)),
	    1, 1);
	assert_int_equal(af_certs(fx.ib->id), 1);
	assert_true(has_af(&fx));

	/* A pass in a file (yes, ja, 1): 400 naming the line, nothing
	 * recorded, also not for the good lines. */
	id3 = new_training(fx.trainer->token, "CSV-dag 3");
	csv = itest_fmt("email,passed\n%s,nee\n%s,ja\n", fx.ib->email,
	                fx.t->email);
	err = itest_expect_error(org_send("POST", attendance_path(id3),
	                                  fx.trainer->token, "text/csv", csv,
	                                  strlen(csv)),
	                         400, "validation_failed");
	json_array_foreach (json_object_get(err, "errors"), i, e)
		if (json_integer_value(json_object_get(e, "line")) == 3 &&
		    strstr(json_string_value(json_object_get(e, "message")),
		           "criteria") != NULL)
			line3 = true;
	if (!line3)
		fail_msg("no criteria error on line 3: %s", itest_dump(err));
	assert_int_equal(attendance_rows(id3), 0);
	assert_int_equal(af_certs(fx.t->id), 0);
	/* A value that is neither. */
	csv = itest_fmt("email,passed\n%s,misschien\n", fx.t->email);
	itest_expect_error(org_send("POST", attendance_path(id3),
	                            fx.trainer->token, "text/csv", csv,
	                            strlen(csv)),
	                   400, "validation_failed");
	/* A header only. */
	itest_expect_error(org_send("POST", attendance_path(id3),
	                            fx.trainer->token, "text/csv",
	                            "email,passed\n", 13),
	                   400, "validation_failed");
	/* No header: the first address is not taken as one (it would be
	 * lost without a word); line 1 says what the first line must be. */
	csv = itest_fmt("%s\n%s\n", fx.ib->email, fx.t->email);
	err = itest_expect_error(org_send("POST", attendance_path(id3),
	                                  fx.trainer->token, "text/csv", csv,
	                                  strlen(csv)),
	                         400, "validation_failed");
	e = json_array_get(json_object_get(err, "errors"), 0);
	assert_int_equal(json_integer_value(json_object_get(e, "line")), 1);
	assert_non_null(strstr(json_string_value(json_object_get(e, "message")),
	                       "de eerste regel moet de kop email zijn"));
	assert_int_equal(attendance_rows(id3), 0);
	/* Neither JSON nor CSV. */
	itest_expect_error(org_send("POST", attendance_path(id3),
	                            fx.trainer->token, "text/plain", csv,
	                            strlen(csv)),
	                   415, "unsupported_media_type");
	assert_int_equal(attendance_rows(id3), 0);

	/* Read as CSV (csvin): a blank line still counts as a line, so the
	 * yes below is reported on line 4, and quoted fields are unquoted. */
	csv = itest_fmt("email,passed\n\"%s\",\"nee\"\n\n%s,ja\n", fx.ib->email,
	                fx.t->email);
	err = itest_expect_error(org_send("POST", attendance_path(id3),
	                                  fx.trainer->token, "text/csv", csv,
	                                  strlen(csv)),
	                         400, "validation_failed");
	e = json_object_get(err, "errors");
	if (json_array_size(e) != 1 || json_integer_value(json_object_get(
	                                   json_array_get(e, 0), "line")) != 4)
		fail_msg("want one error on line 4: %s", itest_dump(err));
	assert_int_equal(attendance_rows(id3), 0);
	csv = itest_fmt("email;passed\r\n\"%s\";\"nee\"\r\n", fx.ib->email);
	expect_recorded(org_send("POST", attendance_path(id3),
	                         fx.trainer->token, "text/csv", csv,
	                         strlen(csv)),
	                1, 0);
	assert_int_equal(attendance_rows(id3), 1);
}

/* The stored judgement of a user at a training, as text ("" when none). */
static const char *
judgement(long training, long user_id)
{
	return org_db_text(
	    "SELECT coalesce(concat_ws('|', passed::text, criteria::text,"
	    " judged_by, (judged_at IS NOT NULL)::text), '')"
	    " FROM training_attendance"
	    " WHERE training_id = $1 AND user_id = $2",
	    2,
	    (const char *[]){itest_fmt("%ld", training),
	                     itest_fmt("%ld", user_id)});
}

/* The attendee of a session's GET with this user id. */
static json_t *
session_attendee(const struct tr_fx *fx, long training, long user_id)
{
	json_t *j = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/trainings/%ld", training),
	              fx->trainer->token),
	    200);

	return org_find_by_id(itest_jarr(j, "attendance"), "user_id", user_id);
}

/*
 * The criteria decide a pass (issue 12, point 5): all met gives the
 * certificate; one not met records the attendee without one; a "passed"
 * that disagrees with the criteria, an unknown criterion, a value that is
 * not a boolean, or a pass without a judgement is 400 with the field, and
 * nothing is recorded.  The judgement is stored with who judged and when,
 * and GET returns it next to the module's criteria.
 */
static void
test_training_criteria_judged(void **state)
{
	struct tr_fx             fx;
	long                     id;
	json_t                  *j, *crit, *e, *err;
	const char              *all, *one;
	size_t                   i;
	static const char *const ids[] = {"opening",    "luisteren",
	                                  "veiligheid", "gesprek-kind",
	                                  "overleg",    "wegen"};
	static const struct {
		const char *rest; /* the attendee's fields after the email */
		const char *field;
	} bad[] = {
	    /* passed true with a criterion not met */
	    {"\"passed\":true," AF_ONE_NOT_MET, "attendees[0].passed"},
	    /* passed true without a judgement (an old client) */
	    {"\"passed\":true", "attendees[0].passed"},
	    /* passed true with only some criteria judged */
	    {"\"passed\":true,\"criteria\":{\"opening\":true}",
	     "attendees[0].passed"},
	    /* passed false with every criterion met */
	    {"\"passed\":false," AF_ALL_MET, "attendees[0].passed"},
	    /* an unknown criterion, even next to all six met */
	    {"\"criteria\":{\"opening\":true,\"luisteren\":true,"
	     "\"veiligheid\":true,\"gesprek-kind\":true,\"overleg\":true,"
	     "\"wegen\":true,\"charisma\":true}",
	     "attendees[0].criteria.charisma"},
	    /* a value that is not true or false */
	    {"\"criteria\":{\"opening\":\"ja\"}",
	     "attendees[0].criteria.opening"},
	    {"\"criteria\":[\"opening\"]", "attendees[0].criteria"},
	};

	(void)state;
	tr_fixture(&fx);
	id = new_training(fx.trainer->token, "Criteria");

	/* The session shows the module's six criteria, as in module.json. */
	j = itest_expect_json(itest_get(itest_fmt("/api/v1/trainings/%ld", id),
	                                fx.trainer->token),
	                      200);
	crit = itest_jarr(j, "criteria");
	assert_int_equal(json_array_size(crit), 6);
	json_array_foreach (crit, i, e) {
		assert_string_equal(itest_jstr(e, "id"), ids[i]);
		(void)itest_jstr(e, "text");
	}
	assert_memory_equal(itest_jstr(json_array_get(crit, 0), "text"),
	                    "Opening van het gesprek. Je opent", 33);

	/* Refused bodies: 400 with the field, nothing recorded. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = itest_expect_error(
		    attend_json(fx.trainer->token, id,
		                itest_fmt("[{\"email\":\"%s\",%s}]",
		                          fx.ib->email, bad[i].rest)),
		    400, "validation_failed");
		if (json_object_get(json_object_get(err, "fields"),
		                    bad[i].field) == NULL)
			fail_msg("case %zu: no fields.%s: %s", i, bad[i].field,
			         itest_dump(err));
	}
	/* The second attendee's problem is named by its index; the first,
	 * good one is not recorded either. */
	err = itest_expect_error(
	    attend_json(fx.trainer->token, id,
	                itest_fmt("[{\"email\":\"%s\"," AF_ALL_MET "},"
	                          "{\"email\":\"%s\",\"passed\":true}]",
	                          fx.ib->email, fx.t->email)),
	    400, "validation_failed");
	if (json_object_get(json_object_get(err, "fields"),
	                    "attendees[1].passed") == NULL)
		fail_msg("no fields.attendees[1].passed: %s", itest_dump(err));
	assert_int_equal(attendance_rows(id), 0);
	assert_int_equal(af_certs(fx.ib->id), 0);

	/* One criterion not met: recorded, not passed, no certificate. */
	expect_recorded(
	    attend_json(fx.trainer->token, id,
	                itest_fmt("[{\"email\":\"%s\"," AF_ONE_NOT_MET "}]",
	                          fx.ib->email)),
	    1, 0);
	assert_int_equal(af_certs(fx.ib->id), 0);
	one = judgement(id, fx.ib->id);
	assert_string_equal(
	    one, itest_fmt("false|{\"wegen\": false, \"opening\": true, "
	                   "\"overleg\": true, \"luisteren\": true, "
	                   "\"veiligheid\": true, \"gesprek-kind\": true}|"
	                   "%ld|true",
	                   fx.trainer->id));
	e = session_attendee(&fx, id, fx.ib->id);
	assert_false(itest_jbool(e, "passed"));
	assert_false(itest_jbool(itest_jobj(e, "criteria"), "wegen"));
	assert_true(itest_jbool(itest_jobj(e, "criteria"), "opening"));
	assert_int_equal(itest_jint(e, "judged_by"), fx.trainer->id);
	(void)itest_expect_time(itest_jstr(e, "judged_at"));
	assert_int_equal(itest_jint(e, "criteria_version"),
	                 org_db_long("SELECT version FROM modules WHERE slug ="
	                             " '" AF_MODULE "'",
	                             0, NULL));
	assert_false(has_af(&fx));

	/* Below the service, the database refuses a pass next to a
	 * criterion not met (an error other than the check fails the test). */
	org_db_exec(
	    itest_fmt("DO $$ BEGIN UPDATE training_attendance SET passed ="
	              " true WHERE training_id = %ld; RAISE EXCEPTION"
	              " 'a pass with a criterion not met was stored';"
	              " EXCEPTION WHEN check_violation THEN NULL; END $$",
	              id),
	    0, NULL);
	assert_string_equal(judgement(id, fx.ib->id), one);

	/* Her own data export holds the judgement too. */
	j = itest_jarr(itest_expect_json(
	                   itest_get("/api/v1/me/export", fx.ib->token), 200),
	               "trainings");
	e = json_array_get(j, 0);
	assert_int_equal(json_array_size(j), 1);
	assert_false(itest_jbool(e, "passed"));
	assert_false(itest_jbool(itest_jobj(e, "criteria"), "wegen"));
	assert_true(itest_jbool(itest_jobj(e, "criteria"), "overleg"));
	(void)itest_expect_time(itest_jstr(e, "judged_at"));

	/* Presence again without a judgement keeps the judgement. */
	expect_recorded(
	    attend_json(fx.trainer->token, id,
	                itest_fmt("[{\"email\":\"%s\"}]", fx.ib->email)),
	    1, 0);
	assert_string_equal(judgement(id, fx.ib->id), one);

	/* Judged again, all met (passed may be left out): the certificate. */
	expect_recorded(
	    attend_json(fx.trainer->token, id,
	                itest_fmt("[{\"email\":\"%s\"," AF_ALL_MET "},"
	                          "{\"email\":\"%s\"}]",
	                          fx.ib->email, fx.t->email)),
	    2, 1);
	assert_int_equal(af_certs(fx.ib->id), 1);
	all = judgement(id, fx.ib->id);
	assert_memory_equal(all, "true|{", 6);
	assert_null(strstr(all, "false"));
	e = session_attendee(&fx, id, fx.ib->id);
	assert_true(itest_jbool(e, "passed"));
	(void)itest_jstr(e, "certificate_code");
	for (i = 0; i < 6; i++)
		assert_true(itest_jbool(itest_jobj(e, "criteria"), ids[i]));
	/* The teacher: present, not judged. */
	e = session_attendee(&fx, id, fx.t->id);
	assert_false(itest_jbool(e, "passed"));
	assert_true(json_is_null(json_object_get(e, "criteria")));
	assert_true(json_is_null(json_object_get(e, "judged_by")));
	assert_int_equal(af_certs(fx.t->id), 0);
	assert_true(has_af(&fx));
	/* One audit line per recording that went through, none for the eight
	 * refused; the line counts the passes. */
	assert_string_equal(
	    org_db_text("SELECT string_agg(details->>'passed', ',' ORDER BY id)"
	                " FROM audit_log WHERE action = 'attendance'"
	                " AND target = $1 AND actor_id = $2",
	                2,
	                (const char *[]){itest_fmt("training:%ld", id),
	                                 itest_fmt("%ld", fx.trainer->id)}),
	    "0,0,1");
}

/* Anyone not on the active roster of a linked board: 403 and nothing
 * recorded, not even for the others on the list.  (A roster person without
 * an account is recorded: test_training_roster_person_registers_later.) */
static void
test_training_attendee_outside_boards(void **state)
{
	struct tr_fx       fx;
	struct itest_user *outsider = itest_new_teacher(); /* demo board */
	struct itest_user *unlinked = org_account("trainer", 0, 0);
	long               id, id_unlinked;
	const char        *cases[3];

	(void)state;
	tr_fixture(&fx);
	id = new_training(fx.trainer->token, "Grenzen");
	cases[0] = outsider->email;
	cases[1] = itest_unique_email(); /* nobody */
	cases[2] = NULL;
	for (size_t i = 0; cases[i] != NULL; i++) {
		itest_expect_error(
		    attend_json(
		        fx.trainer->token, id,
		        itest_fmt(
		            "[{\"email\":\"%s\",\"passed\":true," AF_ALL_MET
		            "},"
		            "{\"email\":\"%s\",\"passed\":true," AF_ALL_MET
		            "}]",
		            fx.ib->email, cases[i])),
		    403, "forbidden");
		assert_int_equal(attendance_rows(id), 0);
		assert_int_equal(af_certs(fx.ib->id), 0);
	}
	assert_int_equal(af_certs(outsider->id), 0);
	/* Someone who left the school (no longer on the roster). */
	itest_expect_json(
	    org_roster(fx.ba->token, fx.board,
	               itest_fmt("email,name,role,brin\n%s,%s,ib,%s\n",
	                         fx.ib->email, fx.ib->name, fx.s->brin)),
	    200);
	itest_expect_error(
	    attend_json(
	        fx.trainer->token, id,
	        itest_fmt("[{\"email\":\"%s\",\"passed\":true," AF_ALL_MET "}]",
	                  fx.t->email)),
	    403, "forbidden");
	assert_int_equal(af_certs(fx.t->id), 0);
	/* A trainer without a link to the board. */
	id_unlinked = new_training(unlinked->token, "Zonder koppeling");
	itest_expect_error(
	    attend_json(
	        unlinked->token, id_unlinked,
	        itest_fmt("[{\"email\":\"%s\",\"passed\":true," AF_ALL_MET "}]",
	                  fx.ib->email)),
	    403, "forbidden");
	assert_int_equal(attendance_rows(id_unlinked), 0);
	assert_int_equal(attendance_rows(id), 0);
	assert_false(has_af(&fx));
	/* The IB'er alone is fine: the refusals were about the others. */
	expect_recorded(
	    attend_json(
	        fx.trainer->token, id,
	        itest_fmt("[{\"email\":\"%s\",\"passed\":true," AF_ALL_MET "}]",
	                  fx.ib->email)),
	    1, 1);
	assert_true(has_af(&fx));
}

/* Only the trainer who created the session records its attendance. */
static void
test_training_other_trainer(void **state)
{
	struct tr_fx       fx;
	struct itest_user *other = org_account("trainer", 0, 0);
	long               id;
	const char        *who, *csv;

	(void)state;
	tr_fixture(&fx);
	/* Linked to the same board: still not this session's trainer. */
	org_link_trainer(other->id, fx.board);
	id = new_training(fx.trainer->token, "Van een ander");
	who = itest_fmt("[{\"email\":\"%s\",\"passed\":true," AF_ALL_MET "}]",
	                fx.ib->email);
	itest_expect_error(attend_json(other->token, id, who), 403,
	                   "forbidden");
	itest_expect_error(attend_json(org_demo_token("trainer"), id, who), 403,
	                   "forbidden");
	csv = itest_fmt("email,passed\n%s,ja\n", fx.ib->email);
	itest_expect_error(org_send("POST", attendance_path(id), other->token,
	                            "text/csv", csv, strlen(csv)),
	                   403, "forbidden");
	/* Not a trainer at all. */
	itest_expect_error(attend_json(fx.ba->token, id, who), 403,
	                   "forbidden");
	itest_expect_error(attend_json(fx.ib->token, id, who), 403,
	                   "forbidden");
	assert_int_equal(attendance_rows(id), 0);
	assert_int_equal(af_certs(fx.ib->id), 0);
	assert_false(has_af(&fx));
	itest_expect_error(attend_json(fx.trainer->token, 999999999, who), 404,
	                   "not_found");
}

/* A training can only stand in for a module done in person: an online
 * module's certificate needs its quiz. */
static void
test_training_online_module_refused(void **state)
{
	struct itest_user *tr = org_account("trainer", 0, 0);
	json_t            *err;

	(void)state;
	err = itest_expect_error(
	    itest_post_json("/api/v1/trainings", tr->token,
	                    "{\"title\":\"Snelcursus\",\"module_slug\":"
	                    "\"signalen-herkennen\",\"date\":\"2026-03-14\","
	                    "\"location\":\"Online\"}"),
	    422, "module_not_in_person");
	if (json_object_get(json_object_get(err, "fields"), "module_slug") ==
	    NULL)
		fail_msg("no fields.module_slug: %s", itest_dump(err));
	assert_int_equal(
	    org_db_long("SELECT count(*) FROM trainings"
	                " WHERE trainer_id = $1",
	                1, (const char *[]){itest_fmt("%ld", tr->id)}),
	    0);
}

/*
 * Attendance certifies only for an in-person module whose day has come: a
 * training dated in the future (its certificate would run from then), or
 * one made for an online module before that was refused, records nothing.
 */
static void
test_training_attendance_only_when_held(void **state)
{
	struct tr_fx fx;
	long         future, online;
	const char  *who;

	(void)state;
	tr_fixture(&fx);
	who = itest_fmt("[{\"email\":\"%s\",\"passed\":true," AF_ALL_MET "}]",
	                fx.ib->email);
	future = itest_jint(
	    itest_expect_json(
	        itest_post_json(
	            "/api/v1/trainings", fx.trainer->token,
	            "{\"title\":\"Later\",\"module_slug\":\"" AF_MODULE
	            "\",\"date\":\"2099-06-01\",\"location\":\"Utrecht\"}"),
	        201),
	    "id");
	itest_expect_error(attend_json(fx.trainer->token, future, who), 409,
	                   "training_not_held");
	assert_int_equal(attendance_rows(future), 0);
	/* As a training made before the in-person rule would be. */
	online = org_db_long(
	    "INSERT INTO trainings (trainer_id, title, module_id, held_on,"
	    " location) SELECT $1, 'Oud', m.id, '2026-03-14', 'Online'"
	    " FROM modules m WHERE m.slug = 'signalen-herkennen' RETURNING id",
	    1, (const char *[]){itest_fmt("%ld", fx.trainer->id)});
	itest_expect_error(
	    attend_json(fx.trainer->token, online,
	                itest_fmt("[{\"email\":\"%s\",\"passed\":false}]",
	                          fx.ib->email)),
	    409, "module_not_in_person");
	assert_int_equal(attendance_rows(online), 0);
	assert_int_equal(af_certs(fx.ib->id), 0);
}

/* The certificate of a training, as `issued_by|YYYY-MM-DD` (UTC date). */
static const char *
af_issue(long user_id)
{
	return org_db_text(
	    "SELECT concat_ws('|', c.issued_by, to_char(c.issued_at AT TIME "
	    "ZONE"
	    " 'UTC', 'YYYY-MM-DD')) FROM certificates c JOIN modules m"
	    " ON m.id = c.module_id WHERE c.user_id = $1"
	    " AND m.slug = '" AF_MODULE "'",
	    1, (const char *[]){itest_fmt("%ld", user_id)});
}

/* The waiting credit of a training: "passed|criteria judged|judged_by". */
static const char *
credit_of(long training)
{
	return org_db_text(
	    "SELECT concat_ws('|', passed::text, CASE WHEN criteria IS NOT NULL"
	    " THEN (SELECT count(*) FROM jsonb_object_keys(criteria))::text"
	    " ELSE '' END, coalesce(judged_by::text, '')) FROM training_credits"
	    " WHERE training_id = $1",
	    1, (const char *[]){itest_fmt("%ld", training)});
}

/*
 * Someone who registered with the school's join code but has not verified
 * the address: attendance is matched by the roster row, not the address,
 * and gives no certificate until the address is verified.
 */
static void
test_training_unverified_account(void **state)
{
	struct tr_fx       fx;
	struct itest_user *u;
	struct itest_resp *r;
	json_t            *j;
	long               id;

	(void)state;
	tr_fixture(&fx);
	u = org_register(fx.s->join_code, NULL); /* not verified */
	id = new_training(fx.trainer->token, "Nog niet bevestigd");
	/* Present first, judged later; present again keeps the pass. */
	expect_recorded(
	    attend_json(fx.trainer->token, id,
	                itest_fmt("[{\"email\":\"%s\"}]", u->email)),
	    1, 0);
	assert_string_equal(credit_of(id), "false||");
	r = attend_json(
	    fx.trainer->token, id,
	    itest_fmt("[{\"email\":\"%s\",\"passed\":true," AF_ALL_MET "}]",
	              u->email));
	expect_recorded(r, 1, 0);
	assert_int_equal(itest_jint(r->json, "pending"), 1);
	expect_recorded(
	    attend_json(fx.trainer->token, id,
	                itest_fmt("[{\"email\":\"%s\"}]", u->email)),
	    1, 0);
	assert_string_equal(credit_of(id),
	                    itest_fmt("true|6|%ld", fx.trainer->id));
	assert_int_equal(af_certs(u->id), 0);
	assert_int_equal(attendance_rows(id), 0);
	j = itest_expect_json(itest_get(itest_fmt("/api/v1/trainings/%ld", id),
	                                fx.trainer->token),
	                      200);
	assert_int_equal(json_array_size(itest_jarr(j, "attendance")), 0);
	assert_string_equal(
	    itest_jstr(json_array_get(itest_jarr(j, "pending"), 0), "email"),
	    u->email);
	/* Verified: the certificate of the training day, from the trainer. */
	org_verify_by_mail(u->email);
	assert_int_equal(af_certs(u->id), 1);
	assert_string_equal(af_issue(u->id),
	                    itest_fmt("%ld|2026-03-14", fx.trainer->id));
	assert_int_equal(attendance_rows(id), 1);
	assert_int_equal(org_db_long("SELECT count(*) FROM training_credits"
	                             " WHERE training_id = $1",
	                             1, (const char *[]){itest_fmt("%ld", id)}),
	                 0);
	/* Recorded again now: the same certificate, nothing new. */
	expect_recorded(
	    attend_json(
	        fx.trainer->token, id,
	        itest_fmt("[{\"email\":\"%s\",\"passed\":true," AF_ALL_MET "}]",
	                  u->email)),
	    1, 0);
	assert_int_equal(af_certs(u->id), 1);
	assert_int_equal(attendance_rows(id), 1);
}

/*
 * The usual order: an IB'er on the roster attends the training day before
 * having an account.  The attendance is kept (200, not 403); once the
 * person registers with the join code and verifies the address, the
 * certificate is there, dated the training day, issued by the trainer, and
 * the school has a certified aandachtsfunctionaris.
 */
static void
test_training_roster_person_registers_later(void **state)
{
	struct tr_fx       fx;
	struct itest_resp *r;
	const char        *email, *password, *csv;
	json_t            *j, *e;
	long               id, uid;
	size_t             i;
	bool               seen = false;

	(void)state;
	tr_fixture(&fx);
	email = itest_fmt("later-ib-%s@example.nl", org_tag());
	csv = itest_fmt("email,name,role,brin\n%s,%s,ib,%s\n%s,%s,teacher,%s\n"
	                "%s,Ilse Later,ib,%s\n",
	                fx.ib->email, fx.ib->name, fx.s->brin, fx.t->email,
	                fx.t->name, fx.s->brin, email, fx.s->brin);
	itest_expect_json(org_roster(fx.ba->token, fx.board, csv), 200);
	id = new_training(fx.trainer->token, "Eerst de training");
	r = attend_json(
	    fx.trainer->token, id,
	    itest_fmt("[{\"email\":\"%s\",\"passed\":true," AF_ALL_MET "}]",
	              email));
	expect_recorded(r, 1, 0);
	assert_int_equal(itest_jint(r->json, "pending"), 1);
	assert_false(has_af(&fx));
	e = org_find_by_id(
	    itest_expect_json(itest_get("/api/v1/trainings", fx.trainer->token),
	                      200),
	    "id", id);
	assert_int_equal(itest_jint(e, "pending"), 1);
	/* The judgement waits with the credit, and the session shows it. */
	j = itest_expect_json(itest_get(itest_fmt("/api/v1/trainings/%ld", id),
	                                fx.trainer->token),
	                      200);
	e = json_array_get(itest_jarr(j, "pending"), 0);
	assert_string_equal(itest_jstr(e, "email"), email);
	assert_true(itest_jbool(e, "passed"));
	assert_true(itest_jbool(itest_jobj(e, "criteria"), "gesprek-kind"));
	assert_int_equal(json_object_size(itest_jobj(e, "criteria")), 6);
	assert_int_equal(itest_jint(e, "judged_by"), fx.trainer->id);
	assert_int_equal(
	    org_db_long("SELECT count(*) FROM training_credits WHERE"
	                " training_id = $1 AND passed AND judged_by = $2"
	                " AND judged_at IS NOT NULL AND criteria->>'wegen' ="
	                " 'true' AND criteria_version IS NOT NULL",
	                2,
	                (const char *[]){itest_fmt("%ld", id),
	                                 itest_fmt("%ld", fx.trainer->id)}),
	    1);

	/* The account comes later. */
	password = itest_strong_password();
	j = itest_expect_json(
	    itest_post_json(
	        "/api/v1/auth/register", NULL,
	        itest_register_body(email, password, "Ilse", fx.s->join_code)),
	    201);
	uid = itest_jint(itest_jobj(j, "user"), "id");
	assert_int_equal(af_certs(uid),
	                 0); /* not before the address is proven */
	org_verify_by_mail(email);
	assert_int_equal(af_certs(uid), 1);
	assert_string_equal(af_issue(uid),
	                    itest_fmt("%ld|2026-03-14", fx.trainer->id));
	assert_true(has_af(&fx));
	/* The judgement went with the credit into her attendance. */
	assert_string_equal(
	    judgement(id, uid),
	    itest_fmt("true|{\"wegen\": true, \"opening\": true, "
	              "\"overleg\": true, \"luisteren\": true, "
	              "\"veiligheid\": true, \"gesprek-kind\": true}|"
	              "%ld|true",
	              fx.trainer->id));
	/* Hers, with the training day. */
	j = itest_expect_json(itest_get("/api/v1/me/certificates",
	                                itest_login_token(email, password)),
	                      200);
	json_array_foreach (j, i, e)
		if (strcmp(itest_jstr(e, "module_slug"), AF_MODULE) == 0) {
			seen = true;
			assert_true(itest_jbool(e, "valid"));
			assert_memory_equal(itest_jstr(e, "issued_at"),
			                    "2026-03-14", 10);
		}
	if (!seen)
		fail_msg("no certificate in her list: %s", itest_dump(j));
	e = org_find_by_id(
	    itest_expect_json(itest_get("/api/v1/trainings", fx.trainer->token),
	                      200),
	    "id", id);
	assert_int_equal(itest_jint(e, "attendees"), 1);
	assert_int_equal(itest_jint(e, "passed"), 1);
	assert_int_equal(itest_jint(e, "pending"), 0);
}

int
itest_run_trainings(void)
{
	const struct CMUnitTest tests[] = {
	    ITEST(test_training_create_and_list),
	    ITEST(test_training_attendance_json),
	    ITEST(test_training_attendance_csv),
	    ITEST(test_training_criteria_judged),
	    ITEST(test_training_attendee_outside_boards),
	    ITEST(test_training_other_trainer),
	    ITEST(test_training_online_module_refused),
	    ITEST(test_training_attendance_only_when_held),
	    ITEST(test_training_unverified_account),
	    ITEST(test_training_roster_person_registers_later),
	};

	return cmocka_run_group_tests_name("trainings", tests, NULL, NULL);
}
