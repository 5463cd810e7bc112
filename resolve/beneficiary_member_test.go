package resolve

import (
	"fmt"
	"math/rand/v2"
	"slices"
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
