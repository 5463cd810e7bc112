package resolve

import (
	"slices"
	"strings"
	"testing"
)

// FuzzBlockKeys checks the blocking keys of any name and email: making
// them does not fail, the keys EM learns from are a subset of all keys,
// and a surname with one letter deleted shares a key of one edit with it.
func FuzzBlockKeys(f *testing.F) {
	for _, s := range [][3]string{{"Richard", "Quinton", "r.quinton@example.org"}, {"Fred", "1uinton", ""}, {"", "Williasm", "isabelleh97@x.com"},
		{"Ma. Teresa", "dela Cruz", "@@"}, {"ＪＯＳＥ", "Straße", "\xff\xfe@a"}, {"", "", ""}} {
		f.Add(s[0], s[1], s[2], 2)
	}
	f.Fuzz(func(t *testing.T, given, surname, email string, del int) {
		r := Record{Given: given, Surname: surname, Email: email, City: "Leeds"}
		p := prepare(&r)
		all := blockKeys(&p, nil)
		for _, k := range blockKeysFor(&p, nil, false) {
			if !slices.Contains(all, k) {
				t.Fatalf("EM key %x of %q %q %q not among all keys", k, given, surname, email)
			}
		}
		// one deletion from a plain surname: the two share a key of one edit
		w := p.surname
		if len(w) < 5 || len(w) > 20 || del < 0 || !hasWordIn(p.words, w) {
			return
		}
		for i := 0; i < len(w); i++ {
			if w[i] < 'a' || w[i] > 'z' {
				return
			}
		}
		if particles[w] {
			return
		}
		d := del % len(w)
		q := prepare(&Record{Surname: w[:d] + w[d+1:]})
		if len(q.surname) < 4 || particles[q.surname] {
			return
		}
		for _, k := range blockKeys(&q, nil) {
			if ruleOf(k) == ruleWordEdit && slices.Contains(all, k) {
				return
			}
		}
		t.Fatalf("%q and %q (one letter deleted) share no key of one edit", w, q.surname)
	})
}

func hasWordIn(words, w string) bool {
	for words != "" {
		x, rest, _ := strings.Cut(words, " ")
		if x == w {
			return true
		}
		words = rest
	}
	return false
}
