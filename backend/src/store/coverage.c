/* SQL of the board and region reports: coverage per school, staff status,
 * expiring certificates, region aggregates and coverage over time.
 *
 * Counting rules (api.md): `teachers` counts active staff with role teacher
 * or ib; a person is certified when they hold a valid certificate for every
 * module required of their role; a school has a certified
 * aandachtsfunctionaris when one of its IB'ers holds a valid certificate of a
 * requirement marked `af`.  A role without any requirement certifies nobody:
 * an empty requirements table must not read as 100%.  Region figures are
 * suppressed by suppress.c before they leave (store_region_*_json). */
#include "store.h"
#include "reader.h"

#include <stdlib.h>

#include "../arena.h"
#include "../config.h"
#include "../domain.h"
#include "../log.h"
#include "../suppress.h"

/* Active staff of the schools in `sch`, with per-person status at now(),
 * read from the row itself (an index-only scan of staff_status_idx):
 * cert_until, af_until and the sorted cert_expiries are kept by the
 * triggers of sql/007_staff_status.sql, whose header shows how they match
 * the counting rules above.  width_bucket(t, a) counts the elements of a
 * that are <= t. */
#define STAFF_STATUS_CTE                                                       \
	" st AS (SELECT st.school_id, st.role,"                                \
	"   coalesce(st.cert_until > now(), false) AS certified,"              \
	"   coalesce(st.af_until > now(), false) AS af,"                       \
	"   width_bucket(now() + interval '90 days', st.cert_expiries)"        \
	"   - width_bucket(now(), st.cert_expiries) AS expiring"               \
	"   FROM staff st JOIN sch ON sch.id = st.school_id"                   \
	"   WHERE st.left_at IS NULL)"

#define PCT(num, den)                                                          \
	"CASE WHEN " den " = 0 THEN 0 ELSE round(100.0 * " num " / " den       \
	", 1) END"

/* Coverage over time: staff present and certified at the end of each of the
 * last 24 months (now() for the current one).  $1 is the board or region. */
#define HISTORY_SQL(school_filter)                                             \
	"WITH req AS (SELECT r.role, m.id AS module_id FROM requirements r"    \
	"   LEFT JOIN modules m ON m.slug = r.module_slug AND m.active),"      \
	" months AS (SELECT least(date_trunc('month', now())"                  \
	"   - make_interval(months => g) + interval '1 month'"                 \
	"   - interval '1 second', now()) AS t FROM generate_series(0, 23) g)" \
	" SELECT coalesce(json_agg(json_build_object('month',"                 \
	"   to_char(months.t, 'YYYY-MM'), 'teachers', a.n,"                    \
	"   'teachers_certified', a.c, 'coverage_pct', " PCT(                  \
	    "a.c",                                                             \
	    "a.n") ")"                                                         \
	           "   ORDER BY months.t), '[]') FROM months CROSS JOIN "      \
	           "LATERAL ("                                                 \
	           "   SELECT count(*) AS n, count(*) FILTER (WHERE x.cert) "  \
	           "AS c FROM ("                                               \
	           "     SELECT st.user_id IS NOT NULL"                        \
	           "       AND EXISTS (SELECT 1 FROM req WHERE req.role = "    \
	           "st.role)"                                                  \
	           "       AND NOT EXISTS (SELECT 1 FROM req"                  \
	           "       WHERE req.role = st.role AND NOT EXISTS (SELECT 1"  \
	           "       FROM certificates c WHERE c.user_id = st.user_id"   \
	           "       AND c.module_id = req.module_id AND c.issued_at "   \
	           "<= months.t"                                               \
	           "       AND c.expires_at > months.t)) AS cert"              \
	           "     FROM staff st JOIN schools s ON s.id = st.school_id"  \
	           "     LEFT JOIN municipalities mu ON mu.id = "              \
	           "s.municipality_id"                                         \
	           "     JOIN boards b ON b.id = s.board_id"                   \
	           "     WHERE " school_filter                                 \
	           " AND st.started_at <= months.t"                            \
	           "     AND (st.left_at IS NULL OR st.left_at > months.t)) "  \
	           "x) a"

/* The board report: per school and in total.  $1 is the board. */
/* One package item's date: the last time it was marked done. */
#define PACKAGE_ITEM_SQL(code, label)                                          \
	" '" #code "', max(p.done_on) FILTER (WHERE p.item = '" #code "')"

