package synth

import (
	"testing"
)

// BenchmarkGenerate20k generates the reference world: 20,000
// customers (≈ 250,000 transfers), every file written.
func BenchmarkGenerate20k(b *testing.B) {
	b.ReportAllocs()
	var transfers int
	for b.Loop() {
		s, err := Generate(Config{Customers: 20000, Seed: 1}, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		transfers = s.Transfers
	}
	b.ReportMetric(float64(transfers), "transfers")
}
