package graph

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/synth"
)

// TestSeedsIndexParallelIsSeedsIndex holds SeedsIndexParallel (indexFor
// over two halves, merged) to the index indexFor makes (every key, every
// list in order), on a generated world large enough to be cut in halves, and on hand-made recipients whose
// phones, accounts and words repeat, differ only in case or separators,
// or are not valid UTF-8.
func TestSeedsIndexParallelIsSeedsIndex(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(synth.Config{Customers: 6000, Seed: 3, Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Months: 12}, dir); err != nil {
		t.Fatal(err)
	}
	seeds, _, err := csv.ReadLeadsFile(filepath.Join(dir, "seeds.csv"), csv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "transfers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := csv.NewTransferReader(bufio.NewReader(f), "transfers.csv", csv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := NewBuilder(Options{NoSeedIndex: true})
	if _, err := b.Feed(context.Background(), r, func(err error) error { return err }); err != nil {
		t.Fatal(err)
	}
	g := b.Build()
	if len(g.Beneficiaries) < 1<<14 {
		// Enough recipients to be indexed in two halves.
		for i := len(g.Beneficiaries); i < 1<<15; i++ {
			g.Beneficiaries = append(g.Beneficiaries, g.Beneficiaries[i%len(g.Beneficiaries)])
		}
	}
	hand := []Beneficiary{
		{Beneficiary: vigil.Beneficiary{Phones: []string{"+639171234567", "+639171234567"}, Accounts: []string{"ph-12 34/56", "PH123456", "ph\xff12"}}, utokens: []string{"santos", "maria", "ma"}},
		{Beneficiary: vigil.Beneficiary{Accounts: []string{"é-77", "--"}}, utokens: []string{"santo", "santos"}},
		{Beneficiary: vigil.Beneficiary{Phones: []string{"+639171234568"}}, utokens: []string{"cruz"}},
	}
	for i := range 50 {
		g.Beneficiaries = append(g.Beneficiaries, hand[i%len(hand)])
	}
	seeds = append(seeds,
		vigil.Lead{ID: "H1", FullName: "SANTOS, Maria", Phone: "09171234567", Country: "PH", Account: "PH 12-34-56"},
		vigil.Lead{ID: "H2", FullName: "Cruz", Account: "É77"},
		vigil.Lead{ID: "H3", FullName: "X", Account: "/ -"},
		vigil.Lead{ID: "H4", FullName: "Ana Santo", Account: "PH\xff12"},
	)
	for _, ss := range [][]vigil.Lead{seeds, seeds[:1], seeds[len(seeds)-4:], nil} {
		want := g.indexFor(ss)
		got := g.SeedsIndexParallel(ss).ix
		for _, m := range []struct {
			what      string
			got, want map[string][]int32
		}{{"phone", got.phone, want.phone}, {"account", got.account, want.account}, {"token", got.token, want.token}} {
			if !reflect.DeepEqual(m.got, m.want) {
				t.Errorf("%d seeds, %s keys: %s, want %s", len(ss), m.what, summary(m.got), summary(m.want))
			}
		}
	}
	if ix := g.SeedsIndexParallel(seeds[len(seeds)-4:]).ix; len(ix.account["PH123456"]) != 34 || len(ix.phone["+639171234567"]) != 34 {
		// 17 recipients carry two forms of the account and the phone twice.
		t.Errorf("hand-made recipients: account PH123456 listed %d times, phone +639171234567 %d times; want 34 and 34",
			len(ix.account["PH123456"]), len(ix.phone["+639171234567"]))
	}
}

func summary(m map[string][]int32) string {
	n := 0
	for _, l := range m {
		n += len(l)
	}
	return fmt.Sprintf("%d keys, %d entries", len(m), n)
}

// BenchmarkSeedsIndex compares indexFor (one pass on one core) with
// SeedsIndexParallel (two halves, one per core) over 1,000,000 recipients whose phones, accounts and
// words were allocated one by one, in random order (as a resolver's
// clusters leave them on the heap), for 90 seeds.
func BenchmarkSeedsIndex(b *testing.B) {
	const n = 1_000_000
	rng := rand.New(rand.NewPCG(1, 2))
	words := make([]string, 5000)
	for i := range words {
		words[i] = fmt.Sprintf("w%dx%d", i, rng.IntN(1000))
	}
	g := &Graph{Beneficiaries: make([]Beneficiary, n)}
	for _, i := range rng.Perm(n) {
		be := &g.Beneficiaries[i]
		be.Phones = []string{fmt.Sprintf("+63917%07d", rng.IntN(1e7))}
		if i%3 == 0 {
			be.Accounts = []string{fmt.Sprintf("%012d", rng.Int64N(1e12))}
		}
		be.utokens = []string{words[rng.IntN(len(words))], words[rng.IntN(len(words))], words[rng.IntN(len(words))]}
	}
	var seeds []vigil.Lead
	for i := range 90 {
		seeds = append(seeds, vigil.Lead{FullName: words[i*7] + " " + words[i*11], Phone: fmt.Sprintf("+63917%07d", i), Country: "PH", Account: fmt.Sprintf("%012d", i)})
	}
	b.Run("indexFor", func(b *testing.B) {
		for b.Loop() {
			g.indexFor(seeds)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		for b.Loop() {
			g.SeedsIndexParallel(seeds)
		}
	})
}
