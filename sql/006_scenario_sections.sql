-- A module section can be a role-play: it names the scenario by slug (the
-- example scenarios get theirs from their file name) and counts as done
-- once the learner has played the scenario to an end.
ALTER TABLE scenarios ADD COLUMN slug text UNIQUE
	CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$');
ALTER TABLE sections DROP COLUMN scenario_id;
ALTER TABLE sections ADD COLUMN scenario_slug text;
