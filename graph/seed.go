package graph

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/resolve"
)

// Seed resolution scores a seed (a lead from a partner agency) against each
// beneficiary as log-odds: a prior plus one weight per compared field, as
// in Fellegi–Sunter record linkage. The weights are documented in
// docs/trace.md; the score is the logistic of the sum.
const (
	SeedPrior          = -6.0 // log-odds before any evidence: most beneficiaries are not the seed
	SeedPhoneMatch     = 9.0  // same phone in E.164
	SeedAccountMatch   = 9.0  // same account, letters and digits only
	SeedNameExact      = 6.0  // name similarity ≥ 0.97
	SeedNameStrong     = 5.0  // ≥ 0.92
	SeedNameWeak       = 2.5  // ≥ 0.85
	SeedNameMismatch   = -4.0 // < 0.75, both names present
	SeedCountryMatch   = 0.5
	SeedCountryDiffers = -4.0
	SeedCityMatch      = 2.0
	SeedCityDiffers    = -1.0 // recipients' cities are noisy: a weak penalty
	SeedBirthDay       = 3.0  // same birth date to the day
	SeedBirthMonth     = 2.0  // same year and month
	SeedBirthYear      = 1.0  // same year
	SeedBirthDiffers   = -2.0 // different year
	SeedSharedPayers   = 2.5  // a compatible name paid by senders who pay a picked candidate
	// SeedSharedPayerTypology: a candidate whose only payer is the one
	// shared with a picked candidate gets no shared-payer weight when
	// that payer's payments to it have a typology share below this.
	SeedSharedPayerTypology = 0.5
	SeedTypologyPayers      = 1.5 // a compatible name paid by ≥ 2 senders with typology share ≥ 0.5
	// SeedFamilyWay weighs a recipient of a compatible name that carries
	// neither the seed's phone or account nor her birth date and whose
	// every payer pays it the way family is supported (each sender's
	// typology share below SeedSharedPayerTypology, over at least
	// SeedFamilyWayPayments payments in all): a namesake's family
	// supporting her, or the seed's own relatives — in either case no
	// buyer pays it, and picking it on name and city alone ranks family
	// remitters and ordinary senders among her buyers (big's "Rodel
	// Catapang, Davao City", four payments of one sender to a namesake).
	SeedFamilyWay         = -1.5
	SeedFamilyWayPayments = 2
	// SeedOnePayerTypology and SeedOnePayerPayments: a recipient of a
	// spelling of the seed's name (similarity below SeedOnePayerSimilarity:
	// not her name as written) in the seed's city that carries no phone or account at
	// all, weighed down by SeedIdentifierElsewhere, whose one payer pays
	// it the buyers' way (typology share ≥ SeedOnePayerTypology over ≥
	// SeedOnePayerPayments payments, no honest tie) and pays no picked
	// candidate (else he is a shared payer) gets SeedTypologyPayers
	// too: a buyer paying the facilitator under a spelling the resolver
	// kept apart. One payment, or a share of 0.5–0.7, is what ordinary
	// senders show (a namesake with one such payer is common); a
	// recipient carrying another phone or account is another person
	// identified; her name as written in her town without her phone is
	// what a namesake facilitator of that town looks like (s101's
	// "Edgardo Villareal, Quezon City" and "Francisco Flores, Taguig",
	// each paid by one buyer of his own).
	SeedOnePayerTypology   = 0.7
	SeedOnePayerPayments   = 2
	SeedOnePayerSimilarity = 0.97 // name similarity at or above which it is her name as written, not a spelling
	// SeedIdentifierElsewhere weighs a candidate of a compatible name in
	// the seed's city that carries neither the seed's phone or account
	// (when another recipient carries them) nor its birth date: the seed
	// is known by its identifier, and a namesake in her town without it
	// (a relative of one family shares name and town) is weaker evidence
	// than the city's +2 alone suggests. Shared payers or typology-like
	// payers still pick a spelling without the identifier.
	SeedIdentifierElsewhere = -1.5

	// SeedSurnameClash caps the name similarity of a variant with more
	// names than the seed whose family name is none of the seed's:
	// "Rommel Castro Sison" is not "CASTRO, Rommel" (Castro is his middle
	// name), however close the token sets are.
	SeedSurnameClash = 0.85

	// SeedNamePartsClash caps the name similarity of a variant that no
	// reading of the two names gives the seed's given name and family
	// name together (see namePartsClash): "Benjie Garcia Dizon" is not
	// "DIZON JOSEPHINE GARCIA" (another given name), nor is "Bautista,
	// Rowena" "DE LOS SANTOS ROWENA BAUTISTA" (her middle name as a
	// family name: her mother's family), however many words they
	// share. Below SeedNameWeak: the name is no evidence for it, and
	// neither its payers' ways nor shared payers pick it.
	SeedNamePartsClash = 0.8
	// SeedNamePartMatch is the Jaro-Winkler similarity from which two
	// given names or two family names are one, misspelt ("Roel" for
	// "Rodel", "Mecrado" for "Mercado").
	SeedNamePartMatch = 0.85

	// RareNameExpected is how many recipients may be expected, at most,
	// to carry a seed's name by chance (from the frequency of each of its
	// words among the recipients) for the name alone to pick the one
	// recipient who carries it. RareNameScore caps the score of such a
	// pick: the seed may be paid under another name, so a rare name alone
	// is at best an even chance.
	RareNameExpected = 0.05
	RareNameScore    = 0.5

	// MaxBlockingWord is how many recipients may carry a name word for
	// the word alone to make them candidates of a seed. When every word
	// of the seed's name is that common, a recipient carrying two of
	// them is a candidate.
	MaxBlockingWord = 5000

	// DefaultSeedThreshold is the score from which a candidate is picked.
	// A phone or account with a compatible name is picked, and so is a
	// close name in the seed's city and country; a name alone, however
	// exact, is not (namesakes are common).
	DefaultSeedThreshold = 0.8
)

type seedIndex struct {
	phone   map[string][]int32
	account map[string][]int32
	token   map[string][]int32
}

