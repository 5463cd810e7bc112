package detect

import (
	"hash/maphash"
	"math"

	"github.com/vigilfiu/vigil"
)

// Touching ahead (as resolve's beneficiary_touch.go does for the
// resolver's tables). Feed's scoring loop updates, per transfer, state
// spread over large arrays visited at random: the sender (four lines in
// the senders' array), the record, its node in the forest, the sender's
// slot keys and the roots they remember, the slot itself and, for a
// corridor transfer, an entry of the evidence ring. Observed one transfer
// after the other, each of these is a cache and TLB miss waited for
// alone, because the next address depends on the last load and on
// branches that mispredict. The loops below only load, over a run of a
// batch's transfers, in a few passes (each pass's addresses come from the
// lines the previous pass brought in), and add what they read, with few
// branches that depend on what they load: the processor keeps many misses
// in flight at once, and observeResolved then finds the lines in the
// cache. No state of the engine is written (only the scratch name hashes
// completeRecordHashed takes), so no result depends on it; an address
// that an earlier transfer of the run changes (a new slot, a merge) is
// merely touched in vain. The sum is kept (Engine.touched) only so that
// the loads are not dropped as dead code.

// touchRun is how many transfers' state is touched before they are
// observed: up to about a dozen lines each, well inside a core's L2.
const touchRun = 64

// touch loads what observeResolved will read for the transfers of b
// from lo to hi (senders numbered, records resolved).
func (e *Engine) touch(b *batch, lo, hi int) {
	var sum uint64
	nSenders, nRecs, nParent := int32(len(e.senders)), int32(e.recs.len()), int32(len(e.parent))
	// The senders' first two lines (every transfer), the record and its
	// node in the forest.
	for i := lo; i < hi; i++ {
		if si := b.senders[i]; si < nSenders {
			s := &e.senders[si]
			sum += uint64(s.changed) + uint64(s.n)
		}
		if rn := b.nodes[i]; rn < nRecs && rn < nParent {
			sum += uint64(e.recs.at(rn).surname) + uint64(e.parent[rn])
		}
	}
	// The name memo's home slot of each record first seen in the run
	// (completeRecord looks its name up), and the hashes it is probed with.
	memo, memoMask := e.names.slots, uint64(len(e.names.slots)-1)
	for i := lo; i < hi; i++ {
		if b.nodes[i] >= nRecs {
			h1, tag := e.names.hashes(b.ts[i].BeneficiaryName)
			e.nameHashes[i-lo] = [2]uint64{h1, tag}
			sum += memo[h1&memoMask].v
		}
	}
	// The sender's slot keys, its corridor counters and evidence entry.
	for i := lo; i < hi; i++ {
		si, rn := b.senders[i], b.nodes[i]
		if si >= nSenders {
			continue
		}
		s := &e.senders[si]
		if s.nSlots > 0 {
			sum += uint64(e.slots.keysOf(s)[0].rec)
		}
		if e.corridorAhead(&b.ts[i], rn, nRecs) {
			sum += uint64(s.nCorr) + uint64(s.firstCorrT)
			if s.ring != 0 {
				j := s.ringNext
				if s.ringLen < ringSize {
					j = s.ringLen
				}
				ev := &e.rings.at(s.ring - 1)[j%ringSize] // 18 bytes: may straddle two lines
				sum += uint64(ev.id.n) + uint64(ev.flags)
			}
		}
	}
	// The slot of the transfer's record, and the roots the other keys
	// remember (rootOf reads each one's node in the forest). A transfer
	// whose record no slot holds most likely opens a slot: then the
	// sender's party record (nameTie) and, when the sender's run is full,
	// the run that moves to a larger one. (A last pass loaded the first
	// name token of the sender and of the record for nameTie; measured
	// without it, per batch in one process, it did not earn its cost.)
	for i := lo; i < hi; i++ {
		si, rn := b.senders[i], b.nodes[i]
		if si >= nSenders {
			continue
		}
		s := &e.senders[si]
		keys := e.slots.keysOf(s)
		found := false
		for k := range keys {
			x := &keys[k]
			if x.rec == rn {
				sl := &e.slots.of(s)[k] // 120 bytes: up to three lines
				sum += uint64(sl.n) + uint64(sl.firstID.n) + math.Float64bits(sl.reg.sTA)
				found = true
				break
			}
			if x.root < nParent {
				sum += uint64(e.parent[x.root])
			}
		}
		if found || s.nSlots >= maxSlots {
			continue
		}
		k := &e.kyc[si]
		sum += uint64(len(k.fullName)) + uint64(len(k.tokens))
		if s.nSlots > 0 && s.nSlots == slotClasses[s.slotClass] {
			run := e.slots.of(s)
			for j := range run {
				sl := &run[j]
				sum += uint64(sl.n) + uint64(sl.firstID.n) + math.Float64bits(sl.reg.sTA)
			}
		}
		if rn < nRecs {
			if rt := e.recs.at(rn).tokenList(); len(rt) > 0 {
				sum += uint64(len(rt[0]))
			}
		}
	}
	e.touched += sum
}

// touchSenders hashes the sender ids of ts into hs (len(hs) = len(ts))
// and loads the home slot of each in the sender index, so that the
// probes that follow (indexSenderHashed) find them in the cache: probed
// one after the other, each probe's branches depend on the entry it
// loads and a mispredicted one discarded the next probe's load.
func (e *Engine) touchSenders(ts []vigil.Transfer, hs []uint64) {
	tab := e.senderTab
	mask := uint64(len(tab) - 1)
	var sum uint64
	for i := range ts {
		h := maphash.String(e.seed, ts[i].SenderID)
		hs[i] = h
		sum += tab[h&mask].x
	}
	e.touchedIDs += sum
}

// corridorAhead tells touch whether the transfer most likely goes to a
// corridor: its record's flag, or for a record first seen in the run (not
// yet derived) the recipient's country alone.
func (e *Engine) corridorAhead(t *vigil.Transfer, rn, nRecs int32) bool {
	if rn < nRecs {
		return e.recs.at(rn).corridor
	}
	c := t.BeneficiaryCountry
	return len(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' &&
		e.corridor[int(c[0]-'A')*26+int(c[1]-'A')]
}
