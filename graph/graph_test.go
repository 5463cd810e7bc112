package graph_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// world is a small hand-made payment network with known roles.
type world struct {
	parties   []vigil.Party
	transfers []vigil.Transfer
	buyersF   []string // pay the facilitator F
	secondG   []string // pay only G, another facilitator also paid by some of F's buyers
	relative  string   // F's relative: same surname, monthly family money
	seed      vigil.Lead
}

var syd = time.FixedZone("AEST", 10*3600)

func newWorld(t testing.TB) *world {
	rng := rand.New(rand.NewPCG(1, 2))
	w := &world{}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, syd)
	n := 0
	party := func(id, name string) {
		w.parties = append(w.parties, vigil.Party{ID: id, Kind: vigil.PartyPerson, FullName: name, Country: "AU"})
	}
	pay := func(sender, name, phone, city string, amount int64, at time.Time, purpose string) {
		n++
		w.transfers = append(w.transfers, vigil.Transfer{
			ID: fmt.Sprintf("T%05d", n), Timestamp: at, SenderID: sender,
			BeneficiaryName: name, BeneficiaryPhone: phone, BeneficiaryCity: city, BeneficiaryCountry: "PH",
			Amount: vigil.NewAmount(amount, 0), Currency: "AUD", Channel: vigil.ChannelRemittance, Purpose: purpose,
		})
	}
	fNames := []string{"Maria Cristina Santos", "SANTOS MARIA CRISTINA", "Ma. Cristina Santos"}
	fPhones := []string{"+639171234567", "09171234567", "0917 123 4567"}
	late := func(d int) time.Time {
		return start.AddDate(0, 0, d).Add(time.Duration(22*60+rng.IntN(110)) * time.Minute)
	}
	// Six buyers of F; the first two also pay G.
	for i := range 6 {
		id := fmt.Sprintf("B%d", i)
		party(id, []string{"John Miller", "Peter Brown", "David Wilson", "Mark Taylor", "Paul Clarke", "Gary Evans"}[i])
		w.buyersF = append(w.buyersF, id)
		d := rng.IntN(30)
		for k := 0; k < 5+rng.IntN(6); k++ {
			pay(id, fNames[k%3], fPhones[k%3], "Cebu City", int64(20+10*rng.IntN(8)), late(d), "school fees")
			d += 5 + rng.IntN(15)
		}
		if i < 2 {
			for k := range 4 {
				pay(id, "Rowena Dizon", "+639181112222", "Pampanga", 50, late(40+k*9), "")
			}
		}
	}
	// Second-degree: pay G only.
	for i := range 3 {
		id := fmt.Sprintf("S%d", i)
		party(id, []string{"Neil Harris", "Shane Moore", "Kevin White"}[i])
		w.secondG = append(w.secondG, id)
		for k := range 6 {
			pay(id, "Rowena Dizon", "+639181112222", "Pampanga", 30, late(20+k*11), "medical")
		}
	}
	// F's brother abroad: same surname, monthly at the 15th, daytime, larger.
	w.relative = "R0"
	party("R0", "Jose SANTOS")
	for m := range 12 {
		pay("R0", fNames[0], fPhones[0], "Cebu City", int64(300+rng.IntN(3)*50)+3, start.AddDate(0, m, 14).Add(11*time.Hour), "family support")
	}
	// A namesake of F in another city with another phone, paid by her own family.
	party("N0", "Ana Reyes")
	for m := range 10 {
		pay("N0", "Maria Cristina Santos", "+639209998888", "Davao City", 250, start.AddDate(0, m, 1).Add(12*time.Hour), "allowance")
	}
	// Honest background: 20 families.
	for i := range 20 {
		id := fmt.Sprintf("H%02d", i)
		sur := []string{"Garcia", "Reyes", "Cruz", "Bautista", "Ocampo"}[i%5]
		party(id, "Liza "+sur)
		for m := range 8 {
			pay(id, "Carmen "+sur, fmt.Sprintf("+6392%08d", i), "Manila", 400, start.AddDate(0, m, 1).Add(10*time.Hour), "")
		}
	}
	slices.SortFunc(w.transfers, func(a, b vigil.Transfer) int { return a.Timestamp.Compare(b.Timestamp) })
	for i := range w.transfers {
		if err := w.transfers[i].Validate(); err != nil {
			t.Fatal(err)
		}
	}
	w.seed = vigil.Lead{ID: "SEED-1", FullName: "SANTOS, Maria Cristina", Phone: "+63 917 123 4567", Country: "PH"}
	return w
}

func (w *world) graph(t testing.TB) *graph.Graph {
	b := graph.NewBuilder(graph.Options{})
	for i := range w.parties {
		b.AddParty(&w.parties[i])
	}
	for i := range w.transfers {
		if err := b.Add(&w.transfers[i]); err != nil {
			t.Fatal(err)
		}
	}
	return b.Build()
}

