package graph

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/resolve"
)

// IdentKey folds a phone number or an account as written on a transfer
// into a key that is equal across the ways one identifier is written:
// digits only, the last nine of them ("+63 929 099 6416", "639290996416"
// and "09290996416" give one key; an account that is the wallet's phone
// number gives the same key as the phone). An identifier with letters is
// hashed over its folded letters and digits. 0 means none (fewer than six
// digits and no letters).
func IdentKey(s string) uint32 {
	var digits, letters int
	var v uint64
	h := uint32(2166136261) // FNV-1a
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			v = (v*10 + uint64(c-'0')) % 1_000_000_000
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
			fallthrough
		case c >= 'a' && c <= 'z':
			letters++
		default:
			continue
		}
		h = (h ^ uint32(c)) * 16777619
	}
	switch {
	case letters > 0:
		return h | 1<<31
	case digits >= 6:
		return uint32(v) + 1 // ≤ 10⁹ < 2³¹
	}
	return 0
}

// Payment kinds with respect to a seed's identity.
const (
	payUnknown   = iota // neither the seed's identifiers nor others
	payConfirmed        // carries a phone or account of the seed, or its city and no other phone or account
	payConflict         // carries another phone, account or full birth date and not the seed's city, or no identifier and a city unlike the seed's
	payOtherHere        // carries another phone or account in the seed's city: the seed's second phone, or a neighbour's (see identityCounts.settle)
)

// seedIdentity is what is known of a seed's own payments: the identifier
// keys and folded cities of the seed, grown by the payments that carry
// one of the seed's identifiers (a payment with the seed's phone and an
// account ties that account to the seed).
type seedIdentity struct {
	idents map[uint32]bool
	birth  uint32          // the seed's birth date (PackDate) when known to the day, else 0
	cities []string        // folded
	same   map[uint32]int8 // city index → 1 same, -1 differs
	// payers holds, per sender of the picked beneficiaries, what his
	// identified payments to them say (payerSeed, payerOther or both):
	// a payment that carries neither the seed's identifiers nor others
	// goes the way of its payer's identified ones (see count).
	payers map[int32]uint8
	// tied holds the identifiers tied to the seed by its payers (see
	// tieByPayers), with how many of them pay it.
	tied map[uint32]int
	// born holds the identifiers the seed does not give that are written
	// beside her full birth date (see tieByBirth).
	born map[uint32]bool
	// family holds the payers taken for a relative's (see notePayers).
	family map[int32]familyNote
	// strangers holds the payers taken for another person's of her name
	// and town by the phone or account they write (see strangers).
	strangers map[int32]int
	// strangerIdents holds the phones and accounts the strangers write
	// in her town that none of her own payers writes; strangerTown the
	// payers who write one of them and never hers (see findStrangers).
	strangerIdents map[uint32]bool
	strangerTown   map[int32]bool
}

// TiedIdentPayers is how many senders who pay the seed's phone or account
// must also pay another phone or account under the picked names, never in
// a city unlike the seed's, for it to be taken as the seed's too (a second
// phone of hers): a buyer pays one woman however she is reached.
const TiedIdentPayers = 2

// What a payer's identified payments to a seed's picked beneficiaries say.
const (
	payerSeed  = 1 << iota // some carry the seed's identifiers or birth date
	payerOther             // some are another person's
)

func (g *Graph) newSeedIdentity(seed *vigil.Lead, picked []int32) *seedIdentity {
	id := &seedIdentity{idents: map[uint32]bool{}, same: map[uint32]int8{}}
	for _, s := range []string{seed.Phone, seed.Account} {
		if k := IdentKey(s); k != 0 {
			id.idents[k] = true
		}
	}
	if c := foldCity(seed.City); c != "" {
		id.cities = append(id.cities, c)
	}
	if seed.BirthDate.Precision() == 3 {
		id.birth = PackDate(seed.BirthDate)
		id.tieByBirth(g, picked)
	}
	if len(id.idents) == 0 {
		id.notePayers(g, picked)
		return id
	}
	for range 4 {
		grown := false
		for _, b := range picked {
			for _, ei := range g.BeneficiaryEdges(b) {
				for _, p := range g.Payments(&g.Edges[ei]) {
					if !id.idents[p.Ident[0]] && !id.idents[p.Ident[1]] {
						continue
					}
					for _, k := range p.Ident {
						if k != 0 && !id.idents[k] {
							id.idents[k] = true
							grown = true
						}
					}
					if p.City != 0 {
						if c := foldCity(g.cities[p.City]); c != "" && !slices.Contains(id.cities, c) {
							id.cities = append(id.cities, c)
							clear(id.same)
						}
					}
				}
			}
		}
		if !grown {
			grown = id.tieByPayers(g, picked)
		}
		if !grown {
			break
		}
	}
	id.findStrangers(g, picked)
	id.notePayers(g, picked)
	return id
}

