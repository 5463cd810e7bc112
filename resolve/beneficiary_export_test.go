package resolve

import "unsafe"

// RefResolver is the session-3-start resolver (beneficiary_ref_test.go),
// exported to the world tests of package resolve_test.
type RefResolver = refResolver

// NewRefResolver returns an empty reference resolver.
func NewRefResolver() *RefResolver { return newRefResolver() }

// MemoryBreakdown returns the bytes the resolver's main structures hold
// (capacities, not lengths), by name, for the memory figures.
func (r *BeneficiaryResolver) MemoryBreakdown() map[string]int {
	m := map[string]int{}
	m["records table"] = cap(r.records.slots) * int(unsafe.Sizeof(recSlot{}))
	m["keys table"] = cap(r.keys.slots) * int(unsafe.Sizeof(keySlot{}))
	m["names table"] = cap(r.names.slots) * int(unsafe.Sizeof(nameSlot{}))
	m["per record: parent"] = cap(r.parent) * 4
	m["per record: rec"] = cap(r.rec) * 8
	m["per record: idh"] = cap(r.idh) * 8
	m["per record: nameOf"] = cap(r.nameOf) * 4
	m["per record: flag"] = cap(r.flag)
	m["per record: cbirth"] = cap(r.cbirth) * 4
	toks := cap(r.nameToks.at) * 8
	toks += cap(r.nameToks.names) * 16
	for _, c := range r.nameToks.chunks {
		toks += cap(c) * 16
	}
	m["name tokens (headers; bytes in the arena)"] = toks
	ar := 0
	for _, c := range r.data.chunks {
		ar += cap(c)
	}
	for _, w := range r.work {
		for _, c := range w.data.chunks {
			ar += cap(c)
		}
	}
	m["arena"] = ar
	m["links"] = cap(r.links) * int(unsafe.Sizeof(benLink{}))
	mem := 0
	for _, s := range r.sets {
		mem += cap(s.ms)*8 + cap(s.names)*4
	}
	m["members (lists and name ids)"] = mem
	m["members (sets, setOf, free)"] = cap(r.sets)*int(unsafe.Sizeof(memberSet{})) + cap(r.setOf)*4 + cap(r.freeSets)*4
	m["phones memo entries"] = len(r.phones) * (8 + 16)
	m["cities memo"] = cap(r.cities.slots)*int(unsafe.Sizeof(citySlot{})) + cap(r.cities.strs)*16
	return m
}

// TableUse returns the entries of the record, key and name tables and
// their slots, for sizing figures.
func (r *BeneficiaryResolver) TableUse() [6]int {
	return [6]int{r.records.used, len(r.records.slots), r.keys.used, len(r.keys.slots), r.names.used, len(r.names.slots)}
}
