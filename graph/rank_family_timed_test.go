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

// familyTimedWorld: buyers B0–B3 pay "Romeo Reyes" small sums late at
// night. F pays "Ronaldo Evangelista" 317 on the 15th of every month at
// noon (a family-like tie) for a year, and pays "Romeo Reyes" 100 (small
// and round, the buyers' sums) eight times, every month or two (no
// payday rhythm): on the same evening as a family payment when
// withFamily, else ten days later.
func familyTimedWorld(t *testing.T, withFamily bool) *graph.Graph {
	t.Helper()
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	n := 0
	add := func(sender, name string, at time.Time, amt int64) {
		n++
		tr := vigil.Transfer{ID: fmt.Sprintf("T%04d", n), Timestamp: at, SenderID: sender,
			BeneficiaryName: name, BeneficiaryCountry: "PH", Amount: vigil.NewAmount(amt, 0), Currency: "AUD"}
		if err := b.Add(&tr); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Date(2025, 1, 15, 12, 0, 0, 0, syd)
	for i := range 4 {
		for j := range 3 + i {
			add(fmt.Sprintf("B%d", i), "Romeo Reyes", start.AddDate(0, 0, 5*j+i).Add(11*time.Hour), 30+int64(j)*5)
		}
	}
	for m := range 12 {
		add("F", "Ronaldo Evangelista", start.AddDate(0, m, 0), 317)
	}
	for _, m := range []int{0, 2, 3, 5, 6, 8, 9, 11} {
		at := start.AddDate(0, m, 0).Add(7 * time.Hour) // 19:00 on the family's payday
		if !withFamily {
			at = at.AddDate(0, 0, 10)
		}
		add("F", "Romeo Reyes", at, 100)
	}
	return b.Build()
}

func traceFamilyTimed(t *testing.T, withFamily bool) []vigil.TracedParty {
	t.Helper()
	res, err := familyTimedWorld(t, withFamily).Trace([]vigil.Lead{{ID: "S1", FullName: "REYES, Romeo", Country: "PH"}}, graph.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Parties
}

func saysFamilyTimed(p vigil.TracedParty) bool {
	return slices.ContainsFunc(p.Evidence.Facts, func(f string) bool { return strings.Contains(f, "sent with the family's money") })
}

// TestTraceFamilyTimed: all eight of F's payments to the seed's recipient
// go out on the evenings he pays his family (a day either side of a
// family payment covers about a fifteenth of those days; chance ≈ 0):
// he is listed with the relatives, after the four buyers, and his line
// says why.
func TestTraceFamilyTimed(t *testing.T) {
	parties := traceFamilyTimed(t, true)
	i := slices.IndexFunc(parties, func(p vigil.TracedParty) bool { return p.PartyID == "F" })
	if i < 0 {
		t.Fatalf("F, a payer of the seed, not listed: %+v", parties)
	}
	f := parties[i]
	if f.Evidence.Relation != graph.RelationRelative || !saysFamilyTimed(f) {
		t.Errorf("F: relation %s, facts %q", f.Evidence.Relation, f.Evidence.Facts)
	}
	for _, p := range parties[:min(4, len(parties))] {
		if !strings.HasPrefix(p.PartyID, "B") {
			t.Errorf("rank %d is %s, want the 4 buyers first: %+v", p.Rank, p.PartyID, parties)
		}
	}
}

// TestTraceFamilyTimedApart: must not fire when F pays the seed's
// recipient ten days after his family payments: he stays a direct payer
// (his small round sums outweigh the buyers' few), and nothing says
// family money.
func TestTraceFamilyTimedApart(t *testing.T) {
	parties := traceFamilyTimed(t, false)
	i := slices.IndexFunc(parties, func(p vigil.TracedParty) bool { return p.PartyID == "F" })
	if i < 0 {
		t.Fatalf("F not listed: %+v", parties)
	}
	if f := parties[i]; f.Evidence.Relation != graph.RelationDirect || saysFamilyTimed(f) {
		t.Errorf("F: relation %s, facts %q", f.Evidence.Relation, f.Evidence.Facts)
	}
}
