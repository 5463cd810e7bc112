package graph

import "github.com/vigilfiu/vigil"

// RowPreparer prepares transfers into the rows a store keeps for a graph
// (Graph.EachPrepared, Graph.Tables) without building one: a store whose
// beneficiary resolution was made elsewhere (vigil scan keeps its own)
// prepares and keeps the rows in a stream, in little memory, instead of
// building a whole graph to list them. Fed the transfers in the order a
// Builder would be, each with the beneficiary the kept resolution gives
// it, it gives the rows and tables a Builder with that FixedResolution
// gives after Build (TestRowPreparerSameRows).
type RowPreparer struct {
	b *Builder
}

// NewRowPreparer returns a preparer for about n transfers (a hint). Rows
// are prepared as a graph without a Scorer prepares them (the store's).
func NewRowPreparer(n int) *RowPreparer {
	b := NewBuilder(Options{Resolver: FixedResolution(nil)})
	b.senders = newSenderTable(max(n/16, 16))
	return &RowPreparer{b: b}
}

// Prepare prepares t, whose recipient the kept resolution assigned to
// beneficiary ben, and calls fn with the row as Graph.EachPrepared would
// give it (id and p valid during the call only). A transfer the Builder
// would refuse is refused with the same error.
func (rp *RowPreparer) Prepare(t *vigil.Transfer, ben int32, fn func(sender, ben int32, p *Payment, id []byte) error) error {
	if t.ID == "" || t.SenderID == "" {
		return vigil.Errorf(vigil.EINVALID, "transfer %q: transfer_id and sender_id are required", t.ID)
	}
	if ben < 0 {
		return vigil.Errorf(vigil.EINVALID, "transfer %s: assigned to beneficiary %d", t.ID, ben)
	}
	b := rp.b
	b.ids, b.idEnd = b.ids[:0], b.idEnd[:0] // one transfer's id at a time
	s, p, err := b.prepare(t)
	if err != nil {
		return err
	}
	return fn(s, ben, &p, b.ids)
}

// Tables returns the tables the rows prepared so far index, as
// Graph.Tables gives them.
func (rp *RowPreparer) Tables() (senders, currencies, purposes, cities []string) {
	return rp.b.senders.ids, rp.b.curs, rp.b.purs, rp.b.cities
}

// PreparedOrder indexes a graph's payments by input row, so that ranges
// of rows can be visited as EachPrepared visits them from several
// goroutines at once (a store packs its kept rows in blocks on both
// cores). The graph must not change while it is in use.
type PreparedOrder struct {
	g         *Graph
	pos, edge []int32 // row → index in g.payments, row → edge
}

// PreparedOrder returns the index EachPrepared makes, built on two
// goroutines (each row belongs to one edge, so the halves of the edges
// write disjoint rows).
func (g *Graph) PreparedOrder() *PreparedOrder {
	n := len(g.payments)
	o := &PreparedOrder{g: g, pos: make([]int32, n), edge: make([]int32, n)}
	fill := func(lo, hi int) {
		for e := lo; e < hi; e++ {
			ed := &g.Edges[e]
			for k := ed.start; k < ed.start+ed.Count; k++ {
				r := g.payments[k].Row
				o.pos[r], o.edge[r] = k, int32(e)
			}
		}
	}
	mid := len(g.Edges) / 2
	done := make(chan struct{})
	go func() { fill(mid, len(g.Edges)); close(done) }()
	fill(0, mid)
	<-done
	return o
}

// Len is the number of rows (the graph's transfers).
func (o *PreparedOrder) Len() int { return len(o.pos) }

// EachIn calls fn for the rows lo … hi-1 in input order with what
// EachPrepared gives for them (id and p valid during the call only). It
// may run on several goroutines at once.
func (o *PreparedOrder) EachIn(lo, hi int, fn func(sender, ben int32, p *Payment, id []byte) error) error {
	g := o.g
	var from uint32
	if lo > 0 {
		from = g.idEnd[lo-1]
	}
	// The rows' payments and edges lie by edge, so each row reads two
	// random places of arrays larger than the CPU's caches. They are
	// copied a group at a time first: the copies do not depend on one
	// another, so their cache misses overlap instead of following one
	// after another between the calls of fn.
	var (
		pays          [eachInGroup]Payment
		senders, bens [eachInGroup]int32
	)
	for r := lo; r < hi; r += eachInGroup {
		n := min(eachInGroup, hi-r)
		for k := range n {
			ed := &g.Edges[o.edge[r+k]]
			senders[k], bens[k] = ed.Sender, ed.Beneficiary
			pays[k] = g.payments[o.pos[r+k]]
		}
		for k := range n {
			to := g.idEnd[r+k]
			if err := fn(senders[k], bens[k], &pays[k], g.ids[from:to]); err != nil {
				return err
			}
			from = to
		}
	}
	return nil
}

// eachInGroup is the number of rows whose payments EachIn copies before
// it calls fn for them.
const eachInGroup = 32
