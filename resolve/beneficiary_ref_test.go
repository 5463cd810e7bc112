// Code copied from beneficiary.go at commit aed1a7c (session 3 start), with
// its identifiers prefixed "ref": the reference the optimised resolver must
// reproduce exactly (TestResolverMatchesReference).

package resolve

import (
	"github.com/nyaruka/phonenumbers"
	"hash/maphash"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vigilfiu/vigil"
)

// refResolver clusters the raw recipient fields of transfers into
// beneficiaries, one transfer at a time, with a union-find over keys:
//
//   - the phone in E.164 (parsed with libphonenumber in the recipient's
//     country, memoised per raw value),
//   - the account (wallet or bank) with its country,
//   - a name key that ignores word order, case, accents, punctuation,
//     initials and common abbreviations ("Ma." → maria), together with the
//     country and the city, so that a common name alone never joins people
//     who live in different cities.
//
// Joins by phone or account are refRefused when the two names are
// incompatible (neither is a variant of the other), which keeps a phone
// shared by a remittance outlet or a wallet used by a whole household from
// merging unrelated people; every refusal and every join is recorded.
//
// Each distinct raw recipient record (name, phone, account, city, country,
// party id) is a node; the work per transfer after the first sighting of a
// record is one map lookup. Memory grows with distinct records, not with
// transfers. Not safe for concurrent use: partition by recipient country or
// run one resolver per worker and merge.
type refResolver struct {
	records map[uint64]int32 // hash of the raw tuple → first record node with it
	chain   []int32          // next record node with the same tuple hash, or -1
	seed    maphash.Seed
	seed2   maphash.Seed        // second hash of the raw tuple, kept per record
	keys    map[uint64]int32    // hash of a join key → first record node that had it (64-bit: collisions negligible)
	phones  map[string]string   // memo: raw phone|country → E.164 (bounded)
	names   map[string][]string // memo: raw name → its tokens, shared between records (bounded)
	cities  map[string]string   // memo: raw city → folded city (bounded)

	parent  []int32
	rec     []refBenRecord
	idh     []uint64 // stable id per node: FNV-1a of its first key, formatted by ID
	tokens  [][]string
	members map[int32][]int32 // per merged root: its record nodes (bounded), for name checks; absent means only the root

	links []refBenLink
	buf   []byte
	kbuf  []byte

	// OnMerge, when set, is called after two clusters merge: from's state
	// must be folded into into's. Both are roots before the merge.
	OnMerge func(into, from int32)
}

// refBenLink is a BeneficiaryLink before ids are final: node is the record
// that joined (or the root that refRefused it).
type refBenLink struct {
	transferID, via string
	node            int32
	reason          uint8 // index in refLinkReasons
}

// refLinkReasons are the reasons a link gives, by refBenLink.reason: a join
// (0-3) and the same key refRefused (4-7).
var refLinkReasons = func() []string {
	joins := []string{"same party id", "same phone", "same account", "same name variant, country and city"}
	out := append([]string(nil), joins...)
	for _, j := range joins {
		out = append(out, "not joined: "+j+" but incompatible names (shared outlet or household?)")
	}
	return out
}()

// refRefused is added to a join reason's index for its refusal.
const refRefused = 4

// refMaxMembers bounds the records kept per cluster for name comparison.
const refMaxMembers = 64

// refMemoLimit bounds each normalisation memo; past it the memo is
// cleared, so that memory stays bounded on any stream.
const refMemoLimit = 1 << 17

// refBenRecord is what the resolver keeps of one distinct raw recipient
// record: its fields and the E.164 form of its phone in one string (one
// allocation per record, no pointers but one for the collector).
type refBenRecord struct {
	raw   string    // party id, name, phone, account, city, country, E.164 phone, concatenated
	end   [6]uint32 // end of each field in raw but the last
	h2    uint64    // second hash of the raw tuple: with the map's hash, 128 bits identify it
	birth refPackedDate
	n     int32 // transfers that carried it
}

// fields of a refBenRecord, in the order of raw.
const (
	refBfParty = iota
	refBfName
	refBfPhone
	refBfAccount
	refBfCity
	refBfCountry
	refBfE164
)

