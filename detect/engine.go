package detect

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/internal/memory"
	"github.com/vigilfiu/vigil/resolve"
)

// Rates converts amounts to euros: Rates["AUD"] is the value in EUR of one
// Australian dollar (read with csv.ReadFXRatesFile).
type Rates = vigil.FXRates

// Options configure an Engine.
type Options struct {
	// Rates converts amounts for the indicators that compare amounts
	// across currencies (low value, large sums). A currency without a
	// rate is compared as if it were EUR and reported by MissingRates.
	Rates Rates
}

// ringSize bounds the evidence kept per sender: the latest corridor
// transfers with the flags they raised.
const ringSize = 12

// maxSlots bounds the recipients tracked per sender; further recipients
// are counted in aggregate only.
const maxSlots = 12

// maxBenSenders bounds the unrelated senders remembered per beneficiary;
// the hub indicator saturates well below it.
const maxBenSenders = 32

// transfer-level flags, also used to select evidence.
const (
	flagCorridor uint16 = 1 << iota // private recipient in a high-risk corridor
	flagLow                         // at most low_value_eur
	flagRound                       // a multiple of round_unit
	flagLate                        // late-night local time
	flagCover                       // cover purpose
	flagMinor                       // recipient younger than 18 at the time
)

// evidence is one transfer kept as evidence, with the flags it raised.
type evidence struct {
	id    txID
	flags uint16
}

// txID is a transfer id kept as evidence, held without a pointer so that
// the slots and the evidence rings (a few per transfer written, millions
// in all) cost the collector nothing and no allocation per transfer: ids
// of up to 15 bytes are inline; a longer one is a number in the engine's
// table of long ids, released when the txID is overwritten, so that the
// table is bounded by the evidence kept, not by the transfers seen.
type txID struct {
	n byte     // length of an inline id, or longID
	b [15]byte // the inline id; for longID, the table index (little endian)
}

// longID marks a txID whose id is in Engine.longIDs.
const longID = 0xFF

// setID makes x hold id, releasing the long id x held before.
func (e *Engine) setID(x *txID, id string) {
	if x.n == longID {
		i := binary.LittleEndian.Uint32(x.b[:4])
		e.longIDs[i] = ""
		e.freeLong = append(e.freeLong, i)
	}
	if len(id) <= len(x.b) {
		x.n = byte(len(id))
		copy(x.b[:], id)
		return
	}
	var i uint32
	if k := len(e.freeLong); k > 0 {
		i = e.freeLong[k-1]
		e.freeLong = e.freeLong[:k-1]
		e.longIDs[i] = strings.Clone(id)
	} else {
		i = uint32(len(e.longIDs))
		e.longIDs = append(e.longIDs, strings.Clone(id))
	}
	x.n = longID
	binary.LittleEndian.PutUint32(x.b[:4], i)
}

// idString is the transfer id x holds.
func (e *Engine) idString(x txID) string {
	if x.n == longID {
		return e.longIDs[binary.LittleEndian.Uint32(x.b[:4])]
	}
	return string(x.b[:x.n])
}

// slot is a sender's running state for one recipient record. It holds no
// pointer: the slots live in the engine's slot arena (see slotArena).
type slot struct {
	rec            int32 // record node; the beneficiary is its root
	n              int32
	nSame          int32 // transfers for the same amount as the previous one
	tie, self      bool
	org, corridor  bool
	firstT, lastT  int64
	sumEUR, maxEUR float64
	last           vigil.Amount
	firstID        txID
	lastID         txID
	// reg holds the sums of a regression of amount (EUR) over time
	// (days), for the romance pattern, without its count and sum of
	// amounts: those are n and sumEUR (same additions, same order).
	reg moments
}

// moments are the sums of a regression that a slot does not already hold.
type moments struct{ sT, sT2, sA2, sTA float64 }

func (m *moments) add(t, a float64) {
	m.sT += t
	m.sT2 += t * t
	m.sA2 += a * a
	m.sTA += t * a
}

// regression is the slot's full regression: exactly the sums that
// regression.add over the same transfers gives (n counts in float64 and
// sumEUR adds the same amounts in the same order).
func (sl *slot) regression() regression {
	return regression{n: float64(sl.n), sT: sl.reg.sT, sA: sl.sumEUR, sT2: sl.reg.sT2, sA2: sl.reg.sA2, sTA: sl.reg.sTA}
}

// regression accumulates the sums for a Pearson correlation of amount
// over time, and the mean position of the times.
type regression struct {
	n                     float64
	sT, sA, sT2, sA2, sTA float64
}

func (r *regression) merge(o regression) {
	r.n += o.n
	r.sT += o.sT
	r.sA += o.sA
	r.sT2 += o.sT2
	r.sA2 += o.sA2
	r.sTA += o.sTA
}

func (r *regression) add(t, a float64) {
	r.n++
	r.sT += t
	r.sA += a
	r.sT2 += t * t
	r.sA2 += a * a
	r.sTA += t * a
}

// corr is the Pearson correlation of amount with time, 0 when undefined.
func (r *regression) corr() float64 {
	if r.n < 2 {
		return 0
	}
	vt := r.n*r.sT2 - r.sT*r.sT
	va := r.n*r.sA2 - r.sA*r.sA
	if vt <= 1e-9 || va <= 1e-9 {
		return 0
	}
	return (r.n*r.sTA - r.sT*r.sA) / math.Sqrt(vt*va)
}

