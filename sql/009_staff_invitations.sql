-- Consent before linking, and training credit that waits for an account
-- (issue 11, points 1 and 6).
--
-- A roster line never links, moves or changes an account that belongs to
-- another board's school: the line stays a stay (staff row) of the roster's
-- board without a person, and the account's owner gets an invitation (a
-- mail and a notice after login) that they accept or decline.  Accepting
-- links the stay to the account (it then counts for both boards); the
-- account keeps its own school, board and role.
--
-- Attendance of an in-person training is stored against the stay when the
-- stay has no verified account yet; once it has one, the credit becomes the
-- completion and certificate, dated the training day, issued by the trainer.
--
-- A stay's email is compared with users.email_canonical (008): the one
-- canonical form our code computes, never PostgreSQL's locale lower().

-- One invitation per stay: a re-import keeps the stay, so it keeps the
-- decision (a declined person is not asked again, an accepted link stays).
CREATE TABLE staff_invitations (
	id         bigserial PRIMARY KEY,
	staff_id   bigint NOT NULL UNIQUE REFERENCES staff(id),
	user_id    bigint NOT NULL REFERENCES users(id),
	status     text NOT NULL DEFAULT 'pending'
	           CHECK (status IN ('pending', 'accepted', 'declined')),
	created_at timestamptz NOT NULL DEFAULT now(),
	decided_at timestamptz,
	CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX staff_invitations_user_idx ON staff_invitations(user_id, status);

-- Attendance waiting for its person's verified account.
CREATE TABLE training_credits (
	training_id bigint NOT NULL REFERENCES trainings(id),
	staff_id    bigint NOT NULL REFERENCES staff(id),
	passed      boolean NOT NULL,
	recorded_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (training_id, staff_id)
);
CREATE INDEX training_credits_staff_idx ON training_credits(staff_id);

-- Invites the account p_user to the stay p_staff, once per stay, and queues
-- the mail to the account's stored address.  True when the invitation is
-- new.  p_url is the service's public URL, for the link in the mail.
-- A declined invitation holds for the board, not just for the one stay it
-- was made for: a board that takes a person off its roster and lists them
-- again (a new stay, or another of its schools) does not ask again; a
-- person who has not answered yet gets no second mail from the same board.
CREATE FUNCTION staff_invite(p_staff bigint, p_user bigint,
	p_url text)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	v_id     bigint;
	v_board  bigint;
	v_before text;
BEGIN
	SELECT s.board_id INTO v_board FROM staff st
	JOIN schools s ON s.id = st.school_id WHERE st.id = p_staff;
	-- The person's latest answer to this board, on another of its stays.
	SELECT i.status INTO v_before FROM staff_invitations i
	JOIN staff st ON st.id = i.staff_id
	JOIN schools s ON s.id = st.school_id
	WHERE i.user_id = p_user AND s.board_id = v_board
	AND i.staff_id <> p_staff ORDER BY i.id DESC LIMIT 1;
	IF v_before = 'declined' THEN
		INSERT INTO staff_invitations (staff_id, user_id, status, decided_at)
		VALUES (p_staff, p_user, 'declined', now())
		ON CONFLICT (staff_id) DO NOTHING;
		RETURN false;
	END IF;
	INSERT INTO staff_invitations (staff_id, user_id)
	VALUES (p_staff, p_user) ON CONFLICT (staff_id) DO NOTHING
	RETURNING id INTO v_id;
	IF v_id IS NULL THEN
		RETURN false;
	END IF;
	IF v_before = 'pending' THEN
		RETURN true;
	END IF;
	INSERT INTO mail_outbox (recipient, subject, body)
	SELECT u.email, 'Uitnodiging van ' || b.name,
		format(E'Beste %s,\n\n'
		'%s heeft je op de personeelslijst gezet van %s, als %s.\n\n'
		'Werk je ook voor dit bestuur? Log in op %s/modules.html en kies '
		'"Accepteren". Dan telt wat je op het leerplatform hebt gedaan ook '
		'mee voor %s. Je account blijft bij je eigen school.\n\n'
		'Werk je daar niet? Kies dan "Weigeren". Er verandert dan niets.\n',
		u.name, b.name, s.name,
		CASE st.role WHEN 'ib' THEN 'intern begeleider' ELSE 'leerkracht' END,
		p_url, b.name)
	FROM users u, staff st
	JOIN schools s ON s.id = st.school_id
	JOIN boards b ON b.id = s.board_id
	WHERE u.id = p_user AND st.id = p_staff;
	RETURN true;
END $$;

-- Turns the training credits of p_user's stays into attendance and, for a
-- pass, the module's certificate dated the training day and issued by the
-- trainer: once per training and person, and no new certificate while one
-- is valid (as attendance does).  Only for a verified, not erased account.
-- Returns the number of certificates issued.
--
-- The lock is the one of quiz attempts and attendance (user:module); each
-- statement after it reads a snapshot taken after the lock, so two runs for
-- the same person cannot both issue.  The code is 128 bits of base64url
-- taken from gen_random_uuid(), which PostgreSQL draws from its strong
-- random source.
CREATE FUNCTION training_credits_apply(p_user bigint) RETURNS integer
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
	FOR c IN SELECT tc.training_id, tc.staff_id, tc.passed, t.module_id,
			t.trainer_id, t.held_on
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
				passed, certificate_id)
			VALUES (c.training_id, p_user, c.passed,
				CASE WHEN c.passed THEN coalesce(v_new, v_valid) END);
		END IF;
		DELETE FROM training_credits
		WHERE training_id = c.training_id AND staff_id = c.staff_id;
	END LOOP;
	RETURN n;
END $$;

-- After an address is verified: the open stays with that address that have
-- no person yet are linked when they belong to the board of the account's
-- school; those of another board (or any, for an account without a school)
-- become invitations.  Then the training credits of the person's stays
-- apply.  Returns the number of new invitations.
CREATE FUNCTION staff_link_verified(p_user bigint, p_url text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	v_board bigint;
	v_staff bigint;
	n       integer := 0;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM users WHERE id = p_user AND email_verified
			AND erased_at IS NULL AND role IN ('teacher', 'ib')) THEN
		RETURN 0;
	END IF;
	SELECT s.board_id INTO v_board FROM users u
	JOIN schools s ON s.id = u.school_id WHERE u.id = p_user;
	UPDATE staff st SET user_id = p_user FROM users u, schools s
	WHERE u.id = p_user AND s.id = st.school_id AND s.board_id = v_board
	AND st.email = u.email_canonical
	AND st.left_at IS NULL AND st.user_id IS NULL
	AND NOT EXISTS (SELECT 1 FROM staff_invitations i
		WHERE i.staff_id = st.id AND i.status = 'declined');
	FOR v_staff IN SELECT st.id FROM staff st
		JOIN schools s ON s.id = st.school_id, users u
		WHERE u.id = p_user AND st.email = u.email_canonical
		AND st.left_at IS NULL AND st.user_id IS NULL
		AND s.board_id IS DISTINCT FROM v_board ORDER BY st.id
	LOOP
		IF staff_invite(v_staff, p_user, p_url) THEN
			n := n + 1;
		END IF;
	END LOOP;
	PERFORM training_credits_apply(p_user);
	RETURN n;
END $$;
