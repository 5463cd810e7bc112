-- A compact transfers row (issue 2, ingest rate). Until now a row held
-- its timestamp three times (ts as RFC 3339 text, ts_unix, ts_nano) and
-- the file path of its source on every row (source, "path:line"). Now:
--
--   ts_ns       nanoseconds since 1970 UTC: the instant, once, exact
--               (years 1678–2262, the range of a signed 64-bit count)
--   ts_off      the offset from UTC as given, in seconds east; the
--               RFC 3339 text is ts_ns shown at that offset, exactly as
--               stored before (Go's RFC3339Nano form, 'Z' for offset 0)
--   source_id   the file (or report) the row came from: load_sources
--   source_line the line in it; the row's source is name:line, or name
--               alone when source_line is NULL
--
-- The content hash is unchanged: it is taken over the same fields as
-- before, the timestamp as its RFC 3339 text.

CREATE TABLE load_sources (
	source_id INTEGER PRIMARY KEY,
	load_id   INTEGER, -- the load that first read it (loads.load_id); NULL for rows stored before 0002
	name      TEXT NOT NULL
);

ALTER TABLE transfers ADD COLUMN ts_ns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE transfers ADD COLUMN ts_off INTEGER NOT NULL DEFAULT 0;
ALTER TABLE transfers ADD COLUMN source_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE transfers ADD COLUMN source_line INTEGER;

-- Upgrade stored rows. A source "name:123" (line without leading zero,
-- at most 18 digits) is split at the digits it ends with (rtrim strips
-- them); any other source is kept whole as a name, with no line.
UPDATE transfers SET source_line = CAST(substr(source, length(rtrim(source, '0123456789')) + 1) AS INTEGER)
	WHERE rtrim(source, '0123456789') GLOB '*:'
	AND substr(source, length(rtrim(source, '0123456789')) + 1, 1) GLOB '[1-9]'
	AND length(source) - length(rtrim(source, '0123456789')) <= 18;

INSERT INTO load_sources (name)
	SELECT DISTINCT CASE WHEN source_line IS NULL THEN source
		ELSE substr(source, 1, length(source) - length(source_line) - 1) END
	FROM transfers ORDER BY 1;

UPDATE transfers SET
	ts_ns = ts_unix * 1000000000 + ts_nano,
	ts_off = CASE WHEN substr(ts, -1) = 'Z' THEN 0
		ELSE (CASE substr(ts, -6, 1) WHEN '-' THEN -1 ELSE 1 END)
			* (CAST(substr(ts, -5, 2) AS INTEGER) * 3600 + CAST(substr(ts, -2, 2) AS INTEGER) * 60) END,
	source_id = (SELECT s.source_id FROM load_sources s WHERE s.name =
		CASE WHEN source_line IS NULL THEN source
			ELSE substr(source, 1, length(source) - length(source_line) - 1) END);

-- A timestamp outside 1678–2262 does not fit in ts_ns (the product above
-- turns into a REAL): stop the migration rather than store a wrong time.
CREATE TABLE migration_0002_check (
	bad INTEGER CONSTRAINT "a stored transfer has a timestamp outside the years 1678-2262" CHECK (bad = 0)
);
INSERT INTO migration_0002_check SELECT count(*) FROM transfers WHERE typeof(ts_ns) <> 'integer';
DROP TABLE migration_0002_check;

DROP INDEX transfers_sender_time;
DROP INDEX transfers_time;
ALTER TABLE transfers DROP COLUMN ts;
ALTER TABLE transfers DROP COLUMN ts_unix;
ALTER TABLE transfers DROP COLUMN ts_nano;
ALTER TABLE transfers DROP COLUMN source;
CREATE INDEX transfers_sender_time ON transfers (sender_id, ts_ns);
CREATE INDEX transfers_time ON transfers (ts_ns, transfer_id);
