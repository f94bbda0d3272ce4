/* SQL of the mailer: claiming due mail from the outbox, marking it sent or
 * failed, and queueing the monthly digest of each board admin. */
#include "store.h"

#include "../log.h"

/* STORE_MAIL_BATCH (store.h) as text, for the LIMIT of mail_claim. */
#define STR_(x) #x
#define STR(x) STR_(x)

const struct db_stmt store_mail_stmts[] = {
    {"mail_claim",
     "SELECT id, recipient, subject, body FROM mail_outbox"
     " WHERE sent_at IS NULL AND next_try <= now() ORDER BY id"
     " LIMIT " STR(STORE_MAIL_BATCH) " FOR UPDATE SKIP LOCKED",
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

enum db_status
store_mail_send_due(struct store_ctx *ctx, store_mail_send_fn send, void *arg,
                    int *claimed)
{
	PGresult      *rows;
	enum db_status st = db_begin(ctx->db);

	*claimed = 0;
	if (st == DB_OK)
		st = db_exec(ctx->db, ctx->arena, "mail_claim", 0, NULL, &rows);
	if (st != DB_OK)
		return db_finish(ctx->db, st);
	*claimed = PQntuples(rows);
	/* The rows stay locked while they are sent: two mailers never send
	 * one mail twice.  A failed mark is logged by db.c; the mail is then
	 * sent again later, which beats losing it. */
	for (int i = 0; i < *claimed; i++) {
		const char *v[2] = {db_value(rows, i, 0), "sendmail failed"};

		if (send(arg, db_value(rows, i, 1), db_value(rows, i, 2),
		         db_value(rows, i, 3)) == 0) {
			(void)db_exec(ctx->db, ctx->arena, "mail_sent", 1, v,
			              NULL);
		} else {
			log_error("mailer: mail %s to its recipient failed; "
			          "will retry",
			          v[0]);
			(void)db_exec(ctx->db, ctx->arena, "mail_failed", 2, v,
			              NULL);
		}
	}
	return db_finish(ctx->db, st);
}

/* The parts of one admin's digest: the board report and the certificates
 * that expire within 90 days, and the accounts the mail names (for erase). */
static enum db_status
digest_load(struct store_ctx *ctx, PGresult *admins, int i,
            struct store_digest *d, const char **people)
{
	const char    *v[1] = {db_value(admins, i, 2)};
	PGresult      *exp;
	enum db_status st;

	d->admin_email = db_value(admins, i, 0);
	d->admin_name = db_value(admins, i, 1);
	st = db_exec_value(ctx->db, ctx->arena, "board_coverage", 1, v,
	                   &d->board_coverage_json);
	if (st == DB_OK)
		st =
		    db_exec(ctx->db, ctx->arena, "digest_expiring", 1, v, &exp);
	if (st != DB_OK)
		return st;
	d->nexpiring = (size_t)PQntuples(exp);
	d->expiring =
	    arena_alloc(ctx->arena, (d->nexpiring + 1) * sizeof(*d->expiring));
	*people = arena_printf(ctx->arena, "{%s", db_value(admins, i, 3));
	for (size_t k = 0; k < d->nexpiring; k++) {
		d->expiring[k].school = db_value(exp, (int)k, 0);
		d->expiring[k].person = db_value(exp, (int)k, 1);
		d->expiring[k].module = db_value(exp, (int)k, 2);
		d->expiring[k].expires_on = db_value(exp, (int)k, 3);
		*people = arena_printf(ctx->arena, "%s,%s", *people,
		                       db_value(exp, (int)k, 4));
	}
	*people = arena_printf(ctx->arena, "%s}", *people);
	return DB_OK;
}

enum db_status
store_digest_queue(struct store_ctx *ctx, const char *subject,
                   store_digest_compose_fn compose, void *arg, int *queued)
{
	PGresult      *claim, *admins;
	enum db_status st = db_begin(ctx->db);

	*queued = 0;
	if (st == DB_OK)
		st = db_exec_row(ctx->db, ctx->arena, "digest_claim", 0, NULL,
		                 &claim);
	if (st == DB_OK)
		st = db_exec(ctx->db, ctx->arena, "digest_admins", 0, NULL,
		             &admins);
	for (int i = 0; st == DB_OK && i < PQntuples(admins); i++) {
		struct store_digest d;
		const char         *people = NULL, *v[4];

		st = digest_load(ctx, admins, i, &d, &people);
		v[0] = d.admin_email;
		v[1] = subject;
		v[2] = st == DB_OK ? compose(arg, ctx->arena, &d) : NULL;
		v[3] = people;
		if (st == DB_OK && v[2] == NULL)
			st = DB_ERROR;
		if (st == DB_OK)
			st = db_exec(ctx->db, ctx->arena, "mail_queue", 4, v,
			             NULL);
	}
	st = db_finish(ctx->db, st);
	if (st == DB_OK)
		*queued = PQntuples(admins);
	return st;
}
