package resolve

// Namesakes. A name key (name variant + country + city) is weak
// evidence: in a large population several people share a common name in
// one city, and a record that carries nothing but a name cannot tell
// them apart. The session-3 resolver joined every record to the first
// cluster with its name key, so a name-only record joined one person's
// cluster and then let a second person's records (other phone, other
// account) join through it: namesakes merged transitively.
//
// The rules now:
//
//  1. A name key does not join two clusters that both hold a strong
//     identifier (party id, phone or account): they would already be one
//     cluster if they shared one, so they are namesakes — unless
//     (a) the new record has the phone or account of one of the other
//     cluster's records (both were refused a join by it for a spelling:
//     "Fdn" and "Foundation"), (b) one cluster holds only phones and the
//     other only accounts (a person paid by phone at one counter and to
//     an account at another), or (c) the name has at least three words
//     (given, middle, family: rarely two people's in one city) — a
//     second number. (b) and (c) need a city, an unambiguous key and no
//     contradicting birth dates; (c) is taken once per key. Otherwise the
//     refusal is recorded and the key is marked ambiguous.
//  2. A record with only a name (a weak record) joins the cluster of its
//     name key only while the key is unambiguous. Once it is ambiguous,
//     weak records of that key cluster only among themselves (under a
//     separate key) and never with a cluster that holds a phone or an
//     account.
//  3. A name-key join is refused when the two clusters' birth dates
//     contradict.
//
// A weak cluster only ever holds records of one name key, and the
// exceptions of rule 1 are bounded (a cluster that took (b) holds both
// kinds; (c) is spent after one use): a name-only record cannot bridge
// two clusters that hold different phones or accounts. Phone and account
// joins are unchanged (between compatible names).

// Node flags (BeneficiaryResolver.flag).
const (
	flagMerged    = 1 << iota // a root with a member set (sets)
	flagPhone                 // at a root: the cluster holds a phone
	flagAccount               // at a root: the cluster holds an account
	flagParty                 // at a root: the cluster holds a party id
	flagAmbiguous             // the name key this node holds is held by several strong clusters
	flagSpent                 // the name key this node holds has joined two clusters with identifiers once

	flagStrong = flagPhone | flagAccount | flagParty
)

// kindFlag is the flag of a join key's kind, by join reason.
var kindFlag = [4]uint8{flagParty, flagPhone, flagAccount, 0}

// reasonName is the join reason (benLink.reason) of a name key.
const reasonName = 3

// Refusals of name-key joins, and the name-key joins that an exception
// above made or that rest on a name alone, after the 4 joins and 4
// refusals of linkReasons. A name-key join that is none of these (two
// name-only clusters of an unambiguous key) gives reasonName.
const (
	refusedNamesake = 8 + iota
	refusedBirth
	refusedAmbiguous
	joinedNameOnly
	joinedShared
	joinedKinds
	joinedSecond
	joinedWeakAmbiguous
)

// nameReasons are the texts of the reasons above, in order. Every join
// starts with linkReasons[reasonName], every refusal with "not joined".
// The joins say which rule made them, so that an investigator who reads
// why two people's payments share a beneficiary sees what the join rested
// on: a name alone (first come: the one cluster with identifiers that
// held the name key when the record came), or an exception of rule 1.
var nameReasons = []string{
	"not joined: same name variant, country and city but other phones or accounts (namesakes?)",
	"not joined: same name variant, country and city but contradicting birth dates",
	"not joined: name only, and several people with phones or accounts share that name, country and city",
	"same name variant, country and city, name only: the one person with a phone or account of that name there so far",
	"same name variant, country and city, and the phone or account of one of its records",
	"same name variant, country and city, one paid by phone only and the other to an account only: taken as one person",
	"same name variant, country and city, a name of three or more words with a second phone or account: taken as one person (once per name and city)",
	"same name variant, country and city, name only: joined to other name-only records, although several people with phones or accounts share that name there",
}

// weakSalt turns a name key's hash into the key under which weak records
// of an ambiguous name key cluster among themselves.
const weakSalt = 0x9e3779b97f4a7c15

// joinByName joins new record p.node to the cluster of other, the first
// record with the name key k, under the rules above.
func (r *BeneficiaryResolver) joinByName(p *benPrep, k *benKey, other int32) {
	n := p.node
	ra, rb := r.Find(n), r.Find(other)
	if ra == rb {
		return
	}
	sa, sb := r.flag[ra]&flagStrong != 0, r.flag[rb]&flagStrong != 0
	join := uint8(reasonName) // two name-only clusters
	if sa != sb {
		join = joinedNameOnly
	}
	switch {
	case sa && sb:
		switch {
		case p.held && r.sharesIdentifier(n, rb):
			join = joinedShared
		case r.otherKinds(ra, rb, other, k):
			join = joinedKinds
		case r.secondNumber(ra, rb, other, k, p):
			join = joinedSecond
		default:
			r.flag[other] |= flagAmbiguous
			r.addLink(n, rb, refusedNamesake)
			return
		}
	case !sa && sb && r.flag[other]&flagAmbiguous != 0:
		// rb is strong (only a strong cluster makes a key ambiguous):
		// this weak record joins the key's other weak records, if any.
		h := k.h ^ weakSalt
		o := r.keys.get(h)
		if o < 0 {
			r.putKey(h, n)
			r.addLink(n, rb, refusedAmbiguous)
			return
		}
		if rc := r.Find(o); rc != ra && !birthsContradict(r.cbirth[ra], r.cbirth[rc]) {
			r.union(rc, ra)
			r.addLink(n, n, joinedWeakAmbiguous)
		}
		return
	}
	if birthsContradict(r.cbirth[ra], r.cbirth[rb]) {
		r.addLink(n, rb, refusedBirth)
		return
	}
	r.union(rb, ra)
	r.addLink(n, n, join)
}