func (g *Graph) index() *seedIndex {
	g.idxOnce.Do(func() {
		ix := &seedIndex{phone: map[string][]int32{}, account: map[string][]int32{}, token: map[string][]int32{}}
		for i := range g.Beneficiaries {
			be := &g.Beneficiaries[i]
			n := int32(i)
			for _, p := range be.Phones {
				ix.phone[p] = append(ix.phone[p], n)
			}
			for _, a := range be.Accounts {
				k := normalizeAccount(a)
				ix.account[k] = append(ix.account[k], n)
			}
			for _, t := range be.utokens {
				if len(t) >= 3 {
					ix.token[t] = append(ix.token[t], n)
				}
			}
		}
		g.idx.Store(ix)
	})
	return g.idx.Load()
}

// indexFor returns the seed index for a trace of seeds: the graph's full
// index when it has one, else one pass over the beneficiaries that keeps
// only the seeds' phones, accounts and name words — for a graph built to
// serve one trace (Options.NoSeedIndex), far cheaper than indexing every
// word of every recipient.
func (g *Graph) indexFor(seeds []vigil.Lead) *seedIndex {
	if ix := g.idx.Load(); ix != nil {
		return ix
	}
	ix := &seedIndex{phone: map[string][]int32{}, account: map[string][]int32{}, token: map[string][]int32{}}
	for i := range seeds {
		s := &seeds[i]
		if s.Phone != "" {
			if p, _ := resolve.NormalizePhone(s.Phone, s.Country); p != "" {
				ix.phone[p] = nil
			}
		}
		if s.Account != "" {
			ix.account[normalizeAccount(s.Account)] = nil
		}
		for _, t := range resolve.NameTokensOf(s.FullName) {
			if len(t) >= 3 {
				ix.token[t] = nil
			}
		}
	}
	var key []byte
	for i := range g.Beneficiaries {
		be := &g.Beneficiaries[i]
		n := int32(i)
		for _, p := range be.Phones {
			if l, ok := ix.phone[p]; ok {
				ix.phone[p] = append(l, n)
			}
		}
		if len(ix.account) > 0 {
			for _, a := range be.Accounts {
				// Looked up without a string per account: one only
				// for the few that are a seed's.
				key = appendAccountKey(key[:0], a)
				if l, ok := ix.account[string(key)]; ok {
					ix.account[string(key)] = append(l, n)
				}
			}
		}
		for _, t := range be.utokens {
			if l, ok := ix.token[t]; ok {
				ix.token[t] = append(l, n)
			}
		}
	}
	return ix
}

// SeedIndex finds the candidates of a known set of seeds (Graph.SeedsIndex).
type SeedIndex struct {
	g  *Graph
	ix *seedIndex
}

// SeedsIndex returns an index of the beneficiaries that share a phone,
// an account or a name word with any of seeds, made in one pass over the
// beneficiaries: for a graph built with Options.NoSeedIndex it spares
// indexing every word of every recipient. Its Resolve gives what
// ResolveSeed gives, for these seeds only.
func (g *Graph) SeedsIndex(seeds []vigil.Lead) *SeedIndex {
	return &SeedIndex{g: g, ix: g.indexFor(seeds)}
}

// Resolve is Graph.ResolveSeed for one of the seeds the index was made
// for (another seed's phone, account or words are not indexed). Safe for
// concurrent use.
func (x *SeedIndex) Resolve(seed *vigil.Lead, threshold float64, max int) []vigil.SeedCandidate {
	return x.g.resolveSeed(x.ix, seed, threshold, max)
}

// seedScore is one candidate of a seed while ResolveSeed weighs it.
type seedScore struct {
	n      int32
	lo     float64
	why    []reason
	nameOK bool // the name is at least a weak match and nothing contradicts
	shared bool
	single bool    // its only shared payer was not counted (see SeedSharedPayerTypology)
	sim    float64 // best name similarity
	rare   bool    // picked on a rare name alone, with score
	typo   bool    // paid by several senders the buyers' way (SeedTypologyPayers)
	one    bool    // one payer the buyers' way (SeedOnePayerTypology), not yet weighed
	// elsewhere: weighed as a namesake without the seed's identifier
	// (SeedIdentifierElsewhere); picked, it lends no shared payers.
	elsewhere bool
	score     float64
	// For the seed's birth date as its identifier (seedBirthElsewhere):
	// in the seed's city or one that may be it written another way;
	// carrying its birth date; a compatible name carrying neither its
	// phone or account nor its birth date.
	town, birth, unmarked bool
}

// ResolveSeed scores the beneficiaries that share a phone, an account or a
// name token with the seed and returns the candidates with a score of at
// least 0.01, best first, marking those at or above threshold as picked.
// Every picked candidate is returned; of the others, those among the max
// best (0: no limit).
func (g *Graph) ResolveSeed(seed *vigil.Lead, threshold float64, max int) []vigil.SeedCandidate {
	return g.resolveSeed(g.index(), seed, threshold, max)
}

