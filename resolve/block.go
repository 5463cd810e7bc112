package resolve

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Blocking rules. A pair of records is compared only when the two share
// at least one key; each rule catches the matches the others miss.
const (
	ruleNamePair        = iota + 1 // phonetic given name and surname, in either order
	ruleNameYear                   // the same pair + birth year
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
	ruleSurname                    // phonetic surname alone (small blocks only)
	ruleGivenCity                  // phonetic given name + phonetic city
	ruleGivenSurInitial            // phonetic given name + surname initial
	ruleSurPrefix                  // first three letters of the surname + given-name initial
	rulePostcode                   // postcode alone (small blocks only)
	ruleEmailPrefix                // first four characters of the email as written (small blocks only)
	ruleEmailDomain                // email domain + given-name or surname initial (small blocks only)
	ruleMonthDay                   // birth month and day + surname or given-name initial
	ruleCityYear                   // phonetic city + birth year + any name initial
	ruleToken                      // any word of the name, phonetically (small blocks only)
	ruleTokenCity                  // any word of the name + phonetic city
	ruleTokenYear                  // any word of the name + birth year
	ruleTokenPostcode              // any word of the name + postcode district
	ruleTokenOccupation            // any word of the name + occupation
	ruleTokenPair                  // any two words of the name, in either order
	ruleInitialCity                // a name initial + phonetic city
	ruleTokenMonthDay              // any word of the name + birth month and day (small blocks only)
	ruleYear                       // birth year alone, or within a year (small blocks only)
	ruleCity                       // phonetic city alone (small blocks only)
	ruleWordEdit                   // a name word, or the word with one letter deleted (small blocks only)
	ruleNickPair                   // a formal name of a given name (nickname table) + another word of the name
	ruleNickYear                   // a formal name of a given name + birth year
	ruleNickCity                   // a formal name of a given name + phonetic city
	ruleNickPostcode               // a formal name of a given name + postcode district
	ruleNickOccupation             // a formal name of a given name + occupation
	numRules
)

// smallRules are the weak keys: one field alone, or a field with an
// initial. They catch the pairs whose names or dates are too damaged for
// the strong keys, in small data or among rare values; a block larger than
// MaxBlock/4 (50 by default) is too common to compare in full, which
// keeps the number of comparisons near-linear at a million records.
var smallRules = [numRules]bool{ruleSurname: true, rulePostcode: true, ruleEmailPrefix: true, ruleEmailDomain: true, ruleDOB: true,
	ruleGivenCity: true, ruleGivenSurInitial: true, ruleSurPrefix: true, ruleMonthDay: true, ruleCityYear: true, ruleToken: true, ruleYear: true, ruleCity: true, ruleTokenMonthDay: true, ruleWordEdit: true}

