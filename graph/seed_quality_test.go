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

// letters spells i as lower-case letters after a capital ("Kab", "Kac"
// …): made-up words no seed carries.
func letters(first byte, i int) string {
	b := []byte{first}
	for {
		b = append(b, byte('a'+i%26))
		if i /= 26; i == 0 {
			return string(b)
		}
	}
}

// TestSeedCommonWordsBlockTogether: on a large world both words of the
// seed's name are carried by more recipients than MaxBlockingWord, so
// neither blocks alone; the one recipient carrying both is still a
// candidate (and, paid the buyers' way, picked), while recipients
// carrying one of the words are not candidates.
func TestSeedCommonWordsBlockTogether(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a world of 10,000 recipients")
	}
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	start := time.Date(2025, 3, 1, 23, 0, 0, 0, syd)
	n := 0
	pay := func(sender, name string, night bool) {
		n++
		at, amt := start.AddDate(0, 0, n%90), int64(30+n%5*10)
		if !night {
			at, amt = at.Add(-11*time.Hour), 317
		}
		tr := vigil.Transfer{ID: fmt.Sprintf("T%06d", n), Timestamp: at, SenderID: sender,
			BeneficiaryName: name, BeneficiaryCountry: "PH", Amount: vigil.NewAmount(amt, 0), Currency: "AUD"}
		if err := b.Add(&tr); err != nil {
			t.Fatal(err)
		}
	}
	for i := range graph.MaxBlockingWord + 1 {
		pay(fmt.Sprintf("H%d", i), "Jennifer "+letters('K', i), false)
		pay(fmt.Sprintf("G%d", i), letters('L', i)+" Castro", false)
	}
	buyers := []string{"B0", "B1", "B2"}
	for _, id := range buyers {
		for range 4 {
			pay(id, "Jennifer Castro", true)
		}
	}
	g := b.Build()
	res, err := g.Trace([]vigil.Lead{{ID: "S1", FullName: "CASTRO, Jennifer", Handle: "jennifer.c60", Country: "PH"}}, graph.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var picked []string
	for _, c := range res.Candidates {
		if c.Name != "Jennifer Castro" {
			t.Errorf("candidate %q carries one common word of the seed only", c.Name)
		}
		if c.Picked {
			picked = append(picked, c.Name)
		}
	}
	if !slices.Equal(picked, []string{"Jennifer Castro"}) {
		t.Fatalf("picked %q, want Jennifer Castro; candidates %+v", picked, res.Candidates)
	}
	var top []string
	for _, p := range res.Parties[:min(3, len(res.Parties))] {
		top = append(top, p.PartyID)
	}
	slices.Sort(top)
	if !slices.Equal(top, buyers) {
		t.Errorf("top 3 %v, want the buyers %v", top, buyers)
	}
}

