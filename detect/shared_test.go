package detect

import (
	"bytes"
	"context"
	"testing"

	"github.com/vigilfiu/vigil"
	vcsv "github.com/vigilfiu/vigil/csv"
)

// Feed from the CSV reader takes its shared-row path: the strings of each
// batch are views of the batch's rows, overwritten when the batch is
// recycled. A world of more batches than Feed keeps in flight must give
// the same alerts as observing copies of the transfers one by one: if the
// engine or the resolver kept a view (an id, a name, a purpose, a memo
// key), later batches would overwrite it and the results would differ.
func TestFeedSharedRows(t *testing.T) {
	w := newDevWorld(10000, 11)
	if len(w.trs) < 20*batchSize {
		t.Fatalf("the world has %d transfers: too few to recycle the batches", len(w.trs))
	}
	var csvBuf bytes.Buffer
	tw := vcsv.NewTransferWriter(&csvBuf)
	for _, tr := range w.trs {
		if err := tw.Write(tr); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	rd, err := vcsv.NewTransferReader(bytes.NewReader(csvBuf.Bytes()), "transfers.csv", vcsv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := any(rd).(sharedReader); !ok {
		t.Fatal("the CSV reader does not offer shared rows")
	}
	// The one-by-one engine observes what the CSV file reads back as.
	back, err := vcsv.NewTransferReader(bytes.NewReader(csvBuf.Bytes()), "transfers.csv", vcsv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pack, _ := DefaultPack()
	one, _ := NewEngine(pack, Options{})
	fed, _ := NewEngine(pack, Options{})
	for _, p := range w.parties[:len(w.parties)/2] { // the others are numbered by the feed
		one.AddParty(p)
		fed.AddParty(p)
	}
	for {
		var tr vigil.Transfer
		if err := back.Read(&tr); err != nil {
			break
		}
		one.Observe(&tr)
	}
	st, err := fed.Feed(context.Background(), rd, func(err error) error { return err }, nil)
	if err != nil || st.Transfers != int64(len(w.trs)) || one.Observed() != st.Transfers {
		t.Fatalf("fed %d, observed %d of %d transfers: %v", st.Transfers, one.Observed(), len(w.trs), err)
	}
	want, got := one.ScoreAll(), fed.ScoreAll()
	if len(got) != len(want) {
		t.Fatalf("%d senders scored, want %d", len(got), len(want))
	}
	for i := range want {
		if i < 500 {
			one.Explain(want[i])
			fed.Explain(got[i])
		}
		sameAlert(t, got[i], want[i])
	}
}