#define BOARD_COVERAGE_SQL                                                          \
	"WITH sch AS (SELECT s.id, s.name, s.brin, s.municipality FROM "            \
	"schools s"                                                                 \
	"   WHERE s.board_id = $1 AND s.closed_at IS NULL)," STAFF_STATUS_CTE       \
	","                                                                         \
	" per AS (SELECT st.school_id, count(*) AS teachers,"                       \
	"   count(*) FILTER (WHERE st.certified) AS teachers_certified,"            \
	"   count(*) FILTER (WHERE st.role = 'ib') AS ib,"                          \
	"   count(*) FILTER (WHERE st.role = 'ib' AND st.certified) AS "            \
	"ib_certified,"                                                             \
	"   bool_or(st.af) AS has_af, sum(st.expiring) AS expiring"                 \
	"   FROM st GROUP BY st.school_id)," /* Grouped by school id before         \
	                                      * the join: no sort of every          \
	                                      * stay by the schools' names          \
	                                      * (half of the statement's            \
	                                      * time). */                           \
	" rows AS (SELECT sch.id, sch.name, sch.brin, sch.municipality,"            \
	"   coalesce(per.teachers, 0) AS teachers,"                                 \
	"   coalesce(per.teachers_certified, 0) AS teachers_certified,"             \
	"   coalesce(per.ib, 0) AS ib,"                                             \
	"   coalesce(per.ib_certified, 0) AS ib_certified,"                         \
	"   coalesce(per.has_af, false) AS has_af,"                                 \
	"   coalesce(per.expiring, 0) AS expiring"                                  \
	"   FROM sch LEFT JOIN per ON per.school_id = sch.id)"                      \
	" SELECT json_build_object("                                                \
	" 'board', (SELECT json_build_object('id', b.id, 'name', b.name)"           \
	"   FROM boards b WHERE b.id = $1),"                                        \
	" 'as_of', rfc3339(now()),"                                                 \
	" 'totals', (SELECT json_build_object('schools', count(*),"                 \
	"   'teachers', coalesce(sum(teachers), 0),"                                \
	"   'teachers_certified', coalesce(sum(teachers_certified), 0),"            \
	"   'ib', coalesce(sum(ib), 0), 'ib_certified', "                           \
	"coalesce(sum(ib_certified), 0),"                                           \
	"   'schools_with_af', count(*) FILTER (WHERE has_af),"                     \
	"   'expiring_90d', coalesce(sum(expiring), 0),"                            \
	"   'coverage_pct', " PCT(                                                  \
	    "coalesce(sum(teachers_certified), 0)",                                 \
	    "coalesce(sum(teachers), 0)") ") FROM rows),"                           \
	                                  " 'schools', (SELECT "                    \
	                                  "coalesce(json_agg(json_build_"           \
	                                  "object("                                 \
	                                  "   'school_id', id, 'name', name, "      \
	                                  "'brin', brin,"                           \
	                                  "   'municipality', municipality, "       \
	                                  "'teachers', teachers,"                   \
	                                  "   'teachers_certified', "               \
	                                  "teachers_certified, 'ib', ib,"           \
	                                  "   'ib_certified', ib_certified, "       \
	                                  "'has_certified_af', has_af,"             \
	                                  "   'expiring_90d', expiring,"            \
	                                  "   'coverage_pct', " PCT(                \
	                                      "teachers_certified",                 \
	                                      "teachers") ","                       \
	                                                  "   'package', "          \
	                                                  "(SELECT "                \
	                                                  "json_build_"             \
	                                                  "object"                  \
	                                                  "(" DOMAIN_PACKAGE_ITEMS( \
	                                                      PACKAGE_ITEM_SQL,     \
	                                                      ",") ")"              \
	                                                           "     "          \
	                                                           "FROM "          \
	                                                           "school_"        \
	                                                           "package "       \
	                                                           "p "             \
	                                                           "WHERE "         \
	                                                           "p.school_"      \
	                                                           "id "            \
	                                                           "= "             \
	                                                           "rows.id))"      \
	                                                           "   ORDER "      \
	                                                           "BY name, "      \
	                                                           "id), "          \
	                                                           "'[]') "         \
	                                                           "FROM "          \
	                                                           "rows))"

/* The region report's raw counts: one row per board and municipality (the
 * schools of one board in one municipality), with the dense rank of each.
 * Nothing here leaves the server as it is: suppress_region_report() decides
 * what of it a region may see.  $1 is the region. */
