package resolve

import (
	"unsafe"

	"github.com/vigilfiu/vigil/internal/memory"
)

// The resolver's state is kept in flat arrays without pointers wherever it
// can be: the collector then has little to scan, and a look-up is one
// probe into an array instead of a walk through a map's groups.

// recSlot is one slot of the raw-record table: the two hashes of a raw
// recipient tuple (the upper 32 bits of the first, which choose the slot
// and are kept so that the table can grow without reading the records,
// and the whole second), its record node + 1 (0 is an empty slot) and
// how many transfers carried it. 20 bytes: the slot of 2 × 64 bits took
// 24, and the table is the resolver's largest.
type recSlot struct {
	tag        uint32 // h1 >> 32
	h2lo, h2hi uint32
	node1      int32
	n          int32
}

// recTable finds the record node of a raw recipient tuple by 96 bits of
// two independent hashes of it (32 of the first pick the home slot,
// linear probing; those and 64 of the second are compared), so two
// tuples are taken for one only when all 96 bits agree: for the 1.7
// million records of a 5M-transfer world, about 2^-55 for the whole
// stream. The home slot is the tag scaled to the table's size (not a
// mask), so the table can grow by half instead of doubling: it holds
// between 1/2 and 3/4 of its slots, not between 3/8 and 3/4 (at 5M, 2.4
// million slots instead of 4.2 million).
type recTable struct {
	slots []recSlot
	used  int
}

// init empties the table with n slots.
func (t *recTable) init(n int) {
	t.slots = make([]recSlot, n)
	t.used = 0
}

// find returns the slot of (h1, h2): the slot holding it, or the empty
// slot where it would go.
func (t *recTable) find(h1, h2 uint64) (int, bool) {
	tag, lo, hi := uint32(h1>>32), uint32(h2), uint32(h2>>32)
	n := uint64(len(t.slots))
	i := uint64(tag) * n >> 32
	for {
		s := &t.slots[i]
		if s.node1 == 0 {
			return int(i), false
		}
		if s.h2lo == lo && s.tag == tag && s.h2hi == hi {
			return int(i), true
		}
		if i++; i == n {
			i = 0
		}
	}
}

// newSlot is the slot of a new record.
func newSlot(h1, h2 uint64, node int32) recSlot {
	return recSlot{tag: uint32(h1 >> 32), h2lo: uint32(h2), h2hi: uint32(h2 >> 32), node1: node + 1, n: 1}
}

// grow makes the table half as large again.
func (t *recTable) grow() {
	old := t.slots
	t.init(len(old) + len(old)/2)
	for _, s := range old {
		if s.node1 != 0 {
			i, _ := t.find(uint64(s.tag)<<32, uint64(s.h2hi)<<32|uint64(s.h2lo))
			t.slots[i] = s
			t.used++
		}
	}
}

// full reports whether the table must grow before one more insert
// (load factor 3/4).
func (t *recTable) full() bool { return (t.used+1)*4 > len(t.slots)*3 }

// keySlot is one slot of the join-key table: the key's 64-bit hash (in
// two halves, so that a slot takes 12 bytes, not 16) and the first
// record node + 1 that had it.
type keySlot struct {
	hlo, hhi uint32
	node1    int32
}

func (s *keySlot) hash() uint64 { return uint64(s.hhi)<<32 | uint64(s.hlo) }

// keyTable maps the hash of a join key to the first record node with it,
// as the reference's map[uint64]int32 did (64-bit hashes of keys:
// collisions negligible). Like the record table, the home slot is the
// upper half of the hash scaled to the table's size, and the table grows
// by half (1/2–3/4 full).
type keyTable struct {
	slots []keySlot
	used  int
}

func (t *keyTable) init(n int) {
	t.slots = make([]keySlot, n)
	t.used = 0
}

func (t *keyTable) find(h uint64) (int, bool) {
	lo, hi := uint32(h), uint32(h>>32)
	n := uint64(len(t.slots))
	i := uint64(hi) * n >> 32
	for {
		s := &t.slots[i]
		if s.node1 == 0 {
			return int(i), false
		}
		if s.hlo == lo && s.hhi == hi {
			return int(i), true
		}
		if i++; i == n {
			i = 0
		}
	}
}

