-- The criteria a trainer judges per attendee of an in-person training
-- (issue 12, point 5).
--
-- The criteria are content (module.json "criteria"), kept per module
-- version: a judgement names the version it was made against, so an
-- evidence pack shows the texts the trainer actually judged, also after the
-- content changed.  A judgement is a jsonb object criterion id -> boolean,
-- with who judged and when.  An attendee without one was present but not
-- judged (an older record, or a trainer who records presence first); a pass
-- needs every criterion of that version judged true (the service checks it
-- when recording; the CHECKs below keep the shape).

CREATE TABLE module_criteria (
	module_id      bigint NOT NULL REFERENCES modules(id),
	module_version integer NOT NULL,
	-- [{"id": "...", "text": "..."}, ...] in the order of module.json
	criteria       jsonb NOT NULL CHECK (jsonb_typeof(criteria) = 'array'
	               AND jsonb_array_length(criteria) BETWEEN 1 AND 12),
	PRIMARY KEY (module_id, module_version)
);

ALTER TABLE training_attendance
	ADD COLUMN criteria jsonb CHECK (jsonb_typeof(criteria) = 'object'),
	ADD COLUMN criteria_version integer,
	ADD COLUMN judged_by bigint REFERENCES users(id),
	ADD COLUMN judged_at timestamptz,
	ADD CONSTRAINT training_attendance_judged CHECK (
		(criteria IS NULL) = (criteria_version IS NULL)
		AND (criteria IS NULL) = (judged_by IS NULL)
		AND (criteria IS NULL) = (judged_at IS NULL)),
	-- Every value a boolean, and no pass with a criterion not met.
	ADD CONSTRAINT training_attendance_criteria_met CHECK (
		criteria IS NULL OR (
		NOT jsonb_path_exists(criteria, '$.* ? (@.type() != "boolean")')
		AND NOT (passed AND jsonb_path_exists(criteria,
			'$.* ? (@ == false)'))));

ALTER TABLE training_credits
	ADD COLUMN criteria jsonb CHECK (jsonb_typeof(criteria) = 'object'),
	ADD COLUMN criteria_version integer,
	ADD COLUMN judged_by bigint REFERENCES users(id),
	ADD COLUMN judged_at timestamptz,
	ADD CONSTRAINT training_credits_judged CHECK (
		(criteria IS NULL) = (criteria_version IS NULL)
		AND (criteria IS NULL) = (judged_by IS NULL)
		AND (criteria IS NULL) = (judged_at IS NULL)),
	-- Every value a boolean, and no pass with a criterion not met.
	ADD CONSTRAINT training_credits_criteria_met CHECK (
		criteria IS NULL OR (
		NOT jsonb_path_exists(criteria, '$.* ? (@.type() != "boolean")')
		AND NOT (passed AND jsonb_path_exists(criteria,
			'$.* ? (@ == false)'))));

-- As in 009, and the judgement goes with the credit into the attendance.
CREATE OR REPLACE FUNCTION training_credits_apply(p_user bigint) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	c       record;
	v_valid bigint;
	v_new   bigint;
	v_day   timestamptz;
	n       integer := 0;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM users WHERE id = p_user AND email_verified
			AND erased_at IS NULL) THEN
		RETURN 0;
	END IF;
	FOR c IN SELECT tc.training_id, tc.staff_id, tc.passed, tc.criteria,
			tc.criteria_version, tc.judged_by, tc.judged_at,
			t.module_id, t.trainer_id, t.held_on
		FROM training_credits tc JOIN staff st ON st.id = tc.staff_id
		JOIN trainings t ON t.id = tc.training_id
		WHERE st.user_id = p_user ORDER BY t.held_on, t.id
	LOOP
		PERFORM pg_advisory_xact_lock(hashtextextended(
			p_user::text || ':' || c.module_id::text, 0));
		IF NOT EXISTS (SELECT 1 FROM training_attendance a
				WHERE a.training_id = c.training_id
				AND a.user_id = p_user) THEN
			v_new := NULL;
			v_valid := NULL;
			IF c.passed THEN
				SELECT id INTO v_valid FROM certificates
				WHERE user_id = p_user AND module_id = c.module_id
				AND expires_at > now()
				ORDER BY expires_at DESC LIMIT 1;
				IF v_valid IS NULL THEN
					-- Noon in the Netherlands: the same date in
					-- UTC as on the training day.
					v_day := (c.held_on + time '12:00')
						AT TIME ZONE 'Europe/Amsterdam';
					INSERT INTO certificates (code, user_id,
						module_id, module_version, issued_at,
						expires_at, issued_by)
					SELECT translate(encode(substr(sha256(
						convert_to(gen_random_uuid()::text
						|| gen_random_uuid()::text, 'UTF8')),
						1, 16), 'base64'), '+/=', '-_'),
						p_user, m.id, m.version, v_day,
						v_day + make_interval(
						months => m.validity_months),
						c.trainer_id
					FROM modules m WHERE m.id = c.module_id
					RETURNING id INTO v_new;
					IF v_new IS NOT NULL THEN
						n := n + 1;
					END IF;
				END IF;
			END IF;
			INSERT INTO training_attendance (training_id, user_id,
				passed, certificate_id, criteria, criteria_version,
				judged_by, judged_at)
			VALUES (c.training_id, p_user, c.passed,
				CASE WHEN c.passed THEN coalesce(v_new, v_valid) END,
				c.criteria, c.criteria_version, c.judged_by,
				c.judged_at);
		END IF;
		DELETE FROM training_credits
		WHERE training_id = c.training_id AND staff_id = c.staff_id;
	END LOOP;
	RETURN n;
END $$;