// sender is the running state of one sender. Its size is bounded whatever
// the number of transfers, and it holds no pointer (there is one per
// party; the collector need not scan them): the recipient slots and the
// evidence ring are in the engine's arenas, the party record's fields in
// Engine.kyc. The senders are visited at random, one cache miss per line
// touched, so the layout is by what a transfer updates: every transfer
// touches only the first 128 bytes (the first line: times, sums and the
// payday harmonics; the second: counts, the slot run and the start of
// ext), a corridor transfer the rest too; 256 bytes in all, so that in
// the senders' array (allocated aligned) each sender is exactly four
// cache lines (TestSenderLayout).
type sender struct {
	changed        int64 // engine version of the last change
	firstT, lastT  int64
	sumEUR         float64
	c1, s1, c2, s2 float64 // day-of-month harmonics (payday rhythm)

	n                 int32
	slotAt            int32     // first slot in the slot arena
	nSlots, slotClass uint8     // slots used; size class of the run at slotAt
	ringLen, ringNext uint8     // evidence kept; the ring's next entry once full
	ring              int32     // evidence ring in the ring arena, plus one; 0: none yet
	ext               senderExt // indicator state added in ext.go (its first 16 bytes: every transfer)

	nCorr, nCorrLow, nRound, nLate, nCover, nMinor int32
	nGaps, nShortGaps                              int32 // intervals between consecutive corridor transfers; at most max_gap_days
	overflow                                       int32 // transfers to recipients beyond maxSlots
	lastCorrT, firstCorrT                          int64
	corr                                           regression // corridor transfers: EUR amount over days
	_                                              [8]byte    // to 256 bytes
}

// senderKYC is what the engine keeps of a sender's party record (one per
// sender number, beside the sender's state): read once per new recipient
// and when scoring.
type senderKYC struct {
	fullName string   // from the party record, folded lazily; empty when added folded (AddPartyFolded)
	tokens   []string // folded name tokens, sorted
	surname  string   // last word of the folded surname
	birth    vigil.Date
	named    bool // tokens and surname computed
	male     bool
}

// beneficiary is the running state of one beneficiary (a resolver root).
// There is one per record node (millions), and most have at most one
// unrelated sender, so that one is held inline and only the others in a
// side table.
type beneficiary struct {
	changed int64 // engine version of the last change (untied or merge)
	// The distinct senders with no name tie to it (at most maxBenSenders),
	// in the order they came: first (plus one; 0: none), then
	// Engine.benMore[more-1] (more 0: none).
	first, more int32
}

// nUntied is the number of b's unrelated senders.
func (e *Engine) nUntied(b *beneficiary) int {
	switch {
	case b.first == 0:
		return 0
	case b.more == 0:
		return 1
	}
	return 1 + len(e.benMore[b.more-1])
}

// addUntied adds sender si to b's unrelated senders unless it is there
// already or the list is full; it reports whether it added it.
func (e *Engine) addUntied(b *beneficiary, si int32) bool {
	if b.first == 0 {
		b.first = si + 1
		return true
	}
	if b.first-1 == si {
		return false
	}
	if b.more == 0 {
		if k := len(e.freeMore); k > 0 {
			b.more = e.freeMore[k-1]
			e.freeMore = e.freeMore[:k-1]
		} else {
			e.benMore = append(e.benMore, nil)
			b.more = int32(len(e.benMore))
		}
		e.benMore[b.more-1] = append(e.benMore[b.more-1][:0], si)
		return true
	}
	m := e.benMore[b.more-1]
	if 1+len(m) >= maxBenSenders || hasInt32(m, si) {
		return false
	}
	e.benMore[b.more-1] = append(m, si)
	return true
}

// recName is what the engine derives from a raw recipient name.
type recName struct {
	org     bool
	surname uint32 // in Engine.surnames
}

// record is what the engine derives once per raw recipient record (one
// per raw spelling: millions), in 24 bytes with one pointer: the name
// tokens are the resolver's slice (never modified) held as its first
// element and length, and the surname a number in the engine's table of
// distinct surnames. (Numbering the token lists too made the records
// pointer-free but cost a map look-up per new record, more CPU and
// memory than it saved: about half as many lists as records.)
type record struct {
	tokens        *string    // the resolver's name tokens: first element (nil: none)
	nTokens       uint32     // and their number
	birth         packedDate // the recipient's birth date as given, if any
	surname       uint32     // in Engine.surnames
	org, corridor bool
}

func (r *record) setTokens(toks []string) {
	r.tokens, r.nTokens = unsafe.SliceData(toks), uint32(len(toks))
}

// tokenList is the record's name tokens.
func (r *record) tokenList() []string {
	if r.nTokens == 0 {
		return nil
	}
	return unsafe.Slice(r.tokens, r.nTokens)
}

// internSurname returns the number of a surname in e.surnames; 0 is "".
func (e *Engine) internSurname(s string) uint32 {
	if s == "" {
		return 0
	}
	if i, ok := e.surnameIdx[s]; ok {
		return i
	}
	i := uint32(len(e.surnames))
	e.surnames = append(e.surnames, s)
	e.surnameIdx[s] = i
	return i
}

// packedDate is a vigil.Date in 4 bytes (year, month and day; 0 when
// absent): there is one per raw recipient record.
type packedDate uint32

func packDate(d vigil.Date) packedDate {
	if d.Year <= 0 || d.Year >= 1<<16 || d.Month < 0 || d.Month > 12 || d.Day < 0 || d.Day > 31 {
		return 0 // absent, or not a date the engine could age anyone by
	}
	return packedDate(d.Year<<16 | d.Month<<8 | d.Day)
}

func (p packedDate) date() vigil.Date {
	return vigil.Date{Year: int(p >> 16), Month: int(p >> 8 & 0xff), Day: int(p & 0xff)}
}

// recShift makes chunks of 65,536 records.
const recShift = 16

// records holds the engine's records in chunks, so that adding one never
// copies the others (there are millions) nor leaves half an array unused.
type records struct {
	chunks [][]record
	n      int
}

func (r *records) len() int { return r.n }

func (r *records) at(i int32) *record { return &r.chunks[i>>recShift][i&(1<<recShift-1)] }