// TestTraceCityInitials: the seed's city is given as initials ("CDO")
// and its payments carry the city written out ("Cagayan De Oro City")
// beside a namesake's in another city. Payments in the written-out city
// are not another person's (the buyers rank first, as direct payers);
// the namesake's payers in Taguig still are.
func TestTraceCityInitials(t *testing.T) {
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	start := time.Date(2025, 3, 1, 23, 0, 0, 0, syd)
	n := 0
	pay := func(sender, city, birth string, k int) {
		for i := range k {
			n++
			tr := vigil.Transfer{ID: fmt.Sprintf("T%04d", n), Timestamp: start.AddDate(0, 0, 3*i+n%7), SenderID: sender,
				BeneficiaryName: "Mary Jane Dimaculangan", BeneficiaryCity: city, BeneficiaryCountry: "PH",
				Amount: vigil.NewAmount(30+int64(n%5)*10, 0), Currency: "AUD"}
			if birth != "" {
				tr.BeneficiaryBirthDate, _ = vigil.ParseDate(birth)
			}
			if err := b.Add(&tr); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buyers, namesake []string
	for i := range 4 {
		id := fmt.Sprintf("B%d", i)
		buyers = append(buyers, id)
		pay(id, []string{"Cagayan De Oro City", "Cagayan de Oro", "CDO", "Cagayan de Oro"}[i], []string{"1973-04-28", "", "", ""}[i], 3+i)
	}
	for i := range 3 {
		id := fmt.Sprintf("N%d", i)
		namesake = append(namesake, id)
		pay(id, "Taguig City", "", 12)
	}
	g := b.Build()
	seed := vigil.Lead{ID: "S1", FullName: "DIMACULANGAN, Mary Jane", City: "CDO", Country: "PH"}
	seed.BirthDate, _ = vigil.ParseDate("1973-04-28")
	checkNamesakesOut(t, g, seed, buyers, namesake)
}

// TestTraceCityInitialsNotAnother: initials that are not the city's
// ("CDO" against Taguig City) keep a namesake's payments out.
func TestTraceCityInitialsNotAnother(t *testing.T) {
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	start := time.Date(2025, 3, 1, 23, 0, 0, 0, syd)
	n := 0
	pay := func(sender, city string, k int) {
		for i := range k {
			n++
			tr := vigil.Transfer{ID: fmt.Sprintf("T%04d", n), Timestamp: start.AddDate(0, 0, 3*i+n%7), SenderID: sender,
				BeneficiaryName: "Mary Jane Dimaculangan", BeneficiaryCity: city, BeneficiaryCountry: "PH",
				Amount: vigil.NewAmount(30+int64(n%5)*10, 0), Currency: "AUD"}
			if err := b.Add(&tr); err != nil {
				t.Fatal(err)
			}
		}
	}
	pay("B0", "CDO", 3)
	pay("N0", "Taguig City", 12)
	g := b.Build()
	res, err := g.Trace([]vigil.Lead{{ID: "S1", FullName: "DIMACULANGAN, Mary Jane", City: "CDO", Country: "PH"}}, graph.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Parties {
		if p.PartyID == "N0" && p.Evidence.Relation == graph.RelationDirect {
			t.Errorf("N0, who pays the namesake in Taguig, ranked as a direct payer: %q", p.Evidence.Facts)
		}
		if p.PartyID == "B0" && !slices.ContainsFunc(p.Evidence.Facts, func(f string) bool { return strings.Contains(f, "carry the seed's") }) {
			t.Errorf("B0's evidence does not quote the seed's city: %q", p.Evidence.Facts)
		}
	}
}

// payWorld returns a builder over recipients kept apart by name and a
// pay function: k payments from sender to name, at night and small (the
// buyers' way) or in the day for 317 (family support).
func payWorld(t *testing.T) (*graph.Builder, func(sender, name string, k int, night bool)) {
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	start := time.Date(2025, 3, 1, 23, 0, 0, 0, syd)
	n := 0
	return b, func(sender, name string, k int, night bool) {
		for i := range k {
			n++
			at, amt := start.AddDate(0, 0, 3*i+n%7), int64(30+n%5*10)
			if !night {
				at, amt = at.Add(-11*time.Hour), 317
			}
			tr := vigil.Transfer{ID: fmt.Sprintf("T%05d", n), Timestamp: at, SenderID: sender,
				BeneficiaryName: name, BeneficiaryCountry: "PH", Amount: vigil.NewAmount(amt, 0), Currency: "AUD"}
			if err := b.Add(&tr); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func pickedNames(cs []vigil.SeedCandidate) map[string]vigil.SeedCandidate {
	out := map[string]vigil.SeedCandidate{}
	for _, c := range cs {
		if c.Picked {
			out[c.Name] = c
		}
	}
	return out
}

// TestSeedTypologyPayersBesideFamily: a facilitator whose two relatives
// send more, and plainly, than her two buyers is still paid by several
// senders the buyers' way; one buyer beside the relatives is not
// several.
func TestSeedTypologyPayersBesideFamily(t *testing.T) {
	b, pay := payWorld(t)
	pay("B0", "Marites del Rosario", 4, true)
	pay("B1", "Marites del Rosario", 3, true)
	pay("F0", "Marites del Rosario", 20, false)
	pay("F1", "Marites del Rosario", 20, false)
	pay("B2", "Lorna Macaraeg", 4, true)
	pay("F2", "Lorna Macaraeg", 20, false)
	pay("F3", "Lorna Macaraeg", 20, false)
	g := b.Build()
	cs := g.ResolveSeed(&vigil.Lead{ID: "S1", FullName: "DEL ROSARIO, Marites", Country: "PH"}, graph.DefaultSeedThreshold, 0)
	c, ok := pickedNames(cs)["Marites del Rosario"]
	if !ok {
		t.Fatalf("Marites del Rosario not picked: %+v", cs)
	}
	if !slices.ContainsFunc(c.Reasons, func(r string) bool {
		return strings.HasPrefix(r, "paid by 2 of its 4 senders each with typology share")
	}) {
		t.Errorf("reasons %q do not name the two senders paid the buyers' way", c.Reasons)
	}
	cs = g.ResolveSeed(&vigil.Lead{ID: "S2", FullName: "MACARAEG, Lorna", Country: "PH"}, graph.DefaultSeedThreshold, 0)
	if p := pickedNames(cs); len(p) != 0 {
		t.Errorf("picked %v on one buyer beside the family", p)
	}
}

// TestSeedOnlyNamesakePaidLikeBuyers: a name-only seed whose name is
// carried by several recipients, none picked on other evidence: the one
// of them paid by several senders the buyers' way is picked (at most an
// even chance), its reason saying so; when two are paid that way,
// neither is picked on this ground.
func TestSeedOnlyNamesakePaidLikeBuyers(t *testing.T) {
	world := func(twoPaid bool) *graph.Graph {
		b, pay := payWorld(t)
		for i := range 3 {
			pay(fmt.Sprintf("B%d", i), "Andrada, Erlinda Ramos", 3+i, true)
		}
		pay("F0", "Erlinda Andrada", 12, false)
		pay("F1", "ERLINDA ANDRADA", 8, false)
		pay("F2", "Erlinda Andrada Reyes", 8, false)
		if twoPaid {
			pay("W0", "Erlinda Cruz Andrada", 4, true)
			pay("W1", "Erlinda Cruz Andrada", 5, true)
		}
		return b.Build()
	}
	seed := vigil.Lead{ID: "S1", FullName: "ANDRADA, Erlinda", Handle: "wanderer", Country: "PH"}
	cs := world(false).ResolveSeed(&seed, graph.DefaultSeedThreshold, 0)
	picked := pickedNames(cs)
	c, ok := picked["Andrada, Erlinda Ramos"]
	if !ok || len(picked) != 1 {
		t.Fatalf("picked %v, want Andrada, Erlinda Ramos alone; candidates %+v", picked, cs)
	}
	if c.Score > graph.RareNameScore || !slices.ContainsFunc(c.Reasons, func(r string) bool {
		return strings.HasPrefix(r, "picked as the only one of 3 recipients carrying a name this close who is paid by several senders the buyers' way")
	}) {
		t.Errorf("score %v, reasons %q", c.Score, c.Reasons)
	}
	cs = world(true).ResolveSeed(&seed, graph.DefaultSeedThreshold, 0)
	if p := pickedNames(cs); len(p) != 0 {
		t.Errorf("picked %v with two namesakes paid the buyers' way", p)
	}
}

// TestTraceNeighbourUnderSeedName: a relative of the seed's town under
// her name, with a phone of her own, is picked beside the seed through a
// family remitter who also paid the seed once. Her payments carry
// another phone in the seed's city on a recipient none of whose
// payments is the seed's: another person's, so the remitter is no direct
// payer above the buyers, and his line says why. A second phone on the
// seed's own recipient (beside payments with her phone) stays possible:
// that buyer remains a direct payer.
func TestTraceNeighbourUnderSeedName(t *testing.T) {
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	start := time.Date(2025, 3, 1, 23, 0, 0, 0, syd)
	n := 0
	pay := func(sender, name, phone string, k int) {
		for i := range k {
			n++
			tr := vigil.Transfer{ID: fmt.Sprintf("T%04d", n), Timestamp: start.AddDate(0, 0, 3*i+n%7), SenderID: sender,
				BeneficiaryName: name, BeneficiaryPhone: phone, BeneficiaryCity: "Iloilo City", BeneficiaryCountry: "PH",
				Amount: vigil.NewAmount(30+int64(n%5)*10, 0), Currency: "AUD"}
			if err := b.Add(&tr); err != nil {
				t.Fatal(err)
			}
		}
	}
	buyers := []string{"B0", "B1", "B2", "B3"}
	for i, id := range buyers[:3] {
		pay(id, "Romeo Reyes", "+639478623207", 3+i)
	}
	pay("B3", "Romeo Reyes", "+639171234567", 4) // a second phone on her own recipient
	pay("F", "Romeo Reyes", "", 1)
	pay("F", "Romeo delos Reyes", "+639211685933", 12)
	g := b.Build()
	seed := vigil.Lead{ID: "S1", FullName: "Reyes, Romeo", Phone: "09478623207", City: "ILOILO CITY", Country: "PH"}
	res, err := g.Trace([]vigil.Lead{seed}, graph.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !pickedNamesHas(res.Candidates, "Romeo delos Reyes") {
		t.Fatalf("the relative's recipient is not picked (the case this test is about): %+v", res.Candidates)
	}
	var top []string
	for _, p := range res.Parties[:min(4, len(res.Parties))] {
		top = append(top, p.PartyID)
	}
	slices.Sort(top)
	if !slices.Equal(top, buyers) {
		t.Fatalf("top 4 %v, want the buyers %v", top, buyers)
	}
	for _, p := range res.Parties {
		if p.PartyID == "F" && !slices.ContainsFunc(p.Evidence.Facts, func(f string) bool {
			return strings.Contains(f, "of which 12 carry another phone or account in the seed's city")
		}) {
			t.Errorf("F's evidence does not say the payments are a neighbour's: %q", p.Evidence.Facts)
		}
		if p.PartyID == "B3" && p.Evidence.Relation != graph.RelationDirect {
			t.Errorf("B3, who pays the seed's recipient at a second phone, is %s", p.Evidence.Relation)
		}
	}
}

func pickedNamesHas(cs []vigil.SeedCandidate, name string) bool {
	_, ok := pickedNames(cs)[name]
	return ok
}

// TestSeedNamesakeElsewhereWithoutPhone: the seed's phone is on the
// facilitator's recipient in her town. A namesake with no city and a
// phone of its own, paid the buyers' way by two senders who pay nobody picked
// (buyers of another facilitator of that name), has only the name for
// it: the weight of the phone on another recipient keeps it out of the
// picks, and its reason says so. Must not: when one of the seed's buyers
// pays it too, the shared payer still picks it; a seed without a phone
// still picks it on name and payers; a namesake in the city of the
// recipient with the seed's phone is not weighed as elsewhere, nor one
// paid under a bare name.
func TestSeedNamesakeElsewhereWithoutPhone(t *testing.T) {
	world := func(shared bool, city, phone string) *graph.Graph {
		b, add := buyerPayments(t)
		pay := func(sender, name, phone, city string, k int) {
			add(sender, vigil.Transfer{BeneficiaryName: name, BeneficiaryPhone: phone, BeneficiaryCity: city, BeneficiaryCountry: "PH"}, k)
		}
		for i := range 3 {
			pay(fmt.Sprintf("B%d", i), "Rommel Castro", "+639053646576", "Dumaguete City", 4+i)
		}
		pay("X0", "Castro, Rommel", phone, city, 5)
		pay("X1", "Castro, Rommel", phone, city, 4)
		if shared {
			pay("B0", "Castro, Rommel", phone, city, 2)
		}
		return b.Build()
	}
	const other = "+639170000001" // the namesake's own phone
	seed := vigil.Lead{ID: "S1", FullName: "CASTRO, Rommel", Phone: "+639053646576", City: "Dumaguete", Country: "PH"}
	namesake := func(cs []vigil.SeedCandidate) *vigil.SeedCandidate {
		for i := range cs {
			if cs[i].Name == "Castro, Rommel" {
				return &cs[i]
			}
		}
		t.Fatalf("namesake not a candidate: %+v", cs)
		return nil
	}
	cs := world(false, "", other).ResolveSeed(&seed, graph.DefaultSeedThreshold, 0)
	if _, ok := pickedNames(cs)["Rommel Castro"]; !ok {
		t.Fatalf("facilitator's recipient not picked: %+v", cs)
	}
	if c := namesake(cs); c.Picked || !slices.ContainsFunc(c.Reasons, func(r string) bool {
		return strings.Contains(r, "this recipient in neither its city nor theirs carries only other ones, nor its birth date")
	}) {
		t.Errorf("namesake paid by others' buyers: picked %v, reasons %q", c.Picked, c.Reasons)
	}
	if c := namesake(world(true, "", other).ResolveSeed(&seed, graph.DefaultSeedThreshold, 0)); !c.Picked {
		t.Errorf("namesake paid by one of the seed's buyers not picked: %q", c.Reasons)
	}
	noPhone := seed
	noPhone.Phone = ""
	if c := namesake(world(false, "", other).ResolveSeed(&noPhone, graph.DefaultSeedThreshold, 0)); !c.Picked {
		t.Errorf("seed without a phone: namesake paid the buyers' way not picked: %q", c.Reasons)
	}
	// The city of the recipient carrying the seed's phone is a place of
	// the seed's too, however the lead spells its own ("GENSAN" for
	// General Santos City): there the name is not all that speaks.
	gensan := seed
	gensan.City = "General Santos"
	if c := namesake(world(false, "Dumaguete City", other).ResolveSeed(&gensan, graph.DefaultSeedThreshold, 0)); slices.ContainsFunc(c.Reasons, func(r string) bool {
		return strings.Contains(r, "the seed's phone or account is on")
	}) {
		t.Errorf("namesake in the city of the seed's phone weighed as elsewhere: %q", c.Reasons)
	}
	// Payments to a bare name (no phone, account or city) may be the
	// seed's own, merged into the namesake's record: not weighed.
	if c := namesake(world(false, "", "").ResolveSeed(&seed, graph.DefaultSeedThreshold, 0)); !c.Picked {
		t.Errorf("namesake paid under a bare name not picked: %q", c.Reasons)
	}
}
