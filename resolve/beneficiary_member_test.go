package resolve

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// distinctNamedOf is the check's name list as it was computed before
// memberSet kept it: the distinct name ids with tokens of the members.
func (r *BeneficiaryResolver) distinctNamedOf(ms []member) []int32 {
	var out []int32
	for _, m := range ms {
		id := r.nameOf[m.node()]
		if len(r.nameToks.get(id)) > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// TestMemberNames streams records that share a few phones, accounts and
// name variants (clusters grow past maxMembers and large clusters merge)
// and checks, after every transfer, that each merged root's name ids are
// exactly the distinct named ids of its members, as namesCompatible used
// to collect them.
func TestMemberNames(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 29))
	given := []string{"Maria", "Ma.", "Jose", "Ana", "Liza", "", "de la"}
	family := []string{"Santos", "Reyes", "Cruz", "Garcia", ""}
	r := NewBeneficiaryResolver()
	full, partial := 0, 0
	for i := 0; i < 20000; i++ {
		name := given[rng.IntN(len(given))] + " " + family[rng.IntN(len(family))]
		if rng.IntN(3) == 0 {
			name += fmt.Sprintf(" %c", 'A'+rng.IntN(26))
		}
		phone, acct := "", ""
		if rng.IntN(2) == 0 {
			phone = fmt.Sprintf("0917%07d", rng.IntN(40))
		}
		if rng.IntN(3) == 0 {
			acct = fmt.Sprintf("gcash-%d", rng.IntN(30))
		}
		r.Observe(benTransfer(fmt.Sprint(i), name, phone, acct, []string{"Manila", "Cebu", ""}[rng.IntN(3)], "PH"))
		if i%97 != 0 {
			continue
		}
		for root := range r.setOf {
			if r.flag[root]&flagMerged == 0 {
				continue
			}
			s := r.setOfRoot(int32(root))
			want := r.distinctNamedOf(s.ms)
			got := slices.Clone(s.names)
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("after transfer %d: root %d has names %v, its %d members %v", i, root, got, len(s.ms), want)
			}
			if len(s.ms) == maxMembers {
				full++
			} else {
				partial++
			}
		}
	}
	if full == 0 || partial == 0 {
		t.Fatalf("the stream never filled a members list (%d full, %d not): the test exercises nothing", full, partial)
	}
}

// TestNameVariantSelf pins what namesCompatible's shortcut for a name id
// both clusters hold relies on: a list of 1 to nameVariantMax tokens is a
// variant of itself (repeated tokens, initials and near spellings
// included), and a longer one may not be.
func TestNameVariantSelf(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 11))
	pool := []string{"a", "b", "ma", "maria", "marie", "mario", "santos", "santo", "reyes", "j", "jose", "joseph", "cruz", "dela", "ñino", "x"}
	for i := 0; i < 200000; i++ {
		n := 1 + rng.IntN(nameVariantMax)
		toks := make([]string, n)
		for j := range toks {
			toks[j] = pool[rng.IntN(len(pool))]
		}
		slices.Sort(toks)
		if !NameVariant(toks, toks) {
			t.Fatalf("NameVariant(%q, itself) = false", toks)
		}
	}
	long := make([]string, nameVariantMax+1)
	for i := range long {
		long[i] = fmt.Sprintf("t%02d", i)
	}
	if NameVariant(long, long) {
		t.Fatalf("a list of %d distinct tokens is a variant of itself: the shortcut's bound may be raised, and this test with it", len(long))
	}
}

// TestAppendFull: the full tokens joined when a name is interned are
// what appendFullTokens makes of its tokens, for every name id, including
// names without full tokens and one too long for the packed place.
func TestAppendFull(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 29))
	words := []string{"Ma.", "Maria", "J.", "Jose", "dela", "Cruz", "Ñiño", "O'Brien", "de", "los", "Santos", "A", "Mr", "Sto.", "", "  "}
	r := NewBeneficiaryResolver()
	r.Observe(benTransfer("0", "", "", "", "", "PH"))
	for i := 1; i < 5000; i++ {
		var b strings.Builder
		for k := rng.IntN(6); k >= 0; k-- {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		r.Observe(benTransfer(fmt.Sprint(i), b.String(), "", "", "Manila", "PH"))
	}
	long := strings.Repeat("Santos Reyes ", 1<<17) // 1.7 MB of name
	r.Observe(benTransfer("long", long, "", "", "", "PH"))
	sawLong, names := false, 0
	for _, s := range r.names.slots {
		if s.id1 == 0 {
			continue
		}
		id := s.id1 - 1
		names++
		want := string(appendFullTokens([]byte("x"), r.nameToks.get(id)))
		if got := string(r.nameToks.appendFull([]byte("x"), id, s.full, &r.data)); got != want {
			t.Fatalf("name %d %q: appendFull %q, want %q", id, r.nameToks.raw(id), got, want)
		}
		sawLong = sawLong || s.full == fullLong
	}
	if names != r.nameToks.len() {
		t.Fatalf("%d names in the table, %d interned", names, r.nameToks.len())
	}
	if !sawLong {
		t.Fatal("the long name was packed: the fallback is not exercised")
	}
}