func (r *records) add(x record) {
	if r.n&(1<<recShift-1) == 0 {
		r.chunks = append(r.chunks, make([]record, 0, 1<<recShift))
		// Filled record by record before the next chunk is made: its
		// 1.5 MB mapped in one call, not a page fault per 4 KiB.
		memory.Prefault(r.chunks[len(r.chunks)-1])
	}
	c := &r.chunks[len(r.chunks)-1]
	*c = append(*c, x)
	r.n++
}

// Engine scores senders from a stream of transfers. Observe transfers in
// time order; Score or ScoreAll at any moment. All state is keyed by
// sender and by beneficiary and bounded per entity, so memory grows with
// the number of entities, not of transfers. An Engine is not safe for
// concurrent use; partition senders across engines to scale out (the
// beneficiary-side indicators then need the beneficiary states merged).
type Engine struct {
	pack       *Pack
	label      string
	inds       []indicator
	rates      Rates
	missing    map[string]int
	corridor   [26 * 26]bool
	lowMicro   float64 // low_value_eur
	roundMicro vigil.Amount
	coverWords []string
	orgWords   map[string]bool

	// The sender index: party id → sender number. Feed hands it to its
	// parsing goroutine, so that the cache misses of the look-up are not
	// on the goroutine that updates the senders.
	senderTab  []senderEntry // open addressing by maphash of the party id (see senderIndex)
	seed       maphash.Seed
	seed2      maphash.Seed
	ids        []string    // party id of each sender number
	senders    []sender    // state of each sender number; may lag behind ids in Feed
	kyc        []senderKYC // party record of each sender number, beside senders
	slots      slotArena   // every sender's recipient slots
	rings      ringArena   // every sender's evidence ring
	res        *resolve.BeneficiaryResolver
	recs       records
	bens       []beneficiary
	purposes   map[string]bool   // memoised cover-purpose test per raw purpose
	names      nameMemo          // memoised per raw recipient name
	surnames   []string          // distinct surnames of records
	surnameIdx map[string]uint32 // surname → its number
	benMore    [][]int32         // unrelated senders of beneficiaries after their first (see beneficiary)
	freeMore   []int32           // released entries of benMore
	longIDs    []string          // transfer ids longer than a txID holds inline (see setID)
	freeLong   []uint32          // released entries of longIDs

	foldBuf  []byte // scratch of recipientNameASCII
	latinBuf []byte // scratch of recipientNameLatin

	lastCur  string
	lastRate float64

	maxGapSec int64 // LSC-FREQUENCY max_gap_days in seconds

	observed   int64
	version    int64               // bumped by every change of state (Observe, AddParty)
	coScores   []float64           // co-sender scores of ScoreAll's last propagation round
	coVersion  int64               // version when coScores were computed
	demand     demand              // scratch and caches of on-demand scoring
	outOfOrder int64               // transfers earlier than their sender's previous one
	lastRec    int32               // record node of the last transfer observed
	parent     []int32             // the resolver's forest as of the last transfer observed (see find)
	touched    uint64              // what touch read, kept so that its loads are not dropped (touch.go)
	touchedIDs uint64              // what touchSenders read (on Feed's parsing goroutine)
	nameHashes [touchRun][2]uint64 // touch's name memo hashes of a run's new records' names, by index in the run
}

// NewEngine returns an engine scoring with pack.
func NewEngine(pack *Pack, opt Options) (*Engine, error) {
	if err := pack.Validate(); err != nil {
		return nil, err
	}
	inds, err := pack.compile()
	if err != nil {
		return nil, err
	}
	e := &Engine{
		pack: pack, label: pack.Label(), inds: inds, rates: opt.Rates, missing: map[string]int{},
		lowMicro:   pack.LowValueEUR,
		roundMicro: vigil.Amount(pack.RoundUnit * vigil.AmountScale),
		orgWords:   map[string]bool{},
		senderTab:  make([]senderEntry, 1024),
		seed:       maphash.MakeSeed(),
		seed2:      maphash.MakeSeed(),
		res:        resolve.NewBeneficiaryResolver(),
		purposes:   map[string]bool{},
		names:      newNameMemo(),
		surnames:   []string{""},
		surnameIdx: map[string]uint32{},
	}
	for _, c := range pack.Corridors {
		e.corridor[int(c[0]-'A')*26+int(c[1]-'A')] = true
	}
	for _, w := range pack.CoverWords {
		e.coverWords = append(e.coverWords, resolve.FoldName(w))
	}
	for _, w := range pack.OrganisationWords {
		e.orgWords[resolve.FoldName(w)] = true
	}
	e.maxGapSec = int64(e.paramOr("LSC-FREQUENCY", "max_gap_days", 20) * secondsPerDay)
	e.res.OnMerge = e.onMerge
	return e, nil
}

// Pack returns the engine's rule pack.
func (e *Engine) Pack() *Pack { return e.pack }

// Resolver returns the beneficiary resolver the engine feeds.
func (e *Engine) Resolver() *resolve.BeneficiaryResolver { return e.res }

// Observed returns the number of transfers observed.
func (e *Engine) Observed() int64 { return e.observed }

// MissingRates returns the currencies seen without an FX rate and how
// many transfers were in each; their amounts were compared as if EUR.
func (e *Engine) MissingRates() map[string]int {
	out := make(map[string]int, len(e.missing))
	for k, v := range e.missing {
		out[k] = v
	}
	return out
}

// AddParty gives the engine the KYC record of a sender: name (for family
// ties and self-transfers), gender and birth date (sender profile).
// Parties may be added before or after their transfers, but the name ties
// of transfers observed before are computed without it.
func (e *Engine) AddParty(p *vigil.Party) {
	k := e.addParty(p)
	k.fullName, k.named = strings.Clone(p.FullName), false // a reader may share one buffer per row
}