func (rc *refBenRecord) field(i int) string {
	lo := uint32(0)
	if i > 0 {
		lo = rc.end[i-1]
	}
	if i == refBfE164 {
		return rc.raw[lo:]
	}
	return rc.raw[lo:rc.end[i]]
}

// newRefResolver returns an empty resolver.
func newRefResolver() *refResolver {
	return &refResolver{
		records: make(map[uint64]int32, 1024),
		keys:    make(map[uint64]int32, 1024),
		seed:    maphash.MakeSeed(),
		seed2:   maphash.MakeSeed(),
		phones:  make(map[string]string, 1024),
		names:   make(map[string][]string, 1024),
		members: make(map[int32][]int32, 1024),
		cities:  make(map[string]string, 64),
	}
}

// Observe assigns the recipient of t to a record node and returns it; the
// beneficiary is Find(node). The first time a raw record is seen it is
// joined to existing clusters by its keys.
func (r *refResolver) Observe(t *vigil.Transfer) int32 {
	b := r.buf[:0]
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
	r.buf = b
	h := maphash.Bytes(r.seed, b)
	h2 := maphash.Bytes(r.seed2, b)
	first, seen := r.records[h]
	if seen {
		// Two independent 64-bit hashes stand for the tuple: comparing
		// the strings would cost a cache miss per transfer.
		for n := first; n >= 0; n = r.chain[n] {
			if r.rec[n].h2 == h2 {
				r.rec[n].n++
				return n
			}
		}
	}
	n := int32(len(r.parent))
	if seen { // a hash collision between different tuples: chain them
		r.chain = append(r.chain, r.chain[first])
		r.chain[first] = n
	} else {
		r.records[h] = n
		r.chain = append(r.chain, -1)
	}
	r.parent = append(r.parent, n)
	e164 := r.phone(t.BeneficiaryPhone, t.BeneficiaryCountry)
	rc := refBenRecord{birth: refPackDate(t.BeneficiaryBirthDate), n: 1, h2: h2}
	size := len(b) - 5 + len(e164) // b holds the six fields and five separators
	raw := make([]byte, 0, size)
	for i, f := range [...]string{t.BeneficiaryID, t.BeneficiaryName, t.BeneficiaryPhone, t.BeneficiaryAccount, t.BeneficiaryCity, t.BeneficiaryCountry} {
		raw = append(raw, f...)
		rc.end[i] = uint32(len(raw))
	}
	raw = append(raw, e164...)
	rc.raw = string(raw)
	r.rec = append(r.rec, rc)
	r.tokens = append(r.tokens, r.nameTokens(t.BeneficiaryName))
	r.idh = append(r.idh, 0)
	r.join(n, t, e164)
	return n
}

// nameTokens returns the tokens of a raw recipient name, memoised: the
// same name comes with many phone and city variants. The slice is shared
// and must not be modified.
func (r *refResolver) nameTokens(name string) []string {
	if toks, ok := r.names[name]; ok {
		return toks
	}
	toks := refNameKeyTokens(name)
	if len(r.names) >= refMemoLimit {
		clear(r.names)
	}
	r.names[strings.Clone(name)] = toks
	return toks
}

// city returns refFoldCity of a raw city, memoised.
func (r *refResolver) city(raw string) string {
	if c, ok := r.cities[raw]; ok {
		return c
	}
	c := refFoldCity(raw)
	if len(r.cities) >= refMemoLimit {
		clear(r.cities)
	}
	r.cities[strings.Clone(raw)] = c
	return c
}

// membersOf returns the record nodes of a root (the root alone when it
// never merged); one is scratch space for that case.
func (r *refResolver) membersOf(root int32, one *[1]int32) []int32 {
	if m, ok := r.members[root]; ok {
		return m
	}
	one[0] = root
	return one[:]
}

