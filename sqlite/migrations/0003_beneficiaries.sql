-- The beneficiary resolution kept in the store (issue 5): resolving the
-- recipients of every transfer into beneficiaries is a streaming pass
-- with stable ids, made once and kept, so that `vigil trace` and
-- `vigil correlate` build the payment network without redoing it.
--
-- beneficiary_runs     one row per resolution kept; the newest row is
--                      the one in force. It says which transfers the
--                      resolution covers (every rowid <= max_rowid, their
--                      count) and which resolver made it, so that a store
--                      that got new transfers, or a binary with another
--                      resolver, is detected and the resolution made again.
-- beneficiaries        the resolved beneficiaries, numbered 0.. (ben) in
--                      the order the graph lists them. names, phones and
--                      accounts are lists, each value as a uvarint length
--                      and its bytes (values may hold any character).
-- beneficiary_assign   the beneficiary (ben) of every transfer, in blocks
--                      of consecutive rowids: block holds one little-endian
--                      int32 per rowid from first_rowid, -1 for a rowid
--                      with no transfer.

CREATE TABLE beneficiary_runs (
	run_id        INTEGER PRIMARY KEY,
	resolver      TEXT NOT NULL,
	max_rowid     INTEGER NOT NULL,
	transfers     INTEGER NOT NULL,
	beneficiaries INTEGER NOT NULL,
	started_at    TEXT NOT NULL, -- RFC 3339 UTC
	finished_at   TEXT NOT NULL,
	seconds       REAL NOT NULL  -- resolving and keeping it, wall time
);

CREATE TABLE beneficiaries (
	ben            INTEGER PRIMARY KEY,
	beneficiary_id TEXT NOT NULL,
	name           TEXT NOT NULL DEFAULT '',
	names          BLOB NOT NULL DEFAULT x'',
	phones         BLOB NOT NULL DEFAULT x'',
	accounts       BLOB NOT NULL DEFAULT x'',
	city           TEXT NOT NULL DEFAULT '',
	country        TEXT NOT NULL DEFAULT '',
	birth_date     TEXT NOT NULL DEFAULT '',
	party_id       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE beneficiary_assign (
	first_rowid INTEGER PRIMARY KEY,
	block       BLOB NOT NULL
);

-- The prepared rows of the payment network over the same transfers
-- (graph.Graph.EachPrepared): per transfer, in rowid order from row 0,
-- its sender's index, its beneficiary (ben), its payment row in
-- graph.AppendPrepared's fixed layout and its id; and the tables the
-- rows index (graph_tables: kind senders, currencies, purposes or cities,
-- list as in beneficiaries.names). They are kept with the resolution
-- (same run, same coverage) so that the next trace replays them instead
-- of reading and preparing every transfer again.
CREATE TABLE graph_tables (
	kind TEXT PRIMARY KEY,
	list BLOB NOT NULL
);

CREATE TABLE graph_rows (
	first_row INTEGER PRIMARY KEY,
	n         INTEGER NOT NULL,
	rows      BLOB NOT NULL,  -- n rows of graph.PreparedRowSize bytes
	ids       BLOB NOT NULL   -- n transfer ids, each a uvarint length and its bytes
);
