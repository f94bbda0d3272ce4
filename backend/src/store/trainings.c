/* SQL of in-person trainings and attendance; a pass issues the module's
 * certificate, once while one is valid, with the trainer as issuer. */
#include "store.h"
#include "reader.h"

#include <string.h>

#include "../auth.h"

const struct db_stmt store_trainings_stmts[] = {
    /* $1 trainer, $2 title, $3 module slug, $4 date, $5 location.  Only for
     * a module done in person: an online module has a quiz, and a trainer
     * must not hand out its certificate without one. */
    {"training_create",
     "INSERT INTO trainings (trainer_id, title, module_id, held_on, location)"
     " SELECT $1, $2, m.id, $4::date, $5 FROM modules m"
     " WHERE m.slug = $3 AND m.active AND m.in_person RETURNING id",
     5},
    {"training_module_online",
     "SELECT 1 FROM modules WHERE slug = $1 AND active AND NOT in_person", 1},
    {"training_list",
     "SELECT coalesce(json_agg(json_build_object('id', t.id, 'title', t.title,"
     " 'module_slug', m.slug, 'module_title', m.title, 'date', t.held_on,"
     " 'location', t.location,"
     " 'attendees', (SELECT count(*) FROM training_attendance a"
     "   WHERE a.training_id = t.id),"
     " 'passed', (SELECT count(*) FROM training_attendance a"
     "   WHERE a.training_id = t.id AND a.passed),"
     " 'pending', (SELECT count(DISTINCT st.email) FROM training_credits tc"
     "   JOIN staff st ON st.id = tc.staff_id WHERE tc.training_id = t.id))"
     " ORDER BY t.held_on DESC, t.id DESC), '[]')"
     " FROM trainings t JOIN modules m ON m.id = t.module_id"
     " WHERE t.trainer_id = $1",
     1},
    /* Whether attendance may be recorded: the module is (still) an
     * in-person one, and the day has come (in the Netherlands). */
    {"training_recordable",
     "SELECT t.module_id, m.in_person AND m.active,"
     " t.held_on <= (now() AT TIME ZONE 'Europe/Amsterdam')::date"
     " FROM trainings t JOIN modules m ON m.id = t.module_id WHERE t.id = $1",
     1},
    {"training_get",
     "SELECT json_build_object('id', t.id, 'title', t.title,"
     " 'module_slug', m.slug, 'module_title', m.title, 'date', t.held_on,"
     " 'location', t.location,"
     /* What the trainer judges now: the module's current criteria. */
     " 'criteria_version', m.version, 'criteria', coalesce((SELECT"
     "   mc.criteria FROM module_criteria mc WHERE mc.module_id = m.id"
     "   AND mc.module_version = m.version), '[]'),"
     " 'attendance', (SELECT coalesce(json_agg(json_build_object("
     "   'user_id', u.id, 'name', u.name, 'email', u.email,"
     "   'passed', a.passed, 'certificate_code', c.code,"
     "   'criteria', a.criteria, 'criteria_version', a.criteria_version,"
     "   'judged_by', a.judged_by, 'judged_at', a.judged_at)"
     "   ORDER BY u.name), '[]')"
     "   FROM training_attendance a JOIN users u ON u.id = a.user_id"
     "   LEFT JOIN certificates c ON c.id = a.certificate_id"
     "   WHERE a.training_id = t.id),"
     /* Attendees whose credit waits for a verified account. */
     " 'pending', (SELECT coalesce(json_agg(json_build_object("
     "   'email', p.email, 'name', p.name, 'passed', p.passed,"
     "   'criteria', p.criteria, 'criteria_version', p.criteria_version,"
     "   'judged_by', p.judged_by, 'judged_at', p.judged_at)"
     "   ORDER BY p.name, p.email), '[]') FROM (SELECT DISTINCT ON (st.email)"
     "   st.email, st.name, tc.passed, tc.criteria, tc.criteria_version,"
     "   tc.judged_by, tc.judged_at FROM training_credits tc"
     "   JOIN staff st ON st.id = tc.staff_id WHERE tc.training_id = t.id"
     "   ORDER BY st.email, st.id) p))"
     " FROM trainings t JOIN modules m ON m.id = t.module_id WHERE t.id = $1",
     1},
    /* One row per criterion of the module's current version (one row
     * with a NULL id when it has none). */
    {"training_criteria",
     "SELECT m.version, x.c->>'id' FROM modules m"
     " LEFT JOIN module_criteria mc ON mc.module_id = m.id"
     "   AND mc.module_version = m.version"
     " LEFT JOIN LATERAL jsonb_array_elements(mc.criteria)"
     "   WITH ORDINALITY AS x(c, o) ON true"
     " WHERE m.id = $1 ORDER BY x.o",
     1},
    {"training_lock",
     "SELECT pg_advisory_xact_lock(hashtextextended('training:' || $1::text, "
     "0))",
     1},
    /* Per email: the account linked to one of its active stays at boards
     * linked to the trainer, when verified (NULL: the credit waits on the
     * stays), and those stays (NULL: none, refused).  The account comes
     * from the stay, never from the address.  $1 trainer, $2 emails */
    {"training_attendees",
     "SELECT (SELECT min(st.user_id) FROM staff st"
     "   JOIN schools s ON s.id = st.school_id"
     "   JOIN trainer_boards tb ON tb.board_id = s.board_id"
     "   AND tb.trainer_id = $1"
     "   JOIN users u ON u.id = st.user_id AND u.email_verified"
     "   AND u.erased_at IS NULL"
     "   WHERE st.left_at IS NULL AND st.email = i.email),"
     " (SELECT array_agg(st.id ORDER BY st.id) FROM staff st"
     "   JOIN schools s ON s.id = st.school_id"
     "   JOIN trainer_boards tb ON tb.board_id = s.board_id"
     "   AND tb.trainer_id = $1"
     "   WHERE st.left_at IS NULL AND st.email = i.email)"
     " FROM unnest($2::text[]) WITH ORDINALITY AS i(email, ord) ORDER BY ord",
     2},
    /* $1 training, $2 stays (array literal), $3 passed, $4 criteria or
     * NULL, $5 their version, $6 trainer.  Without a judgement an earlier
     * result stays. */
    {"training_credit_record",
     "INSERT INTO training_credits (training_id, staff_id, passed,"
     "   criteria, criteria_version, judged_by, judged_at)"
     " SELECT $1, x, $3, $4::jsonb, CASE WHEN $4 IS NOT NULL THEN"
     "   $5::integer END, CASE WHEN $4 IS NOT NULL THEN $6::bigint END,"
     "   CASE WHEN $4 IS NOT NULL THEN now() END"
     " FROM unnest($2::bigint[]) AS x"
     " ON CONFLICT (training_id, staff_id) DO UPDATE"
     " SET passed = CASE WHEN EXCLUDED.criteria IS NULL"
     "   THEN training_credits.passed ELSE EXCLUDED.passed END,"
     " criteria = coalesce(EXCLUDED.criteria, training_credits.criteria),"
     " criteria_version = CASE WHEN EXCLUDED.criteria IS NULL THEN"
     "   training_credits.criteria_version ELSE EXCLUDED.criteria_version "
     "END,"
     " judged_by = CASE WHEN EXCLUDED.criteria IS NULL THEN"
     "   training_credits.judged_by ELSE EXCLUDED.judged_by END,"
     " judged_at = CASE WHEN EXCLUDED.criteria IS NULL THEN"
     "   training_credits.judged_at ELSE EXCLUDED.judged_at END,"
     " recorded_at = now()",
     6},
    /* Same lock key as quiz attempts, so a pass here and a pass online
     * cannot both issue a certificate. */
    {"certificate_lock",
     "SELECT pg_advisory_xact_lock(hashtextextended($1::text || ':' || "
     "$2::text, 0))",
     2},
    /* $1 user, $2 module, $3 new code, $4 trainer, $5 training, $6 passed,
     * $7 criteria or NULL, $8 their version.  Without a judgement an
     * earlier result stays; a certificate once issued stays linked. */
    {"attendance_record",
     "WITH valid AS (SELECT id FROM certificates WHERE user_id = $1"
     "   AND module_id = $2 AND expires_at > now()"
     "   ORDER BY expires_at DESC LIMIT 1),"
     " ins AS (INSERT INTO certificates (code, user_id, module_id,"
     "   module_version, expires_at, issued_by)"
     "   SELECT $3, $1::bigint, m.id, m.version,"
     "   now() + make_interval(months => m.validity_months), $4::bigint"
     "   FROM modules m WHERE m.id = $2 AND $6::boolean"
     "   AND NOT EXISTS (SELECT 1 FROM valid) RETURNING id)"
     " INSERT INTO training_attendance (training_id, user_id, passed,"
     "   certificate_id, criteria, criteria_version, judged_by, judged_at)"
     " VALUES ($5, $1, $6, CASE WHEN $6::boolean THEN"
     "   coalesce((SELECT id FROM ins), (SELECT id FROM valid)) END,"
     "   $7::jsonb, CASE WHEN $7 IS NOT NULL THEN $8::integer END,"
     "   CASE WHEN $7 IS NOT NULL THEN $4::bigint END,"
     "   CASE WHEN $7 IS NOT NULL THEN now() END)"
     " ON CONFLICT (training_id, user_id) DO UPDATE SET"
     " passed = CASE WHEN EXCLUDED.criteria IS NULL"
     "   THEN training_attendance.passed ELSE EXCLUDED.passed END,"
     " certificate_id = coalesce(EXCLUDED.certificate_id,"
     "   training_attendance.certificate_id),"
     " criteria = coalesce(EXCLUDED.criteria, training_attendance.criteria),"
     " criteria_version = CASE WHEN EXCLUDED.criteria IS NULL THEN"
     "   training_attendance.criteria_version"
     "   ELSE EXCLUDED.criteria_version END,"
     " judged_by = CASE WHEN EXCLUDED.criteria IS NULL THEN"
     "   training_attendance.judged_by ELSE EXCLUDED.judged_by END,"
     " judged_at = CASE WHEN EXCLUDED.criteria IS NULL THEN"
     "   training_attendance.judged_at ELSE EXCLUDED.judged_at END,"
     " recorded_at = now()"
     " RETURNING (SELECT count(*) FROM ins)",
     8},
    {0},
};

