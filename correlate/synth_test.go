package correlate_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/correlate"
	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/graph"
	"github.com/vigilfiu/vigil/synth"
)

// TestCorrelateOnSynthWorld checks the target on a small generated
// world: no handle attributed to the wrong customer at confidence ≥ 0.5,
// and at least 90% of the buyers' handles that have two or more sessions
// next to their customer's payments attributed correctly.
func TestCorrelateOnSynthWorld(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(synth.Config{Customers: 8000, Seed: 21, Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Months: 24}, dir); err != nil {
		t.Fatal(err)
	}
	truth, err := synth.ReadTruth(dir)
	if err != nil {
		t.Fatal(err)
	}
	parties, bad, err := csv.ReadPartiesFile(filepath.Join(dir, "parties.csv"), csv.Options{})
	if err != nil || len(bad) > 0 {
		t.Fatalf("parties: %v %v", err, bad)
	}
	seeds, bad, err := csv.ReadLeadsFile(filepath.Join(dir, "seeds.csv"), csv.Options{})
	if err != nil || len(bad) > 0 {
		t.Fatalf("seeds: %v %v", err, bad)
	}
	events, bad, err := csv.ReadCallsFile(filepath.Join(dir, "calls.csv"), csv.Options{})
	if err != nil || len(bad) > 0 {
		t.Fatalf("calls: %v %v", err, bad)
	}
	b := graph.NewBuilder(graph.Options{})
	for i := range parties {
		b.AddParty(&parties[i])
	}
	f, err := os.Open(filepath.Join(dir, "transfers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := csv.NewTransferReader(f, "transfers.csv", csv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Feed(context.Background(), r, func(err error) error { return err }); err != nil {
		t.Fatal(err)
	}
	g := b.Build()
	res, err := correlate.Correlate(g, parties, events, seeds, correlate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The parties indexed beforehand (as while the graph is built), and
	// out of id order (found through a map), give the same result.
	shuffled := slices.Clone(parties)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, ps := range [][]vigil.Party{parties, shuffled} {
		again, err := correlate.Correlate(g, nil, events, seeds, correlate.Options{Parties: correlate.PrepareParties(ps)})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(again, res) {
			t.Errorf("with the parties prepared (%d in id order: %v): a different result", len(ps), slices.IsSortedFunc(ps, func(a, b vigil.Party) int { return strings.Compare(a.ID, b.ID) }))
		}
	}
	cluster := func(id string) string {
		if c, ok := truth.PartyCluster[id]; ok {
			return c
		}
		return id
	}
	if len(truth.Seized) == 0 {
		t.Fatal("no seized device in the world")
	}
	right, attributable := 0, 0
	for _, s := range truth.Seized {
		for _, l := range res.Links {
			if l.Account != s.Account {
				continue
			}
			want, kind := s.HandleParty[l.Handle], s.HandleKind[l.Handle]
			ok := kind == "buyer" && s.HandlePaid[l.Handle] >= 2
			if ok {
				attributable++
			}
			switch {
			case l.PartyID == nil:
				if ok {
					t.Logf("%s: buyer handle %s unattributed: %s", s.Account, l.Handle, l.Reason)
				}
			case want == "" || cluster(*l.PartyID) != cluster(want):
				t.Errorf("%s: %s (%s) attributed to %s, truth %q, confidence %.3f: %s", s.Account, l.Handle, kind, *l.PartyID, want, l.Confidence, l.Reason)
			case ok:
				right++
			}
		}
	}
	t.Logf("%d of %d attributable buyer handles attributed correctly", right, attributable)
	if float64(right) < 0.9*float64(attributable) {
		t.Errorf("%d of %d attributable buyer handles attributed, want ≥ 90%%", right, attributable)
	}
}
