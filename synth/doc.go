// Package synth generates synthetic worlds for vigil's demo, tests and
// benchmarks: the domestic customers of a remittance provider over some
// months, with honest segments (family remittances, adult webcam customers,
// romance-scam victims, charity sponsors, people sending to themselves,
// ordinary users) and a small share of buyers who pay facilitators of
// live-streamed child sexual abuse abroad; the call logs of seized
// facilitator devices; a partner's noisy client list with namesake decoys;
// and duplicate customer records. The ground truth goes to truth/.
//
// The parameters are calibrated to published figures and drawn per world
// from plausible ranges by the seed (docs/synth.md). Ids are opaque and no
// field marks a segment: detection must find the patterns, not the
// generator's fingerprints.
//
// It writes payment, identity and communication metadata only: no content,
// no real person. Names come from embedded lists of common names, emails use
// example domains, and British and North American phones use the ranges
// reserved for fiction.
package synth
