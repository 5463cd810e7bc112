package graph_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// echoWorld: the seed's recipient "Rowena Santos" is paid at her phone
// twice each by B and O, the same sums at the same hours (small, round,
// late at night), and by A four times. B also pays "Liza Cruz" five
// times, whom S1 and S2 pay too; O also pays "Lorna Reyes" twenty times,
// small sums late at night, whom (when shared) O2 pays as well, and no
// one else otherwise.
func echoWorld(t *testing.T, shared bool) []vigil.TracedParty {
	t.Helper()
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	n := 0
	add := func(sender, name, phone string, at time.Time, amt int64) {
		n++
		tr := vigil.Transfer{ID: fmt.Sprintf("T%04d", n), Timestamp: at, SenderID: sender,
			BeneficiaryName: name, BeneficiaryPhone: phone, BeneficiaryCity: "General Santos City", BeneficiaryCountry: "PH",
			Amount: vigil.NewAmount(amt, 0), Currency: "AUD"}
		if err := b.Add(&tr); err != nil {
			t.Fatal(err)
		}
	}
	const hers = "+639499460925"
	start := time.Date(2025, 1, 10, 23, 0, 0, 0, syd)
	for j := range 2 {
		add("B", "Rowena Santos", hers, start.AddDate(0, 0, 10*j), 50)
		add("O", "Rowena Santos", hers, start.AddDate(0, 0, 10*j).Add(time.Minute), 50)
	}
	for j := range 4 {
		add("A", "Rowena Santos", hers, start.AddDate(0, 0, 5*j+2), 40)
	}
	for j := range 5 {
		for _, s := range []string{"B", "S1", "S2"} {
			add(s, "Liza Cruz", "+639170000001", start.AddDate(0, 0, 6*j+3), 60)
		}
	}
	for m := range 20 {
		day := start.AddDate(0, 0, 3*m+m%4)
		add("O", "Lorna Reyes", "+639170000002", day, 60)
		if shared {
			add("O2", "Lorna Reyes", "+639170000002", day.Add(time.Hour), 60)
		}
	}
	res, err := b.Build().Trace([]vigil.Lead{{ID: "S", FullName: "SANTOS ROWENA", Phone: hers, City: "General Santos City", Country: "PH"}}, graph.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Parties
}

// TestTraceEchoDropped: O pays her as B does, and a recipient of his own
// that no one else pays; the walker's mass sent there comes back only to
// him, so it must not lift him: B, whose other recipient the seed's
// network pays too, ranks above O.
func TestTraceEchoDropped(t *testing.T) {
	parties := echoWorld(t, false)
	bp, okB := rankOf(parties, "B")
	op, okO := rankOf(parties, "O")
	if !okB || !okO || bp.Rank > op.Rank {
		t.Errorf("B rank %d (listed %v), O rank %d (listed %v): %+v", bp.Rank, okB, op.Rank, okO, parties)
	}
}

// TestTraceEchoSharedRecipient: must not touch a recipient someone else
// pays too: S1 and S2, who share Liza Cruz with B, and O2, who shares
// Lorna Reyes with O, are still reached as second degree, and A, with
// four payments, stays first.
func TestTraceEchoSharedRecipient(t *testing.T) {
	parties := echoWorld(t, true)
	for _, id := range []string{"S1", "S2", "O2"} {
		if p, ok := rankOf(parties, id); !ok || p.Evidence.Relation != graph.RelationSecond {
			t.Errorf("%s: listed %v, relation %s", id, ok, p.Evidence.Relation)
		}
	}
	if a, ok := rankOf(parties, "A"); !ok || a.Rank != 1 {
		t.Errorf("A (four payments): listed %v, rank %d", ok, a.Rank)
	}
}
