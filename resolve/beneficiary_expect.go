package resolve

import "github.com/vigilfiu/vigil/internal/memory"

// Sizing from a hint. Grown step by step, the tables and per-record
// arrays of a 5M-transfer stream were allocated about three times over
// (the record and key tables grow by half, the arrays double), all of it
// fresh memory: each new 4 KiB page costs a fault, ~2.5–3 µs of system
// CPU on a small VM, and each growth a copy, most of it on the
// stream-order goroutine. A caller that knows about how many transfers
// will come (vigil trace: the transfers file's size) says so once with
// Expect, and each structure is made once at about its final size.
// Results never depend on it: a table's slot order is never read in
// order (the listing only counts per node), and a stream larger than
// expected grows the tables as before.

// Expected records per transfer and join keys per record: the synth
// worlds of 20k to 400k customers hold 0.32–0.33 distinct recipient
// records per transfer and 1.05–1.28 keys per record, so 3/8 and 5/4
// leave room; names per record fall with the world's size (0.50 to
// 0.20), so the name table is sized for the large worlds' share and
// grows on smaller ones.
const (
	expectRecordsNum, expectRecordsDen = 3, 8
	expectKeysNum, expectKeysDen       = 5, 4
	expectNamesDen                     = 6
)

// Expect prepares an empty resolver for a stream of about n transfers:
// its tables are made at the size that stream most likely needs and its
// per-record arrays get that capacity (untouched capacity costs address
// space, not memory). It changes no result; it is ignored once a
// transfer has been observed, and for n ≤ 0.
func (r *BeneficiaryResolver) Expect(n int) {
	if n <= 0 || len(r.parent) > 0 {
		return
	}
	recs := n / expectRecordsDen * expectRecordsNum
	if recs < 1024 {
		return
	}
	if s := recs * 4 / 3; s > len(r.records.slots) {
		r.records.init(s)
	}
	if s := recs / expectKeysDen * expectKeysNum * 4 / 3; s > len(r.keys.slots) {
		r.keys.init(s)
	}
	names := recs / expectNamesDen
	s := len(r.names.slots)
	for s*3 < names*4 {
		s *= 2
	}
	if s > len(r.names.slots) {
		r.names.init(s)
	}
	r.parent = make([]int32, 0, recs)
	r.rec = make([]uint64, 0, recs)
	r.idh = make([]uint64, 0, recs)
	r.nameOf = make([]int32, 0, recs)
	r.flag = make([]uint8, 0, recs)
	r.cbirth = make([]packedDate, 0, recs)
	r.setOf = make([]int32, 0, recs)
	r.prints = make([]uint32, 0, recs)
	r.links = make([]benLink, 0, recs)
	r.sets = make([]memberSet, 0, recs/5) // merged roots: 0.21 per record at 5M
	r.nameToks.at = make([]uint64, 0, names)
	r.nameToks.names = make([]string, 0, names)
	// The tables are written at random and the per-record arrays in
	// full: their pages are mapped now, one call each (memory.Prefault).
	memory.Prefault(r.records.slots)
	memory.Prefault(r.keys.slots)
	memory.Prefault(r.names.slots)
	memory.Prefault(r.parent)
	memory.Prefault(r.rec)
	memory.Prefault(r.idh)
	memory.Prefault(r.nameOf)
	memory.Prefault(r.cbirth)
	memory.Prefault(r.setOf)
	memory.Prefault(r.prints)
	memory.Prefault(r.links)
}
