package resolve

import (
	"strings"
	"unicode"
)

// abbrev maps a folded abbreviation, written with its dot, to the name it
// stands for. Entries without a dot also match the bare word.
var abbrev = map[string]string{
	"ma.": "maria", "mª": "maria", "m.a.": "maria", "ma": "maria",
	"fco.": "francisco", "fdo.": "fernando", "jno.": "john", "wm.": "william",
	"chas.": "charles", "thos.": "thomas", "jas.": "james", "geo.": "george",
	"robt.": "robert", "benj.": "benjamin", "jos.": "joseph", "edw.": "edward",
	"mohd": "muhammad", "mohd.": "muhammad", "muhd": "muhammad", "muhd.": "muhammad",
	"st.": "saint", "st": "saint", "ste.": "sainte", "ste": "sainte",
	"sta.": "santa", "sto.": "santo",
}

// honorifics are dropped from names: they are not part of identity.
var honorifics = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "mx": true, "dr": true,
	"prof": true, "mme": true, "mlle": true, "mgr": true, "me": false,
	"sir": true, "dame": false, "atty": true, "engr": true, "hon": true,
	"rev": true, "fr": false, "sgt": true, "capt": true, "col": true,
}

// suffixes are generational suffixes; ParseName moves them out of the name.
var suffixes = map[string]string{
	"jr": "jr", "jnr": "jr", "junior": "jr", "sr": "sr", "snr": "sr", "senior": "sr",
	"ii": "ii", "iii": "iii", "iv": "iv", "2nd": "ii", "3rd": "iii",
}

// ExpandAbbrev expands the abbreviations of given names found in partner
// and KYC lists (Ma. and Mª → Maria, Wm. → William, Fco. → Francisco, St →
// Saint, Mohd → Muhammad) and drops honorifics (Mr, Dr, Mme, Atty, Engr).
// A bare "Ma" is expanded only when at least two more words follow it
// ("Ma Teresa Santos"), since Ma is also a surname ("Ma Long"). The case of
// each expansion follows the case of the abbreviation, so that upper-case
// surname cues survive ("MA. TERESA" → "MARIA TERESA").
func ExpandAbbrev(s string) string {
	if s == "" {
		return s
	}
	words := strings.Fields(s)
	changed := false
	for i, w := range words {
		if len(w) > 7 {
			continue // no abbreviation or honorific is that long
		}
		key := strings.ToLower(strings.TrimRight(w, ","))
		trail := w[len(strings.TrimRight(w, ",")):]
		bare := strings.TrimSuffix(key, ".")
		if honorifics[bare] && len(words) > 1 {
			words[i] = ""
			if trail != "" && i > 0 {
				words[i-1] += trail
			}
			changed = true
			continue
		}
		exp, ok := abbrev[key]
		if !ok {
			continue
		}
		if key == "ma" && len(words)-i < 3 {
			continue
		}
		words[i] = matchCase(w, exp) + trail
		changed = true
	}
	if !changed {
		return s
	}
	out := words[:0]
	for _, w := range words {
		if w != "" {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// matchCase writes exp in the case style of w: all capitals, capitalised or
// lower case.
func matchCase(w, exp string) string {
	upper, lower := 0, 0
	for _, r := range w {
		if unicode.IsUpper(r) {
			upper++
		} else if unicode.IsLower(r) {
			lower++
		}
	}
	switch {
	case upper > 1 && lower == 0, upper == 1 && lower == 0 && len([]rune(w)) == 1:
		return strings.ToUpper(exp)
	case upper >= 1:
		return strings.ToUpper(exp[:1]) + exp[1:]
	}
	return exp
}
