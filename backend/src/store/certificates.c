/* SQL of attempts and certificates: exactly one completion per pass while a
 * certificate is valid, the learner's list, and public verification. */
#include "store.h"
#include "reader.h"

#include <string.h>

#include "../auth.h"

const struct db_stmt store_certificates_stmts[] = {
    /* Serialises attempts of one person on one module, so that two identical
     * passing attempts sent at once issue one certificate. */
    {"attempt_lock",
     "SELECT pg_advisory_xact_lock(hashtextextended($1::text || ':' || "
     "$2::text, 0))",
     2},
    /* The attempt with the terms it was started with; the objectives with
     * their sections, and the titles of those still active to reread. */
    {"quiz_attempt_get",
     "SELECT a.id, m.id, a.module_version, a.pass_mark, a.validity_months,"
     " m.active, a.draw,"
     " (SELECT coalesce(json_agg(json_build_object('id', o.id,"
     "   'title', o.title, 'sections', o.sections,"
     "   'reread', (SELECT coalesce(json_agg(json_build_object('id', s.id,"
     "     'title', s.title) ORDER BY array_position(o.sections, s.id)),"
     "     '[]') FROM sections s WHERE s.module_id = o.module_id"
     "     AND s.id = ANY (o.sections) AND s.active))"
     "   ORDER BY o.position), '[]')"
     "   FROM quiz_objectives o WHERE o.module_id = m.id)"
     " FROM quiz_attempts a JOIN modules m ON m.id = a.module_id"
     " WHERE a.id = $1 AND a.user_id = $2 AND m.slug = $3"
     " AND a.draw IS NOT NULL",
     3},
    /* Runs after the lock, so its snapshot sees the other's commit. */
    {"quiz_attempt_state",
     "SELECT state, expires_at > now(), score, passed, grading"
     " FROM quiz_attempts WHERE id = $1 FOR UPDATE",
     1},
    /* $1 attempt, $2 score, $3 passed, $4 answers, $5 grading */
    {"quiz_attempt_grade",
     "UPDATE quiz_attempts SET state = 'submitted', score = $2, passed = $3,"
     " answers = $4, grading = $5, submitted_at = now() WHERE id = $1",
     5},
    /* $1 user, $2 module, $3 version, $4 passed, $5 new code,
     * $6 validity months, $7 attempt */
    {"attempt_certify",
     /* A certificate in its last 90 days does not count: passing then
      * renews it (the learner sees "verloopt binnenkort"). */
     "WITH valid AS (SELECT code, issued_at, expires_at FROM certificates"
     "   WHERE user_id = $1 AND module_id = $2"
     "   AND expires_at > now() + interval '90 days'"
     "   ORDER BY expires_at DESC LIMIT 1),"
     " ins AS (INSERT INTO certificates (code, user_id, module_id,"
     "   module_version, expires_at, attempt_id)"
     "   SELECT $5, $1::bigint, $2::bigint, $3::int,"
     "   now() + make_interval(months => $6::int), $7::bigint"
     "   WHERE $4 AND NOT EXISTS (SELECT 1 FROM valid)"
     "   RETURNING code, issued_at, expires_at)"
     " SELECT code, rfc3339(issued_at), rfc3339(expires_at) FROM ins"
     " UNION ALL SELECT code, rfc3339(issued_at), rfc3339(expires_at)"
     " FROM valid WHERE $4",
     7},
    /* The certificate a passed attempt gave (or the valid one it found). */
    {"attempt_certificate",
     "SELECT code, rfc3339(issued_at), rfc3339(expires_at) FROM certificates"
     " WHERE user_id = $1 AND module_id = $2"
     " AND (attempt_id = $3 OR expires_at > now())"
     " ORDER BY attempt_id = $3 DESC NULLS LAST, expires_at DESC LIMIT 1",
     3},
    {"my_certificates",
     "SELECT coalesce(json_agg(json_build_object('code', c.code,"
     " 'module_slug', m.slug, 'module_title', m.title,"
     " 'issued_at', rfc3339(c.issued_at), 'expires_at', rfc3339(c.expires_at),"
     " 'valid', c.expires_at > now()) ORDER BY c.issued_at DESC), '[]')"
     " FROM certificates c JOIN modules m ON m.id = c.module_id"
     " WHERE c.user_id = $1",
     1},
    {"certificate_public",
     "SELECT c.expires_at > now(), u.name, m.title, rfc3339(c.issued_at),"
     " rfc3339(c.expires_at)"
     " FROM certificates c JOIN users u ON u.id = c.user_id"
     " JOIN modules m ON m.id = c.module_id WHERE c.code = $1",
     1},
    {0},
};

