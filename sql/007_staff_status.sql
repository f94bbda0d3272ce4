-- Each stay (staff row) carries its person's certification status, kept up
-- to date by triggers, so that the board and region reports read staff rows
-- only (an index-only scan of staff_status_idx) instead of probing
-- `certificates` three times per person.  docs/capacity.md, "Reports":
-- board report of the largest board 39 -> 4 ms, region 205 -> 18 ms.
--
-- Semantics are those of backend/src/store/coverage.c at time now():
--   certified  = every module required of the role has a certificate with
--                expires_at > now()  <=>  cert_until > now(), where
--                cert_until = min over required modules of the latest
--                expires_at (NULL when a requirement has no certificate, no
--                active module, or the role has no requirement at all);
--   af         = an IB'er holds a valid certificate of a module of a
--                requirement marked af  <=>  af_until > now();
--   expiring   = the person's certificates with now() < expires_at <=
--                now() + 90 days, counted from cert_expiries (sorted; only
--                certificates still valid when the row was refreshed are
--                kept: one that had expired then cannot expire again) as
--                width_bucket(now() + 90 days, a) - width_bucket(now(), a).
-- Each of these is a fixed moment, so a status stays right as time passes;
-- it changes only when certificates, the stay's person or role, the
-- requirements or the modules change, and each of those has a trigger.
--
-- Erasing an account (store/accounts.c) keeps the stays' user_id and the
-- certificates, so the counts of the past stay right; nothing to do here.
--
-- The triggers run as whoever writes: the service's role hgkm_app needs
-- UPDATE on staff (deploy/dev/stack.sh and deploy/production/README.md
-- grant it on all tables) and SELECT on the tables read below.
--
-- A bulk load that bypasses triggers (session_replication_role = replica,
-- as bench/dataset.sql does) must run SELECT staff_status_backfill()
-- afterwards.

ALTER TABLE staff
	ADD COLUMN cert_until timestamptz,
	ADD COLUMN af_until timestamptz,
	ADD COLUMN cert_expiries timestamptz[] NOT NULL DEFAULT '{}';

CREATE FUNCTION staff_status_of(p_user bigint, p_role text,
	OUT cert_until timestamptz, OUT af_until timestamptz,
	OUT cert_expiries timestamptz[])
LANGUAGE sql STABLE AS $$
	WITH req AS (SELECT m.id AS module_id FROM requirements r
		LEFT JOIN modules m ON m.slug = r.module_slug AND m.active
		WHERE r.role = p_role),
	best AS (SELECT (SELECT max(c.expires_at) FROM certificates c
		WHERE c.user_id = p_user AND c.module_id = req.module_id) AS until
		FROM req)
	SELECT CASE WHEN p_user IS NULL OR NOT EXISTS (SELECT 1 FROM best)
			OR EXISTS (SELECT 1 FROM best WHERE until IS NULL) THEN NULL
			ELSE (SELECT min(until) FROM best) END,
		-- As coverage.c had it: a requirement marked af, of any role.
		CASE WHEN p_role = 'ib' THEN (SELECT max(c.expires_at)
			FROM requirements r JOIN modules m ON m.slug = r.module_slug
			AND m.active JOIN certificates c ON c.module_id = m.id
			AND c.user_id = p_user WHERE r.af) END,
		coalesce((SELECT array_agg(c.expires_at ORDER BY c.expires_at)
			FROM certificates c WHERE c.user_id = p_user
			AND c.expires_at > now()), '{}')
$$;

