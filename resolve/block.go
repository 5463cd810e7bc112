package resolve

import (
	"strconv"
	"strings"
)

// Blocking rules. A pair of records is compared only when the two share
// at least one key; each rule catches the matches the others miss.
const (
	ruleNamePair    = iota + 1 // phonetic given name and surname, in either order
	ruleNameYear               // the same pair + birth year
	ruleSurnameYear            // phonetic surname (or one word of a compound surname) + birth year
	ruleInitialSur             // given-name initial + phonetic surname
	ruleGivenDOB               // phonetic given name + full birth date (surname changed or misspelt)
	ruleDOB                    // full birth date alone (both names missing or misspelt)
	ruleDOBPostcode            // full birth date + postcode
	rulePhone                  // last nine digits of the phone
	ruleEmail                  // canonical email
	ruleEmailLocal             // local part of the email (domain misspelt or changed)
	ruleHandle                 // online handle
	ruleAccount                // account number
	ruleIDNumber               // identity document number
	ruleSurnameCity            // phonetic surname + city
)

// BlockingRules describes the rules, for reports and docs.
var BlockingRules = []string{
	ruleNamePair:    "phonetic given name and surname, in either order",
	ruleNameYear:    "phonetic given name and surname, in either order, + birth year",
	ruleSurnameYear: "phonetic surname (or a word of a compound surname) + birth year",
	ruleInitialSur:  "given-name initial + phonetic surname",
	ruleGivenDOB:    "phonetic given name or surname + full birth date",
	ruleDOB:         "full birth date",
	ruleDOBPostcode: "full birth date + postcode",
	rulePhone:       "last nine digits of the phone",
	ruleEmail:       "canonical email",
	ruleEmailLocal:  "local part of the email (four characters or more)",
	ruleHandle:      "online handle",
	ruleAccount:     "account number",
	ruleIDNumber:    "identity document number",
	ruleSurnameCity: "phonetic surname + city",
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

// blockKeys appends the blocking keys of p to buf.
func blockKeys(p *prepared, buf []uint64) []uint64 {
	add := func(h hasher) { buf = append(buf, uint64(h)) }
	full := p.dob.Precision() == 3
	ymd := p.dob.Year*10000 + p.dob.Month*100 + p.dob.Day
	if p.surKey != "" && p.givenKey != "" {
		// both names, in either order: the pair of keys sorted
		x, y := p.surKey, p.givenKey
		if y < x {
			x, y = y, x
		}
		add(newHasher(ruleNamePair).str(x).str(y))
		if p.dob.Year != 0 {
			add(newHasher(ruleNameYear).str(x).str(y).int(p.dob.Year))
		}
	}
	if p.surKey != "" && p.dob.Year != 0 {
		add(newHasher(ruleSurnameYear).str(p.surKey).int(p.dob.Year))
		if strings.IndexByte(p.surname, ' ') > 0 {
			// each word of a compound surname ("garcia lopez", "dela cruz")
			start := 0
			for i := 0; i <= len(p.surname); i++ {
				if i == len(p.surname) || p.surname[i] == ' ' {
					if w := p.surname[start:i]; len(w) > 2 && !particles[w] {
						add(newHasher(ruleSurnameYear).str(phoneticWord(w)).int(p.dob.Year))
					}
					start = i + 1
				}
			}
		}
	}
	if p.initial != 0 && p.surKey != "" {
		add(newHasher(ruleInitialSur).byte(p.initial).str(p.surKey))
	}
	if p.surname == "" && p.givenKey != "" && p.dob.Year != 0 {
		// a lone name may be the surname
		add(newHasher(ruleSurnameYear).str(p.givenKey).int(p.dob.Year))
	}
	if full {
		// either name + full birth date, whatever its role
		if p.givenKey != "" {
			add(newHasher(ruleGivenDOB).str(p.givenKey).int(ymd))
		}
		if p.surKey != "" {
			add(newHasher(ruleGivenDOB).str(p.surKey).int(ymd))
		}
		add(newHasher(ruleDOB).int(ymd))
		if p.postcode != "" {
			add(newHasher(ruleDOBPostcode).str(p.postcode).int(ymd))
		}
	}
	if p.phone != "" {
		add(newHasher(rulePhone).str(p.phone))
	}
	if p.email != "" {
		add(newHasher(ruleEmail).str(p.email))
		if at := strings.IndexByte(p.email, '@'); at >= 4 {
			add(newHasher(ruleEmailLocal).str(p.email[:at]))
		}
	}
	if p.handle != "" {
		add(newHasher(ruleHandle).str(p.handle))
	}
	if p.account != "" {
		add(newHasher(ruleAccount).str(p.account))
	}
	if p.idnum != "" {
		add(newHasher(ruleIDNumber).str(p.idnum))
	}
	if p.surKey != "" && p.city != "" {
		add(newHasher(ruleSurnameCity).str(p.surKey).str(p.city))
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
}

func buildIndex(recs []prepared, maxBlock int) *index {
	ix := &index{blocks: make(map[uint64][]int32, len(recs)*4), maxBlock: maxBlock}
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
	if len(b) > ix.maxBlock {
		return nil
	}
	return b
}
