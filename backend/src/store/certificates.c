/* SQL of attempts and certificates: exactly one completion per pass while a
 * certificate is valid, the learner's list, and public verification. */
#include "store.h"

#include <string.h>

#include "../auth.h"

const struct db_stmt store_certificates_stmts[] = {
	/* Serialises attempts of one person on one module, so that two identical
	 * passing attempts sent at once issue one certificate. */
	{"attempt_lock",
	 "SELECT pg_advisory_xact_lock(hashtextextended($1::text || ':' || $2::text, 0))", 2},
	/* Runs after the lock, so its snapshot sees the other's commit.
	 * $1 user, $2 module, $3 version, $4 score, $5 passed, $6 answers,
	 * $7 new code, $8 validity months */
	{"attempt_record",
	 "WITH a AS (INSERT INTO quiz_attempts (user_id, module_id,"
	 "   module_version, score, passed, answers)"
	 "   VALUES ($1, $2, $3, $4, $5, $6) RETURNING id),"
	 /* A certificate in its last 90 days does not count: passing then
	  * renews it (the learner sees "verloopt binnenkort"). */
	 " valid AS (SELECT code, issued_at, expires_at FROM certificates"
	 "   WHERE user_id = $1 AND module_id = $2"
	 "   AND expires_at > now() + interval '90 days'"
	 "   ORDER BY expires_at DESC LIMIT 1),"
	 " ins AS (INSERT INTO certificates (code, user_id, module_id,"
	 "   module_version, expires_at, attempt_id)"
	 "   SELECT $7, $1::bigint, $2::bigint, $3::int,"
	 "   now() + make_interval(months => $8::int), a.id"
	 "   FROM a WHERE $5 AND NOT EXISTS (SELECT 1 FROM valid)"
	 "   RETURNING code, issued_at, expires_at)"
	 " SELECT code, rfc3339(issued_at), rfc3339(expires_at) FROM ins"
	 " UNION ALL SELECT code, rfc3339(issued_at), rfc3339(expires_at)"
	 " FROM valid WHERE $5",
	 8},
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
store_attempt_record(struct request *r, const struct quiz_key *k, int score,
                     bool passed, const char *answers_json,
                     struct certificate *cert)
{
	char           uid[24], mid[24], ver[24], sc[24], months[24];
	char           code[AUTH_CODE_LEN + 1];
	const char    *lock[2], *v[8];
	PGresult      *res;
	enum db_status st;

	memset(cert, 0, sizeof(*cert));
	auth_random_code(code);
	STORE_INT(uid, r->user->id);
	STORE_INT(mid, k->module_id);
	lock[0] = uid;
	lock[1] = mid;
	v[0] = uid;
	v[1] = mid;
	v[2] = STORE_INT(ver, k->version);
	v[3] = STORE_INT(sc, score);
	v[4] = passed ? "true" : "false";
	v[5] = answers_json;
	v[6] = code;
	v[7] = STORE_INT(months, k->validity_months);
	st = db_begin(r->db);
	if (st == DB_OK)
		st = db_exec(r->db, r->arena, "attempt_lock", 2, lock, NULL);
	if (st == DB_OK)
		st = db_exec(r->db, r->arena, "attempt_record", 8, v, &res);
	if (st == DB_OK)
		st = db_commit(r->db);
	if (st != DB_OK) {
		db_rollback(r->db);
		return st;
	}
	if (PQntuples(res) >= 1) {
		cert->code = db_value(res, 0, 0);
		cert->issued_at = db_value(res, 0, 1);
		cert->expires_at = db_value(res, 0, 2);
	}
	return DB_OK;
}

enum db_status
store_my_certificates_json(struct request *r, const char **json)
{
	char           id[24];
	const char    *v[1] = {STORE_INT(id, r->user->id)};
	return db_exec_value(r->db, r->arena, "my_certificates", 1, v,
	                     json);
}

enum db_status
store_certificate_public(struct request *r, const char *code,
                         struct certificate_public *out)
{
	const char    *v[1] = {code};
	PGresult      *res;
	enum db_status st =
	    db_exec_row(r->db, r->arena, "certificate_public", 1, v, &res);

	if (st != DB_OK)
		return st;
	out->holder_name = db_value(res, 0, 1);
	out->module_title = db_value(res, 0, 2);
	out->issued_at = db_value(res, 0, 3);
	out->expires_at = db_value(res, 0, 4);
	out->valid = db_value(res, 0, 0)[0] == 't';
	return DB_OK;
}
