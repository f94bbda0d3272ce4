-- The national benchmark dataset (bench/dataset.sh runs this; see
-- docs/capacity.md).  Runs as the database owner in one session, after DUO's
-- register went through the service's own importer, with DUO's pupil
-- counts on standard input (bench/data/pupils-2025.csv).
--
-- psql variables: seed, copies (1, or 10 for the 10x check), people,
-- progress and certs (per copy), pwhash (one argon2id hash for every
-- generated account).
--
-- Deterministic: every choice is hashint8extended() of a person's index
-- with the seed, never random(), and every time is relative to today's
-- midnight (UTC), so the same seed on the same day gives the same rows.
-- Copy 0 is the real register; copies 1.. are the same country again
-- (boards "K<k>-<number>", locations "Z<k>..."), so that at 10x the data
-- the largest real board is still the same 57 locations with the same staff.
\set ON_ERROR_STOP 1
\timing off
-- The rows below are consistent by construction; checking three million
-- foreign keys one by one would be most of the load time.
SET session_replication_role = replica;
SET synchronous_commit = off;
SET work_mem = '256MB';
SET maintenance_work_mem = '256MB';
SET client_min_messages = warning;
SET jit = off;
BEGIN;

CREATE TEMP TABLE params AS
SELECT :seed::bigint AS seed, :copies::int AS copies, :people::bigint AS people,
	:progress::bigint AS progress, :certs::bigint AS certs,
	date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS anchor;

-- A uniform number in [0, 1) from (x, salt) and the seed.
CREATE FUNCTION pg_temp.u01(x bigint, salt int, seed bigint) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT (hashint8extended(x, seed * 64 + salt) & 9007199254740991)::float8
	/ 9007199254740992.0 $$;

-- DUO's pupils per location in 2025.
CREATE TEMP TABLE pupils (brin text PRIMARY KEY, n text);
\copy pupils FROM pstdin (FORMAT csv, DELIMITER ';', HEADER true)

-- ---------------------------------------------------------------- schools
-- The register's open locations (DUO codes only: no demo or hand-made
-- schools), in a stable order.  30 new locations have no 2025 count.
CREATE TEMP TABLE base_school AS
SELECT s.id, s.board_id, s.brin, s.name, s.municipality, s.municipality_id,
	s.place, row_number() OVER (ORDER BY s.brin) AS sidx,
	coalesce(CASE WHEN p.n = '<5' THEN 2
		WHEN p.n ~ '^[0-9]+$' THEN p.n::int END, 50) AS pupils
FROM schools s LEFT JOIN pupils p ON p.brin = s.brin
WHERE s.closed_at IS NULL AND s.brin ~ '^[0-9]{2}[A-Z]{2}[0-9]{2}$';

-- Copies of the country for the 10x check.
CREATE TEMP TABLE copy_no AS
SELECT k, substr('123456789ABCDEFGHJKLMNPQRSTUVWXY', k, 1) AS c
FROM generate_series(1, (SELECT copies FROM params) - 1) k;

INSERT INTO boards (name, number, region_id)
SELECT b.name || ' (kopie ' || k.k || ')', 'K' || k.c || '-' || b.number,
	b.region_id
FROM copy_no k, boards b
WHERE b.id IN (SELECT board_id FROM base_school)
ON CONFLICT (number) DO NOTHING;

INSERT INTO schools (board_id, name, brin, municipality, municipality_id,
	place, join_code)
SELECT nb.id, left(bs.name, 185) || ' (kopie ' || k.k || ')',
	'Z' || k.c || chr(65 + (bs.sidx / 100)::int / 26)
		|| chr(65 + (bs.sidx / 100)::int % 26)
		|| lpad((bs.sidx % 100)::text, 2, '0'),
	bs.municipality, bs.municipality_id, bs.place,
	-- Real join codes never hold a 0: these cannot clash with one.
	'K' || k.c || '0' || lpad(bs.sidx::text, 5, '0')
FROM copy_no k CROSS JOIN base_school bs
JOIN boards ob ON ob.id = bs.board_id
JOIN boards nb ON nb.number = 'K' || k.c || '-' || ob.number
ON CONFLICT (brin) DO NOTHING;

CREATE TEMP TABLE school_copy AS
SELECT 0 AS copy, bs.sidx, bs.id AS school_id, bs.board_id, bs.pupils
FROM base_school bs
UNION ALL
SELECT k.k, bs.sidx, s.id, s.board_id, bs.pupils
FROM copy_no k CROSS JOIN base_school bs
JOIN schools s ON s.brin = 'Z' || k.c || chr(65 + (bs.sidx / 100)::int / 26)
	|| chr(65 + (bs.sidx / 100)::int % 26) || lpad((bs.sidx % 100)::text, 2, '0');

-- ------------------------------------------------------------------ staff
-- Staff per location in proportion to its pupils, by largest remainders:
-- exactly `people` per copy.
CREATE TEMP TABLE school_staff AS
WITH w AS (SELECT sidx, pupils,
	sum(pupils) OVER (ORDER BY sidx) AS cum, sum(pupils) OVER () AS total
	FROM base_school)
