package graph_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// TestReplayPrepared: a graph rebuilt from another graph's kept parts
// (its beneficiaries as a FixedResolution, its tables and prepared rows,
// the rows' encoding) traces byte for byte as the original; rows that do
// not fit the tables are refused.
func TestReplayPrepared(t *testing.T) {
	g, seeds, _ := synthWorld(t, 14, graph.Options{NoSeedIndex: true, KeepAssignment: true})
	if len(g.Assignment()) != g.NumTransfers() {
		t.Fatalf("assignment of %d transfers, graph %d", len(g.Assignment()), g.NumTransfers())
	}
	bens := make(graph.FixedResolution, len(g.Beneficiaries))
	for i := range g.Beneficiaries {
		bens[i] = g.Beneficiaries[i].Beneficiary
	}
	b := graph.NewBuilder(graph.Options{NoSeedIndex: true, Resolver: graph.FixedResolution(nil)})
	senders, curs, purs, cities := g.Tables()
	if err := b.SetTables(senders, curs, purs, cities); err != nil {
		t.Fatal(err)
	}
	for i := range g.Senders {
		if g.Senders[i].Name != "" {
			b.AddParty(&vigil.Party{ID: g.Senders[i].ID, FullName: g.Senders[i].Name})
		}
	}
	var row []byte
	var p graph.Payment
	r := 0
	if err := g.EachPrepared(func(s, ben int32, q *graph.Payment, id []byte) error {
		if a := g.Assignment()[r]; a != ben {
			t.Fatalf("row %d: prepared beneficiary %d, assignment %d", r, ben, a)
		}
		r++
		row = graph.AppendPrepared(row[:0], s, ben, q)
		if len(row) != graph.PreparedRowSize {
			t.Fatalf("row of %d bytes, want %d", len(row), graph.PreparedRowSize)
		}
		s2, ben2 := graph.DecodePrepared(row, &p)
		want := *q
		p.Row = want.Row
		if s2 != s || ben2 != ben || p != want {
			t.Fatalf("decoded %d %d %+v, want %d %d %+v", s2, ben2, p, s, ben, want)
		}
		return b.AddPrepared(s2, ben2, &p, id)
	}); err != nil {
		t.Fatal(err)
	}
	if err := b.SetResolution(bens[:0]); err == nil {
		t.Fatal("a resolution smaller than the rows' beneficiaries was taken")
	}
	if err := b.SetResolution(bens); err != nil {
		t.Fatal(err)
	}
	h := b.Build()
	trace := func(g *graph.Graph) []byte {
		var buf bytes.Buffer
		for i := range seeds {
			res, err := g.Trace(seeds[i:i+1], graph.TraceOptions{})
			if err != nil {
				t.Fatal(err)
			}
			json.NewEncoder(&buf).Encode(res)
		}
		return buf.Bytes()
	}
	want, got := trace(g), trace(h)
	if bytes.Count(want, []byte(`"party_id"`)) < 10 {
		t.Fatalf("too few ranked parties to compare")
	}
	if !bytes.Equal(got, want) {
		t.Fatal("the replayed graph traces differently from the original")
	}

	// A row naming a sender the tables do not have is refused.
	c := graph.NewBuilder(graph.Options{Resolver: graph.FixedResolution(nil)})
	if err := c.SetTables(senders[:1], curs, purs, cities); err != nil {
		t.Fatal(err)
	}
	if err := c.AddPrepared(1, 0, &p, []byte("T1")); err == nil {
		t.Fatal("a row with sender 1 of a table of 1 was taken")
	}
	if err := c.SetTables(senders, curs, purs, cities); err == nil {
		t.Fatal("SetTables after a sender was indexed was taken")
	}
}

// TestKeptVersion: the version names both parts and is the same on every
// call (it is compared across processes and machines).
func TestKeptVersion(t *testing.T) {
	v := graph.KeptVersion()
	if !bytes.Contains([]byte(v), []byte(" resolve/")) || !bytes.Contains([]byte(v), []byte(" prepare/")) || bytes.Contains([]byte(v), []byte("error")) {
		t.Fatalf("KeptVersion() = %q", v)
	}
	if graph.KeptVersion() != v {
		t.Fatal("KeptVersion changed within a process")
	}
}
