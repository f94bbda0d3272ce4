-- Accounts and privacy (issue 11): one canonical email per account, login
-- throttling per address and client, mail linked to the people it is to or
-- about (so that erase finds it).

-- The canonical form of users.email, computed by the service
-- (validate.c:email_canonical: ASCII only, ASCII lower case) and used by
-- every lookup of an account by address.  PostgreSQL's lower() under a
-- UTF-8 locale folds U+0130 to 'i' and the Kelvin sign to 'k', so look-alike
-- addresses met the real one in the old unique index on lower(email); the
-- backfill folds ASCII only (COLLATE "C" makes lower() ASCII-only).
ALTER TABLE users ADD COLUMN email_canonical text;
UPDATE users SET email_canonical = lower(email COLLATE "C");
ALTER TABLE users ALTER COLUMN email_canonical SET NOT NULL;
ALTER TABLE users ADD CONSTRAINT users_email_canonical_key
	UNIQUE (email_canonical);
ALTER TABLE users ADD CONSTRAINT users_email_canonical_of_email
	CHECK (email_canonical = lower(email COLLATE "C"));
-- NOT VALID: an address with a byte outside ASCII that was registered before
-- this migration stays as it was; it can no longer be typed (the service
-- refuses such input), so its owner needs an admin.  Every new or changed
-- row must be printable ASCII in lower case.
ALTER TABLE users ADD CONSTRAINT users_email_canonical_ascii
	CHECK (email_canonical ~ '^[\x21-\x7e]+$'
	       AND email_canonical = lower(email_canonical COLLATE "C")) NOT VALID;
DROP INDEX users_email_idx;

-- Failed logins are counted per (canonical address, client address) and per
-- client address, for a growing delay instead of a lock-out
-- (handlers/auth.c).  Rows older than the window are pruned as new ones
-- come in; erase deletes the person's rows.
ALTER TABLE login_failures ADD COLUMN client text NOT NULL DEFAULT '';
CREATE INDEX login_failures_pair_idx ON login_failures(email, client, at);
CREATE INDEX login_failures_client_idx ON login_failures(client, at);
CREATE INDEX login_failures_at_idx ON login_failures(at);

-- The accounts a mail is to or about (a reset mail: its recipient; the
-- monthly digest: the people it names), so that erasing a person finds
-- every mail that holds their name or address.
ALTER TABLE mail_outbox ADD COLUMN user_ids bigint[] NOT NULL DEFAULT '{}';
CREATE INDEX mail_outbox_user_ids_idx ON mail_outbox USING gin (user_ids);
CREATE INDEX mail_outbox_recipient_idx
	ON mail_outbox ((lower(recipient COLLATE "C")));
