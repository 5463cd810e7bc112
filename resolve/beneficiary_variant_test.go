package resolve

import (
	"math/rand"
	"testing"
)

// variantNames are names of the kinds vigil compares: a sender's and a
// recipient's (most pairs unrelated), spellings of one person.
var variantNames = []string{
	"Maria Cristina Santos", "Ma. Cristina Santos", "Jose Dela Cruz", "Juan Reyes", "Ana Garcia",
	"Mark Anthony Bautista", "Rosalie Mendoza", "Jennifer Villanueva", "Michael Ramos", "Angelica Torres",
	"Hans Mueller", "Peter Schmidt", "Anna Schneider", "Thomas Fischer", "Sabine Weber",
	"John Smith", "Robert Johnson", "Mary Williams", "James Brown", "Patricia Jones",
	"Joy Flores", "Rey Aquino", "Lorna Castillo", "Editha Navarro", "Rogelio Domingo",
	"Marites Santiago", "Cristina Santos", "Maria Santos", "Marie Santos", "Kristina Santos",
	"Dela Cruz Jose", "Juanito Reyes", "Ana Marie Garcia", "Analyn Garcia", "Marc Bautista",
}

// BenchmarkNameVariant compares random pairs of the names' token lists,
// as detect's family-tie check and the resolver's name checks do. (The
// counting bound's figure: copy this benchmark into a checkout of
// d6971fa, whose NameVariant still counts.)
//
//	go test -run '^$' -bench NameVariant -benchmem -count 6 ./resolve
func BenchmarkNameVariant(b *testing.B) {
	toks := make([][]string, len(variantNames))
	for i, n := range variantNames {
		toks[i] = nameTokensAll(n)
	}
	rng := rand.New(rand.NewSource(1))
	pairs := make([][2]int, 4096)
	for i := range pairs {
		pairs[i] = [2]int{rng.Intn(len(toks)), rng.Intn(len(toks))}
	}
	yes := 0
	for i := 0; i < b.N; i++ {
		p := pairs[i%len(pairs)]
		if NameVariant(toks[p[0]], toks[p[1]]) {
			yes++
		}
	}
	if yes == 0 && b.N >= len(pairs) {
		b.Fatal("no pair is a variant")
	}
}

// jwBelow09Counted is jwBelow09 before its table-free bound (d6971fa):
// the oracle of TestJWBelow09Counted and the "before" of
// BenchmarkJWBelow09.
func jwBelow09Counted(x, y string) bool {
	if len(x) > 64 || len(y) > 64 {
		return false
	}
	var cnt [128]int8
	for i := 0; i < len(x); i++ {
		c := x[i]
		if c >= 128 {
			return false
		}
		cnt[c]++
	}
	common := 0
	for i := 0; i < len(y); i++ {
		c := y[i]
		if c >= 128 {
			return false
		}
		if cnt[c] > 0 {
			cnt[c]--
			common++
		}
	}
	return 2*common*(len(x)+len(y)) < 3*len(x)*len(y)
}

// BenchmarkJWBelow09 bounds the token pairs of random pairs of names.
func BenchmarkJWBelow09(b *testing.B) {
	var toks []string
	for _, n := range variantNames {
		toks = append(toks, nameTokensAll(n)...)
	}
	rng := rand.New(rand.NewSource(1))
	pairs := make([][2]string, 4096)
	for i := range pairs {
		pairs[i] = [2]string{toks[rng.Intn(len(toks))], toks[rng.Intn(len(toks))]}
	}
	for _, f := range []struct {
		name string
		f    func(x, y string) bool
	}{{"counted", jwBelow09Counted}, {"bounded", jwBelow09}} {
		b.Run(f.name, func(b *testing.B) {
			yes := 0
			for i := 0; i < b.N; i++ {
				p := &pairs[i%len(pairs)]
				if f.f(p[0], p[1]) {
					yes++
				}
			}
			if yes == 0 && b.N >= len(pairs) {
				b.Fatal("no pair bounded")
			}
		})
	}
}

// TestJWBelow09Counted: the bounded jwBelow09 answers as the counting
// one on random tokens (near pairs and far ones, non-ASCII and long).
func TestJWBelow09Counted(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for i := 0; i < 300000; i++ {
		alpha := "aeinorsmlt"
		switch i % 4 {
		case 0:
			alpha = "abcdefghijklmnopqrstuvwxyz"
		case 1:
			alpha = "ab0AZ@`\\x7fé" // values equal modulo 64, and a non-ASCII one
		}
		x := randToken(rng, alpha)
		y := mutate(rng, x, alpha)
		if rng.Intn(2) == 0 {
			y = randToken(rng, alpha)
		}
		if rng.Intn(50) == 0 {
			x = x + string(make([]byte, 60)) // past 64 bytes
		}
		if got, want := jwBelow09(x, y), jwBelow09Counted(x, y); got != want {
			t.Fatalf("jwBelow09(%q, %q) = %v, counted %v", x, y, got, want)
		}
	}
}

func FuzzJWBelow09(f *testing.F) {
	f.Add("maria", "mariia")
	f.Add("maria", "santos")
	f.Add("josé", "jose")
	f.Add("a`", "@A")
	f.Fuzz(func(t *testing.T, x, y string) {
		if got, want := jwBelow09(x, y), jwBelow09Counted(x, y); got != want {
			t.Fatalf("jwBelow09(%q, %q) = %v, counted %v", x, y, got, want)
		}
		if jwBelow09(x, y) && JaroWinkler(x, y) >= 0.9 {
			t.Fatalf("jwBelow09(%q, %q) but JaroWinkler = %v", x, y, JaroWinkler(x, y))
		}
	})
}
