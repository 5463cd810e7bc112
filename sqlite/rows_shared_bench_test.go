package sqlite

import (
	"context"
	"testing"

	"github.com/vigilfiu/vigil"
)

// BenchmarkBatchTransfersReadShared hands the transfers of one batch of
// the C read (RowsOptions.SharedText) to a feed's buffer, as LoadGraph's
// feed takes every stored transfer (batchTransfers.ReadShared).
func BenchmarkBatchTransfersReadShared(b *testing.B) {
	if !mattnAvailable {
		b.Skip("the shared texts come from the C read (cgo)")
	}
	t := &testing.T{}
	db := rowsStore(t, DriverMattn, rowChunk)
	defer db.Close()
	rr, err := db.ReadTransferRows(context.Background(), RowsOptions{Recipient: true, SharedText: true, Readers: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer rr.Close()
	bt, ok, err := rr.Next()
	if err != nil || !ok || len(bt.spans) != len(bt.Transfers) {
		b.Fatalf("no batch of shared texts (%v, %v)", ok, err)
	}
	src := &batchTransfers{rr: rr, bt: bt, shared: true, rowids: make([]int64, 0, len(bt.Transfers))}
	buf := make([]byte, 0, 1<<20)
	var tr vigil.Transfer
	b.ResetTimer()
	for b.Loop() {
		src.i, src.rowids, buf = 0, src.rowids[:0], buf[:0]
		for range bt.Transfers {
			if err := src.ReadShared(&tr, &buf); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(bt.Transfers)), "ns/transfer")
}
