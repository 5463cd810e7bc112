package graph

import (
	"strings"

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
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
			b.WriteRune(c)
		case c >= 'a' && c <= 'z':
			b.WriteRune(c - 'a' + 'A')
		case c == ' ' || c == '-' || c == '/' || c == '\t':
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
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
