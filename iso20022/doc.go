// Package iso20022 reads ISO 20022 payment messages into vigil's transfers
// and parties: customer credit transfers between banks (pacs.008), customer
// payment initiations (pain.001) and bank-to-customer statements, reports and
// notifications (camt.053, camt.052, camt.054).
//
// The message type and version are taken from the document's namespace, not
// from the file name. The reader streams: it holds one transaction (one
// statement entry for camt) at a time, so a statement of any size is read in
// bounded memory (it remembers only the ids of the debtors it has returned).
// It refuses a document type declaration (DOCTYPE) outright
// and never resolves entities; nesting depth and the size of one token are
// bounded (Limits).
//
// The package reads only; it does not validate against the XSDs (tests do
// that with xmllint) and it never writes to a store.
package iso20022
