// Package csv reads and writes vigil's interchange format: the CSV files
// parties.csv, transfers.csv, calls.csv, leads.csv and seeds.csv described
// in docs/format.md, and the FX rates table given with --fx.
//
// The readers are strict and streaming. Every row is either returned as a
// valid domain value (its Validate method passes, its Source is "file:line")
// or rejected with a *RowError naming the file, the line, the column and a
// reason written for the person who has to fix the file. Nothing is dropped
// silently: blank lines are the only input skipped.
//
// The scanner is a byte-level RFC 4180 parser written for throughput: one
// reusable buffer read in large blocks, cells found eight bytes at a time
// and read in place, one string allocation per accepted row (every text
// field is a substring of it, so a row costs the same whether its cells
// repeat or not), country and currency codes taken from shared read-only
// tables, dates and offsets of timestamps cached from row to row, and
// amounts and timestamps parsed from bytes.
//
// The package knows nothing of storage or detection; it turns bytes into
// domain values and back.
package csv