// addParty numbers p's sender and records all of its party record but
// the name, which the caller sets.
func (e *Engine) addParty(p *vigil.Party) *senderKYC {
	e.version++
	si := e.indexSender(p.ID)
	s := e.senderAt(si)
	s.changed = e.version
	k := &e.kyc[si]
	k.fullName, k.tokens, k.surname = "", nil, ""
	k.male = p.Gender == "M"
	k.birth = p.BirthDate
	return k
}

// SenderName is a party's name as the engine compares it with the names
// of the party's recipients (family ties, self-transfers): its folded
// words without particles, sorted, and its surname. FoldSenderName makes
// it on any goroutine, so that whoever reads a parties file can fold the
// names while the engine adds the parties read before (AddPartyFolded):
// folded lazily, the first time a sender opened a slot, the names took
// ~0.5 s of the 5M scan's goroutine that updates the senders.
type SenderName struct {
	tokens  []string
	surname string
}

// FoldSenderName folds a party's full name for AddPartyFolded. The
// result shares no memory with fullName.
func FoldSenderName(fullName string) SenderName {
	t, s := senderName(fullName)
	return SenderName{t, s}
}

// AddPartyFolded is AddParty for a party whose name n is
// FoldSenderName(p.FullName): the engine keeps n instead of folding the
// name the first time the sender opens a slot (the same words).
func (e *Engine) AddPartyFolded(p *vigil.Party, n SenderName) {
	k := e.addParty(p)
	k.tokens, k.surname, k.named = n.tokens, n.surname, true
}

// ReserveSenders makes room for n senders in all, so that loading a
// large parties file does not copy the senders' state as it grows.
func (e *Engine) ReserveSenders(n int) {
	if n > cap(e.senders) {
		e.senders = append(make([]sender, 0, n), e.senders...)
		e.kyc = append(make([]senderKYC, 0, n), e.kyc...)
		e.ids = append(make([]string, 0, n), e.ids...)
		// The parties file gives each of the n senders its state, KYC
		// record and id as it is read: the arrays are written in full,
		// so their pages are mapped in one call each (memory.Prefault).
		memory.Prefault(e.senders)
		memory.Prefault(e.kyc)
		memory.Prefault(e.ids)
	}
	e.growSenderTab(n)
}

// expectRecordsNum/Den are the raw recipient records expected per
// transfer, as resolve's Expect reckons them (0.32–0.33 in the synth
// worlds of 20k to 400k customers; 3/8 leaves room).
const expectRecordsNum, expectRecordsDen = 3, 8

// Expect prepares an engine that has observed nothing for a stream of
// about n transfers: the resolver's tables (resolve's Expect), the
// engine's copy of its forest and the beneficiaries' state get the
// capacity that stream most likely needs. Grown by append one record at
// a time, the two arrays were copied about four times over into fresh
// memory on the goroutine that updates the senders (growslice was 0.7 s
// of a 5M scan's samples). It changes no result; it is ignored once a
// transfer has been observed, and for n ≤ 0.
func (e *Engine) Expect(n int) {
	e.res.Expect(n)
	if n <= 0 || len(e.parent) > 0 || len(e.bens) > 0 {
		return
	}
	recs := n / expectRecordsDen * expectRecordsNum
	e.parent = make([]int32, 0, recs)
	e.bens = make([]beneficiary, 0, recs)
	// Both are filled one record at a time to about 0.33/0.375 (88%) of
	// their capacity by the end of the stream: their pages are mapped in
	// one call each instead of a page fault per 4 KiB.
	memory.Prefault(e.parent)
	memory.Prefault(e.bens)
}

// growSenderTab keeps the sender table at most half full for n senders.
func (e *Engine) growSenderTab(n int) {
	if 2*n <= len(e.senderTab) {
		return
	}
	size := len(e.senderTab)
	for 2*n > size {
		size *= 2
	}
	old := e.senderTab
	e.senderTab = make([]senderEntry, size)
	// Kept at most half full, written at random (hash order): every page
	// is touched, so all are mapped in one call.
	memory.Prefault(e.senderTab)
	mask := uint64(size - 1)
	for _, x := range old {
		if x.x == 0 {
			continue
		}
		p := x.h & mask
		for e.senderTab[p].x != 0 {
			p = (p + 1) & mask
		}
		e.senderTab[p] = x
	}
}

// senderEntry is one sender in the sender index: the 64-bit maphash of
// its party id, and x = the upper 32 bits of a second, independent hash
// of the id << 32 | the sender's number + 1 (0: the entry is empty).
type senderEntry struct{ h, x uint64 }

// indexSender returns the number of party id's sender, giving the next
// number to a new id; senderAt creates the state.
func (e *Engine) indexSender(id string) int32 {
	return e.indexSenderHashed(id, maphash.String(e.seed, id))
}

// indexSenderHashed is indexSender for h = maphash.String(e.seed, id).
func (e *Engine) indexSenderHashed(id string, h uint64) int32 {
	if i, ok := e.senderIndexHashed(id, h); ok {
		return i
	}
	i := int32(len(e.ids))
	e.ids = append(e.ids, strings.Clone(id))
	e.growSenderTab(len(e.ids))
	mask := uint64(len(e.senderTab) - 1)
	p := h & mask
	for e.senderTab[p].x != 0 {
		p = (p + 1) & mask
	}
	e.senderTab[p] = senderEntry{h, maphash.String(e.seed2, id)>>32<<32 | uint64(i+1)}
	return i
}

// senderAt returns the state of sender number i, creating the states up
// to it: numbers are given in stream order, so at most one is new.
func (e *Engine) senderAt(i int32) *sender {
	for int(i) >= len(e.senders) {
		e.senders = append(e.senders, sender{})
		e.kyc = append(e.kyc, senderKYC{})
	}
	return &e.senders[i]
}

