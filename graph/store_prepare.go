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
