package resolve

import (
	"hash/maphash"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vigilfiu/vigil"
)

// BeneficiaryResolver clusters the raw recipient fields of transfers into
// beneficiaries, one transfer at a time, with a union-find over keys:
//
//   - the phone in E.164 (parsed with libphonenumber in the recipient's
//     country, memoised per raw value),
//   - the account (wallet or bank) with its country,
//   - a name key that ignores word order, case, accents, punctuation,
//     initials and common abbreviations ("Ma." → maria), together with the
//     country and the city, so that a common name alone never joins people
//     who live in different cities; and within a city a name key never
//     lets a record with only a name bridge two clusters that hold
//     different phones or accounts (namesakes: beneficiary_namesake.go).
//
// Joins by phone or account are refused when the two names are
// incompatible (neither is a variant of the other), which keeps a phone
// shared by a remittance outlet or a wallet used by a whole household from
// merging unrelated people; every refusal and every join is recorded.
//
// Each distinct raw recipient record (name, phone, account, city, country,
// party id) is a node. A transfer that repeats a record already seen costs
// two hashes of its raw fields and one probe into a flat table (no
// allocation, no string comparison); a new record is normalised once
// (phone, name tokens interned per distinct raw name, city) and joined.
// Memory grows with distinct records, not with transfers; per record the
// resolver keeps flat, pointer-free state (its raw bytes live in an
// arena). Not safe for concurrent use; ObserveBatch uses both cores and
// gives the same result as Observe on each transfer in order.
type BeneficiaryResolver struct {
	seed, seed2 maphash.Seed
	records     recTable          // raw tuple → record node, with its transfer count
	keys        keyTable          // hash of a join key → first record node that had it
	names       nameTable         // hashes of a raw name → name id
	phones      map[uint64]string // memo: hash of raw phone|country → E.164, for phones appendFastE164 leaves to libphonenumber (bounded)
	cities      cityMemo          // memo: raw city → hash of the folded city (bounded)

	parent   []int32
	rec      []uint64     // per node: arena reference of its record (recordHeader, then the fields)
	idh      []uint64     // stable id per node: FNV-1a of its first key, formatted by ID
	nameOf   []int32      // name id per node
	nameToks tokenStore   // tokens per name id, shared by every record with that raw name
	flag     []uint8      // per node: flagMerged, the kinds of identifier its cluster holds (valid at roots), flagAmbiguous (of its name key)
	cbirth   []packedDate // per root: the cluster's first known birth date
	setOf    []int32      // per merged root: 1 + its index in sets
	prints   []uint32     // per node: 16-bit fingerprints of its E.164 phone (low half) and account key (high half), for sharesIdentifier
	sets     []memberSet  // per merged root: its record nodes with fingerprints (bounded) and their distinct name ids, for name and identifier checks; none means only the root
	freeSets []int32      // indices in sets of the roots merged into others, for reuse

	fresh freshKeys // key hashes put since the records being committed were prepared
	dirty freshKeys // roots that took another cluster in since the records being committed were prepared

	verify *preparedChecks // tests only: check every prepared answer used

	data  arena // raw record fields and link strings
	links []benLink
	buf   []byte
	work  []benWorker // per goroutine scratch; work[0] serves Observe
	batch benBatch

	// OnMerge, when set, is called after two clusters merge: from's state
	// must be folded into into's. Both are roots before the merge.
	OnMerge func(into, from int32)
	// Workers is the number of goroutines ObserveBatch may use for the
	// per-record work that does not depend on other records (hashing,
	// normalisation, keys); 0 means 2. Observe always uses one.
	Workers int
}

// benLink is a BeneficiaryLink before ids are final: rec is the record
// that joined or was refused, node the record it joined (rec itself) or
// the root that refused it. The transfer id is rec's first transfer and
// the via value is rec's key of the reason's kind, both rebuilt from the
// record by Links: 12 bytes per link, where the strings took ~40 more.
type benLink struct {
	rec, node int32
	reason    uint8 // index in linkReasons
}

// linkReasons are the reasons a link gives, by benLink.reason: a join
// (0-3), the same key refused (4-7), then the name key's refusals and the
// name-key joins that say which rule made them (nameReasons).
var linkReasons = func() []string {
	joins := []string{"same party id", "same phone", "same account", "same name variant, country and city"}
	out := append([]string(nil), joins...)
	for _, j := range joins {
		out = append(out, "not joined: "+j+" but incompatible names (shared outlet or household?)")
	}
	return append(out, nameReasons...)
}()

