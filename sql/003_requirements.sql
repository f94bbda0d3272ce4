-- What each role must hold (issue 5's course): teachers modules 1 to 5,
-- IB'ers 1 to 6 plus the in-person aandachtsfunctionaris training, whose
-- certificate makes the school's certified aandachtsfunctionaris.  Data: an
-- admin may change these rows; a slug without a loaded module can be held
-- by nobody, so it keeps everyone uncertified until the module exists.
INSERT INTO requirements (role, module_slug, af) VALUES
	('teacher', 'signalen-herkennen', false),
	('teacher', 'meldcode-vijf-stappen', false),
	('teacher', 'het-gesprek', false),
	('teacher', 'samenwerken', false),
	('teacher', 'handle-with-care', false),
	('ib', 'signalen-herkennen', false),
	('ib', 'meldcode-vijf-stappen', false),
	('ib', 'het-gesprek', false),
	('ib', 'samenwerken', false),
	('ib', 'handle-with-care', false),
	('ib', 'aandachtsfunctionaris', false),
	('ib', 'af-praktijktraining', true);
