package graph_test

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// TestSeedOnePayerInCity: the seed's phone is on the facilitator's
// recipient in her town ("Rolando Catapang", three buyers); a misspelt
// "Rolando Ctapang" in the same town, carrying no phone or account, is
// paid by one sender the buyers' way (small, round, late) again and
// again, and by nobody who pays the picked recipient. Without the rule
// the identifier on another recipient keeps it at 0.5; its one payer's
// way of paying picks it (SeedOnePayerTypology).
//
// Must not: the same recipient paid once, paid the family way (daytime,
// not round), or carrying a phone of its own (another person identified);
// nor a recipient of her name as written ("ROLANDO CATAPANG", similarity
// 1.00): in her town without her phone, that is what a namesake
// facilitator of the town looks like.
func TestSeedOnePayerInCity(t *testing.T) {
	type variant struct {
		count int
		night bool
		phone string
		name  string // the one payer's recipient; "Rolando Ctapang" when empty
	}
	world := func(v variant) *graph.Graph {
		b := graph.NewBuilder(graph.Options{Resolver: &cityResolver{nodes: map[string]int32{}}})
		start := time.Date(2025, 3, 1, 23, 0, 0, 0, syd)
		n := 0
		pay := func(sender, name, phone string, k int, night bool) {
			for i := range k {
				n++
				at, amt := start.AddDate(0, 0, 3*i+n%7), int64(30+n%5*10)
				if !night {
					at, amt = at.Add(-11*time.Hour), 317
				}
				tr := vigil.Transfer{ID: fmt.Sprintf("T%04d", n), Timestamp: at, SenderID: sender,
					BeneficiaryName: name, BeneficiaryPhone: phone, BeneficiaryCity: "Antipolo City", BeneficiaryCountry: "PH",
					Amount: vigil.NewAmount(amt, 0), Currency: "AUD"}
				if err := b.Add(&tr); err != nil {
					t.Fatal(err)
				}
			}
		}
		for i := range 3 {
			pay(fmt.Sprintf("B%d", i), "Rolando Catapang", "+639163327834", 4+i, true)
		}
		pay("X", cmp.Or(v.name, "Rolando Ctapang"), v.phone, v.count, v.night)
		return b.Build()
	}
	seed := vigil.Lead{ID: "S1", FullName: "CATAPANG, Rolando", Phone: "+639163327834", City: "Antipolo City", Country: "PH"}
	spelling := func(v variant) *vigil.SeedCandidate {
		cs := world(v).ResolveSeed(&seed, graph.DefaultSeedThreshold, 0)
		if !pickedNamesHas(cs, "Rolando Catapang") {
			t.Fatalf("%+v: the recipient with the seed's phone not picked: %+v", v, cs)
		}
		i := slices.IndexFunc(cs, func(c vigil.SeedCandidate) bool { return c.Name == cmp.Or(v.name, "Rolando Ctapang") })
		if i < 0 {
			t.Fatalf("%+v: the misspelt recipient is no candidate: %+v", v, cs)
		}
		return &cs[i]
	}
	onePayer := func(c *vigil.SeedCandidate) bool {
		return slices.ContainsFunc(c.Reasons, func(r string) bool { return strings.Contains(r, "its only payer X pays it the buyers' way") })
	}
	c := spelling(variant{count: 5, night: true})
	if !c.Picked || !onePayer(c) || c.Score < 0.8 {
		t.Errorf("one payer paying the buyers' way 5 times: picked %v score %v, reasons %q", c.Picked, c.Score, c.Reasons)
	}
	for _, v := range []variant{
		{count: 1, night: true},                           // one payment: what an ordinary sender shows
		{count: 5, night: false},                          // the family way
		{count: 5, night: true, phone: "+639170000001"},   // another person's phone
		{count: 5, night: true, name: "ROLANDO CATAPANG"}, // her name as written: a namesake of her town looks the same
	} {
		if c := spelling(v); c.Picked || onePayer(c) {
			t.Errorf("%+v: picked %v score %v, reasons %q", v, c.Picked, c.Score, c.Reasons)
		}
	}
}