// refused is added to a join reason's index for its refusal.
const refused = 4

// maxMembers bounds the records kept per cluster for name comparison.
const maxMembers = 64

// memoLimit bounds each normalisation memo; past it the memo is
// cleared, so that memory stays bounded on any stream.
const memoLimit = 1 << 17

// fields of a record, in the order of raw, then the E.164 phone.
const (
	bfParty = iota
	bfName
	bfPhone
	bfAccount
	bfCity
	bfCountry
	bfE164
)

// NewBeneficiaryResolver returns an empty resolver.
func NewBeneficiaryResolver() *BeneficiaryResolver {
	r := &BeneficiaryResolver{
		seed:   maphash.MakeSeed(),
		seed2:  maphash.MakeSeed(),
		phones: make(map[uint64]string, 1024),
		work:   make([]benWorker, 1),
	}
	r.records.init(1024)
	r.keys.init(4096)
	r.names.init(1024)
	return r
}

// benKey is one join key of a new record, prepared: its hash, where its
// bytes and its via value are in the worker's key buffer, and the reason
// a join by it gives. A name key's bytes are not written (lo < 0): its
// hash is made from the hashes of the name's full tokens and of the
// folded city (nameKeyHash), and the bytes are rebuilt when needed
// (nameKeyBytes).
type benKey struct {
	h                uint64
	lo, hi, vlo, vhi int32
	other            int32 // the node the key table held for it when prepared, or -1
	root             int32 // other's root when prepared (phone and account keys; see compat)
	compat           bool  // namesCompatible(the new record alone, root) when prepared
	reason           uint8
	phoneOrAcct      bool
	hasCity          bool // a name key with a city
}

// benPrep is the work on a new record that depends on nothing but the
// record itself (and the memos, read only): done on any goroutine,
// committed in stream order.
type benPrep struct {
	t        *vigil.Transfer
	node     int32
	w        int32  // the worker whose key buffer holds the keys
	elo, ehi int32  // the E.164 phone in the worker's key buffer (the phone key's value)
	prints   uint32 // fingerprints of the E.164 phone and the account key (nodePrints)
	nameID   int32  // interned name id, or -1: then toks
	nameFull uint64 // where an interned name's full tokens are joined (tokenStore.appendFull)
	nameFH   uint64 // hash of the name's full tokens joined (fullHash), 0 when it has none
	nameH    uint64 // hashes of the raw name, for the name table
	nameH2   uint32
	toks     []string // tokens of a name not interned yet
	keys     [4]benKey
	nk       int32
	phoneH   uint64 // hash of phone|country, the memo's key
	phoneNew bool   // e164 was computed: memoise it
	city     string // folded city, when not memoised yet (cityNew)
	cityH    uint64 // hash of the raw city, the memo's key
	cityFH   uint64 // hash of the folded city (foldedCityHash), 0 when empty
	cityNew  bool
	held     bool   // a party id, phone or account of the record was held by an earlier record
	idKey    int32  // the key whose FNV-1a idH holds (the first absent when prepared), nk: the raw record's, -1: none
	idH      uint64 // the stable id's hash the record will most likely take (prepareID)
	ref      uint64 // the record's fields, stored by prepare (storeRecord)
}

// benWorker is the scratch space of one goroutine.
type benWorker struct {
	kb      []byte // key bytes of the records it prepared in this batch
	buf     []byte
	touched uint32 // the sum of the slots touched ahead (beneficiary_touch.go)
	data    arena  // the records it prepared (storeRecord)
}

// rawTuple writes the six raw fields, separated by NUL bytes, to b.
func rawTuple(b []byte, t *vigil.Transfer) []byte {
	b = append(b, t.BeneficiaryID...)
	b = append(b, 0)
	b = append(b, t.BeneficiaryName...)
	b = append(b, 0)
	b = append(b, t.BeneficiaryPhone...)
	b = append(b, 0)
	b = append(b, t.BeneficiaryAccount...)
	b = append(b, 0)
	b = append(b, t.BeneficiaryCity...)
	b = append(b, 0)
	b = append(b, t.BeneficiaryCountry...)
	return b
}