// tieByBirth adds to the seed's identifiers every phone or account
// written on a payment to the picked beneficiaries together with her full
// birth date, as one written beside her phone is: the birth date names
// one woman as surely as her phone does (a namesake's payment with her
// birth date to the day is rare), and a seed given with a birth date but
// no phone or account (the lead's device gave none) gets the
// identifiers her own payers write, from which her cities and the
// other persons under her name follow.
func (id *seedIdentity) tieByBirth(g *Graph, picked []int32) {
	for _, b := range picked {
		for _, ei := range g.BeneficiaryEdges(b) {
			for _, p := range g.Payments(&g.Edges[ei]) {
				if p.Birth != id.birth {
					continue
				}
				for _, k := range p.Ident {
					if k != 0 && !id.idents[k] {
						id.idents[k] = true
						if id.born == nil {
							id.born = map[uint32]bool{}
						}
						id.born[k] = true
					}
				}
			}
		}
	}
}

// strangers finds the payers of the picked beneficiaries none of whose
// payments to them carries the seed's phone, account or birth date and
// at least FamilyPayments of whose payments carry another phone or
// account in her city that none of her own payers (those who write
// hers) writes. Another phone of hers would be written by her buyers
// too, who pay one woman however she is reached (TiedIdentPayers); one
// that only payers who never write hers write, again and again, is
// another person's of her name and town: a relative or neighbour merged
// with her or picked beside her. Their payments that carry it, and those
// that carry nothing, count as another person's (see count).
func (id *seedIdentity) findStrangers(g *Graph, picked []int32) {
	vouched := map[uint32]bool{}
	isOwn := func(p *Payment) bool {
		return id.idents[p.Ident[0]] || id.idents[p.Ident[1]] || id.birth != 0 && p.Birth == id.birth
	}
	ownPayer := map[int32]bool{}
	for _, b := range picked {
		for _, ei := range g.BeneficiaryEdges(b) {
			e := &g.Edges[ei]
			ps := g.Payments(e)
			if !slices.ContainsFunc(ps, func(p Payment) bool { return isOwn(&p) }) {
				continue
			}
			ownPayer[e.Sender] = true
			for i := range ps {
				for _, k := range ps[i].Ident {
					if k != 0 && !id.idents[k] {
						vouched[k] = true
					}
				}
			}
		}
	}
	count := map[int32]int{}
	for _, b := range picked {
		for _, ei := range g.BeneficiaryEdges(b) {
			e := &g.Edges[ei]
			if ownPayer[e.Sender] {
				continue
			}
			for i, ps := 0, g.Payments(e); i < len(ps); i++ {
				if p := &ps[i]; id.kind(g, p) == payOtherHere && !vouched[p.Ident[0]] && !vouched[p.Ident[1]] {
					count[e.Sender]++
				}
			}
		}
	}
	for s, n := range count {
		if n >= FamilyPayments {
			if id.strangers == nil {
				id.strangers = map[int32]int{}
			}
			id.strangers[s] = n
		}
	}
	if id.strangers == nil {
		return
	}
	// The phones and accounts the strangers are paid at are that other
	// person's, whoever writes them; a payer who writes one and never
	// hers pays that person, and her town, which is that person's too,
	// says nothing on his other payments.
	id.strangerIdents = map[uint32]bool{}
	for _, b := range picked {
		for _, ei := range g.BeneficiaryEdges(b) {
			e := &g.Edges[ei]
			if id.strangers[e.Sender] == 0 {
				continue
			}
			for i, ps := 0, g.Payments(e); i < len(ps); i++ {
				if p := &ps[i]; id.kind(g, p) == payOtherHere && !vouched[p.Ident[0]] && !vouched[p.Ident[1]] {
					for _, k := range p.Ident {
						if k != 0 {
							id.strangerIdents[k] = true
						}
					}
				}
			}
		}
	}
	for _, b := range picked {
		for _, ei := range g.BeneficiaryEdges(b) {
			e := &g.Edges[ei]
			if ownPayer[e.Sender] {
				continue
			}
			if slices.ContainsFunc(g.Payments(e), func(p Payment) bool { return id.strangerIdent(&p) }) {
				if id.strangerTown == nil {
					id.strangerTown = map[int32]bool{}
				}
				id.strangerTown[e.Sender] = true
			}
		}
	}
}

