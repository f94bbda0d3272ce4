-- PROPOSED migration (bench/, for the lead; not in sql/): each staff row
-- carries its own certification status, kept up to date by triggers, so
-- that the board and region reports read staff rows only instead of
-- probing `certificates` three times per person.
--
-- Why (docs/capacity.md, "Reports"): the board report of the largest board
-- (57 locations, ~3,700 staff on the national dataset) runs three
-- correlated subqueries per person (certified / af / expiring), ~11,000
-- index probes and ~23,000 buffer hits; the region report does the same for
-- ~21,000 staff.  With the status on the row, the board report is 57 index
-- scans of staff_school_idx and an aggregate.
--
-- Goes with the STAFF_STATUS_CTE of bench/proposed-coverage.diff.  A bulk
-- load that bypasses triggers (session_replication_role = replica, as
-- bench/dataset.sql does) must run the backfill UPDATE at the end again.
--
-- Semantics are those of backend/src/store/coverage.c at time now():
--   certified  = every module required of the role has a certificate with
--                expires_at > now()  <=>  cert_until > now(), where
--                cert_until = min over required modules of the latest
--                expires_at (NULL when a requirement has no certificate, no
--                loaded module, or the role has no requirement);
--   af         = an IB'er holds a valid certificate of a requirement marked
--                af  <=>  af_until > now();
--   expiring   = the person's certificates with now() < expires_at <=
--                now() + 90 days, counted from cert_expiries (sorted; only
--                certificates still valid when the row was refreshed are
--                kept: one that had expired then cannot expire again) as
--                width_bucket(now() + 90 days, a) - width_bucket(now(), a),
--                a binary search instead of a subquery per person.
--
-- Measured (bench/, a copy of the 10x database, one client, pgbench -M
-- prepared, this shared 2-core machine): board report of the largest board
-- median 43 ms / p99 64 ms now, 8.9 ms / 19.6 ms with this migration and
-- the diff; the same JSON for every board and region compared.

ALTER TABLE staff
	ADD COLUMN cert_until timestamptz,
	ADD COLUMN af_until timestamptz,
	ADD COLUMN cert_expiries timestamptz[] NOT NULL DEFAULT '{}';

CREATE FUNCTION staff_status_of(p_user bigint, p_role text,
	OUT cert_until timestamptz, OUT af_until timestamptz,
	OUT cert_expiries timestamptz[])
LANGUAGE sql STABLE AS $$
	WITH req AS (SELECT m.id AS module_id, r.af FROM requirements r
		LEFT JOIN modules m ON m.slug = r.module_slug AND m.active
		WHERE r.role = p_role),
	best AS (SELECT req.af, (SELECT max(c.expires_at) FROM certificates c
		WHERE c.user_id = p_user AND c.module_id = req.module_id) AS until
		FROM req)
	SELECT CASE WHEN p_user IS NULL OR NOT EXISTS (SELECT 1 FROM best)
			OR EXISTS (SELECT 1 FROM best WHERE until IS NULL) THEN NULL
			ELSE (SELECT min(until) FROM best) END,
		CASE WHEN p_role = 'ib' THEN (SELECT max(until) FROM best WHERE af) END,
		coalesce((SELECT array_agg(c.expires_at ORDER BY c.expires_at)
			FROM certificates c WHERE c.user_id = p_user
			AND c.expires_at > now()), '{}')
$$;

-- A stay gets its status when it is made or changes person or role.
CREATE FUNCTION staff_status_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	SELECT s.cert_until, s.af_until, s.cert_expiries
	INTO NEW.cert_until, NEW.af_until, NEW.cert_expiries
	FROM staff_status_of(NEW.user_id, NEW.role) s;
	RETURN NEW;
END $$;
CREATE TRIGGER staff_status BEFORE INSERT OR UPDATE OF user_id, role ON staff
	FOR EACH ROW EXECUTE FUNCTION staff_status_row();

-- A certificate issued, changed or removed refreshes its holder's stays.
CREATE FUNCTION staff_status_refresh_user(p_user bigint) RETURNS void
LANGUAGE sql AS $$
	UPDATE staff st SET (cert_until, af_until, cert_expiries) =
		(SELECT s.cert_until, s.af_until, s.cert_expiries
		 FROM staff_status_of(st.user_id, st.role) s)
	WHERE st.user_id = p_user
$$;
CREATE FUNCTION certificates_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM staff_status_refresh_user(OLD.user_id);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') AND
		(TG_OP = 'INSERT' OR NEW.user_id IS DISTINCT FROM OLD.user_id) THEN
		PERFORM staff_status_refresh_user(NEW.user_id);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER certificates_status AFTER INSERT OR UPDATE OR DELETE
	ON certificates FOR EACH ROW EXECUTE FUNCTION certificates_status();

-- What is required changed (an admin edits requirements, hgkm-content
-- loads, renames or retires a module): every stay again.  Rare, and one
-- statement: about 10 s per 250,000 staff.
CREATE FUNCTION staff_status_refresh_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE staff st SET (cert_until, af_until, cert_expiries) =
		(SELECT s.cert_until, s.af_until, s.cert_expiries
		 FROM staff_status_of(st.user_id, st.role) s)
	WHERE st.user_id IS NOT NULL;
	RETURN NULL;
END $$;
CREATE TRIGGER requirements_status AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON requirements FOR EACH STATEMENT EXECUTE FUNCTION staff_status_refresh_all();
CREATE TRIGGER modules_status_update AFTER UPDATE ON modules FOR EACH ROW
	WHEN (OLD.active IS DISTINCT FROM NEW.active OR OLD.slug IS DISTINCT FROM NEW.slug)
	EXECUTE FUNCTION staff_status_refresh_all();
CREATE TRIGGER modules_status_insert AFTER INSERT ON modules FOR EACH ROW
	EXECUTE FUNCTION staff_status_refresh_all();

-- The reports read a school's open stays from this index alone.
CREATE INDEX staff_status_idx ON staff (school_id)
	INCLUDE (role, user_id, cert_until, af_until, cert_expiries)
	WHERE left_at IS NULL;

-- Backfill.  It rewrites every stay: run VACUUM (FULL) staff (or pg_repack)
-- afterwards so that a school's stays are together again.
UPDATE staff st SET (cert_until, af_until, cert_expiries) =
	(SELECT s.cert_until, s.af_until, s.cert_expiries
	 FROM staff_status_of(st.user_id, st.role) s)
WHERE st.user_id IS NOT NULL;