SELECT sidx,
	(floor(cum::numeric * p.people / total)
	 - floor((cum - pupils)::numeric * p.people / total))::int AS n,
	(floor((cum - pupils)::numeric * p.people / total))::bigint AS before
FROM w, params p;

-- One row per person: pidx is stable for a given seed and size.  About one
-- in five has not started any module ("fresh"); the others get a diligence
-- weight that decides how far they got.
CREATE TEMP TABLE person0 AS
SELECT pidx, copy, school_id, board_id, role, fresh,
	CASE WHEN fresh THEN 0
		ELSE 1 + floor(pg_temp.u01(pidx, 2, p.seed) * 1000000)::bigint END AS w,
	p.anchor - make_interval(days => floor(pg_temp.u01(pidx, 3, p.seed) * 1500)::int) AS started
FROM (
	SELECT sc.copy::bigint * p.people + ss.before + j AS pidx, sc.copy,
		sc.school_id, sc.board_id,
		CASE WHEN j = 1 OR (j = 2 AND ss.n >= 40) THEN 'ib' ELSE 'teacher' END AS role,
		pg_temp.u01(sc.copy::bigint * p.people + ss.before + j, 1, p.seed) < 0.2 AS fresh
	FROM school_copy sc JOIN school_staff ss ON ss.sidx = sc.sidx
	CROSS JOIN params p CROSS JOIN LATERAL generate_series(1, ss.n) j
) x, params p;

-- User ids: per copy, the fresh people first, so that the benchmarks find
-- copy 0's never-started accounts as one range of ids.  How many sections
-- and certificates each person has: in proportion to the weight, by largest
-- remainders, exactly `progress` and `certs` per copy.
SELECT nextval('users_id_seq') AS uid_base \gset
CREATE TEMP TABLE person AS
SELECT pidx, copy, school_id, board_id, role, fresh, started,
	:uid_base + row_number() OVER (ORDER BY copy, NOT fresh, pidx) - 1 AS uid,
	(floor(cum::numeric * p.progress / total)
	 - floor((cum - w)::numeric * p.progress / total))::int AS n_sections,
	(floor(cum::numeric * p.certs / total)
	 - floor((cum - w)::numeric * p.certs / total))::int AS n_certs,
	p.anchor, p.seed
FROM (SELECT *, sum(w) OVER (PARTITION BY copy ORDER BY pidx) AS cum,
	sum(w) OVER (PARTITION BY copy) AS total FROM person0) c, params p;
DROP TABLE person0;
ANALYZE person;

-- Bulk load: the secondary indexes and the keys nothing refers to are
-- dropped for the load and made again after it (a sorted build instead of
-- millions of single inserts), all in this one transaction, so that an
-- interrupted load leaves the tables as they were.  Keys that foreign keys
-- use stay.
CREATE TEMP TABLE index_def (sql text);
DO $$
DECLARE
	i record;
BEGIN
	FOR i IN SELECT c.relname AS tab, x.relname AS idx, k.conname,
			pg_get_indexdef(x.oid) AS idef,
			pg_get_constraintdef(k.oid) AS cdef
		FROM pg_index ix
		JOIN pg_class c ON c.oid = ix.indrelid
		JOIN pg_class x ON x.oid = ix.indexrelid
		LEFT JOIN pg_constraint k ON k.conindid = ix.indexrelid
			AND k.conrelid = ix.indrelid AND k.contype IN ('p', 'u')
		WHERE c.relnamespace = 'public'::regnamespace
		AND c.relname IN ('users', 'staff', 'section_progress', 'certificates')
		AND NOT EXISTS (SELECT 1 FROM pg_constraint f
			WHERE f.contype = 'f' AND f.conindid = ix.indexrelid)
	LOOP
		IF i.conname IS NOT NULL THEN
			INSERT INTO index_def VALUES (format('ALTER TABLE %I ADD CONSTRAINT %I %s',
				i.tab, i.conname, i.cdef));
			EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', i.tab, i.conname);
		ELSE
			INSERT INTO index_def VALUES (i.idef);
			EXECUTE format('DROP INDEX %I', i.idx);
		END IF;
	END LOOP;
END $$;

INSERT INTO users (id, email, email_canonical, name, password_hash, role,
	school_id, board_id, email_verified, created_at)
SELECT uid, 'p' || lpad(pidx::text, 8, '0') || '@bench.invalid',
	'p' || lpad(pidx::text, 8, '0') || '@bench.invalid',
	'Medewerker ' || pidx,
	:'pwhash', role, school_id, board_id, true, started
FROM person ORDER BY uid;

INSERT INTO staff (school_id, email, name, role, user_id, source, started_at)
SELECT school_id, 'p' || lpad(pidx::text, 8, '0') || '@bench.invalid',
	'Medewerker ' || pidx,
	role, uid, 'roster', started
FROM person ORDER BY uid;

