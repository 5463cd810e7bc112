-- Cases, their members, parties, evidence and history (http helper, issue 6).
CREATE TABLE cases (
	seq        INTEGER PRIMARY KEY,
	id         TEXT NOT NULL UNIQUE,
	title      TEXT NOT NULL,
	status     TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	assignee   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE case_members (
	case_id   TEXT NOT NULL REFERENCES cases(id),
	user_name TEXT NOT NULL,
	PRIMARY KEY (case_id, user_name)
);
CREATE INDEX case_members_user ON case_members(user_name);

CREATE TABLE case_parties (
	case_id  TEXT NOT NULL REFERENCES cases(id),
	party_id TEXT NOT NULL,
	PRIMARY KEY (case_id, party_id)
);
CREATE INDEX case_parties_party ON case_parties(party_id);

CREATE TABLE case_evidence (
	seq       INTEGER PRIMARY KEY,
	id        TEXT NOT NULL UNIQUE,
	case_id   TEXT NOT NULL REFERENCES cases(id),
	kind      TEXT NOT NULL,
	object_id TEXT NOT NULL,
	note      TEXT NOT NULL,
	source    TEXT NOT NULL,
	added_by  TEXT NOT NULL,
	added_at  INTEGER NOT NULL
);
-- Records are evidence once per case; notes and files may repeat.
CREATE UNIQUE INDEX case_evidence_record ON case_evidence(case_id, kind, object_id)
	WHERE kind NOT IN ('note', 'file');
CREATE INDEX case_evidence_case ON case_evidence(case_id, seq);

CREATE TABLE case_events (
	seq     INTEGER PRIMARY KEY,
	case_id TEXT NOT NULL REFERENCES cases(id),
	at      INTEGER NOT NULL,
	by_user TEXT NOT NULL,
	action  TEXT NOT NULL,
	from_v  TEXT NOT NULL DEFAULT '',
	to_v    TEXT NOT NULL DEFAULT '',
	reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events(case_id, seq);
