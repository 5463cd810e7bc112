package graph_test

import (
	"slices"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// TestPartyNamesLastAndAddPartyFirst: the senders take their names from
// the parties given by AddPartyNames, a party listed twice by its last
// record, and a name given by AddParty before them; a party who sent
// nothing is no sender, and a sender without a party has no name.
func TestPartyNamesLastAndAddPartyFirst(t *testing.T) {
	b := graph.NewBuilder(graph.Options{})
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for i, s := range []string{"P0000001", "P0000002", "P0000003", "P0000000004"} {
		tr := vigil.Transfer{ID: "T" + s, SenderID: s, Timestamp: at.Add(time.Duration(i) * time.Hour),
			BeneficiaryName: "Maria Santos", BeneficiaryCountry: "PH", Amount: vigil.NewAmount(50, 0), Currency: "AUD"}
		if err := b.Add(&tr); err != nil {
			t.Fatal(err)
		}
	}
	b.AddParty(&vigil.Party{ID: "P0000002", FullName: "Ben Lim"})
	b.AddPartyNames(graph.NewPartyNames([]vigil.Party{
		{ID: "P0000001", FullName: "Ana Cruz"},
		{ID: "P0000002", FullName: "Ben Tan"},
		{ID: "P0000009", FullName: "Carl Ong"},       // sent nothing
		{ID: "P0000001", FullName: "Ana Reyes"},      // listed again: the last record counts
		{ID: "P0000000004", FullName: "Dina Garcia"}, // an id longer than 8 bytes
	}))
	g := b.Build()
	want := map[string]struct {
		name string
		sur  []string
	}{
		"P0000001":    {"Ana Reyes", []string{"reyes"}},
		"P0000002":    {"Ben Lim", []string{"lim"}},
		"P0000003":    {"", nil},
		"P0000000004": {"Dina Garcia", []string{"garcia"}},
	}
	if len(g.Senders) != len(want) {
		t.Fatalf("%d senders, want %d", len(g.Senders), len(want))
	}
	for _, s := range g.Senders {
		w, ok := want[s.ID]
		if !ok {
			t.Errorf("sender %s is not one who sent", s.ID)
			continue
		}
		if s.Name != w.name || !slices.Equal(s.Surname, w.sur) {
			t.Errorf("sender %s: name %q surname %q, want %q %q", s.ID, s.Name, s.Surname, w.name, w.sur)
		}
	}
}
