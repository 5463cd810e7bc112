package graph

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/vigilfiu/vigil"
)

// TestSeedIndexForHalves holds the index made in two halves to the one
// indexFor makes in one pass: the same keys, each list in beneficiary
// order, across the boundary between the halves.
func TestSeedIndexForHalves(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	words := []string{"santos", "maria", "cruz", "reyes", "garcia", "lopez", "ana", "jose", "bautista", "ramos"}
	g := &Graph{Beneficiaries: make([]Beneficiary, 40_001)}
	for i := range g.Beneficiaries {
		be := &g.Beneficiaries[i]
		for range 1 + rng.IntN(3) {
			be.utokens = append(be.utokens, words[rng.IntN(len(words))])
		}
		if rng.IntN(50) == 0 {
			be.Phones = []string{fmt.Sprintf("+6391700000%02d", rng.IntN(30))}
		}
		if rng.IntN(70) == 0 {
			be.Accounts = []string{fmt.Sprintf("PH-%03d", rng.IntN(40))}
		}
	}
	seeds := []vigil.Lead{
		{ID: "S1", FullName: "SANTOS, Maria", Phone: "+639170000007", Country: "PH"},
		{ID: "S2", FullName: "Ramos Zzyzx", Account: "ph 017", Country: "PH"},
		{ID: "S3", FullName: "Nobody Known", Phone: "+639999999999", Country: "PH"},
	}
	want := g.indexFor(seeds)
	got := g.seedIndexFor(seeds)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("halves differ from one pass:\n got %v\nwant %v", got, want)
	}
	if len(want.token["santos"]) == 0 || len(want.phone) == 0 || len(want.account) == 0 {
		t.Fatalf("the test's seeds match nothing: %v", want)
	}
}

// TestTokeniseNameIDsArenas holds the tokens cut from arenas to those
// tokeniseNames makes, over more beneficiaries than one arena holds, and
// so the tokens of a nameTokeniser fed in chunks.
func TestTokeniseNameIDsArenas(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	words := []string{"Santos", "Maria", "dela Cruz", "Reyes", "Ana", "José", "Bautista", "Ramos", "Lim", "O'Neil"}
	var names []string
	nameID := map[string]int32{}
	bens := make([]Beneficiary, 20_000)
	ids := make([][]int32, len(bens))
	for i := range bens {
		for range rng.IntN(4) { // some beneficiaries have no name
			n := words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))]
			if rng.IntN(3) == 0 {
				n += " " + words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))]
			}
			id, ok := nameID[n]
			if !ok {
				id = int32(len(names))
				nameID[n], names = id, append(names, n)
			}
			bens[i].Names = append(bens[i].Names, n)
			ids[i] = append(ids[i], id)
		}
	}
	want := make([]Beneficiary, len(bens))
	for i := range bens {
		want[i].Names = bens[i].Names
	}
	tokeniseNames(want)
	tokeniseNameIDs(bens, ids, len(names))
	for i := range bens {
		if !reflect.DeepEqual(bens[i].tokens, want[i].tokens) || !reflect.DeepEqual(bens[i].utokens, want[i].utokens) {
			t.Fatalf("beneficiary %d %q: tokens %q %q, want %q %q", i, bens[i].Names, bens[i].tokens, bens[i].utokens, want[i].tokens, want[i].utokens)
		}
	}
	// In chunks on one tokeniser each (as Build's goroutines take them),
	// by name ids and by names: the same tokens.
	for _, byID := range []bool{true, false} {
		got := make([]Beneficiary, len(bens))
		for i := range bens {
			got[i].Names = bens[i].Names
		}
		z := newNameTokeniser(byID, len(names), 3000)
		for lo := 0; lo < len(got); lo += 3000 {
			hi := min(lo+3000, len(got))
			z.tokenise(got[lo:hi], ids[lo:hi])
		}
		for i := range got {
			if !reflect.DeepEqual(got[i].tokens, want[i].tokens) || !reflect.DeepEqual(got[i].utokens, want[i].utokens) {
				t.Fatalf("in chunks (by id %v): beneficiary %d %q: tokens %q %q, want %q %q", byID, i, got[i].Names, got[i].tokens, got[i].utokens, want[i].tokens, want[i].utokens)
			}
		}
	}
}

// BenchmarkTokeniseNameIDs tokenises 200,000 beneficiaries' names (50,000
// distinct) as Build does with the resolver's name ids.
func BenchmarkTokeniseNameIDs(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"Santos", "Maria", "dela Cruz", "Reyes", "Ana", "Jose", "Bautista", "Ramos", "Lim", "Garcia", "Lopez", "Tan", "Mendoza", "Flores", "Villanueva"}
	names := make([]string, 50_000)
	for i := range names {
		names[i] = fmt.Sprintf("%s %s %s", words[rng.IntN(len(words))], words[rng.IntN(len(words))], words[rng.IntN(len(words))])
	}
	ids := make([][]int32, 200_000)
	for i := range ids {
		for range 1 + rng.IntN(3)/2 {
			ids[i] = append(ids[i], int32(rng.IntN(len(names))))
		}
	}
	bens := make([]Beneficiary, len(ids))
	b.ReportAllocs()
	for b.Loop() {
		for i := range bens {
			bens[i] = Beneficiary{}
			for _, id := range ids[i] {
				bens[i].Names = append(bens[i].Names, names[id])
			}
		}
		tokeniseNameIDs(bens, ids, len(names))
	}
}

// TestParallelChunks holds parallelChunks to covering every index once,
// with a last chunk shorter than the others and below the size run alone.
func TestParallelChunks(t *testing.T) {
	for _, n := range []int{0, 100, 1 << 12, 50_001} {
		seen := make([]atomic.Int32, n)
		parallelChunks(n, 1000, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				seen[i].Add(1)
			}
		})
		for i := range seen {
			if c := seen[i].Load(); c != 1 {
				t.Fatalf("n=%d: index %d done %d times", n, i, c)
			}
		}
	}
}
