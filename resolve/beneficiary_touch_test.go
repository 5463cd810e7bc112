package resolve

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkRecTableProbe probes a record table the size of a 5M world's
// (1.7 million records, 2.4 million slots: ~48 MB, past the caches) with
// batches of 4,096 hashes, two thirds known and one third absent, as
// ObserveBatch's workers do: each probe alone, and with the home slots
// touched ahead (beneficiary_touch.go). cpu-ns/probe is CPU time.
//
//	go test -run '^$' -bench RecTableProbe -count 6 ./resolve
func BenchmarkRecTableProbe(b *testing.B) {
	const records, batch = 1_700_000, 4096
	var t recTable
	t.init(1024)
	rng := rand.New(rand.NewPCG(1, 2))
	known := make([][2]uint64, records)
	for i := range known {
		h1, h2 := rng.Uint64(), rng.Uint64()
		known[i] = [2]uint64{h1, h2}
		if t.full() {
			t.grow()
		}
		j, _ := t.find(h1, h2)
		t.slots[j] = newSlot(h1, h2, int32(i))
		t.used++
	}
	h1, h2 := make([]uint64, batch), make([]uint64, batch)
	fill := func() {
		for i := range h1 {
			if rng.IntN(3) == 0 {
				h1[i], h2[i] = rng.Uint64(), rng.Uint64()
			} else {
				k := known[rng.IntN(records)]
				h1[i], h2[i] = k[0], k[1]
			}
		}
	}
	for _, ahead := range []bool{false, true} {
		name := "alone"
		if ahead {
			name = "touched"
		}
		b.Run(name, func(b *testing.B) {
			var found int
			var touched uint32
			var cpu int64
			for n := 0; n < b.N; n++ {
				b.StopTimer()
				fill()
				c0 := cpuTime()
				b.StartTimer()
				for c := 0; c < batch; c += touchChunk {
					e := min(c+touchChunk, batch)
					if ahead {
						touched += t.touch(h1[c:e])
					}
					for i := c; i < e; i++ {
						if _, ok := t.find(h1[i], h2[i]); ok {
							found++
						}
					}
				}
				b.StopTimer()
				cpu += int64(cpuTime() - c0)
				b.StartTimer()
			}
			b.ReportMetric(float64(cpu)/float64(b.N)/batch, "cpu-ns/probe")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/batch, "ns/probe")
			if found == 0 && touched == 1 {
				b.Log("unreachable")
			}
		})
	}
}
