package resolve

import "strings"

// phoneticRules rewrite spellings that sound alike in French, Spanish and
// Filipino (Tagalog) as well as English, longest first within a position.
// They are applied left to right on a folded word.
var phoneticRules = []struct{ from, to string }{
	{"sch", "x"}, {"ch", "x"}, {"sh", "x"}, {"ph", "f"}, {"th", "t"},
	{"gue", "ge"}, {"gui", "gi"}, {"qu", "k"}, {"ck", "k"}, {"cc", "k"},
	{"eaux", "o"}, {"eau", "o"}, {"aux", "o"}, {"au", "o"},
	{"ou", "u"}, {"oo", "u"}, {"ai", "e"}, {"ei", "e"}, {"ay", "e"},
	{"ll", "l"}, {"gn", "n"}, {"ny", "n"}, {"ng", "n"},
	{"ce", "se"}, {"ci", "si"}, {"cy", "si"}, {"c", "k"}, {"q", "k"},
	{"z", "s"}, {"x", "ks"}, {"v", "b"}, {"w", "u"}, {"y", "i"}, {"f", "p"},
	{"h", ""}, {"j", "h"},
}

// PhoneticKey is vigil's phonetic key for names written by clerks of
// several languages. Soundex and NYSIIS were built for English; this key
// also merges French spellings (eau/au/o, silent final t, d, s, x:
// "Dupont" = "Dupond", "Renaud" = "Reno", "Lefèvre" = "Lefebvre") and the
// Spanish and Filipino interchanges (c/k/q, v/b, f/p, j/h, ll/ly, z/s:
// "Cristina" = "Kristina", "Felipe" = "Pilipe", "Javier" = "Habier").
// The key is the first sound followed by the consonant skeleton with
// repeats collapsed. It works word by word; spaces are kept.
func PhoneticKey(s string) string {
	words := strings.Fields(FoldName(s))
	for i, w := range words {
		words[i] = phoneticWord(w)
	}
	return strings.Join(words, " ")
}

func phoneticWord(w string) string {
	// Silent French endings.
	for _, end := range []string{"ault", "aud", "aut", "ot"} {
		if len(w) > len(end)+1 && strings.HasSuffix(w, end) {
			w = w[:len(w)-len(end)] + "o"
			break
		}
	}
	for len(w) > 3 {
		last := w[len(w)-1]
		prev := w[len(w)-2]
		if (last == 't' || last == 'd' || last == 's' || last == 'x' || last == 'z') && (isVowel(prev) || prev == 'n' || prev == 'r') {
			w = w[:len(w)-1]
			continue
		}
		if last == 'e' && !isVowel(prev) && len(w) > 4 {
			w = w[:len(w)-1] // mute final e: "Lefevre" = "Lefebvr"
			continue
		}
		break
	}
	var b strings.Builder
	for i := 0; i < len(w); {
		matched := false
		if i == 0 && (w[0] == 'h' || w[0] == 'j') {
			b.WriteByte('h') // an initial h or j is kept as one sound
			i++
			continue
		}
		for _, r := range phoneticRules {
			if strings.HasPrefix(w[i:], r.from) {
				b.WriteString(r.to)
				i += len(r.from)
				matched = true
				break
			}
		}
		if !matched {
			b.WriteByte(w[i])
			i++
		}
	}
	t := b.String()
	if t == "" {
		return ""
	}
	out := []byte{t[0]}
	if isVowel(t[0]) {
		out[0] = 'a' // any initial vowel sound
	}
	for i := 1; i < len(t); i++ {
		c := t[i]
		if isVowel(c) || c == out[len(out)-1] {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'
}
