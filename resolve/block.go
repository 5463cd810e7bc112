package resolve

import (
	"strconv"
	"strings"
)

// Blocking rules. A pair of records is compared only when the two share
// at least one key; each rule catches the matches the others miss.
const (
	ruleNamePair        = iota + 1 // phonetic given name and surname, in either order
	ruleNameYear                   // the same pair + birth year
	ruleSurnameYear                // phonetic surname (or one word of a compound surname) + birth year
	ruleInitialSur                 // given-name initial + phonetic surname
	ruleGivenDOB                   // phonetic given name + full birth date (surname changed or misspelt)
	ruleDOB                        // full birth date alone (both names missing or misspelt)
	ruleDOBPostcode                // full birth date + postcode
	rulePhone                      // last nine digits of the phone
	ruleEmail                      // canonical email
	ruleEmailLocal                 // local part of the email (domain misspelt or changed)
	ruleHandle                     // online handle
	ruleAccount                    // account number
	ruleIDNumber                   // identity document number
	ruleSurnameCity                // phonetic surname + city
	ruleSurname                    // phonetic surname alone (small blocks only)
	ruleGivenCity                  // phonetic given name + phonetic city
	ruleGivenSurInitial            // phonetic given name + surname initial
	ruleSurPrefix                  // first three letters of the surname + given-name initial
	rulePostcode                   // postcode alone (small blocks only)
	ruleEmailPrefix                // first four characters of the email's local part (small blocks only)
	ruleEmailDomain                // email domain + given-name or surname initial (small blocks only)
	ruleMonthDay                   // birth month and day + surname or given-name initial
	ruleCityYear                   // phonetic city + birth year + any name initial
	numRules
)

// smallRules are the weak keys: one field alone, or a field with an
// initial. They catch the pairs whose names or dates are too damaged for
// the strong keys, in small data or among rare values; a block larger than
// MaxBlock/20 (50 by default) is too common to compare in full, which
// keeps the number of comparisons near-linear at a million records.
var smallRules = [numRules]bool{ruleSurname: true, rulePostcode: true, ruleEmailPrefix: true, ruleEmailDomain: true, ruleDOB: true,
	ruleGivenCity: true, ruleGivenSurInitial: true, ruleSurPrefix: true, ruleMonthDay: true, ruleCityYear: true}

// BlockingRules describes the rules, for reports and docs.
var BlockingRules = []string{
	ruleNamePair:        "phonetic given name and surname, in either order",
	ruleNameYear:        "phonetic given name and surname, in either order, + birth year",
	ruleSurnameYear:     "phonetic surname (or a word of a compound surname) + birth year",
	ruleInitialSur:      "given-name initial + phonetic surname",
	ruleGivenDOB:        "phonetic given name or surname + full birth date",
	ruleDOB:             "full birth date",
	ruleDOBPostcode:     "full birth date + postcode",
	rulePhone:           "last nine digits of the phone",
	ruleEmail:           "canonical email",
	ruleEmailLocal:      "local part of the email (four characters or more)",
	ruleHandle:          "online handle",
	ruleAccount:         "account number",
	ruleIDNumber:        "identity document number",
	ruleSurnameCity:     "phonetic surname + city",
	ruleSurname:         "phonetic surname alone (blocks of 50 or fewer)",
	ruleGivenCity:       "phonetic given name + phonetic city (blocks of 50 or fewer)",
	ruleGivenSurInitial: "phonetic given name + surname initial (blocks of 50 or fewer)",
	ruleSurPrefix:       "first three letters of the surname + given-name initial (blocks of 50 or fewer)",
	rulePostcode:        "postcode alone (blocks of 50 or fewer)",
	ruleEmailPrefix:     "first four characters of the email's local part (blocks of 50 or fewer)",
	ruleEmailDomain:     "email domain + a name initial (blocks of 50 or fewer)",
	ruleMonthDay:        "birth month and day + a name initial (blocks of 50 or fewer)",
	ruleCityYear:        "phonetic city + birth year + a name initial (blocks of 50 or fewer)",
}