// Observe assigns the recipient of t to a record node and returns it; the
// beneficiary is Find(node). The first time a raw record is seen it is
// joined to existing clusters by its keys.
func (r *BeneficiaryResolver) Observe(t *vigil.Transfer) int32 {
	r.buf = rawTuple(r.buf[:0], t)
	h1 := maphash.Bytes(r.seed, r.buf)
	h2 := maphash.Bytes(r.seed2, r.buf)
	n, isNew := r.lookup(h1, h2)
	if !isNew {
		return n
	}
	w := &r.work[0]
	w.kb = w.kb[:0]
	var p benPrep
	r.prepareName(&p, t, n, 0)
	r.prepare(&p)
	r.probeKeys(&p)
	r.fresh.reset()
	r.dirty.reset()
	r.commit(&p)
	return n
}

// lookup finds the record node of a raw tuple by its hashes and counts
// the transfer, or makes a new node for it (isNew): the caller must then
// prepare and commit it before the next lookup that could need it.
func (r *BeneficiaryResolver) lookup(h1, h2 uint64) (n int32, isNew bool) {
	i, ok := r.records.find(h1, h2)
	if ok {
		s := &r.records.slots[i]
		s.n++
		return s.node1 - 1, false
	}
	if r.records.full() {
		r.records.grow()
		i, _ = r.records.find(h1, h2)
	}
	n = int32(len(r.parent))
	r.records.slots[i] = newSlot(h1, h2, n)
	r.records.used++
	r.nodeRoom()
	r.parent = append(r.parent, n)
	r.rec = append(r.rec, 0)
	r.idh = append(r.idh, 0)
	r.nameOf = append(r.nameOf, -1)
	r.flag = append(r.flag, 0)
	r.cbirth = append(r.cbirth, 0)
	r.setOf = append(r.setOf, 0)
	r.prints = append(r.prints, 0)
	return n, true
}

// prepareName starts the preparation of new record n of transfer t on
// worker wi: it hashes the raw name and looks it up in the name table.
func (r *BeneficiaryResolver) prepareName(p *benPrep, t *vigil.Transfer, n int32, wi int) {
	r.hashName(p, t, n, wi)
	r.findName(p)
}

// hashName is the first half of prepareName: the raw name's hashes.
func (r *BeneficiaryResolver) hashName(p *benPrep, t *vigil.Transfer, n int32, wi int) {
	*p = benPrep{t: t, node: n, w: int32(wi), idKey: -1}
	p.nameH, p.nameH2 = maphash.String(r.seed, t.BeneficiaryName), uint32(maphash.String(r.seed2, t.BeneficiaryName))
}

// findName is the second half of prepareName: the name table's look-up.
func (r *BeneficiaryResolver) findName(p *benPrep) {
	p.nameID, p.nameFull, p.nameFH = r.names.get(p.nameH, p.nameH2)
}

