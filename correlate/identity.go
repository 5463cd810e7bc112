package correlate

import (
	"fmt"
	"strings"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/resolve"
)

// Likelihood ratios of the ways a handle can name a payer: how much more
// often a handle is built so when it is the payer's own than by chance.
const (
	LRPhone        = 1e6 // the handle is the payer's phone number
	LREmail        = 1e5 // the handle is the local part of the payer's e-mail
	LRGivenSurname = 3e3 // holds a given name and the surname
	LRInitial      = 1e3 // holds the surname next to a given name's initial
	LRSurname      = 30  // holds the surname only
	LRGiven        = 3   // holds a given name (at least 4 letters) only
	LRBirthYear    = 10  // and its digits are the payer's birth year
)

// payerID is what a handle is compared with.
type payerID struct {
	phone   string   // E.164
	region  string   // the payer's country, to read national numbers
	email   string   // local part, letters and digits
	given   []string // folded tokens of the given names
	surname []string // folded tokens of the surname
	year    int
}

func newPayerID(p *vigil.Party) *payerID {
	id := &payerID{year: p.BirthDate.Year, region: p.Country}
	if p.Phone != "" {
		id.phone, _ = resolve.NormalizePhone(p.Phone, p.Country)
	}
	if i := strings.IndexByte(p.Email, '@'); i > 0 {
		id.email = alnum(p.Email[:i])
	}
	n := resolve.ParseName(p.FullName)
	id.given = resolve.NameTokensOf(n.Given)
	id.surname = resolve.NameTokensOf(n.Surname)
	return id
}

// identity is how a handle names a payer.
type identity struct {
	lr  float64
	why string
}

// alnum keeps the folded letters and digits of s.
func alnum(s string) string {
	f := resolve.FoldName(s)
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if c := f[i]; (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			b.WriteByte(c)
		}
	}
	return b.String()
}

func letters(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// handleForms are the forms of a handle that payers are compared with,
// computed once per handle.
type handleForms struct {
	raw    string
	digits int    // decimal digits in the raw handle
	alnum  string // folded letters and digits
	letter string // folded letters
}

func newHandleForms(h string) handleForms {
	f := handleForms{raw: h, alnum: alnum(h)}
	for i := 0; i < len(h); i++ {
		if h[i] >= '0' && h[i] <= '9' {
			f.digits++
		}
	}
	f.letter = letters(f.alnum)
	return f
}

// link compares a handle with the payer.
func (p *payerID) link(handle string) identity { return p.linkForms(newHandleForms(handle)) }

// linkForms compares a handle's forms with the payer.
func (p *payerID) linkForms(h handleForms) identity {
	if h.digits >= 8 && p.phone != "" {
		if e, ok := resolve.NormalizePhone(h.raw, p.region); ok && e == p.phone {
			return identity{LRPhone, "the handle is the customer's phone " + e}
		}
	}
	a := h.alnum
	if p.email != "" && a == p.email {
		return identity{LREmail, "the handle is the local part of the customer's e-mail"}
	}
	l := h.letter
	var sur, giv string
	for _, s := range p.surname {
		if len(s) >= 3 && strings.Contains(l, s) {
			sur = s
		}
	}
	for _, g := range p.given {
		if len(g) >= 3 && strings.Contains(l, g) {
			giv = g
		}
	}
	var id identity
	switch {
	case sur != "" && giv != "":
		id = identity{LRGivenSurname, fmt.Sprintf("the handle holds the customer's given name %q and surname %q", giv, sur)}
	case sur != "" && initialNext(l, sur, p.given):
		id = identity{LRInitial, fmt.Sprintf("the handle holds the customer's surname %q next to a given name's initial", sur)}
	case sur != "":
		id = identity{LRSurname, fmt.Sprintf("the handle holds the customer's surname %q", sur)}
	case giv != "" && len(giv) >= 4:
		id = identity{LRGiven, fmt.Sprintf("the handle holds the customer's given name %q", giv)}
	default:
		return identity{1, ""}
	}
	if id.lr >= LRSurname && p.year > 0 {
		d := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, a)
		if d == fmt.Sprintf("%04d", p.year) || d == fmt.Sprintf("%02d", p.year%100) {
			id.lr *= LRBirthYear
			id.why += fmt.Sprintf(" and the customer's birth year (%s)", d)
		}
	}
	return id
}

// initialNext reports whether a given name's initial stands right before
// or after the surname in the handle's letters ("cwright", "wrightc").
func initialNext(l, sur string, given []string) bool {
	i := strings.Index(l, sur)
	if i < 0 {
		return false
	}
	for _, g := range given {
		if g == "" {
			continue
		}
		if (i > 0 && l[i-1] == g[0]) || (i+len(sur) < len(l) && l[i+len(sur)] == g[0]) {
			return true
		}
	}
	return false
}
