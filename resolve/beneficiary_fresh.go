package resolve

// freshKeys is the set of join-key hashes put into the key table since
// the new records of a batch were prepared. prepare looks every key up
// (on the workers); a key absent then can only have been added since by
// an earlier record of the same batch, so join probes the large key table
// again (a cache miss) only for a key in this small set, which stays in
// cache. Every put during the commits goes through putKey, so the set is
// exact: the same nodes are found as by probing the table each time.
type freshKeys struct {
	slots []uint64 // hash, or 0 for an empty slot (a hash of 0 is kept in zero)
	used  []int32  // the slots in use, to empty them quickly
	zero  bool
}

// reset empties the set.
func (f *freshKeys) reset() {
	for _, i := range f.used {
		f.slots[i] = 0
	}
	f.used = f.used[:0]
	f.zero = false
}

// has reports whether h was added since the last reset.
func (f *freshKeys) has(h uint64) bool {
	if h == 0 {
		return f.zero
	}
	if len(f.slots) == 0 {
		return false
	}
	mask := uint64(len(f.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch f.slots[i] {
		case h:
			return true
		case 0:
			return false
		}
	}
}

// add puts h into the set.
func (f *freshKeys) add(h uint64) {
	if h == 0 {
		f.zero = true
		return
	}
	if (len(f.used)+1)*2 > len(f.slots) {
		old := f.used
		olds := f.slots
		f.slots = make([]uint64, max(1024, 2*len(olds)))
		f.used = make([]int32, 0, cap(old)*2+16)
		for _, i := range old {
			f.insert(olds[i])
		}
	}
	f.insert(h)
}

func (f *freshKeys) insert(h uint64) {
	mask := uint64(len(f.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch f.slots[i] {
		case h:
			return
		case 0:
			f.slots[i] = h
			f.used = append(f.used, int32(i))
			return
		}
	}
}

// putKey stores node under key hash h in the key table (h must be
// absent) and notes it as fresh.
func (r *BeneficiaryResolver) putKey(h uint64, node int32) {
	r.keys.put(h, node)
	r.fresh.add(h)
}

// keyAfterPrepare returns the node the key table holds for h now, given
// prepared, what it held when the record was prepared (-1: absent).
func (r *BeneficiaryResolver) keyAfterPrepare(h uint64, prepared int32) int32 {
	if prepared >= 0 || !r.fresh.has(h) {
		return prepared // keys never move or go: absent then and not put since is absent now
	}
	return r.keys.get(h)
}
