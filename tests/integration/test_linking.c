/* Integration tests: a roster line that names another board's account
 * links nothing without its owner's consent (invitations), and what
 * verification links; issue 11, point 1. */
#include "itest_org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AF_MODULE "af-praktijktraining"

/* Two fresh boards, A and B, each with one school and its admin. */
struct link_fx {
	long               board_a, board_b;
	struct org_school *sa, *sb;
	struct itest_user *ba_a, *ba_b;
};

static void
link_fixture(struct link_fx *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->board_a = org_board(0);
	fx->board_b = org_board(0);
	fx->sa = org_school(fx->board_a, NULL, NULL);
	fx->sb = org_school(fx->board_b, NULL, NULL);
	fx->ba_a = org_account("board_admin", fx->board_a, 0);
	fx->ba_b = org_account("board_admin", fx->board_b, 0);
}

/* A teacher of board B who verified the address through the mail. */
static struct itest_user *
b_teacher(const struct link_fx *fx)
{
	struct itest_user *u = org_register(fx->sb->join_code, NULL);

	org_verify_by_mail(u->email);
	return u;
}

/* What the account itself says about its place: role|school|board|name. */
static const char *
account_place(long user_id)
{
	return org_db_text("SELECT concat_ws('|', role, school_id, board_id,"
	                   " name) FROM users WHERE id = $1",
	                   1, (const char *[]){itest_fmt("%ld", user_id)});
}

static json_t *
roster_ok(const char *token, long board, const char *csv)
{
	return itest_expect_json(org_roster(token, board, csv), 200);
}

static void
expect_invited(const json_t *j, long invited)
{
	if (itest_jint(j, "invited") != invited)
		fail_msg("roster: expected invited %ld: %s", invited,
		         itest_dump(j));
}

/* The staff-list entry of `email` at a school of board `board`. */
static json_t *
staff_entry(const char *token, long board, long school, const char *email)
{
	json_t *e = org_staff_entry(token, board, school, email);

	if (e == NULL)
		fail_msg("%s is not in the staff list of school %ld", email,
		         school);
	return e;
}

static long
certified_teachers(const char *token, long board)
{
	json_t *cov = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/coverage", board), token),
	    200);

	return itest_jint(itest_jobj(cov, "totals"), "teachers_certified");
}

/* Invitation mails queued to the account's stored address from board. */
static long
invitation_mails(long user_id, long board)
{
	return org_db_long(
	    "SELECT count(*) FROM mail_outbox m JOIN users u"
	    " ON u.email = m.recipient JOIN boards b ON b.id = $2"
	    " WHERE u.id = $1 AND m.subject = 'Uitnodiging van ' || b.name",
	    2,
	    (const char *[]){itest_fmt("%ld", user_id),
	                     itest_fmt("%ld", board)});
}

static json_t *
my_invitations(const char *token)
{
	json_t *j =
	    itest_expect_json(itest_get("/api/v1/me/invitations", token), 200);

	if (!json_is_array(j))
		fail_msg("not a list: %s", itest_dump(j));
	return j;
}

static struct itest_resp *
answer(const char *token, long id, const char *what)
{
	return itest_post_json(
	    itest_fmt("/api/v1/me/invitations/%ld/%s", id, what), token, NULL);
}

static long
staff_user(long school, const char *email)
{
	char *v =
	    org_db_text("SELECT coalesce(user_id, 0) FROM staff"
	                " WHERE school_id = $1 AND email = lower($2)"
	                " AND left_at IS NULL",
	                2, (const char *[]){itest_fmt("%ld", school), email});

	if (v == NULL)
		fail_msg("no open stay of %s at school %ld", email, school);
	return strtol(v, NULL, 10);
}

/* Tests. */

/*
 * Board A puts board B's verified, certified teacher on its roster: the
 * account stays where it is, A sees the row as invited and does not count
 * the certificates, the owner gets a mail and a notice; a re-import asks
 * nobody again; accepting links the row (counted for both boards) and
 * still moves nothing; a later re-import keeps the link.
 */