// senderIndex finds a sender by party id. The table is probed from one
// 64-bit hash of the id and holds it whole; an entry whose hash matches
// is checked against the upper 32 bits of a second, independent 64-bit
// hash of the id, also in the entry (a false match needs 96 bits to
// collide: about 2^-96 per pair of ids probed): a string comparison would
// cost a cache miss on the id. The table holds no pointer, is at most
// half full and its 16-byte entries never straddle a cache line, so that
// a look-up is mostly one cache miss (a map took two or three; entries
// of 8 bytes with the second hash in an array beside took two).
func (e *Engine) senderIndex(id string) (int32, bool) {
	return e.senderIndexHashed(id, maphash.String(e.seed, id))
}

// senderIndexHashed is senderIndex for h = maphash.String(e.seed, id).
func (e *Engine) senderIndexHashed(id string, h uint64) (int32, bool) {
	mask := uint64(len(e.senderTab) - 1)
	var h2 uint64
	checked := false
	for p := h & mask; ; p = (p + 1) & mask {
		x := &e.senderTab[p]
		if x.x == 0 {
			return 0, false
		}
		if x.h != h {
			continue
		}
		if !checked {
			h2, checked = maphash.String(e.seed2, id)>>32, true
		}
		if x.x>>32 == h2 {
			return int32(uint32(x.x)) - 1, true
		}
	}
}

// rate returns the EUR value of one unit of cur.
func (e *Engine) rate(cur string) float64 {
	if cur == e.lastCur {
		return e.lastRate
	}
	r := 1.0
	if cur != "EUR" {
		if v, ok := e.rates[cur]; ok && v > 0 {
			r = v
		} else {
			r = math.NaN()
		}
	}
	e.lastCur, e.lastRate = cur, r
	return r
}

const secondsPerDay = 86400

// epoch is the origin of the day counts in the regressions (2000-01-01),
// so that their sums stay additive across slots and precise in float64.
const epoch = 946684800

// Observe updates the state of t's sender and beneficiary. Transfers
// should come in time order; one that comes late is counted, and its
// interval is measured to the latest transfer seen. The strings of t are
// not retained: the few kept as evidence are copied, so that a reader
// may hand out strings that share one buffer per row.
func (e *Engine) Observe(t *vigil.Transfer) {
	e.version++
	si := e.indexSender(t.SenderID)
	rn := e.res.Observe(t) // merges call back e.onMerge
	var nr record
	isNew := int(rn) == e.recs.len()
	if isNew {
		nr = e.newRecord(t, rn)
	}
	e.observeResolved(t, si, rn, isNew, &nr)
}

// onMerge is the resolver's OnMerge while transfers are observed one by
// one (Feed defers merges to the scoring goroutine instead).
func (e *Engine) onMerge(into, from int32) {
	e.growRoots(e.res.Nodes())
	e.mergeBeneficiaries(into, from)
}

// growRoots extends the engine's copy of the resolver's forest to n
// record nodes, each new node its own root.
func (e *Engine) growRoots(n int) {
	for len(e.parent) < n {
		e.parent = append(e.parent, int32(len(e.parent)))
	}
}

// find is the beneficiary (root) of a record node in the engine's copy
// of the resolver's forest: the copy follows the resolver's merges in
// stream order, so that the resolver can run ahead on another goroutine.
func (e *Engine) find(n int32) int32 {
	p := e.parent
	for p[n] != n {
		p[n] = p[p[n]]
		n = p[n]
	}
	return n
}

// rootOf is the beneficiary (root) of a slot's record, from the root the
// key remembers while that is still a root: a merge only ever hangs a
// root under another, so a node's root changes only when its root is
// merged away (one read of the forest instead of the record's path).
func (e *Engine) rootOf(x *slotKey) int32 {
	if r := x.root; e.parent[r] == r {
		return r
	}
	x.root = e.find(x.rec)
	return x.root
}

