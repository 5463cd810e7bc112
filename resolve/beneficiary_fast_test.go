package resolve

import (
	"math/rand"
	"strings"
	"testing"
)

// nameVariantRef is NameVariant as it was before the Jaro-Winkler bound
// (jwBelow09) and the early stop on an equal token: the oracle the fast
// one must equal.
func nameVariantRef(a, b []string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) == 0 {
		return false
	}
	var used [16]bool
	if len(b) > len(used) {
		b = b[:len(used)]
	}
	full := 0
	for _, x := range a {
		best, bestScore := -1, 0.0
		for j, y := range b {
			if used[j] {
				continue
			}
			s := 0.0
			switch {
			case x == y:
				s = 1
			case len(x) == 1 && y[0] == x[0], len(y) == 1 && x[0] == y[0]:
				s = 0.5
			default:
				if jw := JaroWinkler(x, y); jw >= 0.9 {
					s = jw
				}
			}
			if s > bestScore {
				best, bestScore = j, s
			}
		}
		if best < 0 {
			return false
		}
		used[best] = true
		if bestScore >= 0.9 {
			full++
		}
	}
	return full >= 1
}

// randToken is a short token over a small alphabet, so that random pairs
// often come near the 0.9 threshold.
func randToken(rng *rand.Rand, alphabet string) string {
	n := 1 + rng.Intn(9)
	if rng.Intn(8) == 0 {
		n = 1
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.Intn(len(alphabet))]
	}
	return string(b)
}

// mutate returns tok with one or two edits, so that close spellings are
// common in the test.
func mutate(rng *rand.Rand, tok, alphabet string) string {
	b := []byte(tok)
	for k := 0; k < 1+rng.Intn(2); k++ {
		switch i := rng.Intn(len(b) + 1); rng.Intn(3) {
		case 0:
			b = append(b[:i:i], append([]byte{alphabet[rng.Intn(len(alphabet))]}, b[i:]...)...)
		case 1:
			if i < len(b) && len(b) > 1 {
				b = append(b[:i:i], b[i+1:]...)
			}
		default:
			if i+1 < len(b) {
				b[i], b[i+1] = b[i+1], b[i]
			}
		}
	}
	return string(b)
}

// The bound never rejects a pair that Jaro-Winkler scores 0.9 or more.
func TestJWBelow09(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	rejected := 0
	for i := 0; i < 300000; i++ {
		alpha := "aeinorsmlt"
		if i%3 == 0 {
			alpha = "abcdefghijklmnopqrstuvwxyz"
		}
		x := randToken(rng, alpha)
		y := x
		if rng.Intn(2) == 0 {
			y = mutate(rng, x, alpha)
		} else {
			y = randToken(rng, alpha)
		}
		if jwBelow09(x, y) {
			rejected++
			if jw := JaroWinkler(x, y); jw >= 0.9 {
				t.Fatalf("jwBelow09(%q, %q) but JaroWinkler = %v", x, y, jw)
			}
		}
	}
	if rejected == 0 {
		t.Fatal("the bound rejected nothing")
	}
	if jwBelow09("maria", "mariia") || !jwBelow09("maria", "santos") || jwBelow09("josé", "jose") {
		t.Fatal("jwBelow09 on known pairs")
	}
}

// NameVariant gives what it gave before the bound, on random token lists
// with many near spellings, initials and repeats.
func TestNameVariantEqualsReference(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	list := func(alpha string, base []string) []string {
		n := rng.Intn(5)
		if rng.Intn(20) == 0 {
			n = 17 + rng.Intn(3) // beyond the 16 compared
		}
		out := make([]string, n)
		for i := range out {
			switch {
			case len(base) > 0 && rng.Intn(2) == 0:
				out[i] = mutate(rng, base[rng.Intn(len(base))], alpha)
			case len(base) > 0 && rng.Intn(4) == 0:
				out[i] = base[rng.Intn(len(base))][:1]
			default:
				out[i] = randToken(rng, alpha)
			}
		}
		return out
	}
	trues := 0
	for i := 0; i < 200000; i++ {
		alpha := "aeinorsmlt"
		if i%4 == 0 {
			alpha = "abcdefghijklmnopqrstuvwxyzé"
		}
		a := list(alpha, nil)
		b := list(alpha, a)
		want := nameVariantRef(a, b)
		if got := NameVariant(a, b); got != want {
			t.Fatalf("NameVariant(%q, %q) = %v, reference %v", a, b, got, want)
		}
		if want {
			trues++
		}
	}
	if trues < 1000 {
		t.Fatalf("only %d variants: the test does not reach the threshold", trues)
	}
}

// FuzzNameVariant: NameVariant equals the reference on any two names
// (tokenised as the resolver does).
func FuzzNameVariant(f *testing.F) {
	f.Add("Maria Cristina Santos", "SANTOS, Ma. Cristina")
	f.Add("Jose Dela Cruz", "Josè dela Kruz")
	f.Add("Ana Reyes", "Anna Reyez")
	f.Fuzz(func(t *testing.T, x, y string) {
		a, b := nameTokensAll(x), nameTokensAll(y)
		if got, want := NameVariant(a, b), nameVariantRef(a, b); got != want {
			t.Fatalf("NameVariant(%q, %q) = %v, reference %v", a, b, got, want)
		}
		// and on raw words, not folded
		a, b = strings.Fields(x), strings.Fields(y)
		if got, want := NameVariant(a, b), nameVariantRef(a, b); got != want {
			t.Fatalf("NameVariant(%q, %q) = %v, reference %v", a, b, got, want)
		}
	})
}
