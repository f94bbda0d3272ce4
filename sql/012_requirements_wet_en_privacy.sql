-- Issue 12: the new module wet-en-privacy (meldrecht, the board's duty to
-- report a suspected sexual offence by staff, the AVG for the school's notes)
-- is required of teachers and IB'ers.  Until a person passes it, they are
-- not certified: that is the point of adding it to the course.
INSERT INTO requirements (role, module_slug, af) VALUES
	('teacher', 'wet-en-privacy', false),
	('ib', 'wet-en-privacy', false)
ON CONFLICT DO NOTHING;
