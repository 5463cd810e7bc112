package resolve

// cityMemo maps a raw city to the hash of its folded form (foldCity),
// which is all a name key needs of the city: the folded bytes are read
// again only for the few records whose stable id comes from their name
// key (nameKeyBytes). A Go map[string]string held the folded strings:
// its probe compared the raw strings (a second cache miss into the key
// bytes) on every new record, 0.16 CPU s of a 5M-transfer scan. Here a
// look-up is one 16-byte slot: 64 bits of the raw city's hash are
// compared (a false match among the ~50,000 raw cities of a 5M world:
// about 2^-33 for the whole stream), and the value is the folded form's
// hash. The folded strings are kept beside the slots, read only when a
// name key's bytes are rebuilt. Bounded like the other memos: past
// memoLimit entries it is emptied.
type cityMemo struct {
	slots []citySlot
	strs  []string // the folded city of slots[i]
	used  int
}

// citySlot is one slot of the city memo: the raw city's hash (0: empty;
// a hash of 0 is stored as 1) and the folded city's hash (0 when the
// folded form is empty).
type citySlot struct {
	h, fold uint64
}

func cityHash(h uint64) uint64 {
	if h == 0 {
		return 1
	}
	return h
}

// find returns the slot of raw-city hash h, or -1.
func (m *cityMemo) find(h uint64) int {
	if len(m.slots) == 0 {
		return -1
	}
	h = cityHash(h)
	mask := uint64(len(m.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &m.slots[i]
		if s.h == h {
			return int(i)
		}
		if s.h == 0 {
			return -1
		}
	}
}

// get returns the folded-city hash memoised for raw-city hash h.
func (m *cityMemo) get(h uint64) (uint64, bool) {
	if i := m.find(h); i >= 0 {
		return m.slots[i].fold, true
	}
	return 0, false
}

// folded returns the folded city memoised for raw-city hash h.
func (m *cityMemo) folded(h uint64) (string, bool) {
	if i := m.find(h); i >= 0 {
		return m.strs[i], true
	}
	return "", false
}

// put memoises the folded city s and its hash fold for h, when h is not
// there yet.
func (m *cityMemo) put(h, fold uint64, s string) {
	if m.used >= memoLimit {
		clear(m.slots)
		clear(m.strs)
		m.used = 0
	}
	if (m.used+1)*2 > len(m.slots) {
		old, olds := m.slots, m.strs
		m.slots = make([]citySlot, max(256, 2*len(old)))
		m.strs = make([]string, len(m.slots))
		m.used = 0
		for i, s := range old {
			if s.h != 0 {
				m.insert(s, olds[i])
			}
		}
	}
	m.insert(citySlot{cityHash(h), fold}, s)
}

func (m *cityMemo) insert(s citySlot, str string) {
	mask := uint64(len(m.slots) - 1)
	for i := s.h & mask; ; i = (i + 1) & mask {
		switch m.slots[i].h {
		case s.h:
			return
		case 0:
			m.slots[i], m.strs[i] = s, str
			m.used++
			return
		}
	}
}
