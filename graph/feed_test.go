package graph_test

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// flakyReader returns the world's transfers with a row error after every
// 7th one.
type flakyReader struct {
	ts   []vigil.Transfer
	i, n int
}

var errRow = errors.New("transfers.csv:9:3: amount: negative amount")

func (r *flakyReader) Read(t *vigil.Transfer) error {
	r.n++
	if r.n%8 == 0 {
		return errRow
	}
	if r.i == len(r.ts) {
		return io.EOF
	}
	*t = r.ts[r.i]
	r.i++
	return nil
}

func TestFeedMatchesAdd(t *testing.T) {
	w := newWorld(t)
	direct := w.graph(t)
	b := graph.NewBuilder(graph.Options{})
	for i := range w.parties {
		b.AddParty(&w.parties[i])
	}
	rejected := 0
	n, err := b.Feed(context.Background(), &flakyReader{ts: w.transfers}, func(err error) error {
		if !errors.Is(err, errRow) {
			t.Fatalf("unexpected error %v", err)
		}
		rejected++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if int(n) != len(w.transfers) || rejected == 0 {
		t.Fatalf("fed %d of %d transfers, %d rejected", n, len(w.transfers), rejected)
	}
	fed := b.Build()
	if len(fed.Edges) != len(direct.Edges) || fed.NumTransfers() != direct.NumTransfers() || len(fed.Beneficiaries) != len(direct.Beneficiaries) {
		t.Fatalf("Feed built %d edges, %d transfers, %d beneficiaries; Add built %d, %d, %d",
			len(fed.Edges), fed.NumTransfers(), len(fed.Beneficiaries), len(direct.Edges), direct.NumTransfers(), len(direct.Beneficiaries))
	}

	// A reject function that gives up stops the feed with its error.
	stop := errors.New("too many errors")
	b = graph.NewBuilder(graph.Options{})
	if _, err := b.Feed(context.Background(), &flakyReader{ts: w.transfers}, func(error) error { return stop }); !errors.Is(err, stop) {
		t.Fatalf("err = %v, want %v", err, stop)
	}
	// So does a cancelled context.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	big := make([]vigil.Transfer, 0, 20*len(w.transfers))
	for range 20 {
		big = append(big, w.transfers...)
	}
	b = graph.NewBuilder(graph.Options{})
	if _, err := b.Feed(ctx, &flakyReader{ts: big}, func(error) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
