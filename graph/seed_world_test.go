package graph

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigilfiu/vigil/csv"
)

// BenchmarkSeedsIndexWorld measures the seeds' index on the recipients of
// a vigil synth world (VIGIL_BENCH_WORLD, e.g. /tmp/ds/w100): their
// strings lie where the build left them, scattered, unlike a generated
// benchmark's few hot words.
func BenchmarkSeedsIndexWorld(b *testing.B) {
	dir := os.Getenv("VIGIL_BENCH_WORLD")
	if dir == "" {
		b.Skip("set VIGIL_BENCH_WORLD to a vigil synth world directory")
	}
	seeds, _, err := csv.ReadLeadsFile(filepath.Join(dir, "seeds.csv"), csv.Options{})
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "transfers.csv"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r, err := csv.NewTransferReader(bufio.NewReaderSize(f, 1<<20), "transfers.csv", csv.Options{})
	if err != nil {
		b.Fatal(err)
	}
	bl := NewBuilder(Options{NoSeedIndex: true})
	if _, err := bl.Feed(context.Background(), r, func(err error) error { return err }); err != nil {
		b.Fatal(err)
	}
	g := bl.Build()
	b.Logf("%d recipients, %d seeds", len(g.Beneficiaries), len(seeds))
	b.Run("indexFor", func(b *testing.B) {
		for b.Loop() {
			g.indexFor(seeds)
		}
	})
}
