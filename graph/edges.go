package graph

// edgeTable finds a provisional edge by its (sender, record node) key: an
// open-addressing table with the key and the edge side by side, so that a
// look-up is one cache miss (a Go map at a million edges takes two or
// three: control word, key, value).
type edgeTable struct {
	slots []edgeSlot // len is a power of two, at most half full
	n     int
	shift uint
}

type edgeSlot struct {
	key  uint64
	edge int32 // edge + 1; 0 = empty
}

func newEdgeTable(hint int) edgeTable {
	n, shift := 1<<10, uint(64-10)
	for n < 2*hint {
		n, shift = n<<1, shift-1
	}
	return edgeTable{slots: make([]edgeSlot, n), shift: shift}
}

func edgeKey(sender, node int32) uint64 { return uint64(uint32(sender))<<32 | uint64(uint32(node)) }

// find returns the edge of key, or false.
func (t *edgeTable) find(key uint64) (int32, bool) {
	if t.slots == nil {
		return 0, false
	}
	mask := uint64(len(t.slots) - 1)
	for i := (key * 0x9E3779B97F4A7C15) >> t.shift; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.edge == 0 {
			return 0, false
		}
		if s.key == key {
			return s.edge - 1, true
		}
	}
}

// index returns the edge of key, or, when absent, adds it as edge next
// and returns next and false.
func (t *edgeTable) index(key uint64, next int32) (int32, bool) {
	if t.slots == nil {
		*t = newEdgeTable(0)
	}
	mask := uint64(len(t.slots) - 1)
	for i := (key * 0x9E3779B97F4A7C15) >> t.shift; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.edge == 0 {
			s.key, s.edge = key, next+1
			if t.n++; 2*t.n > len(t.slots) {
				t.grow()
			}
			return next, false
		}
		if s.key == key {
			return s.edge - 1, true
		}
	}
}

func (t *edgeTable) grow() {
	old := t.slots
	t.slots, t.shift = make([]edgeSlot, 2*len(old)), t.shift-1
	mask := uint64(len(t.slots) - 1)
	for _, s := range old {
		if s.edge == 0 {
			continue
		}
		i := (s.key * 0x9E3779B97F4A7C15) >> t.shift
		for t.slots[i].edge != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}