// observeResolved is Observe after the sender was numbered si and the
// recipient resolved to record node rn (isNew: first seen with this
// transfer, nr its derived data) and the merges that caused were
// applied. e.version is already bumped.
func (e *Engine) observeResolved(t *vigil.Transfer, si, rn int32, isNew bool, nr *record) {
	e.observed++
	s := e.senderAt(si)
	s.changed = e.version

	e.lastRec = rn
	if isNew {
		e.growRoots(int(rn) + 1)
		e.recs.add(*nr)
		e.bens = append(e.bens, beneficiary{})
	}
	rc := e.recs.at(rn)

	rate := e.rate(t.Currency)
	if rate != rate { // NaN: no rate
		if _, ok := e.missing[t.Currency]; !ok {
			e.missing[strings.Clone(t.Currency)] = 0 // may be a view of a reader's row
		}
		e.missing[t.Currency]++
		rate = 1
	}
	eur := t.Amount.Float() * rate
	ts := t.Timestamp.Unix()
	days := float64(ts-epoch) / secondsPerDay

	// sender-wide counters
	if s.n > 0 && ts < s.lastT {
		e.outOfOrder++
	}
	if s.n == 0 || ts < s.firstT {
		s.firstT = ts
	}
	if ts > s.lastT {
		s.lastT = ts
	}
	s.n++
	s.sumEUR += eur
	year, month, day := t.Timestamp.Date() // one calendar computation for all three
	h := &harmonics[daysIn(year, month)-28][day-1]
	s.c1 += h[0]
	s.s1 += h[1]
	s.c2 += h[2]
	s.s2 += h[3]

	var flags uint16
	var prevCorrT int64 // the latest corridor transfer's time before this one
	if rc.corridor {
		flags |= flagCorridor
		if eur <= e.lowMicro {
			flags |= flagLow
		}
		if t.Amount%e.roundMicro == 0 {
			flags |= flagRound
		}
		if h := t.Timestamp.Hour(); e.late(h) {
			flags |= flagLate
		}
		if t.Purpose != "" && e.cover(t.Purpose) {
			flags |= flagCover
		}
		if rc.birth != 0 {
			if age, ok := rc.birth.date().AgeAt(t.Timestamp); ok && age < 18 {
				flags |= flagMinor
			}
		}
		s.nCorr++
		if flags&flagLow != 0 {
			s.nCorrLow++
		}
		if flags&flagRound != 0 {
			s.nRound++
		}
		if flags&flagLate != 0 {
			s.nLate++
		}
		if flags&flagCover != 0 {
			s.nCover++
		}
		if flags&flagMinor != 0 {
			s.nMinor++
		}
		prevCorrT = s.lastCorrT
		if s.nCorr == 1 {
			s.firstCorrT = ts
		} else {
			gap := ts - s.lastCorrT
			if gap < 0 {
				gap = -gap
			}
			s.nGaps++
			if gap <= e.maxGapSec {
				s.nShortGaps++
			}
		}
		if ts > s.lastCorrT || s.nCorr == 1 {
			s.lastCorrT = ts
		}
		s.corr.add(days, eur)
		if s.ring == 0 {
			s.ring = e.rings.alloc() + 1
		}
		r := e.rings.at(s.ring - 1)
		var ev *evidence
		if s.ringLen < ringSize {
			ev = &r[s.ringLen]
			s.ringLen++
		} else {
			ev = &r[s.ringNext]
			s.ringNext = (s.ringNext + 1) % ringSize
		}
		e.setID(&ev.id, t.ID)
		ev.flags = flags
	}

	// recipient slot
	root := e.find(rn)
	var sl *slot
	slots := e.slots.of(s)
	keys := e.slots.keysOf(s)
	for i := range keys {
		if x := &keys[i]; x.rec == rn || e.rootOf(x) == root {
			sl = &slots[i]
			break
		}
	}
	k := &e.kyc[si]
	if sl == nil {
		if len(slots) >= maxSlots {
			s.overflow++
			e.observeExt(s, k, nil, rc, t, eur, flags, prevCorrT)
			return
		}
		tie, self := e.nameTie(k, rc)
		var x *slotKey
		sl, x = e.slots.add(s)
		*sl = slot{rec: rn, firstT: ts, tie: tie, self: self, org: rc.org, corridor: rc.corridor}
		*x = slotKey{rec: rn, root: root}
		e.setID(&sl.firstID, t.ID)
		if !tie && !self {
			if b := &e.bens[root]; e.addUntied(b, si) {
				b.changed = e.version
			}
		}
	}
	if sl.n > 0 && t.Amount == sl.last {
		sl.nSame++
	}
	sl.n++
	sl.last = t.Amount
	sl.lastT = max(sl.lastT, ts)
	e.setID(&sl.lastID, t.ID)
	sl.sumEUR += eur
	sl.maxEUR = max(sl.maxEUR, eur)
	sl.reg.add(days, eur)
	e.observeExt(s, k, sl, rc, t, eur, flags, prevCorrT)
}

func hasInt32(xs []int32, x int32) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// harmonics[dim-28][dom-1] holds cos θ, sin θ, cos 2θ and sin 2θ of
// day dom of a month of dim days, θ = 2π(dom-1)/dim: the terms of the
// payday rhythm, computed once.
var harmonics = func() (h [4][31][4]float64) {
	for dim := 28; dim <= 31; dim++ {
		for dom := 1; dom <= dim; dom++ {
			th := 2 * math.Pi * float64(dom-1) / float64(dim)
			h[dim-28][dom-1] = [4]float64{math.Cos(th), math.Sin(th), math.Cos(2 * th), math.Sin(2 * th)}
		}
	}
	return h
}()

func daysIn(y int, m time.Month) int {
	switch m {
	case time.April, time.June, time.September, time.November:
		return 30
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	}
	return 31
}

func (e *Engine) late(h int) bool {
	from, to := e.pack.LateFromHour, e.pack.LateToHour
	if from <= to {
		return h >= from && h < to
	}
	return h >= from || h < to
}

func (e *Engine) cover(purpose string) bool {
	if v, ok := e.purposes[purpose]; ok {
		return v
	}
	f := " " + resolve.FoldName(purpose) + " "
	v := false
	for _, w := range e.coverWords {
		if strings.Contains(f, " "+w) {
			v = true
			break
		}
	}
	if len(e.purposes) < 1<<16 { // bounded memo; free text is mostly a few phrases
		e.purposes[strings.Clone(purpose)] = v // purpose may be a view of a reader's row
	}
	return v
}

// paramOr returns an indicator's parameter as compiled, or def when the
// pack does not use the indicator.
func (e *Engine) paramOr(code, name string, def float64) float64 {
	for i := range e.inds {
		if e.inds[i].def.Code == code {
			if v, ok := e.inds[i].params[name]; ok {
				return v
			}
		}
	}
	return def
}

// newRecord derives the record of node rn, first seen with t.
func (e *Engine) newRecord(t *vigil.Transfer, rn int32) record {
	var r record
	r.setTokens(e.res.Tokens(rn))
	e.completeRecord(&r, t)
	return r
}

// completeRecord derives what a record needs besides the resolver's name
// tokens, from the transfer it was first seen with. Feed calls it on the
// goroutine that updates the senders, to spare the resolving one.
func (e *Engine) completeRecord(r *record, t *vigil.Transfer) {
	h1, tag := e.names.hashes(t.BeneficiaryName)
	e.completeRecordHashed(r, t, h1, tag)
}