// join links a new record to the clusters that share one of its keys.
// The keys are written one after the other into a scratch buffer: only
// their hashes are kept, and the via strings of the links recorded.
func (r *refResolver) join(n int32, t *vigil.Transfer, e164 string) {
	type key struct {
		lo, hi      int   // the key in kb
		vlo, vhi    int   // the via value in kb
		reason      uint8 // index in refLinkReasons
		phoneOrAcct bool
	}
	var ks [4]key
	nk := 0
	kb := r.kbuf[:0]
	if t.BeneficiaryID != "" {
		lo := len(kb)
		kb = append(kb, "party:"...)
		vlo := len(kb)
		kb = append(kb, t.BeneficiaryID...)
		ks[nk] = key{lo, len(kb), vlo, len(kb), 0, false}
		nk++
	}
	if e164 != "" {
		lo := len(kb)
		kb = append(kb, "phone:"...)
		vlo := len(kb)
		kb = append(kb, e164...)
		ks[nk] = key{lo, len(kb), vlo, len(kb), 1, true}
		nk++
	}
	{
		lo := len(kb)
		kb = append(kb, "account:"...)
		kb = append(kb, t.BeneficiaryCountry...)
		kb = append(kb, ':')
		vlo := len(kb)
		kb = refAppendAccount(kb, t.BeneficiaryAccount)
		if len(kb) > vlo {
			ks[nk] = key{lo, len(kb), vlo, len(kb), 2, true}
			nk++
		} else {
			kb = kb[:lo]
		}
	}
	{
		lo := len(kb)
		kb = append(kb, "name:"...)
		kb = append(kb, t.BeneficiaryCountry...)
		kb = append(kb, ':')
		vlo := len(kb)
		kb = refAppendFullTokens(kb, r.tokens[n])
		if len(kb) > vlo {
			vhi := len(kb)
			kb = append(kb, '@')
			kb = append(kb, r.city(t.BeneficiaryCity)...)
			ks[nk] = key{lo, len(kb), vlo, vhi, 3, false}
			nk++
		} else {
			kb = kb[:lo]
		}
	}
	r.kbuf = kb
	for i := 0; i < nk; i++ {
		k := ks[i]
		kh := maphash.Bytes(r.seed, kb[k.lo:k.hi])
		other, ok := r.keys[kh]
		if !ok {
			r.keys[kh] = n
			if r.idh[n] == 0 {
				r.idh[n] = refFnv64(kb[k.lo:k.hi])
			}
			continue
		}
		ra, rb := r.Find(n), r.Find(other)
		if ra == rb {
			continue
		}
		via := string(kb[k.vlo:k.vhi])
		// A phone or an account is only trusted between compatible names.
		if k.phoneOrAcct && !r.namesCompatible(ra, rb) {
			r.links = append(r.links, refBenLink{transferID: strings.Clone(t.ID), node: rb, reason: k.reason + refRefused, via: via})
			continue
		}
		r.union(rb, ra)
		r.links = append(r.links, refBenLink{transferID: strings.Clone(t.ID), node: n, reason: k.reason, via: via})
	}
	if r.idh[n] == 0 { // no usable key at all: an id from the raw record
		r.idh[n] = refFnv64(append(append(kb[:0], "record:"...), r.buf...))
	}
}

