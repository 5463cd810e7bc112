// Package goaml writes and reads goAML reports, the XML format of UNODC's
// goAML system in which reporting entities file suspicious transaction
// reports (STR) with their financial intelligence unit (FIU).
//
// The export takes domain values (parties, transfers, alerts and the
// reporting entity) and a Profile that holds one FIU's code lists and the
// schema differences that matter; profiles for the generic 5.0.1 schema
// (default), the UAE 5.0.2, Indonesia PPATK 4.0.2 and Sri Lanka 2.0 schemas
// are embedded. The reader turns the
// transactions and parties of received reports into transfers and parties
// with the report as provenance.
//
// The package does not decide what is suspicious and does not file reports;
// it never writes to a store.
package goaml
