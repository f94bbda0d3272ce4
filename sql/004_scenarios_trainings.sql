-- Role-play scenarios (versions kept; attempts refer to the version played),
-- their media, and in-person trainings with attendance.

-- A module done only in person (the aandachtsfunctionaris training): not
-- listed for learners, no quiz attempts; a trainer's attendance issues it.
ALTER TABLE modules ADD COLUMN in_person boolean NOT NULL DEFAULT false;

CREATE TABLE scenarios (
	id                bigserial PRIMARY KEY,
	owner_id          bigint NOT NULL REFERENCES users(id),
	current_version   integer NOT NULL DEFAULT 1,
	published_version integer,
	status            text NOT NULL DEFAULT 'draft'
	                  CHECK (status IN ('draft', 'published')),
	created_at        timestamptz NOT NULL DEFAULT now(),
	updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scenarios_owner_idx ON scenarios(owner_id);

CREATE TABLE scenario_versions (
	scenario_id bigint NOT NULL REFERENCES scenarios(id),
	version     integer NOT NULL,
	title       text NOT NULL,
	audience    text[] NOT NULL,
	document    jsonb NOT NULL,
	created_at  timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (scenario_id, version)
);

CREATE TABLE scenario_attempts (
	id          bigserial PRIMARY KEY,
	scenario_id bigint NOT NULL,
	version     integer NOT NULL,
	user_id     bigint NOT NULL REFERENCES users(id),
	choices     integer[] NOT NULL,
	path        text[] NOT NULL,
	score       integer NOT NULL,
	outcome     text NOT NULL,
	created_at  timestamptz NOT NULL DEFAULT now(),
	FOREIGN KEY (scenario_id, version) REFERENCES scenario_versions(scenario_id, version)
);
CREATE INDEX scenario_attempts_idx ON scenario_attempts(scenario_id, version);
CREATE INDEX scenario_attempts_user_idx ON scenario_attempts(user_id, scenario_id);

-- Media files live on disk under their SHA-256 (content-addressed, never a
-- name from the request); this table says whose scenario they belong to.
CREATE TABLE scenario_media (
	id          text NOT NULL CHECK (id ~ '^[0-9a-f]{64}$'),
	scenario_id bigint NOT NULL REFERENCES scenarios(id),
	mime        text NOT NULL CHECK (mime IN ('image/png', 'image/jpeg',
	                'audio/mpeg', 'video/mp4')),
	size        bigint NOT NULL,
	created_at  timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (id, scenario_id)
);

-- A module section may be a scenario: done once played to an end.
ALTER TABLE sections ADD COLUMN scenario_id bigint REFERENCES scenarios(id);

CREATE TABLE trainings (
	id         bigserial PRIMARY KEY,
	trainer_id bigint NOT NULL REFERENCES users(id),
	title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	module_id  bigint NOT NULL REFERENCES modules(id),
	held_on    date NOT NULL,
	location   text NOT NULL CHECK (length(location) BETWEEN 1 AND 200),
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trainings_trainer_idx ON trainings(trainer_id);

CREATE TABLE training_attendance (
	training_id    bigint NOT NULL REFERENCES trainings(id),
	user_id        bigint NOT NULL REFERENCES users(id),
	passed         boolean NOT NULL,
	recorded_at    timestamptz NOT NULL DEFAULT now(),
	certificate_id bigint REFERENCES certificates(id),
	PRIMARY KEY (training_id, user_id)
);