func (g *Graph) resolveSeed(ix *seedIndex, seed *vigil.Lead, threshold float64, max int) []vigil.SeedCandidate {
	cand := map[int32]bool{}
	phone := ""
	if seed.Phone != "" {
		phone, _ = resolve.NormalizePhone(seed.Phone, seed.Country)
		for _, n := range ix.phone[phone] {
			cand[n] = true
		}
	}
	acct := ""
	if seed.Account != "" {
		acct = normalizeAccount(seed.Account)
		for _, n := range ix.account[acct] {
			cand[n] = true
		}
	}
	stoks := resolve.NameTokensOf(seed.FullName)
	sread := nameReadings(seed.FullName)
	// A word carried by more than MaxBlockingWord recipients is too
	// common to block on alone. When the name has no rarer word to block
	// on, its common words block together: a recipient who carries two
	// of them ("jennifer" and "castro" on a world of millions) is a
	// candidate.
	var common [][]int32
	blocked := false
	for i, t := range stoks {
		if len(t) < 3 || slices.Contains(stoks[:i], t) {
			continue
		}
		l := ix.token[t]
		if len(l) > MaxBlockingWord {
			common = append(common, l)
			continue
		}
		for _, n := range l {
			cand[n] = true
		}
		blocked = blocked || len(l) > 0
	}
	if len(common) >= 2 && !blocked {
		seen := map[int32]bool{}
		for i, l := range common {
			if i == len(common)-1 {
				break
			}
			for _, n := range l {
				seen[n] = true
			}
			for _, l2 := range common[i+1:] {
				for _, n := range l2 {
					if seen[n] {
						cand[n] = true
					}
				}
			}
		}
	}
	// The recipients that carry the seed's phone or account: when there
	// are any, a candidate without them is weighed against them.
	// Their cities are places of the seed's too ("GENSAN" for General
	// Santos City).
	var anchors, anchorCities []string
	for _, n := range ix.phone[phone] {
		anchors = append(anchors, g.Beneficiaries[n].ID)
		anchorCities = append(anchorCities, foldCity(g.Beneficiaries[n].City))
	}
	for _, n := range ix.account[acct] {
		if id := g.Beneficiaries[n].ID; !slices.Contains(anchors, id) {
			anchors = append(anchors, id)
			anchorCities = append(anchorCities, foldCity(g.Beneficiaries[n].City))
		}
	}
	city := foldCity(seed.City)
	var sbirth uint32 // the seed's birth date when known to the day
	if seed.BirthDate.Precision() == 3 {
		sbirth = PackDate(seed.BirthDate)
	}
	var all []*seedScore
	// The candidates' reasons are cut from arenas, each candidate's
	// capped at its length (later reasons are appended elsewhere). The
	// arenas are used again by the next seed: nothing here outlives the
	// call but the reasons' texts.
	arenas := reasonArenaPool.Get().(*reasonArenas)
	defer arenas.release()
	var arena []reason
	// Recipients share name variants: the similarity, a pure function of
	// the seed's tokens and the variant (its tokens are the variant's,
	// folded), is computed once per variant. Cities repeat too.
	sims := map[string]float64{}
	folded := map[string]string{}
	// A variant's name readings, read into these for namePartsClash,
	// and its words' parts (see appendNameReadings).
	var vread []nameReading
	var vwords []string
	parts := map[string][]string{}
	phoneOn, acctOn := ix.phone[phone], ix.account[acct]
	// In node order, so that the reasons (which picked beneficiary a
	// shared payer also pays) are the same on every run.
	for _, n := range slices.Sorted(maps.Keys(cand)) {
		be := &g.Beneficiaries[n]
		lo := SeedPrior
		if cap(arena)-len(arena) < maxReasons {
			arena = arenas.take(arenaSize(len(cand)))
		}
		why := arena[len(arena):len(arena)]
		nameOK, contradicted := false, false
		sim := 0.0
		ident := false // carries the seed's phone or account
		// The index lists the recipients carrying the seed's phone or
		// account (as normalised) exactly: membership in its list is
		// the comparison, without reading the recipient's strings.
		if phone != "" && slices.Contains(phoneOn, n) {
			ident = true
			lo += SeedPhoneMatch
			why = append(why, reason{kind: rPhone, s1: phone})
		}
		if acct != "" && slices.Contains(acctOn, n) {
			for _, a := range be.Accounts {
				if normalizeAccount(a) == acct {
					ident = true
					lo += SeedAccountMatch
					why = append(why, reason{kind: rAccount, s1: a})
					break
				}
			}
		}
		if len(stoks) > 0 && len(be.tokens) > 0 {
			best, bestName := 0.0, ""
			for i, toks := range be.tokens {
				k := be.Names[i]
				s, ok := sims[k]
				if !ok || len(toks) == 0 {
					s = tokenSimilarity(stoks, toks)
					if s > SeedSurnameClash && surnameClash(stoks, be.Names[i], toks) {
						s = SeedSurnameClash
					} else if s > SeedNamePartsClash {
						vread, vwords = appendNameReadings(vread[:0], vwords[:0], parts, be.Names[i])
						if namePartsClash(sread, vread) {
							s = SeedNamePartsClash
						}
					}
					if len(toks) > 0 {
						sims[k] = s
					}
				}
				if s > best {
					best, bestName = s, be.Names[i]
				}
			}
			var w float64
			switch {
			case best >= 0.97:
				w = SeedNameExact
			case best >= 0.92:
				w = SeedNameStrong
			case best >= 0.85:
				w = SeedNameWeak
			case best < 0.75:
				w = SeedNameMismatch
			}
			lo += w
			why = append(why, reason{kind: rName, s1: seed.FullName, s2: bestName, f1: best, f2: w})
			nameOK = w >= SeedNameWeak
			sim = best
		}
		if seed.Country != "" && be.Country != "" {
			if seed.Country == be.Country {
				lo += SeedCountryMatch
				why = append(why, reason{kind: rCountry, s1: be.Country})
			} else {
				lo += SeedCountryDiffers
				contradicted = true
				why = append(why, reason{kind: rCountryDiffers, s1: be.Country, s2: seed.Country})
			}
		}
		inCity, near := false, false
		if city != "" && be.City != "" {
			fc, ok := folded[be.City]
			if !ok {
				fc = foldCity(be.City)
				folded[be.City] = fc
			}
			switch {
			case sameCity(fc, city):
				inCity = true
				lo += SeedCityMatch
				why = append(why, reason{kind: rCity, s1: be.City})
			case closeCity(fc, city):
				// Perhaps her town written another way ("Gen. Santos
				// City", "GENSAN" for General Santos; "QC" for Quezon
				// City; "Lapulapu" for Lapu-Lapu City): not counted
				// against her, nor for her.
				near = true
				why = append(why, reason{kind: rCityClose, s1: be.City, s2: seed.City})
			default:
				lo += SeedCityDiffers
				why = append(why, reason{kind: rCityDiffers, s1: be.City, s2: seed.City})
			}
		}
		// A recipient's profile holds one birth date, but a beneficiary
		// merged from several people under one name holds the transfers
		// of each: a transfer of a compatible name that carries the
		// seed's full birth date is the seed's, whatever the profile says.
		// Transfers that carry other full dates (not a likely typo of the
		// seed's) and none the seed's are another person's.
		birthOn, birthOther := 0, 0
		if sbirth != 0 && nameOK {
			var total int
			var other uint32
			for _, ei := range g.BeneficiaryEdges(n) {
				ps := g.Payments(&g.Edges[ei])
				total += len(ps)
				for i := range ps {
					switch d := ps[i].Birth; {
					case d == sbirth:
						birthOn++
					case d&31 != 0 && !closeBirth(d, sbirth):
						birthOther++
						other = d
					}
				}
			}
			switch {
			case birthOn > 0:
				lo += SeedBirthDay
				why = append(why, reason{kind: rBirthOn, d1: seed.BirthDate, n1: birthOn, n2: total})
			case birthOther > 0:
				lo += SeedBirthDiffers
				contradicted = true
				why = append(why, reason{kind: rBirthOther, d1: seed.BirthDate, n1: total, d2: unpackDate(other), n2: birthOther})
			}
		}
		if sb, bb := seed.BirthDate, be.BirthDate; birthOn == 0 && birthOther == 0 && !sb.IsZero() && !bb.IsZero() {
			var w float64
			switch {
			case sb.Year != bb.Year:
				w = SeedBirthDiffers
				contradicted = true
			case sb.Precision() == 3 && bb.Precision() == 3 && sb == bb:
				w = SeedBirthDay
			case sb.Month != 0 && sb.Month == bb.Month:
				w = SeedBirthMonth
			case sb.Month != 0 && bb.Month != 0:
				w = SeedBirthDiffers
				contradicted = true
			default:
				w = SeedBirthYear
			}
			lo += w
			why = append(why, reason{kind: rBirthVs, d1: bb, d2: sb, f1: w})
			if w >= SeedBirthMonth { // the day or the month: the seed's
				birthOn++
			}
		}
		// A namesake that carries neither the seed's phone or account
		// (carried by another recipient) nor its birth date: in the
		// seed's town one family shares name and town, so the city counts
		// for less; in no town of the seed's (neither its city nor that of
		// a recipient with its phone), or with no city, the name is all
		// that speaks for it, and buyers of other facilitators paying a
		// namesake look the same as the seed's.
		elsewhere := false
		if !ident && nameOK && birthOn == 0 && len(anchors) > 0 && (inCity || !inAnchorCity(city, be.City, anchorCities) && !g.bareNamePayments(n)) {
			elsewhere = true
			lo += SeedIdentifierElsewhere
			what := "none"
			if len(be.Phones)+len(be.Accounts) > 0 {
				what = "only other ones"
			}
			where := "in its city"
			if !inCity {
				where = "in neither its city nor theirs"
			}
			why = append(why, reason{kind: rElsewhere, list: anchors, s1: where, s2: what})
		}
		// A compatible name paid by several senders the way buyers pay
		// (small, late, round sums) looks like the facilitator; a namesake
		// receiving family support does not.
		typo, one := false, false
		if nameOK && !contradicted {
			var tw, tn float64
			k := 0         // senders who pay it the buyers' way
			family := true // every sender pays it the family way
			es := g.BeneficiaryEdges(n)
			for _, ei := range es {
				e := &g.Edges[ei]
				tw += float64(e.Typology) * float64(e.Count)
				tn += float64(e.Count)
				if e.Typology >= 0.5 && e.Tie == TieNone {
					k++
				}
				if e.Typology >= SeedSharedPayerTypology {
					family = false
				}
			}
			switch {
			case len(es) >= 2 && tn > 0 && tw/tn >= 0.5:
				typo = true
				lo += SeedTypologyPayers
				why = append(why, reason{kind: rTypology, n1: len(es), f1: tw / tn})
			case k >= 2 && 2*k >= len(es):
				// A facilitator's relatives may send more, and more
				// plainly, than her buyers: the buyers are still there,
				// at least half of her payers.
				typo = true
				lo += SeedTypologyPayers
				why = append(why, reason{kind: rTypologyHalf, n1: k, n2: len(es), f1: tw / tn})
			case len(es) == 1 && elsewhere && inCity && sim < SeedOnePayerSimilarity && len(be.Phones)+len(be.Accounts) == 0:
				// The one payer of a recipient in her city without any
				// identifier, paying the buyers' way again and again:
				// weighed with the shared payers below, when he pays
				// nobody picked.
				if e := &g.Edges[es[0]]; e.Count >= SeedOnePayerPayments && e.Typology >= SeedOnePayerTypology && e.Tie == TieNone {
					one = true
				}
			case family && !ident && birthOn == 0 && tn >= SeedFamilyWayPayments:
				lo += SeedFamilyWay
				why = append(why, reason{kind: rFamilyWay, n1: len(es), n2: int(tn), f1: tw / tn})
			}
		}
		arena = arena[:len(arena)+len(why)]
		all = append(all, &seedScore{n: n, lo: lo, why: why[:len(why):len(why)], nameOK: nameOK && !contradicted, sim: sim, typo: typo, one: one, elsewhere: elsewhere,
			town: inCity || near, birth: nameOK && birthOn > 0, unmarked: nameOK && !ident && birthOn == 0})
	}
	if len(anchors) == 0 && sbirth != 0 {
		g.seedBirthElsewhere(all)
	}
	if phone == "" && acct == "" {
		g.rareName(ix, seed, stoks, all, threshold)
	}
	// A beneficiary with a compatible name that is paid by the same senders
	// as a picked one is most likely the same person under another
	// spelling or city (the resolver keeps them apart without a phone).
	// A pick weighed as a namesake without the seed's identifier
	// (SeedIdentifierElsewhere) lends no payers: they are as likely the
	// namesake's, and her family's remittances to one of them would pick
	// the others (s101's "Romeo Reyes" of Iloilo, whose payers pick his
	// relatives "Romeo delos Reyes").
	picked := func(c *seedScore) bool { return c.rare || round6(1/(1+math.Exp(-c.lo))) >= threshold }
	for range 3 {
		payers := map[int32]string{} // sender → a picked beneficiary it pays
		for _, c := range all {
			if picked(c) && !c.elsewhere {
				for _, ei := range g.BeneficiaryEdges(c.n) {
					payers[g.Edges[ei].Sender] = g.Beneficiaries[c.n].ID
				}
			}
		}
		changed := false
		for _, c := range all {
			if picked(c) || c.shared || !c.nameOK {
				continue
			}
			var ids []string
			via := ""
			es := g.BeneficiaryEdges(c.n)
			for _, ei := range es {
				if b, ok := payers[g.Edges[ei].Sender]; ok {
					ids = append(ids, g.Senders[g.Edges[ei].Sender].ID)
					via = b
				}
			}
			// One payer who is the candidate's only payer and pays it
			// the way family is supported (few of the buyers' features)
			// is a family remitter who also paid the seed, not a buyer
			// paying her under another name.
			if e := &g.Edges[es[0]]; len(ids) == 1 && len(es) == 1 && e.Typology < SeedSharedPayerTypology {
				if !c.single {
					c.single = true
					c.why = append(c.why, reason{kind: rSinglePayer, s1: ids[0], s2: via, t: e.Typology, n1: int(e.Count)})
				}
				continue
			}
			if len(ids) > 0 {
				slices.Sort(ids)
				c.lo += SeedSharedPayers
				c.shared = true
				c.why = append(c.why, reason{kind: rShared, n1: len(ids), s1: via, list: ids})
				changed = true
			} else if c.one {
				// Its one payer pays nobody picked: his way of paying
				// counts as the typology-like payers' (SeedOnePayerTypology).
				e := &g.Edges[es[0]]
				c.one, c.typo = false, true
				c.lo += SeedTypologyPayers
				c.why = append(c.why, reason{kind: rTypologyOne, s1: g.Senders[e.Sender].ID, t: e.Typology, n1: int(e.Count)})
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	// The reasons are written out for the candidates listed only (most
	// candidates of a common name score below 0.01): each listed one
	// keeps its reasons' parts until the list is cut.
	type listed struct {
		vigil.SeedCandidate
		why []reason
	}
	var out []listed
	for _, c := range all {
		score := round6(1 / (1 + math.Exp(-c.lo)))
		if c.rare {
			score = c.score
		}
		if score < 0.01 {
			continue
		}
		be := &g.Beneficiaries[c.n]
		out = append(out, listed{vigil.SeedCandidate{
			SeedID: seed.ID, BeneficiaryID: be.ID, Name: be.Name, Score: score,
			Picked:    c.rare || score >= threshold,
			Transfers: be.Transfers, Payers: len(g.BeneficiaryEdges(c.n)),
		}, c.why})
	}
	slices.SortFunc(out, func(a, b listed) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.BeneficiaryID, b.BeneficiaryID)
	})
	if max > 0 && len(out) > max {
		// The limit is on what is listed, never on what is picked: a
		// picked candidate dropped from the list would be dropped from
		// the trace without a word.
		kept := out[:0]
		for i, c := range out {
			if c.Picked || i < max {
				kept = append(kept, c)
			}
		}
		out = kept
	}
	if len(out) == 0 {
		return nil
	}
	cs := make([]vigil.SeedCandidate, len(out))
	for i := range out {
		cs[i] = out[i].SeedCandidate
		cs[i].Reasons = reasonTexts(out[i].why)
	}
	return cs
}

// surnameClash reports whether a recipient's name variant holds more
// names than the seed and its family name — the last name as written, or
// the names before the comma of "SURNAME, Given" — matches none of the
// seed's names. A variant in capitals without a comma may be written
// either way round: it clashes only when neither its first nor its last
// name matches. toks are the variant's sorted tokens (for the count).
func surnameClash(seed []string, variant string, toks []string) bool {
	if len(toks) <= len(seed) || len(toks) < 2 {
		return false
	}
	matches := func(ts ...string) bool {
		for _, t := range ts {
			for _, x := range seed {
				if resolve.JaroWinkler(x, t) >= 0.9 {
					return true
				}
			}
		}
		return false
	}
	if i := strings.IndexByte(variant, ','); i >= 0 {
		return !matches(resolve.NameTokens(variant[:i])...)
	}
	written := resolve.NameTokens(variant)
	if len(written) < 2 {
		return false
	}
	first, last := written[0], written[len(written)-1]
	if strings.ToUpper(variant) == variant {
		return !matches(first) && !matches(last)
	}
	return !matches(last)
}

// nameReading is one way of reading a written name: its first given
// name, the words of its family name, and the words between (further
// given names, the middle name), folded, particles dropped.
type nameReading struct {
	given  string
	family []string
	rest   []string
}

// nameReadings returns the ways a written name can be read. "SURNAME,
// Given Middle" has one. Without a comma the order is not written:
// "Josephine Garcia Dizon" is read given name first (Josephine, Dizon)
// and "DIZON JOSEPHINE GARCIA" family name first (Dizon, Josephine);
// both readings are kept for every such name. Nil for fewer than two
// words (a single word has no parts to compare).
func nameReadings(name string) []nameReading {
	rs, _ := appendNameReadings(nil, nil, nil, name)
	return rs
}

// appendNameReadings is nameReadings into reused buffers: the readings
// are appended to rs and their words to ws, passed empty (ws[:0]: the
// name's words start at 0), and both are returned for the next name. resolveSeed reads every variant within
// SeedNamePartsClash of the seed's name and drops the readings at once;
// without the buffers each variant cost a slice per word, per reading
// and per list of middle words. A reading's words may stay in an array
// that a later append to ws outgrew; that array is not written again.
// parts (nil: none) keeps each word's resolve.NameTokensOf, a pure
// function of the word: a seed's variants repeat her family names, and
// the map look-up costs less than the fold's two allocations.
func appendNameReadings(rs []nameReading, ws []string, parts map[string][]string, name string) ([]nameReading, []string) {
	words := func(s string) {
		for _, w := range resolve.NameTokens(s) {
			p, ok := parts[w]
			if !ok {
				p = resolve.NameTokensOf(w) // a particle gives none
				if parts != nil {
					parts[w] = p
				}
			}
			ws = append(ws, p...)
		}
	}
	// middle appends to ws the words of m, between a given name and a
	// family name, that are compared, and returns them: initials and
	// words of four letters or more. A word of two or three letters
	// there may be a particle mistyped ("lso" for "los" in "Rowena de
	// lso Santos") and is not a name to tell people apart by.
	middle := func(m []string) []string {
		from := len(ws)
		for _, w := range m {
			if len(w) == 1 || len(w) >= 4 {
				ws = append(ws, w)
			}
		}
		return ws[from:len(ws):len(ws)]
	}
	if i := strings.IndexByte(name, ','); i >= 0 {
		words(name[:i])
		nf := len(ws)
		words(name[i+1:])
		family, given := ws[:nf:nf], ws[nf:len(ws):len(ws)]
		if len(family) == 0 || len(given) == 0 {
			return rs, ws
		}
		return append(rs, nameReading{given: given[0], family: family, rest: middle(given[1:])}), ws
	}
	words(name)
	w := ws[:len(ws):len(ws)]
	if len(w) < 2 {
		return rs, ws
	}
	rs = append(rs, nameReading{given: w[0], family: w[len(w)-1:], rest: middle(w[1 : len(w)-1])})
	return append(rs, nameReading{given: w[1], family: w[:1], rest: middle(w[2:])}), ws
}

// namePartsClash reports whether no reading of the seed's name and of a
// recipient's variant agree on the given name and the family name (each
// within SeedNamePartMatch, an initial or abbreviation, or run together
// with a particle) without naming different words between them when both
// write some ("DIZON BENJIE GARCIA" read given name first is Dizon
// Garcia, as the seed is, but with another middle name): the variant
// shares words with the seed but names another person of her family, or
// her namesake's relative. Without readings on either side (a single
// word) there is no clash.
func namePartsClash(seed, variant []nameReading) bool {
	if len(seed) == 0 || len(variant) == 0 {
		return false
	}
	for _, s := range seed {
		for _, v := range variant {
			if sameNamePart(s.given, v.given) && anySameNamePart(s.family, v.family) &&
				(len(s.rest) == 0 || len(v.rest) == 0 || anySameNamePart(s.rest, v.rest)) {
				return false
			}
		}
	}
	return true
}

// anySameNamePart reports whether a word of a and a word of b may be one
// name (sameNamePart).
func anySameNamePart(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if sameNamePart(x, y) {
				return true
			}
		}
	}
	return false
}

