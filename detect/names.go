package detect

import (
	"strings"
	"unicode/utf8"

	"github.com/vigilfiu/vigil/resolve"
)

// recipientName derives what the engine keeps of a raw recipient name:
// whether one of its words names an organisation, and the number of its
// surname (recipientSurname) in e.surnames.
func (e *Engine) recipientName(name string) recName {
	if org, sur, ok := e.recipientNameASCII(name); ok {
		return recName{org: org, surname: e.internSurnameBytes(sur)}
	}
	var nm recName
	for _, w := range strings.Fields(resolve.FoldName(name)) {
		if e.orgWords[w] {
			nm.org = true
			break
		}
	}
	nm.surname = e.internSurname(recipientSurname(name))
	return nm
}

// recipientNameASCII is recipientName for a name in plain ASCII (ok false
// otherwise), without allocating: the organisation test and
// recipientSurname as they come out for such a name through
// resolve.FoldName (letters and digits kept, lower-cased; ' and `
// dropped; anything else separates words) and strings.Fields.
// FuzzRecipientName checks it against the general path. The surname is in
// e.foldBuf, valid until the next call.
// The classes of a byte of an ASCII name for foldASCII.
const (
	foldKeep = iota // a letter or digit, kept lower-cased
	foldDrop        // ' or `, dropped
	foldSep         // anything else: it separates words
)

// foldASCII folds one byte of an ASCII name as resolve.FoldName does.
func foldASCII(c byte) (byte, int) {
	switch {
	case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return c, foldKeep
	case c >= 'A' && c <= 'Z':
		return c + 'a' - 'A', foldKeep
	case c == '\'' || c == '`':
		return c, foldDrop
	}
	return c, foldSep
}

func (e *Engine) recipientNameASCII(name string) (org bool, surname []byte, ok bool) {
	b := e.foldBuf[:0]
	comma := strings.IndexByte(name, ',')
	var surLo, surHi int // the last folded word before the comma
	haveSur := false
	start := -1 // start in b of the word being folded
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= utf8.RuneSelf {
			return false, nil, false
		}
		c, class := foldASCII(c)
		switch class {
		case foldDrop:
			continue
		case foldSep:
			if start >= 0 {
				if !org && e.orgWords[string(b[start:])] {
					org = true
				}
				if i <= comma {
					surLo, surHi, haveSur = start, len(b), true
				}
				start = -1
			}
			continue
		}
		if start < 0 {
			start = len(b)
		}
		b = append(b, c)
	}
	if start >= 0 && !org && e.orgWords[string(b[start:])] {
		org = true
	}
	e.foldBuf = b
	if comma > 0 && haveSur {
		return org, b[surLo:surHi], true
	}
	// No comma, or no word before it: a word in capitals among
	// mixed-case words, else the last word (as recipientSurname).
	upper, mixed := -1, false
	last := -1
	for i, n := 0, 0; i < len(name); n++ {
		for i < len(name) && asciiSpace(name[i]) {
			i++
		}
		if i == len(name) {
			break
		}
		lo, lower := i, false
		for i < len(name) && !asciiSpace(name[i]) {
			if c := name[i]; c >= 'a' && c <= 'z' {
				lower = true
			}
			i++
		}
		if !lower && i-lo > 1 {
			if upper < 0 {
				upper = lo
			}
		} else {
			mixed = true
		}
		last = lo
	}
	if last < 0 {
		return org, nil, true
	}
	pick := last
	if mixed && upper >= 0 {
		pick = upper
	}
	end := pick
	for end < len(name) && !asciiSpace(name[end]) {
		end++
	}
	// The last folded word of the picked raw word, into the end of b.
	w := name[pick:end]
	hi := len(w)
	for hi > 0 && !foldKeeps(w[hi-1]) {
		hi--
	}
	if hi == 0 {
		return org, nil, true
	}
	lo := hi
	for lo > 0 && (foldKeeps(w[lo-1]) || w[lo-1] == '\'' || w[lo-1] == '`') {
		lo--
	}
	// w[lo:hi] is a run of letters, digits and apostrophes ending in a
	// letter or digit: one folded word.
	at := len(b)
	for k := lo; k < hi; k++ {
		c := w[k]
		if c == '\'' || c == '`' {
			continue
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	e.foldBuf = b
	return org, b[at:], true
}

// foldKeeps reports whether resolve.FoldName keeps an ASCII byte as part
// of a word.
func foldKeeps(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// asciiSpace is unicode.IsSpace for an ASCII byte (strings.Fields' test).
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// internSurnameBytes is internSurname for a surname in a scratch buffer:
// it allocates only for a surname not seen before.
func (e *Engine) internSurnameBytes(s []byte) uint32 {
	if len(s) == 0 {
		return 0
	}
	if i, ok := e.surnameIdx[string(s)]; ok {
		return i
	}
	return e.internSurname(string(s))
}
