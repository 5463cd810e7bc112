package graph

import (
	"hash/maphash"
	"strings"
)

// senderTable numbers sender party ids in order of first appearance. It
// is an open-addressing table whose slots hold short ids inline (up to 15
// bytes, which covers the party ids vigil sees), so that the look-up of a
// known sender — the case for all but one of a sender's transfers —
// touches one cache line instead of the three (control word, slot, key
// bytes) of a map[string]int32 at a few hundred thousand senders. Longer
// ids are compared with the id list. Exact: an id is found only when its
// bytes are equal.
type senderTable struct {
	seed  maphash.Seed
	slots []senderSlot // len is a power of two, at most half full
	ids   []string     // index → id
}

const senderInline = 15

type senderSlot struct {
	key  [senderInline]byte
	klen uint8 // length of an inline id; senderInline+1 for a longer id
	tag  uint32
	idx  int32 // sender index + 1; 0 = empty
}

func newSenderTable(hint int) senderTable {
	n := 1 << 10
	for n < 2*hint {
		n <<= 1
	}
	return senderTable{seed: maphash.MakeSeed(), slots: make([]senderSlot, n), ids: make([]string, 0, hint)}
}

// find returns the index of id, or false.
func (t *senderTable) find(id string) (int32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	h := maphash.String(t.seed, id)
	mask := uint64(len(t.slots) - 1)
	tag := uint32(h >> 32)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.idx == 0 {
			return 0, false
		}
		if s.tag == tag && t.equal(s, id) {
			return s.idx - 1, true
		}
	}
}

// index returns the index of id, adding it when absent.
func (t *senderTable) index(id string) int32 {
	if len(t.slots) == 0 {
		*t = newSenderTable(0)
	}
	h := maphash.String(t.seed, id)
	mask := uint64(len(t.slots) - 1)
	tag := uint32(h >> 32)
	i := h & mask
	for ; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.idx == 0 {
			break
		}
		if s.tag == tag && t.equal(s, id) {
			return s.idx - 1
		}
	}
	idx := int32(len(t.ids))
	id = strings.Clone(id) // id may be a view of a reader's buffer
	t.ids = append(t.ids, id)
	t.fill(&t.slots[i], h, id, idx)
	if 2*len(t.ids) > len(t.slots) {
		t.grow()
	}
	return idx
}

func (t *senderTable) equal(s *senderSlot, id string) bool {
	if len(id) > senderInline {
		return s.klen == senderInline+1 && t.ids[s.idx-1] == id
	}
	return int(s.klen) == len(id) && string(s.key[:s.klen]) == id
}

func (t *senderTable) fill(s *senderSlot, h uint64, id string, idx int32) {
	s.tag, s.idx = uint32(h>>32), idx+1
	if len(id) > senderInline {
		s.klen = senderInline + 1
		return
	}
	s.klen = uint8(copy(s.key[:], id))
}

func (t *senderTable) grow() {
	t.slots = make([]senderSlot, 2*len(t.slots))
	mask := uint64(len(t.slots) - 1)
	for idx, id := range t.ids {
		h := maphash.String(t.seed, id)
		i := h & mask
		for t.slots[i].idx != 0 {
			i = (i + 1) & mask
		}
		t.fill(&t.slots[i], h, id, int32(idx))
	}
}