// sameNamePart reports whether two folded name words may be one name:
// close in spelling, one the other's initial or abbreviation ("ma" for
// "maria"), or one run together with a particle ("lossantos").
func sameNamePart(a, b string) bool {
	if resolve.JaroWinkler(a, b) >= SeedNamePartMatch || strings.HasPrefix(a, b) || strings.HasPrefix(b, a) {
		return true
	}
	return min(len(a), len(b)) >= 4 && (strings.Contains(a, b) || strings.Contains(b, a))
}

// foldCity folds a city name and drops the words that vary between
// spellings of the same place ("Olongapo City" = "olongapo"). A province
// after "… City," is dropped too: "LAPU-LAPU CITY, CEBU" is Lapu-Lapu,
// not Cebu City, though it lies in the province of Cebu (sameCity would
// otherwise find "cebu" among its words). A place without "City" before
// the comma keeps what follows ("Tondo, Manila" is in Manila).
func foldCity(s string) string {
	if i := strings.IndexByte(s, ','); i > 0 && slices.Contains(strings.Fields(resolve.FoldName(s[:i])), "city") {
		s = s[:i]
	}
	var out []string
	for _, f := range strings.Fields(resolve.FoldName(s)) {
		if f != "city" && f != "of" && f != "municipality" {
			out = append(out, f)
		}
	}
	return strings.Join(out, " ")
}

