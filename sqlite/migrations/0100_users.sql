-- Accounts and sessions of the workspace (http helper, issue 6).
CREATE TABLE users (
	name          TEXT PRIMARY KEY,
	role          TEXT NOT NULL,
	supervisor    TEXT NOT NULL DEFAULT '',
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL, -- unix microseconds
	password_hash TEXT NOT NULL,
	totp_secret   TEXT NOT NULL DEFAULT '',
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
	id         TEXT PRIMARY KEY, -- hex SHA-256 of the secret token
	user_name  TEXT NOT NULL REFERENCES users(name),
	kind       TEXT NOT NULL,
	csrf       TEXT NOT NULL DEFAULT '',
	label      TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL DEFAULT 0 -- 0: never (API tokens)
);
CREATE INDEX sessions_user ON sessions(user_name);
