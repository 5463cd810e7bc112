package resolve

import (
	"hash/maphash"
	"strconv"
	"testing"
)

// TestCityMemo fills the city memo past its bound: every city put since
// the last emptying is found with its folded form and hash, a city never
// put is not, and the memo never holds more than memoLimit entries.
func TestCityMemo(t *testing.T) {
	r := NewBeneficiaryResolver()
	var m cityMemo
	since := 0 // cities put since the memo was last emptied
	for i := 0; i < memoLimit+5000; i++ {
		raw := "Quezon City " + strconv.Itoa(i)
		h := hashString(r, raw)
		fold := foldCity(raw)
		if m.used >= memoLimit {
			since = 0
		}
		m.put(h, r.foldedCityHash(fold), fold)
		since++
		if m.used > memoLimit {
			t.Fatalf("memo holds %d entries, bound %d", m.used, memoLimit)
		}
		if i%997 != 0 {
			continue
		}
		for j := i - since + 1; j <= i; j += 1 + since/7 {
			raw := "Quezon City " + strconv.Itoa(j)
			h := hashString(r, raw)
			got, ok := m.get(h)
			s, ok2 := m.folded(h)
			if !ok || !ok2 || got != r.foldedCityHash(foldCity(raw)) || s != foldCity(raw) {
				t.Fatalf("after %d puts: city %d: %v %v %x %q", i+1, j, ok, ok2, got, s)
			}
		}
		if _, ok := m.get(hashString(r, "Davao "+strconv.Itoa(i))); ok {
			t.Fatalf("a city never put was found")
		}
	}
	if r.foldedCityHash("") != 0 || r.foldedCityHash("manila") == 0 {
		t.Fatal("foldedCityHash: 0 must mean exactly an empty city")
	}
}

func hashString(r *BeneficiaryResolver, s string) uint64 { return maphash.String(r.seed, s) }
