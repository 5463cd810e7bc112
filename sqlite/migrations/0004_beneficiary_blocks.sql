-- The kept beneficiaries (migration 0003) as blocks (issue 5): reading
-- 948,608 beneficiaries a row each, ten columns a row, cost ~3 CPU s of
-- a correlate at 5M transfers; one row per block of consecutive
-- beneficiaries is read as one value and decoded without a call into
-- SQLite per field.
--
-- beneficiary_blocks   the beneficiaries first_ben .. first_ben+n-1 of the
--                      kept resolution, in order. data holds, for each,
--                      its id, name, names, phones, accounts, city,
--                      country, birth date (year, month, day) and party
--                      id: a string is a uvarint length and its bytes, a
--                      list a uvarint count and its strings, a number a
--                      uvarint. A resolution kept with this migration
--                      applied is written here, and the beneficiaries
--                      table of 0003 is left empty; a resolution kept
--                      before it is of an older format
--                      (graph.ResolutionFormat 1) and is made again by the
--                      next trace, which empties that table.

CREATE TABLE beneficiary_blocks (
	first_ben INTEGER PRIMARY KEY,
	n         INTEGER NOT NULL,
	data      BLOB NOT NULL
);
