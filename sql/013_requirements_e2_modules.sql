-- Issue 12: two modules added to the course, required of teachers and
-- IB'ers alike: online-en-seksueel (online sexual abuse and sexual behaviour
-- between children) and lessen-in-de-klas (the Klokhuis series and lesson
-- kit in groep 7, a child who tells after such a lesson, the letter to
-- parents).  Data, like 003: the requirements_status trigger (007) refreshes
-- the staff status, so everyone is uncertified until they hold both.
INSERT INTO requirements (role, module_slug, af) VALUES
	('teacher', 'online-en-seksueel', false),
	('teacher', 'lessen-in-de-klas', false),
	('ib', 'online-en-seksueel', false),
	('ib', 'lessen-in-de-klas', false)
ON CONFLICT DO NOTHING;