// birthsContradict reports whether two known birth dates cannot be one
// person's: different years, or the same year with month and day both
// known and different (a day and month written the other way round is
// taken as the same date).
func birthsContradict(a, b packedDate) bool {
	if a == 0 || b == 0 || a == b {
		return false
	}
	da, db := a.date(), b.date()
	if da.Year != db.Year {
		return true
	}
	if da.Month == 0 || db.Month == 0 || da.Day == 0 || db.Day == 0 {
		return false
	}
	if da.Month == db.Day && da.Day == db.Month {
		return false
	}
	return da.Month != db.Month || da.Day != db.Day
}

// sharesIdentifier reports whether record n has the phone or the account
// of one of cluster rb's records (at most maxMembers are compared). Two
// clusters can hold one identifier when both were refused a join by it
// for incompatible names ("Fdn" and "Foundation"): they are not
// namesakes with different identifiers. Only asked when an identifier of
// n was held by an earlier record (otherwise no record shares it).
// A merged cluster's members keep fingerprints of their phone and
// account once a check has read their record (member): later checks
// read from the arena only a member whose fingerprint equals n's, so the
// answer stays exact.
func (r *BeneficiaryResolver) sharesIdentifier(n, rb int32) bool {
	own := member(uint32(n)).withPrints(r.prints[n])
	fe, fa := own.phone(), own.account()
	// n's identifiers are read from its record only to confirm a
	// fingerprint that matches.
	var e, country string
	var ab [64]byte
	var acc []byte
	read := false
	shares := func(m int32) (member, bool) {
		if !read {
			e, country = r.field(n, bfE164), r.field(n, bfCountry)
			acc = appendAccount(ab[:0], r.field(n, bfAccount))
			read = true
		}
		return r.recordShares(m, e, acc, country)
	}
	if r.flag[rb]&flagMerged == 0 {
		if m := member(uint32(rb)).withPrints(r.prints[rb]); (fe == 0 || m.phone() != fe) && (fa == 0 || m.account() != fa) {
			return false
		}
		_, ok := shares(rb)
		return ok
	}
	ms := r.setOfRoot(rb).ms
	for i, m := range ms {
		if !m.printed() { // the node's prints, kept since it was prepared
			m = m.withPrints(r.prints[m.node()])
			ms[i] = m
		}
		if (fe == 0 || m.phone() != fe) && (fa == 0 || m.account() != fa) {
			continue // neither identifier can be equal
		}
		pm, ok := shares(m.node())
		ms[i] = pm
		if ok {
			return true
		}
	}
	return false
}

// recordShares reports whether record m has the E.164 phone e (when not
// empty) or the account key acc (when not empty) in country, and returns
// m's members entry with its fingerprints.
func (r *BeneficiaryResolver) recordShares(m int32, e string, acc []byte, country string) (member, bool) {
	var fs [recordFields]string
	r.fields(m, &fs) // one pass over the header for the three fields
	var mb [64]byte
	macc := appendAccount(mb[:0], fs[bfAccount])
	pm := printedMember(m, fs[bfE164], fs[bfCountry], macc)
	if e != "" && fs[bfE164] == e {
		return pm, true
	}
	if len(acc) > 0 && fs[bfCountry] == country && string(macc) == string(acc) {
		return pm, true
	}
	return pm, false
}

// otherKinds reports whether a name key may join two clusters that both
// hold identifiers, of different kinds only: one has phones and no
// account, the other accounts and no phone (a person paid by phone at
// one counter and to a bank account at another). Only while the name key
// is unambiguous and carries a city, and only once per cluster: the
// joined cluster holds both kinds, so no later cluster can join it by
// name, and no chain forms.
func (r *BeneficiaryResolver) otherKinds(ra, rb, other int32, k *benKey) bool {
	fa, fb := r.flag[ra]&flagStrong, r.flag[rb]&flagStrong
	if fa&fb != 0 || fa&flagParty != 0 || fb&flagParty != 0 || r.flag[other]&flagAmbiguous != 0 {
		return false
	}
	return k.hasCity
}

// secondNumber reports whether a name key may join two clusters that
// both hold identifiers of one kind as one person's second number: only
// for a full name of at least three words (given, middle and family
// name: rarely two people's in one city) with a city, while the key is
// unambiguous and has not joined such clusters before, and when the
// birth dates do not contradict. The key is then spent: a third cluster
// with its own identifiers is refused, and makes the key ambiguous.
func (r *BeneficiaryResolver) secondNumber(ra, rb, other int32, k *benKey, p *benPrep) bool {
	if !k.hasCity || r.flag[other]&(flagAmbiguous|flagSpent) != 0 || birthsContradict(r.cbirth[ra], r.cbirth[rb]) {
		return false
	}
	r.buf = r.appendNameFull(r.buf[:0], p) // the name key's via value
	words := 1
	for _, c := range r.buf {
		if c == ' ' {
			words++
		}
	}
	if words < 3 {
		return false
	}
	r.flag[other] |= flagSpent
	return true
}