static void
test_linking_other_board_accept(void **state)
{
	struct link_fx     fx;
	struct itest_user *p, *stranger;
	const char        *place, *csv, *own;
	json_t            *j, *inv, *e;
	long               inv_id;

	(void)state;
	link_fixture(&fx);
	p = b_teacher(&fx);
	org_certify_role(p->id, "teacher", "1 day", "2 years");
	assert_int_equal(certified_teachers(fx.ba_b->token, fx.board_b), 1);
	place = account_place(p->id);
	own = itest_fmt("eigen-%s@example.nl", org_tag());
	csv = itest_fmt("email,name,role,brin\n%s,Gedeelde Kracht,teacher,%s\n"
	                "%s,Eigen Leerkracht,teacher,%s\n",
	                p->email, fx.sa->brin, own, fx.sa->brin);
	j = roster_ok(fx.ba_a->token, fx.board_a, csv);
	assert_int_equal(itest_jint(j, "created"), 2);
	expect_invited(j, 1);

	/* Nothing about the account changed. */
	assert_string_equal(account_place(p->id), place);
	j = itest_expect_json(itest_get("/api/v1/me", p->token), 200);
	assert_int_equal(itest_jint(itest_jobj(j, "school"), "id"), fx.sb->id);
	assert_int_equal(itest_jint(itest_jobj(j, "board"), "id"), fx.board_b);
	/* A sees an invited row without a person, and counts nothing. */
	e = staff_entry(fx.ba_a->token, fx.board_a, fx.sa->id, p->email);
	assert_string_equal(itest_jstr(e, "link"), "invited");
	assert_false(itest_jbool(e, "registered"));
	assert_true(json_is_null(json_object_get(e, "user_id")));
	if (itest_json_has_text(itest_jarr(e, "modules"), "completed"))
		fail_msg("A sees B's certificates: %s", itest_dump(e));
	assert_string_equal(
	    itest_jstr(staff_entry(fx.ba_a->token, fx.board_a, fx.sa->id, own),
	               "link"),
	    "none");
	assert_int_equal(certified_teachers(fx.ba_a->token, fx.board_a), 0);
	assert_int_equal(staff_user(fx.sa->id, p->email), 0);
	/* One mail to the stored address, naming A's school. */
	assert_int_equal(invitation_mails(p->id, fx.board_a), 1);
	assert_int_equal(
	    org_db_long("SELECT count(*) FROM mail_outbox WHERE recipient = $1"
	                " AND position($2 in body) > 0",
	                2, (const char *[]){p->email, fx.sa->name}),
	    1);
	/* The notice. */
	inv = my_invitations(p->token);
	assert_int_equal(json_array_size(inv), 1);
	e = json_array_get(inv, 0);
	inv_id = itest_jint(e, "id");
	assert_int_equal(itest_jint(itest_jobj(e, "board"), "id"), fx.board_a);
	assert_int_equal(itest_jint(itest_jobj(e, "school"), "id"), fx.sa->id);
	assert_string_equal(itest_jstr(e, "role"), "teacher");

	/* Nobody else can answer it, or see it. */
	stranger = b_teacher(&fx);
	itest_expect_error(answer(stranger->token, inv_id, "accept"), 404,
	                   "not_found");
	assert_int_equal(json_array_size(my_invitations(stranger->token)), 0);
	itest_expect_error(itest_get("/api/v1/me/invitations", fx.ba_a->token),
	                   403, "forbidden");
	itest_expect_error(answer(p->token, 999999999, "accept"), 404,
	                   "not_found");

	/* The same roster again: nobody asked twice. */
	j = roster_ok(fx.ba_a->token, fx.board_a, csv);
	assert_int_equal(itest_jint(j, "unchanged"), 2);
	expect_invited(j, 0);
	assert_int_equal(invitation_mails(p->id, fx.board_a), 1);
	assert_int_equal(json_array_size(my_invitations(p->token)), 1);

	/* Accepted: the row is the person's, counted for both boards. */
	j = itest_expect_json(answer(p->token, inv_id, "accept"), 200);
	assert_string_equal(itest_jstr(j, "status"), "accepted");
	assert_int_equal(staff_user(fx.sa->id, p->email), p->id);
	e = staff_entry(fx.ba_a->token, fx.board_a, fx.sa->id, p->email);
	assert_string_equal(itest_jstr(e, "link"), "linked");
	assert_int_equal(itest_jint(e, "user_id"), p->id);
	assert_int_equal(certified_teachers(fx.ba_a->token, fx.board_a), 1);
	assert_int_equal(certified_teachers(fx.ba_b->token, fx.board_b), 1);
	assert_string_equal(account_place(p->id), place);
	assert_int_equal(json_array_size(my_invitations(p->token)), 0);
	itest_expect_error(answer(p->token, inv_id, "accept"), 409, "conflict");
	itest_expect_error(answer(p->token, inv_id, "decline"), 409,
	                   "conflict");
	/* The owner's consent is on record. */
	assert_int_equal(
	    org_db_long("SELECT count(*) FROM audit_log WHERE actor_id = $1"
	                " AND action = 'invitation_accept'",
	                1, (const char *[]){itest_fmt("%ld", p->id)}),
	    1);

	/* Re-imported: the link stays, nobody is asked. */
	j = roster_ok(fx.ba_a->token, fx.board_a, csv);
	expect_invited(j, 0);
	assert_int_equal(staff_user(fx.sa->id, p->email), p->id);
	assert_int_equal(invitation_mails(p->id, fx.board_a), 1);
	assert_int_equal(certified_teachers(fx.ba_a->token, fx.board_a), 1);
	assert_string_equal(account_place(p->id), place);
}