// hasher is FNV-1a over the parts of a key, written without allocation.
type hasher uint64

func newHasher(rule int) hasher {
	h := hasher(14695981039346656037)
	return h.byte(byte(rule))
}

func (h hasher) byte(c byte) hasher { return (h ^ hasher(c)) * 1099511628211 }

func (h hasher) str(s string) hasher {
	for i := 0; i < len(s); i++ {
		h = h.byte(s[i])
	}
	return h.byte(0)
}

func (h hasher) int(n int) hasher {
	var b [20]byte
	return h.str(string(strconv.AppendInt(b[:0], int64(n), 10)))
}

// A blocking key is the hash of its parts with the rule in the top byte,
// so that the size limit of its block can be read from the key alone.
const keyRuleShift = 56

func keyOf(rule int, h hasher) uint64 {
	return uint64(h)&(1<<keyRuleShift-1) | uint64(rule)<<keyRuleShift
}

func ruleOf(k uint64) int { return int(k >> keyRuleShift) }

// prefix returns the first n bytes of s, or s when shorter.
func prefix(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// blockKeys appends the blocking keys of p to buf.
func blockKeys(p *prepared, buf []uint64) []uint64 {
	add := func(rule int, h hasher) { buf = append(buf, keyOf(rule, h)) }
	full := p.dob.Precision() == 3
	ymd := p.dob.Year*10000 + p.dob.Month*100 + p.dob.Day
	var surInitial byte
	if p.surname != "" {
		surInitial = p.surname[0]
	}
	if p.surKey != "" && p.givenKey != "" {
		// both names, in either order: the pair of keys sorted
		x, y := p.surKey, p.givenKey
		if y < x {
			x, y = y, x
		}
		add(ruleNamePair, newHasher(ruleNamePair).str(x).str(y))
		if p.dob.Year != 0 {
			add(ruleNameYear, newHasher(ruleNameYear).str(x).str(y).int(p.dob.Year))
		}
	}
	if p.surKey != "" && p.dob.Year != 0 {
		add(ruleSurnameYear, newHasher(ruleSurnameYear).str(p.surKey).int(p.dob.Year))
		if strings.IndexByte(p.surname, ' ') > 0 {
			// each word of a compound surname ("garcia lopez", "dela cruz")
			start := 0
			for i := 0; i <= len(p.surname); i++ {
				if i == len(p.surname) || p.surname[i] == ' ' {
					if w := p.surname[start:i]; len(w) > 2 && !particles[w] {
						add(ruleSurnameYear, newHasher(ruleSurnameYear).str(phoneticWord(w)).int(p.dob.Year))
					}
					start = i + 1
				}
			}
		}
	}
	if p.initial != 0 && p.surKey != "" {
		add(ruleInitialSur, newHasher(ruleInitialSur).byte(p.initial).str(p.surKey))
	}
	if p.surname == "" && p.givenKey != "" && p.dob.Year != 0 {
		// a lone name may be the surname
		add(ruleSurnameYear, newHasher(ruleSurnameYear).str(p.givenKey).int(p.dob.Year))
	}
	if full {
		// either name + full birth date, whatever its role
		if p.givenKey != "" {
			add(ruleGivenDOB, newHasher(ruleGivenDOB).str(p.givenKey).int(ymd))
		}
		if p.surKey != "" {
			add(ruleGivenDOB, newHasher(ruleGivenDOB).str(p.surKey).int(ymd))
		}
		add(ruleDOB, newHasher(ruleDOB).int(ymd))
		if p.postcode != "" {
			add(ruleDOBPostcode, newHasher(ruleDOBPostcode).str(p.postcode).int(ymd))
		}
		// month and day survive a wrong year
		md := p.dob.Month*100 + p.dob.Day
		if surInitial != 0 {
			add(ruleMonthDay, newHasher(ruleMonthDay).int(md).byte('s').byte(surInitial))
		}
		if p.initial != 0 {
			add(ruleMonthDay, newHasher(ruleMonthDay).int(md).byte('g').byte(p.initial))
		}
	}
	if p.phone != "" {
		add(rulePhone, newHasher(rulePhone).str(p.phone))
	}
	if p.email != "" {
		add(ruleEmail, newHasher(ruleEmail).str(p.email))
		if at := strings.IndexByte(p.email, '@'); at >= 0 {
			if at >= 4 {
				add(ruleEmailLocal, newHasher(ruleEmailLocal).str(p.email[:at]))
				add(ruleEmailPrefix, newHasher(ruleEmailPrefix).str(p.email[:4]))
			}
			if dom := p.email[at+1:]; dom != "" {
				if p.initial != 0 {
					add(ruleEmailDomain, newHasher(ruleEmailDomain).str(dom).byte('g').byte(p.initial))
				}
				if surInitial != 0 {
					add(ruleEmailDomain, newHasher(ruleEmailDomain).str(dom).byte('s').byte(surInitial))
				}
			}
		}
	}
	if p.handle != "" {
		add(ruleHandle, newHasher(ruleHandle).str(p.handle))
	}
	if p.account != "" {
		add(ruleAccount, newHasher(ruleAccount).str(p.account))
	}
	if p.idnum != "" {
		add(ruleIDNumber, newHasher(ruleIDNumber).str(p.idnum))
	}
	if p.surKey != "" && p.city != "" {
		add(ruleSurnameCity, newHasher(ruleSurnameCity).str(p.surKey).str(p.city))
	}
	if p.surKey != "" {
		add(ruleSurname, newHasher(ruleSurname).str(p.surKey))
		if p.initial != 0 && len(p.surname) >= 3 {
			add(ruleSurPrefix, newHasher(ruleSurPrefix).str(prefix(p.surname, 3)).byte(p.initial))
		}
	}
	if p.givenKey != "" {
		if p.cityKey != "" {
			add(ruleGivenCity, newHasher(ruleGivenCity).str(p.givenKey).str(p.cityKey))
		}
		if surInitial != 0 {
			add(ruleGivenSurInitial, newHasher(ruleGivenSurInitial).str(p.givenKey).byte(surInitial))
		}
	}
	if p.postcode != "" {
		add(rulePostcode, newHasher(rulePostcode).str(p.postcode))
	}
	if p.cityKey != "" && p.dob.Year != 0 {
		if p.initial != 0 {
			add(ruleCityYear, newHasher(ruleCityYear).str(p.cityKey).int(p.dob.Year).byte('g').byte(p.initial))
		}
		if surInitial != 0 {
			add(ruleCityYear, newHasher(ruleCityYear).str(p.cityKey).int(p.dob.Year).byte('s').byte(surInitial))
		}
	}
	return dedupKeys(buf)
}

func dedupKeys(k []uint64) []uint64 {
	out := k[:0]
	for i, x := range k {
		dup := false
		for _, y := range k[:i] {
			if x == y {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}

// index maps blocking keys to the records that carry them.
type index struct {
	blocks   map[uint64][]int32
	maxBlock int
	caps     [256]int // largest block compared, by rule
}

// smallCap is the largest block compared for a weak key (smallRules).
func smallCap(maxBlock int) int { return max(maxBlock/20, 10) }

func buildIndex(recs []prepared, maxBlock int) *index {
	ix := &index{blocks: make(map[uint64][]int32, len(recs)*4), maxBlock: maxBlock}
	for r := range ix.caps {
		ix.caps[r] = maxBlock
		if r < len(smallRules) && smallRules[r] {
			ix.caps[r] = smallCap(maxBlock)
		}
	}
	var buf []uint64
	for i := range recs {
		buf = blockKeys(&recs[i], buf[:0])
		for _, k := range buf {
			ix.blocks[k] = append(ix.blocks[k], int32(i))
		}
	}
	return ix
}

// block returns the records with key k, or nil when the block is larger
// than maxBlock (a key too common to discriminate).
func (ix *index) block(k uint64) []int32 {
	b := ix.blocks[k]
	if len(b) > ix.caps[ruleOf(k)] {
		return nil
	}
	return b
}
