package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// TestSeedNamesakeLendsNoPayers: the seed's phone is on "REYES ROMEO" of
// Iloilo City, paid by three buyers. "Romeo Reyes", also of Iloilo, has
// no phone and is weighed as a namesake without her identifier
// (SeedIdentifierElsewhere), yet picked on its two payers' buyer-like
// ways. "Romeo Ryees", with no city, is paid by one of those two: the
// namesake's payer lends it nothing, so it is not picked. Must not: paid
// by a buyer of the recipient with her phone, it is picked on that
// shared payer.
func TestSeedNamesakeLendsNoPayers(t *testing.T) {
	resolveWith := func(payer string) []vigil.SeedCandidate {
		b, add := buyerPayments(t)
		pay := func(sender, to, phone, city string, k int) {
			add(sender, vigil.Transfer{BeneficiaryName: to, BeneficiaryPhone: phone, BeneficiaryCity: city, BeneficiaryCountry: "PH"}, k)
		}
		for i := range 3 {
			pay(fmt.Sprintf("B%d", i), "REYES ROMEO", "+639478623207", "ILOILO CITY", 4+i)
		}
		pay("N0", "Romeo Reyes", "", "Iloilo City", 4)
		pay("N1", "Romeo Reyes", "", "Iloilo City", 3)
		pay(payer, "Romeo Ryees", "", "", 3)
		seed := vigil.Lead{ID: "S1", FullName: "Reyes, Romeo", Phone: "09478623207", City: "ILOILO CITY", Country: "PH"}
		return b.Build().ResolveSeed(&seed, graph.DefaultSeedThreshold, 0)
	}
	cs := resolveWith("N0")
	if !pickedNamesHas(cs, "REYES ROMEO") || !pickedNamesHas(cs, "Romeo Reyes") {
		t.Fatalf("the recipient with her phone and the namesake in her town are not both picked: %+v", cs)
	}
	shared := func(c vigil.SeedCandidate) bool {
		return slices.ContainsFunc(c.Reasons, func(r string) bool { return strings.Contains(r, "also pay picked") })
	}
	for _, c := range cs {
		if c.Name == "Romeo Ryees" && (c.Picked || shared(c)) {
			t.Errorf("paid by the namesake's payer: picked %v score %v, reasons %q", c.Picked, c.Score, c.Reasons)
		}
	}
	cs = resolveWith("B0")
	if i := slices.IndexFunc(cs, func(c vigil.SeedCandidate) bool { return c.Name == "Romeo Ryees" }); i < 0 || !cs[i].Picked || !shared(cs[i]) {
		t.Errorf("paid by a buyer of the recipient with her phone: not picked on the shared payer: %+v", cs)
	}
}
