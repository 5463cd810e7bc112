package graph_test

import (
	"bytes"
	"context"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
	"github.com/vigilfiu/vigil/synth"
)

// TestRowPreparerSameRows: the rows and tables a RowPreparer gives for a
// world's transfers, each with the beneficiary a graph resolved it to,
// are those the graph itself gives (EachPrepared, Tables), byte for byte
// as a store keeps them; a transfer without a sender is refused as
// Builder.AddAssigned refuses it.
func TestRowPreparerSameRows(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(synth.Config{Customers: 3000, Seed: 21, Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Months: 18}, dir); err != nil {
		t.Fatal(err)
	}
	r := openTransfers(t, dir)
	var ts []vigil.Transfer
	for {
		var tr vigil.Transfer
		if err := r.Read(&tr); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, tr)
	}
	b := graph.NewBuilder(graph.Options{NoSeedIndex: true, KeepAssignment: true})
	i := 0
	if _, err := b.Feed(context.Background(), readFunc(func(t *vigil.Transfer) error {
		if i == len(ts) {
			return io.EOF
		}
		*t = ts[i]
		i++
		return nil
	}), func(err error) error { return err }); err != nil {
		t.Fatal(err)
	}
	g := b.Build()
	assign := g.Assignment()
	if len(assign) != len(ts) || len(ts) < 10000 {
		t.Fatalf("%d assignments for %d transfers", len(assign), len(ts))
	}

	var want, got []byte
	if err := g.EachPrepared(func(s, ben int32, p *graph.Payment, id []byte) error {
		want = graph.AppendPrepared(want, s, ben, p)
		want = append(append(want, id...), 0)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	rp := graph.NewRowPreparer(len(ts))
	for i := range ts {
		if err := rp.Prepare(&ts[i], assign[i], func(s, ben int32, p *graph.Payment, id []byte) error {
			got = graph.AppendPrepared(got, s, ben, p)
			got = append(append(got, id...), 0)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got, want) {
		n := min(len(got), len(want))
		k := 0
		for k < n && got[k] == want[k] {
			k++
		}
		t.Fatalf("prepared rows differ from the graph's at byte %d of %d/%d", k, len(got), len(want))
	}
	ws, wc, wp, wct := g.Tables()
	gs, gc, gp, gct := rp.Tables()
	for k, pair := range [][2][]string{{gs, ws}, {gc, wc}, {gp, wp}, {gct, wct}} {
		if !slices.Equal(pair[0], pair[1]) {
			t.Errorf("table %d: %d entries, the graph's %d", k, len(pair[0]), len(pair[1]))
		}
	}
	if len(ws) < 1000 || len(wct) < 10 {
		t.Fatalf("tables too small to compare: %d senders, %d cities", len(ws), len(wct))
	}

	// PreparedOrder gives the same rows by ranges, visited out of order
	// and from several goroutines at once (as a store's keep packs them).
	o := g.PreparedOrder()
	if o.Len() != len(ts) {
		t.Fatalf("PreparedOrder: %d rows for %d transfers", o.Len(), len(ts))
	}
	bounds := []int{0, 1, 777, 4096, len(ts) / 2, len(ts) - 1, len(ts)}
	parts := make([][]byte, len(bounds)-1)
	done := make(chan error, len(parts))
	for k := len(parts) - 1; k >= 0; k-- {
		go func(k int) {
			done <- o.EachIn(bounds[k], bounds[k+1], func(s, ben int32, p *graph.Payment, id []byte) error {
				parts[k] = graph.AppendPrepared(parts[k], s, ben, p)
				parts[k] = append(append(parts[k], id...), 0)
				return nil
			})
		}(k)
	}
	for range parts {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if byRange := bytes.Join(parts, nil); !bytes.Equal(byRange, want) {
		t.Fatalf("PreparedOrder.EachIn's rows differ from EachPrepared's (%d vs %d bytes)", len(byRange), len(want))
	}

	bad := ts[0]
	bad.SenderID = ""
	wantErr := graph.NewBuilder(graph.Options{Resolver: graph.FixedResolution(make([]vigil.Beneficiary, 1))}).AddAssigned(&bad, 0)
	if err := rp.Prepare(&bad, 0, func(int32, int32, *graph.Payment, []byte) error { return nil }); err == nil || wantErr == nil || err.Error() != wantErr.Error() {
		t.Fatalf("a transfer without a sender: %v, the builder: %v", err, wantErr)
	}
}

type readFunc func(t *vigil.Transfer) error

func (f readFunc) Read(t *vigil.Transfer) error { return f(t) }