// get returns the node stored under h, or -1.
func (t *keyTable) get(h uint64) int32 {
	i, ok := t.find(h)
	if !ok {
		return -1
	}
	return t.slots[i].node1 - 1
}

// put stores node under h, which must be absent; it grows the table
// first when needed.
func (t *keyTable) put(h uint64, node int32) {
	if (t.used+1)*4 > len(t.slots)*3 {
		old := t.slots
		t.init(len(old) + len(old)/2)
		for _, s := range old {
			if s.node1 != 0 {
				i, _ := t.find(s.hash())
				t.slots[i] = s
				t.used++
			}
		}
	}
	i, _ := t.find(h)
	t.slots[i] = keySlot{uint32(h), uint32(h >> 32), node + 1}
	t.used++
}

// arena holds the raw bytes of records and links in large chunks, so that
// a record costs no allocation and no pointer of its own. Bytes written
// are never changed, so strings may view them (unsafe.String): a string
// handed out keeps its chunk alive, nothing more.
type arena struct {
	chunks [][]byte
}

const arenaChunk = 1 << 20

// alloc reserves n bytes and returns their reference (chunk << 32 | offset)
// and the bytes to fill.
func (a *arena) alloc(n int) (uint64, []byte) {
	last := len(a.chunks) - 1
	if last < 0 || cap(a.chunks[last])-len(a.chunks[last]) < n {
		size := arenaChunk
		if n > size {
			size = n // a record larger than a chunk gets a chunk of its own
		}
		a.chunks = append(a.chunks, make([]byte, 0, size))
		last++
		if last > 0 { // a second chunk: the records keep coming, and each chunk is filled in full
			memory.Prefault(a.chunks[last])
		}
	}
	c := a.chunks[last]
	off := len(c)
	a.chunks[last] = c[:off+n]
	return uint64(last)<<32 | uint64(off), c[off : off+n : off+n]
}

// str returns bytes [lo, hi) of the allocation at ref as a string that
// shares the arena's memory.
func (a *arena) str(ref uint64, lo, hi uint32) string {
	if hi <= lo {
		return ""
	}
	c := a.chunks[ref>>32]
	return unsafe.String(&c[uint32(ref)+lo], int(hi-lo))
}

// nameSlot is one slot of the name table: two hashes of a raw name (64
// and 32 bits), its name id + 1 (0 is an empty slot), the place of its
// full tokens joined (tokenStore.appendFull) and their hash (fullHash,
// from which the name key's hash is made). 32 bytes: two slots to a
// cache line, none across two.
type nameSlot struct {
	h    uint64
	h2   uint32
	id1  int32
	full uint64
	fh   uint64
}

// nameTable interns raw names by 96 bits of hash, like the record table
// (a false match between two names: about 2^-96 per pair).
type nameTable struct {
	slots []nameSlot
	mask  uint64
	used  int
}

func (t *nameTable) init(n int) {
	t.slots = make([]nameSlot, n)
	t.mask = uint64(n - 1)
	t.used = 0
}

func (t *nameTable) find(h uint64, h2 uint32) (int, bool) {
	i := h & t.mask
	for {
		s := &t.slots[i]
		if s.id1 == 0 {
			return int(i), false
		}
		if s.h == h && s.h2 == h2 {
			return int(i), true
		}
		i = (i + 1) & t.mask
	}
}

// get returns the name id stored under (h, h2), or -1, the place of its
// full tokens and their hash.
func (t *nameTable) get(h uint64, h2 uint32) (int32, uint64, uint64) {
	i, ok := t.find(h, h2)
	if !ok {
		return -1, 0, 0
	}
	s := &t.slots[i]
	return s.id1 - 1, s.full, s.fh
}

// put stores id, the place of its full tokens and their hash under (h,
// h2), which must be absent.
func (t *nameTable) put(h uint64, h2 uint32, id int32, full, fh uint64) {
	if (t.used+1)*4 > len(t.slots)*3 {
		old := t.slots
		t.init(len(old) * 2)
		for _, s := range old {
			if s.id1 != 0 {
				i, _ := t.find(s.h, s.h2)
				t.slots[i] = s
				t.used++
			}
		}
	}
	i, _ := t.find(h, h2)
	t.slots[i] = nameSlot{h, h2, id + 1, full, fh}
	t.used++
}
