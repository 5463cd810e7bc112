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

// nameOnlyWorld: 40 recipients share the given name Maria and 40 the
// family name Santos (so "Maria Santos", carried by one of them, is a
// common name), one "Zenaida Quisumbing" (a rare name) and two
// recipients whose names are close spellings of "Rosalinda Macaraeg".
// Every payment is a daytime sum of 317 — nothing of the typology — so
// that only the name can pick (names paid the buyers' way are picked on
// that evidence, not on the name alone).
func nameOnlyWorld(t *testing.T) (*graph.Graph, []string) {
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	start := time.Date(2025, 3, 1, 23, 0, 0, 0, syd)
	n := 0
	pay := func(sender, name string, k int, night bool) {
		for i := range k {
			n++
			at := start.AddDate(0, 0, 3*i+n%7)
			amt := int64(30 + n%5*10)
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
	for i := range 40 {
		pay(fmt.Sprintf("H%d", i), fmt.Sprintf("Maria %s", surnames[i]), 2, false)
		pay(fmt.Sprintf("G%d", i), fmt.Sprintf("%s Santos", givens[i]), 2, false)
	}
	pay("M0", "Maria Santos", 5, false)
	pay("M1", "Maria Santos", 5, false)
	var buyers []string
	for i := range 4 {
		id := fmt.Sprintf("B%d", i)
		buyers = append(buyers, id)
		pay(id, "Zenaida Quisumbing", 4+i, false)
	}
	pay("R0", "Rosalinda Macaraeg", 4, false)
	pay("R1", "Rosalinda Macaraaeg", 4, false)
	return b.Build(), buyers
}

var surnames = strings.Fields("Reyes Cruz Bautista Ocampo Garcia Mendoza Torres Tomas Andrada Castillo Flores Villanueva Ramos Castro Rivera Aquino Navarro Salazar Mercado Aguilar Pascual Lopez Gonzales Domingo Marquez Soriano Lacson Magbanua Padilla Valdez Manalo Dizon Tan Lim Chua Sison Galang Tolentino Perez Javier")
var givens = strings.Fields("Jose Juan Ana Rosa Carmen Luz Pedro Ramon Elena Teresa Jesus Manuel Antonio Luis Gloria Rosario Josefina Lorna Gemma Nora Erlinda Jennifer Divina Evangeline Kristine Rommel Ronaldo Cristina Angelica Charmaine Rowena Christian Ricardo Lourdes Nenita Editha Corazon Leonora Imelda Remedios")

func TestSeedRareNameAlone(t *testing.T) {
	g, buyers := nameOnlyWorld(t)
	t.Run("rare", func(t *testing.T) {
		res, err := g.Trace([]vigil.Lead{{ID: "S1", FullName: "QUISUMBING, Zenaida", Handle: "zeny.q", Country: "PH"}}, graph.TraceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var picked []vigil.SeedCandidate
		for _, c := range res.Candidates {
			if c.Picked {
				picked = append(picked, c)
			}
		}
		if len(picked) != 1 || picked[0].Name != "Zenaida Quisumbing" {
			t.Fatalf("picked %+v, want the one Zenaida Quisumbing", picked)
		}
		if c := picked[0]; c.Score > graph.RareNameScore || !slices.ContainsFunc(c.Reasons, func(r string) bool {
			return strings.HasPrefix(r, fmt.Sprintf("picked on a rare name alone: 1 of %d recipients carry it", len(g.Beneficiaries)))
		}) {
			t.Errorf("score %v, reasons %q: want at most %v and the rare-name reason", c.Score, c.Reasons, graph.RareNameScore)
		}
		var top []string
		for _, p := range res.Parties[:min(len(buyers), len(res.Parties))] {
			top = append(top, p.PartyID)
		}
		slices.Sort(top)
		if !slices.Equal(top, buyers) {
			t.Errorf("top %d = %v, want the buyers %v", len(buyers), top, buyers)
		}
	})
	for _, seed := range []vigil.Lead{
		{ID: "S2", FullName: "SANTOS, Maria", Handle: "maria.s", Country: "PH"},            // one carrier, common words
		{ID: "S3", FullName: "Rosalinda Macaraeg", Country: "PH"},                          // rare, but two carriers
		{ID: "S4", FullName: "QUISUMBING, Zenaida", Phone: "+639290996416", Country: "PH"}, // a phone no one has: no name-alone pick
	} {
		t.Run(seed.ID, func(t *testing.T) {
			res, err := g.Trace([]vigil.Lead{seed}, graph.TraceOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range res.Candidates {
				if c.Picked {
					t.Errorf("picked %s %q (%v) on a name alone: %q", c.BeneficiaryID, c.Name, c.Score, c.Reasons)
				}
			}
			if len(res.Parties) != 0 {
				t.Errorf("%d parties ranked with nothing picked", len(res.Parties))
			}
			if seed.ID == "S2" && !slices.ContainsFunc(res.Candidates, func(c vigil.SeedCandidate) bool {
				return slices.ContainsFunc(c.Reasons, func(r string) bool { return strings.Contains(r, "the name is common") })
			}) {
				t.Errorf("no candidate says the name is common: %+v", res.Candidates)
			}
		})
	}
}

// TestSeedBirthDateOnTransfers: one beneficiary holds two women of one
// name (a resolver that merges by name), told apart only by the birth
// date written on their transfers. A name-only seed with a birth date
// picks it on the transfers that carry that date, and the payers of the
// other woman stay out of the direct payers.
func TestSeedBirthDateOnTransfers(t *testing.T) {
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	start := time.Date(2025, 3, 1, 23, 0, 0, 0, syd)
	n := 0
	name := "Evangeline Lacson"
	pay := func(sender string, birth vigil.Date, k int) {
		for i := range k {
			n++
			tr := vigil.Transfer{ID: fmt.Sprintf("T%04d", n), Timestamp: start.AddDate(0, 0, 3*i+n%7), SenderID: sender,
				BeneficiaryName: name, BeneficiaryCountry: "PH", BeneficiaryBirthDate: birth,
				Amount: vigil.NewAmount(30+int64(n%5)*10, 0), Currency: "AUD"}
			if i > 0 && sender[0] == 'B' {
				tr.BeneficiaryBirthDate = vigil.Date{} // most transfers carry no date
			}
			if err := b.Add(&tr); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buyers, namesake []string
	for i := range 4 {
		buyers = append(buyers, fmt.Sprintf("B%d", i))
		pay(buyers[i], vigil.Date{Year: 1996, Month: 11, Day: 21}, 3+i)
	}
	for i := range 4 {
		namesake = append(namesake, fmt.Sprintf("N%d", i))
		pay(namesake[i], vigil.Date{Year: 1971, Month: 2, Day: 3}, 10)
	}
	// A third woman of the name, in another spelling, whose transfers
	// carry only her own birth date.
	name = "Evangeline Lacsonn"
	pay("O1", vigil.Date{Year: 1980, Month: 5, Day: 9}, 3)
	pay("O2", vigil.Date{}, 3)
	g := b.Build()
	seed := vigil.Lead{ID: "S1", FullName: "Evangeline A. LACSON", BirthDate: vigil.Date{Year: 1996, Month: 11, Day: 21}, Country: "PH"}
	res, err := g.Trace([]vigil.Lead{seed}, graph.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Candidates) == 0 || !res.Candidates[0].Picked || !slices.ContainsFunc(res.Candidates[0].Reasons, func(r string) bool {
		return strings.HasPrefix(r, "birth date 1996-11-21 on 4 of its 58 transfer(s)")
	}) {
		t.Fatalf("candidates %+v: want the beneficiary picked on the birth date of 4 of its 58 transfers", res.Candidates)
	}
	for _, c := range res.Candidates {
		if c.Name == name && (c.Picked || !slices.ContainsFunc(c.Reasons, func(r string) bool {
			return strings.HasPrefix(r, "birth date 1996-11-21 on none of its 6 transfer(s), another (1980-05-09) on 3")
		})) {
			t.Errorf("%s: picked %v, reasons %q: want not picked, its transfers' other birth date quoted", c.Name, c.Picked, c.Reasons)
		}
	}
	checkNamesakesOut(t, g, seed, buyers, append(namesake, "O1", "O2"))
}

// TestResolveSeedListsEveryPick: the candidate limit bounds the list, not
// the picks — twelve spellings of the seed's name whose transfers carry
// its birth date are all picked and all returned with a limit of 10.
func TestResolveSeedListsEveryPick(t *testing.T) {
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	start := time.Date(2025, 3, 1, 23, 0, 0, 0, syd)
	names := []string{"Renato Gonzales", "RENATO GONZALES", "Gonzales, Renato", "Renato Gonzalez", "Renatto Gonzales", "Renato Gonzaless",
		"Renato Gonzles", "Renato Gozales", "Renato Gonzalles", "Reanto Gonzales", "Renato Gonsales", "Renato Gonzaels"}
	for i, name := range names {
		tr := vigil.Transfer{ID: fmt.Sprintf("T%02d", i), Timestamp: start, SenderID: fmt.Sprintf("B%02d", i),
			BeneficiaryName: name, BeneficiaryBirthDate: vigil.Date{Year: 1970, Month: 4, Day: 2}, BeneficiaryCountry: "PH", Amount: vigil.NewAmount(50, 0), Currency: "AUD"}
		if err := b.Add(&tr); err != nil {
			t.Fatal(err)
		}
	}
	g := b.Build()
	cs := g.ResolveSeed(&vigil.Lead{ID: "S1", FullName: "GONZALES RENATO", BirthDate: vigil.Date{Year: 1970, Month: 4, Day: 2}, Country: "PH"}, graph.DefaultSeedThreshold, 10)
	picked := 0
	for _, c := range cs {
		if c.Picked {
			picked++
		}
	}
	if picked != len(names) {
		t.Fatalf("%d candidates returned, %d picked; want all %d spellings picked", len(cs), picked, len(names))
	}
}
