-- Core tables of the embedded store: the records loaded by `vigil ingest`
-- and the alerts of a scan. Absent text is stored as '' (never NULL) so
-- that every reader scans plain strings. Each loaded row carries the file
-- and line it came from (source) and a hash of its content (content_hash,
-- FNV-1a 64 over the fields, source excluded) so that re-loading the same
-- record is recognised as unchanged and other content as a conflict.

CREATE TABLE parties (
	party_id     TEXT NOT NULL PRIMARY KEY,
	kind         TEXT NOT NULL,           -- person | organisation
	full_name    TEXT NOT NULL,
	birth_date   TEXT NOT NULL DEFAULT '', -- YYYY, YYYY-MM or YYYY-MM-DD
	gender       TEXT NOT NULL DEFAULT '',
	nationality  TEXT NOT NULL DEFAULT '',
	country      TEXT NOT NULL DEFAULT '',
	city         TEXT NOT NULL DEFAULT '',
	address      TEXT NOT NULL DEFAULT '',
	postcode     TEXT NOT NULL DEFAULT '',
	phone        TEXT NOT NULL DEFAULT '',
	email        TEXT NOT NULL DEFAULT '',
	id_number    TEXT NOT NULL DEFAULT '',
	source       TEXT NOT NULL DEFAULT '',
	content_hash INTEGER NOT NULL
);

-- sender_id is checked against parties by the load, row by row, with a
-- reason a user can act on; a declared foreign key would only say
-- "constraint failed" and cost a second lookup per row.
CREATE TABLE transfers (
	transfer_id            TEXT NOT NULL PRIMARY KEY,
	ts                     TEXT NOT NULL,    -- RFC 3339 with the offset as given
	ts_unix                INTEGER NOT NULL, -- seconds since 1970 UTC, for ordering
	ts_nano                INTEGER NOT NULL DEFAULT 0, -- nanoseconds within the second
	sender_id              TEXT NOT NULL,
	sender_account         TEXT NOT NULL DEFAULT '',
	beneficiary_id         TEXT NOT NULL DEFAULT '',
	beneficiary_name       TEXT NOT NULL DEFAULT '',
	beneficiary_phone      TEXT NOT NULL DEFAULT '',
	beneficiary_account    TEXT NOT NULL DEFAULT '',
	beneficiary_city       TEXT NOT NULL DEFAULT '',
	beneficiary_country    TEXT NOT NULL,
	beneficiary_birth_date TEXT NOT NULL DEFAULT '',
	amount                 INTEGER NOT NULL, -- exact, millionths of the currency unit
	currency               TEXT NOT NULL,    -- ISO 4217
	channel                TEXT NOT NULL DEFAULT '',
	provider               TEXT NOT NULL DEFAULT '',
	purpose                TEXT NOT NULL DEFAULT '',
	source                 TEXT NOT NULL DEFAULT '',
	content_hash           INTEGER NOT NULL
);
CREATE INDEX transfers_sender_time ON transfers (sender_id, ts_unix);
CREATE INDEX transfers_beneficiary ON transfers (beneficiary_id);
CREATE INDEX transfers_time ON transfers (ts_unix, ts_nano, transfer_id);

CREATE TABLE call_events (
	event_id     TEXT NOT NULL PRIMARY KEY,
	ts           TEXT NOT NULL,
	ts_unix      INTEGER NOT NULL,
	ts_nano      INTEGER NOT NULL DEFAULT 0,
	account      TEXT NOT NULL,
	counterpart  TEXT NOT NULL,
	platform     TEXT NOT NULL DEFAULT '',
	direction    TEXT NOT NULL DEFAULT '',
	kind         TEXT NOT NULL DEFAULT '',
	duration_s   INTEGER NOT NULL DEFAULT 0,
	source       TEXT NOT NULL DEFAULT '',
	content_hash INTEGER NOT NULL
);
CREATE INDEX call_events_account_time ON call_events (account, ts_unix);
CREATE INDEX call_events_counterpart ON call_events (counterpart);

-- list is "leads" for a partner's client list and "seeds" for arrested
-- facilitators; ids are unique within a list.
CREATE TABLE leads (
	list         TEXT NOT NULL,
	lead_id      TEXT NOT NULL,
	full_name    TEXT NOT NULL DEFAULT '',
	birth_date   TEXT NOT NULL DEFAULT '',
	phone        TEXT NOT NULL DEFAULT '',
	email        TEXT NOT NULL DEFAULT '',
	handle       TEXT NOT NULL DEFAULT '',
	account      TEXT NOT NULL DEFAULT '',
	city         TEXT NOT NULL DEFAULT '',
	country      TEXT NOT NULL DEFAULT '',
	note         TEXT NOT NULL DEFAULT '',
	source       TEXT NOT NULL DEFAULT '',
	content_hash INTEGER NOT NULL,
	PRIMARY KEY (list, lead_id)
);

CREATE TABLE alerts (
	alert_id   TEXT NOT NULL PRIMARY KEY,
	party_id   TEXT NOT NULL,
	score      REAL NOT NULL,
	rank       INTEGER NOT NULL DEFAULT 0,
	typology   TEXT NOT NULL DEFAULT '',
	hits       TEXT NOT NULL DEFAULT '[]', -- JSON array of vigil.Hit
	rule_pack  TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,              -- RFC 3339 UTC
	status     TEXT NOT NULL DEFAULT 'new', -- new | dismissed | escalated
	reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alerts_party ON alerts (party_id);
CREATE INDEX alerts_status_score ON alerts (status, score DESC);

-- One row per committed `vigil ingest`: what was loaded, for provenance.
CREATE TABLE loads (
	load_id     INTEGER PRIMARY KEY,
	started_at  TEXT NOT NULL,
	finished_at TEXT NOT NULL,
	summary     TEXT NOT NULL -- JSON report of the load
);
