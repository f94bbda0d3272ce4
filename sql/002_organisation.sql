-- Organisation data for board and region reports: municipalities, staff
-- membership with history, requirements per role, the school package, and
-- trainer-board links.  Nothing about children or cases.

CREATE TABLE municipalities (
	id        bigserial PRIMARY KEY,
	code      text UNIQUE,              -- DUO's GEMEENTENUMMER, when known
	name      text NOT NULL,
	region_id bigint REFERENCES regions(id)
);
CREATE UNIQUE INDEX municipalities_name_idx ON municipalities(lower(name));

ALTER TABLE regions ADD COLUMN code text UNIQUE; -- DUO's RMC-REGIO CODE
ALTER TABLE schools ADD COLUMN municipality_id bigint REFERENCES municipalities(id);
ALTER TABLE schools ADD COLUMN place text;
CREATE INDEX schools_municipality_idx ON schools(municipality_id);

-- Staff membership: one row per stay of a person at a school.  Leaving sets
-- left_at; moving school closes one row and opens another, so coverage over
-- time can be recomputed for any month.
CREATE TABLE staff (
	id         bigserial PRIMARY KEY,
	school_id  bigint NOT NULL REFERENCES schools(id),
	email      text NOT NULL CHECK (email = lower(email)),
	name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	role       text NOT NULL CHECK (role IN ('teacher', 'ib')),
	user_id    bigint REFERENCES users(id),
	source     text NOT NULL DEFAULT 'roster' CHECK (source IN ('roster', 'join_code')),
	started_at timestamptz NOT NULL DEFAULT now(),
	left_at    timestamptz,
	CHECK (left_at IS NULL OR left_at >= started_at)
);
-- At most one open stay per person per school.
CREATE UNIQUE INDEX staff_open_idx ON staff(school_id, email) WHERE left_at IS NULL;
CREATE INDEX staff_email_idx ON staff(email);
CREATE INDEX staff_user_idx ON staff(user_id);
CREATE INDEX staff_school_idx ON staff(school_id, left_at);

-- Which modules each role must hold; `af` marks the certificate that makes
-- an IB'er the school's certified aandachtsfunctionaris.  Data, not code:
-- modules are named by slug so that requirements can precede the content.
CREATE TABLE requirements (
	role        text NOT NULL CHECK (role IN ('teacher', 'ib')),
	module_slug text NOT NULL,
	af          boolean NOT NULL DEFAULT false,
	PRIMARY KEY (role, module_slug)
);

CREATE TABLE school_package (
	school_id  bigint NOT NULL REFERENCES schools(id),
	item       text NOT NULL CHECK (item IN ('tv_series', 'lesson_kit',
	               'parent_letter', 'veilig_thuis_contact', 'neighbourhood_team')),
	done_on    date NOT NULL,
	ticked_by  bigint REFERENCES users(id),
	ticked_at  timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (school_id, item)
);

CREATE TABLE trainer_boards (
	trainer_id bigint NOT NULL REFERENCES users(id),
	board_id   bigint NOT NULL REFERENCES boards(id),
	PRIMARY KEY (trainer_id, board_id)
);

CREATE INDEX certificates_valid_idx ON certificates(user_id, module_id, expires_at DESC);
