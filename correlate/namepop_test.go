package correlate

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/vigilfiu/vigil"
)

// popParties are n persons whose names repeat as in vigil synth's worlds
// (100 given names, 100 surnames, a middle name for one in three: about
// 65,000 distinct names among 400,000 parties), or all differ (distinct).
func popParties(n int, distinct bool) []vigil.Party {
	rng := rand.New(rand.NewPCG(3, 5))
	ps := make([]vigil.Party, n)
	for i := range ps {
		name := fmt.Sprintf("Given%02d Surname%02d", rng.IntN(100), rng.IntN(100))
		if rng.IntN(3) == 0 {
			name = fmt.Sprintf("Given%02d Middle%d Surname%02d", rng.IntN(100), rng.IntN(7), rng.IntN(100))
		}
		if distinct {
			name = fmt.Sprintf("%s Extra%d", name, i)
		}
		ps[i] = vigil.Party{ID: fmt.Sprint("P", i), Kind: vigil.PartyPerson, FullName: name}
	}
	return ps
}

// TestNamePopCountsEveryParty: a name carried by several parties counts
// once per party, and the counts do not depend on how the parties are
// split between the cores.
func TestNamePopCountsEveryParty(t *testing.T) {
	ps := []vigil.Party{{FullName: "Ana Cruz"}, {FullName: "Ana Cruz"}, {FullName: "Ana Maria Cruz"}, {FullName: "Ben Cruz"}, {FullName: ""}}
	np := newNamePop(ps)
	if np.n != 4 || np.tokens["ana"] != 3 || np.tokens["cruz"] != 4 || np.tokens["maria"] != 1 || np.tokens["ben"] != 1 {
		t.Fatalf("n %v, tokens %v", np.n, np.tokens)
	}
	if np.givenIni['a'-'a'] != 3 || np.surIni['c'-'a'] != 4 {
		t.Fatalf("initials: given a %d, surname c %d", np.givenIni[0], np.surIni['c'-'a'])
	}
	big := popParties(1<<15, false) // split between the cores
	one, split := countNames(big), newNamePop(big)
	if one.n != split.n || len(one.tokens) != len(split.tokens) || one.givenIni != split.givenIni || one.surIni != split.surIni {
		t.Fatalf("one core: n %v, %d tokens; split: n %v, %d tokens", one.n, len(one.tokens), split.n, len(split.tokens))
	}
	for tok, c := range one.tokens {
		if split.tokens[tok] != c {
			t.Fatalf("token %q: %d on one core, %d split", tok, c, split.tokens[tok])
		}
	}
}

func BenchmarkNamePop(b *testing.B) {
	for _, distinct := range []bool{false, true} {
		ps := popParties(400_000, distinct)
		b.Run(fmt.Sprintf("distinct=%v", distinct), func(b *testing.B) {
			for b.Loop() {
				newNamePop(ps)
			}
		})
	}
}