// prepare does the work on a new record that needs no other record, after
// prepareName: the E.164 phone, the name's tokens, the folded city and the
// join keys with their hashes, written to its worker's key buffer;
// probeKeys then looks the keys up. These only read the resolver (memos,
// name table, key table, arena), so several goroutines may prepare at
// once while nothing is committed. The three steps are apart so that
// ObserveBatch can run each over many records in a loop of its own: the
// table probes' cache misses then overlap.
func (r *BeneficiaryResolver) prepare(p *benPrep) {
	t := p.t
	w := &r.work[p.w]
	if p.nameID < 0 {
		p.toks = nameKeyTokensFast(t.BeneficiaryName)
		w.buf = appendFullTokens(w.buf[:0], p.toks)
		p.nameFH = r.fullHash(w.buf)
	}
	p.cityH = maphash.String(r.seed, t.BeneficiaryCity)
	var ok bool
	if p.cityFH, ok = r.cities.get(p.cityH); !ok {
		p.city = foldCity(t.BeneficiaryCity)
		p.cityFH, p.cityNew = r.foldedCityHash(p.city), true
	}

	kb := w.kb
	if t.BeneficiaryID != "" {
		lo := len(kb)
		kb = append(kb, "party:"...)
		vlo := len(kb)
		kb = append(kb, t.BeneficiaryID...)
		p.keys[p.nk] = benKey{lo: int32(lo), hi: int32(len(kb)), vlo: int32(vlo), vhi: int32(len(kb)), reason: 0}
		p.nk++
	}
	if t.BeneficiaryPhone != "" {
		lo := len(kb)
		kb = append(kb, "phone:"...)
		vlo := len(kb)
		// The fast form costs less than a memo probe; only the phones it
		// leaves to libphonenumber are memoised.
		kb = appendFastE164(kb, t.BeneficiaryPhone, t.BeneficiaryCountry)
		if len(kb) == vlo {
			pb := append(append(append(w.buf[:0], t.BeneficiaryPhone...), '|'), t.BeneficiaryCountry...)
			w.buf = pb
			ph := maphash.Bytes(r.seed, pb)
			if e, ok := r.phones[ph]; ok {
				kb = append(kb, e...)
			} else {
				e, _ := NormalizePhone(t.BeneficiaryPhone, t.BeneficiaryCountry)
				kb = append(kb, e...)
				p.phoneH, p.phoneNew = ph, true
			}
		}
		if len(kb) > vlo {
			p.elo, p.ehi = int32(vlo), int32(len(kb))
			p.keys[p.nk] = benKey{lo: int32(lo), hi: int32(len(kb)), vlo: int32(vlo), vhi: int32(len(kb)), reason: 1, phoneOrAcct: true}
			p.nk++
		} else {
			kb = kb[:lo]
		}
	}
	{
		lo := len(kb)
		kb = append(kb, "account:"...)
		kb = append(kb, t.BeneficiaryCountry...)
		kb = append(kb, ':')
		vlo := len(kb)
		kb = appendAccount(kb, t.BeneficiaryAccount)
		if len(kb) > vlo {
			p.keys[p.nk] = benKey{lo: int32(lo), hi: int32(len(kb)), vlo: int32(vlo), vhi: int32(len(kb)), reason: 2, phoneOrAcct: true}
			p.nk++
		} else {
			kb = kb[:lo]
		}
	}
	var acc []byte
	for i := int32(0); i < p.nk; i++ {
		k := &p.keys[i]
		k.h = maphash.Bytes(r.seed, kb[k.lo:k.hi])
		if k.reason == 2 {
			acc = kb[k.vlo:k.vhi]
		}
	}
	p.prints = nodePrints(kb[p.elo:p.ehi], t.BeneficiaryCountry, acc)
	if p.nameFH != 0 { // the name has full tokens: "name:" country ":" full tokens "@" folded city
		p.keys[p.nk] = benKey{h: r.nameKeyHash(p.nameFH, p.cityFH, t.BeneficiaryCountry), lo: -1, hi: -1, reason: reasonName, hasCity: p.cityFH != 0}
		p.nk++
	}
	w.kb = kb
	// The other raw fields and the E.164 phone, in the worker's arena
	// (the raw name is kept once per name id, by the commit).
	fs := [...]string{t.BeneficiaryID, "", t.BeneficiaryPhone, t.BeneficiaryAccount, t.BeneficiaryCity, t.BeneficiaryCountry}
	p.ref = storeRecord(&w.data, p.w, &fs, kb[p.elo:p.ehi], t.ID, packDate(t.BeneficiaryBirthDate))
}

// probeKeys looks a prepared record's keys up in the key table. Keys are
// never removed or moved to another node: one found now is final, which
// takes most key probes (cache misses) off the stream-order goroutine.
// One absent now may be added by an earlier record of the batch: join
// looks again when it was (freshKeys).
func (r *BeneficiaryResolver) probeKeys(p *benPrep) {
	r.getKeys(p)
	r.checkKeys(p)
}

// getKeys is the first step of probeKeys: the key table's look-ups. It
// also loads the parent of each node found (beneficiary_touch.go), which
// checkKeys reads next, and returns what it loaded.
func (r *BeneficiaryResolver) getKeys(p *benPrep) uint32 {
	var s uint32
	for i := int32(0); i < p.nk; i++ {
		o := r.keys.get(p.keys[i].h)
		p.keys[i].other = o
		if o >= 0 {
			s += uint32(r.parent[o])
		}
	}
	return s
}

// checkKeys is the second step of probeKeys: the name checks against
// the clusters found and the likely stable id.
func (r *BeneficiaryResolver) checkKeys(p *benPrep) {
	r.prepareCompat(p)
	r.prepareID(p)
}

