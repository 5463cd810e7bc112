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
// reusable 256 KiB buffer; a line's bytes classified 32 at a time
// (classify_amd64.s: AVX2 where the processor has it, else SSE2, sixteen at
// a time; portable Go elsewhere and with -tags purego) into masks of
// commas, quotes, line ends and non-ASCII bytes, its cells taken from the
// comma bits when every quote encloses a whole cell, and a general parser
// for everything else (doubled quotes, quoted line breaks, malformed
// input); cells read in place; one string per accepted row (every text
// field is a substring of it; ReadShared appends it to the caller's buffer
// instead, and the whole-file readers take it from large chunks); country
// and currency codes from shared read-only tables; the date of the last
// timestamp and the offsets seen lately cached from row to row; amounts
// and timestamps parsed from bytes. Rows of a file with the canonical
// header are checked in one step
// (fast.go) and any row that step does not accept is read again by the
// general code, which alone decides rejects and their messages.
//
// The package knows nothing of storage or detection; it turns bytes into
// domain values and back.
package csv
