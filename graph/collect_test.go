package graph_test

import (
	"context"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/graph"
	"github.com/vigilfiu/vigil/synth"
)

// TestCollectLaidOut: with Options.CollectLaidOut, Build collects garbage
// once (with collection otherwise off, the count of collections grows by
// exactly one over Build, and by none without the option), and the graph
// traces as the one built without it.
func TestCollectLaidOut(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(synth.Config{Customers: 3000, Seed: 17, Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Months: 24}, dir); err != nil {
		t.Fatal(err)
	}
	seeds, _, err := csv.ReadLeadsFile(filepath.Join(dir, "seeds.csv"), csv.Options{})
	if err != nil || len(seeds) == 0 {
		t.Fatalf("seeds: %v (%d)", err, len(seeds))
	}
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	build := func(collect bool) (*graph.Graph, uint32) {
		b := graph.NewBuilder(graph.Options{SizeHint: 1 << 16, NoSeedIndex: true, CollectLaidOut: collect})
		if _, err := b.Feed(context.Background(), openTransfers(t, dir), func(err error) error { return err }); err != nil {
			t.Fatal(err)
		}
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		g := b.Build()
		runtime.ReadMemStats(&m1)
		return g, m1.NumGC - m0.NumGC
	}
	g1, n1 := build(true)
	g2, n2 := build(false)
	if n1 != 1 || n2 != 0 {
		t.Fatalf("collections during Build: %d with CollectLaidOut (want 1), %d without (want 0)", n1, n2)
	}
	r1, err1 := g1.Trace(seeds, graph.TraceOptions{})
	r2, err2 := g2.Trace(seeds, graph.TraceOptions{})
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if len(r1.Parties) == 0 || !reflect.DeepEqual(r1, r2) {
		t.Fatalf("the traces differ (%d and %d parties)", len(r1.Parties), len(r2.Parties))
	}
}