// commit stores a prepared new record and joins it to the clusters that
// share one of its keys. Records must be committed in the order their
// nodes were made.
func (r *BeneficiaryResolver) commit(p *benPrep) {
	t, n := p.t, p.node
	if p.cityNew {
		r.cities.put(p.cityH, p.cityFH, p.city)
	}
	// The name: an earlier record of the batch may have interned it. Its
	// raw bytes are kept once per name id, not per record.
	id := p.nameID
	if id < 0 {
		id, _, _ = r.names.get(p.nameH, p.nameH2)
	}
	if id < 0 {
		id = int32(r.nameToks.len())
		full := r.nameToks.add(&r.data, p.toks, t.BeneficiaryName)
		r.names.put(p.nameH, p.nameH2, id, full, p.nameFH)
	}
	r.nameOf[n] = id
	// The other raw fields and the E.164 phone were stored by prepare.
	r.rec[n] = p.ref
	r.cbirth[n] = packDate(t.BeneficiaryBirthDate)
	r.prints[n] = p.prints
	if p.phoneNew { // memoised as a view of the arena: no allocation
		if len(r.phones) >= memoLimit {
			clear(r.phones)
		}
		r.phones[p.phoneH] = r.field(n, bfE164)
	}
	r.join(p)
}

// join links a new record to the clusters that share one of its keys.
func (r *BeneficiaryResolver) join(p *benPrep) {
	n := p.node
	kb := r.work[p.w].kb
	for i := int32(0); i < p.nk; i++ {
		k := &p.keys[i]
		if k.reason != reasonName {
			r.flag[r.Find(n)] |= kindFlag[k.reason] // a party id, phone or account
		}
		other := r.keyAfterPrepare(k.h, k.other)
		if other >= 0 && k.reason == reasonName {
			r.joinByName(p, k, other)
			continue
		}
		if other >= 0 {
			p.held = true
		}
		if other < 0 {
			r.putKey(k.h, n)
			if r.idh[n] == 0 {
				if r.verify != nil {
					r.verify.id(i == p.idKey, p.idH, r.keyIDHash(p, k))
				}
				if i == p.idKey {
					r.idh[n] = p.idH
				} else if k.lo < 0 {
					r.buf = r.nameKeyBytes(r.buf[:0], p)
					r.idh[n] = fnv64(r.buf)
				} else {
					r.idh[n] = fnv64(kb[k.lo:k.hi])
				}
			}
			continue
		}
		ra, rb := r.Find(n), r.Find(other)
		if ra == rb {
			continue
		}
		// A phone or an account is only trusted between compatible names.
		if k.phoneOrAcct && !r.compatible(n, ra, rb, k) {
			r.addLink(n, rb, k.reason+refused)
			continue
		}
		r.union(rb, ra)
		r.addLink(n, n, k.reason)
	}
	if r.idh[n] == 0 { // no usable key at all: an id from the raw record
		if r.verify != nil {
			r.verify.id(p.idKey == p.nk, p.idH, recordIDHash(nil, p.t))
		}
		if p.idKey == p.nk {
			r.idh[n] = p.idH
		} else {
			r.idh[n] = recordIDHash(r.buf[:0], p.t)
		}
	}
}

// addLink records a join or a refusal of record rec.
func (r *BeneficiaryResolver) addLink(rec, node int32, reason uint8) {
	r.links = append(doubled(r.links, 1024), benLink{rec: rec, node: node, reason: reason})
}

