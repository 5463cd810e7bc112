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

// cityResolver keeps each recipient name apart (as a resolver does
// without a shared phone) and gives it the city and phones of its
// transfers.
type cityResolver struct {
	nodes  map[string]int32
	names  []string
	cities []string
	phones [][]string
}

func (r *cityResolver) Observe(t *vigil.Transfer) int32 {
	n, ok := r.nodes[t.BeneficiaryName]
	if !ok {
		n = int32(len(r.names))
		r.nodes[t.BeneficiaryName] = n
		r.names = append(r.names, t.BeneficiaryName)
		r.cities = append(r.cities, t.BeneficiaryCity)
		r.phones = append(r.phones, nil)
	}
	if t.BeneficiaryPhone != "" && !slices.Contains(r.phones[n], t.BeneficiaryPhone) {
		r.phones[n] = append(r.phones[n], t.BeneficiaryPhone)
	}
	return n
}

func (r *cityResolver) ID(n int32) string { return "BEN-" + strings.ReplaceAll(r.names[n], " ", "") }

func (r *cityResolver) Beneficiaries() []vigil.Beneficiary {
	var out []vigil.Beneficiary
	for n, name := range r.names {
		out = append(out, vigil.Beneficiary{ID: r.ID(int32(n)), Name: name, Names: []string{name}, Phones: r.phones[n], City: r.cities[n], Country: "PH"})
	}
	return out
}

// TestSeedNamesakeInTownWithoutPhone: the seed gives a phone, carried by
// the facilitator's main recipient. A spelling of her name in her town
// without the phone, paid by one of her buyers, is picked on the shared
// payer; a relative of the same name in the same town, without the phone
// and paid monthly by one family member only, is not picked on name and
// city (the reason says why), and the family member is not ranked. A
// namesake in another town whose only payer is a family remitter who
// once paid the facilitator is not picked on that shared payer, and
// that remitter, whose one payment to her has none of the buyers'
// features, is listed with the relatives.
func TestSeedNamesakeInTownWithoutPhone(t *testing.T) {
	b := graph.NewBuilder(graph.Options{Resolver: &cityResolver{nodes: map[string]int32{}}})
	start := time.Date(2025, 3, 1, 23, 0, 0, 0, syd)
	n := 0
	city := "Dumaguete City"
	pay := func(sender, name, phone string, k int, night bool) {
		for i := range k {
			n++
			at, amt := start.AddDate(0, 0, 3*i+n%7), int64(30+n%5*10)
			if !night {
				at, amt = start.AddDate(0, i, 0).Add(-11*time.Hour), 317
			}
			tr := vigil.Transfer{ID: fmt.Sprintf("T%04d", n), Timestamp: at, SenderID: sender,
				BeneficiaryName: name, BeneficiaryPhone: phone, BeneficiaryCity: city, BeneficiaryCountry: "PH",
				Amount: vigil.NewAmount(amt, 0), Currency: "AUD"}
			if err := b.Add(&tr); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := range 4 {
		pay(fmt.Sprintf("B%d", i), "Rommel Castro", "+639053646576", 4+i, true)
	}
	pay("B0", "ROMMEL CASTRO", "", 3, true)
	pay("F0", "Castro Rommel", "", 12, false)
	// A family remitter of a namesake in another town who once paid the
	// facilitator too: his is the only payer of the namesake, shared with
	// a picked candidate, but he pays her the family way.
	pay("F1", "Rommel Castro", "", 1, false)
	city = "Bais City"
	pay("F1", "Castro, Rommel", "", 10, false)
	g := b.Build()
	res, err := g.Trace([]vigil.Lead{{ID: "S1", FullName: "CASTRO, Rommel", Phone: "+639053646576", City: "Dumaguete", Country: "PH"}}, graph.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	picked := map[string]vigil.SeedCandidate{}
	var relative *vigil.SeedCandidate
	for i, c := range res.Candidates {
		if c.Picked {
			picked[c.Name] = c
		}
		if c.Name == "Castro Rommel" {
			relative = &res.Candidates[i]
		}
	}
	if _, ok := picked["Rommel Castro"]; !ok {
		t.Fatalf("main recipient not picked: %+v", res.Candidates)
	}
	if c, ok := picked["ROMMEL CASTRO"]; !ok || !slices.ContainsFunc(c.Reasons, func(r string) bool { return strings.Contains(r, "also pay picked") }) {
		t.Errorf("spelling paid by a buyer: picked %v, candidates %+v", ok, res.Candidates)
	}
	if relative == nil || relative.Picked || !slices.ContainsFunc(relative.Reasons, func(r string) bool {
		return strings.Contains(r, "this recipient in its city carries none, nor its birth date")
	}) {
		t.Errorf("relative in town without the phone: %+v", relative)
	}
	familyOnly := func(r string) bool {
		return strings.Contains(r, "its only payer F1") && strings.Contains(r, "not counted as a shared payer")
	}
	if i := slices.IndexFunc(res.Candidates, func(c vigil.SeedCandidate) bool { return c.Name == "Castro, Rommel" }); i < 0 ||
		res.Candidates[i].Picked || !slices.ContainsFunc(res.Candidates[i].Reasons, familyOnly) {
		t.Errorf("namesake paid by one family remitter: %+v", res.Candidates)
	}
	for _, p := range res.Parties {
		if p.PartyID == "F0" {
			t.Errorf("family member F0 ranked %d: %+v", p.Rank, p)
		}
	}
	// F1's one payment to the facilitator is neither small, round nor
	// late: he is listed with the relatives, after the buyers.
	if i := slices.IndexFunc(res.Parties, func(p vigil.TracedParty) bool { return p.PartyID == "F1" }); i < 0 {
		t.Errorf("F1, a payer of the facilitator, not listed: %+v", res.Parties)
	} else {
		p := res.Parties[i]
		if p.Rank <= 4 || p.Evidence.Relation != graph.RelationRelative || !slices.ContainsFunc(p.Evidence.Facts, func(f string) bool {
			return strings.HasPrefix(f, "none of his 1 payment(s) to Rommel Castro")
		}) {
			t.Errorf("F1: rank %d, relation %s, facts %q", p.Rank, p.Evidence.Relation, p.Evidence.Facts)
		}
	}
	for i, p := range res.Parties[:min(4, len(res.Parties))] {
		if !strings.HasPrefix(p.PartyID, "B") {
			t.Errorf("rank %d is %s, want the 4 buyers first: %+v", i+1, p.PartyID, res.Parties)
		}
	}
}
