package graph

import (
	"hash/maphash"
	"strings"
)

// senderTable numbers sender party ids in order of first appearance. Ids
// of up to 8 bytes (synth's and most real party ids) live in a table of
// their own whose 16-byte slots hold the id packed into a uint64, hashed
// by a multiply: the look-up of a known sender — the case for all but
// one of a sender's transfers — is one cache miss and no byte compare.
// Longer ids go to an open-addressing table whose slots hold ids of up
// to 15 bytes inline and compare longer ones with the id list, still one
// cache line instead of the three (control word, slot, key bytes) of a
// map[string]int32 at a few hundred thousand senders. Exact: an id is
// found only when its bytes are equal.
type senderTable struct {
	seed   maphash.Seed
	salt   uint64       // mixed into the packed ids' hash
	short  []shortSlot  // ids of up to 8 bytes; len is a power of two, at most half full
	nshort int          // ids in short
	slots  []senderSlot // longer ids; len is a power of two, at most half full
	nlong  int          // ids in slots
	ids    []string     // index → id
}

// shortSlot is an id of up to 8 bytes packed little-endian into key,
// with its length (ids that differ only by trailing NUL bytes differ in
// klen).
type shortSlot struct {
	key  uint64
	klen uint32
	idx  int32 // sender index + 1; 0 = empty
}

const senderShort = 8

// packID packs an id of up to 8 bytes into a uint64.
func packID(id string) uint64 {
	if len(id) == senderShort {
		return uint64(id[0]) | uint64(id[1])<<8 | uint64(id[2])<<16 | uint64(id[3])<<24 |
			uint64(id[4])<<32 | uint64(id[5])<<40 | uint64(id[6])<<48 | uint64(id[7])<<56
	}
	var k uint64
	for i := len(id) - 1; i >= 0; i-- {
		k = k<<8 | uint64(id[i])
	}
	return k
}

// shortHash mixes a packed id (the murmur3 finaliser): the slot is taken
// from its high bits.
func (t *senderTable) shortHash(key uint64, klen int) uint64 {
	h := key ^ t.salt ^ uint64(klen)<<59
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
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
	seed := maphash.MakeSeed()
	return senderTable{seed: seed, salt: maphash.String(seed, "salt"), short: make([]shortSlot, n),
		slots: make([]senderSlot, 1<<10), ids: make([]string, 0, hint)}
}

// find returns the index of id, or false.
func (t *senderTable) find(id string) (int32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	if len(id) <= senderShort {
		key := packID(id)
		mask := uint64(len(t.short) - 1)
		for i := t.shortHash(key, len(id)) & mask; ; i = (i + 1) & mask {
			s := &t.short[i]
			if s.idx == 0 {
				return 0, false
			}
			if s.key == key && s.klen == uint32(len(id)) {
				return s.idx - 1, true
			}
		}
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
	if len(id) <= senderShort {
		return t.indexShort(id)
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
	t.nlong++
	if 2*t.nlong > len(t.slots) {
		t.grow()
	}
	return idx
}

func (t *senderTable) indexShort(id string) int32 {
	key := packID(id)
	mask := uint64(len(t.short) - 1)
	i := t.shortHash(key, len(id)) & mask
	for ; ; i = (i + 1) & mask {
		s := &t.short[i]
		if s.idx == 0 {
			break
		}
		if s.key == key && s.klen == uint32(len(id)) {
			return s.idx - 1
		}
	}
	idx := int32(len(t.ids))
	t.ids = append(t.ids, strings.Clone(id)) // id may be a view of a reader's buffer
	t.short[i] = shortSlot{key: key, klen: uint32(len(id)), idx: idx + 1}
	t.nshort++
	if 2*t.nshort > len(t.short) {
		t.growShort()
	}
	return idx
}

func (t *senderTable) growShort() {
	old := t.short
	t.short = make([]shortSlot, 2*len(old))
	mask := uint64(len(t.short) - 1)
	for _, s := range old {
		if s.idx == 0 {
			continue
		}
		i := t.shortHash(s.key, int(s.klen)) & mask
		for t.short[i].idx != 0 {
			i = (i + 1) & mask
		}
		t.short[i] = s
	}
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
		if len(id) <= senderShort {
			continue
		}
		h := maphash.String(t.seed, id)
		i := h & mask
		for t.slots[i].idx != 0 {
			i = (i + 1) & mask
		}
		t.fill(&t.slots[i], h, id, int32(idx))
	}
}
