/* SQL of the school-register import: DUO's locations create and update
 * regions, municipalities, boards and schools in one transaction.  A location
 * that left the register is marked closed, never deleted. */
#include "store.h"

/* Join codes for new schools: 8 characters from an alphabet without
 * look-alikes, taken from gen_random_uuid()'s strong randomness. */
#define NEW_JOIN_CODE                                                          \
	"substr(translate(upper(encode(sha256(gen_random_uuid()::text::bytea)" \
	","                                                                    \
	" 'base64')), '+/=0O1IL', ''), 1, 8)"

const struct db_stmt store_register_stmts[] = {
    {"register_lock",
     "SELECT pg_advisory_xact_lock(hashtextextended('school-register', 0))", 0},
    /* $1 rmc codes, $2 rmc names */
    {"register_regions",
     "WITH x AS (SELECT DISTINCT ON (c) c, n FROM unnest($1::text[], "
     "$2::text[])"
     "   AS u(c, n) WHERE c <> '' AND n <> '' ORDER BY c, n),"
     " named AS (UPDATE regions r SET code = x.c FROM x"
     "   WHERE r.name = x.n AND r.code IS NULL RETURNING r.id)"
     " INSERT INTO regions (code, name) SELECT c, n FROM x"
     " WHERE NOT EXISTS (SELECT 1 FROM regions r WHERE r.code = x.c)"
     " ON CONFLICT DO NOTHING",
     2},
    /* $1 municipality codes, $2 names, $3 rmc codes */
    {"register_municipalities",
     "WITH x AS (SELECT DISTINCT ON (c) c, n, rc FROM unnest($1::text[],"
     "   $2::text[], $3::text[]) AS u(c, n, rc) WHERE c <> ''"
     "   ORDER BY c, n DESC),"
     " named AS (UPDATE municipalities m SET code = x.c FROM x"
     "   WHERE lower(m.name) = lower(x.n) AND m.code IS NULL RETURNING m.id)"
     " INSERT INTO municipalities (code, name, region_id)"
     " SELECT c, CASE WHEN n = '' THEN 'Gemeente ' || c ELSE n END,"
     "   (SELECT id FROM regions r WHERE r.code = x.rc) FROM x"
     " ON CONFLICT (code) DO UPDATE SET region_id = EXCLUDED.region_id"
     " WHERE municipalities.region_id IS DISTINCT FROM EXCLUDED.region_id",
     3},
    /* $1 board numbers */
    {"register_boards",
     "INSERT INTO boards (name, number) SELECT DISTINCT"
     " 'Bevoegd gezag ' || n, n FROM unnest($1::text[]) AS u(n)"
     " ON CONFLICT (number) DO NOTHING RETURNING id",
     1},
    /* $1 brins, $2 names, $3 board numbers, $4 municipality codes, $5 places */
    {"register_schools",
     "WITH input AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[],"
     "   $4::text[], $5::text[]) AS i(brin, name, board_number, mun_code,"
     "   place)),"
     " src AS (SELECT i.brin, i.name, i.place, b.id AS board_id,"
     "   m.id AS municipality_id, m.name AS municipality FROM input i"
     "   JOIN boards b ON b.number = i.board_number"
     "   LEFT JOIN municipalities m ON m.code = i.mun_code),"
     " upd AS (UPDATE schools s SET name = src.name, board_id = src.board_id,"
     "   municipality_id = src.municipality_id,"
     "   municipality = src.municipality, place = src.place, closed_at = NULL"
     "   FROM src WHERE s.brin = src.brin AND (s.name, s.board_id,"
     "   s.municipality_id, s.municipality, s.place, s.closed_at IS NULL)"
     "   IS DISTINCT FROM (src.name, src.board_id, src.municipality_id,"
     "   src.municipality, src.place, true) RETURNING s.id),"
     " ins AS (INSERT INTO schools (board_id, name, brin, municipality,"
     "   municipality_id, place, join_code) SELECT src.board_id, src.name,"
     "   src.brin, src.municipality, src.municipality_id, "
     "src.place, " NEW_JOIN_CODE
     "   FROM src WHERE NOT EXISTS (SELECT 1 FROM schools s"
     "   WHERE s.brin = src.brin) RETURNING id),"
     /* Only DUO's own codes (two digits, two letters, two digits) can
      * leave the register; schools an admin made by hand stay. */
     " closed AS (UPDATE schools s SET closed_at = now()"
     "   WHERE s.closed_at IS NULL AND s.brin ~ '^[0-9]{2}[A-Z]{2}[0-9]{2}$'"
     /* NOT IN gives a hashed subplan whatever the statistics say. */
     "   AND s.brin NOT IN (SELECT i.brin FROM input i)"
     "   RETURNING s.id)"
     " SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM upd),"
     " (SELECT count(*) FROM closed)",
     5},
    {0},
};

enum db_status
store_register_import(struct store_ctx                  *ctx,
                      const struct store_register_input *in,
                      struct store_register_counts      *counts)
{
	struct arena  *a = ctx->arena;
	size_t         n = in->n;
	const char    *regions[2], *muns[3], *boards[1], *schools[5];
	PGresult      *res;
	enum db_status st;

	regions[0] = db_text_array(a, in->rmc_codes, n);
	regions[1] = db_text_array(a, in->rmc_names, n);
	muns[0] = db_text_array(a, in->municipality_codes, n);
	muns[1] = db_text_array(a, in->municipalities, n);
	muns[2] = regions[0];
	boards[0] = db_text_array(a, in->board_numbers, n);
	schools[0] = db_text_array(a, in->brins, n);
	schools[1] = db_text_array(a, in->names, n);
	schools[2] = boards[0];
	schools[3] = muns[0];
	schools[4] = db_text_array(a, in->places, n);

	st = db_begin(ctx->db);
	if (st == DB_OK)
		st = db_allow_long_statements(ctx->db);
	if (st == DB_OK)
		st = db_exec(ctx->db, a, "register_lock", 0, NULL, NULL);
	if (st == DB_OK)
		st = db_exec(ctx->db, a, "register_regions", 2, regions, NULL);
	if (st == DB_OK)
		st = db_exec(ctx->db, a, "register_municipalities", 3, muns,
		             NULL);
	if (st == DB_OK)
		st = db_exec(ctx->db, a, "register_boards", 1, boards, &res);
	if (st == DB_OK) {
		counts->boards_created = PQntuples(res);
		st = db_exec(ctx->db, a, "register_schools", 5, schools, &res);
	}
	if (st == DB_OK)
		st = db_commit(ctx->db);
	if (st != DB_OK) {
		db_rollback(ctx->db);
		return st;
	}
	counts->schools_created = db_int(res, 0, 0);
	counts->schools_updated = db_int(res, 0, 1);
	counts->schools_closed = db_int(res, 0, 2);
	return DB_OK;
}
