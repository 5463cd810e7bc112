package resolve

import (
	"strings"
	"unicode"
)

// Name is a personal name split into its parts, each folded (FoldName).
type Name struct {
	Given   string // given names, space separated: "jean pierre"; "" when unknown
	Surname string // family name with its particles: "de la cruz", "dupont moretti"
	Suffix  string // generational suffix: jr, sr, ii, iii, iv; "" when none
	// Ordered is true when the order of the parts was explicit in the input
	// (a comma, or an upper-case surname among mixed-case given names);
	// otherwise the parts were assigned by position and may be swapped.
	Ordered bool
}

// Initials returns the first letter of each given name: "jp" for "jean pierre".
func (n Name) Initials() string {
	var b []byte
	for _, w := range strings.Fields(n.Given) {
		b = append(b, w[0])
	}
	return string(b)
}

// Full returns "given surname".
func (n Name) Full() string {
	switch {
	case n.Given == "":
		return n.Surname
	case n.Surname == "":
		return n.Given
	}
	return n.Given + " " + n.Surname
}

// particles are the words that belong to the surname that follows them.
var particles = map[string]bool{
	"de": true, "del": true, "dela": true, "della": true, "delos": true, "des": true,
	"du": true, "le": true, "la": true, "las": true, "los": true, "da": true, "das": true,
	"do": true, "dos": true, "di": true, "van": true, "von": true, "der": true,
	"den": true, "ter": true, "ten": true, "y": true, "san": true, "santa": true,
	"saint": true, "sainte": true, "bin": true, "binti": true, "al": true, "el": true,
	"mac": true, "ibn": true, "lo": true,
}

// ParseName splits a personal name into given names and surname. It
// understands "SURNAME, Given", "Given SURNAME" and "SURNAME Given" (a word
// in capitals among mixed-case words is the surname), surname particles
// ("Juan dela Cruz", "Jean de La Fontaine", "Ludwig van Beethoven"),
// hyphenated compound surnames, initials ("J. Dupont"), generational
// suffixes (Jr, Sr, III) and the abbreviations ExpandAbbrev knows. Without
// a cue the last word (with its particles) is the surname and Ordered is
// false.
func ParseName(s string) Name {
	n := parseName(ExpandAbbrev(strings.TrimSpace(s)))
	if n.Surname == "" {
		n.Surname, n.Given, n.Ordered = n.Given, "", false
	}
	return n
}

func parseName(s string) Name {
	var n Name
	if i := strings.IndexByte(s, ','); i >= 0 {
		parts := strings.Split(s, ",")
		sur := stripSuffix(strings.Fields(parts[0]), &n)
		var given []string
		for _, p := range parts[1:] {
			given = append(given, strings.Fields(p)...)
		}
		given = stripSuffix(given, &n)
		n.Surname = foldWords(sur)
		n.Given = foldWords(given)
		n.Ordered = n.Surname != "" && n.Given != ""
		if n.Surname == "" {
			n.Surname, n.Given = n.Given, ""
		}
		return n
	}
	words := stripSuffix(strings.Fields(s), &n)
	kept := words[:0]
	for _, w := range words {
		if FoldName(w) != "" {
			kept = append(kept, w)
		}
	}
	words = kept
	if len(words) == 0 {
		return n
	}
	if len(words) == 1 {
		n.Surname = FoldName(words[0])
		return n
	}
	// Upper-case cue: the surname is the run of words written in capitals
	// when other words are in mixed case.
	upper := make([]bool, len(words))
	nUpper, nMixed := 0, 0
	for i, w := range words {
		switch caseOf(w) {
		case caseUpper:
			upper[i] = true
			nUpper++
		case caseMixed:
			nMixed++
		}
	}
	if nUpper > 0 && nMixed > 0 {
		first, last := -1, -1
		for i, u := range upper {
			if u {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		// Lower-case particles just before the capitals belong to the surname.
		for first > 0 && particles[FoldName(words[first-1])] {
			first--
		}
		contiguous := true
		for i := first; i <= last; i++ {
			if !upper[i] && !particles[FoldName(words[i])] {
				contiguous = false
			}
		}
		if contiguous && (first == 0 || last == len(words)-1) {
			var given []string
			given = append(given, words[:first]...)
			given = append(given, words[last+1:]...)
			n.Surname = foldWords(words[first : last+1])
			n.Given = foldWords(given)
			n.Ordered = true
			return n
		}
	}
	// Positional: last word plus the particles before it.
	start := len(words) - 1
	for start > 1 && particles[FoldName(words[start-1])] {
		start--
	}
	// "de la": both words are particles; keep at least one given name.
	n.Surname = foldWords(words[start:])
	n.Given = foldWords(words[:start])
	return n
}

type wordCase int

const (
	caseNone  wordCase = iota // no letters, or a single capital (an initial)
	caseUpper                 // two or more letters, all capitals
	caseMixed                 // has lower-case letters
)

func caseOf(w string) wordCase {
	letters, upper := 0, 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			} else if unicode.IsLower(r) {
				return caseMixed
			}
		}
	}
	if letters >= 2 && upper == letters {
		return caseUpper
	}
	return caseNone
}

// stripSuffix removes generational suffixes from words, recording the last
// one in n.
func stripSuffix(words []string, n *Name) []string {
	out := words[:0]
	for _, w := range words {
		if sfx, ok := suffixes[FoldName(w)]; ok && len(words) > 1 {
			n.Suffix = sfx
			continue
		}
		out = append(out, w)
	}
	return out
}

func foldWords(words []string) string {
	return FoldName(strings.Join(words, " "))
}
