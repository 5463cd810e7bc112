package graph_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// birthTieWorld: the seed "GARCIA GEMMA" is given with her birth date
// only (no phone, account or city). One recipient record "Gemma Garcia"
// (a resolver that merges by name) holds two women: hers, paid by buyers
// B0–B3 small sums late at night at her phone in Pasay, and a namesake in
// Cagayan de Oro with another phone, paid by X on eight evenings, the
// buyers' way too. B0's first payment writes a birth date beside her
// phone: hers when birth is the seed's, another when it is not.
func birthTieWorld(t *testing.T, birth string) []vigil.TracedParty {
	t.Helper()
	b := graph.NewBuilder(graph.Options{Resolver: &nameResolver{nodes: map[string]int32{}}})
	n := 0
	add := func(sender, phone, city string, at time.Time, amt int64, bd string) {
		n++
		tr := vigil.Transfer{ID: fmt.Sprintf("T%04d", n), Timestamp: at, SenderID: sender,
			BeneficiaryName: "Gemma Garcia", BeneficiaryPhone: phone, BeneficiaryCity: city, BeneficiaryCountry: "PH",
			Amount: vigil.NewAmount(amt, 0), Currency: "AUD"}
		if bd != "" {
			d, reason := vigil.ParseDate(bd)
			if reason != "" {
				t.Fatal(reason)
			}
			tr.BeneficiaryBirthDate = d
		}
		if err := b.Add(&tr); err != nil {
			t.Fatal(err)
		}
	}
	const hers, other = "+639979432875", "09395678486"
	start := time.Date(2025, 1, 10, 23, 0, 0, 0, syd)
	for i := range 4 {
		for j := range 2 + i {
			bd := ""
			if i == 0 && j == 0 {
				bd = birth
			}
			add(fmt.Sprintf("B%d", i), hers, "Pasay City", start.AddDate(0, 0, 4*j+i), 30+int64(j)*5, bd)
		}
	}
	for m := range 8 {
		add("X", other, "Cagayan de Oro", start.AddDate(0, 0, 9*m).Add(-1*time.Hour), 40, "")
	}
	seed := vigil.Lead{ID: "S1", FullName: "GARCIA GEMMA", Country: "PH"}
	seed.BirthDate, _ = vigil.ParseDate("1984-10-03")
	res, err := b.Build().Trace([]vigil.Lead{seed}, graph.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Parties
}

// TestTraceBirthDateTiesPhone: B0 writes the seed's birth date beside
// her phone once, which makes that phone hers; X's payments, at another
// phone in another town, are then another person's, and X no longer
// ranks above any buyer. B0's line says where the phone came from.
func TestTraceBirthDateTiesPhone(t *testing.T) {
	parties := birthTieWorld(t, "1984-10-03")
	notAboveBuyers(t, parties, "X", true, "B0", "B1", "B2", "B3")
	b0, _ := rankOf(parties, "B0")
	if !strings.Contains(strings.Join(b0.Evidence.Facts, "\n"), "beside her birth date") {
		t.Errorf("B0's line does not say why his payments are hers: %q", b0.Evidence.Facts)
	}
}

// TestTraceBirthDateOtherDay: must not fire when the date written beside
// the phone is not hers to the day (one day off: perhaps hers mistyped,
// perhaps not, so it ties nothing). The seed then has nothing to compare
// payments with, and X, with eight payments, ranks first, as before.
func TestTraceBirthDateOtherDay(t *testing.T) {
	parties := birthTieWorld(t, "1984-10-04")
	x, ok := rankOf(parties, "X")
	if !ok || x.Rank != 1 || x.Evidence.Relation != graph.RelationDirect {
		t.Errorf("X: listed %v, rank %d, relation %s, facts %q", ok, x.Rank, x.Evidence.Relation, x.Evidence.Facts)
	}
	for _, p := range parties {
		if strings.Contains(strings.Join(p.Evidence.Facts, "\n"), "beside her birth date") {
			t.Errorf("%s: a phone tied by a birth date not hers: %q", p.PartyID, p.Evidence.Facts)
		}
	}
}

// TestTraceBirthDateNone: must not fire when no payment carries a birth
// date: X keeps his place at the top.
func TestTraceBirthDateNone(t *testing.T) {
	parties := birthTieWorld(t, "")
	if x, ok := rankOf(parties, "X"); !ok || x.Rank != 1 {
		t.Errorf("X: listed %v, rank %d, facts %q", ok, x.Rank, x.Evidence.Facts)
	}
}
