-- Device cookies (issue 11, second round): a browser where an account once
-- logged in is judged only by its own failed logins, so that nobody else's
-- failures can slow the owner down there; browsers without one share a
-- counter per account across all clients (handlers/auth.c).

-- One row per device of an account: the SHA-256 (hex) of the cookie's 256
-- random bits, never the cookie itself.  At most 20 per account (the oldest
-- go when a new one is made), each for 180 days; the row's failures count
-- only while the last one is less than 15 minutes old.  Erase deletes them
-- (store/accounts.c user_erase), a password reset too; a change by the
-- owner keeps them.
CREATE TABLE login_devices (
	id          bigserial PRIMARY KEY,
	user_id     bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	cookie_hash text NOT NULL UNIQUE CHECK (cookie_hash ~ '^[0-9a-f]{64}$'),
	created_at  timestamptz NOT NULL DEFAULT now(),
	expires_at  timestamptz NOT NULL,
	failures    integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
	failed_at   timestamptz
);
CREATE INDEX login_devices_user_idx ON login_devices(user_id);
CREATE INDEX login_devices_expires_idx ON login_devices(expires_at);

-- The client's network for the per-client cap: the IPv4 address, or the
-- IPv6 /48 (one site), while `client` stays the /64 of the pair counter.
-- Rows from before have '' and leave the 15-minute window soon.
ALTER TABLE login_failures ADD COLUMN net text NOT NULL DEFAULT '';
DROP INDEX login_failures_client_idx;
CREATE INDEX login_failures_net_idx ON login_failures(net, at);
