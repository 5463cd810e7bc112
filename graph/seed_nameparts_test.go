package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// TestSeedNamePartsClash: the lead gives "DIZON JOSEPHINE GARCIA" of
// Taguig and no phone; her recipient "Josephine Garcia Dizon" in Taguig
// is paid by three buyers. Another recipient in Taguig, paid the buyers'
// way by two senders of its own and by one of her buyers, shares two of
// her three words: "Benjie Garcia Dizon" (another given name, a
// relative) and "Josephine Garcia" (her middle name as a family name)
// are other people, whose name is no evidence and who are not picked on
// the shared payer (SeedNamePartsClash). Must not: her name shortened,
// written with a comma or misspelt is still her name, picked on the
// shared payer.
func TestSeedNamePartsClash(t *testing.T) {
	world := func(name string) []vigil.SeedCandidate {
		b, add := buyerPayments(t)
		pay := func(sender, to string, k int) {
			add(sender, vigil.Transfer{BeneficiaryName: to, BeneficiaryCity: "Taguig City", BeneficiaryCountry: "PH"}, k)
		}
		for i := range 3 {
			pay(fmt.Sprintf("B%d", i), "Josephine Garcia Dizon", 4+i)
		}
		pay("X0", name, 5)
		pay("X1", name, 4)
		pay("B0", name, 2)
		seed := vigil.Lead{ID: "S1", FullName: "DIZON JOSEPHINE GARCIA", City: "Taguig", Country: "PH"}
		return b.Build().ResolveSeed(&seed, graph.DefaultSeedThreshold, 0)
	}
	candidate := func(name string) *vigil.SeedCandidate {
		cs := world(name)
		if !pickedNamesHas(cs, "Josephine Garcia Dizon") {
			t.Fatalf("%s: her recipient not picked: %+v", name, cs)
		}
		i := slices.IndexFunc(cs, func(c vigil.SeedCandidate) bool { return c.Name == name })
		if i < 0 {
			return nil
		}
		return &cs[i]
	}
	for _, name := range []string{"Benjie Garcia Dizon", "Josephine Garcia"} {
		c := candidate(name)
		if c == nil {
			continue // scored below 0.01: not listed, not picked
		}
		if c.Picked || !slices.ContainsFunc(c.Reasons, func(r string) bool { return strings.Contains(r, "similarity 0.80 (+0.0)") }) {
			t.Errorf("%s: picked %v score %v, reasons %q", name, c.Picked, c.Score, c.Reasons)
		}
	}
	for _, name := range []string{"Josephine Dizon", "Dizon, Josephine G.", "Josphine Garcia Dizon", "JOSEPHINE DIZON"} {
		if c := candidate(name); c == nil || !c.Picked {
			t.Errorf("%s, her name, not picked: %+v", name, c)
		}
	}
}
