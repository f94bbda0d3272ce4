-- A declined invitation holds for the board, not just for the one stay it
-- was made for: a board that takes a person off its roster and lists them
-- again (a new stay, or another of its schools) could otherwise ask again
-- and again, each time with a mail.  A person who has not answered yet
-- gets no second mail from the same board either.  Review of issue 11.

CREATE OR REPLACE FUNCTION staff_invite(p_staff bigint, p_user bigint,
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