enum db_status
store_training_create(struct store_ctx *ctx, const char *title,
                      const char *slug, const char *date, const char *location,
                      long long *id)
{
	char           tb[24];
	const char    *v[5] = {STORE_INT(tb, ctx->user_id), title, slug, date,
	                       location};
	PGresult      *res;
	enum db_status st =
	    db_exec_row(ctx->db, ctx->arena, "training_create", 5, v, &res);

	if (st == DB_NOT_FOUND) {
		st = db_exec_row(ctx->db, ctx->arena, "training_module_online",
		                 1, &v[2], &res);
		return st == DB_OK ? DB_CONFLICT : st;
	}
	if (st != DB_OK)
		return st;
	*id = db_int(res, 0, 0);
	return DB_OK;
}

STORE_VALUE_OF_CALLER(store_training_list_json, "training_list")

enum db_status
store_training_recordable(struct store_ctx *ctx, long long id,
                          long long *module_id, bool *in_person, bool *held)
{
	char        ib[24];
	const char *v[1] = {STORE_INT(ib, id)};

	return db_exec_scan(ctx->db, ctx->arena, "training_recordable", 1, v,
	                    "ibb", module_id, in_person, held);
}

STORE_VALUE_BY_ID(store_training_get_json, "training_get")

enum db_status
store_training_criteria(struct store_ctx *ctx, long long module_id,
                        int *version, const char ***ids, size_t *n)
{
	char           mb[24];
	const char    *v[1] = {STORE_INT(mb, module_id)};
	PGresult      *res;
	enum db_status st =
	    db_exec(ctx->db, ctx->arena, "training_criteria", 1, v, &res);
	int rows;

	*n = 0;
	*ids = NULL;
	if (st != DB_OK)
		return st;
	rows = PQntuples(res);
	if (rows == 0)
		return DB_NOT_FOUND;
	*version = (int)db_int(res, 0, 0);
	*ids = arena_alloc(ctx->arena, (size_t)rows * sizeof(char *));
	for (int i = 0; i < rows; i++)
		if (!db_is_null(res, i, 1))
			(*ids)[(*n)++] =
			    arena_strdup(ctx->arena, db_value(res, i, 1));
	return DB_OK;
}

