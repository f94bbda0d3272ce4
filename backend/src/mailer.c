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
#include "json.h"
#include "log.h"
#include "signals.h"
#include "store/store.h"
#include "validate.h"

#define MAILER_INTERVAL 2 /* seconds between rounds */
/* A full batch (STORE_MAIL_BATCH) is followed at once by the next, up to
 * MAIL_BATCHES_MAX per round, so that a backlog (a study day's
 * registrations) drains at the speed of sendmail, not 20 per round. */
#define MAIL_BATCHES_MAX 50

/* Pipes one mail to the sendmail command; 0 when it took it.  `arg` is
 * the configuration (store_mail_send_fn). */
static int
send_one(void *arg, const char *to, const char *subject, const char *body)
{
	const struct config *c = arg;
	char                 enc[1024];
	FILE                *p;
	int                  status;

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

/* The digest of one board: coverage per school from the board report, and
 * the certificates that expire within 90 days (store_digest_compose_fn;
 * `arg` is the public URL). */
static const char *
digest_body(void *arg, struct arena *a, const struct store_digest *d)
{
	const char *public_url = arg;
	json_t     *doc =
	    arena_json(a, json_loads(d->board_coverage_json, 0, NULL));
	json_t *row;
	size_t  i;
	char   *body;

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
	    d->admin_name,
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
	body = arena_printf(a,
	                    "%s\nCertificaten die binnen 90 dagen verlopen: "
	                    "%d\n",
	                    body, (int)d->nexpiring);
	for (size_t k = 0; k < d->nexpiring; k++)
		body = arena_printf(
		    a, "%s- %s, %s: %s (verloopt %s)\n", body,
		    d->expiring[k].school, d->expiring[k].person,
		    d->expiring[k].module, d->expiring[k].expires_on);
	return arena_printf(a, "%s\nHet volledige overzicht: %s/board.html\n",
	                    body, public_url);
}

static void
queue_digest(const struct config *c, struct store_ctx *ctx)
{
	int            queued;
	enum db_status st = store_digest_queue(
	    ctx,
	    "Maandoverzicht training huiselijk geweld en kindermishandeling",
	    digest_body, (void *)c->public_url, &queued);

	if (st == DB_OK)
		log_info("mailer: monthly digest queued for %d board admins",
		         queued);
}

int
mailer_run(const struct config *c)
{
	static const struct db_stmt *const tables[] = {
	    store_mail_stmts,
	    store_coverage_stmts,
	    store_accounts_stmts,
	    NULL,
	};
	struct arena     a;
	struct db        db;
	struct store_ctx ctx = {.db = &db, .arena = &a};
	sigset_t         wait_mask;

	/* The mailer has no request to protect: signals come in at once (a
	 * sleep ends early, a pipe write to sendmail is restarted). */
	signals_setup(&wait_mask);
	sigprocmask(SIG_SETMASK, &wait_mask, NULL);
	db_init(&db, c->database_url, tables, c->statement_timeout);
	arena_init(&a, 64 * 1024);
	while (!signals_stop) {
		if (signals_reopen) {
			signals_reopen = 0;
			log_reopen();
		}
		if (db_ensure(&db) == DB_OK) {
			queue_digest(c, &ctx);
			for (int b = 0; b < MAIL_BATCHES_MAX && !signals_stop;
			     b++) {
				int n;

				if (store_mail_send_due(&ctx, send_one,
				                        (void *)c, &n) != DB_OK)
					n = 0;
				arena_reset(&a);
				if (n < STORE_MAIL_BATCH)
					break;
			}
			db_end_request(&db);
		}
		arena_reset(&a);
		for (int i = 0; i < MAILER_INTERVAL * 10 && !signals_stop &&
		                !signals_reopen;
		     i++)
			usleep(100000);
	}
	arena_destroy(&a);
	db_close(&db);
	return 0;
}
