package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/graph"
	"github.com/vigilfiu/vigil/synth"
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

// readOnly hides a reader's ReadShared, so that Feed reads a new string
// per row.
type readOnly struct{ r graph.TransferReader }

func (r readOnly) Read(t *vigil.Transfer) error { return r.r.Read(t) }

// TestFeedSharedRows builds a synth world's graph from a csv reader,
// whose rows Feed reads into reused buffers (ReadShared), with the
// parties' names prepared apart (NewPartyNames), and from the same reader
// through Read with AddParty: the graphs' senders, tables, prepared rows
// and traces must be identical, so that nothing the graph keeps is a view
// of a reused buffer.
func TestFeedSharedRows(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(synth.Config{Customers: 3000, Seed: 21, Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Months: 24}, dir); err != nil {
		t.Fatal(err)
	}
	ps, _, err := csv.ReadPartiesFile(filepath.Join(dir, "parties.csv"), csv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seeds, _, err := csv.ReadLeadsFile(filepath.Join(dir, "seeds.csv"), csv.Options{})
	if err != nil || len(seeds) == 0 {
		t.Fatalf("seeds: %v (%d)", err, len(seeds))
	}
	build := func(shared bool) (*graph.Graph, string) {
		r := openTransfers(t, dir)
		var src graph.TransferReader = r
		if !shared {
			src = readOnly{r}
		}
		b := graph.NewBuilder(graph.Options{NoSeedIndex: true})
		if _, err := b.Feed(context.Background(), src, func(err error) error { return err }); err != nil {
			t.Fatal(err)
		}
		if shared { // and the parties' names prepared apart
			b.AddPartyNames(graph.NewPartyNames(ps))
		} else {
			for i := range ps {
				b.AddParty(&ps[i])
			}
		}
		g := b.Build()
		// Garbage collected and the buffers' memory reused before the
		// graph is read.
		runtime.GC()
		_ = make([]byte, 64<<20)
		var out bytes.Buffer
		ss, cs, pu, ci := g.Tables()
		fmt.Fprintln(&out, ss, cs, pu, ci)
		named := 0
		for i := range g.Senders {
			fmt.Fprintln(&out, g.Senders[i])
			if g.Senders[i].Name != "" && len(g.Senders[i].Surname) > 0 {
				named++
			}
		}
		if named < len(g.Senders)/2 {
			t.Fatalf("%d of %d senders named", named, len(g.Senders))
		}
		if err := g.EachPrepared(func(s, ben int32, p *graph.Payment, id []byte) error {
			fmt.Fprintln(&out, s, ben, *p, string(id))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		res, err := g.Trace(seeds, graph.TraceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := json.NewEncoder(&out).Encode(res); err != nil {
			t.Fatal(err)
		}
		return g, out.String()
	}
	g1, shared := build(true)
	g2, read := build(false)
	if g1.NumTransfers() == 0 || len(g1.Senders) != len(g2.Senders) {
		t.Fatalf("shared: %d transfers, %d senders; read: %d senders", g1.NumTransfers(), len(g1.Senders), len(g2.Senders))
	}
	if shared != read {
		i := 0
		for i < len(shared) && i < len(read) && shared[i] == read[i] {
			i++
		}
		t.Fatalf("graphs differ at byte %d: shared %.200q, read %.200q", i, shared[i:], read[i:])
	}
}
