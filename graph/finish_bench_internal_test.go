package graph

import (
	"bufio"
	"context"
	"os"
	"testing"

	"github.com/vigilfiu/vigil/csv"
)

// BenchmarkFinishEdges times the tie classification and weighing of every
// edge of the w100 world's graph (1.24M transfers; /tmp/ds/w100, made by
// vigil synth), on one goroutine: each edge reads its beneficiary's tokens
// at random.
func BenchmarkFinishEdges(b *testing.B) {
	dir := "/tmp/ds/w100"
	f, err := os.Open(dir + "/transfers.csv")
	if err != nil {
		b.Skip("no world at /tmp/ds/w100 (vigil synth --out /tmp/ds/w100 --customers 100000):", err)
	}
	defer f.Close()
	ps, _, err := csv.ReadPartiesFile(dir+"/parties.csv", csv.Options{})
	if err != nil {
		b.Fatal(err)
	}
	bl := NewBuilder(Options{NoSeedIndex: true})
	bl.AddPartyNames(NewPartyNames(ps))
	r, err := csv.NewTransferReader(bufio.NewReaderSize(f, 1<<20), "transfers.csv", csv.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := bl.Feed(context.Background(), r, func(err error) error { return err }); err != nil {
		b.Fatal(err)
	}
	g := bl.Build()
	b.Run("blocks", func(b *testing.B) { // as Build does
		for b.Loop() {
			g.finishEdges(0, len(g.Edges))
		}
	})
	b.Run("each", func(b *testing.B) { // one edge after the other
		for b.Loop() {
			for i := range g.Edges {
				g.finishEdge(&g.Edges[i])
			}
		}
	})
}
