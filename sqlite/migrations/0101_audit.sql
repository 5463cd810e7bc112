-- The append-only, hash-chained audit log (http helper, issue 6).
CREATE TABLE audit_events (
	seq         INTEGER PRIMARY KEY,
	time        INTEGER NOT NULL, -- unix microseconds, UTC
	user_name   TEXT NOT NULL,
	action      TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id   TEXT NOT NULL,
	purpose     TEXT NOT NULL,
	detail      TEXT NOT NULL,
	prev_hash   TEXT NOT NULL,
	hash        TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_events_user ON audit_events(user_name, seq);
CREATE INDEX audit_events_object ON audit_events(object_type, object_id, seq);

-- Appending is the only write the store allows; verification detects
-- whoever goes around these triggers.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
