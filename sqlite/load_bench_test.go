package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

// BenchmarkLoadTransfers measures the store side of an ingest: b.N
// transfers from 1,000 senders added to a fresh store in one load.
func BenchmarkLoadTransfers(b *testing.B) {
	for _, drv := range drivers() {
		b.Run(drv, func(b *testing.B) {
			db, err := sqlite.OpenDriver(filepath.Join(b.TempDir(), "v.db"), drv)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			const parties = 1000
			l, _ := db.BeginLoad(context.Background())
			for i := range parties {
				l.AddParty(party(i))
			}
			pids := make([]string, parties)
			for i := range pids {
				pids[i] = party(i).ID
			}
			ids := make([]string, b.N)
			for i := range ids {
				ids[i] = fmt.Sprintf("T%09d", i)
			}
			tr := transfer(0, parties)
			b.ReportAllocs()
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := range b.N {
				tr.ID = ids[i]
				tr.SenderID = pids[i%parties]
				tr.Amount = vigil.NewAmount(int64(15+i%180), 0)
				if err := l.AddTransfer(tr); err != nil {
					b.Fatal(err)
				}
			}
			if err := l.Commit(nil); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "transfers/s")
			// CPU time of the process (SQLite's sorter thread included)
			// depends much less than wall time on a shared machine.
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