-- ----------------------------------------------------- section progress
-- The sections a role can do, in course order.
CREATE TEMP TABLE role_section AS
SELECT r.role, array_agg(m.id ORDER BY m.position, m.slug, s.position, s.id) AS mods,
	array_agg(s.id ORDER BY m.position, m.slug, s.position, s.id) AS secs
FROM (VALUES ('teacher'), ('ib')) r (role)
JOIN modules m ON m.active AND NOT m.in_person AND r.role = ANY (m.audience)
JOIN sections s ON s.module_id = m.id AND s.active
GROUP BY r.role;

-- A person's sections are a prefix of the course.  Rows go in in time
-- order, as they would in production (not clustered by person).
INSERT INTO section_progress (user_id, module_id, section_id, done_at)
SELECT uid, module_id, section_id, done_at FROM (
	SELECT pe.uid, rs.mods[r] AS module_id, rs.secs[r] AS section_id,
		pe.anchor - make_interval(days => floor(pg_temp.u01(pe.pidx, 4, pe.seed) * 700)::int)
			+ make_interval(mins => r * 7) AS done_at
	FROM person pe JOIN role_section rs ON rs.role = pe.role
	CROSS JOIN LATERAL generate_series(1, least(pe.n_sections,
		cardinality(rs.mods))) r
	WHERE pe.n_sections > 0
) x ORDER BY done_at;

-- ---------------------------------------------------------- certificates
-- The modules a role holds certificates of: the required ones in course
-- order, then the others.  A person with more certificates than modules has
-- older, expired ones too (renewals).
CREATE TEMP TABLE role_module AS
SELECT r.role,
	array_agg(m.id ORDER BY (q.module_slug IS NULL), m.position, m.slug) AS mods,
	array_agg(m.version ORDER BY (q.module_slug IS NULL), m.position, m.slug) AS versions,
	array_agg(m.validity_months ORDER BY (q.module_slug IS NULL), m.position, m.slug) AS months
FROM (VALUES ('teacher'), ('ib')) r (role)
JOIN modules m ON m.active AND (r.role = ANY (m.audience))
LEFT JOIN requirements q ON q.role = r.role AND q.module_slug = m.slug
GROUP BY r.role;

INSERT INTO certificates (code, user_id, module_id, module_version, issued_at,
	expires_at)
SELECT code, uid, module_id, version, issued,
	issued + make_interval(months => months)
FROM (
	SELECT pe.uid,
		-- 22 characters, like the service's codes.
		'C' || lpad(pe.pidx::text, 11, '0') || lpad(k::text, 2, '0')
			|| left(md5('bench:' || pe.seed || ':' || pe.pidx || ':' || k), 8) AS code,
		rm.mods[i] AS module_id, rm.versions[i] AS version, rm.months[i] AS months,
		pe.anchor - make_interval(days => CASE WHEN (k - 1) / n = 0
			-- The current certificate: up to 900 days old, so that some
			-- expired, some expire within 90 days, most are valid.
			THEN floor(pg_temp.u01(pe.pidx * 64 + k, 5, pe.seed) * 900)::int
			-- An earlier one, long expired.
			ELSE 1200 + 400 * ((k - 1) / n)
				+ floor(pg_temp.u01(pe.pidx * 64 + k, 6, pe.seed) * 300)::int
			END) AS issued
	FROM person pe JOIN role_module rm ON rm.role = pe.role
	CROSS JOIN LATERAL (SELECT cardinality(rm.mods) AS n) c
	CROSS JOIN LATERAL generate_series(1, pe.n_certs) k
	CROSS JOIN LATERAL (SELECT (k - 1) % n + 1 AS i) j
	WHERE pe.n_certs > 0
) x ORDER BY issued;

SELECT setval('users_id_seq', greatest((SELECT max(id) FROM users), 1)) \g /dev/null
SELECT sql FROM index_def \gexec
COMMIT;
SET session_replication_role = origin;
ANALYZE users;
ANALYZE staff;
ANALYZE section_progress;
ANALYZE certificates;
ANALYZE schools;
ANALYZE boards;
-- The stays went in without triggers: their certification status
-- (sql/007_staff_status.sql) is computed once now, then the table is
-- rewritten so that a school's stays are together again.
SELECT staff_status_backfill() \g /dev/null
VACUUM (FULL) staff;
ANALYZE staff;

-- What was made, for the stamp and the log.
SELECT 'people', count(*) FROM person
UNION ALL SELECT 'fresh', count(*) FILTER (WHERE fresh AND copy = 0) FROM person
UNION ALL SELECT 'fresh_first_uid', min(uid) FROM person WHERE fresh AND copy = 0
UNION ALL SELECT 'fresh_last_uid', max(uid) FROM person WHERE fresh AND copy = 0
UNION ALL SELECT 'progress', sum(n_sections) FROM person
UNION ALL SELECT 'certificates', sum(n_certs) FROM person
UNION ALL SELECT 'schools', count(*) FROM school_copy
UNION ALL SELECT 'boards', count(DISTINCT board_id) FROM school_copy;
