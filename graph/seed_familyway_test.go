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

// TestSeedFamilyWay: the lead gives "CATAPANG, Rodel" of Davao City and
// no phone; her recipient "Rodel Reyes Catapang" there is paid by three
// buyers. "Rodel Catapang", also in Davao City, is paid by one sender
// four times the way family is supported (monthly, daytime, the same
// sum): on name and city alone it would be picked (0.92), and its
// sender ranked among her buyers; every payer paying it the family way
// weighs it down (SeedFamilyWay) below the threshold, and the reason
// says why. Must not: the same payer paying the buyers' way (small,
// round, late), one payment only (one payment's features say little),
// or a second sender paying it the buyers' way.
func TestSeedFamilyWay(t *testing.T) {
	type variant struct {
		count int
		night bool
		buyer bool // a second sender pays it the buyers' way
	}
	resolveWith := func(v variant) *vigil.SeedCandidate {
		b := graph.NewBuilder(graph.Options{Resolver: &cityResolver{nodes: map[string]int32{}}})
		start := time.Date(2025, 3, 1, 23, 0, 0, 0, syd)
		n := 0
		pay := func(sender, to string, k int, night bool) {
			for i := range k {
				n++
				at, amt := start.AddDate(0, 0, 3*i+n%7), int64(30+n%5*10)
				if !night {
					at, amt = start.AddDate(0, i, 0).Add(-11*time.Hour), 317
				}
				tr := vigil.Transfer{ID: fmt.Sprintf("T%04d", n), Timestamp: at, SenderID: sender,
					BeneficiaryName: to, BeneficiaryCity: "Davao City", BeneficiaryCountry: "PH",
					Amount: vigil.NewAmount(amt, 0), Currency: "AUD"}
				if err := b.Add(&tr); err != nil {
					t.Fatal(err)
				}
			}
		}
		for i := range 3 {
			pay(fmt.Sprintf("B%d", i), "Rodel Reyes Catapang", 4+i, true)
		}
		pay("F", "Rodel Catapang", v.count, v.night)
		if v.buyer {
			pay("X", "Rodel Catapang", 3, true)
		}
		seed := vigil.Lead{ID: "S1", FullName: "CATAPANG, Rodel", City: "Davao City", Country: "PH"}
		cs := b.Build().ResolveSeed(&seed, graph.DefaultSeedThreshold, 0)
		if !pickedNamesHas(cs, "Rodel Reyes Catapang") {
			t.Fatalf("%+v: her recipient not picked: %+v", v, cs)
		}
		i := slices.IndexFunc(cs, func(c vigil.SeedCandidate) bool { return c.Name == "Rodel Catapang" })
		if i < 0 {
			t.Fatalf("%+v: the namesake is no candidate: %+v", v, cs)
		}
		return &cs[i]
	}
	familyWay := func(c *vigil.SeedCandidate) bool {
		return slices.ContainsFunc(c.Reasons, func(r string) bool { return strings.Contains(r, "paid only the way family is supported") })
	}
	if c := resolveWith(variant{count: 4}); c.Picked || !familyWay(c) {
		t.Errorf("one sender paying the family way 4 times: picked %v score %v, reasons %q", c.Picked, c.Score, c.Reasons)
	}
	for _, v := range []variant{
		{count: 4, night: true}, // the buyers' way
		{count: 1},              // one payment
		{count: 4, buyer: true}, // a second sender pays the buyers' way
	} {
		if c := resolveWith(v); !c.Picked || familyWay(c) {
			t.Errorf("%+v: picked %v score %v, reasons %q", v, c.Picked, c.Score, c.Reasons)
		}
	}
}