/* Declined: the row stays without a person ("declined"), the account keeps
 * its role, and re-imports do not ask again. */
static void
test_linking_other_board_decline(void **state)
{
	struct link_fx     fx;
	struct itest_user *q;
	const char        *place, *csv;
	json_t            *j, *e;
	long               inv_id;

	(void)state;
	link_fixture(&fx);
	q = b_teacher(&fx);
	place = account_place(q->id);
	/* As an IB'er: the old import made the account one. */
	csv = itest_fmt("email,name,role,brin\n%s,Q Invaller,ib,%s\n", q->email,
	                fx.sa->brin);
	expect_invited(roster_ok(fx.ba_a->token, fx.board_a, csv), 1);
	assert_string_equal(account_place(q->id), place);
	inv_id = itest_jint(json_array_get(my_invitations(q->token), 0), "id");
	assert_string_equal(
	    itest_jstr(json_array_get(my_invitations(q->token), 0), "role"),
	    "ib");

	j = itest_expect_json(answer(q->token, inv_id, "decline"), 200);
	assert_string_equal(itest_jstr(j, "status"), "declined");
	e = staff_entry(fx.ba_a->token, fx.board_a, fx.sa->id, q->email);
	assert_string_equal(itest_jstr(e, "link"), "declined");
	assert_true(json_is_null(json_object_get(e, "user_id")));
	assert_int_equal(staff_user(fx.sa->id, q->email), 0);
	assert_string_equal(account_place(q->id), place);
	assert_int_equal(json_array_size(my_invitations(q->token)), 0);
	itest_expect_error(answer(q->token, inv_id, "accept"), 409, "conflict");

	/* Uploaded again, twice: still declined, no new mail. */
	expect_invited(roster_ok(fx.ba_a->token, fx.board_a, csv), 0);
	expect_invited(roster_ok(fx.ba_a->token, fx.board_a, csv), 0);
	assert_int_equal(invitation_mails(q->id, fx.board_a), 1);
	assert_int_equal(json_array_size(my_invitations(q->token)), 0);
	assert_int_equal(staff_user(fx.sa->id, q->email), 0);
	assert_string_equal(account_place(q->id), place);

	/* Taken off the roster and listed again (a new stay): the answer
	 * holds for the board, so no new invitation and no new mail. */
	roster_ok(fx.ba_a->token, fx.board_a,
	          itest_fmt("email,name,role,brin\nander-%s@example.nl,Ander,"
	                    "teacher,%s\n",
	                    org_tag(), fx.sa->brin));
	expect_invited(roster_ok(fx.ba_a->token, fx.board_a, csv), 0);
	assert_int_equal(invitation_mails(q->id, fx.board_a), 1);
	assert_int_equal(json_array_size(my_invitations(q->token)), 0);
	e = staff_entry(fx.ba_a->token, fx.board_a, fx.sa->id, q->email);
	assert_string_equal(itest_jstr(e, "link"), "declined");
}

/*
 * An unverified account is matched by nobody.  Verifying the address links
 * its rows at its own board (here a second school of B) and turns the rows
 * of another board into invitations.
 */
