package resolve

import (
	"hash/maphash"
	"sync"

	"github.com/vigilfiu/vigil"
)

// benBatch is the state of an ObserveBatch in progress.
type benBatch struct {
	h1, h2 []uint64
	slot   []int32 // record-table slot of each transfer's record, or -1
	pend   []int32 // indices in ts of the transfers that brought a new record, in order
	preps  []benPrep
	at     int // index in ts of the record being committed
	merge  func(at int, into, from int32)
}

// ObserveBatch observes ts in order and writes each transfer's record node
// to nodes (len(nodes) ≥ len(ts)): the nodes, beneficiaries, ids, links
// and merges are exactly those of calling Observe on each transfer in
// turn. The work that depends on one transfer only — hashing the raw
// fields, and for a new record its phone, name tokens, city and join
// keys — is spread over Workers goroutines; the look-ups and the joins
// (union-find, name checks) run in stream order on the caller's
// goroutine.
//
// Merges are reported to onMerge with the index in ts of the transfer
// whose record caused them, in stream order; when onMerge is nil they go
// to OnMerge. When ObserveBatch returns, every record of the batch is
// complete (Tokens, RawName, Country may be called).
func (r *BeneficiaryResolver) ObserveBatch(ts []vigil.Transfer, nodes []int32, onMerge func(at int, into, from int32)) {
	workers := r.Workers
	if workers <= 0 {
		workers = 2
	}
	for len(r.work) < workers {
		r.work = append(r.work, benWorker{})
	}
	b := &r.batch
	if cap(b.h1) < len(ts) {
		b.h1, b.h2 = make([]uint64, len(ts)), make([]uint64, len(ts))
	}
	h1, h2 := b.h1[:len(ts)], b.h2[:len(ts)]
	// Hashes and the look-ups of records already known, on all workers:
	// the table is only read until every worker is done (a locked add
	// per transfer would stop the probes' cache misses from overlapping;
	// counts are added below). A record not found may still be one an
	// earlier transfer of the batch brings: the stream-order pass looks
	// again.
	if cap(b.slot) < len(ts) {
		b.slot = make([]int32, len(ts))
	}
	slot := b.slot[:len(ts)]
	r.parallel(workers, len(ts), func(w, lo, hi int) {
		buf := r.work[w].buf
		slots := r.records.slots
		// Hashes first, then the probes in a tight loop of their own, so
		// that the processor overlaps their cache misses (interleaved
		// with the hashing, one miss waited for the next).
		for i := lo; i < hi; i++ {
			buf = rawTuple(buf[:0], &ts[i])
			h1[i], h2[i] = maphash.Bytes(r.seed, buf), maphash.Bytes(r.seed2, buf)
		}
		var touched uint32
		for c := lo; c < hi; c += touchChunk {
			e := min(c+touchChunk, hi)
			touched += r.records.touch(h1[c:e])
			for i := c; i < e; i++ {
				if j, ok := r.records.find(h1[i], h2[i]); ok {
					slot[i], nodes[i] = int32(j), slots[j].node1-1
				} else {
					slot[i], nodes[i] = -1, -1
				}
			}
		}
		r.work[w].buf = buf
		r.work[w].touched += touched
	})
	for _, j := range slot { // before any insert can move the slots
		if j >= 0 {
			r.records.slots[j].n++
		}
	}

	first := int32(len(r.parent)) // the node of the first new record
	b.pend = b.pend[:0]
	defer func() { b.merge = nil }()
	for i := range ts {
		if slot[i] >= 0 {
			continue
		}
		n, isNew := r.lookup(h1[i], h2[i])
		nodes[i] = n
		if isNew {
			b.pend = append(b.pend, int32(i))
		}
	}

	if cap(b.preps) < len(b.pend) {
		b.preps = make([]benPrep, len(b.pend), 2*len(b.pend))
	}
	preps := b.preps[:len(b.pend)]
	for w := range r.work {
		r.work[w].kb = r.work[w].kb[:0]
	}
	r.parallel(workers, len(b.pend), func(w, lo, hi int) {
		var touched uint32
		for c := lo; c < hi; c += touchChunk {
			e := min(c+touchChunk, hi)
			for j := c; j < e; j++ {
				r.hashName(&preps[j], &ts[b.pend[j]], first+int32(j), w)
			}
			touched += r.names.touch(preps[c:e])
			for j := c; j < e; j++ {
				r.findName(&preps[j])
			}
		}
		for j := lo; j < hi; j++ {
			r.prepare(&preps[j])
		}
		for c := lo; c < hi; c += touchChunk {
			e := min(c+touchChunk, hi)
			touched += r.keys.touch(preps[c:e])
			for j := c; j < e; j++ {
				touched += r.getKeys(&preps[j])
			}
			for j := c; j < e; j++ {
				touched += r.touchRoots(&preps[j])
			}
			for j := c; j < e; j++ {
				r.checkKeys(&preps[j])
			}
		}
		r.work[w].touched += touched
	})

	b.merge = onMerge
	r.fresh.reset()
	r.dirty.reset()
	var touched uint32
	for c := 0; c < len(preps); c += touchChunk {
		e := min(c+touchChunk, len(preps))
		touched += r.touchCommit(preps[c:e])
		for j := c; j < e; j++ {
			b.at = int(b.pend[j])
			r.commit(&preps[j])
			preps[j] = benPrep{} // drop the transfer and token references
		}
	}
	r.work[0].touched += touched
}

// parallel runs f over [0, n) split into contiguous ranges, one per
// worker, the first on the calling goroutine; small n run there alone.
func (r *BeneficiaryResolver) parallel(workers, n int, f func(w, lo, hi int)) {
	if workers <= 1 || n < 64 {
		f(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	step := (n + workers - 1) / workers
	for w := 1; w < workers; w++ {
		lo, hi := w*step, min((w+1)*step, n)
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(w, lo, hi)
		}()
	}
	f(0, 0, min(step, n))
	wg.Wait()
}
