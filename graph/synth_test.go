package graph_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/graph"
	"github.com/vigilfiu/vigil/synth"
)

// synthWorld generates a small vigil synth world and builds its graph.
func synthWorld(t *testing.T, seed int64, opts ...graph.Options) (*graph.Graph, []vigil.Lead, *synth.Truth) {
	t.Helper()
	dir := t.TempDir()
	if _, err := synth.Generate(synth.Config{Customers: 6000, Seed: seed, Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Months: 24}, dir); err != nil {
		t.Fatal(err)
	}
	truth, err := synth.ReadTruth(dir)
	if err != nil {
		t.Fatal(err)
	}
	ps, bad, err := csv.ReadPartiesFile(filepath.Join(dir, "parties.csv"), csv.Options{})
	if err != nil || len(bad) > 0 {
		t.Fatalf("parties: %v %v", err, bad)
	}
	seeds, bad, err := csv.ReadLeadsFile(filepath.Join(dir, "seeds.csv"), csv.Options{})
	if err != nil || len(bad) > 0 {
		t.Fatalf("seeds: %v %v", err, bad)
	}
	var opt graph.Options
	if len(opts) > 0 {
		opt = opts[0]
	}
	b := graph.NewBuilder(opt)
	for i := range ps {
		b.AddParty(&ps[i])
	}
	r := openTransfers(t, dir)
	rejected := 0
	if _, err := b.Feed(context.Background(), r, func(err error) error {
		rejected++ // reported below: the generator must write valid rows
		t.Logf("rejected: %v", err)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if rejected > 0 {
		t.Errorf("%d generated transfer rows rejected by the reader", rejected)
	}
	return b.Build(), seeds, truth
}

// TestTraceOnSynthWorlds checks the target on small generated
// worlds: for each seized facilitator, its domestic buyers fill at least
// 90% of the top K of a trace from its seed (K = their number), and no
// family remitter is in the top K.
func TestTraceOnSynthWorlds(t *testing.T) {
	var hit, total int
	for _, seed := range []int64{11, 12} {
		g, seeds, truth := synthWorld(t, seed)
		cluster := func(id string) string {
			if c, ok := truth.PartyCluster[id]; ok {
				return c
			}
			return id
		}
		for _, s := range truth.Seized {
			i := slices.IndexFunc(seeds, func(l vigil.Lead) bool { return l.ID == s.SeedLeadID })
			if i < 0 {
				t.Fatalf("world %d: seed %s not in seeds.csv", seed, s.SeedLeadID)
			}
			res, err := g.Trace(seeds[i:i+1], graph.TraceOptions{})
			if err != nil {
				t.Fatal(err)
			}
			k := len(s.Buyers)
			in := 0
			seen := map[string]bool{}
			for j := 0; j < k && j < len(res.Parties); j++ {
				p := res.Parties[j].PartyID
				if c := cluster(p); slices.Contains(s.Buyers, c) && !seen[c] {
					in++
					seen[c] = true
				}
				if seg := truth.Segment[p]; seg == "family" {
					t.Errorf("world %d seed %s: family remitter %s at rank %d", seed, s.SeedLeadID, p, j+1)
				}
			}
			t.Logf("world %d seed %s: %d of top %d are its buyers", seed, s.SeedLeadID, in, k)
			hit += in
			total += k
		}
	}
	if total == 0 {
		t.Fatal("no seized facilitator in the worlds")
	}
	if float64(hit) < 0.9*float64(total) {
		t.Errorf("buyers fill %d of %d top-K places, want ≥ 90%%", hit, total)
	}
}

// TestNoSeedIndexSameTrace: a graph built without the seed index (seeds
// found by one pass at trace time) traces exactly as one built with it,
// seed by seed and all seeds together.
func TestNoSeedIndexSameTrace(t *testing.T) {
	g1, seeds, _ := synthWorld(t, 13)
	g2, _, _ := synthWorld(t, 13, graph.Options{NoSeedIndex: true})
	sets := [][]vigil.Lead{seeds}
	for i := range seeds {
		sets = append(sets, seeds[i:i+1])
	}
	for _, set := range sets {
		r1, err1 := g1.Trace(set, graph.TraceOptions{})
		r2, err2 := g2.Trace(set, graph.TraceOptions{})
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !reflect.DeepEqual(r1.Candidates, r2.Candidates) || !reflect.DeepEqual(r1.Parties, r2.Parties) {
			t.Fatalf("seeds %s: the trace differs without the seed index", set[0].ID)
		}
		if len(set) == 1 && len(r1.Candidates) == 0 {
			t.Errorf("seed %s: no candidate at all", set[0].ID)
		}
	}
	// SeedsIndex over all the seeds, or over each alone, on the graph
	// without the full index agrees with ResolveSeed on the one with it
	// (before g2's full index is built below).
	all := g2.SeedsIndex(seeds)
	for i := range seeds {
		c1 := g1.ResolveSeed(&seeds[i], graph.DefaultSeedThreshold, 50)
		if c2 := all.Resolve(&seeds[i], graph.DefaultSeedThreshold, 50); !reflect.DeepEqual(c1, c2) {
			t.Fatalf("seed %s: SeedsIndex(all).Resolve differs from ResolveSeed", seeds[i].ID)
		}
		if c2 := g2.SeedsIndex(seeds[i:i+1]).Resolve(&seeds[i], graph.DefaultSeedThreshold, 50); !reflect.DeepEqual(c1, c2) {
			t.Fatalf("seed %s: SeedsIndex(one).Resolve differs from ResolveSeed", seeds[i].ID)
		}
		if len(c1) == 0 {
			t.Errorf("seed %s: no candidate at all", seeds[i].ID)
		}
	}
	// ResolveSeed on the graph without an index builds it, and agrees.
	for i := range seeds {
		if c1, c2 := g1.ResolveSeed(&seeds[i], graph.DefaultSeedThreshold, 0), g2.ResolveSeed(&seeds[i], graph.DefaultSeedThreshold, 0); !reflect.DeepEqual(c1, c2) {
			t.Fatalf("seed %s: ResolveSeed differs", seeds[i].ID)
		}
	}
}

// openTransfers opens a synth world's transfers.csv for the test; the file
// is closed when the test ends.
func openTransfers(t *testing.T, dir string) *csv.TransferReader {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "transfers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	r, err := csv.NewTransferReader(f, "transfers.csv", csv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}
