-- Findings imported from vigil match, trace, correlate and dedupe output
-- (http helper, issue 6). One row per natural key; the whole result is
-- kept as JSON so that its explanation is never lost.
CREATE TABLE findings (
	id          TEXT PRIMARY KEY,
	kind        TEXT NOT NULL,
	key         TEXT NOT NULL,
	score       REAL NOT NULL,
	decision    TEXT NOT NULL,
	body        TEXT NOT NULL,   -- the Finding as JSON, provenance included
	digest      TEXT NOT NULL,   -- SHA-256 of the result without provenance
	source      TEXT NOT NULL,   -- file:line
	run_at      INTEGER NOT NULL,
	imported_at INTEGER NOT NULL,
	UNIQUE (kind, key)
);
CREATE INDEX findings_kind_score ON findings(kind, score DESC);

-- The parties a finding concerns and the leads or seeds it is about.
CREATE TABLE finding_parties (
	finding_id TEXT NOT NULL REFERENCES findings(id),
	party_id   TEXT NOT NULL,
	PRIMARY KEY (finding_id, party_id)
);
CREATE INDEX finding_parties_party ON finding_parties(party_id);

CREATE TABLE finding_leads (
	finding_id TEXT NOT NULL REFERENCES findings(id),
	lead_id    TEXT NOT NULL,
	PRIMARY KEY (finding_id, lead_id)
);
CREATE INDEX finding_leads_lead ON finding_leads(lead_id);
