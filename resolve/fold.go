package resolve

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// translit maps letters that Unicode decomposition leaves whole to their
// usual Latin spelling in names.
var translit = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
	'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d",
	'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th", 'ı': "i", 'ŋ': "n", 'Ŋ': "n",
	'ĸ': "k", 'ſ': "s", 'ħ': "h", 'Ħ': "h", 'ŧ': "t", 'Ŧ': "t",
	'ª': "a", 'º': "o", 'ĳ': "ij", 'Ĳ': "ij",
}

// isApostrophe reports runes that join the parts of a name (O'Brien,
// D’Artagnan) rather than separate words.
func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == '`' || r == '´' || r == 'ʼ' || r == '‘'
}

// FoldName returns s folded for comparison: compatibility-decomposed
// (NFKD), combining marks removed, letters such as ß, æ, ø, ł
// transliterated, lower-cased; apostrophes are dropped ("O'Brien" →
// "obrien"), every other character that is not a letter or digit becomes a
// space, and runs of spaces collapse to one. "François  LEFÈVRE-Dupont" →
// "francois lefevre dupont".
func FoldName(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	space := true // suppress leading spaces
	emit := func(r rune) {
		b.WriteRune(r)
		space = false
	}
	sep := func() {
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	if ascii {
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				b.WriteByte(c)
				space = false
			case c >= 'A' && c <= 'Z':
				b.WriteByte(c + 'a' - 'A')
				space = false
			case c == '\'' || c == '`':
			default:
				sep()
			}
		}
	} else {
		for _, r := range norm.NFKD.String(strings.ToValidUTF8(s, " ")) {
			r = unicode.ToLower(r)
			switch {
			case unicode.Is(unicode.Mn, r):
			case isApostrophe(r):
			case translit[r] != "":
				for _, t := range translit[r] {
					emit(t)
				}
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				emit(unicode.ToLower(r))
			default:
				sep()
			}
		}
	}
	out := b.String()
	if n := len(out); n > 0 && out[n-1] == ' ' {
		out = out[:n-1]
	}
	return out
}

// NameTokens returns the words of a name after abbreviation expansion and
// folding: NameTokens("Ma. José  DE LA CRUZ") = [maria jose de la cruz].
func NameTokens(s string) []string {
	return strings.Fields(FoldName(ExpandAbbrev(s)))
}
