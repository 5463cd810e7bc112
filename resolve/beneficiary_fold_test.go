package resolve

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// FuzzNameKeyTokens: the fast tokens of a raw name are nameKeyTokens'
// for any input (the fast path, or the general one it falls back to).
func FuzzNameKeyTokens(f *testing.F) {
	for _, s := range []string{"Maria Cristina Santos", "Ma. Cristina DELA CRUZ", "O'Brien, John Jr.", "Mr Jose  de los Santos", "Ñiño", "", "   ", "'", "a b c", "Sto. Nino", "ma teresa santos", "MOHD ALI", "x\ty\nz", "J.P. Rizal,,", "dr", "Dr House"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got, want := nameKeyTokensFast(name), nameKeyTokens(name)
		if !slices.Equal(got, want) {
			t.Fatalf("%q: fast %q, nameKeyTokens %q", name, got, want)
		}
	})
}

// TestNameKeyTokensFast compares the two on 100,000 names built from
// words that exercise every branch: abbreviations and honorifics (with
// dots, commas, any case), particles, apostrophes, digits, punctuation,
// long names and non-ASCII letters.
func TestNameKeyTokensFast(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	words := []string{"Maria", "MA.", "Ma", "ma.,", "Mr", "MRS.", "Dr.", "Me", "Sto.", "St", "Mohd", "Jr.", "dela", "De", "LOS", "y", "O'Brien", "d`Arc", "Cruz,", "Santos", "J.", "A", "1st", "Ñino", "Zoë", "a-b", "x/y", "(Ana)", "'", ",", "Fco.", "Wm.", "abcdefgh", "Me.", "mx"}
	seps := []string{" ", "  ", "\t", ", ", "-", "\n", ""}
	fast := 0
	for i := 0; i < 100000; i++ {
		var b strings.Builder
		for k := rng.IntN(7); k >= 0; k-- {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteString(seps[rng.IntN(len(seps))])
		}
		if rng.IntN(50) == 0 {
			b.WriteString(strings.Repeat("Santos ", 20+rng.IntN(5)))
		}
		name := b.String()
		if len(name) <= 128 && plainASCIIName(name) {
			fast++
		}
		if got, want := nameKeyTokensFast(name), nameKeyTokens(name); !slices.Equal(got, want) {
			t.Fatalf("%q: fast %q, nameKeyTokens %q", name, got, want)
		}
	}
	if fast < 3000 {
		t.Fatalf("only %d names took the fast path", fast)
	}
}