#define REGION_COVERAGE_SQL                                                    \
	"WITH sch AS (SELECT s.id, s.board_id, s.municipality_id,"             \
	"   coalesce(mu.name, s.municipality, '?') AS municipality"            \
	"   FROM schools s JOIN boards b ON b.id = s.board_id"                 \
	"   LEFT JOIN municipalities mu ON mu.id = s.municipality_id"          \
	"   WHERE s.closed_at IS NULL"                                         \
	"   AND coalesce(mu.region_id, b.region_id) = $1)," STAFF_STATUS_CTE   \
	","                                                                    \
	" per_school AS (SELECT sch.id, sch.board_id, sch.municipality,"       \
	"   count(st.role) AS n, count(*) FILTER (WHERE st.certified) AS c,"   \
	"   coalesce(bool_or(st.af), false) AS af"                             \
	"   FROM sch LEFT JOIN st ON st.school_id = sch.id"                    \
	"   GROUP BY sch.id, sch.board_id, sch.municipality),"                 \
	" cells AS (SELECT b.id AS board_id, b.name AS board, p.municipality," \
	"   count(*) AS schools, sum(p.n) AS staff, sum(p.c) AS certified,"    \
	"   count(*) FILTER (WHERE p.af) AS af,"                               \
	"   dense_rank() OVER (ORDER BY b.name, b.id) AS b,"                   \
	"   dense_rank() OVER (ORDER BY p.municipality) AS m"                  \
	"   FROM per_school p JOIN boards b ON b.id = p.board_id"              \
	"   GROUP BY b.id, b.name, p.municipality)"                            \
	" SELECT json_build_object("                                           \
	" 'region', (SELECT json_build_object('id', r.id, 'name', r.name)"     \
	"   FROM regions r WHERE r.id = $1),"                                  \
	" 'as_of', rfc3339(now()),"                                            \
	" 'cells', (SELECT coalesce(json_agg(json_build_object("               \
	"   'board_id', board_id, 'board', board, 'b', b,"                     \
	"   'municipality', municipality, 'm', m, 'schools', schools,"         \
	"   'staff', staff, 'certified', certified, 'af', af)"                 \
	"   ORDER BY b, m), '[]') FROM cells))"

const struct db_stmt store_coverage_stmts[] = {
    {"board_coverage", BOARD_COVERAGE_SQL, 1},
    {"school_staff",
     "WITH req AS (SELECT r.role, r.module_slug FROM requirements r)"
     " SELECT coalesce(json_agg(json_build_object('user_id', st.user_id,"
     " 'name', st.name, 'email', st.email, 'role', st.role,"
     " 'registered', st.user_id IS NOT NULL,"
     /* An account of another board on this roster: asked, or refused. */
     " 'link', CASE WHEN st.user_id IS NOT NULL THEN 'linked'"
     "   ELSE coalesce((SELECT CASE i.status WHEN 'pending' THEN 'invited'"
     "     WHEN 'declined' THEN 'declined' END FROM staff_invitations i"
     "     JOIN users iu ON iu.id = i.user_id AND iu.erased_at IS NULL"
     "     WHERE i.staff_id = st.id), 'none') END,"
     " 'modules', (SELECT coalesce(json_agg(json_build_object("
     "   'slug', req.module_slug, 'title', m.title,"
     "   'status', " DOMAIN_STATUS_SQL(
         "c.expires_at",
         "p.done") ","
                   "   'completed_at', rfc3339(c.issued_at),"
                   "   'expires_at', rfc3339(c.expires_at),"
                   "   'expiring_soon', c.expires_at > now()"
                   "     AND c.expires_at <= now() + interval '90 days')"
                   "   ORDER BY m.position, req.module_slug), '[]')"
                   /* A required module that is not loaded still shows, as not
                    * started: it keeps the person uncertified in the counts
                    * too. */
                   "   FROM req LEFT JOIN modules m ON m.slug = "
                   "req.module_slug AND m.active"
                   "   LEFT JOIN LATERAL (SELECT issued_at, expires_at FROM "
                   "certificates c"
                   "     WHERE c.user_id = st.user_id AND c.module_id = m.id"
                   "     ORDER BY c.expires_at DESC LIMIT 1) c ON true"
                   "   LEFT JOIN LATERAL (SELECT count(*) AS done FROM "
                   "section_progress sp"
                   "     WHERE sp.user_id = st.user_id AND sp.module_id = "
                   "m.id) p ON true"
                   "   WHERE req.role = st.role))"
                   " ORDER BY st.name, st.id), '[]')"
                   " FROM staff st WHERE st.school_id = $1 AND st.left_at IS "
                   "NULL",
     1},
    {"school_expiring",
     "SELECT coalesce(json_agg(json_build_object('user_id', st.user_id,"
     " 'name', st.name, 'email', st.email, 'module_slug', m.slug,"
     " 'module_title', m.title, 'expires_at', rfc3339(c.expires_at))"
     " ORDER BY c.expires_at), '[]')"
     " FROM staff st JOIN certificates c ON c.user_id = st.user_id"
     " JOIN modules m ON m.id = c.module_id"
     " WHERE st.school_id = $1 AND st.left_at IS NULL"
     " AND c.expires_at > now() AND c.expires_at <= now() + interval '90 days'",
     1},
    {"board_history", HISTORY_SQL("s.board_id = $1"), 1},
    {"region_history", HISTORY_SQL("coalesce(mu.region_id, b.region_id) = $1"),
     1},
    {"region_coverage", REGION_COVERAGE_SQL, 1},
    {0},
};

