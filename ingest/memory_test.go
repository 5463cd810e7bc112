package ingest_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"testing"
	"time"

	"github.com/vigilfiu/vigil/ingest"
	"github.com/vigilfiu/vigil/sqlite"
)

// TestLoadMemoryIsBounded loads 200,000 transfers (21 MB of CSV) and checks
// that the live heap never holds more than a fraction of the input: the
// load streams, so memory does not grow with the file.
func TestLoadMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 200,000 transfers")
	}
	dir := t.TempDir()
	const n, senders = 200_000, 2_000
	pp := filepath.Join(dir, "parties.csv")
	tp := filepath.Join(dir, "transfers.csv")
	writeLines(t, pp, "party_id,full_name,country", senders, func(b []byte, i int) []byte {
		b = append(b, 'P')
		b = strconv.AppendInt(b, int64(i), 10)
		return append(b, ",Sender Name,AU"...)
	})
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.FixedZone("", 10*3600))
	writeLines(t, tp, "transfer_id,timestamp,sender_id,beneficiary_name,beneficiary_phone,beneficiary_country,amount,currency,channel,purpose", n, func(b []byte, i int) []byte {
		b = append(b, 'T')
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ',')
		b = start.Add(time.Duration(i)*time.Minute).AppendFormat(b, time.RFC3339)
		b = append(b, ",P"...)
		b = strconv.AppendInt(b, int64(i*7919%senders), 10)
		b = append(b, ",Maria Cristina Santos,+63917"...)
		b = strconv.AppendInt(b, int64(1000000+i%9000000), 10)
		b = append(b, ",PH,"...)
		b = strconv.AppendInt(b, int64(15+i%185), 10)
		return append(b, ",AUD,remittance,school fees"...)
	})
	st, _ := os.Stat(tp)

	db := open(t, filepath.Join(dir, "vigil.db"))
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var peak uint64
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-tick.C:
			case <-done:
				return
			}
		}
	}()
	rep, err := ingest.Files(context.Background(), db, []string{tp, pp}, ingest.Options{MaxErrors: 0})
	done <- struct{}{}
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if c := rep.Kinds[sqlite.KindTransfers]; c.Inserted != n {
		t.Fatalf("transfers %+v", c)
	}
	t.Logf("input %d bytes, peak live heap %d bytes, %.0f records/s", st.Size(), peak, rep.PerSecond)
	if limit := uint64(st.Size()) / 2; peak > limit {
		t.Fatalf("peak live heap %d bytes exceeds half the input (%d bytes): the load does not stream", peak, st.Size())
	}
}

func writeLines(t *testing.T, path, header string, n int, row func([]byte, int) []byte) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString(header + "\n")
	var b []byte
	for i := range n {
		b = append(row(b[:0], i), '\n')
		w.Write(b)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}
