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

// strangerWorld: the seed's recipient "Rowena Santos" in General Santos
// City is paid at her phone by buyers B0–B3, small sums late at night. X
// pays the same name in the same city k times at another phone, 150
// every nine days by evening (small and round: not the family's way, so
// that the silent-payer rule leaves him alone). When vouched, B3 also
// writes that other phone once.
func strangerWorld(t *testing.T, k int, vouched bool) []vigil.TracedParty {
	t.Helper()
	return rowenaWorld(t, k, vouched, false)
}

// rowenaWorld is strangerWorld, and with y also strangerTownWorld's Y.
func rowenaWorld(t *testing.T, k int, vouched, y bool) []vigil.TracedParty {
	t.Helper()
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	n := 0
	add := func(sender, phone string, at time.Time, amt int64) {
		n++
		tr := vigil.Transfer{ID: fmt.Sprintf("T%04d", n), Timestamp: at, SenderID: sender,
			BeneficiaryName: "Rowena Santos", BeneficiaryPhone: phone, BeneficiaryCity: "General Santos City", BeneficiaryCountry: "PH",
			Amount: vigil.NewAmount(amt, 0), Currency: "AUD"}
		if err := b.Add(&tr); err != nil {
			t.Fatal(err)
		}
	}
	const hers, other = "+639499460925", "09991670494"
	start := time.Date(2025, 1, 10, 23, 0, 0, 0, syd)
	for i := range 4 {
		for j := range 2 + i {
			add(fmt.Sprintf("B%d", i), hers, start.AddDate(0, 0, 4*j+i), 30+int64(j)*5)
		}
	}
	if vouched {
		add("B3", other, start.AddDate(0, 0, 30), 40)
	}
	for m := range k {
		add("X", other, start.AddDate(0, 0, 9*m).Add(-3*time.Hour), 150)
	}
	if y {
		for m := range 5 {
			phone := ""
			if m < 2 {
				phone = other
			}
			add("Y", phone, start.AddDate(0, 0, 7*m+2), 50)
		}
	}
	res, err := b.Build().Trace([]vigil.Lead{{ID: "S1", FullName: "DE LOS SANTOS ROWENA", Phone: "+639499460925", City: "General Santos City", Country: "PH"}}, graph.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Parties
}

func saysStranger(p vigil.TracedParty) bool {
	return slices.ContainsFunc(p.Evidence.Facts, func(f string) bool { return strings.Contains(f, "from a payer who never writes hers") })
}

func rankOf(parties []vigil.TracedParty, id string) (vigil.TracedParty, bool) {
	i := slices.IndexFunc(parties, func(p vigil.TracedParty) bool { return p.PartyID == id })
	if i < 0 {
		return vigil.TracedParty{}, false
	}
	return parties[i], true
}

// notAboveBuyers fails t when one of the buyers is not ranked, or when
// party who ranks above one of them (with direct, only when who is
// listed as a direct payer); it returns who's line, if listed.
func notAboveBuyers(t *testing.T, parties []vigil.TracedParty, who string, direct bool, buyers ...string) (vigil.TracedParty, bool) {
	t.Helper()
	x, ok := rankOf(parties, who)
	for _, id := range buyers {
		p, found := rankOf(parties, id)
		if !found {
			t.Fatalf("buyer %s not ranked: %+v", id, parties)
		}
		if ok && (!direct || x.Evidence.Relation == graph.RelationDirect) && x.Rank < p.Rank {
			t.Errorf("%s ranks %d, above buyer %s (%d): %q", who, x.Rank, id, p.Rank, x.Evidence.Facts)
		}
	}
	return x, ok
}

// TestTraceStrangerPhoneInTown: X writes another phone in her city on all
// eight of his payments and never hers, and none of her buyers writes
// it: another person of her name and town, whose payments count as
// another person's. He does not rank above any buyer, and if listed his
// line says why.
func TestTraceStrangerPhoneInTown(t *testing.T) {
	parties := strangerWorld(t, 8, false)
	x, ok := notAboveBuyers(t, parties, "X", false, "B0", "B1", "B2", "B3")
	if ok && !saysStranger(x) {
		t.Errorf("X's line does not say why: %q", x.Evidence.Facts)
	}
}

// TestTraceStrangerPhoneVouched: must not fire when one of her buyers
// also writes that phone (perhaps a second one of hers): X's payments
// keep her recipient's rate, and on his eight payments he ranks above
// B0, who paid twice.
func TestTraceStrangerPhoneVouched(t *testing.T) {
	parties := strangerWorld(t, 8, true)
	x, ok := rankOf(parties, "X")
	b0, _ := rankOf(parties, "B0")
	if !ok || x.Evidence.Relation != graph.RelationDirect || saysStranger(x) || x.Rank > b0.Rank {
		t.Errorf("X: listed %v, rank %d (B0 %d), facts %q", ok, x.Rank, b0.Rank, x.Evidence.Facts)
	}
}

// TestTraceStrangerPhoneFewPayments: must not fire on fewer than
// FamilyPayments such payments (a buyer who reached her at another
// number a few times): X stays a direct payer at her recipient's rate.
func TestTraceStrangerPhoneFewPayments(t *testing.T) {
	parties := strangerWorld(t, graph.FamilyPayments-1, false)
	x, ok := rankOf(parties, "X")
	if !ok || x.Evidence.Relation != graph.RelationDirect || saysStranger(x) {
		t.Errorf("X: listed %v, relation %s, facts %q", ok, x.Evidence.Relation, x.Evidence.Facts)
	}
}
