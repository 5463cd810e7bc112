package csv

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/internal/sample"
)

// sampleTransfers makes n realistic transfers: a few thousand senders,
// name and phone variants, mostly small amounts, several currencies and
// offsets, a share of quoted cells.
func sampleTransfers(n int) []vigil.Transfer {
	out := make([]vigil.Transfer, 0, n)
	sample.Transfers(n, func(t *vigil.Transfer) error {
		out = append(out, *t)
		return nil
	})
	return out
}

func sampleTransfersCSV(tb testing.TB, n int) []byte {
	var buf bytes.Buffer
	w := NewTransferWriter(&buf)
	for i, t := range sampleTransfers(n) {
		if err := w.Write(&t); err != nil {
			tb.Fatal(i, err)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkTransferReader(b *testing.B) {
	const rows = 200_000
	data := sampleTransfersCSV(b, rows)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	total := 0
	var cpu time.Duration
	for b.Loop() {
		c0 := cpuTime()
		r, err := NewTransferReader(bytes.NewReader(data), "transfers.csv", Options{})
		if err != nil {
			b.Fatal(err)
		}
		var t vigil.Transfer
		n := 0
		for {
			err := r.Read(&t)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != rows {
			b.Fatalf("read %d rows, want %d", n, rows)
		}
		total += n
		cpu += cpuTime() - c0
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "rows/s")
	if cpu > 0 {
		// CPU time of the whole process (GC included) per row: the rate
		// one dedicated core would reach.
		b.ReportMetric(float64(total)/cpu.Seconds(), "rows/cpu-s")
	}
}

func BenchmarkTransferWriter(b *testing.B) {
	ts := sampleTransfers(100_000)
	b.ReportAllocs()
	total := 0
	for b.Loop() {
		w := NewTransferWriter(io.Discard)
		for i := range ts {
			if err := w.Write(&ts[i]); err != nil {
				b.Fatal(err)
			}
		}
		w.Flush()
		total += len(ts)
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkTransferReadShared is BenchmarkTransferReader through
// ReadShared, with the buffer emptied every 1024 rows as vigil scan's
// batches are.
func BenchmarkTransferReadShared(b *testing.B) {
	const rows = 200_000
	data := sampleTransfersCSV(b, rows)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	total := 0
	buf := make([]byte, 0, 256<<10)
	var cpu time.Duration
	for b.Loop() {
		c0 := cpuTime()
		r, err := NewTransferReader(bytes.NewReader(data), "transfers.csv", Options{})
		if err != nil {
			b.Fatal(err)
		}
		var t vigil.Transfer
		n := 0
		for {
			if n%1024 == 0 {
				buf = buf[:0]
			}
			err := r.ReadShared(&t, &buf)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != rows {
			b.Fatalf("read %d rows, want %d", n, rows)
		}
		total += n
		cpu += cpuTime() - c0
	}
	// CPU time of the whole process per row: what one dedicated core
	// takes, the figure to read on a shared machine.
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(total), "cpu-ns/row")
}