-- Concurrent writers for the same person (two certificates at once, a stay
-- linked while a certificate is issued) lock the person's users row first:
-- the second then reads with a snapshot taken after the first committed,
-- so neither overwrites the other's status with one that misses its
-- certificate.  A row lock, not an advisory lock: a roster import links
-- up to 50,000 stays in one transaction, more than the shared lock table
-- holds.  (UPDATE on users, which hgkm_app has, allows FOR NO KEY UPDATE;
-- it does not block foreign-key checks, which take KEY SHARE.)
CREATE FUNCTION staff_status_lock(p_user bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM 1 FROM users WHERE id = p_user FOR NO KEY UPDATE;
END $$;

-- A stay gets its status when it is made or changes person or role.
CREATE FUNCTION staff_status_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.user_id IS NOT NULL THEN
		PERFORM staff_status_lock(NEW.user_id);
	END IF;
	SELECT s.cert_until, s.af_until, s.cert_expiries
	INTO NEW.cert_until, NEW.af_until, NEW.cert_expiries
	FROM staff_status_of(NEW.user_id, NEW.role) s;
	RETURN NEW;
END $$;
CREATE TRIGGER staff_status BEFORE INSERT OR UPDATE OF user_id, role ON staff
	FOR EACH ROW EXECUTE FUNCTION staff_status_row();

-- A certificate issued, changed or removed refreshes its holder's stays.
CREATE FUNCTION staff_status_refresh_user(p_user bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM staff_status_lock(p_user);
	UPDATE staff st SET (cert_until, af_until, cert_expiries) =
		(SELECT s.cert_until, s.af_until, s.cert_expiries
		 FROM staff_status_of(st.user_id, st.role) s)
	WHERE st.user_id = p_user;
END $$;
CREATE FUNCTION certificates_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM staff_status_refresh_user(OLD.user_id);
	END IF;
	IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE'
			AND NEW.user_id IS DISTINCT FROM OLD.user_id) THEN
		PERFORM staff_status_refresh_user(NEW.user_id);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER certificates_status AFTER INSERT OR UPDATE OR DELETE
	ON certificates FOR EACH ROW EXECUTE FUNCTION certificates_status();

-- Every stay with a person again (the backfill, and what the triggers
-- below run).  Rewrites the rows: after a large one, VACUUM (FULL) staff
-- (or pg_repack) keeps a school's stays together.
CREATE FUNCTION staff_status_backfill() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	UPDATE staff st SET (cert_until, af_until, cert_expiries) =
		(SELECT s.cert_until, s.af_until, s.cert_expiries
		 FROM staff_status_of(st.user_id, st.role) s)
	WHERE st.user_id IS NOT NULL;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END $$;

-- What is required changed (an admin edits requirements; hgkm-content
-- loads, renames, retires or brings back a module whose slug is required):
-- every stay again.  Rare, one statement: ~25 s per 250,000 staff.
-- Statement-level, so that a content load refreshes once, not per module.
CREATE FUNCTION requirements_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM staff_status_backfill();
	RETURN NULL;
END $$;
CREATE TRIGGER requirements_status AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON requirements FOR EACH STATEMENT EXECUTE FUNCTION requirements_status();

CREATE FUNCTION modules_status_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM new_modules n
			JOIN requirements r ON r.module_slug = n.slug) THEN
		PERFORM staff_status_backfill();
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER modules_status_insert AFTER INSERT ON modules
	REFERENCING NEW TABLE AS new_modules
	FOR EACH STATEMENT EXECUTE FUNCTION modules_status_insert();

CREATE FUNCTION modules_status_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM old_modules o JOIN new_modules n ON n.id = o.id
			WHERE (o.active IS DISTINCT FROM n.active
				OR o.slug IS DISTINCT FROM n.slug)
			AND EXISTS (SELECT 1 FROM requirements r
				WHERE r.module_slug IN (o.slug, n.slug))) THEN
		PERFORM staff_status_backfill();
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER modules_status_update AFTER UPDATE ON modules
	REFERENCING OLD TABLE AS old_modules NEW TABLE AS new_modules
	FOR EACH STATEMENT EXECUTE FUNCTION modules_status_update();

-- The reports read a school's open stays from this index alone.
CREATE INDEX staff_status_idx ON staff (school_id)
	INCLUDE (role, user_id, cert_until, af_until, cert_expiries)
	WHERE left_at IS NULL;

DO $$ BEGIN PERFORM staff_status_backfill(); END $$;
