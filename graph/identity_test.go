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

func TestIdentKey(t *testing.T) {
	same := []string{"+63 929 099 6416", "639290996416", "09290996416", "0929-099-6416", "+639290996416"}
	for _, s := range same {
		if graph.IdentKey(s) != graph.IdentKey(same[0]) || graph.IdentKey(s) == 0 {
			t.Errorf("IdentKey(%q) = %d, want %d", s, graph.IdentKey(s), graph.IdentKey(same[0]))
		}
	}
	if graph.IdentKey("09154809069") == graph.IdentKey(same[0]) {
		t.Error("two phones share a key")
	}
	if graph.IdentKey("bear.Ariel1") != graph.IdentKey("bearariel1") || graph.IdentKey("bearariel1") == 0 {
		t.Error("an account with letters is not folded")
	}
	for _, s := range []string{"", "12345", "--", "+"} {
		if graph.IdentKey(s) != 0 {
			t.Errorf("IdentKey(%q) = %d, want 0", s, graph.IdentKey(s))
		}
	}
}

// nameResolver merges every recipient of the same name into one
// beneficiary, as an entity resolver does when a name-only record bridges
// two namesakes.
type nameResolver struct {
	nodes     map[string]int32
	names     []string
	phones    [][]string
	countries []string
}

func (r *nameResolver) Observe(t *vigil.Transfer) int32 {
	n, ok := r.nodes[t.BeneficiaryName]
	if !ok {
		n = int32(len(r.names))
		r.nodes[t.BeneficiaryName] = n
		r.names = append(r.names, t.BeneficiaryName)
		r.phones = append(r.phones, nil)
		r.countries = append(r.countries, t.BeneficiaryCountry)
	}
	if t.BeneficiaryPhone != "" && !slices.Contains(r.phones[n], t.BeneficiaryPhone) {
		r.phones[n] = append(r.phones[n], t.BeneficiaryPhone)
	}
	return n
}

func (r *nameResolver) ID(n int32) string { return "BEN-" + strings.ReplaceAll(r.names[n], " ", "") }

func (r *nameResolver) Beneficiaries() []vigil.Beneficiary {
	var out []vigil.Beneficiary
	for n, name := range r.names {
		out = append(out, vigil.Beneficiary{ID: r.ID(int32(n)), Name: name, Names: []string{name}, Phones: r.phones[n], Country: r.countries[n]})
	}
	return out
}

// TestTraceKeepsNamesakesOut: the seed's beneficiary also holds a
// namesake in another city with another phone, whose payers pay more and
// as suspiciously; only the payers of the seed's own phone are direct
// payers, and the evidence says why.
func TestTraceKeepsNamesakesOut(t *testing.T) {
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	pay := mendozaPayments(t, b)
	var buyers, namesake []string
	for i := range 4 {
		id := fmt.Sprintf("B%d", i)
		buyers = append(buyers, id)
		pay(id, []string{"+63 929 099 6416", "09290996416", "639290996416", ""}[i], []string{"Dumaguete", "Dumaguete City", "", ""}[i], 3+i)
	}
	for i := range 4 {
		id := fmt.Sprintf("N%d", i)
		namesake = append(namesake, id)
		pay(id, []string{"09154809069", "", "+63 915 480 9069", ""}[i], "Taguig City", 12)
	}
	g := b.Build()
	for _, seed := range []vigil.Lead{
		{ID: "S1", FullName: "MENDOZA, Kristine", Account: "09290996416", Country: "PH"},
		{ID: "S2", FullName: "MENDOZA, Kristine", City: "DUMAGUETE CITY", Country: "PH"}, // the city alone tells them apart
	} {
		t.Run(seed.ID, func(t *testing.T) { checkNamesakesOut(t, g, seed, buyers, namesake) })
	}
}

