package detect

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/vigilfiu/vigil/resolve"
)

// recipientName derives what the engine keeps of a raw recipient name:
// whether one of its words names an organisation, and the number of its
// surname (recipientSurname) in e.surnames.
func (e *Engine) recipientName(name string) recName {
	if org, sur, ok := e.recipientNameASCII(name); ok {
		return recName{org: org, surname: e.internSurnameBytes(sur)}
	}
	if org, sur, ok := e.recipientNameLatin(name); ok {
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
	b, at, ok := appendLastWord(b, name[pick:end])
	if !ok {
		return org, nil, true
	}
	e.foldBuf = b
	return org, b[at:], true
}

// recipientNameLatin is recipientName for a name whose every non-ASCII
// rune is a Latin one with a known ASCII folding (latinFold: é, ł, ß,
// ư, ị …), ok false otherwise, without Unicode normalisation: on the
// 5M-transfer world the general path (FoldName twice, strings.Fields,
// strings.ToUpper) was ~0.25 s of the goroutine that updates the senders.
// Each such rune is replaced by its folding and the ASCII path decides the
// organisation test and a surname before a comma, as senderNameLatin does.
// A surname without a comma is picked among the raw words (a word in
// capitals among mixed-case words, else the last word), which depends on
// their case and length in bytes as written, so the words are read from
// the name itself and only the one picked is folded. FuzzRecipientName
// checks it against the general path. The surname is in one of the
// engine's scratch buffers, valid until the next call.
func (e *Engine) recipientNameLatin(name string) (org bool, surname []byte, ok bool) {
	b := e.latinBuf[:0]
	comma := -1 // in b
	for _, r := range name {
		if r < utf8.RuneSelf {
			if r == ',' && comma < 0 {
				comma = len(b)
			}
			b = append(b, byte(r))
			continue
		}
		x := latinFold(r)
		if x == "" {
			return false, nil, false
		}
		b = append(b, x...)
	}
	e.latinBuf = b
	folded := unsafe.String(unsafe.SliceData(b), len(b)) // not retained: read by recipientNameASCII only
	org, sur, _ := e.recipientNameASCII(folded)
	// Every rune gives at least one byte, so a comma after the first
	// byte of the name stays after the first byte of b; the fold of the
	// words before it has a word when b has a letter or digit there.
	if comma > 0 {
		for i := 0; i < comma; i++ {
			if foldKeeps(b[i]) {
				return org, sur, true
			}
		}
	}
	// No comma, or no word before it: as recipientSurname, over the raw
	// words as strings.Fields splits them.
	upper, mixed := -1, false
	last, lastEnd, upperEnd := -1, -1, -1
	for i := 0; i < len(name); {
		r, n := utf8.DecodeRuneInString(name[i:])
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		lo, capital := i, true
		for i < len(name) {
			r, n := utf8.DecodeRuneInString(name[i:])
			if unicode.IsSpace(r) {
				break
			}
			if unicode.ToUpper(r) != r {
				capital = false
			}
			i += n
		}
		if capital && i-lo > 1 {
			if upper < 0 {
				upper, upperEnd = lo, i
			}
		} else {
			mixed = true
		}
		last, lastEnd = lo, i
	}
	if last < 0 {
		return org, nil, true
	}
	pick, end := last, lastEnd
	if mixed && upper >= 0 {
		pick, end = upper, upperEnd
	}
	// The picked word folded (its runes replaced as above), then its last
	// folded word, as recipientNameASCII takes it.
	at := len(b)
	for _, r := range name[pick:end] {
		if r < utf8.RuneSelf {
			b = append(b, byte(r))
		} else {
			b = append(b, latinFold(r)...)
		}
	}
	b, out, ok := appendLastWord(b, b[at:])
	e.latinBuf = b
	if !ok {
		return org, nil, true
	}
	return org, b[out:], true
}

// appendLastWord appends to b the last word of w as resolve.FoldName
// keeps it (a run of letters, digits and apostrophes ending in a letter
// or digit, in lower case without its apostrophes) and returns b and
// where the word starts in it; ok is false, and b unchanged, when w has
// no letter or digit. w may be the end of b.
func appendLastWord[S ~string | ~[]byte](b []byte, w S) (_ []byte, at int, ok bool) {
	hi := len(w)
	for hi > 0 && !foldKeeps(w[hi-1]) {
		hi--
	}
	if hi == 0 {
		return b, len(b), false
	}
	lo := hi
	for lo > 0 && (foldKeeps(w[lo-1]) || w[lo-1] == '\'' || w[lo-1] == '`') {
		lo--
	}
	at = len(b)
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
	return b, at, true
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

// senderNameLatin is senderName for a name whose every non-ASCII letter
// is a Latin one with a known ASCII folding (é, ł, ß, ư, ị …: about one
// party name in ten in synth worlds), ok false otherwise: each such
// letter is replaced by what resolve.FoldName makes of it, and the ASCII
// path folds the result, without Unicode normalisation. FuzzSenderName
// checks it against senderNameFold.
func senderNameLatin(name string) (tokens []string, surname string, ok bool) {
	var buf [128]byte
	b := buf[:0]
	for _, r := range name {
		if r < utf8.RuneSelf {
			b = append(b, byte(r))
			continue
		}
		x := latinFold(r)
		if x == "" {
			return nil, "", false
		}
		b = append(b, x...)
	}
	if len(b) == 0 {
		return nil, "", false
	}
	// A comma keeps its place among the words: every letter replaced
	// gives at least one byte, so a comma after the first byte stays so.
	return senderNameASCII(unsafe.String(&b[0], len(b))) // not retained: the tokens are a copy
}

// latinFold is the ASCII that resolve.FoldName gives rune r between two
// letters (a word, a space for a separator), or "" when r is not in the
// table: outside the Latin blocks, or folded to nothing or to anything
// but lower-case letters, digits and spaces.
func latinFold(r rune) string {
	latinOnce.Do(buildLatin)
	switch {
	case r >= 0x80 && r < 0x250:
		return latinLo[r-0x80]
	case r >= 0x1E00 && r < 0x1F00:
		return latinHi[r-0x1E00]
	}
	return ""
}

var (
	latinOnce sync.Once
	latinLo   [0x250 - 0x80]string    // Latin-1 Supplement, Extended-A and -B
	latinHi   [0x1F00 - 0x1E00]string // Latin Extended Additional (Vietnamese)
)

// buildLatin derives the table from resolve.FoldName itself: FoldName
// folds a string rune by rune (a precomposed letter decomposes to its
// base letter and marks, which are dropped), so what it makes of a rune
// between two letters is what the rune contributes anywhere.
func buildLatin() {
	entry := func(r rune) string {
		f := resolve.FoldName("a" + string(r) + "a")
		if len(f) < 3 || f[0] != 'a' || f[len(f)-1] != 'a' {
			return ""
		}
		mid := f[1 : len(f)-1]
		for i := 0; i < len(mid); i++ {
			if c := mid[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == ' ') {
				return ""
			}
		}
		return mid
	}
	for i := range latinLo {
		latinLo[i] = entry(rune(0x80 + i))
	}
	for i := range latinHi {
		latinHi[i] = entry(rune(0x1E00 + i))
	}
}