static void
test_linking_on_verify(void **state)
{
	struct link_fx     fx;
	struct org_school *sb2;
	struct itest_user *w;
	const char        *place;
	json_t            *j, *inv;

	(void)state;
	link_fixture(&fx);
	sb2 = org_school(fx.board_b, NULL, NULL);
	w = org_register(fx.sb->join_code, NULL);
	j = roster_ok(fx.ba_a->token, fx.board_a,
	              itest_fmt("email,name,role,brin\n%s,W,teacher,%s\n",
	                        w->email, fx.sa->brin));
	expect_invited(j, 0);
	roster_ok(fx.ba_b->token, fx.board_b,
	          itest_fmt("email,name,role,brin\n%s,W,teacher,%s\n", w->email,
	                    sb2->brin));
	assert_int_equal(staff_user(fx.sa->id, w->email), 0);
	assert_int_equal(staff_user(sb2->id, w->email), 0);
	assert_int_equal(json_array_size(my_invitations(w->token)), 0);
	assert_int_equal(invitation_mails(w->id, fx.board_a), 0);
	place = account_place(w->id);

	org_verify_by_mail(w->email);
	/* Its own board: linked.  Another board: asked. */
	assert_int_equal(staff_user(sb2->id, w->email), w->id);
	assert_int_equal(staff_user(fx.sa->id, w->email), 0);
	inv = my_invitations(w->token);
	assert_int_equal(json_array_size(inv), 1);
	assert_int_equal(
	    itest_jint(itest_jobj(json_array_get(inv, 0), "board"), "id"),
	    fx.board_a);
	assert_int_equal(invitation_mails(w->id, fx.board_a), 1);
	assert_string_equal(itest_jstr(staff_entry(fx.ba_a->token, fx.board_a,
	                                           fx.sa->id, w->email),
	                               "link"),
	                    "invited");
	assert_string_equal(account_place(w->id), place);
}

/* As before: a verified account of the same board, or of no school yet,
 * is linked and follows the roster. */
static void
test_linking_same_board_and_no_school(void **state)
{
	struct link_fx     fx;
	struct org_school *sb2;
	struct itest_user *v, *n;

	(void)state;
	link_fixture(&fx);
	sb2 = org_school(fx.board_b, NULL, NULL);
	v = b_teacher(&fx);
	n = b_teacher(&fx);
	/* n has left its school: an account without one. */
	assert_int_equal(
	    org_db_exec("UPDATE users SET school_id = NULL, board_id = NULL"
	                " WHERE id = $1",
	                1, (const char *[]){itest_fmt("%ld", n->id)}),
	    1);
	expect_invited(roster_ok(fx.ba_b->token, fx.board_b,
	                         itest_fmt("email,name,role,brin\n%s,V,ib,%s\n",
	                                   v->email, sb2->brin)),
	               0);
	assert_int_equal(staff_user(sb2->id, v->email), v->id);
	assert_string_equal(
	    account_place(v->id),
	    itest_fmt("ib|%ld|%ld|%s", sb2->id, fx.board_b, v->name));
	expect_invited(
	    roster_ok(fx.ba_a->token, fx.board_a,
	              itest_fmt("email,name,role,brin\n%s,N,teacher,%s\n",
	                        n->email, fx.sa->brin)),
	    0);
	assert_int_equal(staff_user(fx.sa->id, n->email), n->id);
	assert_string_equal(
	    account_place(n->id),
	    itest_fmt("teacher|%ld|%ld|%s", fx.sa->id, fx.board_a, n->name));
	assert_int_equal(json_array_size(my_invitations(v->token)), 0);
	assert_int_equal(json_array_size(my_invitations(n->token)), 0);
}

/*
 * A shared IB'er of board B attends board A's in-person training before
 * accepting A's invitation: the credit waits on A's row (no certificate),
 * and accepting turns it into the certificate, dated the training day and
 * issued by the trainer, which A's coverage then counts.
 */
