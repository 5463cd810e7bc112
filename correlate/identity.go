package correlate

import (
	"fmt"
	"math"
	"runtime"
	"slices"
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

// The name likelihood ratios above are ceilings. A name part is evidence
// only as far as it is rare: if a share f of the population carries it,
// about f of the handles built from other people's names hold it too, so
// a handle holding it is at most 1/f times likelier to be the payer's.
// The population is the parties given to Correlate (namePop).

// namePop counts how many parties carry each folded name token, and how
// many given names and surnames start with each letter.
type namePop struct {
	n        float64
	tokens   map[string]int32
	givenIni [26]int32
	surIni   [26]int32
}

func newNamePop(parties []vigil.Party) *namePop {
	// Parsing the names is most of the cost, and many parties share one
	// (441,225 parties, 65,951 distinct names on the 5M world): the
	// parties carrying each name are counted on every core, the counts
	// added, and then each core parses a share of the distinct names,
	// each once, and the token counts are added.
	k := runtime.GOMAXPROCS(0)
	if len(parties) < 1<<14 {
		k = 1
	}
	carriers := make([]map[string]int32, k)
	each(k, func(i int) { carriers[i] = carriersOf(parties[i*len(parties)/k : (i+1)*len(parties)/k]) })
	all := carriers[0]
	for _, o := range carriers[1:] {
		for name, c := range o {
			all[name] += c
		}
	}
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	parts := make([]*namePop, k)
	each(k, func(i int) { parts[i] = countCarriers(names[i*len(names)/k:(i+1)*len(names)/k], all) })
	np := parts[0]
	for _, o := range parts[1:] {
		np.n += o.n
		for t, c := range o.tokens {
			np.tokens[t] += c
		}
		for i := range np.givenIni {
			np.givenIni[i] += o.givenIni[i]
			np.surIni[i] += o.surIni[i]
		}
	}
	return np
}

// countNames counts the name parts of parties on one core: each distinct
// name is parsed once and counted as many times as parties carry it.
func countNames(parties []vigil.Party) *namePop {
	carriers := carriersOf(parties)
	names := make([]string, 0, len(carriers))
	for name := range carriers {
		names = append(names, name)
	}
	return countCarriers(names, carriers)
}

// carriersOf counts the parties carrying each (non-empty) name.
func carriersOf(parties []vigil.Party) map[string]int32 {
	carriers := make(map[string]int32, len(parties)/4)
	for i := range parties {
		if name := parties[i].FullName; name != "" {
			carriers[name]++
		}
	}
	return carriers
}

// countCarriers counts the name parts of names, each carried by
// carriers[name] parties.
func countCarriers(names []string, carriers map[string]int32) *namePop {
	np := &namePop{tokens: make(map[string]int32, 1<<14)}
	var seen []string
	for _, name := range names {
		k := carriers[name]
		np.n += float64(k)
		n := resolve.ParseName(name)
		given, sur := resolve.NameTokensOf(n.Given), resolve.NameTokensOf(n.Surname)
		seen = seen[:0]
		for _, t := range given {
			if !slices.Contains(seen, t) {
				seen = append(seen, t)
				np.tokens[t] += k
			}
		}
		for _, t := range sur {
			if !slices.Contains(seen, t) {
				seen = append(seen, t)
				np.tokens[t] += k
			}
		}
		if len(given) > 0 && given[0] != "" && given[0][0] >= 'a' && given[0][0] <= 'z' {
			np.givenIni[given[0][0]-'a'] += k
		}
		if len(sur) > 0 && sur[0] != "" && sur[0][0] >= 'a' && sur[0][0] <= 'z' {
			np.surIni[sur[0][0]-'a'] += k
		}
	}
	return np
}

// share is the share of the population carrying token t (at least one
// person in the population plus one: a name nobody else carries is rare,
// not impossible).
func (np *namePop) share(t string) float64 {
	if np == nil || np.n == 0 {
		return 0
	}
	return float64(np.tokens[t]+1) / (np.n + 1)
}

func iniShare(c [26]int32, n float64, b byte) float64 {
	if n == 0 || b < 'a' || b > 'z' {
		return 0
	}
	return float64(c[b-'a']+1) / (n + 1)
}

// capLR is the likelihood ratio of a name evidence seen by a share f of
// the population, at most ceiling (f = 0: population unknown).
func capLR(ceiling, f float64) float64 {
	if f <= 0 {
		return ceiling
	}
	return math.Max(1, math.Min(ceiling, 1/f))
}

// payerID is what a handle is compared with.
type payerID struct {
	phone   string   // E.164
	region  string   // the payer's country, to read national numbers
	email   string   // local part, letters and digits
	given   []string // folded tokens of the given names
	surname []string // folded tokens of the surname
	year    int
	pop     *namePop // may be nil
}

func newPayerID(p *vigil.Party, pop *namePop) *payerID {
	id := &payerID{year: p.BirthDate.Year, region: p.Country, pop: pop}
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

	// The handle read as a phone number in the last region asked
	// (payers are mostly of one country: parsed once, not per payer).
	phoneRegion, phone string
	phoneOK, phoneDone bool
}

// phoneIn is the handle as an E.164 number read in region.
func (h *handleForms) phoneIn(region string) (string, bool) {
	if !h.phoneDone || h.phoneRegion != region {
		h.phone, h.phoneOK = resolve.NormalizePhone(h.raw, region)
		h.phoneRegion, h.phoneDone = region, true
	}
	return h.phone, h.phoneOK
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
func (p *payerID) link(handle string) identity {
	hf := newHandleForms(handle)
	return p.linkForms(&hf)
}

// linkForms compares a handle's forms with the payer.
func (p *payerID) linkForms(h *handleForms) identity {
	if h.digits >= 8 && p.phone != "" {
		if e, ok := h.phoneIn(p.region); ok && e == p.phone {
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
	var fs, fg, n float64 // population shares of the surname and given name found
	if p.pop != nil {
		fs, fg, n = p.pop.share(sur), p.pop.share(giv), p.pop.n
	}
	pct := func(f float64) string {
		if f <= 0 {
			return ""
		}
		return fmt.Sprintf(" (carried by %.3g%% of the parties)", 100*f)
	}
	var id identity
	switch {
	case sur != "" && giv != "":
		id = identity{capLR(LRGivenSurname, fs*fg), fmt.Sprintf("the handle holds the customer's given name %q%s and surname %q%s", giv, pct(fg), sur, pct(fs))}
	case sur != "" && initialNext(l, sur, p.given):
		fi := 0.0
		if p.pop != nil && len(p.given) > 0 && p.given[0] != "" {
			fi = iniShare(p.pop.givenIni, n, p.given[0][0])
		}
		id = identity{capLR(LRInitial, fs*fi), fmt.Sprintf("the handle holds the customer's surname %q%s next to a given name's initial", sur, pct(fs))}
	case giv != "" && len(p.surname) > 0 && p.surname[0] != "" && strings.HasSuffix(l, giv+p.surname[0][:1]):
		// "wolfgang.h57": the handle's letters end in a given name and
		// the surname's initial.
		fi := 0.0
		if p.pop != nil && len(p.surname) > 0 && p.surname[0] != "" {
			fi = iniShare(p.pop.surIni, n, p.surname[0][0])
		}
		id = identity{capLR(LRInitial, fg*fi), fmt.Sprintf("the handle holds the customer's given name %q%s next to the surname's initial", giv, pct(fg))}
	case sur != "":
		id = identity{capLR(LRSurname, fs), fmt.Sprintf("the handle holds the customer's surname %q%s", sur, pct(fs))}
	case giv != "" && len(giv) >= 4:
		id = identity{capLR(LRGiven, fg), fmt.Sprintf("the handle holds the customer's given name %q%s", giv, pct(fg))}
	default:
		return identity{1, ""}
	}
	if id.lr <= 1 {
		return identity{1, ""}
	}
	if (sur != "" || id.lr > LRGiven) && p.year > 0 {
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

// payerIndex finds the payers a handle may name: linkForms finds a name
// only when one of the payer's name words of three letters or more is in
// the handle's letters, an e-mail only when the handle's letters and
// digits are its local part, and a phone only when the handle read in the
// payer's country is the payer's number. Every other payer gives a
// likelihood ratio of 1, so comparing the payers the index gives is
// comparing them all, without going through every payer for every handle.
type payerIndex struct {
	words   map[string][]int32 // name word (≥ 3 letters) → payers
	longest int                // longest word indexed
	email   map[string][]int32 // e-mail local part → payers
	phone   map[string][]int32 // region + E.164 → payers
	regions []string           // regions of the payers with a phone
}

func newPayerIndex(ids map[int32]*payerID) *payerIndex {
	ix := &payerIndex{words: map[string][]int32{}, email: map[string][]int32{}, phone: map[string][]int32{}}
	add := func(m map[string][]int32, k string, s int32) {
		if l := m[k]; len(l) == 0 || l[len(l)-1] != s {
			m[k] = append(l, s)
		}
	}
	for s, p := range ids {
		for _, ws := range [2][]string{p.surname, p.given} {
			for _, w := range ws {
				if len(w) >= 3 {
					add(ix.words, w, s)
					ix.longest = max(ix.longest, len(w))
				}
			}
		}
		if p.email != "" {
			add(ix.email, p.email, s)
		}
		if p.phone != "" {
			if !slices.Contains(ix.regions, p.region) {
				ix.regions = append(ix.regions, p.region)
			}
			add(ix.phone, p.region+"\x00"+p.phone, s)
		}
	}
	return ix
}

// each calls f with every payer the handle may name (a payer may come
// more than once).
func (ix *payerIndex) each(h *handleForms, f func(int32)) {
	if h.digits >= 8 {
		for _, r := range ix.regions {
			if e, ok := h.phoneIn(r); ok {
				for _, s := range ix.phone[r+"\x00"+e] {
					f(s)
				}
			}
		}
	}
	if h.alnum != "" {
		for _, s := range ix.email[h.alnum] {
			f(s)
		}
	}
	l := h.letter
	for i := range len(l) {
		for j := i + 3; j <= len(l) && j-i <= ix.longest; j++ {
			for _, s := range ix.words[l[i:j]] {
				f(s)
			}
		}
	}
}