// fnv64 is FNV-1a of b, the hash behind the stable beneficiary ids.
func fnv64(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// membersOf returns the record nodes of a root (the root alone when it
// never merged); one is scratch space for that case.
func (r *BeneficiaryResolver) membersOf(root int32, one *[1]member) []member {
	if r.flag[root]&flagMerged != 0 {
		return r.setOfRoot(root).ms
	}
	one[0] = member(uint32(root))
	return one[:]
}

// namesCompatible reports whether some record name in cluster ra is a
// variant of some record name in cluster rb (every token of the shorter
// name matched by a token, an initial or a close spelling in the longer
// one). A cluster without any name is compatible with anything. Records
// with the same raw name share a name id and are compared once; a merged
// cluster keeps its members' distinct name ids (memberSet), so that the
// check reads no member record.
func (r *BeneficiaryResolver) namesCompatible(ra, rb int32) bool {
	var oa, ob [1]int32
	da, db := r.namesOf(ra, &oa), r.namesOf(rb, &ob)
	if len(da) == 0 || len(db) == 0 {
		return true
	}
	// Half the checks at scale compare a record with a cluster that
	// already holds its raw name: NameVariant of a token list with itself
	// is true (each token finds an equal one) up to nameVariantMax
	// tokens, so no token need be read.
	for _, x := range da {
		if slices.Contains(db, x) && r.nameToks.count(x) <= nameVariantMax {
			return true
		}
	}
	for _, x := range da {
		for _, y := range db {
			if NameVariant(r.nameToks.get(x), r.nameToks.get(y)) {
				return true
			}
		}
	}
	return false
}

// namesOf returns the distinct name ids with tokens of root's members
// (the root's own when it never merged; one is scratch space for that).
func (r *BeneficiaryResolver) namesOf(root int32, one *[1]int32) []int32 {
	if r.flag[root]&flagMerged != 0 {
		return r.setOfRoot(root).names
	}
	if id := r.nameOf[root]; r.nameToks.count(id) > 0 {
		one[0] = id
		return one[:]
	}
	return nil
}

// Find returns the root (beneficiary) of a record node.
func (r *BeneficiaryResolver) Find(n int32) int32 {
	for r.parent[n] != n {
		r.parent[n] = r.parent[r.parent[n]]
		n = r.parent[n]
	}
	return n
}

// union merges cluster b into a; the cluster first seen keeps its id.
func (r *BeneficiaryResolver) union(a, b int32) {
	if b < a {
		a, b = b, a
	}
	r.parent[b] = a
	r.dirty.add(uint64(a)) // its names change: a check prepared against it is stale
	var sa *memberSet
	if r.flag[a]&flagMerged != 0 {
		sa = r.setOfRoot(a)
	} else {
		sa = r.newSet(a)
		sa.ms = append(sa.ms, member(uint32(a)))
		sa.names = r.addName(sa.names, a)
	}
	r.joinMembers(sa, b)
	r.flag[a] |= flagMerged | r.flag[b]&flagStrong
	if r.cbirth[a] == 0 {
		r.cbirth[a] = r.cbirth[b]
	}
	if r.flag[b]&flagMerged != 0 {
		r.freeSet(b)
		r.flag[b] &^= flagMerged
	}
	if r.batch.merge != nil {
		r.batch.merge(r.batch.at, a, b)
	} else if r.OnMerge != nil {
		r.OnMerge(a, b)
	}
}

// ID returns the stable id of the beneficiary a record node belongs to.
func (r *BeneficiaryResolver) ID(n int32) string { return stableIDOf(r.idh[r.Find(n)]) }

// Nodes returns the number of record nodes seen.
func (r *BeneficiaryResolver) Nodes() int { return len(r.parent) }

// Tokens returns the folded name tokens of a record node (sorted, without
// initials). The slice must not be modified.
func (r *BeneficiaryResolver) Tokens(n int32) []string { return r.nameToks.get(r.nameOf[n]) }

// RawName returns the raw name of a record node.
func (r *BeneficiaryResolver) RawName(n int32) string { return r.field(n, bfName) }

// Country returns the country of a record node.
func (r *BeneficiaryResolver) Country(n int32) string { return r.field(n, bfCountry) }

// Links returns why raw records joined their beneficiary, in the order
// the records were first seen: one link per join (with the key that
// joined it) and one per refused join (naming the beneficiary it was not
// joined to). A record without a link started a beneficiary of its own;
// links are not kept for those, to keep memory linear in joins.
// TransferID is the first transfer that carried the record; BeneficiaryID
// is the beneficiary as it stands now, after later merges.
func (r *BeneficiaryResolver) Links() []vigil.BeneficiaryLink {
	out := make([]vigil.BeneficiaryLink, len(r.links))
	for i, l := range r.links {
		out[i] = vigil.BeneficiaryLink{TransferID: r.field(l.rec, bfTransfer), BeneficiaryID: r.ID(l.node),
			Reason: linkReasons[l.reason], Via: r.linkVia(l)}
	}
	return out
}

// nameVariantMax is the number of tokens of the longer list NameVariant
// compares.
const nameVariantMax = 16

// NameVariant reports whether one token list is a variant of the other:
// every token of the shorter one equals, is the initial of, or is within
// Jaro-Winkler 0.9 of a distinct token of the longer one.
func NameVariant(a, b []string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) == 0 {
		return false
	}
	var used [nameVariantMax]bool
	if len(b) > len(used) {
		b = b[:len(used)]
	}
	full := 0
	for _, x := range a {
		best, bestScore := -1, 0.0
		xm, xok := tokenMask(x)
		for j, y := range b {
			if used[j] {
				continue
			}
			s := 0.0
			switch {
			case x == y:
				s = 1
			case len(x) == 1 && y[0] == x[0], len(y) == 1 && x[0] == y[0]:
				s = 0.5
			case xok && jwBelow09Masked(x, xm, y):
			default:
				if jw := JaroWinkler(x, y); jw >= 0.9 {
					s = jw
				}
			}
			if s > bestScore {
				best, bestScore = j, s
				if s == 1 {
					break // nothing scores above an equal token
				}
			}
		}
		if best < 0 {
			return false
		}
		used[best] = true
		if bestScore >= 0.9 {
			full++
		}
	}
	return full >= 1
}

