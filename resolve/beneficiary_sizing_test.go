package resolve_test

import (
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/vigilfiu/vigil/resolve"
)

// TestResolverTableUse prints the tables' use after the world's stream
// (VIGIL_RESOLVER_TABLES=1), the figures behind Expect's ratios.
func TestResolverTableUse(t *testing.T) {
	if os.Getenv("VIGIL_RESOLVER_TABLES") == "" {
		t.Skip("set VIGIL_RESOLVER_TABLES=1")
	}
	recs := benWorld(t)
	r := resolve.NewBeneficiaryResolver()
	benObserveBatches(r, recs)
	t.Logf("transfers %d nodes %d links %d use %v", len(recs), r.Nodes(), len(r.Links()), r.TableUse())
	t.Logf("%v", r.MemoryBreakdown())
}

// benRusage returns the process's user+system CPU time and its minor
// page faults so far.
func benRusage() (time.Duration, int64) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), ru.Minflt
}

// BenchmarkObserveBatch runs ObserveBatch (2 workers, batches of 4,096)
// over the world's recipients (VIGIL_RESOLVER_WORLD, or a 20k world):
// "grown" starts from an empty resolver as before, "expect" tells it
// the number of transfers first (Expect). Per transfer: wall, CPU
// (user+system) and minor page faults (fresh memory).
//
//	go test -bench 'ObserveBatch' -run '^$' -count 6 ./resolve
func BenchmarkObserveBatch(b *testing.B) {
	recs := benWorld(b)
	for _, c := range []struct {
		name   string
		expect int
	}{{"grown", 0}, {"expect", len(recs)}} {
		b.Run(c.name, func(b *testing.B) {
			var wall, cpu time.Duration
			var faults int64
			for i := 0; i < b.N; i++ {
				runtime.GC()
				t0 := time.Now()
				c0, f0 := benRusage()
				r := resolve.NewBeneficiaryResolver()
				r.Expect(c.expect)
				benObserveBatches(r, recs)
				c1, f1 := benRusage()
				wall += time.Since(t0)
				cpu += c1 - c0
				faults += f1 - f0
				runtime.KeepAlive(r)
			}
			per := float64(b.N) * float64(len(recs))
			b.ReportMetric(float64(wall.Nanoseconds())/per, "ns/transfer")
			b.ReportMetric(float64(cpu.Nanoseconds())/per, "cpu-ns/transfer")
			b.ReportMetric(float64(faults)/float64(b.N), "faults/op")
		})
	}
}