// BlockingRules describes the rules, for reports and docs.
var BlockingRules = []string{
	ruleNamePair:        "phonetic given name and surname, in either order",
	ruleNameYear:        "phonetic given name and surname, in either order, + birth year",
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
	ruleSurname:         "phonetic surname alone (blocks of 50 or fewer)",
	ruleGivenCity:       "phonetic given name + phonetic city (blocks of 50 or fewer)",
	ruleGivenSurInitial: "phonetic given name + surname initial (blocks of 50 or fewer)",
	ruleSurPrefix:       "first three letters of the surname + given-name initial (blocks of 50 or fewer)",
	rulePostcode:        "postcode alone (blocks of 50 or fewer)",
	ruleEmailPrefix:     "first four characters of the email as written (blocks of 50 or fewer)",
	ruleEmailDomain:     "email domain + a name initial (blocks of 50 or fewer)",
	ruleMonthDay:        "birth month and day + a name initial (blocks of 50 or fewer)",
	ruleCityYear:        "phonetic city + birth year + a name initial (blocks of 50 or fewer)",
	ruleToken:           "any word of the name, phonetically (blocks of 50 or fewer)",
	ruleTokenCity:       "any word of the name + phonetic city",
	ruleTokenYear:       "any word of the name + birth year",
	ruleTokenPostcode:   "any word of the name + postcode district",
	ruleTokenOccupation: "any word of the name + occupation",
	ruleTokenPair:       "any two words of the name, in either order",
	ruleInitialCity:     "a name initial + phonetic city",
	ruleTokenMonthDay:   "any word of the name + birth month and day (blocks of 50 or fewer)",
	ruleYear:            "birth year alone, or within a year (blocks of 50 or fewer)",
	ruleCity:            "phonetic city alone (blocks of 50 or fewer)",
	ruleWordEdit:        "a word of the name or email, or it with one letter deleted (blocks of 50 or fewer)",
	ruleNickPair:        "a formal name of a given name (nickname table) + another word of the name",
	ruleNickYear:        "a formal name of a given name + birth year",
	ruleNickCity:        "a formal name of a given name + phonetic city",
	ruleNickPostcode:    "a formal name of a given name + postcode district",
	ruleNickOccupation:  "a formal name of a given name + occupation",
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
func blockKeys(p *prepared, buf []uint64) []uint64 { return blockKeysFor(p, buf, true) }

// blockKeysFor appends the blocking keys of p to buf, the fuzzy ones
// (ruleWordEdit and ruleNick*) only when fuzzy is set. EM learns from the candidates of the other keys only, so that the
// model, and every score, stays the same however wide the fuzzy keys
// cast the net: they add candidates, they do not change a weight.
func blockKeysFor(p *prepared, buf []uint64, fuzzy bool) []uint64 {
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
	if p.initial != 0 && p.surKey != "" {
		add(ruleInitialSur, newHasher(ruleInitialSur).byte(p.initial).str(p.surKey))
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
	if p.phone2 != "" {
		add(rulePhone, newHasher(rulePhone).str(p.phone2))
	}
	if p.email != "" {
		add(ruleEmail, newHasher(ruleEmail).str(p.email))
		if len(p.email) >= 4 {
			// also for a short local part ("j.t@") and an address that
			// does not parse ("oliverjones82bond.biz")
			add(ruleEmailPrefix, newHasher(ruleEmailPrefix).str(p.email[:4]))
		}
		if at := strings.IndexByte(p.email, '@'); at >= 0 {
			if at >= 4 {
				add(ruleEmailLocal, newHasher(ruleEmailLocal).str(p.email[:at]))
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
	if p.dob.Year != 0 {
		// and two-year windows, overlapping: years one apart share one
		if p.common&commonYear == 0 {
			add(ruleYear, newHasher(ruleYear).int(p.dob.Year))
		}
		if p.common&commonWindowA == 0 {
			add(ruleYear, newHasher(ruleYear).byte('a').int(p.dob.Year/2))
		}
		if p.common&commonWindowB == 0 {
			add(ruleYear, newHasher(ruleYear).byte('b').int((p.dob.Year+1)/2))
		}
	}
	if p.cityKey != "" && p.common&commonCity == 0 {
		add(ruleCity, newHasher(ruleCity).str(p.cityKey))
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
	var seen [12]string
	ns := 0
	if p.tokKeys != "" {
		district := postcodeDistrict(p.postcode)
		toks := p.tokKeys
		for len(toks) > 0 {
			t := toks
			if i := strings.IndexByte(toks, ' '); i >= 0 {
				t, toks = toks[:i], toks[i+1:]
			} else {
				toks = ""
			}
			if t == "" {
				continue
			}
			for _, o := range seen[:ns] {
				x, y := o, t
				if y < x {
					x, y = y, x
				}
				add(ruleTokenPair, newHasher(ruleTokenPair).str(x).str(y))
			}
			if ns < 5 {
				seen[ns] = t
				ns++
			}
			if p.occupation != "" {
				add(ruleTokenOccupation, newHasher(ruleTokenOccupation).str(t).str(p.occupation))
			}
			add(ruleToken, newHasher(ruleToken).str(t))
			if p.cityKey != "" {
				add(ruleTokenCity, newHasher(ruleTokenCity).str(t).str(p.cityKey))
			}
			if p.dob.Year != 0 {
				add(ruleTokenYear, newHasher(ruleTokenYear).str(t).int(p.dob.Year))
			}
			if full {
				add(ruleTokenMonthDay, newHasher(ruleTokenMonthDay).str(t).int(p.dob.Month*100+p.dob.Day))
			}
			if p.cityKey != "" && p.common&commonCityInitial == 0 {
				add(ruleInitialCity, newHasher(ruleInitialCity).byte(t[0]).str(p.cityKey))
			}
			if district != "" {
				add(ruleTokenPostcode, newHasher(ruleTokenPostcode).str(t).str(district))
			}
		}
	}
	// the formal names of the given names, in keys of their own (so that
	// the other rules' blocks, and the EM sample, stay as they are): with
	// another word of the name, the birth year, the city, the postcode
	// district or the occupation
	for nick := p.nickKeys; nick != "" && fuzzy; {
		t, rest, _ := strings.Cut(nick, " ")
		nick = rest
		for _, o := range seen[:ns] {
			if o != t {
				x, y := o, t
				if y < x {
					x, y = y, x
				}
				add(ruleNickPair, newHasher(ruleNickPair).str(x).str(y))
			}
		}
		if p.dob.Year != 0 {
			add(ruleNickYear, newHasher(ruleNickYear).str(t).int(p.dob.Year))
		}
		if p.cityKey != "" {
			add(ruleNickCity, newHasher(ruleNickCity).str(t).str(p.cityKey))
		}
		if d := postcodeDistrict(p.postcode); d != "" {
			add(ruleNickPostcode, newHasher(ruleNickPostcode).str(t).str(d))
		}
		if p.occupation != "" {
			add(ruleNickOccupation, newHasher(ruleNickOccupation).str(t).str(p.occupation))
		}
	}
	for i, ws := 0, p.words; ws != "" && fuzzy; i++ {
		w, rest, _ := strings.Cut(ws, " ")
		ws = rest
		if p.commonWords&(1<<i) != 0 {
			continue
		}
		// the word and its deletions share one key space: two words one
		// substitution, insertion, deletion or transposition apart share
		// a key ("quinton"/"1uinton" → "uinton", "harper"/"harppe" →
		// "harpe")
		add(ruleWordEdit, newHasher(ruleWordEdit).str(w))
		for d := 0; d < len(w); d++ {
			if d > 0 && w[d] == w[d-1] {
				continue // the same deletion as the previous letter's
			}
			h := newHasher(ruleWordEdit)
			for j := 0; j < len(w); j++ {
				if j != d {
					h = h.byte(w[j])
				}
			}
			add(ruleWordEdit, h.byte(0))
		}
	}
	return dedupKeys(buf)
}

// postcodeDistrict returns the outward part of a British postcode (the
// code without its last three characters, digit and two letters: "N65UF"
// → "N6") and any other postcode whole: a neighbour's or a mistyped
// inward code still shares it.
func postcodeDistrict(pc string) string {
	n := len(pc)
	if n >= 5 && pc[n-3] >= '0' && pc[n-3] <= '9' && pc[n-2] >= 'A' && pc[n-1] >= 'A' {
		return pc[:n-3]
	}
	return pc
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

// index maps blocking keys to the records that carry them. It is two
// parallel arrays sorted by key (12 bytes per key and record, no map, no
// per-block allocation), cut into 65,536 buckets by the key's top 16 bits
// so that a look-up is a short binary search.
type index struct {
	keys   []uint64 // distinct keys, sorted
	start  []int32  // key i's records are recs[start[i]:start[i+1]]
	recs   []int32
	bucket []int32  // bucket b holds keys[bucket[b]:bucket[b+1]]
	caps   [256]int // largest block compared, by rule
}

const bucketShift = 48

// smallCap is the largest block compared for a weak key (smallRules).
func smallCap(maxBlock int) int { return max(maxBlock/4, 10) }

type keyRec struct {
	k uint64
	r int32
}

// buildIndex computes the keys of every record and sorts them, both in
// parallel on workers goroutines.
// Bits of prepared.common: the record's birth year or city is held by so
// many reference records that the keys of that value alone (or with a
// name initial) would make blocks larger than their limit. Such keys are
// not stored: at a million records they are most of the keys of a record
// and never compared.
const (
	commonYear        = 1 << iota // birth year in more than the weak limit
	commonWindowA                 // its two-year window (y/2) in more than the weak limit
	commonWindowB                 // its other two-year window ((y+1)/2) in more than the weak limit
	commonCity                    // city in more than the weak limit
	commonCityInitial             // city in more than 20 strong limits (an initial cannot split it enough)
)

// markCommon sets prepared.common on the reference records.
func markCommon(recs []prepared, maxBlock int) {
	years := map[int]int32{}
	cities := map[string]int32{}
	words := map[string]int32{}
	for i := range recs {
		for ws := recs[i].words; ws != ""; {
			w, rest, _ := strings.Cut(ws, " ")
			ws = rest
			words[w]++
		}
		if y := recs[i].dob.Year; y != 0 {
			years[y]++
		}
		if c := recs[i].cityKey; c != "" {
			cities[c]++
		}
	}
	weak := int32(smallCap(maxBlock))
	for i := range recs {
		p := &recs[i]
		p.common = 0
		// every record of a value gets the same bit, so that a block is
		// stored whole or not at all
		if y := p.dob.Year; y != 0 {
			a, b := 2*(y/2), 2*((y+1)/2)
			if years[y] > weak {
				p.common |= commonYear
			}
			if years[a]+years[a+1] > weak {
				p.common |= commonWindowA
			}
			if years[b-1]+years[b] > weak {
				p.common |= commonWindowB
			}
		}
		p.commonWords = 0
		for i, ws := 0, p.words; ws != ""; i++ {
			w, rest, _ := strings.Cut(ws, " ")
			ws = rest
			if words[w] > weak {
				p.commonWords |= 1 << i
			}
		}
		if c := p.cityKey; c != "" {
			if cities[c] > weak {
				p.common |= commonCity
			}
			if cities[c] > int32(20*maxBlock) {
				p.common |= commonCityInitial
			}
		}
	}
}

func buildIndex(recs []prepared, maxBlock, workers int) *index {
	markCommon(recs, maxBlock)
	ix := &index{}
	for r := range ix.caps {
		ix.caps[r] = maxBlock
		if r < len(smallRules) && smallRules[r] {
			ix.caps[r] = smallCap(maxBlock)
		}
	}
	workers = max(workers, 1)
	const nb = 1 << (64 - bucketShift)
	// 1. keys of each worker's share of the records, and bucket counts
	parts := make([][]keyRec, workers)
	counts := make([][]int32, workers)
	var wg sync.WaitGroup
	chunk := (len(recs) + workers - 1) / workers
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			lo, hi := min(w*chunk, len(recs)), min((w+1)*chunk, len(recs))
			out := make([]keyRec, 0, (hi-lo)*16)
			cnt := make([]int32, nb)
			var buf []uint64
			for i := lo; i < hi; i++ {
				buf = blockKeys(&recs[i], buf[:0])
				for _, k := range buf {
					out = append(out, keyRec{k, int32(i)})
					cnt[k>>bucketShift]++
				}
			}
			parts[w], counts[w] = out, cnt
		}(w)
	}
	wg.Wait()
	// 2. scatter into buckets (each worker writes its own ranges)
	ix.bucket = make([]int32, nb+1)
	start := make([][]int32, workers)
	total := int32(0)
	for w := range start {
		start[w] = make([]int32, nb)
	}
	for b := 0; b < nb; b++ {
		ix.bucket[b] = total
		for w := 0; w < workers; w++ {
			start[w][b] = total
			total += counts[w][b]
		}
	}
	ix.bucket[nb] = total
	all := make([]keyRec, total)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			pos := start[w]
			for _, e := range parts[w] {
				b := e.k >> bucketShift
				all[pos[b]] = e
				pos[b]++
			}
			parts[w] = nil
		}(w)
	}
	wg.Wait()
	// 3. sort each bucket, buckets shared among the workers
	ix.recs = make([]int32, total)
	distinct := make([]int32, nb) // distinct keys per bucket
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for b := w; b < nb; b += workers {
				lo, hi := ix.bucket[b], ix.bucket[b+1]
				part := all[lo:hi]
				if len(part) > 1 {
					slices.SortFunc(part, func(x, y keyRec) int {
						if x.k != y.k {
							return cmp.Compare(x.k, y.k)
						}
						return cmp.Compare(x.r, y.r)
					})
				}
				for i, e := range part {
					ix.recs[int(lo)+i] = e.r
					if i == 0 || e.k != part[i-1].k {
						distinct[b]++
					}
				}
			}
		}(w)
	}
	wg.Wait()
	// 4. distinct keys and where their records start, bucket by bucket
	kb := make([]int32, nb+1)
	nk := int32(0)
	for b := 0; b < nb; b++ {
		kb[b] = nk
		nk += distinct[b]
	}
	kb[nb] = nk
	ix.keys = make([]uint64, nk)
	ix.start = make([]int32, nk+1)
	ix.start[nk] = total
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for b := w; b < nb; b += workers {
				lo, hi := ix.bucket[b], ix.bucket[b+1]
				n := kb[b]
				for i := lo; i < hi; i++ {
					if i == lo || all[i].k != all[i-1].k {
						ix.keys[n], ix.start[n] = all[i].k, i
						n++
					}
				}
			}
		}(w)
	}
	wg.Wait()
	ix.bucket = kb
	return ix
}

// run returns the position and length of key k's block in recs.
func (ix *index) run(k uint64) (int, int) {
	b := k >> bucketShift
	lo, hi := int(ix.bucket[b]), int(ix.bucket[b+1])
	i, ok := slices.BinarySearch(ix.keys[lo:hi], k)
	if !ok {
		return 0, 0
	}
	i += lo
	return int(ix.start[i]), int(ix.start[i+1] - ix.start[i])
}

// size returns how many records carry key k.
func (ix *index) size(k uint64) int {
	_, n := ix.run(k)
	return n
}

// block returns the records with key k, or nil when the block is larger
// than its rule allows (a key too common to discriminate).
func (ix *index) block(k uint64) []int32 {
	i, n := ix.run(k)
	if n == 0 || n > ix.caps[ruleOf(k)] {
		return nil
	}
	return ix.recs[i : i+n]
}

// skipped counts the blocks too large to compare.
func (ix *index) skipped() int {
	n := 0
	for i, k := range ix.keys {
		if int(ix.start[i+1]-ix.start[i]) > ix.caps[ruleOf(k)] {
			n++
		}
	}
	return n
}