/* The statements the reports connection prepares: only SELECTs, which a
 * hot standby can prepare and run. */
static const struct db_stmt reports_stmts[] = {
    {"board_coverage", BOARD_COVERAGE_SQL, 1},
    {"region_coverage", REGION_COVERAGE_SQL, 1},
    {0},
};
static const struct db_stmt *const reports_tables[] = {reports_stmts, NULL};

void
store_reports_init(struct store_reports *rep, const char *url,
                   int statement_timeout)
{
	rep->enabled = url != NULL && url[0] != '\0';
	if (rep->enabled)
		db_init(&rep->db, url, reports_tables, statement_timeout);
}

void
store_reports_close(struct store_reports *rep)
{
	if (rep->enabled)
		db_close(&rep->db);
}

/* The reports connection when the worker has one (it connects on the first
 * report and keeps it, with the same deadline, retry pause and 503 as the
 * main one: db_ensure), else the main one.  The token and role checks
 * before a report, and everything that writes, stay on the main
 * connection.  NULL with *st set when it is down. */
static struct db *
reports_db(struct store_ctx *ctx, enum db_status *st)
{
	if (ctx->reports == NULL || !ctx->reports->enabled)
		return ctx->db;
	*st = db_ensure(&ctx->reports->db);
	return *st == DB_OK ? &ctx->reports->db : NULL;
}

static enum db_status
report_json(struct store_ctx *ctx, const char *name, long long id,
            const char **json)
{
	enum db_status st = DB_OK;
	struct db     *db = reports_db(ctx, &st);

	if (db == NULL)
		return st;
	return db_exec_id_value(db, ctx->arena, name, id, json);
}

enum db_status
store_board_coverage_json(struct store_ctx *ctx, long long board_id,
                          const char **json)
{
	return report_json(ctx, "board_coverage", board_id, json);
}

STORE_VALUE_BY_ID(store_school_staff_json, "school_staff")

STORE_VALUE_BY_ID(store_school_expiring_json, "school_expiring")

STORE_VALUE_BY_ID(store_board_history_json, "board_history")

/* What a region sees passes suppress.c: the raw counts never leave. */
static enum db_status
suppressed(struct store_ctx *ctx, enum db_status     st,
           char *(*rule)(const char *), const char **json)
{
	char *text;

	if (st != DB_OK)
		return st;
	text = rule(*json);
	if (text == NULL) {
		log_error("region figures could not be suppressed");
		return DB_ERROR;
	}
	*json = arena_strdup(ctx->arena, text);
	free(text);
	return DB_OK;
}

enum db_status
store_region_history_json(struct store_ctx *ctx, long long region_id,
                          const char **json)
{
	return suppressed(ctx,
	                  db_exec_id_value(ctx->db, ctx->arena,
	                                   "region_history", region_id, json),
	                  suppress_region_history, json);
}

enum db_status
store_region_coverage_json(struct store_ctx *ctx, long long region_id,
                           const char **json)
{
	return suppressed(ctx,
	                  report_json(ctx, "region_coverage", region_id, json),
	                  suppress_region_report, json);
}
