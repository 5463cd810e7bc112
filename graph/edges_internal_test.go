package graph

import (
	"math/rand/v2"
	"testing"
)

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
