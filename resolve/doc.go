// Package resolve owns entity resolution: it normalises identifiers (names,
// phones, emails, dates), compares records field by field, scores pairs with
// a Fellegi–Sunter model whose m and u probabilities are estimated from the
// data itself, and explains every score field by field in bits.
//
// It matches partner lead lists against domestic parties (Matcher) and
// clusters duplicate parties (Dedupe). It reads no files and opens no
// store: callers hand it records. See docs/matching.md for the method.
package resolve
