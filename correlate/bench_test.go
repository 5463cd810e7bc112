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

// bigDevice is a device owner paid by 2,000 customers 40,000 times, whose
// log holds 100,000 sessions of 3,000 handles (buyers' sessions follow
// their payments; the rest is noise), among 1,000,000 other transfers.
func bigDevice(b *testing.B) (*graph.Graph, []vigil.CallEvent, vigil.Lead) {
	rng := rand.New(rand.NewPCG(9, 9))
	gb := graph.NewBuilder(graph.Options{SizeHint: 1_040_000})
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	span := int64(2 * 365 * 86400)
	var events []vigil.CallEvent
	t := vigil.Transfer{BeneficiaryCountry: "PH", Currency: "EUR", Amount: vigil.NewAmount(50, 0)}
	for i := range 40_000 {
		t.ID, t.SenderID = fmt.Sprint("F", i), fmt.Sprint("B", rng.IntN(2000))
		t.BeneficiaryName, t.BeneficiaryPhone = "Ana Cruz", "+639171234567"
		t.Timestamp = start.Add(time.Duration(rng.Int64N(span)) * time.Second)
		if err := gb.Add(&t); err != nil {
			b.Fatal(err)
		}
		events = append(events, vigil.CallEvent{ID: fmt.Sprint("E", i), Timestamp: t.Timestamp.Add(time.Duration(rng.IntN(40)) * time.Minute),
			Account: "owner", Counterpart: "h" + t.SenderID[1:], Direction: vigil.DirectionIn, Kind: vigil.KindVideo})
	}
	for i := len(events); i < 100_000; i++ {
		events = append(events, vigil.CallEvent{ID: fmt.Sprint("E", i), Timestamp: start.Add(time.Duration(rng.Int64N(span)) * time.Second),
			Account: "owner", Counterpart: fmt.Sprint("x", rng.IntN(1000)), Direction: vigil.DirectionIn, Kind: vigil.KindVideo})
	}
	for i := range 1_000_000 {
		t.ID, t.SenderID = fmt.Sprint("T", i), fmt.Sprint("P", rng.IntN(80_000))
		t.BeneficiaryName, t.BeneficiaryPhone = fmt.Sprint("Name ", rng.IntN(20_000)), ""
		t.Timestamp = start.Add(time.Duration(rng.Int64N(span)) * time.Second)
		if err := gb.Add(&t); err != nil {
			b.Fatal(err)
		}
	}
	return gb.Build(), events, vigil.Lead{ID: "S", FullName: "Ana Cruz", Phone: "+639171234567", Handle: "owner", Country: "PH"}
}

func BenchmarkCorrelate100kEvents(b *testing.B) {
	g, events, seed := bigDevice(b)
	b.ResetTimer()
	for b.Loop() {
		res, err := correlate.Correlate(g, nil, events, []vigil.Lead{seed}, correlate.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Links) != 3000 {
			b.Fatalf("%d links", len(res.Links))
		}
	}
}
