-- Question banks per learning objective, and quiz attempts with their stored
-- draw (issue 12).  An attempt is created when the learner starts the quiz:
-- the draw (questions in the order shown, per question its choices in the
-- order shown, with the answer key of that moment) is kept on the server, so
-- grading is against exactly what was shown, even if the content is loaded
-- again in between.

-- Loaded by hgkm-content with the module; kept inactive when they leave the
-- content, like sections and questions.
CREATE TABLE quiz_objectives (
	module_id bigint NOT NULL REFERENCES modules(id),
	id        text NOT NULL CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
	position  integer NOT NULL,
	title     text NOT NULL,
	sections  text[] NOT NULL,
	draw      integer NOT NULL CHECK (draw BETWEEN 1 AND 10),
	active    boolean NOT NULL DEFAULT true,
	PRIMARY KEY (module_id, id)
);

ALTER TABLE quiz_questions ADD COLUMN objective_id text;

-- Attempts before this migration were graded on submit and have no draw:
-- they count as submitted at their creation time.
ALTER TABLE quiz_attempts
	ALTER COLUMN score DROP NOT NULL,
	ALTER COLUMN passed DROP NOT NULL,
	ALTER COLUMN answers DROP NOT NULL,
	ADD COLUMN state text NOT NULL DEFAULT 'submitted'
		CHECK (state IN ('open', 'submitted', 'expired')),
	ADD COLUMN draw jsonb,
	ADD COLUMN expires_at timestamptz,
	ADD COLUMN submitted_at timestamptz,
	ADD COLUMN grading jsonb;
UPDATE quiz_attempts SET submitted_at = created_at;
ALTER TABLE quiz_attempts
	ADD CONSTRAINT quiz_attempts_submitted_check CHECK (state <> 'submitted'
		OR (score IS NOT NULL AND passed IS NOT NULL AND answers IS NOT NULL
		    AND submitted_at IS NOT NULL)),
	ADD CONSTRAINT quiz_attempts_open_check CHECK (state <> 'open'
		OR (draw IS NOT NULL AND expires_at IS NOT NULL));
ALTER TABLE quiz_attempts ALTER COLUMN state SET DEFAULT 'open';

-- At most one open attempt per learner and module: reloading the quiz page
-- returns it instead of drawing anew.
CREATE UNIQUE INDEX quiz_attempts_open_idx ON quiz_attempts(user_id, module_id)
	WHERE state = 'open';
-- The pause after two failures looks at the last submitted attempts.
CREATE INDEX quiz_attempts_submitted_idx
	ON quiz_attempts(user_id, module_id, submitted_at DESC)
	WHERE state = 'submitted';
