package graph

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
)

// mergingResolver puts the recipients named in merge into one
// beneficiary only at the end of the pass (as a resolver's later merge
// does), so that a sender's provisional edges to them become one edge.
type mergingResolver struct {
	nodes map[string]int32
	names []string
	merge map[string]string // recipient → recipient it ends merged into
}

func (r *mergingResolver) Observe(t *vigil.Transfer) int32 {
	n, ok := r.nodes[t.BeneficiaryName]
	if !ok {
		n = int32(len(r.names))
		r.nodes[t.BeneficiaryName] = n
		r.names = append(r.names, t.BeneficiaryName)
	}
	return n
}

func (r *mergingResolver) ID(n int32) string {
	if to, ok := r.merge[r.names[n]]; ok {
		return "B-" + to
	}
	return "B-" + r.names[n]
}

func (r *mergingResolver) Beneficiaries() []vigil.Beneficiary {
	var out []vigil.Beneficiary
	for _, n := range r.names {
		if _, ok := r.merge[n]; !ok {
			out = append(out, vigil.Beneficiary{ID: "B-" + n, Names: []string{n}})
		}
	}
	return out
}

// TestBuildMergedEdges checks the payment layout of Build when record
// nodes merge after their payments were filed: every edge holds exactly
// its sender's payments to its beneficiary, in time order, each transfer
// once, and the edges' counts and totals add up.
// It builds with every provisional edge summarised ahead of the final
// edges and with none (Build's summariseAhead stops where it is told):
// both graphs must be the same.
func TestBuildMergedEdges(t *testing.T) {
	var built []*Graph
	for _, ahead := range []int8{1, -1} {
		g := buildMerged(t, ahead)
		if ahead > 0 && !slices.ContainsFunc(g.Edges, func(e Edge) bool { return e.Count > 1 }) {
			t.Fatal("no edge of several payments")
		}
		built = append(built, g)
	}
	if !reflect.DeepEqual(built[0].Edges, built[1].Edges) || !reflect.DeepEqual(built[0].payments, built[1].payments) {
		t.Fatal("edges summarised ahead differ from edges summarised after the merge")
	}
}

func buildMerged(t *testing.T, ahead int8) *Graph {
	res := &mergingResolver{nodes: map[string]int32{}, merge: map[string]string{"ana b": "ana a", "ana c": "ana a", "cruz z": "cruz y"}}
	b := NewBuilder(Options{Resolver: res, KeepAssignment: true})
	b.ahead = ahead
	recips := []string{"ana a", "ana b", "lee", "ana c", "cruz y", "cruz z", "mo"}
	type key struct{ s, r string }
	want := map[key][]string{}
	at := int64(1_700_000_000)
	for i := range 3000 {
		s := []string{"S1", "S2", "S3", "S4"}[i*7%4]
		r := recips[(i*i+3*i)%len(recips)]
		if s == "S4" { // one sender with more than 32 recipients
			r = string(rune('a'+i%26)) + string(rune('a'+i%2))
		}
		id := "T" + string(rune('A'+i%26)) + string(rune('a'+i/26%26)) + string(rune('0'+i/676))
		ts := time.Unix(at-int64(i%97)*3600, 0).UTC()
		if err := b.Add(&vigil.Transfer{ID: id, SenderID: s, BeneficiaryName: r, Timestamp: ts, Amount: vigil.Amount(i+1) * vigil.AmountScale, Currency: "EUR"}); err != nil {
			t.Fatal(err)
		}
		final := r
		if to, ok := res.merge[r]; ok {
			final = to
		}
		want[key{s, "B-" + final}] = append(want[key{s, "B-" + final}], id)
	}
	g := b.Build()
	seen := 0
	for i := range g.Edges {
		e := &g.Edges[i]
		ps := g.Payments(e)
		if int(e.Count) != len(ps) || !slices.IsSortedFunc(ps, cmpPayment) {
			t.Fatalf("edge %d: count %d, %d payments, sorted %v", i, e.Count, len(ps), slices.IsSortedFunc(ps, cmpPayment))
		}
		var ids []string
		var total vigil.Amount
		for k := range ps {
			ids = append(ids, g.TransferID(&ps[k]))
			total += ps[k].Amount
			if g.Assignment()[ps[k].Row] != e.Beneficiary {
				t.Fatalf("payment %s on edge to %d assigned to %d", ids[k], e.Beneficiary, g.Assignment()[ps[k].Row])
			}
		}
		k := key{g.Senders[e.Sender].ID, g.Beneficiaries[e.Beneficiary].ID}
		w := slices.Clone(want[k])
		slices.Sort(w)
		slices.Sort(ids)
		if !slices.Equal(ids, w) || total != e.Total {
			t.Fatalf("edge %v: transfers %v (total %v, edge %v), want %v", k, ids, total, e.Total, w)
		}
		seen += len(ids)
	}
	if seen != 3000 || len(g.Edges) != len(want) {
		t.Fatalf("%d payments on %d edges, want 3000 on %d", seen, len(g.Edges), len(want))
	}
	// Build sums the strengths per sender and per beneficiary on two
	// goroutines: the same sums, in the same order, as strengths.
	if ws, wb := g.strengths(); !slices.Equal(ws, g.ws) || !slices.Equal(wb, g.wb) {
		t.Fatalf("strengths %v %v, Build's %v %v", ws, wb, g.ws, g.wb)
	}
	n := 0
	for i := range g.Beneficiaries {
		n += g.Beneficiaries[i].Transfers
	}
	if n != 3000 {
		t.Fatalf("%d transfers counted on the beneficiaries, want 3000", n)
	}
	return g
}