// jwBelow09 reports, for two ASCII tokens, whether their Jaro-Winkler
// similarity is certainly below 0.9, from the characters they have in
// common (c, with multiplicity): Jaro ≤ (c/|x| + c/|y| + 1)/3, and
// Winkler's boost of at most 0.4·(1−jaro) keeps the score below 0.9 while
// Jaro < 5/6, that is while 2c(|x|+|y|) < 3|x||y| (integers: exact). Most
// token pairs of different names share too few letters to need Jaro's
// matching loop. False when unsure (non-ASCII or long tokens): then
// JaroWinkler decides, so NameVariant's result never changes.
func jwBelow09(x, y string) bool {
	m, ok := tokenMask(x)
	return ok && jwBelow09Masked(x, m, y)
}

// tokenMask returns the set of x's characters modulo 64, and whether x
// is an ASCII token of at most 64 bytes (the tokens jwBelow09 bounds).
// NameVariant makes it once per token of the shorter list.
func tokenMask(x string) (uint64, bool) {
	if len(x) > 64 {
		return 0, false
	}
	var m uint64
	for i := 0; i < len(x); i++ {
		c := x[i]
		if c >= 128 {
			return 0, false
		}
		m |= 1 << (c & 63)
	}
	return m, true
}

// jwBelow09Masked is jwBelow09(x, y) for x with tokenMask(x) = m, true.
// The count is bounded first without a table: u counts the characters
// of y whose value modulo 64 is in m (at least c, as every common
// character is counted); when u already decides, the exact count is not
// made. Pairs of unrelated names are decided there.
func jwBelow09Masked(x string, m uint64, y string) bool {
	if len(y) > 64 {
		return false
	}
	u := 0
	for i := 0; i < len(y); i++ {
		c := y[i]
		if c >= 128 {
			return false
		}
		u += int(m >> (c & 63) & 1)
	}
	if 2*u*(len(x)+len(y)) < 3*len(x)*len(y) {
		return true
	}
	var cnt [128]int8
	for i := 0; i < len(x); i++ {
		cnt[x[i]]++
	}
	common := 0
	for i := 0; i < len(y); i++ {
		if c := y[i]; cnt[c] > 0 {
			cnt[c]--
			common++
		}
	}
	return 2*common*(len(x)+len(y)) < 3*len(x)*len(y)
}

// stableIDOf formats a stable id from the FNV-1a hash of its first key.
func stableIDOf(h uint64) string {
	var b [4 + 13]byte
	return string(strconv.AppendUint(append(b[:0], "BEN-"...), h, 36))
}

// appendAccount appends an account's letters and digits, upper-cased,
// keeping the handle punctuation of wallet ids (@ . _), to b.
func appendAccount(b []byte, s string) []byte {
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
			b = append(b, byte(c))
		case c >= 'a' && c <= 'z':
			b = append(b, byte(c-'a'+'A'))
		case c == '@' || c == '.' || c == '_':
			b = append(b, byte(c)) // keep handle punctuation of wallet ids
		case c == '-' || c == ' ' || c == '/':
		default:
			b = utf8.AppendRune(b, c)
		}
	}
	return b
}

