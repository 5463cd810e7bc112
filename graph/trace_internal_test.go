package graph

import (
	"fmt"
	"math/rand/v2"
	"reflect"
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
