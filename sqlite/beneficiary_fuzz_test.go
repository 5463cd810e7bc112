package sqlite

import (
	"slices"
	"strings"
	"testing"
)

// FuzzPackList: the kept lists (beneficiaries' names, phones, accounts;
// the graph's tables) read back as written, whatever bytes the values
// hold, and damaged bytes are refused, never misread past their end.
func FuzzPackList(f *testing.F) {
	f.Add("SANTOS, Maria Cristina\x00+63 917 555 0101\x00", []byte{0x03, 'a', 'b', 'c'})
	f.Add("", []byte{0x05, 'a'})
	f.Add("\x00\x00", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, joined string, raw []byte) {
		xs := strings.Split(joined, "\x00")
		got, err := unpackList(packList(xs))
		if err != nil || !slices.Equal(got, xs) {
			t.Fatalf("unpackList(packList(%q)) = %q, %v", xs, got, err)
		}
		ys, err := unpackList(raw)
		if err != nil {
			return
		}
		if back := packList(ys); string(back) != string(raw) {
			// A uvarint may be written with redundant bytes; the values
			// must still be the ones packList of them reads back.
			if again, err := unpackList(back); err != nil || !slices.Equal(again, ys) {
				t.Fatalf("raw %q read as %q, which does not round-trip", raw, ys)
			}
		}
	})
}