enum db_status
store_quiz_attempt_get(struct store_ctx *ctx, const char *slug,
                       long long attempt_id, struct quiz_attempt *out)
{
	char           aid[24], uid[24];
	const char    *v[3] = {STORE_INT(aid, attempt_id),
	                       STORE_INT(uid, ctx->user_id), slug};
	PGresult      *res;
	enum db_status st =
	    db_exec_row(ctx->db, ctx->arena, "quiz_attempt_get", 3, v, &res);

	memset(out, 0, sizeof(*out));
	if (st != DB_OK)
		return st;
	out->id = db_int(res, 0, 0);
	out->module_id = db_int(res, 0, 1);
	out->version = (int)db_int(res, 0, 2);
	out->pass_mark = (int)db_int(res, 0, 3);
	out->validity_months = (int)db_int(res, 0, 4);
	out->module_active = db_value(res, 0, 5)[0] == 't';
	out->draw_json = db_value(res, 0, 6);
	out->objectives_json = db_value(res, 0, 7);
	return DB_OK;
}

static void
cert_from(PGresult *res, struct certificate *cert)
{
	if (PQntuples(res) >= 1) {
		cert->code = db_value(res, 0, 0);
		cert->issued_at = db_value(res, 0, 1);
		cert->expires_at = db_value(res, 0, 2);
	}
}

enum db_status
store_quiz_submit(struct store_ctx *ctx, const struct quiz_attempt *a,
                  int score, bool passed, const char *answers_json,
                  const char *grading_json, struct quiz_submitted *out,
                  struct certificate *cert)
{
	char           uid[24], mid[24], ver[24], sc[24], months[24], aid[24];
	char           code[AUTH_CODE_LEN + 1];
	const char    *v[7];
	PGresult      *res;
	enum db_status st;

	memset(cert, 0, sizeof(*cert));
	memset(out, 0, sizeof(*out));
	auth_random_code(code);
	STORE_INT(uid, ctx->user_id);
	STORE_INT(mid, a->module_id);
	STORE_INT(aid, a->id);
	st = db_begin(ctx->db);
	v[0] = uid;
	v[1] = mid;
	if (st == DB_OK)
		st = db_exec(ctx->db, ctx->arena, "attempt_lock", 2, v, NULL);
	v[0] = aid;
	if (st == DB_OK)
		st = db_exec_row(ctx->db, ctx->arena, "quiz_attempt_state", 1,
		                 v, &res);
	if (st != DB_OK)
		goto out;
	if (strcmp(db_value(res, 0, 0), "submitted") == 0) {
		/* Graded before, perhaps a moment ago by the same submission:
		 * its stored result. */
		out->score = (int)db_int(res, 0, 2);
		out->passed = db_value(res, 0, 3)[0] == 't';
		out->grading_json = db_value(res, 0, 4);
		if (out->passed) {
			v[0] = uid;
			v[1] = mid;
			v[2] = aid;
			st = db_exec(ctx->db, ctx->arena, "attempt_certificate",
			             3, v, &res);
			if (st == DB_OK)
				cert_from(res, cert);
		}
		goto out;
	}
	if (strcmp(db_value(res, 0, 0), "open") != 0 ||
	    db_value(res, 0, 1)[0] != 't') {
		out->expired = true;
		goto out;
	}
	out->score = score;
	out->passed = passed;
	out->grading_json = grading_json;
	v[0] = aid;
	v[1] = STORE_INT(sc, score);
	v[2] = passed ? "true" : "false";
	v[3] = answers_json;
	v[4] = grading_json;
	st = db_exec(ctx->db, ctx->arena, "quiz_attempt_grade", 5, v, NULL);
	if (st == DB_OK && passed) {
		v[0] = uid;
		v[1] = mid;
		v[2] = STORE_INT(ver, a->version);
		v[3] = "true";
		v[4] = code;
		v[5] = STORE_INT(months, a->validity_months);
		v[6] = aid;
		st =
		    db_exec(ctx->db, ctx->arena, "attempt_certify", 7, v, &res);
		if (st == DB_OK)
			cert_from(res, cert);
	}
out:
	if (st == DB_OK)
		st = db_commit(ctx->db);
	if (st != DB_OK) {
		db_rollback(ctx->db);
		memset(cert, 0, sizeof(*cert));
	}
	return st;
}

STORE_VALUE_OF_CALLER(store_my_certificates_json, "my_certificates")

enum db_status
store_certificate_public(struct store_ctx *ctx, const char *code,
                         struct certificate_public *out)
{
	const char *v[1] = {code};

	return db_exec_scan(ctx->db, ctx->arena, "certificate_public", 1, v,
	                    "bssss", &out->valid, &out->holder_name,
	                    &out->module_title, &out->issued_at,
	                    &out->expires_at);
}