// appendFullTokens appends the tokens longer than an initial, joined by
// spaces, to b.
func appendFullTokens(b []byte, toks []string) []byte {
	first := true
	for _, t := range toks {
		if len(t) < 2 {
			continue
		}
		if !first {
			b = append(b, ' ')
		}
		first = false
		b = append(b, t...)
	}
	return b
}

// particles that do not distinguish people ("dela Cruz" = "Cruz" order-free).
var benParticles = map[string]bool{"de": true, "del": true, "dela": true, "delos": true, "los": true, "la": true, "da": true, "dos": true, "das": true, "van": true, "von": true, "der": true, "bin": true, "binti": true, "y": true, "mr": true, "mrs": true, "ms": true, "miss": true}

// nameTokensAll returns the sorted, folded tokens of a name with
// abbreviations expanded and particles dropped; initials are kept (single
// letters) so that variant comparison can use them.
func nameTokensAll(name string) []string {
	var out []string
	for _, f := range NameTokens(name) {
		if benParticles[f] {
			continue
		}
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// nameKeyTokens is nameTokensAll; initials stay in the list (they sort
// first), the name key uses the full tokens only.
func nameKeyTokens(name string) []string { return nameTokensAll(name) }

// NameTokensOf returns the tokens vigil compares recipient and sender
// names on: folded, accent-free, abbreviations expanded, particles
// dropped, sorted.
func NameTokensOf(name string) []string { return nameKeyTokensFast(name) }

func foldCity(city string) string {
	var out []string
	for _, f := range strings.Fields(FoldName(city)) {
		if f == "city" || f == "of" || f == "municipality" {
			continue
		}
		out = append(out, f)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// PairwiseAccuracy compares a clustering of transfers (transfer id →
// beneficiary id) with the truth (transfer id → true recipient id) over
// all pairs of transfers present in both: precision is the share of pairs
// put together that truly belong together, recall the share of true pairs
// put together.
func PairwiseAccuracy(got, truth map[string]string) (precision, recall float64) {
	type cell struct{ g, t string }
	cells := map[cell]int{}
	gs, ts := map[string]int{}, map[string]int{}
	for id, g := range got {
		t, ok := truth[id]
		if !ok {
			continue
		}
		cells[cell{g, t}]++
		gs[g]++
		ts[t]++
	}
	pairs := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	var tp, pp, tpairs float64
	for _, n := range cells {
		tp += pairs(n)
	}
	for _, n := range gs {
		pp += pairs(n)
	}
	for _, n := range ts {
		tpairs += pairs(n)
	}
	precision, recall = 1, 1
	if pp > 0 {
		precision = tp / pp
	}
	if tpairs > 0 {
		recall = tp / tpairs
	}
	return precision, recall
}

// Clusters returns the number of beneficiaries (clusters) so far.
func (r *BeneficiaryResolver) Clusters() int {
	n := 0
	for i, p := range r.parent {
		if int32(i) == p {
			n++
		}
	}
	return n
}

// Root returns the root of a record node without compressing paths, so
// that several goroutines may call it while nothing is observed.
func (r *BeneficiaryResolver) Root(n int32) int32 {
	for r.parent[n] != n {
		n = r.parent[n]
	}
	return n
}

// Compress points every record node straight at its root, after which
// Find and Root do no writes until the next Observe.
func (r *BeneficiaryResolver) Compress() {
	for i := range r.parent {
		r.parent[i] = r.Root(int32(i))
	}
}

// packedDate is a vigil.Date in four bytes (year, month and day of any
// parsed date fit): per record, a Date would take 24.
type packedDate uint32

func packDate(d vigil.Date) packedDate {
	if d.Year < 0 || d.Year >= 1<<16 || d.Month < 0 || d.Month > 12 || d.Day < 0 || d.Day > 31 {
		return 0 // not a date ParseDate returns
	}
	return packedDate(d.Year<<16 | d.Month<<8 | d.Day)
}

func (p packedDate) date() vigil.Date {
	return vigil.Date{Year: int(p >> 16), Month: int(p >> 8 & 0xff), Day: int(p & 0xff)}
}
