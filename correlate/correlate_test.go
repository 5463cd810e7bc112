package correlate_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/correlate"
	"github.com/vigilfiu/vigil/graph"
)

var (
	syd    = time.FixedZone("AEST", 10*3600)
	manila = time.FixedZone("PHT", 8*3600)
)

// device builds payments to a facilitator and her device's call log:
// domestic buyers whose sessions follow their payments, a foreign buyer
// whose night sessions no domestic payment explains, a relative who calls
// on Sundays and sends monthly money, and heavy night payers without a
// handle of their own to tempt chance coincidences.
type device struct {
	g      *graph.Graph
	events []vigil.CallEvent
	seed   vigil.Lead
	truth  map[string]string // handle → party id, "" for none
}

func newDevice(t testing.TB, seed uint64) *device {
	rng := rand.New(rand.NewPCG(seed, 7))
	d := &device{truth: map[string]string{}}
	b := graph.NewBuilder(graph.Options{})
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, syd)
	nT, nE := 0, 0
	pay := func(sender string, at time.Time, amount int64) {
		nT++
		tr := vigil.Transfer{ID: fmt.Sprintf("T%05d", nT), Timestamp: at, SenderID: sender,
			BeneficiaryName: "Maria Cristina Santos", BeneficiaryPhone: "+639171234567", BeneficiaryCity: "Cebu City",
			BeneficiaryCountry: "PH", Amount: vigil.NewAmount(amount, 0), Currency: "AUD"}
		if err := b.Add(&tr); err != nil {
			t.Fatal(err)
		}
	}
	call := func(handle string, at time.Time, kind vigil.CallKind) {
		nE++
		d.events = append(d.events, vigil.CallEvent{ID: fmt.Sprintf("E%05d", nE), Timestamp: at.In(manila),
			Account: "mcs.cebu", Counterpart: handle, Direction: vigil.DirectionIn, Kind: kind, DurationS: 900})
	}
	night := func(day int) time.Time {
		return start.AddDate(0, 0, day).Add(time.Duration(21*60+rng.IntN(240)) * time.Minute)
	}
	for i := range 8 {
		id, h := fmt.Sprintf("B%d", i), fmt.Sprintf("buyer_%d", i)
		d.truth[h] = id
		day := rng.IntN(60)
		for k := 0; k < 4+rng.IntN(10); k++ {
			at := night(day)
			pay(id, at, int64(20+10*rng.IntN(8)))
			if rng.Float64() < 0.85 { // most payments are followed by a session
				call(h, at.Add(time.Duration(3+rng.IntN(40))*time.Minute), vigil.KindVideo)
			}
			if rng.Float64() < 0.2 { // some sessions without a payment
				call(h, night(day+1+rng.IntN(3)), vigil.KindVideo)
			}
			day += 3 + rng.IntN(20)
		}
	}
	// Heavy night payers with no handle on the device (they pay someone
	// else's phone from the same account, or watch elsewhere).
	for i := range 3 {
		id := fmt.Sprintf("X%d", i)
		for day := 0; day < 300; day += 1 + rng.IntN(3) {
			pay(id, night(day), 50)
		}
	}
	// A foreign buyer: night sessions, no domestic payments.
	d.truth["overseas_1"] = ""
	for day := 0; day < 300; day += 2 + rng.IntN(5) {
		call("overseas_1", night(day), vigil.KindVideo)
	}
	// The relative: monthly money, Sunday calls.
	d.truth["kuya_jose"] = ""
	for m := range 12 {
		pay("R0", start.AddDate(0, m, 14).Add(11*time.Hour), 303)
	}
	for w := range 50 {
		call("kuya_jose", start.AddDate(0, 0, 7*w+4).Add(18*time.Hour), vigil.KindCall)
	}
	// Chat messages are no sessions.
	call("buyer_0", start.Add(time.Hour), vigil.KindChat)
	d.events[len(d.events)-1].Kind = vigil.KindChat
	d.g = b.Build()
	d.seed = vigil.Lead{ID: "S1", FullName: "SANTOS, Maria Cristina", Phone: "09171234567", Handle: "@MCS.cebu", Country: "PH"}
	return d
}

func TestCorrelateAttributesBuyersOnly(t *testing.T) {
	right, buyers := 0, 0
	for seed := uint64(1); seed <= 10; seed++ {
		d := newDevice(t, seed)
		res, err := correlate.Correlate(d.g, nil, d.events, []vigil.Lead{d.seed}, correlate.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Links) != len(d.truth) {
			t.Fatalf("seed %d: %d links for %d handles", seed, len(res.Links), len(d.truth))
		}
		for _, l := range res.Links {
			want := d.truth[l.Handle]
			got := ""
			if l.PartyID != nil {
				got = *l.PartyID
			}
			if want != "" {
				buyers++
			}
			switch {
			case got != "" && got == want:
				right++
				if len(l.Pairs) != l.Matched || l.Matched < 2 || l.Pairs[0].TransferID == "" || l.Pairs[0].EventID == "" {
					t.Errorf("seed %d %s: pairs %d matched %d", seed, l.Handle, len(l.Pairs), l.Matched)
				}
			case got != "":
				t.Errorf("seed %d: %s wrongly attributed to %s (want %q), confidence %.3f: %s", seed, l.Handle, got, want, l.Confidence, l.Reason)
			case want != "":
				t.Logf("seed %d: buyer handle %s unattributed: %s", seed, l.Handle, l.Reason)
			}
		}
	}
	if float64(right) < 0.9*float64(buyers) {
		t.Errorf("%d of %d buyer handles attributed, want ≥ 90%%", right, buyers)
	}
}

func TestCorrelateNeedsOwner(t *testing.T) {
	d := newDevice(t, 1)
	_, err := correlate.Correlate(d.g, nil, d.events, []vigil.Lead{{ID: "S1", FullName: "x", Handle: "someone"}, {ID: "S2", FullName: "y"}}, correlate.Options{})
	if vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("err = %v, want invalid", err)
	}
}
