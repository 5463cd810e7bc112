package graph

import "testing"

// accountForms are accounts as recipients and seeds write them: spaced,
// hyphenated, lower-case, with letters outside ASCII, with bytes that are
// not UTF-8, or nothing but separators.
var accountForms = []string{
	"", "PH123456", "ph-12 34/56", "ph\t12", "é-77", "--", "/ -", "ph\xff12", "\xe2\x82", "ÉÀ ñ 09", "IBAN DE89 3704 0044 0532 0130 00", "a\\b_c.d", "₱ 1000",
}

// TestAppendAccountKeyIsNormalizeAccount holds the seed index's
// allocation-free account key to normalizeAccount, which resolveSeed
// and the full index use.
func TestAppendAccountKeyIsNormalizeAccount(t *testing.T) {
	var b []byte
	for _, s := range accountForms {
		if b = appendAccountKey(b[:0], s); string(b) != normalizeAccount(s) {
			t.Errorf("appendAccountKey(%q) = %q, normalizeAccount gives %q", s, b, normalizeAccount(s))
		}
	}
}

func FuzzAppendAccountKey(f *testing.F) {
	for _, s := range accountForms {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendAccountKey([]byte("x"), s)), "x"+normalizeAccount(s); got != want {
			t.Errorf("appendAccountKey(%q) = %q, normalizeAccount gives %q", s, got[1:], want[1:])
		}
	})
}