// strangerIdent reports whether a payment carries a phone or account of
// another person of the seed's name and town (see findStrangers).
func (id *seedIdentity) strangerIdent(p *Payment) bool {
	return id.strangerIdents[p.Ident[0]] || id.strangerIdents[p.Ident[1]]
}

// tieByPayers adds to the seed's identifiers every phone or account on
// payments to the picked beneficiaries that TiedIdentPayers or more
// senders who also pay one of the seed's identifiers pay, when none of
// its payments carries a city unlike the seed's. It reports whether any
// was added.
func (id *seedIdentity) tieByPayers(g *Graph, picked []int32) bool {
	own := map[int32]bool{} // senders paying one of the seed's identifiers
	for _, b := range picked {
		for _, ei := range g.BeneficiaryEdges(b) {
			e := &g.Edges[ei]
			for _, p := range g.Payments(e) {
				if id.idents[p.Ident[0]] || id.idents[p.Ident[1]] {
					own[e.Sender] = true
					break
				}
			}
		}
	}
	type tie struct {
		payers []int32
		away   bool // a payment in a city unlike the seed's
	}
	ties := map[uint32]*tie{}
	for _, b := range picked {
		for _, ei := range g.BeneficiaryEdges(b) {
			e := &g.Edges[ei]
			for i, ps := 0, g.Payments(e); i < len(ps); i++ {
				p := &ps[i]
				for _, k := range p.Ident {
					if k == 0 || id.idents[k] {
						continue
					}
					t := ties[k]
					if t == nil {
						t = &tie{}
						ties[k] = t
					}
					if own[e.Sender] && !slices.Contains(t.payers, e.Sender) {
						t.payers = append(t.payers, e.Sender)
					}
					t.away = t.away || id.city(g, p.City) < 0
				}
			}
		}
	}
	grown := false
	for k, t := range ties {
		if len(t.payers) >= TiedIdentPayers && !t.away {
			id.idents[k] = true
			if id.tied == nil {
				id.tied = map[uint32]int{}
			}
			id.tied[k] = len(t.payers)
			grown = true
		}
	}
	return grown
}

// notePayers records, for every payer of the picked beneficiaries, whether
// his identified payments to them are the seed's, another person's or
// both.
func (id *seedIdentity) notePayers(g *Graph, picked []int32) {
	if id.empty() {
		return
	}
	id.payers = map[int32]uint8{}
	type note struct {
		n, own int     // payments that may be the seed's; of them, carrying her identifiers
		typ    float64 // sum of their edges' typology
	}
	notes := map[int32]*note{}
	var all, own int
	for _, b := range picked {
		for _, ei := range g.BeneficiaryEdges(b) {
			e := &g.Edges[ei]
			nt := notes[e.Sender]
			if nt == nil {
				nt = &note{}
				notes[e.Sender] = nt
			}
			for i, ps := 0, g.Payments(e); i < len(ps); i++ {
				switch id.kind(g, &ps[i]) {
				case payConfirmed:
					nt.n++
					nt.typ += float64(e.Typology)
					all++
					// The seed's city alone is no proof: one family
					// shares name and town.
					if p := &ps[i]; id.idents[p.Ident[0]] || id.idents[p.Ident[1]] || id.birth != 0 && p.Birth == id.birth {
						id.payers[e.Sender] |= payerSeed
						nt.own++
						own++
					}
				case payConflict:
					id.payers[e.Sender] |= payerOther
				case payOtherHere:
					if id.strangers[e.Sender] > 0 || id.strangerIdent(&ps[i]) {
						id.payers[e.Sender] |= payerOther
					}
				case payUnknown:
					nt.n++
					nt.typ += float64(e.Typology)
					all++
				}
			}
		}
	}
	if len(id.idents) == 0 {
		return
	}
	// A payer none of whose payments carries the seed's identifiers,
	// where her other payers' payments mostly do, and who pays as family
	// does: another person of her name and town.
	for s, nt := range notes {
		if nt.own > 0 || nt.n < FamilyPayments || all-nt.n <= 0 {
			continue
		}
		r := float64(own) / float64(all-nt.n)
		chance := math.Pow(1-r, float64(nt.n))
		if typ := nt.typ / float64(nt.n); chance <= FamilyChance && typ < SeedTypologyPayersShare {
			if id.family == nil {
				id.family = map[int32]familyNote{}
			}
			id.family[s] = familyNote{n: nt.n, rate: r, chance: chance, typology: typ}
		}
	}
}

// A payer of the seed's picked beneficiaries is taken for a relative's
// (another person of her name, in her town) when at least
// FamilyPayments of his payments may be hers (fewer do not show a
// habit: on the 40k synth worlds three buyers paying three times in the
// day, never with her phone, were cut at three), none carries her phone,
// account or birth date, the chance of that for one of her payers —
// (1 − r)^n, r the share of her other payers' payments that carry
// them — is at most FamilyChance, and his payments to her have a
// typology share below SeedTypologyPayersShare (not the buyers' way).
const (
	FamilyPayments          = 5
	FamilyChance            = 0.01
	SeedTypologyPayersShare = 0.5
)

