package resolve

import "slices"

// member is one record node of a merged cluster's members list and,
// once the namesake rules' check for a shared identifier
// (sharesIdentifier) has read its record, 16-bit fingerprints of its
// E.164 phone and of its account key in its country (0: the record has
// none). Later checks then read from the arena only the members whose
// fingerprint matches, instead of every member's record: a fingerprint
// never misses an equal identifier, and a match is confirmed on the
// record, so the check stays exact. The prints are taken lazily (union
// reads no record: a cluster's older records are cold in the arena).
// 8 bytes per member where the node alone took 4; bounded by maxMembers
// per cluster.
//
// Layout: node in bits 0-30, bit 31 set once printed, phone print in
// bits 32-47, account print in 48-63.
type member uint64

const memberPrinted = 1 << 31

func (m member) node() int32     { return int32(uint32(m) &^ memberPrinted) }
func (m member) printed() bool   { return m&memberPrinted != 0 }
func (m member) phone() uint16   { return uint16(m >> 32) }
func (m member) account() uint16 { return uint16(m >> 48) }

// printedMember returns node n's members entry with the fingerprints of
// its E.164 phone e and of its account key acc in country.
func printedMember(n int32, e, country string, acc []byte) member {
	return member(uint32(n)) | memberPrinted | member(phonePrint(e))<<32 | member(accountPrint(country, acc))<<48
}

// nodePrints packs a record's fingerprints (phonePrint of its E.164 phone
// e, accountPrint of its account key acc in country) for the per-node
// array prints, made when the record is prepared: the namesake check
// then reads 4 bytes of a member instead of its record in the arena,
// and the record only when a fingerprint matches.
func nodePrints(e []byte, country string, acc []byte) uint32 {
	return uint32(phonePrint(e)) | uint32(accountPrint(country, acc))<<16
}

// withPrints returns m printed with the packed fingerprints ps.
func (m member) withPrints(ps uint32) member {
	return member(uint32(m.node())) | memberPrinted | member(uint16(ps))<<32 | member(ps>>16)<<48
}

// phonePrint is the 16-bit fingerprint of an E.164 phone, 0 for none
// (never 0 otherwise).
func phonePrint[S string | []byte](e S) uint16 {
	if len(e) == 0 {
		return 0
	}
	h := uint64(14695981039346656037)
	for i := 0; i < len(e); i++ {
		h ^= uint64(e[i])
		h *= 1099511628211
	}
	return uint16(h>>48) | 1
}

// accountPrint is the 16-bit fingerprint of an account key in a country,
// 0 for an empty key (never 0 otherwise).
func accountPrint(country string, acc []byte) uint16 {
	if len(acc) == 0 {
		return 0
	}
	h := uint64(14695981039346656037)
	for i := 0; i < len(country); i++ {
		h ^= uint64(country[i])
		h *= 1099511628211
	}
	h ^= 0xff // separator (a collision only costs a record read)
	h *= 1099511628211
	for _, c := range acc {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return uint16(h>>48) | 1
}

// memberSet is a merged root's entry in sets: its record nodes (at
// most maxMembers, in the order they joined) and the distinct name ids
// with tokens of those nodes, which namesCompatible compares. The name
// ids are kept as the nodes join (a node's name never changes), so the
// check no longer reads every member's name from nameOf and the token
// store each time; they are exactly the distinct named ids of ms. A
// root finds its set by index (setOf), not through a map: a map probe
// or assignment per check and per merge was most of union's time, and a
// set freed by a merge is reused with its lists' room.
type memberSet struct {
	ms    []member
	names []int32
}

// setOfRoot returns the set of a merged root (flagMerged).
func (r *BeneficiaryResolver) setOfRoot(root int32) *memberSet { return &r.sets[r.setOf[root]-1] }

// newSet gives root an empty set (a freed one when there is one).
func (r *BeneficiaryResolver) newSet(root int32) *memberSet {
	var i int32
	if k := len(r.freeSets); k > 0 {
		i, r.freeSets = r.freeSets[k-1], r.freeSets[:k-1]
	} else {
		r.sets = append(r.sets, memberSet{ms: make([]member, 0, 4)})
		i = int32(len(r.sets) - 1)
	}
	r.setOf[root] = i + 1
	s := &r.sets[i]
	s.ms, s.names = s.ms[:0], s.names[:0]
	return s
}

// freeSet releases the set of a root merged into another.
func (r *BeneficiaryResolver) freeSet(root int32) {
	r.freeSets = append(r.freeSets, r.setOf[root]-1)
	r.setOf[root] = 0
}

// joinMembers appends cluster b's members to s while s has room, with
// their names.
func (r *BeneficiaryResolver) joinMembers(s *memberSet, b int32) {
	if r.flag[b]&flagMerged == 0 {
		if len(s.ms) < maxMembers {
			s.ms = append(s.ms, member(uint32(b)))
			s.names = r.addName(s.names, b)
		}
		return
	}
	sb := r.setOfRoot(b)
	room := maxMembers - len(s.ms)
	if room <= 0 {
		return
	}
	if len(sb.ms) <= room { // all of b's members: its names are theirs
		s.ms = append(s.ms, sb.ms...)
		for _, id := range sb.names {
			if !slices.Contains(s.names, id) {
				s.names = append(s.names, id)
			}
		}
		return
	}
	for _, m := range sb.ms[:room] {
		s.ms = append(s.ms, m)
		s.names = r.addName(s.names, m.node())
	}
}

// addName adds node n's name id to names when it has tokens and is not
// there yet.
func (r *BeneficiaryResolver) addName(names []int32, n int32) []int32 {
	id := r.nameOf[n]
	if r.nameToks.count(id) == 0 || slices.Contains(names, id) {
		return names
	}
	return append(names, id)
}