// sameCity reports whether one folded city's words all occur in the
// other's: "olongapo" and "olongapo zambales" are one place.
func sameCity(a, b string) bool {
	if a == b {
		return true
	}
	ta, tb := strings.Fields(a), strings.Fields(b)
	if len(ta) > len(tb) {
		ta, tb = tb, ta
	}
	if len(ta) == 0 {
		return false
	}
	for _, t := range ta {
		if !slices.Contains(tb, t) {
			return false
		}
	}
	return true
}

// inAnchorCity reports whether a recipient's city is that of a recipient
// carrying the seed's phone or account (folded in anchors), when the seed
// gives a city of its own (folded in seedCity): then the anchor's city is
// another spelling of a place of the seed's ("GENSAN" for General
// Santos City). A seed without a city has no town to spell.
func inAnchorCity(seedCity, city string, anchors []string) bool {
	if city == "" || seedCity == "" {
		return false
	}
	c := foldCity(city)
	for _, a := range anchors {
		if a != "" && sameCity(c, a) {
			return true
		}
	}
	return false
}

// seedBirthElsewhere weighs, when no recipient carries the seed's phone
// or account and the seed gives a full birth date, the candidates in no
// town of hers against those whose transfers (or profile) carry that
// date, as resolveSeed weighs them against a phone
// (SeedIdentifierElsewhere): a namesake that carries neither her phone,
// account nor birth date, and lies neither in the seed's city (nor one
// that may be it written another way) nor in the city of a recipient
// carrying her date, has only the name for it — on s101 "Gemma Mendoza
// Garcia, CDO" (a webcam platform) and "Gemmma Garcia, Antipolo City"
// (another facilitator), picked on two or three typology-like payers
// beside "Gemma Garcia, Pasay" with the seed's date. Unlike the phone,
// the date is written on few of her transfers (10 of 83 on w112's
// S76546), so her spellings in her towns without it are not weighed. A
// recipient holding a payment to a bare name is not weighed either (her
// own name-only payments may be in it).
func (g *Graph) seedBirthElsewhere(all []*seedScore) {
	var ids, towns []string
	for _, c := range all {
		if c.birth {
			ids = append(ids, g.Beneficiaries[c.n].ID)
			if t := foldCity(g.Beneficiaries[c.n].City); t != "" {
				towns = append(towns, t)
			}
		}
	}
	if len(ids) == 0 {
		return
	}
	for _, c := range all {
		if !c.unmarked || c.town {
			continue
		}
		if t := foldCity(g.Beneficiaries[c.n].City); t != "" && slices.ContainsFunc(towns, func(a string) bool { return sameCity(t, a) }) {
			continue
		}
		if g.bareNamePayments(c.n) {
			continue
		}
		c.lo += SeedIdentifierElsewhere
		c.elsewhere = true
		c.why = append(c.why, reason{kind: rElsewhereBirth, list: ids})
	}
}

