package correlate_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/correlate"
	"github.com/vigilfiu/vigil/graph"
)

// FuzzCorrelate builds payments and sessions from arbitrary bytes (each
// 3-byte group: who, day, minute) and checks the invariants of every link:
// confidence in [0,1], attribution only at the threshold, sessions and
// transfers paired at most once, lags within the window.
func FuzzCorrelate(f *testing.F) {
	f.Add([]byte{0, 1, 10, 0x80, 1, 20, 1, 2, 30, 0x81, 2, 40, 0x80, 5, 0})
	f.Add([]byte{})
	f.Add([]byte{0x80, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Date(2025, 1, 1, 20, 0, 0, 0, time.UTC)
		b := graph.NewBuilder(graph.Options{})
		var events []vigil.CallEvent
		for i := 0; i+2 < len(data) && i < 3*400; i += 3 {
			who, at := data[i], start.AddDate(0, 0, int(data[i+1]%60)).Add(time.Duration(data[i+2])*time.Minute)
			if who&0x80 == 0 {
				tr := vigil.Transfer{ID: fmt.Sprint("T", i), Timestamp: at, SenderID: fmt.Sprint("P", who%4),
					BeneficiaryName: "Ana Cruz", BeneficiaryPhone: "+639171234567", BeneficiaryCountry: "PH",
					Amount: vigil.NewAmount(50, 0), Currency: "EUR"}
				if err := b.Add(&tr); err != nil {
					t.Fatal(err)
				}
			} else {
				events = append(events, vigil.CallEvent{ID: fmt.Sprint("E", i), Timestamp: at.Add(10 * time.Minute),
					Account: "owner", Counterpart: fmt.Sprint("h", who%3), Direction: vigil.DirectionIn, Kind: vigil.KindVideo})
			}
		}
		if len(events) == 0 {
			return
		}
		g := b.Build()
		res, err := correlate.Correlate(g, nil, events, []vigil.Lead{{ID: "S", FullName: "Ana Cruz", Phone: "+639171234567", Handle: "owner", Country: "PH"}}, correlate.Options{})
		if err != nil {
			t.Fatal(err)
		}
		seenEv, seenTr := map[string]bool{}, map[string]bool{}
		for _, l := range res.Links {
			if l.Confidence < 0 || l.Confidence > 1 || (l.PartyID != nil) != (l.Confidence >= 0.5) {
				t.Fatalf("link %+v", l)
			}
			if l.PartyID == nil {
				continue
			}
			for _, p := range l.Pairs {
				if seenEv[p.EventID] || seenTr[p.TransferID] {
					t.Fatalf("event %s or transfer %s paired twice", p.EventID, p.TransferID)
				}
				seenEv[p.EventID], seenTr[p.TransferID] = true, true
				if p.LagS < -15*60 || p.LagS > 60*60 {
					t.Fatalf("lag %d s outside the window", p.LagS)
				}
			}
		}
	})
}
