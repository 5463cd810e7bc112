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

// TestTracePayerIdentity: one recipient record "Kristine Mendoza" holds
// the seed (her phone, Dumaguete) and a namesake (another phone,
// Taguig), and bare-name payments (no phone, account or city) from
// both sides. A payment that carries nothing goes the way of its payer's
// payments that do: N0, whose other payments all carry the namesake's
// phone, is no direct payer, and B1, whose other payments all carry the
// seed's, keeps his whole weight; each line says why. Must not: B2, who
// only ever pays the bare name, and M, whose payments carry both
// phones, keep the beneficiary's rate ("carry neither"), and so does C,
// whose other payments carry the seed's city and nothing else (one
// family shares name and town).
func TestTracePayerIdentity(t *testing.T) {
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	pay := mendozaPayments(t, b)
	const seedPhone, other = "09290996416", "09154809069"
	pay("B0", seedPhone, "Dumaguete", 4)
	pay("B1", seedPhone, "Dumaguete", 2)
	pay("B1", "", "", 6)
	pay("B2", "", "", 5)
	pay("N0", other, "Taguig City", 6)
	pay("N0", "", "", 10)
	pay("N1", other, "Taguig City", 8)
	pay("M", seedPhone, "Dumaguete", 3)
	pay("M", other, "Taguig City", 3)
	pay("M", "", "", 3)
	pay("C", "", "Dumaguete", 3) // the seed's city alone
	pay("C", "", "", 4)
	g := b.Build()
	res, err := g.Trace([]vigil.Lead{{ID: "S1", FullName: "MENDOZA, Kristine", Account: seedPhone, Country: "PH"}}, graph.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*vigil.TracedParty{}
	for i := range res.Parties {
		byID[res.Parties[i].PartyID] = &res.Parties[i]
	}
	says := func(id, fact string) bool {
		p := byID[id]
		return p != nil && slices.ContainsFunc(p.Evidence.Facts, func(f string) bool { return strings.Contains(f, fact) })
	}
	if p := byID["N0"]; p != nil && p.Evidence.Relation == graph.RelationDirect {
		t.Errorf("N0, whose identified payments are all the namesake's, is a direct payer: %q", p.Evidence.Facts)
	}
	if p := byID["N0"]; p != nil && !says("N0", "10 carry neither, from a payer whose other payments carry another person's phone, account, birth date or city and none the seed's") {
		t.Errorf("N0's evidence does not say why his bare payments count as another person's: %q", p.Evidence.Facts)
	}
	if !says("B1", "6 carry neither, from a payer whose other payments carry the seed's phone, account or birth date and none another person's (counted as the seed's): weight ×1.00") {
		t.Errorf("B1's bare payments not counted as the seed's: %+v", byID["B1"])
	}
	for _, id := range []string{"B0", "B1", "B2", "M"} {
		if p := byID[id]; p == nil || p.Evidence.Relation != graph.RelationDirect {
			t.Errorf("%s is not a direct payer: %+v", id, p)
		}
	}
	if !says("B2", "5 carry neither: weight") || says("B2", "from a payer whose") {
		t.Errorf("B2, who only pays the bare name, not at the beneficiary's rate: %+v", byID["B2"])
	}
	if !says("M", "3 carry neither: weight") || says("M", "from a payer whose") {
		t.Errorf("M, whose payments carry both phones, not at the beneficiary's rate: %+v", byID["M"])
	}
	if !says("C", "4 carry neither: weight") || says("C", "from a payer whose") {
		t.Errorf("C, whose other payments carry the seed's city only, not at the beneficiary's rate: %+v", byID["C"])
	}
	if r := byID["B1"].Rank; r > 2 {
		t.Errorf("B1 ranks %d, want in the top 2 with B0", r)
	}
}

// TestTraceSecondPhoneTiedByPayers: the seed's recipient is also paid at
// a second phone, without a city, by two senders who pay her known
// phone: that phone is taken as hers, so B2, who pays only the second
// phone, is a direct payer and his line says why. Must not: a phone in
// another town that both of those senders also pay once (N0's
// recipient), nor a phone that only one of them pays (N1's), is taken
// as the seed's; their other payers stay out of the direct payers.
func TestTraceSecondPhoneTiedByPayers(t *testing.T) {
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	pay := mendozaPayments(t, b)
	const seedPhone, second, away, lone = "09290996416", "09171112222", "09154809069", "09181234567"
	for _, id := range []string{"B0", "B1"} {
		pay(id, seedPhone, "Dumaguete", 4)
		pay(id, second, "", 2)
		pay(id, away, "Taguig City", 1)
	}
	pay("B2", second, "", 5)
	pay("N0", away, "Taguig City", 8)
	pay("B0", lone, "", 1)
	pay("N1", lone, "", 6)
	g := b.Build()
	res, err := g.Trace([]vigil.Lead{{ID: "S1", FullName: "MENDOZA, Kristine", Account: seedPhone, City: "Dumaguete", Country: "PH"}}, graph.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*vigil.TracedParty{}
	for i := range res.Parties {
		byID[res.Parties[i].PartyID] = &res.Parties[i]
	}
	p := byID["B2"]
	if p == nil || p.Evidence.Relation != graph.RelationDirect {
		t.Fatalf("B2, who pays the seed's second phone, is not a direct payer: %+v", p)
	}
	if !slices.ContainsFunc(p.Evidence.Facts, func(f string) bool {
		return strings.Contains(f, "of which 5 carry a phone or account that 2 or more senders who pay the seed's own also pay")
	}) {
		t.Errorf("B2's line does not say why the second phone is the seed's: %q", p.Evidence.Facts)
	}
	for _, id := range []string{"N0", "N1"} {
		if p := byID[id]; p != nil && p.Evidence.Relation == graph.RelationDirect {
			t.Errorf("%s, who pays a namesake's phone, is a direct payer: %q", id, p.Evidence.Facts)
		}
	}
}

// TestTraceRelativeInHerTown: the seed's recipient (her phone, Dumaguete)
// is paid by buyers who nearly always write her phone. F pays the same
// name in Dumaguete six times, never with the phone, small sums in the
// day (typology share 0.4): by chance one of her payers would do that
// with probability far below 1 %, so his payments are a relative's of
// her name and town, and he is no direct payer. Must not: G, who writes
// the name and city only but pays the buyers' way (small, round, late),
// and F2, with four such daytime payments only (too few to tell a
// habit: a buyer may pay three or four times in the day), stay direct
// payers.
func TestTraceRelativeInHerTown(t *testing.T) {
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	start := time.Date(2025, 3, 1, 23, 0, 0, 0, syd)
	n := 0
	pay := func(sender, phone, city string, k int, day bool) {
		for i := range k {
			n++
			at, amt := start.AddDate(0, 0, 3*i+n%7), vigil.NewAmount(30+int64(n%5)*10, 0)
			if day {
				at, amt = at.Add(-12*time.Hour), vigil.NewAmount(153, 0)
			}
			tr := vigil.Transfer{ID: fmt.Sprintf("T%04d", n), Timestamp: at, SenderID: sender,
				BeneficiaryName: "Kristine Mendoza", BeneficiaryPhone: phone, BeneficiaryCity: city, BeneficiaryCountry: "PH",
				Amount: amt, Currency: "AUD"}
			if err := b.Add(&tr); err != nil {
				t.Fatal(err)
			}
		}
	}
	const seedPhone = "09290996416"
	for i := range 4 {
		pay(fmt.Sprintf("B%d", i), seedPhone, "Dumaguete", 10, false)
	}
	pay("F", "", "Dumaguete", 6, true)
	pay("G", "", "Dumaguete", 6, false)
	pay("F2", "", "Dumaguete", 4, true)
	g := b.Build()
	res, err := g.Trace([]vigil.Lead{{ID: "S1", FullName: "MENDOZA, Kristine", Account: seedPhone, City: "Dumaguete", Country: "PH"}}, graph.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rel := map[string]string{}
	for _, p := range res.Parties {
		rel[p.PartyID] = p.Evidence.Relation
	}
	if rel["F"] == graph.RelationDirect {
		t.Errorf("F, who never writes her phone and pays as family does, is a direct payer")
	}
	for _, id := range []string{"B0", "B1", "B2", "B3", "G", "F2"} {
		if rel[id] != graph.RelationDirect {
			t.Errorf("%s is %q, want a direct payer", id, rel[id])
		}
	}
}

// mendozaPayments returns a function that adds k late-evening payments
// from sender to "Kristine Mendoza" at phone in city (a few days apart,
// 30–70 AUD, numbered T0001…) to b: the recipients of the identity tests.
func mendozaPayments(t *testing.T, b *graph.Builder) func(sender, phone, city string, k int) {
	t.Helper()
	start := time.Date(2025, 3, 1, 23, 0, 0, 0, syd)
	n := 0
	return func(sender, phone, city string, k int) {
		for i := range k {
			n++
			tr := vigil.Transfer{ID: fmt.Sprintf("T%04d", n), Timestamp: start.AddDate(0, 0, 3*i+n%7), SenderID: sender,
				BeneficiaryName: "Kristine Mendoza", BeneficiaryPhone: phone, BeneficiaryCity: city, BeneficiaryCountry: "PH",
				Amount: vigil.NewAmount(30+int64(n%5)*10, 0), Currency: "AUD"}
			if err := b.Add(&tr); err != nil {
				t.Fatal(err)
			}
		}
	}
}