// refFnv64 is FNV-1a of b, the hash behind the stable beneficiary ids.
func refFnv64(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// namesCompatible reports whether some record name in cluster ra is a
// variant of some record name in cluster rb (every token of the shorter
// name matched by a token, an initial or a close spelling in the longer
// one). A cluster without any name is compatible with anything.
func (r *refResolver) namesCompatible(ra, rb int32) bool {
	var oa, ob [1]int32
	ma, mb := r.membersOf(ra, &oa), r.membersOf(rb, &ob)
	named := func(ms []int32) bool {
		for _, m := range ms {
			if len(r.tokens[m]) > 0 {
				return true
			}
		}
		return false
	}
	if !named(ma) || !named(mb) {
		return true
	}
	for _, x := range ma {
		for _, y := range mb {
			if a, b := r.tokens[x], r.tokens[y]; len(a) > 0 && len(b) > 0 && NameVariant(a, b) {
				return true
			}
		}
	}
	return false
}

// Find returns the root (beneficiary) of a record node.
func (r *refResolver) Find(n int32) int32 {
	for r.parent[n] != n {
		r.parent[n] = r.parent[r.parent[n]]
		n = r.parent[n]
	}
	return n
}

// union merges cluster b into a; the cluster first seen keeps its id.
func (r *refResolver) union(a, b int32) {
	if b < a {
		a, b = b, a
	}
	r.parent[b] = a
	ma, ok := r.members[a]
	if !ok {
		ma = append(make([]int32, 0, 4), a)
	}
	var one [1]int32
	for _, m := range r.membersOf(b, &one) {
		if len(ma) >= refMaxMembers {
			break
		}
		ma = append(ma, m)
	}
	r.members[a] = ma
	delete(r.members, b)
	if r.OnMerge != nil {
		r.OnMerge(a, b)
	}
}

// ID returns the stable id of the beneficiary a record node belongs to.
func (r *refResolver) ID(n int32) string { return refStableIDOf(r.idh[r.Find(n)]) }

// Nodes returns the number of record nodes seen.
func (r *refResolver) Nodes() int { return len(r.parent) }

// Tokens returns the folded name tokens of a record node (sorted, without
// initials). The slice must not be modified.
func (r *refResolver) Tokens(n int32) []string { return r.tokens[n] }

// RawName returns the raw name of a record node.
func (r *refResolver) RawName(n int32) string { return r.rec[n].field(refBfName) }

// Country returns the country of a record node.
func (r *refResolver) Country(n int32) string { return r.rec[n].field(refBfCountry) }

// Links returns why raw records joined their beneficiary, in the order
// the records were first seen: one link per join (with the key that
// joined it) and one per refRefused join (naming the beneficiary it was not
// joined to). A record without a link started a beneficiary of its own;
// links are not kept for those, to keep memory linear in joins.
// TransferID is the first transfer that carried the record; BeneficiaryID
// is the beneficiary as it stands now, after later merges.
func (r *refResolver) Links() []vigil.BeneficiaryLink {
	out := make([]vigil.BeneficiaryLink, len(r.links))
	for i, l := range r.links {
		out[i] = vigil.BeneficiaryLink{TransferID: l.transferID, BeneficiaryID: r.ID(l.node), Reason: refLinkReasons[l.reason], Via: l.via}
	}
	return out
}

// Beneficiaries returns the resolved beneficiaries, ordered by id.
func (r *refResolver) Beneficiaries() []vigil.Beneficiary {
	byRoot := map[int32]*vigil.Beneficiary{}
	nameCount := map[int32]map[string]int32{}
	var roots []int32
	for i := range r.parent {
		n := int32(i)
		root := r.Find(n)
		b := byRoot[root]
		if b == nil {
			b = &vigil.Beneficiary{ID: refStableIDOf(r.idh[root]), Country: r.rec[root].field(refBfCountry)}
			byRoot[root] = b
			nameCount[root] = map[string]int32{}
			roots = append(roots, root)
		}
		rc := &r.rec[n]
		if name := rc.field(refBfName); name != "" {
			if _, seen := nameCount[root][name]; !seen {
				b.Names = append(b.Names, name)
			}
			nameCount[root][name] += rc.n
		}
		if e := rc.field(refBfE164); e != "" && !refContains(b.Phones, e) {
			b.Phones = append(b.Phones, e)
		}
		if acc := rc.field(refBfAccount); acc != "" && !refContains(b.Accounts, acc) {
			b.Accounts = append(b.Accounts, acc)
		}
		if b.City == "" {
			b.City = rc.field(refBfCity)
		}
		if b.BirthDate.IsZero() {
			b.BirthDate = rc.birth.date()
		}
		if b.PartyID == "" {
			b.PartyID = rc.field(refBfParty)
		}
	}
	out := make([]vigil.Beneficiary, 0, len(roots))
	for _, root := range roots {
		b := byRoot[root]
		var best int32 = -1
		for _, nm := range b.Names {
			if c := nameCount[root][nm]; c > best {
				best, b.Name = c, nm
			}
		}
		out = append(out, *b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func refContains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// phone returns the E.164 form of raw in the recipient's country, or ""
// when it cannot be parsed as a valid number. Results are memoised: the
// parse costs microseconds and distinct raw values are few.
func (r *refResolver) phone(raw, country string) string {
	if raw == "" {
		return ""
	}
	kb := append(append(append(r.kbuf[:0], raw...), '|'), country...)
	r.kbuf = kb
	if e, ok := r.phones[string(kb)]; ok {
		return e
	}
	e := refFastE164(raw, country)
	if e == "" {
		e, _ = NormalizePhone(raw, country)
	}
	if len(r.phones) >= refMemoLimit {
		clear(r.phones)
	}
	r.phones[string(kb)] = e
	return e
}

// refFastE164 is the E.164 form of the common ways a phone is written
// ("+63 917 123 4567", "0063…", "0917 123 4567", "917 123 4567",
// "639171234567") computed
// from its digits and the country's calling code, without libphonenumber's
// regular expressions: in a stream most recipient records are new and
// their phones distinct. It returns "" when unsure, and the caller falls
// back to NormalizePhone. It is a join key: it does not check that the
// number is assigned.
func refFastE164(raw, country string) string {
	var d [24]byte
	n, plus := 0, false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(d) {
				return ""
			}
			d[n] = c
			n++
		case c == '+' && n == 0:
			plus = true
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/':
		default:
			return "" // letters, extensions: let libphonenumber decide
		}
	}
	digits := d[:n]
	cc := strconv.Itoa(phonenumbers.GetCountryCodeForRegion(country))
	if cc == "0" {
		return ""
	}
	var full []byte
	switch {
	case plus:
		full = digits
	case len(digits) > 2 && digits[0] == '0' && digits[1] == '0':
		full = digits[2:]
	case len(digits) > 1 && digits[0] == '0' && country != "IT":
		full = append([]byte(cc), digits[1:]...)
	case len(digits) >= len(cc)+8 && string(digits[:len(cc)]) == cc:
		full = digits
	case len(digits) >= 7 && digits[0] != '0':
		full = append([]byte(cc), digits...) // national number written without its trunk prefix
	default:
		return ""
	}
	if !strings.HasPrefix(string(full), cc) || len(full) < len(cc)+7 || len(full) > 15 {
		return "" // another country's number, or an odd length: ask libphonenumber
	}
	return "+" + string(full)
}

// refStableIDOf formats a stable id from the FNV-1a hash of its first key.
func refStableIDOf(h uint64) string {
	var b [4 + 13]byte
	return string(strconv.AppendUint(append(b[:0], "BEN-"...), h, 36))
}

// refAppendAccount appends an account's letters and digits, upper-cased,
// keeping the handle punctuation of wallet ids (@ . _), to b.
func refAppendAccount(b []byte, s string) []byte {
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

// refAppendFullTokens appends the tokens longer than an initial, joined by
// spaces, to b.
func refAppendFullTokens(b []byte, toks []string) []byte {
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
var refBenParticles = map[string]bool{"de": true, "del": true, "dela": true, "delos": true, "los": true, "la": true, "da": true, "dos": true, "das": true, "van": true, "von": true, "der": true, "bin": true, "binti": true, "y": true, "mr": true, "mrs": true, "ms": true, "miss": true}

// refNameTokensAll returns the sorted, folded tokens of a name with
// abbreviations expanded and particles dropped; initials are kept (single
// letters) so that variant comparison can use them.
func refNameTokensAll(name string) []string {
	var out []string
	for _, f := range NameTokens(name) {
		if refBenParticles[f] {
			continue
		}
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// refNameKeyTokens is refNameTokensAll; initials stay in the list (they sort
// first), the name key uses the full tokens only.
func refNameKeyTokens(name string) []string { return refNameTokensAll(name) }

func refFoldCity(city string) string {
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

// Clusters returns the number of beneficiaries (clusters) so far.
func (r *refResolver) Clusters() int {
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
func (r *refResolver) Root(n int32) int32 {
	for r.parent[n] != n {
		n = r.parent[n]
	}
	return n
}

// Compress points every record node straight at its root, after which
// Find and Root do no writes until the next Observe.
func (r *refResolver) Compress() {
	for i := range r.parent {
		r.parent[i] = r.Root(int32(i))
	}
}

// refPackedDate is a vigil.Date in four bytes (year, month and day of any
// parsed date fit): per record, a Date would take 24.
type refPackedDate uint32

func refPackDate(d vigil.Date) refPackedDate {
	if d.Year < 0 || d.Year >= 1<<16 || d.Month < 0 || d.Month > 12 || d.Day < 0 || d.Day > 31 {
		return 0 // not a date ParseDate returns
	}
	return refPackedDate(d.Year<<16 | d.Month<<8 | d.Day)
}

func (p refPackedDate) date() vigil.Date {
	return vigil.Date{Year: int(p >> 16), Month: int(p >> 8 & 0xff), Day: int(p & 0xff)}
}