static void
test_linking_training_credit_on_accept(void **state)
{
	struct link_fx     fx;
	struct itest_user *r, *trainer;
	json_t            *j, *cov, *row;
	long               training, inv_id;
	const char        *certs;

	(void)state;
	link_fixture(&fx);
	trainer = org_account("trainer", 0, 0);
	org_link_trainer(trainer->id, fx.board_a);
	r = b_teacher(&fx);
	expect_invited(roster_ok(fx.ba_a->token, fx.board_a,
	                         itest_fmt("email,name,role,brin\n%s,R,ib,%s\n",
	                                   r->email, fx.sa->brin)),
	               1);
	training = itest_jint(
	    itest_expect_json(
	        itest_post_json(
	            "/api/v1/trainings", trainer->token,
	            "{\"title\":\"AF-dag\",\"module_slug\":\"" AF_MODULE
	            "\",\"date\":\"2026-03-14\","
	            "\"location\":\"Zwolle\"}"),
	        201),
	    "id");
	j = itest_expect_json(
	    itest_post_json(
	        itest_fmt("/api/v1/trainings/%ld/attendance", training),
	        trainer->token,
	        itest_fmt("{\"attendees\":[{\"email\":\"%s\",\"passed\":"
	                  "true," AF_ALL_MET "}]}",
	                  r->email)),
	    200);
	assert_int_equal(itest_jint(j, "certificates_issued"), 0);
	assert_int_equal(itest_jint(j, "pending"), 1);
	certs = "SELECT count(*) FROM certificates c JOIN modules m"
	        " ON m.id = c.module_id WHERE c.user_id = $1"
	        " AND m.slug = '" AF_MODULE "'";
	assert_int_equal(
	    org_db_long(certs, 1, (const char *[]){itest_fmt("%ld", r->id)}),
	    0);

	inv_id = itest_jint(json_array_get(my_invitations(r->token), 0), "id");
	j = itest_expect_json(answer(r->token, inv_id, "accept"), 200);
	assert_int_equal(itest_jint(j, "certificates_issued"), 1);
	assert_int_equal(
	    org_db_long(certs, 1, (const char *[]){itest_fmt("%ld", r->id)}),
	    1);
	assert_string_equal(
	    org_db_text(
	        "SELECT concat_ws('|', c.issued_by,"
	        " to_char(c.issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'))"
	        " FROM certificates c JOIN modules m ON m.id = c.module_id"
	        " WHERE c.user_id = $1 AND m.slug = '" AF_MODULE "'",
	        1, (const char *[]){itest_fmt("%ld", r->id)}),
	    itest_fmt("%ld|2026-03-14", trainer->id));
	cov = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%ld/coverage", fx.board_a),
	              fx.ba_a->token),
	    200);
	row =
	    org_find_by_id(itest_jarr(cov, "schools"), "school_id", fx.sa->id);
	assert_true(itest_jbool(row, "has_certified_af"));
	/* Accepting twice issues nothing twice. */
	itest_expect_error(answer(r->token, inv_id, "accept"), 409, "conflict");
	assert_int_equal(
	    org_db_long(certs, 1, (const char *[]){itest_fmt("%ld", r->id)}),
	    1);
}

/*
 * Erasing an account withdraws its open invitations: otherwise the row
 * could still be linked to the erased account, and the invitation kept
 * the link between the person and the other board.
 */
static void
test_linking_erase_drops_invitation(void **state)
{
	struct link_fx     fx;
	struct itest_user *q;

	(void)state;
	link_fixture(&fx);
	q = b_teacher(&fx);
	expect_invited(
	    roster_ok(
	        fx.ba_a->token, fx.board_a,
	        itest_fmt("email,name,role,brin\n%s,Q Invaller,teacher,%s\n",
	                  q->email, fx.sa->brin)),
	    1);
	assert_int_equal(
	    org_db_long("SELECT count(*) FROM staff_invitations"
	                " WHERE user_id = $1 AND status = 'pending'",
	                1, (const char *[]){itest_fmt("%ld", q->id)}),
	    1);
	itest_expect_status(
	    org_send("POST", itest_fmt("/api/v1/users/%ld/erase", q->id),
	             org_admin(), "application/json", "{}", 2),
	    204);
	assert_int_equal(
	    org_db_long("SELECT count(*) FROM staff_invitations"
	                " WHERE user_id = $1 AND status = 'pending'",
	                1, (const char *[]){itest_fmt("%ld", q->id)}),
	    0);
}

int
itest_run_linking(void)
{
	const struct CMUnitTest tests[] = {
	    ITEST(test_linking_other_board_accept),
	    ITEST(test_linking_other_board_decline),
	    ITEST(test_linking_on_verify),
	    ITEST(test_linking_same_board_and_no_school),
	    ITEST(test_linking_training_credit_on_accept),
	    ITEST(test_linking_erase_drops_invitation),
	};

	return cmocka_run_group_tests_name("linking", tests, NULL, NULL);
}
