-- Core schema: organisation, accounts, course content, progress, certificates.
-- Never stores anything about children or cases: only staff, schools, boards,
-- training records and course content.

CREATE FUNCTION rfc3339(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;

CREATE TABLE regions (
	id         bigserial PRIMARY KEY,
	name       text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200)
);

CREATE TABLE boards (
	id         bigserial PRIMARY KEY,
	name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	number     text UNIQUE,
	region_id  bigint REFERENCES regions(id)
);

CREATE TABLE schools (
	id           bigserial PRIMARY KEY,
	board_id     bigint NOT NULL REFERENCES boards(id),
	name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	brin         text UNIQUE CHECK (brin ~ '^[0-9A-Z]{4}[0-9]{2}$'),
	municipality text,
	join_code    text NOT NULL UNIQUE,
	closed_at    timestamptz
);
CREATE INDEX schools_board_idx ON schools(board_id);

CREATE TABLE users (
	id                 bigserial PRIMARY KEY,
	email              text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
	name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	password_hash      text NOT NULL,
	role               text NOT NULL CHECK (role IN ('teacher', 'ib', 'trainer',
	                       'board_admin', 'region_viewer', 'admin')),
	school_id          bigint REFERENCES schools(id),
	board_id           bigint REFERENCES boards(id),
	region_id          bigint REFERENCES regions(id),
	email_verified     boolean NOT NULL DEFAULT false,
	-- Tokens issued before this moment are refused (password change, erase).
	tokens_valid_after timestamptz NOT NULL DEFAULT '-infinity',
	created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_idx ON users(lower(email));
CREATE INDEX users_school_idx ON users(school_id);

-- Logout: the jti of a token stays here until the token would have expired.
CREATE TABLE revoked_tokens (
	jti        text PRIMARY KEY,
	expires_at timestamptz NOT NULL
);

-- Failed logins per email, for the 10-per-15-minutes limit; registrations per
-- client address.
CREATE TABLE login_failures (
	email text NOT NULL,
	at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_idx ON login_failures(email, at);

CREATE TABLE register_attempts (
	addr text NOT NULL,
	at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX register_attempts_idx ON register_attempts(addr, at);

-- Course content, loaded from content/ by hgkm-content. A module's version goes
-- up only when its content hash changes; sections and questions keep their ids
-- across versions, and rows that disappear are marked inactive, never deleted,
-- so that progress and attempts keep pointing at something.
CREATE TABLE modules (
	id                bigserial PRIMARY KEY,
	slug              text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
	title             text NOT NULL,
	summary           text NOT NULL,
	audience          text[] NOT NULL,
	estimated_minutes integer NOT NULL CHECK (estimated_minutes BETWEEN 1 AND 600),
	validity_months   integer NOT NULL CHECK (validity_months BETWEEN 1 AND 240),
	pass_mark         integer NOT NULL CHECK (pass_mark BETWEEN 1 AND 100),
	position          integer NOT NULL DEFAULT 0,
	version           integer NOT NULL DEFAULT 1,
	content_hash      text NOT NULL,
	active            boolean NOT NULL DEFAULT true,
	loaded_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sections (
	module_id bigint NOT NULL REFERENCES modules(id),
	id        text NOT NULL CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
	position  integer NOT NULL,
	title     text NOT NULL,
	html      text NOT NULL,
	active    boolean NOT NULL DEFAULT true,
	PRIMARY KEY (module_id, id)
);

CREATE TABLE quiz_questions (
	module_id   bigint NOT NULL REFERENCES modules(id),
	id          text NOT NULL,
	position    integer NOT NULL,
	text        text NOT NULL,
	multiple    boolean NOT NULL,
	explanation text NOT NULL,
	active      boolean NOT NULL DEFAULT true,
	PRIMARY KEY (module_id, id)
);

CREATE TABLE quiz_choices (
	module_id   bigint NOT NULL,
	question_id text NOT NULL,
	id          text NOT NULL,
	position    integer NOT NULL,
	text        text NOT NULL,
	correct     boolean NOT NULL,
	PRIMARY KEY (module_id, question_id, id),
	FOREIGN KEY (module_id, question_id) REFERENCES quiz_questions(module_id, id)
);

CREATE TABLE section_progress (
	user_id    bigint NOT NULL REFERENCES users(id),
	module_id  bigint NOT NULL,
	section_id text NOT NULL,
	done_at    timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, module_id, section_id),
	FOREIGN KEY (module_id, section_id) REFERENCES sections(module_id, id)
);

CREATE TABLE quiz_attempts (
	id             bigserial PRIMARY KEY,
	user_id        bigint NOT NULL REFERENCES users(id),
	module_id      bigint NOT NULL REFERENCES modules(id),
	module_version integer NOT NULL,
	score          integer NOT NULL,
	passed         boolean NOT NULL,
	answers        jsonb NOT NULL,
	created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quiz_attempts_user_idx ON quiz_attempts(user_id, module_id);

-- A completion is a certificate: issued once per pass while none is valid.
CREATE TABLE certificates (
	id             bigserial PRIMARY KEY,
	code           text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{22,64}$'),
	user_id        bigint NOT NULL REFERENCES users(id),
	module_id      bigint NOT NULL REFERENCES modules(id),
	module_version integer NOT NULL,
	issued_at      timestamptz NOT NULL DEFAULT now(),
	expires_at     timestamptz NOT NULL,
	issued_by      bigint REFERENCES users(id),
	attempt_id     bigint REFERENCES quiz_attempts(id),
	CHECK (expires_at > issued_at)
);
CREATE INDEX certificates_user_idx ON certificates(user_id, module_id, expires_at);