// familyNote is why a payer is taken for a relative's (see notePayers).
type familyNote struct {
	n                      int
	rate, chance, typology float64
}

// empty reports whether the seed gives nothing to compare payments with.
func (id *seedIdentity) empty() bool {
	return len(id.idents) == 0 && len(id.cities) == 0 && id.birth == 0
}

func (id *seedIdentity) city(g *Graph, c uint32) int8 {
	if c == 0 || len(id.cities) == 0 {
		return 0
	}
	v, ok := id.same[c]
	if !ok {
		v = -1
		f := foldCity(g.cities[c])
		if f == "" {
			v = 0
		}
		for _, sc := range id.cities {
			switch {
			case f == "":
			case sameCity(f, sc):
				v = 1
			case v < 0 && closeCity(f, sc):
				v = 0 // perhaps the same place written another way
			}
		}
		id.same[c] = v
	}
	return v
}

func (id *seedIdentity) kind(g *Graph, p *Payment) int {
	if id.idents[p.Ident[0]] || id.idents[p.Ident[1]] {
		return payConfirmed
	}
	// A full birth date on the transfer: the seed's, someone else's, or
	// (same year and month, or day and month swapped) perhaps the seed's
	// mistyped, which tells nothing.
	if id.birth != 0 && p.Birth&31 != 0 {
		switch {
		case p.Birth == id.birth:
			return payConfirmed
		case !closeBirth(p.Birth, id.birth):
			return payConflict
		}
	}
	city := id.city(g, p.City)
	other := len(id.idents) > 0 && (p.Ident[0] != 0 || p.Ident[1] != 0)
	switch {
	case !other && city > 0:
		return payConfirmed // the seed's city and no other phone or account
	case other && city <= 0, !other && city < 0:
		return payConflict
	case other:
		return payOtherHere
	}
	return payUnknown
}

// closeCity reports whether two folded cities that are not the same place
// by sameCity may still be one place written another way: a shared word
// of four letters or more ("gen santos", "general santos"), close
// spellings ("gensan", "gen santos"; Jaro-Winkler ≥ 0.8) or one written
// as the other's initials ("cdo", "cagayan de oro"; see cityAcronym).
func closeCity(a, b string) bool {
	for _, x := range strings.Fields(a) {
		if len(x) >= 4 && slices.Contains(strings.Fields(b), x) {
			return true
		}
	}
	return resolve.JaroWinkler(a, b) >= 0.8 || cityAcronym(a, b) || cityAcronym(b, a)
}

// cityAcronym reports whether the folded city a, one word of two to five
// letters, is the initials of the first words of the folded city b (of
// two words or more), perhaps with a trailing c for the "city" that
// foldCity drops: "cdo" for "cagayan de oro", "qc" for "quezon metro
// manila" (QUEZON CITY, METRO MANILA), "hcmc" for "ho chi minh".
func cityAcronym(a, b string) bool {
	if len(a) < 2 || len(a) > 5 || strings.IndexByte(a, ' ') >= 0 {
		return false
	}
	words := strings.Fields(b)
	if len(words) < 2 && !(len(words) == 1 && len(a) == 2) {
		return false
	}
	var ini []byte
	for _, w := range words {
		ini = append(ini, w[0])
		if string(ini) == a || (len(ini) < len(a) && string(ini)+"c" == a) {
			return len(ini) >= 2 || string(ini)+"c" == a
		}
		if len(ini) >= len(a) {
			break
		}
	}
	return false
}

// identityCounts counts an edge's payments of each kind.
type identityCounts struct {
	confirmed, conflict, unknown, otherHere int
	neighbour                               int // of conflict, settled from otherHere
	// Payments that carry neither the seed's identifiers nor others,
	// from a payer whose other payments to the seed's beneficiaries
	// carry the seed's phone, account or birth date and none another
	// person's (bySeedPayer), or another person's and none the seed's
	// (byOtherPayer): kept apart from confirmed and conflict, which give
	// the beneficiary's rate from what its own payments carry.
	bySeedPayer, byOtherPayer int
	// silent counts, of unknown, the payments of a payer who never
	// writes the seed's identifiers nor another person's on this edge
	// where the recipient's other payers nearly always write hers (see
	// silentPayer); they count at silentRate, quiet says why.
	silent     int
	silentRate float64
	quiet      *silentNote
	tied       int // of confirmed, through an identifier tied by payers only
	born       int // of confirmed, through an identifier written beside her birth date only
	// family counts the payments of a payer taken for a relative's
	// (another person's), fam says why.
	family int
	fam    familyNote
	// stranger counts, of conflict, the payments with another phone or
	// account in the seed's city from a payer taken for another person's
	// (see findStrangers).
	stranger int
	// strangerIdent counts, of conflict, the payments from other payers
	// at a stranger's phone or account; strangerTown the payments with
	// her city alone from a payer who writes one and never hers.
	strangerIdent, strangerTown int
	// own counts, of confirmed, the payments that carry the seed's
	// phone, account or birth date (not her city alone).
	own int
}

