package graph

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/synth"
)

// TestSizeHintEdges: with the size hint vigil trace gives (the transfers
// file's size / 128), a synth world's provisional edges fit the edge
// table and the edge list made by NewBuilder, which then never grow; a
// hint ten times smaller leaves them to grow (the check can fail).
func TestSizeHintEdges(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(synth.Config{Customers: 3000, Seed: 21, Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Months: 24}, dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "transfers.csv")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	feed := func(hint int) (grew bool) {
		b := NewBuilder(Options{SizeHint: hint})
		slots, edges := len(b.edgeIdx.slots), cap(b.edges)
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r, err := csv.NewTransferReader(f, path, csv.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Feed(context.Background(), r, func(err error) error { return err }); err != nil {
			t.Fatal(err)
		}
		t.Logf("hint %d: %d transfers, %d provisional edges; table %d → %d slots, edge list %d → %d", hint, len(b.rows), len(b.edges), slots, len(b.edgeIdx.slots), edges, cap(b.edges))
		return len(b.edgeIdx.slots) != slots || cap(b.edges) != edges
	}
	if feed(int(st.Size() / 128)) {
		t.Error("with the file's size hint the edge table or the edge list grew")
	}
	if !feed(int(st.Size() / 1280)) {
		t.Error("with a tenth of the hint neither the edge table nor the edge list grew")
	}
}

// TestEdgeTable checks the edge table against a map over random keys,
// through several growths, with repeated keys.
func TestEdgeTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var tb edgeTable
	want := map[uint64]int32{}
	for i := range 200_000 {
		key := edgeKey(rng.Int32N(5000), rng.Int32N(1<<30))
		if i%3 == 0 && len(want) > 0 { // a key seen before
			key = edgeKey(int32(i%5000), int32(i))
			if _, ok := want[key]; !ok {
				want[key] = int32(len(want))
				if e, found := tb.index(key, want[key]); found || e != want[key] {
					t.Fatalf("new key %x: got %d, %v", key, e, found)
				}
			}
		}
		e, found := tb.index(key, int32(len(want)))
		w, ok := want[key]
		if !ok {
			w = int32(len(want))
			want[key] = w
		}
		if found != ok || e != w {
			t.Fatalf("key %x: got %d, %v; want %d, %v", key, e, found, w, ok)
		}
	}
	if tb.n != len(want) || 2*tb.n > len(tb.slots) {
		t.Fatalf("%d keys in %d slots, want %d", tb.n, len(tb.slots), len(want))
	}
}
