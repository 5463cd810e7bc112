// Package ingest loads input files into the embedded store with nothing
// lost: every record is stored, recognised as already stored (unchanged),
// reported as a conflict with the stored record, or rejected with its file,
// line, column and reason and written to a reject file beside the input.
//
// One call of Files is one transaction: a load aborted past MaxErrors, by
// a fatal error, by cancellation or by a crash leaves the store as it was
// (byte for byte under 64 MiB of input; every table and index for larger
// inputs, which run as a bulk load with a rollback journal when nothing
// else has the store open — see sqlite.DB.BeginBulkLoad and the Report's
// Journal).
// Parties are loaded before everything else whatever the order of the
// paths, so that transfers are checked against them.
//
// Inputs are read through the Source interface: CSV in vigil's interchange
// format (package csv) and ISO 20022 documents (package iso20022) today;
// another format plugs in by implementing Source. Reading runs in its own
// goroutine, a batch ahead of the writing, so that parsing and SQLite use
// both cores.
//
// The package does no terminal I/O of its own beyond an optional progress
// bar; cmd/vigil prints the Report.
package ingest