// settle decides the payments with another phone or account in the seed's
// city: on a beneficiary with payments confirmed as the seed's, perhaps a
// second phone of hers (counted as neither); on one without any, another
// person of the seed's town under her name — a relative, the resolver
// having kept the phones apart — (counted as another person's).
func (n identityCounts) settle(seedsHere bool) identityCounts {
	if seedsHere {
		n.unknown += n.otherHere
	} else {
		n.conflict += n.otherHere
		n.neighbour = n.otherHere
	}
	n.otherHere = 0
	return n
}

func (id *seedIdentity) count(g *Graph, e *Edge) identityCounts {
	var n identityCounts
	fam, isFam := id.family[e.Sender]
	for i, ps := 0, g.Payments(e); i < len(ps); i++ {
		k := id.kind(g, &ps[i])
		if isFam && (k == payConfirmed || k == payUnknown) {
			n.family++
			n.fam = fam
			continue
		}
		switch k {
		case payConfirmed:
			if p := &ps[i]; id.strangerTown[e.Sender] && p.Ident[0] == 0 && p.Ident[1] == 0 && !(id.birth != 0 && p.Birth == id.birth) {
				// Her city alone, from a payer of the other person's
				// phone or account in her town.
				n.conflict++
				n.strangerTown++
				continue
			}
			n.confirmed++
			if p := &ps[i]; id.idents[p.Ident[0]] || id.idents[p.Ident[1]] || id.birth != 0 && p.Birth == id.birth {
				n.own++
			}
			if i0, i1 := ps[i].Ident[0], ps[i].Ident[1]; id.tied != nil && (id.tied[i0] > 0 || id.tied[i1] > 0) &&
				!(id.idents[i0] && id.tied[i0] == 0) && !(id.idents[i1] && id.tied[i1] == 0) {
				n.tied++
			}
			if i0, i1 := ps[i].Ident[0], ps[i].Ident[1]; id.born[i0] || id.born[i1] {
				n.born++
			}
		case payConflict:
			n.conflict++
		case payOtherHere:
			if id.strangers[e.Sender] > 0 {
				n.conflict++
				n.stranger++
				continue
			}
			if id.strangerIdent(&ps[i]) {
				n.conflict++
				n.strangerIdent++
				continue
			}
			n.otherHere++
		default:
			// One payer paying one name: a payment that says nothing
			// goes the way of his payments that do, when they all go
			// one way.
			switch id.payers[e.Sender] {
			case payerSeed:
				n.bySeedPayer++
			case payerOther:
				n.byOtherPayer++
			default:
				n.unknown++
			}
		}
	}
	return n
}

// share is the weight of an edge's payments that belong to the seed:
// confirmed payments count fully, conflicting ones not at all, and
// payments that carry neither count with the beneficiary's rate p (the
// share of its identified payments that are the seed's).
func (n identityCounts) share(p float64) float64 {
	t := n.total()
	if t == 0 {
		return 0
	}
	u := p * float64(n.unknown-n.silent)
	if n.silent > 0 {
		u += min(p, n.silentRate) * float64(n.silent)
	}
	return (float64(n.confirmed+n.bySeedPayer) + u) / float64(t)
}

func (n identityCounts) total() int {
	return n.confirmed + n.conflict + n.unknown + n.bySeedPayer + n.byOtherPayer + n.family
}

