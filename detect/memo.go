package detect

import "hash/maphash"

// nameMemo remembers what the engine derived from each raw recipient name
// (recName: organisation or not, surname number), so that a name seen
// again with another phone or city — a new raw record, a third of the
// transfers in synth worlds — costs one probe instead of folding and
// splitting the name again. It is an open-addressing table without
// pointers: a name is found by a 64-bit hash of it, and the entry that
// matches is confirmed by 31 bits of a second, independent hash (a false
// match needs 95 bits to collide, about 2^-95 per pair of names probed),
// so no name is stored and the collector never scans it. It keeps every
// name (at most 16 bytes each at half load: about 24 MB for the 5M-transfer
// world's distinct names); a map of strings bounded to 131,072 names
// missed 44 % of its look-ups there and cost a string comparison (a cache
// miss) per hit.
type nameMemo struct {
	slots        []nameSlot
	n            int
	seed1, seed2 maphash.Seed
}

// nameSlot is one entry: h1 is the name's first hash (0: empty; a hash of
// 0 is stored as 1), v holds bit 63..33 the top 31 bits of the second
// hash, bit 32 org, bits 31..0 the surname number.
type nameSlot struct{ h1, v uint64 }

func newNameMemo() nameMemo {
	return nameMemo{slots: make([]nameSlot, 1<<10), seed1: maphash.MakeSeed(), seed2: maphash.MakeSeed()}
}

// hashes returns the two hashes of name as the table uses them.
func (m *nameMemo) hashes(name string) (h1, tag uint64) {
	h1 = maphash.String(m.seed1, name)
	if h1 == 0 {
		h1 = 1
	}
	return h1, maphash.String(m.seed2, name) >> 33 << 33
}

// get returns what was stored for the name of hashes h1 and tag.
func (m *nameMemo) get(h1, tag uint64) (recName, bool) {
	mask := uint64(len(m.slots) - 1)
	for p := h1 & mask; ; p = (p + 1) & mask {
		s := &m.slots[p]
		if s.h1 == 0 {
			return recName{}, false
		}
		if s.h1 == h1 && s.v>>33<<33 == tag {
			return recName{org: s.v>>32&1 == 1, surname: uint32(s.v)}, true
		}
	}
}

// put stores nm for the name of hashes h1 and tag, which get did not find.
func (m *nameMemo) put(h1, tag uint64, nm recName) {
	if 2*(m.n+1) > len(m.slots) {
		m.grow()
	}
	v := tag | uint64(nm.surname)
	if nm.org {
		v |= 1 << 32
	}
	mask := uint64(len(m.slots) - 1)
	p := h1 & mask
	for m.slots[p].h1 != 0 {
		p = (p + 1) & mask
	}
	m.slots[p] = nameSlot{h1, v}
	m.n++
}

func (m *nameMemo) grow() {
	old := m.slots
	m.slots = make([]nameSlot, 2*len(old))
	mask := uint64(len(m.slots) - 1)
	for _, s := range old {
		if s.h1 == 0 {
			continue
		}
		p := s.h1 & mask
		for m.slots[p].h1 != 0 {
			p = (p + 1) & mask
		}
		m.slots[p] = s
	}
}
