-- Review of issue 12.  An attempt is graded on the terms it was started
-- with: the pass mark and the validity of its certificate are stored with
-- the attempt (like module_version), so changing the module while an
-- attempt is open does not change how that attempt counts.  And one
-- source for the pause after two failures in a row.

ALTER TABLE quiz_attempts
	ADD COLUMN pass_mark integer CHECK (pass_mark BETWEEN 0 AND 100),
	ADD COLUMN validity_months integer CHECK (validity_months > 0);
UPDATE quiz_attempts a SET pass_mark = m.pass_mark,
	validity_months = m.validity_months
	FROM modules m WHERE m.id = a.module_id;
ALTER TABLE quiz_attempts
	ALTER COLUMN pass_mark SET NOT NULL,
	ALTER COLUMN validity_months SET NOT NULL;

-- Until when the learner's quiz of a module is paused, or NULL: after the
-- last two submitted attempts both failed, `pause` after the second.  The
-- service passes its QUIZ_PAUSE, so the length is written in one place.
CREATE FUNCTION quiz_paused_until(p_user bigint, p_module bigint,
	p_pause interval)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
	SELECT max(submitted_at) + p_pause
	FROM (SELECT passed, submitted_at FROM quiz_attempts
		WHERE user_id = p_user AND module_id = p_module
		AND state = 'submitted'
		ORDER BY submitted_at DESC LIMIT 2) last
	HAVING count(*) = 2 AND NOT bool_or(passed)
	AND max(submitted_at) + p_pause > now()
$$;