enum db_status
store_attendance_record(struct store_ctx *ctx, long long training_id,
                        long long module_id, int criteria_version,
                        const struct store_attendee *attendees, size_t n,
                        long long                      *refused,
                        struct store_attendance_counts *counts)
{
	char         tb[24], ib[24], mb[24], vb[24];
	const char **emails = arena_alloc(ctx->arena, (n + 1) * sizeof(char *));
	const char  *lv[1] = {STORE_INT(ib, training_id)};
	const char  *av[2];
	PGresult    *people;
	enum db_status st;

	for (size_t i = 0; i < n; i++)
		emails[i] = attendees[i].email;
	av[0] = STORE_INT(tb, ctx->user_id);
	av[1] = db_text_array(ctx->arena, emails, n);
	*refused = -1;
	memset(counts, 0, sizeof(*counts));
	STORE_INT(mb, module_id);
	STORE_INT(vb, (long long)criteria_version);
	st = db_begin(ctx->db);
	if (st == DB_OK)
		st = db_exec(ctx->db, ctx->arena, "training_lock", 1, lv, NULL);
	if (st == DB_OK)
		st = db_exec(ctx->db, ctx->arena, "training_attendees", 2, av,
		             &people);
	for (size_t i = 0; st == DB_OK && i < n; i++) {
		if (db_is_null(people, (int)i, 1)) {
			*refused = (long long)i;
			db_rollback(ctx->db);
			return DB_OK;
		}
	}
	for (size_t i = 0; st == DB_OK && i < n; i++) {
		const struct store_attendee *a = &attendees[i];
		char                         code[AUTH_CODE_LEN + 1];
		const char                  *uid = db_value(people, (int)i, 0);
		const char                  *kv[2] = {uid, mb};
		const char                  *v[8];
		PGresult                    *res;

		if (db_is_null(people, (int)i, 0)) {
			const char *cv[6] = {ib,
			                     db_value(people, (int)i, 1),
			                     a->passed ? "true" : "false",
			                     a->criteria,
			                     vb,
			                     tb};

			st = db_exec(ctx->db, ctx->arena,
			             "training_credit_record", 6, cv, NULL);
			counts->pending++;
			continue;
		}
		auth_random_code(code);
		v[0] = uid;
		v[1] = mb;
		v[2] = code;
		v[3] = tb;
		v[4] = ib;
		v[5] = a->passed ? "true" : "false";
		v[6] = a->criteria;
		v[7] = vb;
		st = db_exec(ctx->db, ctx->arena, "certificate_lock", 2, kv,
		             NULL);
		if (st == DB_OK)
			st = db_exec(ctx->db, ctx->arena, "attendance_record",
			             8, v, &res);
		if (st == DB_OK)
			counts->issued += db_int(res, 0, 0);
	}
	return db_finish(ctx->db, st);
}