func TestBuildAggregatesEdges(t *testing.T) {
	w := newWorld(t)
	g := w.graph(t)
	if g.NumTransfers() != len(w.transfers) {
		t.Fatalf("graph holds %d transfers, want %d", g.NumTransfers(), len(w.transfers))
	}
	total := 0
	for i := range g.Edges {
		e := &g.Edges[i]
		total += int(e.Count)
		ps := g.Payments(e)
		for j := 1; j < len(ps); j++ {
			if ps[j].At < ps[j-1].At {
				t.Fatalf("edge %d payments out of time order", i)
			}
		}
		if e.First != ps[0].At || e.Last != ps[len(ps)-1].At {
			t.Fatalf("edge %d first/last wrong", i)
		}
	}
	if total != len(w.transfers) {
		t.Fatalf("edges count %d transfers, want %d", total, len(w.transfers))
	}
	// F's three name and phone variants resolve to one beneficiary.
	s, _ := g.SenderIndex("B0")
	seen := map[string]int{}
	for _, e := range g.SenderEdges(s) {
		seen[g.Beneficiaries[e.Beneficiary].ID] += int(e.Count)
	}
	if len(seen) != 2 {
		t.Fatalf("B0 pays %d beneficiaries, want 2 (F and G): %v", len(seen), seen)
	}
	// Every transfer id is kept and recoverable.
	ids := map[string]bool{}
	for i := range g.Edges {
		for _, p := range g.Payments(&g.Edges[i]) {
			ids[g.TransferID(&p)] = true
		}
	}
	if len(ids) != len(w.transfers) {
		t.Fatalf("%d distinct transfer ids, want %d", len(ids), len(w.transfers))
	}
	// The relative's edge is recognised as family support.
	r, _ := g.SenderIndex(w.relative)
	if e := g.SenderEdges(r)[0]; e.Tie != graph.TieRelative {
		t.Fatalf("relative's edge tie = %v, want relative", e.Tie)
	}
	if e := g.SenderEdges(s)[0]; e.Tie != graph.TieNone || e.Typology < 0.6 {
		t.Fatalf("buyer's edge tie = %v typology %.2f, want none and ≥ 0.6", e.Tie, e.Typology)
	}
}

func TestResolveSeedShowsCandidates(t *testing.T) {
	w := newWorld(t)
	g := w.graph(t)
	cs := g.ResolveSeed(&w.seed, graph.DefaultSeedThreshold, 10)
	if len(cs) < 2 {
		t.Fatalf("want the facilitator and her namesake as candidates, got %+v", cs)
	}
	if !cs[0].Picked || cs[0].Payers != 7 {
		t.Fatalf("best candidate %+v: want picked with 7 payers (6 buyers and the relative)", cs[0])
	}
	for _, c := range cs[1:] {
		if c.Picked {
			t.Fatalf("namesake picked: %+v", c)
		}
	}
	if len(cs[0].Reasons) == 0 {
		t.Fatal("no reasons for the resolution")
	}
}

func TestTraceRanksBuyersThenSecondDegreeThenRelatives(t *testing.T) {
	w := newWorld(t)
	g := w.graph(t)
	res, err := g.Trace([]vigil.Lead{w.seed}, graph.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	k := len(w.buyersF)
	if len(res.Parties) < k+len(w.secondG)+1 {
		t.Fatalf("only %d parties traced", len(res.Parties))
	}
	for i := range k {
		p := res.Parties[i]
		if !slices.Contains(w.buyersF, p.PartyID) {
			t.Errorf("rank %d is %s (%s), not a buyer of F", p.Rank, p.PartyID, p.Evidence.Relation)
		}
		if p.Degree != 1 || len(p.Path) != 3 || p.Path[0] != "SEED-1" || len(p.Evidence.Edges) == 0 || len(p.Evidence.Edges[0].TransferIDs) == 0 {
			t.Errorf("rank %d: degree %d path %v evidence %+v", p.Rank, p.Degree, p.Path, p.Evidence)
		}
	}
	for i := k; i < k+len(w.secondG); i++ {
		p := res.Parties[i]
		if !slices.Contains(w.secondG, p.PartyID) || p.Degree != 2 || len(p.Path) != 5 {
			t.Errorf("rank %d is %s degree %d path %v, want a second-degree payer of G", p.Rank, p.PartyID, p.Degree, p.Path)
		}
	}
	last := res.Parties[len(res.Parties)-1]
	if last.PartyID != w.relative || last.Evidence.Relation != graph.RelationRelative {
		t.Errorf("last is %s (%s), want the relative", last.PartyID, last.Evidence.Relation)
	}
	for _, p := range res.Parties {
		if p.PartyID == "N0" || p.PartyID[0] == 'H' {
			t.Errorf("%s (namesake's family or honest background) traced", p.PartyID)
		}
	}
	for i := 1; i < len(res.Parties); i++ {
		if res.Parties[i].Rank != i+1 {
			t.Fatal("ranks not consecutive")
		}
	}
}

func TestMonthIndex(t *testing.T) {
	for sec := int64(-5e9); sec < 5e9; sec += 86400*13 + 3607 {
		tm := time.Unix(sec, 0).UTC()
		want := tm.Year()*12 + int(tm.Month()) - 1
		if got := graph.MonthIndex(sec); got != want {
			t.Fatalf("MonthIndex(%d) = %d, want %d (%s)", sec, got, want, tm)
		}
	}
}
