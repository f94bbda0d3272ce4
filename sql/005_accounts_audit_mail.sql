-- Mail outbox, one-time account tokens (email verification, password
-- reset), and the audit log of board, trainer and admin actions.

-- Mail is queued here in the same transaction as what caused it, and sent
-- by the mailer process through a sendmail-compatible command; a row is
-- never deleted, so nothing is lost.
CREATE TABLE mail_outbox (
	id         bigserial PRIMARY KEY,
	recipient  text NOT NULL,
	subject    text NOT NULL,
	body       text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	next_try   timestamptz NOT NULL DEFAULT now(),
	attempts   integer NOT NULL DEFAULT 0,
	sent_at    timestamptz,
	last_error text
);
CREATE INDEX mail_outbox_pending_idx ON mail_outbox(next_try) WHERE sent_at IS NULL;

-- Only a SHA-256 of each token is stored: a database dump does not hand out
-- working links.
CREATE TABLE account_tokens (
	token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	user_id    bigint NOT NULL REFERENCES users(id),
	purpose    text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
	expires_at timestamptz NOT NULL,
	used_at    timestamptz
);
CREATE INDEX account_tokens_user_idx ON account_tokens(user_id, purpose);

CREATE TABLE audit_log (
	id       bigserial PRIMARY KEY,
	at       timestamptz NOT NULL DEFAULT now(),
	actor_id bigint REFERENCES users(id),
	action   text NOT NULL,
	target   text NOT NULL,
	details  jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log(at DESC);

ALTER TABLE users ADD COLUMN erased_at timestamptz;

-- One digest per month: the mailer queues it when this month has no row.
CREATE TABLE digest_runs (
	month     date PRIMARY KEY,
	queued_at timestamptz NOT NULL DEFAULT now()
);
