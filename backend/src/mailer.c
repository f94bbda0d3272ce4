/*
 * The mailer: one process beside the workers.  Mail is queued in
 * mail_outbox by whatever caused it; this loop claims due rows (SKIP LOCKED,
 * so two mailers never send one mail twice), pipes each to the sendmail
 * command, and marks it sent or schedules a retry with backoff.  A row is
 * never deleted.  Once a month it queues a digest per board admin.
 */
#include "mailer.h"

#include <jansson.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "store/store.h"
#include "validate.h"

#define MAILER_INTERVAL 2 /* seconds between rounds */
/* Rows claimed per transaction; a full batch is followed at once by the
 * next, up to MAIL_BATCHES_MAX per round, so that a backlog (a study day's
 * registrations) drains at the speed of sendmail, not 20 per round. */
#define MAIL_BATCH 20
#define MAIL_BATCHES_MAX 50
#define STR_(x) #x
#define STR(x) STR_(x)

static volatile sig_atomic_t stopping;

static const struct db_stmt mailer_stmts[] = {
    {"mail_claim",
     "SELECT id, recipient, subject, body FROM mail_outbox"
     " WHERE sent_at IS NULL AND next_try <= now() ORDER BY id"
     " LIMIT " STR(MAIL_BATCH) " FOR UPDATE SKIP LOCKED",
     0},
    {"mail_sent",
     "UPDATE mail_outbox SET sent_at = now(), attempts = attempts + 1,"
     " last_error = NULL WHERE id = $1",
     1},
    {"mail_failed",
     "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2,"
     " next_try = now() + make_interval(secs => least(3600,"
     " 30 * power(2, attempts)::int)) WHERE id = $1",
     2},
    /* Claims this month's digest; no row when it was queued already. */
    {"digest_claim",
     "INSERT INTO digest_runs (month) VALUES (date_trunc('month', now())::date)"
     " ON CONFLICT DO NOTHING RETURNING month",
     0},
    {"digest_admins",
     "SELECT u.email, u.name, u.board_id, u.id FROM users u"
     " WHERE u.role = 'board_admin' AND u.erased_at IS NULL"
     " AND u.board_id IS NOT NULL ORDER BY u.id",
     0},
    {"digest_expiring",
     "SELECT s.name, st.name, m.title, to_char(c.expires_at, 'DD-MM-YYYY'),"
     " st.user_id"
     " FROM staff st JOIN schools s ON s.id = st.school_id"
     " JOIN certificates c ON c.user_id = st.user_id"
     " JOIN modules m ON m.id = c.module_id"
     " WHERE s.board_id = $1 AND st.left_at IS NULL"
     " AND c.expires_at > now() AND c.expires_at <= now() + interval '90 days'"
     " ORDER BY c.expires_at LIMIT 100",
     1},
    {0},
};

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

/* Pipes one mail to the sendmail command; 0 when it took it. */
static int
send_one(const struct config *c, const char *to, const char *subject,
         const char *body)
{
	char  enc[1024];
	FILE *p;
	int   status;

	if (!validate_email(to) || strlen(subject) > 300)
		return -1;
	sodium_bin2base64(enc, sizeof(enc), (const unsigned char *)subject,
	                  strlen(subject), sodium_base64_VARIANT_ORIGINAL);
	p = popen(c->sendmail, "w");
	if (p == NULL)
		return -1;
	fprintf(p,
	        "From: %s\nTo: <%s>\nSubject: =?UTF-8?B?%s?=\n"
	        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
	        "Content-Transfer-Encoding: 8bit\n\n",
	        c->mail_from, to, enc);
	fputs(body, p);
	status = pclose(p);
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0
	           ? 0
	           : -1;
}

/* Sends one batch of due mail; returns the number of rows claimed, or -1
 * when the database failed. */
static int
send_due(const struct config *c, struct db *db, struct arena *a)
{
	PGresult *rows;
	int       n;

	if (db_begin(db) != DB_OK)
		return -1;
	if (db_exec(db, a, "mail_claim", 0, NULL, &rows) != DB_OK) {
		db_rollback(db);
		return -1;
	}
	n = PQntuples(rows);
	for (int i = 0; i < n; i++) {
		const char *id[2] = {db_value(rows, i, 0), "sendmail failed"};

		if (send_one(c, db_value(rows, i, 1), db_value(rows, i, 2),
		             db_value(rows, i, 3)) == 0)
			db_exec(db, a, "mail_sent", 1, id, NULL);
		else {
			log_error("mailer: mail %s to its recipient failed; "
			          "will retry",
			          id[0]);
			db_exec(db, a, "mail_failed", 2, id, NULL);
		}
	}
	if (db_commit(db) != DB_OK) {
		db_rollback(db);
		return -1;
	}
	return n;
}

/* The digest of one board: coverage per school from the board report, and
 * the certificates that expire within 90 days.  *people gets the accounts
 * it names, after the admin's own id, as a bigint[] literal (for erase). */
