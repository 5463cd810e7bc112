package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// silentPayerWorld: the seed's recipient "Kristine Mendoza" is paid at
// her phone by her buyers B0–B3, three small late payments each, and by
// B4 once, small and by day; F pays it four times without phone, account
// or city — small sums by day (typology 0.4, the family's way) when
// familyWay, else small late at night (0.8, the buyers' way).
func silentPayerWorld(t *testing.T, familyWay bool) *graph.Graph {
	t.Helper()
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	start := time.Date(2025, 3, 1, 23, 0, 0, 0, syd)
	n := 0
	pay := func(sender, phone string, k int, day bool) {
		for i := range k {
			n++
			at := start
			if day {
				at = start.Add(-10 * time.Hour)
			}
			tr := vigil.Transfer{ID: fmt.Sprintf("T%04d", n), Timestamp: at.AddDate(0, 0, 3*i+n%7), SenderID: sender,
				BeneficiaryName: "Kristine Mendoza", BeneficiaryPhone: phone, BeneficiaryCountry: "PH",
				Amount: vigil.NewAmount(30+int64(n%5)*10, 170000), Currency: "AUD"}
			if err := b.Add(&tr); err != nil {
				t.Fatal(err)
			}
		}
	}
	const phone = "09290996416"
	for _, s := range []string{"B0", "B1", "B2", "B3"} {
		pay(s, phone, 3, false)
	}
	pay("B4", phone, 1, true)
	pay("F", "", 4, familyWay)
	return b.Build()
}

func traceSilent(t *testing.T, familyWay bool) map[string]*vigil.TracedParty {
	t.Helper()
	res, err := silentPayerWorld(t, familyWay).Trace([]vigil.Lead{{ID: "S1", FullName: "MENDOZA, Kristine", Phone: "09290996416", Country: "PH"}}, graph.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*vigil.TracedParty{}
	for i := range res.Parties {
		byID[res.Parties[i].PartyID] = &res.Parties[i]
	}
	return byID
}

func saysSilent(p *vigil.TracedParty) bool {
	return p != nil && slices.ContainsFunc(p.Evidence.Facts, func(f string) bool { return strings.Contains(f, "paid as family does") })
}

// TestTraceSilentPayer: every other payment to the seed's recipient
// carries her phone; F's four, small by day, carry nothing (chance 0 were
// he her payer): they count at a rate near 0, so F, who would outweigh
// B4's one payment of the same kind, ranks below B4 or not at all, and
// if ranked his line says why.
func TestTraceSilentPayer(t *testing.T) {
	byID := traceSilent(t, true)
	f, b4 := byID["F"], byID["B4"]
	if b4 == nil {
		t.Fatalf("B4 not ranked: %+v", byID)
	}
	if f != nil && f.Rank < b4.Rank {
		t.Errorf("F ranks %d, above buyer B4 (%d): %q", f.Rank, b4.Rank, f.Evidence.Facts)
	}
	if f != nil && f.Evidence.Relation == graph.RelationDirect && !saysSilent(f) {
		t.Errorf("F's line does not say why his payments count at a low rate: %q", f.Evidence.Facts)
	}
}

// TestTraceSilentPayerNotTheBuyersWay: must not fire when F's bare
// payments are small and late at night (the buyers' way): they keep the
// recipient's rate, and F ranks above B4, who paid once by day.
func TestTraceSilentPayerNotTheBuyersWay(t *testing.T) {
	byID := traceSilent(t, false)
	f, b4 := byID["F"], byID["B4"]
	if f == nil || b4 == nil || f.Evidence.Relation != graph.RelationDirect {
		t.Fatalf("F or B4 not ranked as direct payers: %+v %+v", f, b4)
	}
	if saysSilent(f) {
		t.Errorf("F's small late payments discounted: %q", f.Evidence.Facts)
	}
	if f.Rank > b4.Rank {
		t.Errorf("F ranks %d, below B4 (%d)", f.Rank, b4.Rank)
	}
}
