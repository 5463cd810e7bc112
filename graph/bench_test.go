package graph_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// feed streams n synthetic transfers through fn, reusing one Transfer:
// senders and recipients drawn from fixed pools, three name and phone
// variants per recipient, so that the resolver does real work.
func feed(n int, fn func(*vigil.Transfer)) {
	rng := rand.New(rand.NewPCG(3, 4))
	nS, nB := max(n/12, 10), max(n/50, 10)
	senders := make([]string, nS)
	for i := range senders {
		senders[i] = fmt.Sprintf("P%07d", i)
	}
	type rec struct{ names, phones [3]string }
	recs := make([]rec, nB)
	for i := range recs {
		g, s := fmt.Sprintf("Given%d", i%997), fmt.Sprintf("Surname%d", i/997)
		recs[i] = rec{
			names:  [3]string{g + " " + s, s + ", " + g, "MA. " + g + " " + s},
			phones: [3]string{fmt.Sprintf("+6391%08d", i), fmt.Sprintf("091%08d", i), fmt.Sprintf("091 %04d %04d", i/10000, i%10000)},
		}
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("T%09d", i)
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.FixedZone("AEST", 10*3600))
	t := vigil.Transfer{BeneficiaryCountry: "PH", Currency: "AUD", Channel: vigil.ChannelRemittance}
	for i := range n {
		s := rng.IntN(nS)
		b := (s*7 + rng.IntN(4)) % nB // each sender pays a few recipients
		v := rng.IntN(3)
		t.ID = ids[i]
		t.SenderID = senders[s]
		t.BeneficiaryName, t.BeneficiaryPhone = recs[b].names[v], recs[b].phones[v]
		t.Timestamp = start.Add(time.Duration(i) * 6 * time.Second)
		t.Amount = vigil.NewAmount(int64(10+rng.IntN(300)), 0)
		fn(&t)
	}
}

func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				gb := graph.NewBuilder(graph.Options{})
				feed(n, func(t *vigil.Transfer) { _ = gb.Add(t) })
				_ = gb.Build()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "transfers/s")
		})
	}
}

func BenchmarkTrace(b *testing.B) {
	gb := graph.NewBuilder(graph.Options{})
	feed(1_000_000, func(t *vigil.Transfer) { _ = gb.Add(t) })
	g := gb.Build()
	seeds := make([]vigil.Lead, 10)
	for i := range seeds {
		seeds[i] = vigil.Lead{ID: fmt.Sprint("S", i), FullName: fmt.Sprintf("Given%d Surname%d", i*37%997, 0), Phone: fmt.Sprintf("+6391%08d", i*37), Country: "PH"}
	}
	for b.Loop() {
		if _, err := g.Trace(seeds, graph.TraceOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

type sliceReader struct {
	ts []vigil.Transfer
	i  int
}

func (r *sliceReader) Read(t *vigil.Transfer) error {
	if r.i == len(r.ts) {
		return io.EOF
	}
	*t = r.ts[r.i]
	r.i++
	return nil
}

func BenchmarkFeed(b *testing.B) {
	n := 1_000_000
	var ts []vigil.Transfer
	feed(n, func(t *vigil.Transfer) { ts = append(ts, *t) })
	b.ResetTimer()
	for b.Loop() {
		gb := graph.NewBuilder(graph.Options{SizeHint: n})
		if _, err := gb.Feed(context.Background(), &sliceReader{ts: ts}, func(err error) error { return err }); err != nil {
			b.Fatal(err)
		}
		_ = gb.Build()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "transfers/s")
}