// bareNamePayments reports whether any payment to beneficiary n carries
// no phone, no account and no city: a bare name, which may be the seed's
// own payment merged into a namesake's record.
func (g *Graph) bareNamePayments(n int32) bool {
	for _, ei := range g.BeneficiaryEdges(n) {
		for _, p := range g.Payments(&g.Edges[ei]) {
			if p.Ident[0] == 0 && p.Ident[1] == 0 && p.City == 0 {
				return true
			}
		}
	}
	return false
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// rareName picks, for a seed that gives no phone or account and whose
// other evidence picks nothing, the one recipient who carries its name
// (similarity ≥ 0.92 with nothing contradicting) when the name is rare
// among all recipients: the number of recipients expected to carry it by
// chance — the count of recipients times the product of the share of
// recipients carrying each of its words (of three letters or more) — is
// at most RareNameExpected. A common name alone never picks: then the
// candidate's reasons say why it was not picked.
func (g *Graph) rareName(ix *seedIndex, seed *vigil.Lead, stoks []string, all []*seedScore, threshold float64) {
	var only *seedScore
	carriers := 0
	for _, c := range all {
		if round6(1/(1+math.Exp(-c.lo))) >= threshold {
			return // other evidence picks
		}
		if c.nameOK && c.sim >= 0.92 {
			carriers++
			only = c
		}
	}
	if carriers > 1 {
		// Of the recipients carrying the name, the one paid by several
		// senders the buyers' way is the facilitator's likeliest
		// account; two or more such are not told apart by the name.
		var paid *seedScore
		n := 0
		for _, c := range all {
			if c.nameOK && c.sim >= 0.92 && c.typo {
				paid = c
				n++
			}
		}
		for _, c := range all {
			if c.nameOK && c.sim >= 0.92 && c != paid {
				c.why = append(c.why, textReason(fmt.Sprintf("not picked on the name alone: %d recipients carry a name this close", carriers)))
			}
		}
		if n != 1 {
			if paid != nil {
				paid.why = append(paid.why, textReason(fmt.Sprintf("not picked on the name alone: %d recipients carry a name this close, %d of them paid by several senders the buyers' way", carriers, n)))
			}
			return
		}
		paid.rare = true
		paid.score = RareNameScore
		paid.why = append(paid.why, textReason(fmt.Sprintf("picked as the only one of %d recipients carrying a name this close who is paid by several senders the buyers' way; score at most %.1f, as the seed may be paid under another name", carriers, RareNameScore)))
		return
	}
	if carriers != 1 {
		return
	}
	nb := float64(len(g.Beneficiaries))
	expected := nb
	var words []string
	var freq []string
	for _, t := range stoks {
		if len(t) < 3 || slices.Contains(words, t) {
			continue
		}
		words = append(words, t)
		tf := max(len(ix.token[t]), 1) // a misspelt word carried by none counts as one
		expected *= float64(tf) / nb
		freq = append(freq, fmt.Sprintf("%q %d", t, tf))
	}
	if len(words) < 2 {
		only.why = append(only.why, textReason("not picked: the only recipient of this name, but a single word is no name to pick on"))
		return
	}
	if expected > RareNameExpected {
		only.why = append(only.why, textReason(fmt.Sprintf("not picked: the only recipient of this name, but the name is common: %.3g of %d recipients would carry it by chance (words carried by %s recipients)",
			expected, len(g.Beneficiaries), strings.Join(freq, ", "))))
		return
	}
	only.rare = true
	only.score = round6(RareNameScore / (1 + expected))
	only.why = append(only.why, textReason(fmt.Sprintf("picked on a rare name alone: 1 of %d recipients carry it, %.3g would by chance (words carried by %s recipients); score at most %.1f, as the seed may be paid under another name",
		len(g.Beneficiaries), expected, strings.Join(freq, ", "), RareNameScore)))
}

// reason is one of a seed candidate's reasons kept as its parts: the text
// (String) is written only for the candidates resolveSeed lists, since
// most candidates of a common name score below 0.01 and are never shown,
// and formatting every one of them was a third of the resolution's work.
type reason struct {
	kind   reasonKind
	s1, s2 string
	list   []string // recipients or senders named, clipped when written
	f1, f2 float64
	t      float32 // an edge's typology share, written as a float32 is
	n1, n2 int
	d1, d2 vigil.Date
}

type reasonKind uint8

// maxReasons bounds the reasons resolveSeed gives a candidate in its
// first loop (phone, account, name, country, city, two of birth, the
// identifier elsewhere, typology), with room to spare.
const maxReasons = 12

// arenaSize is the size of an arena of reasons for a seed of n candidates.
func arenaSize(n int) int { return max(4*maxReasons, min(4096, 5*n)) }

// reasonArenas are the arenas of reasons one resolveSeed call cuts its
// candidates' reasons from, handed to the next call when it returns
// (reasonArenaPool): a common name has hundreds of thousands of
// candidates, and the 87 seeds of a 5M-transfer correlation made ~140 MB
// of arenas, each dead when its seed was resolved.
type reasonArenas struct {
	chunks [][]reason
	used   int // chunks handed out by this call
}

var reasonArenaPool = sync.Pool{New: func() any { return new(reasonArenas) }}

// take returns an empty arena of at least n reasons: the next kept one
// that is large enough, else a new one (kept too).
func (a *reasonArenas) take(n int) []reason {
	for a.used < len(a.chunks) {
		c := a.chunks[a.used]
		a.used++
		if cap(c) >= n {
			return c[:0]
		}
	}
	c := make([]reason, 0, n)
	a.chunks = append(a.chunks, c)
	a.used = len(a.chunks)
	return c
}

// release hands the arenas to the next call. Their reasons must no longer
// be read.
func (a *reasonArenas) release() {
	a.used = 0
	reasonArenaPool.Put(a)
}

const (
	rText           reasonKind = iota // s1 as written
	rPhone                            // s1 the phone
	rAccount                          // s1 the account as the recipient writes it
	rName                             // s1 the seed's name, s2 the closest variant, f1 its similarity, f2 the weight
	rCountry                          // s1 the country
	rCountryDiffers                   // s1 the recipient's country, s2 the seed's
	rCity                             // s1 the recipient's city
	rCityDiffers                      // s1 the recipient's city, s2 the seed's
	rCityClose                        // s1 the recipient's city, s2 the seed's, perhaps one place
	rBirthOn                          // d1 the seed's birth date on n1 of n2 transfers
	rBirthOther                       // d1 the seed's birth date, on none of n1 transfers; d2 another on n2
	rBirthVs                          // d1 the recipient's birth date, d2 the seed's, f1 the weight
	rElsewhere                        // list the recipients with the seed's identifier, s1 where, s2 what it carries
	rElsewhereBirth                   // list the recipients with the seed's birth date
	rTypology                         // n1 senders, f1 the typology share
	rTypologyHalf                     // n1 of n2 senders, f1 all payments' share
	rSinglePayer                      // s1 the only payer, s2 the picked one it pays, t its typology share over n1 payments
	rShared                           // n1 senders (list) who pay picked s1
	rTypologyOne                      // s1 the only payer, t its typology share over n1 payments
	rFamilyWay                        // n1 senders, n2 payments, f1 their typology share
)

func textReason(s string) reason { return reason{kind: rText, s1: s} }

func (r *reason) String() string {
	switch r.kind {
	case rPhone:
		return fmt.Sprintf("same phone %s (%+.1f)", r.s1, SeedPhoneMatch)
	case rAccount:
		return fmt.Sprintf("same account %s (%+.1f)", r.s1, SeedAccountMatch)
	case rName:
		return fmt.Sprintf("name %q vs %q similarity %.2f (%+.1f)", r.s1, r.s2, r.f1, r.f2)
	case rCountry:
		return fmt.Sprintf("same country %s (%+.1f)", r.s1, SeedCountryMatch)
	case rCountryDiffers:
		return fmt.Sprintf("country %s differs from %s (%+.1f)", r.s1, r.s2, SeedCountryDiffers)
	case rCity:
		return fmt.Sprintf("same city %s (%+.1f)", r.s1, SeedCityMatch)
	case rCityDiffers:
		return fmt.Sprintf("city %s differs from %s (%+.1f)", r.s1, r.s2, SeedCityDiffers)
	case rCityClose:
		return fmt.Sprintf("city %s may be %s written another way (+0.0)", r.s1, r.s2)
	case rBirthOn:
		return fmt.Sprintf("birth date %s on %d of its %d transfer(s) (%+.1f)", r.d1, r.n1, r.n2, SeedBirthDay)
	case rBirthOther:
		return fmt.Sprintf("birth date %s on none of its %d transfer(s), another (%s) on %d (%+.1f)", r.d1, r.n1, r.d2, r.n2, SeedBirthDiffers)
	case rBirthVs:
		return fmt.Sprintf("birth date %s vs %s (%+.1f)", r.d1, r.d2, r.f1)
	case rElsewhere:
		return fmt.Sprintf("the seed's phone or account is on %s; this recipient %s carries %s, nor its birth date (%+.1f)", clip(r.list, 3), r.s1, r.s2, SeedIdentifierElsewhere)
	case rElsewhereBirth:
		return fmt.Sprintf("the seed's birth date is on the transfers of %s; this recipient, in none of their towns nor the seed's, carries it on none of its transfers, nor the seed's phone or account (%+.1f)", clip(r.list, 3), SeedIdentifierElsewhere)
	case rTypology:
		return fmt.Sprintf("paid by %d senders with typology share %.2f (%+.1f)", r.n1, r.f1, SeedTypologyPayers)
	case rTypologyHalf:
		return fmt.Sprintf("paid by %d of its %d senders each with typology share ≥ 0.50 (all payments %.2f) (%+.1f)", r.n1, r.n2, r.f1, SeedTypologyPayers)
	case rSinglePayer:
		return fmt.Sprintf("its only payer %s, who also pays picked %s, pays it with typology share %.2f over %d payment(s): family support, not counted as a shared payer", r.s1, r.s2, r.t, r.n1)
	case rTypologyOne:
		return fmt.Sprintf("its only payer %s pays it the buyers' way, typology share %.2f over %d payments, and it carries no phone or account of anyone's (%+.1f)", r.s1, r.t, r.n1, SeedTypologyPayers)
	case rFamilyWay:
		return fmt.Sprintf("paid only the way family is supported: %d sender(s), %d payments, each sender's typology share below %.2f (all %.2f), and it carries neither the seed's phone or account nor its birth date (%+.1f)", r.n1, r.n2, SeedSharedPayerTypology, r.f1, SeedFamilyWay)
	case rShared:
		return fmt.Sprintf("paid by %d sender(s) who also pay picked %s: %s (%+.1f)", r.n1, r.s1, clip(r.list, 5), SeedSharedPayers)
	}
	return r.s1
}

// reasonTexts writes out a listed candidate's reasons (nil for none).
func reasonTexts(why []reason) []string {
	if len(why) == 0 {
		return nil
	}
	out := make([]string, len(why))
	for i := range why {
		out[i] = why[i].String()
	}
	return out
}
