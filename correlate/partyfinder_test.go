package correlate

import (
	"fmt"
	"testing"

	"github.com/vigilfiu/vigil"
)

// TestPartyFinderFindsAsAMap: in id order, out of order, and with an id
// given twice (the last wins, as in a map filled in order), every party
// is found by its id and an unknown id by none.
func TestPartyFinderFindsAsAMap(t *testing.T) {
	sorted := make([]vigil.Party, 300)
	for i := range sorted {
		sorted[i] = vigil.Party{ID: fmt.Sprintf("P%04d", i*2), FullName: fmt.Sprint("n", i)}
	}
	shuffled := append([]vigil.Party{sorted[299]}, sorted[:299]...)
	twice := append(append([]vigil.Party{}, sorted...), vigil.Party{ID: "P0010", FullName: "later"})
	for _, c := range []struct {
		what    string
		parties []vigil.Party
		binary  bool
	}{{"in id order", sorted, true}, {"out of order", shuffled, false}, {"an id twice", twice, false}, {"none", nil, true}} {
		f := newPartyFinder(c.parties)
		if (f.byID == nil) != c.binary {
			t.Errorf("%s: binary search %v, want %v", c.what, f.byID == nil, c.binary)
		}
		want := map[string]*vigil.Party{}
		for i := range c.parties {
			want[c.parties[i].ID] = &c.parties[i]
		}
		for id, p := range want {
			if got := f.find(id); got != p {
				t.Errorf("%s: %s found %v, want %v", c.what, id, got, p)
			}
		}
		for _, id := range []string{"", "P0001", "P0599", "P9999", "A"} {
			if got := f.find(id); got != nil {
				t.Errorf("%s: unknown %q found %v", c.what, id, got)
			}
		}
	}
	if p := newPartyFinder(twice).find("P0010"); p == nil || p.FullName != "later" {
		t.Errorf("an id twice: found %v, want the later party", p)
	}
}