func checkNamesakesOut(t *testing.T, g *graph.Graph, seed vigil.Lead, buyers, namesake []string) {
	res, err := g.Trace([]vigil.Lead{seed}, graph.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Parties) < len(buyers) {
		t.Fatalf("%d parties ranked, want at least %d", len(res.Parties), len(buyers))
	}
	var top []string
	for _, p := range res.Parties[:len(buyers)] {
		top = append(top, p.PartyID)
	}
	slices.Sort(top)
	if !slices.Equal(top, buyers) {
		t.Fatalf("top %d = %v, want the buyers %v", len(buyers), top, buyers)
	}
	for _, p := range res.Parties {
		if slices.Contains(namesake, p.PartyID) && p.Evidence.Relation == graph.RelationDirect {
			t.Errorf("namesake payer %s ranked as a direct payer of the seed", p.PartyID)
		}
		if p.PartyID == "B3" { // neither phone nor another city: counted at the rate of the identified payments
			if !slices.ContainsFunc(p.Evidence.Facts, func(f string) bool { return strings.Contains(f, "carry neither") }) {
				t.Errorf("B3's evidence does not say its payments carry no identifier: %q", p.Evidence.Facts)
			}
		}
		if p.PartyID == "B0" && seed.Account != "" {
			if !slices.ContainsFunc(p.Evidence.Facts, func(f string) bool { return strings.Contains(f, "carry the seed's phone") }) {
				t.Errorf("B0's evidence does not quote the seed's phone: %q", p.Evidence.Facts)
			}
		}
	}
}

// TestSeedSurnameClash: a namesake whose family name is the seed's family
// name used as his middle name is not picked on name and city alone; the
// seed's own name in the same city is.
func TestSeedSurnameClash(t *testing.T) {
	b := graph.NewBuilder(graph.Options{})
	start := time.Date(2025, 3, 1, 23, 0, 0, 0, syd)
	for i, name := range []string{"Rommel Castro Sison", "Rommel Castro", "Rommel Castro Flores", "Rommel Castro", "Flores, Rommel Castro", "Castro, Rommel Reyes"} {
		tr := vigil.Transfer{ID: fmt.Sprintf("T%d", i), Timestamp: start.AddDate(0, 0, i), SenderID: fmt.Sprintf("P%d", i),
			BeneficiaryName: name, BeneficiaryCity: "Dumaguete City", BeneficiaryCountry: "PH",
			Amount: vigil.NewAmount(30, 0), Currency: "AUD"}
		if err := b.Add(&tr); err != nil {
			t.Fatal(err)
		}
	}
	g := b.Build()
	cs := g.ResolveSeed(&vigil.Lead{ID: "S", FullName: "CASTRO ROMMEL", City: "DUMAGUETE CITY, NEGROS ORIENTAL", Country: "PH"}, graph.DefaultSeedThreshold, 0)
	picked := map[string]bool{}
	for _, c := range cs {
		picked[c.Name] = c.Picked
	}
	if !picked["Rommel Castro"] || !picked["Castro, Rommel Reyes"] || picked["Rommel Castro Sison"] || picked["Rommel Castro Flores"] || picked["Flores, Rommel Castro"] {
		t.Fatalf("picked %v, want Rommel Castro and Castro, Rommel Reyes only; candidates %+v", picked, cs)
	}
}

// TestTraceNamesakePayer: a relative who pays a namesake of the seed
// under another spelling ten times and the seed's merged name three times is
// weighed by 3/13 and ranked below the buyers, with the reason.
func TestTraceNamesakePayer(t *testing.T) {
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	start := time.Date(2025, 3, 1, 23, 0, 0, 0, syd)
	n := 0
	pay := func(sender, name, phone, country string, k int) {
		for i := range k {
			n++
			tr := vigil.Transfer{ID: fmt.Sprintf("T%04d", n), Timestamp: start.AddDate(0, 0, 3*i+n%7), SenderID: sender,
				BeneficiaryName: name, BeneficiaryPhone: phone, BeneficiaryCountry: country,
				Amount: vigil.NewAmount(30+int64(n%5)*10, 0), Currency: "AUD"}
			if err := b.Add(&tr); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := range 3 {
		pay(fmt.Sprintf("B%d", i), "Divina Ong", "+63 905 364 6576", "PH", 2)
	}
	pay("F", "Divina Ong", "", "PH", 3)  // more than any buyer
	pay("F", "Diivna Ong", "", "HK", 10) // the namesake she supports, not picked (another country)
	g := b.Build()
	res, err := g.Trace([]vigil.Lead{{ID: "S1", FullName: "ONG, Divina", Phone: "09053646576", Country: "PH"}}, graph.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range res.Parties {
		if p.PartyID != "F" {
			continue
		}
		if i < 3 {
			t.Errorf("the namesake's payer F ranks %d, above a buyer", p.Rank)
		}
		if !slices.ContainsFunc(p.Evidence.Facts, func(f string) bool { return strings.Contains(f, "namesake of seed S1") }) {
			t.Errorf("F's evidence does not name the namesake: %q", p.Evidence.Facts)
		}
		return
	}
	t.Fatalf("F not ranked: %+v", res.Parties)
}
