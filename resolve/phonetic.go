package resolve

import "strings"

// Soundex returns the American Soundex code of the letters of s (after
// FoldName; digits, spaces and punctuation are ignored): the first letter
// and three digits, "Ashcroft" → "A261". It returns "" when s has no
// Latin letter.
func Soundex(s string) string {
	var letters [64]byte
	n := 0
	f := FoldName(s)
	for i := 0; i < len(f) && n < len(letters); i++ {
		if c := f[i]; c >= 'a' && c <= 'z' {
			letters[n] = c - 'a' + 'A'
			n++
		}
	}
	if n == 0 {
		return ""
	}
	out := [4]byte{letters[0], '0', '0', '0'}
	count := 1
	last := soundexCode(letters[0])
	for _, c := range letters[1:n] {
		code := soundexCode(c)
		if code != 0 {
			if code != last {
				out[count] = code
				count++
				if count == 4 {
					break
				}
			}
			last = code
		} else if c != 'H' && c != 'W' {
			last = 0
		}
	}
	return string(out[:])
}

func soundexCode(c byte) byte {
	switch c {
	case 'B', 'F', 'P', 'V':
		return '1'
	case 'C', 'G', 'J', 'K', 'Q', 'S', 'X', 'Z':
		return '2'
	case 'D', 'T':
		return '3'
	case 'L':
		return '4'
	case 'M', 'N':
		return '5'
	case 'R':
		return '6'
	}
	return 0
}

// NYSIIS returns the New York State Identification and Intelligence System
// code of one word (Taft 1970, as implemented by jellyfish; no length
// limit): "Catherine", "Katherine" and "Katerina" all give "CATARAN".
func NYSIIS(s string) string {
	if s == "" {
		return ""
	}
	w := []rune(strings.ToUpper(s))
	has := func(p string) bool { return strings.HasPrefix(string(w), p) }
	switch {
	case has("MAC"):
		w = append([]rune("MCC"), w[3:]...)
	case has("KN"):
		w = w[1:]
	case has("K"):
		w[0] = 'C'
	case has("PH"), has("PF"):
		w = append([]rune("FF"), w[2:]...)
	case has("SCH"):
		w = append([]rune("SSS"), w[3:]...)
	}
	if n := len(w); n >= 2 {
		switch string(w[n-2:]) {
		case "IE", "EE":
			w = append(w[:n-2], 'Y')
		case "DT", "RT", "RD", "NT", "ND":
			w = append(w[:n-2], 'D')
		}
	}
	if len(w) == 0 {
		return ""
	}
	vowel := func(r rune) bool { return r == 'A' || r == 'E' || r == 'I' || r == 'O' || r == 'U' }
	key := []rune{w[0]}
	for i := 1; i < len(w); i++ {
		var ch []rune
		c := w[i]
		switch {
		case c == 'E' && i+1 < len(w) && w[i+1] == 'V':
			ch = []rune("AF")
			i++
		case vowel(c):
			ch = []rune{'A'}
		case c == 'Q':
			ch = []rune{'G'}
		case c == 'Z':
			ch = []rune{'S'}
		case c == 'M':
			ch = []rune{'N'}
		case c == 'K':
			if i+1 < len(w) && w[i+1] == 'N' {
				ch = []rune{'N'}
			} else {
				ch = []rune{'C'}
			}
		case c == 'S' && i+2 < len(w) && w[i+1] == 'C' && w[i+2] == 'H':
			ch = []rune("SS")
			i += 2
		case c == 'P' && i+1 < len(w) && w[i+1] == 'H':
			ch = []rune{'F'}
			i++
		case c == 'H' && (!vowel(w[i-1]) || i+1 >= len(w) || !vowel(w[i+1])):
			if vowel(w[i-1]) {
				ch = []rune{'A'}
			} else {
				ch = []rune{w[i-1]}
			}
		case c == 'W' && vowel(w[i-1]):
			ch = []rune{w[i-1]}
		default:
			ch = []rune{c}
		}
		if ch[len(ch)-1] != key[len(key)-1] {
			key = append(key, ch...)
		}
	}
	n := len(key)
	if n > 1 && key[n-1] == 'S' {
		key, n = key[:n-1], n-1
	}
	if n >= 2 && key[n-2] == 'A' && key[n-1] == 'Y' {
		key = append(key[:n-2], 'Y')
		n--
	}
	if n > 1 && key[n-1] == 'A' {
		key = key[:n-1]
	}
	return string(key)
}
