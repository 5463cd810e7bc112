package graph_test

import (
	"fmt"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// BenchmarkPreparedOrderEachIn visits every row of a built graph in
// input order, as a store's keep packs them (sqlite's packGraphRowsLanes):
// the payments lie by edge, so each row is a load from a random place in
// an array larger than the CPU's caches at these sizes.
func BenchmarkPreparedOrderEachIn(b *testing.B) {
	for _, n := range []int{2_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			gb := graph.NewBuilder(graph.Options{})
			feed(n, func(t *vigil.Transfer) { _ = gb.Add(t) })
			g := gb.Build()
			o := g.PreparedOrder()
			var sum int64
			b.ResetTimer()
			for b.Loop() {
				if err := o.EachIn(0, o.Len(), func(s, ben int32, p *graph.Payment, id []byte) error {
					sum += int64(s) + int64(ben) + p.At + int64(len(id))
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(o.Len()), "ns/row")
			_ = sum
		})
	}
}