// completeRecordHashed is completeRecord for h1, tag =
// e.names.hashes(t.BeneficiaryName) (Feed's touch made them).
func (e *Engine) completeRecordHashed(r *record, t *vigil.Transfer, h1, tag uint64) {
	r.birth = packDate(t.BeneficiaryBirthDate)
	nm, ok := e.names.get(h1, tag)
	if !ok { // the same name comes with many phone and city variants
		nm = e.recipientName(t.BeneficiaryName)
		e.names.put(h1, tag, nm)
	}
	r.org, r.surname = nm.org, nm.surname
	c := t.BeneficiaryCountry
	r.corridor = !r.org && len(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' &&
		e.corridor[int(c[0]-'A')*26+int(c[1]-'A')]
}

// nameTie reports whether the sender and the recipient share a surname
// (tie) and whether the recipient's name is a variant of the sender's own
// (self).
func (e *Engine) nameTie(s *senderKYC, r *record) (tie, self bool) {
	if !s.named {
		s.tokens, s.surname = senderName(s.fullName)
		s.named = true
	}
	rt, rs := r.tokenList(), e.surnames[r.surname]
	if len(s.tokens) == 0 || len(rt) == 0 {
		return false, false
	}
	short := min(len(s.tokens), len(rt))
	if short >= 2 && resolve.NameVariant(s.tokens, rt) {
		return false, true
	}
	if s.surname != "" && hasString(rt, s.surname) {
		return true, false
	}
	if rs != "" && hasString(s.tokens, rs) && len(rs) > 2 {
		return true, false
	}
	return false, false
}

// recipientSurname guesses the surname of a raw recipient name cheaply:
// the word before a comma ("SANTOS, Maria"), else a word in capitals
// among mixed-case words ("SANTOS Maria Cristina"), else the last word.
func recipientSurname(name string) string {
	if i := strings.IndexByte(name, ','); i > 0 {
		if f := strings.Fields(resolve.FoldName(name[:i])); len(f) > 0 {
			return f[len(f)-1]
		}
	}
	words := strings.Fields(name)
	if len(words) == 0 {
		return ""
	}
	upper, mixed := -1, false
	for i, w := range words {
		if strings.ToUpper(w) == w && len(w) > 1 {
			if upper < 0 {
				upper = i
			}
		} else {
			mixed = true
		}
	}
	pick := words[len(words)-1]
	if mixed && upper >= 0 {
		pick = words[upper]
	}
	f := strings.Fields(resolve.FoldName(pick))
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// senderName folds a KYC name into sorted tokens and its surname: the
// last word, or the last word before a comma ("SMITH, John"). KYC names
// are recorded in a known order, so this is cheaper than ParseName.
func senderName(name string) (tokens []string, surname string) {
	if name == "" {
		return nil, ""
	}
	if tokens, surname, ok := senderNameASCII(name); ok {
		return tokens, surname
	}
	if tokens, surname, ok := senderNameLatin(name); ok {
		return tokens, surname
	}
	return senderNameFold(name)
}

// senderNameFold is senderName by resolve.FoldName, for any name.
func senderNameFold(name string) (tokens []string, surname string) {
	head := name
	if i := strings.IndexByte(name, ','); i > 0 {
		head = name[:i]
	}
	if f := strings.Fields(resolve.FoldName(head)); len(f) > 0 {
		surname = f[len(f)-1]
	}
	for _, w := range strings.Fields(resolve.FoldName(name)) {
		if !nameParticles[w] {
			tokens = append(tokens, w)
		}
	}
	sort.Strings(tokens)
	return tokens, surname
}

// senderNameASCII is senderName for a name in plain ASCII (ok false
// otherwise), in one pass and two allocations: it folds as
// resolve.FoldName does for ASCII (letters and digits kept, lower-cased;
// ' and ` dropped; anything else separates words), so that its result is
// the same (FuzzSenderName checks it against the general path).
func senderNameASCII(name string) (tokens []string, surname string, ok bool) {
	var buf [96]byte
	var ends [24]int32 // end in b of each word
	b, words := buf[:0], ends[:0]
	comma := strings.IndexByte(name, ',')
	before := -1 // words ended before the first comma, when it is not the first byte
	inWord := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= utf8.RuneSelf {
			return nil, "", false
		}
		if i == comma && comma > 0 {
			if inWord {
				words, inWord = append(words, int32(len(b))), false
			}
			before = len(words)
		}
		c, class := foldASCII(c)
		switch class {
		case foldDrop:
			continue
		case foldSep:
			if inWord {
				words, inWord = append(words, int32(len(b))), false
			}
			continue
		}
		if !inWord && len(words) > 0 {
			b = append(b, ' ') // words are substrings of one string
		}
		b = append(b, c)
		inWord = true
	}
	if inWord {
		words = append(words, int32(len(b)))
	}
	if len(words) == 0 {
		return nil, "", true
	}
	folded := string(b)
	word := func(k int) string {
		lo := 0
		if k > 0 {
			lo = int(words[k-1]) + 1
		}
		return folded[lo:words[k]]
	}
	switch {
	case before > 0:
		surname = word(before - 1)
	case before < 0:
		surname = word(len(words) - 1)
	}
	for k := range words {
		if w := word(k); !nameParticles[w] {
			tokens = append(tokens, w)
		}
	}
	sort.Strings(tokens)
	return tokens, surname, true
}

var nameParticles = map[string]bool{"de": true, "del": true, "dela": true, "delos": true, "la": true, "los": true,
	"da": true, "dos": true, "van": true, "von": true, "der": true, "mr": true, "mrs": true, "ms": true, "dr": true}

func hasString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// mergeBeneficiaries folds the state of beneficiary from into into when
// the resolver joins two clusters.
func (e *Engine) mergeBeneficiaries(into, from int32) {
	e.parent[from] = into
	if int(from) >= len(e.bens) || int(into) >= len(e.bens) {
		return // the record being added has no state yet
	}
	a, b := &e.bens[into], &e.bens[from]
	a.changed, b.changed = e.version, e.version
	if b.first != 0 {
		e.addUntied(a, b.first-1)
		b.first = 0
	}
	if b.more != 0 {
		for _, s := range e.benMore[b.more-1] {
			e.addUntied(a, s)
		}
		e.benMore[b.more-1] = e.benMore[b.more-1][:0] // kept for reuse
		e.freeMore = append(e.freeMore, b.more)
		b.more = 0
	}
}

// Rates returns the FX table the engine converts with.
func (e *Engine) Rates() Rates { return e.rates }

// LastRecord returns the beneficiary record node of the last transfer
// observed; Resolver().ID of it is the transfer's beneficiary id.
func (e *Engine) LastRecord() int32 { return e.lastRec }

// slotClasses are the run lengths the slot arena hands out: a sender's
// slots move to the next class when its run is full, and the run left
// behind is reused by another sender, so that little of the arena is
// unused (growing a slice by doubling left a quarter of it empty).
var slotClasses = [...]uint8{1, 2, 3, 4, 6, 8, maxSlots}

// slotShift makes chunks of 65,536 slots.
const slotShift = 16

// slotArena holds the recipient slots of every sender in chunks, as runs
// of one of slotClasses; a sender holds the index of its run. Nothing in
// it is a pointer, so the collector never scans it.
type slotArena struct {
	chunks [][]slot
	keys   [][]slotKey               // each slot's key, at the same place as the slot in chunks
	used   int                       // slots handed out of the last chunk
	free   [len(slotClasses)][]int32 // released runs, per class
}

// slotKey is what the search for a transfer's slot reads of each slot,
// beside the slots so that a sender's keys share one cache line (its
// slots are 120 bytes each): the record node and the beneficiary it had
// when last looked up (see rootOf).
type slotKey struct{ rec, root int32 }

// keysOf returns the keys of s's slots (as of).
func (a *slotArena) keysOf(s *sender) []slotKey {
	if s.nSlots == 0 {
		return nil
	}
	c := a.keys[s.slotAt>>slotShift]
	o := int(s.slotAt & (1<<slotShift - 1))
	return c[o : o+int(s.nSlots) : o+int(slotClasses[s.slotClass])]
}

// of returns s's slots (a view into the arena, valid until the next add).
func (a *slotArena) of(s *sender) []slot {
	if s.nSlots == 0 {
		return nil
	}
	c := a.chunks[s.slotAt>>slotShift]
	o := int(s.slotAt & (1<<slotShift - 1))
	return c[o : o+int(s.nSlots) : o+int(slotClasses[s.slotClass])]
}

// add gives s one more slot and returns it with its key (their previous
// content is undefined: the caller sets them).
func (a *slotArena) add(s *sender) (*slot, *slotKey) {
	if s.nSlots == 0 {
		s.slotAt, s.slotClass = a.alloc(0), 0
	} else if s.nSlots == slotClasses[s.slotClass] {
		old, oc := s.slotAt, s.slotClass
		at := a.alloc(oc + 1)
		copy(a.run(at, oc+1), a.run(old, oc))
		copy(a.keyRun(at, oc+1), a.keyRun(old, oc))
		a.free[oc] = append(a.free[oc], old)
		s.slotAt, s.slotClass = at, oc+1
	}
	s.nSlots++
	return &a.run(s.slotAt, s.slotClass)[s.nSlots-1], &a.keyRun(s.slotAt, s.slotClass)[s.nSlots-1]
}

func (a *slotArena) keyRun(at int32, class uint8) []slotKey {
	o := int(at & (1<<slotShift - 1))
	return a.keys[at>>slotShift][o : o+int(slotClasses[class])]
}

func (a *slotArena) run(at int32, class uint8) []slot {
	o := int(at & (1<<slotShift - 1))
	return a.chunks[at>>slotShift][o : o+int(slotClasses[class])]
}

// alloc returns a run of the class, reusing a released one if any.
func (a *slotArena) alloc(class uint8) int32 {
	if f := a.free[class]; len(f) > 0 {
		at := f[len(f)-1]
		a.free[class] = f[:len(f)-1]
		return at
	}
	n := int(slotClasses[class])
	if len(a.chunks) == 0 || a.used+n > 1<<slotShift {
		a.chunks = append(a.chunks, make([]slot, 1<<slotShift))
		a.keys = append(a.keys, make([]slotKey, 1<<slotShift))
		// Runs are handed out in order before the next chunk is made, so
		// the chunk is written in full: its pages mapped in one call.
		memory.Prefault(a.chunks[len(a.chunks)-1])
		memory.Prefault(a.keys[len(a.keys)-1])
		a.used = 0
	}
	at := int32(len(a.chunks)-1)<<slotShift | int32(a.used)
	a.used += n
	return at
}

// ringShift makes chunks of 8,192 evidence rings (1.8 MB: over
// memory.Prefault's 1 MiB floor, so a chunk is mapped in one call).
const ringShift = 13

// ringArena holds the senders' evidence rings (ringSize entries each) in
// chunks; a sender holds the index of its ring. No pointers.
type ringArena struct {
	chunks [][][ringSize]evidence
	n      int32
}

func (a *ringArena) alloc() int32 {
	if a.n&(1<<ringShift-1) == 0 {
		a.chunks = append(a.chunks, make([][ringSize]evidence, 1<<ringShift))
		// Rings are handed out in order: the chunk is written in full.
		memory.Prefault(a.chunks[len(a.chunks)-1])
	}
	a.n++
	return a.n - 1
}

func (a *ringArena) at(i int32) *[ringSize]evidence {
	return &a.chunks[i>>ringShift][i&(1<<ringShift-1)]
}

// ringOf returns s's evidence, in ring order (see view.ring).
func (e *Engine) ringOf(s *sender) []evidence {
	if s.ring == 0 {
		return nil
	}
	return e.rings.at(s.ring - 1)[:s.ringLen]
}