static char *
digest_body(struct db *db, struct arena *a, const char *name,
            const char *board_id, const char *admin_id, const char *public_url,
            const char **people)
{
	const char *v[1] = {board_id};
	PGresult   *res, *exp;
	json_t     *doc, *row;
	size_t      i;
	char       *body;

	if (db_exec(db, a, "board_coverage", 1, v, &res) != DB_OK ||
	    db_exec(db, a, "digest_expiring", 1, v, &exp) != DB_OK)
		return NULL;
	doc = json_loads(db_value(res, 0, 0), 0, NULL);
	if (doc == NULL)
		return NULL;
	body = arena_printf(
	    a,
	    "Beste %s,\n\nHier is het maandoverzicht van %s.\n\n"
	    "Dekking: %.1f%% van de medewerkers heeft alle verplichte "
	    "modules.\n"
	    "Scholen met een gecertificeerde aandachtsfunctionaris: %lld van "
	    "%lld."
	    "\n\nPer school (gecertificeerd / medewerkers):\n",
	    name,
	    json_string_value(
	        json_object_get(json_object_get(doc, "board"), "name")),
	    json_number_value(json_object_get(json_object_get(doc, "totals"),
	                                      "coverage_pct")),
	    (long long)json_integer_value(json_object_get(
	        json_object_get(doc, "totals"), "schools_with_af")),
	    (long long)json_integer_value(
	        json_object_get(json_object_get(doc, "totals"), "schools")));
	json_array_foreach (json_object_get(doc, "schools"), i, row)
		body = arena_printf(
		    a, "%s- %s: %lld / %lld%s\n", body,
		    json_string_value(json_object_get(row, "name")),
		    (long long)json_integer_value(
		        json_object_get(row, "teachers_certified")),
		    (long long)json_integer_value(
		        json_object_get(row, "teachers")),
		    json_is_true(json_object_get(row, "has_certified_af"))
		        ? ""
		        : " (geen gecertificeerde aandachtsfunctionaris)");
	json_decref(doc);
	body = arena_printf(
	    a, "%s\nCertificaten die binnen 90 dagen verlopen: %d\n", body,
	    PQntuples(exp));
	*people = arena_printf(a, "{%s", admin_id);
	for (int k = 0; k < PQntuples(exp); k++) {
		body = arena_printf(a, "%s- %s, %s: %s (verloopt %s)\n", body,
		                    db_value(exp, k, 0), db_value(exp, k, 1),
		                    db_value(exp, k, 2), db_value(exp, k, 3));
		*people =
		    arena_printf(a, "%s,%s", *people, db_value(exp, k, 4));
	}
	*people = arena_printf(a, "%s}", *people);
	return arena_printf(a, "%s\nHet volledige overzicht: %s/board.html\n",
	                    body, public_url);
}

static void
queue_digest(const struct config *c, struct db *db, struct arena *a)
{
	PGresult *claim, *admins;

	if (db_begin(db) != DB_OK)
		return;
	if (db_exec(db, a, "digest_claim", 0, NULL, &claim) != DB_OK ||
	    PQntuples(claim) == 0) {
		db_rollback(db);
		return;
	}
	if (db_exec(db, a, "digest_admins", 0, NULL, &admins) != DB_OK) {
		db_rollback(db);
		return;
	}
	for (int i = 0; i < PQntuples(admins); i++) {
		const char *people = NULL;
		char       *body = digest_body(
		          db, a, db_value(admins, i, 1), db_value(admins, i, 2),
		          db_value(admins, i, 3), c->public_url, &people);
		const char *v[4] = {
		    db_value(admins, i, 0),
		    "Maandoverzicht training huiselijk geweld en "
		    "kindermishandeling",
		    body, people};

		if (body == NULL ||
		    db_exec(db, a, "mail_queue", 4, v, NULL) != DB_OK) {
			db_rollback(db);
			return;
		}
	}
	if (db_commit(db) != DB_OK)
		db_rollback(db);
	else
		log_info("mailer: monthly digest queued for %d board admins",
		         PQntuples(admins));
}

int
mailer_run(const struct config *c)
{
	static const struct db_stmt *const tables[] = {
	    mailer_stmts,
	    store_coverage_stmts,
	    store_accounts_stmts,
	    NULL,
	};
	struct sigaction sa;
	struct arena     a;
	struct db        db;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	db_init(&db, c->database_url, tables, c->statement_timeout);
	arena_init(&a, 64 * 1024);
	while (!stopping) {
		if (db_ensure(&db) == DB_OK) {
			queue_digest(c, &db, &a);
			for (int b = 0; b < MAIL_BATCHES_MAX && !stopping;
			     b++) {
				int n = send_due(c, &db, &a);

				arena_reset(&a);
				if (n < MAIL_BATCH)
					break;
			}
			db_end_request(&db);
		}
		arena_reset(&a);
		for (int i = 0; i < MAILER_INTERVAL * 10 && !stopping; i++)
			usleep(100000);
	}
	arena_destroy(&a);
	db_close(&db);
	return 0;
}