func (n identityCounts) fact(benName string, f float64) string {
	var parts []string
	if n.confirmed > 0 {
		parts = append(parts, fmt.Sprintf("%d carry the seed's phone, account (or one tied to them), birth date or city", n.confirmed))
	}
	if n.tied > 0 {
		parts = append(parts, fmt.Sprintf("of which %d carry a phone or account that %d or more senders who pay the seed's own also pay (a second one of hers)", n.tied, TiedIdentPayers))
	}
	if n.born > 0 {
		parts = append(parts, fmt.Sprintf("of which %d carry a phone or account that a payment to her name writes beside her birth date (hers)", n.born))
	}
	if n.conflict > 0 {
		parts = append(parts, fmt.Sprintf("%d carry another phone, account, birth date or city (another person under this name)", n.conflict))
	}
	if n.neighbour > 0 {
		parts = append(parts, fmt.Sprintf("of which %d carry another phone or account in the seed's city, to a recipient none of whose payments is confirmed as the seed's", n.neighbour))
	}
	if n.stranger > 0 {
		parts = append(parts, fmt.Sprintf("of which %d carry another phone or account in the seed's city that none of her payers who write her phone, account or birth date writes, from a payer who never writes hers (another person of her name and town)", n.stranger))
	}
	if n.strangerIdent > 0 {
		parts = append(parts, fmt.Sprintf("of which %d carry a phone or account in the seed's city at which another person of her name and town is paid (written again and again by a payer who never writes hers, and by none of her payers who do)", n.strangerIdent))
	}
	if n.strangerTown > 0 {
		parts = append(parts, fmt.Sprintf("of which %d carry her city alone, from a payer who writes that other person's phone or account and never hers (her town is that person's too)", n.strangerTown))
	}
	if n.bySeedPayer > 0 {
		parts = append(parts, fmt.Sprintf("%d carry neither, from a payer whose other payments carry the seed's phone, account or birth date and none another person's (counted as the seed's)", n.bySeedPayer))
	}
	if n.byOtherPayer > 0 {
		parts = append(parts, fmt.Sprintf("%d carry neither, from a payer whose other payments carry another person's phone, account, birth date or city and none the seed's (counted as another person's)", n.byOtherPayer))
	}
	if n.family > 0 {
		parts = append(parts, fmt.Sprintf("%d carry nothing of the seed's but perhaps her city, from a payer none of whose %d such payments to her recipients carries her phone, account or birth date, while %.0f%% of her other payers' do (chance %.2g), and who pays them as family does (typology share %.2f): a relative of her name and town (counted as another person's)",
			n.family, n.fam.n, 100*n.fam.rate, n.fam.chance, n.fam.typology))
	}
	if n.unknown > 0 {
		parts = append(parts, fmt.Sprintf("%d carry neither", n.unknown))
	}
	if q := n.quiet; q != nil {
		parts = append(parts, fmt.Sprintf("none of this payer's %d payment(s) to the recipient, paid as family does (typology share %.2f), carries her phone, account or birth date, while %.0f%% of its other payers' payments do (chance %.2g): they count at rate %.2f (the recipient's %.2f, %d of its %d identified payments the seed's, weighed by that chance)",
			n.silent, q.typology, 100*q.rate, q.chance, q.got, q.prior, q.c, q.c+q.x))
	}
	return fmt.Sprintf("of %d payment(s) to %s, %s: weight ×%.2f", n.total(), benName, strings.Join(parts, ", "), f)
}

// namesakePayers finds the payers of a seed's picked beneficiaries who pay
// a recipient of a compatible name (similarity ≥ 0.85 with the seed) that
// was not picked more often than they pay the picked ones: most likely
// they support a namesake of the seed — a relative under several
// spellings, one of which was merged into or picked beside the seed — and
// their payments to the seed weigh picked / (picked + namesake). It
// returns the factor per such payer and records the fact.
func (g *Graph) namesakePayers(seed *vigil.Lead, picked []int32, facts map[int32][]string) map[int32]float64 {
	stoks := resolve.NameTokensOf(seed.FullName)
	if len(stoks) == 0 || len(picked) == 0 {
		return nil
	}
	compatible := map[int32]bool{}
	isCompatible := func(b int32) bool {
		v, ok := compatible[b]
		if !ok {
			for _, toks := range g.Beneficiaries[b].tokens {
				v = v || tokenSimilarity(stoks, toks) >= 0.85
			}
			compatible[b] = v
		}
		return v
	}
	out := map[int32]float64{}
	for _, s := range g.pickedPayers(picked) {
		var p, u int
		other, otherN := int32(-1), 0
		for _, e := range g.SenderEdges(s) {
			switch {
			case slices.Contains(picked, e.Beneficiary):
				p += int(e.Count)
			case isCompatible(e.Beneficiary):
				u += int(e.Count)
				if int(e.Count) > otherN {
					other, otherN = e.Beneficiary, int(e.Count)
				}
			}
		}
		if u <= p {
			continue
		}
		f := float64(p) / float64(p+u)
		out[s] = f
		be := &g.Beneficiaries[other]
		facts[s] = append(facts[s], fmt.Sprintf("pays %s (%s) %d time(s), a namesake of seed %s that was not picked: %d of his %d payments to that name go to the seed's beneficiaries, weight ×%.2f",
			be.Name, be.ID, otherN, seed.ID, p, p+u, f))
	}
	return out
}

