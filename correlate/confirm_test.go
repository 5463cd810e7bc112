package correlate_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/correlate"
	"github.com/vigilfiu/vigil/graph"
)

// TestCallLogConfirmsAccount: the facilitator is also paid under her bare
// name in another city, an account the seed's details do not pick. The
// sessions of the buyers who pay that account follow their payments, so
// the call log confirms it and their handles are attributed; a namesake
// paid at random times is not confirmed.
func TestCallLogConfirmsAccount(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	b := graph.NewBuilder(graph.Options{})
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, syd)
	var events []vigil.CallEvent
	nT := 0
	pay := func(sender, name, phone, city string, at time.Time) {
		nT++
		tr := vigil.Transfer{ID: fmt.Sprintf("T%05d", nT), Timestamp: at, SenderID: sender, BeneficiaryName: name,
			BeneficiaryPhone: phone, BeneficiaryCity: city, BeneficiaryCountry: "PH", Amount: vigil.NewAmount(40, 0), Currency: "AUD"}
		if err := b.Add(&tr); err != nil {
			t.Fatal(err)
		}
	}
	night := func(day int) time.Time {
		return start.AddDate(0, 0, day).Add(time.Duration(21*60+rng.IntN(180)) * time.Minute)
	}
	buyer := func(id, handle, name, phone, city string) {
		for day := rng.IntN(10); day < 200; day += 5 + rng.IntN(10) {
			at := night(day)
			pay(id, name, phone, city, at)
			events = append(events, vigil.CallEvent{ID: fmt.Sprintf("E%05d", len(events)+1), Timestamp: at.Add(time.Duration(5+rng.IntN(30)) * time.Minute).In(manila),
				Account: "mcs.cebu", Counterpart: handle, Direction: vigil.DirectionIn, Kind: vigil.KindVideo, DurationS: 1200})
		}
	}
	for i := range 3 {
		buyer(fmt.Sprint("A", i), fmt.Sprint("alpha_", i), "Maria Cristina Santos", "+639171234567", "Cebu City")
	}
	for i := range 3 {
		buyer(fmt.Sprint("B", i), fmt.Sprint("bravo_", i), "Maria Cristina Santos", "", "Davao City")
	}
	// A namesake in Manila receives family money at random hours.
	for day := 0; day < 200; day += 3 {
		pay("F0", "Maria Cristina Santos", "", "Manila", start.AddDate(0, 0, day).Add(time.Duration(rng.IntN(24*60))*time.Minute))
	}
	g := b.Build()
	seed := vigil.Lead{ID: "S1", FullName: "SANTOS, Maria Cristina", Phone: "09171234567", Handle: "mcs.cebu", Country: "PH", City: "Cebu City"}
	res, err := correlate.Correlate(g, nil, events, []vigil.Lead{seed}, correlate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var confirmed, manila int
	for _, c := range res.Candidates {
		why := strings.Join(c.Reasons, "; ")
		if strings.Contains(why, "confirmed by the call log") {
			confirmed++
			if !c.Picked {
				t.Errorf("confirmed but not picked: %+v", c)
			}
		}
		if c.Picked && strings.Contains(why, "Manila") {
			manila++
			t.Errorf("the namesake in Manila was picked: %s", why)
		}
	}
	if confirmed == 0 {
		t.Errorf("no candidate confirmed by the call log: %+v", res.Candidates)
	}
	for _, l := range res.Links {
		want := "A"
		if strings.HasPrefix(l.Handle, "bravo_") {
			want = "B"
		}
		want += l.Handle[len(l.Handle)-1:]
		if l.PartyID == nil || *l.PartyID != want {
			t.Errorf("%s: got %v, want %s: %s", l.Handle, l.PartyID, want, l.Reason)
		}
	}
}
