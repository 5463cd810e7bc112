// Package oracle is the transfers and parties readers of package csv as
// they were at commit 5ab2d51 (session 5), frozen: the tests of package
// csv read the same bytes with both and require the same records, sources,
// rejects, lines and columns (FuzzTransferOracle, FuzzPartyOracle). Only
// tests import it; do not change it to follow package csv.
package oracle
