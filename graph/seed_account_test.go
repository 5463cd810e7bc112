package graph

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// accountForms are accounts as recipients and seeds write them: spaced,
// hyphenated, lower-case, with letters outside ASCII, with bytes that are
// not UTF-8, or nothing but separators; each with its key.
var accountForms = []struct{ in, want string }{
	{"", ""},
	{"PH123456", "PH123456"},
	{"ph-12 34/56", "PH123456"},
	{"ph\t12", "PH12"},
	{"é-77", "é77"},
	{"--", ""},
	{"/ -", ""},
	{"ph\xff12", "PH\uFFFD12"},
	{"\xe2\x82", "\uFFFD\uFFFD"}, // one per byte that is not UTF-8
	{"ÉÀ ñ 09", "ÉÀñ09"},
	{"IBAN DE89 3704 0044 0532 0130 00", "IBANDE89370400440532013000"},
	{"a\\b_c.d", "A\\B_C.D"},
	{"₱ 1000", "₱1000"},
}

func TestNormalizeAccount(t *testing.T) {
	var b []byte
	for _, c := range accountForms {
		if got := normalizeAccount(c.in); got != c.want {
			t.Errorf("normalizeAccount(%q) = %q, want %q", c.in, got, c.want)
		}
		// Appended after what the buffer holds, reusing it.
		if b = appendAccountKey(append(b[:0], "x"...), c.in); string(b) != "x"+c.want {
			t.Errorf("appendAccountKey(\"x\", %q) = %q, want %q", c.in, b, "x"+c.want)
		}
	}
}

// FuzzAppendAccountKey: a key is valid UTF-8, holds no separator and no
// ASCII lower-case letter, is its own key, and is appended after the
// buffer's bytes.
func FuzzAppendAccountKey(f *testing.F) {
	for _, c := range accountForms {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendAccountKey([]byte("x"), s)
		if b[0] != 'x' {
			t.Fatalf("appendAccountKey(%q) overwrote the buffer: %q", s, b)
		}
		k := string(b[1:])
		if !utf8.ValidString(k) || strings.ContainsAny(k, " -/\tabcdefghijklmnopqrstuvwxyz") {
			t.Errorf("key of %q = %q: invalid UTF-8, a separator or a lower-case letter", s, k)
		}
		if again := normalizeAccount(k); again != k {
			t.Errorf("key of %q = %q is not its own key (%q)", s, k, again)
		}
	})
}
