-- 0005: the index on transfers.beneficiary_id holds only the transfers
-- whose recipient is a known party (beneficiary_id not empty). Most
-- transfers go to recipients abroad known by name only: the full index
-- held one ('', rowid) entry per such transfer, which no query reads
-- (a recipient known by name is found through transfers_beneficiary_name)
-- and which a load paid for on every row, on SQLite's single writer
-- (docs/performance.md, "Ingest, session 6"). A query by beneficiary_id
-- uses this index when it says `beneficiary_id <> ''` too (see
-- Network.RecipientEdges): SQLite uses a partial index only for a query
-- whose WHERE implies the index's.
DROP INDEX transfers_beneficiary;
CREATE INDEX transfers_beneficiary ON transfers (beneficiary_id) WHERE beneficiary_id <> '';