// closeBirth reports whether two packed full dates may be one date
// mistyped: the same year and month, or the same year with day and month
// swapped.
func closeBirth(a, b uint32) bool {
	if a>>9 != b>>9 {
		return false
	}
	am, ad, bm, bd := a>>5&15, a&31, b>>5&15, b&31
	return am == bm || (am == bd && ad == bm)
}

// silentNote is why a payer's payments that carry nothing count at a rate
// below the recipient's (see silentPayer).
type silentNote struct {
	c, x                     int     // the recipient's payments that are the seed's, another person's
	rate, chance, prior, got float64 // its other payers' share carrying her identifiers; (1-rate)^n; the recipient's rate; the rate given
	typology                 float64 // of the edge
}

// silentPayer weighs, on a picked recipient (its edges es) with c payments
// confirmed as the seed's and x another person's, each payer all of whose
// payments to it carry neither her identifiers nor another person's (and
// are not assigned by his other payments; see count) and paid as family
// does (typology share below SeedTypologyPayersShare: a buyer's few small
// late payments without her phone are not touched): if the recipient's
// other payers' payments that may be hers carry her phone, account or
// birth date at a share r, that none of his n does has the chance
// q = (1−r)^n were he her payer. When q ≤ FamilyChance his payments count
// at p·q / (p·q + 1 − p), p = (c+1)/(c+x+2) the recipient's rate (Bayes'
// rule, the rate as the prior; the +1 and +2 keep a rate of 1 from
// being certain): most likely a namesake's customer whose payments the
// resolver merged into her record.
func silentPayer(g *Graph, counts map[int32]identityCounts, es []int32, c, x int) {
	var own, may int
	for _, ei := range es {
		n := counts[ei]
		own += n.own
		may += n.confirmed + n.unknown + n.bySeedPayer
	}
	if own == 0 {
		return
	}
	p := float64(c+1) / float64(c+x+2)
	for _, ei := range es {
		n := counts[ei]
		if n.unknown == 0 || n.unknown != n.total() || g.Edges[ei].Typology >= SeedTypologyPayersShare {
			continue
		}
		m := may - n.unknown
		if m <= 0 {
			continue
		}
		r := float64(own) / float64(m)
		q := math.Pow(1-r, float64(n.unknown))
		if q > FamilyChance {
			continue
		}
		n.silent = n.unknown
		n.silentRate = p * q / (p*q + 1 - p)
		n.quiet = &silentNote{c: c, x: x, rate: r, chance: q, prior: p, got: n.silentRate, typology: float64(g.Edges[ei].Typology)}
		counts[ei] = n
	}
}

// A payer of a seed's picked beneficiaries sends her the family's money
// when at least FamilyPayments of his payments to them, and more than half,
// were sent within FamilyTimedWindow of his payments to a recipient he
// supports as family (a relative or family-like tie, not of the seed's
// name), and the chance of that for payments timed apart from the
// family's — a binomial tail at the share of those days his family
// payments cover — times the number of the seed's payers so tested is at
// most FamilyChance: a relative paid on the same payday as the rest of
// his family, not a buyer paying a session. He is ranked with the
// relatives.
const FamilyTimedWindow = 24 * 3600 // seconds

// familyTimed is why a payer's payments to a seed's picks are taken for
// family money (see familyTimedPayers).
type familyTimed struct {
	n, k          int     // his payments to the picks; of them, sent with the family's
	cover, chance float64 // share of those days within the window of a family payment; binomial tail
	family        int32   // the family recipient with the most of them
	familyN       int     // payments to it close to his payments to the picks
}

