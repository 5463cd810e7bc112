package graph

import (
	"math/rand/v2"
	"testing"

	"github.com/vigilfiu/vigil/resolve"
)

// TestMayReachJWIsABound checks that the cheap bound never rules out a
// pair whose Jaro-Winkler similarity reaches the floor, on random
// near-spellings and on names from the synthetic worlds.
func TestMayReachJWIsABound(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const letters = "aaeeiioouusnrtlcmdbgpyz"
	word := func() string {
		b := make([]byte, 3+rng.IntN(8))
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		return string(b)
	}
	mutate := func(s string) string {
		b := []byte(s)
		switch rng.IntN(4) {
		case 0:
			b[rng.IntN(len(b))] = letters[rng.IntN(len(letters))]
		case 1:
			i := rng.IntN(len(b))
			b = append(b[:i:i], b[i+1:]...)
		case 2:
			i := rng.IntN(len(b))
			b = append(b[:i], append([]byte{letters[rng.IntN(len(letters))]}, b[i:]...)...)
		default:
			if len(b) > 1 {
				i := rng.IntN(len(b) - 1)
				b[i], b[i+1] = b[i+1], b[i]
			}
		}
		return string(b)
	}
	reached, pruned := 0, 0
	check := func(a, b string) {
		for _, floor := range []float64{0.85, 0.9, 0.93} {
			jw := resolve.JaroWinkler(a, b)
			ok := mayReachJW(a, b, floor)
			if jw >= floor {
				reached++
				if !ok {
					t.Fatalf("mayReachJW(%q, %q, %v) = false, JaroWinkler %v", a, b, floor, jw)
				}
			} else if !ok {
				pruned++
			}
		}
	}
	for range 200_000 {
		a := word()
		b := a
		for range rng.IntN(3) {
			b = mutate(b)
		}
		check(a, b)
		check(a, word())
	}
	names := []string{"santos", "santoss", "dela", "cruz", "delacruz", "reyes", "reyyes", "magbanua", "mabanua", "rosario", "rosaio", "ño", "pena", "peña"}
	for _, a := range names {
		for _, b := range names {
			check(a, b)
		}
	}
	if reached == 0 || pruned == 0 {
		t.Fatalf("degenerate test: %d pairs reached the floor, %d pruned", reached, pruned)
	}
}
