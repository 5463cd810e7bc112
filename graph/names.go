package graph

import (
	"strings"
	"unicode/utf8"

	"github.com/vigilfiu/vigil/resolve"
)

// surnameTokens returns the folded tokens of the family name of a
// domestic party's full name (particles dropped), as resolve parses it.
func surnameTokens(full string) []string {
	n := resolve.ParseName(full)
	if n.Surname == "" {
		return nil
	}
	return resolve.NameTokensOf(n.Surname)
}

// normalizeAccount keeps the letters and digits of an account, upper-cased,
// so that "ph-12 34" meets "PH1234".
func normalizeAccount(s string) string {
	return string(appendAccountKey(nil, s))
}

// appendAccountKey appends normalizeAccount(s) to b without a string of
// its own (the seed index looks recipients' accounts up with it): the
// account's letters (ASCII upper-cased) and digits, without spaces,
// hyphens, slashes or tabs, any other character kept (an invalid byte as
// U+FFFD).
func appendAccountKey(b []byte, s string) []byte {
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
			b = append(b, byte(c))
		case c >= 'a' && c <= 'z':
			b = append(b, byte(c-'a'+'A'))
		case c == ' ' || c == '-' || c == '/' || c == '\t':
		default:
			b = utf8.AppendRune(b, c)
		}
	}
	return b
}

// tokenSimilarity compares two names as sets of folded tokens: each token
// of the shorter name is paired with its best Jaro-Winkler match in the
// other (a prefix abbreviation such as "ma" for "maria", or a token run
// together with a particle such as "lossantos", counts 0.9), and the mean is scaled down by how much of the longer name
// is left unmatched. Order-free, so "SANTOS, Maria" meets "Maria Santos".
func tokenSimilarity(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	var sum float64
	for _, x := range a {
		best := 0.0
		for _, y := range b {
			s := resolve.JaroWinkler(x, y)
			if s < 0.9 && (strings.HasPrefix(y, x) || strings.HasPrefix(x, y)) {
				s = 0.9 // an abbreviation: "ma" for "maria"
			}
			if s < 0.9 && min(len(x), len(y)) >= 4 && (strings.Contains(y, x) || strings.Contains(x, y)) {
				s = 0.9 // run-together particles: "lossantos" for "santos"
			}
			best = max(best, s)
		}
		sum += best
	}
	cover := float64(len(a)) / float64(len(b))
	return sum / float64(len(a)) * (0.85 + 0.15*cover)
}
