package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// TestSeedBirthDateElsewhere: the seed "GARCIA GEMMA" gives a full birth
// date and neither a phone, an account nor a city. Her recipient "Gemma
// Garcia, Pasay" is paid by three buyers, one payment carrying her birth
// date. "GARCIA GEMMA, Cagayan de Oro", paid the buyers' way by two
// senders who pay nobody picked (a webcam platform of her name, or
// another facilitator), carries neither her date nor an identifier and
// lies in no town of hers: the date on another recipient weighs it as the
// phone would (SeedIdentifierElsewhere), 0.88 → 0.62, not picked, and the
// reason says why.
//
// Must not: without her date on any transfer nothing identifies her and
// the recipient in Cagayan de Oro is weighed as before (picked on its
// payers' ways); a spelling of hers in Pasay, the town of the recipient
// with her date, is not weighed (the date is written on few of her
// payments); nor is a recipient paid under her bare name (no phone,
// account or city: her own name-only payments may be in it).
func TestSeedBirthDateElsewhere(t *testing.T) {
	seed := vigil.Lead{ID: "S1", FullName: "GARCIA GEMMA", BirthDate: vigil.Date{Year: 1984, Month: 10, Day: 3}, Country: "PH"}
	type other struct{ name, city string }
	world := func(dated bool, o other) []vigil.SeedCandidate {
		b, add := buyerPayments(t)
		pay := func(sender, name, city string, k int, birth vigil.Date) {
			add(sender, vigil.Transfer{BeneficiaryName: name, BeneficiaryCity: city, BeneficiaryCountry: "PH", BeneficiaryBirthDate: birth}, k)
		}
		for i := range 3 {
			var d vigil.Date
			if dated && i == 0 {
				d = seed.BirthDate
			}
			pay(fmt.Sprintf("B%d", i), "Gemma Garcia", "Pasay", 4+i, d)
		}
		pay("W1", o.name, o.city, 3, vigil.Date{})
		pay("W2", o.name, o.city, 4, vigil.Date{})
		return b.Build().ResolveSeed(&seed, graph.DefaultSeedThreshold, 0)
	}
	candidate := func(dated bool, o other) *vigil.SeedCandidate {
		cs := world(dated, o)
		i := slices.IndexFunc(cs, func(c vigil.SeedCandidate) bool { return c.Name == o.name })
		if i < 0 {
			t.Fatalf("%v %+v: no candidate %q: %+v", dated, o, o.name, cs)
		}
		return &cs[i]
	}
	weighed := func(c *vigil.SeedCandidate) bool {
		return slices.ContainsFunc(c.Reasons, func(r string) bool {
			return strings.Contains(r, "the seed's birth date is on the transfers of BEN-GemmaGarcia; this recipient, in none of their towns nor the seed's")
		})
	}
	cdo := other{"GARCIA GEMMA", "Cagayan de Oro"}
	if c := candidate(true, cdo); c.Picked || !weighed(c) {
		t.Errorf("her date on Pasay, a namesake in Cagayan de Oro: picked %v score %v, reasons %q", c.Picked, c.Score, c.Reasons)
	}
	if cs := world(true, cdo); !pickedNamesHas(cs, "Gemma Garcia") {
		t.Errorf("the recipient with her date not picked: %+v", cs)
	}
	for _, v := range []struct {
		dated bool
		o     other
	}{
		{false, cdo}, // nothing identifies her: weighed as before
		{true, other{"GEMMA GARCIA", "PASAY CITY"}}, // her spelling in the town of her date
		{true, other{"Garcia, Gemma", ""}},          // her bare name
	} {
		if c := candidate(v.dated, v.o); !c.Picked || weighed(c) {
			t.Errorf("%+v: picked %v score %v, reasons %q", v, c.Picked, c.Score, c.Reasons)
		}
	}
}