// familyTimedPayers finds the payers of a seed's picked beneficiaries
// whose payments to them go out with their family payments (see
// FamilyTimedWindow) and records the fact.
func (g *Graph) familyTimedPayers(seed *vigil.Lead, picked []int32, facts map[int32][]string) map[int32]bool {
	if len(picked) == 0 {
		return nil
	}
	stoks := resolve.NameTokensOf(seed.FullName)
	type found struct {
		s  int32
		ft familyTimed
	}
	var cands []found
	tested := 0     // payers whose timing was tested
	var fam []int64 // the times of his payments to his family
	var famOf []int32
	var own []int64
	for _, s := range g.pickedPayers(picked) {
		fam, famOf, own = fam[:0], famOf[:0], own[:0]
		for i := range g.SenderEdges(s) {
			e := &g.SenderEdges(s)[i]
			switch {
			case slices.Contains(picked, e.Beneficiary):
				for _, p := range g.Payments(e) {
					own = append(own, p.At)
				}
			case e.Tie == TieRelative || e.Tie == TieFamilyLike:
				// A recipient of the seed's name is a namesake
				// (namesakePayers), not his family.
				if len(stoks) > 0 && slices.ContainsFunc(g.Beneficiaries[e.Beneficiary].tokens, func(t []string) bool { return tokenSimilarity(stoks, t) >= 0.85 }) {
					continue
				}
				for _, p := range g.Payments(e) {
					fam = append(fam, p.At)
					famOf = append(famOf, e.Beneficiary)
				}
			}
		}
		if len(fam) == 0 || len(own) < FamilyPayments {
			continue
		}
		tested++
		if ft := familyTimedOf(own, fam, famOf); ft.k >= FamilyPayments && 2*ft.k > ft.n && ft.chance <= FamilyChance {
			cands = append(cands, found{s, ft})
		}
	}
	// Many payers are tested: the chance that any of them shows as many
	// by accident is at most the chance times their number (Bonferroni).
	var out map[int32]bool
	for _, c := range cands {
		ft := c.ft
		if ft.chance*float64(tested) > FamilyChance {
			continue
		}
		if out == nil {
			out = map[int32]bool{}
		}
		out[c.s] = true
		be := &g.Beneficiaries[ft.family]
		facts[c.s] = append(facts[c.s], fmt.Sprintf("%d of his %d payment(s) to the recipients picked for seed %s went out within a day of a payment to %s (%s), whom he pays as family (%d such payments), where his family payments cover %.0f%% of those days (chance %.2g; %.2g for any of the %d payers so tested): sent with the family's money, ranked with the relatives",
			ft.k, ft.n, seed.ID, be.Name, be.ID, ft.familyN, 100*ft.cover, ft.chance, min(1, ft.chance*float64(tested)), tested))
	}
	return out
}

// familyTimedOf counts the payments at the times own that fall within
// FamilyTimedWindow of a family payment (at the times fam, to the
// recipients famOf), the share of own's days so covered and the chance of
// as many by accident.
func familyTimedOf(own, fam []int64, famOf []int32) familyTimed {
	slices.Sort(own)
	idx := make([]int, len(fam))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(fam[a], fam[b]) })
	ft := familyTimed{n: len(own)}
	hits := map[int32]int{}
	for _, t := range own {
		j, _ := slices.BinarySearchFunc(idx, t, func(i int, t int64) int { return cmp.Compare(fam[i], t) })
		best := -1
		for _, c := range [2]int{j - 1, j} {
			if c >= 0 && c < len(idx) && abs64(fam[idx[c]]-t) <= FamilyTimedWindow && (best < 0 || abs64(fam[idx[c]]-t) < abs64(fam[idx[best]]-t)) {
				best = c
			}
		}
		if best >= 0 {
			ft.k++
			hits[famOf[idx[best]]]++
		}
	}
	for b, c := range hits {
		if c > ft.familyN || c == ft.familyN && b < ft.family {
			ft.family, ft.familyN = b, c
		}
	}
	// The days of his payments to the picks (a window either side) that
	// lie within the window of a family payment.
	lo, hi := own[0]-FamilyTimedWindow, own[len(own)-1]+FamilyTimedWindow
	var covered, end int64 = 0, lo
	for _, i := range idx {
		a, b := max(fam[i]-FamilyTimedWindow, end), min(fam[i]+FamilyTimedWindow, hi)
		if b > a {
			covered += b - a
			end = b
		}
	}
	ft.cover = float64(covered) / float64(hi-lo)
	ft.chance = binomialTail(ft.n, ft.k, ft.cover)
	return ft
}

// binomialTail is P(X ≥ k) for X binomial with n trials at p.
func binomialTail(n, k int, p float64) float64 {
	switch {
	case k <= 0:
		return 1
	case p <= 0:
		return 0
	case p >= 1:
		return 1
	}
	var sum float64
	lp, lq := math.Log(p), math.Log1p(-p)
	ln, _ := math.Lgamma(float64(n + 1))
	for i := k; i <= n; i++ {
		li, _ := math.Lgamma(float64(i + 1))
		lr, _ := math.Lgamma(float64(n - i + 1))
		sum += math.Exp(ln - li - lr + float64(i)*lp + float64(n-i)*lq)
	}
	return min(sum, 1)
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// pickedPayers lists the senders of a seed's picked beneficiaries, each
// once, in the order their edges come (picked order, then each
// beneficiary's edges).
func (g *Graph) pickedPayers(picked []int32) []int32 {
	var out []int32
	seen := map[int32]bool{}
	for _, b := range picked {
		for _, ei := range g.BeneficiaryEdges(b) {
			if s := g.Edges[ei].Sender; !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}
