package resolve

// Touching ahead. A probe of one of the resolver's large tables (the
// record table: ~48 MB at 5M transfers; the key and name tables) is a
// cache and TLB miss, and a loop of probes waits for most of them one by
// one: each probe's branches depend on the slot it loads, so a
// mispredicted branch (found, absent, probe further: the outcomes mix)
// throws away the loads issued after it. A loop that only loads each
// home slot and adds what it read has no such branch: the processor
// keeps many of its misses in flight at once. The probes run right
// after, over the same few hundred slots, from the cache. The sum is
// kept (benWorker.touched) only so that the loads are not dropped as
// dead code.

// touchChunk is how many probes' home slots are touched before they are
// probed: their lines (up to two each) stay well inside a core's L2.
const touchChunk = 256

// touch loads the home slot of each first hash of hs.
func (t *recTable) touch(hs []uint64) uint32 {
	n := uint64(len(t.slots))
	var s uint32
	for _, h := range hs {
		s += uint32(t.slots[uint64(uint32(h>>32))*n>>32].node1)
	}
	return s
}

// touch loads the home slot of each prepared record's raw name.
func (t *nameTable) touch(ps []benPrep) uint32 {
	var s uint32
	for i := range ps {
		s += uint32(t.slots[ps[i].nameH&t.mask].id1)
	}
	return s
}

// touch loads the home slot of each join key of each prepared record.
func (t *keyTable) touch(ps []benPrep) uint32 {
	n := uint64(len(t.slots))
	var s uint32
	for i := range ps {
		p := &ps[i]
		for k := int32(0); k < p.nk; k++ {
			s += uint32(t.slots[uint64(uint32(p.keys[k].h>>32))*n>>32].node1)
		}
	}
	return s
}

// touchRoots loads, for each phone or account key of p found in the key
// table, what prepareCompat reads of the cluster that holds it (its
// root's flags and name id), so that checkKeys, run after it over a
// chunk of records, finds them in the cache.
func (r *BeneficiaryResolver) touchRoots(p *benPrep) uint32 {
	var s uint32
	for i := int32(0); i < p.nk; i++ {
		if k := &p.keys[i]; k.other >= 0 && k.phoneOrAcct {
			rt := r.Root(k.other)
			s += uint32(r.flag[rt]) + uint32(r.nameOf[rt])
		}
	}
	return s
}

// touchCommit loads, for a chunk of prepared records about to be
// committed, what their joins read or write first in the large arrays:
// for a key absent when prepared the key table's home slot (where
// putKey stores it), for a key found the parent of its node and its
// root's birth date and set index (union, joinByName). On the
// stream-order goroutine each of these was a miss waited for alone.
func (r *BeneficiaryResolver) touchCommit(ps []benPrep) uint32 {
	n := uint64(len(r.keys.slots))
	var s uint32
	for i := range ps {
		p := &ps[i]
		for k := int32(0); k < p.nk; k++ {
			key := &p.keys[k]
			if key.other < 0 {
				s += uint32(r.keys.slots[uint64(uint32(key.h>>32))*n>>32].node1)
				continue
			}
			s += uint32(r.parent[key.other])
			if rt := key.root; rt >= 0 {
				s += uint32(r.cbirth[rt]) + uint32(r.setOf[rt])
			}
		}
	}
	return s
}
