package graph

import (
	"context"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/internal/memory"
	"github.com/vigilfiu/vigil/resolve"
)

// Payment flags.
const (
	FlagRound = 1 << iota // a whole multiple of 5 currency units
	FlagLate              // sent between 22:00 and 05:59 at the sender's offset
	FlagSmall             // at most 200 currency units
)

// Thresholds of the payment flags, in currency units and local hours.
const (
	RoundUnit      = 5
	SmallMax       = 200
	LateFromHour   = 22
	LateBeforeHour = 6
)

// Payment is one transfer as the graph keeps it: a fixed-size row.
type Payment struct {
	At        int64        // Unix seconds
	Amount    vigil.Amount // exact
	Row       int32        // position in the input, for the transfer id
	Offset    int16        // the sender's UTC offset in minutes, as given
	Currency  uint8        // index into the graph's currency table
	Flags     uint8        // FlagRound | FlagLate | FlagSmall
	Purpose   uint16       // index into the graph's purpose table; 0 = none
	Suspicion float32      // per-transfer suspicion in [0,1] from a Scorer; 0 without
	// Ident holds keys of the recipient's phone and account as written on
	// the transfer (IdentKey; 0 when absent), and City an index into the
	// graph's city table (0 when absent). A trace uses them to tell the
	// seed's own payments from those of a namesake merged into, or picked
	// beside, the seed's beneficiary (docs/trace.md, "Seed identity").
	Ident [2]uint32
	City  uint32
	// Birth is the recipient's birth date as written on the transfer,
	// packed by PackDate; 0 when absent. A seed's birth date agreeing with
	// it ties the payment to the seed, another date to someone else.
	Birth uint32
}

// PackDate packs a (partial) date into a comparable key: year<<9 |
// month<<5 | day, 0 for the zero date.
func PackDate(d vigil.Date) uint32 {
	if d.Year <= 0 {
		return 0
	}
	return uint32(d.Year)<<9 | uint32(d.Month&15)<<5 | uint32(d.Day&31)
}

func unpackDate(p uint32) vigil.Date {
	return vigil.Date{Year: int(p >> 9), Month: int(p >> 5 & 15), Day: int(p & 31)}
}

// Time returns the payment time at the sender's offset.
func (p *Payment) Time() time.Time {
	return time.Unix(p.At, 0).In(time.FixedZone("", int(p.Offset)*60))
}

// Edge aggregates the payments of one sender to one beneficiary.
type Edge struct {
	Sender, Beneficiary int32
	Count               int32
	start               int32 // first payment in the graph's payment table
	First, Last         int64 // Unix seconds
	Total               vigil.Amount
	Currency            int16 // currency index, -1 when mixed
	Round, Late, Small  int32 // payments carrying each flag
	ActiveMonths        int32 // distinct calendar months with a payment
	MedianGapDays       float32
	Suspicion           float32 // mean per-transfer suspicion
	// Typology is the share of suspicious features in [0,1]:
	// (2·small + round + 2·late) / 5 of the shares, or the mean suspicion
	// when a Scorer gave one.
	Typology float32
	// Tie explains a discount for an honest tie, empty when none.
	Tie TieKind
	// Weight is the typology-weighted strength used by the ranking:
	// (1 + ln Count) × (0.1 + Typology) × the tie discount.
	Weight float32
}

// TieKind classifies an honest tie between sender and beneficiary.
type TieKind uint8

const (
	TieNone       TieKind = iota
	TieSurname            // shared surname only
	TieRelative           // shared surname and family-like payments: treated as a relative
	TieFamilyLike         // payday rhythm and no typology features, no shared surname
)

// Discounts applied to an edge's weight for an honest tie.
const (
	SurnameDiscount    = 0.5
	RelativeDiscount   = 0.05
	FamilyLikeDiscount = 0.25
)

func (k TieKind) String() string {
	switch k {
	case TieSurname:
		return "shared_surname"
	case TieRelative:
		return "relative"
	case TieFamilyLike:
		return "family_like"
	}
	return ""
}

// Sender is a domestic party that sent at least one transfer.
type Sender struct {
	ID      string
	Name    string   // full name from parties, "" when unknown
	Surname []string // folded tokens of the family name, nil when unknown
}

// Beneficiary is a resolved recipient with the identifiers seen for it.
type Beneficiary struct {
	vigil.Beneficiary
	Transfers int        // transfers to it
	tokens    [][]string // folded name tokens per variant
	utokens   []string   // the distinct tokens of all variants
}

// Resolver assigns the recipient of a transfer to a beneficiary in a
// streaming pass: Observe returns a record node (small non-negative
// integers, counted up from 0), ID the stable id of the
// beneficiary the node belongs to once the pass is over (clusters may
// merge later in the pass), and Beneficiaries the resolved profiles.
// resolve.BeneficiaryResolver is the implementation.
type Resolver interface {
	Observe(t *vigil.Transfer) int32
	ID(n int32) string
	Beneficiaries() []vigil.Beneficiary
}

// BatchResolver is a Resolver that observes a batch of transfers at once,
// spreading the per-transfer work over goroutines, with the same nodes as
// Observe on each in turn (resolve.BeneficiaryResolver.ObserveBatch). Feed
// uses it when the Resolver has it; merges go to the resolver's own hook
// (onMerge nil).
type BatchResolver interface {
	Resolver
	ObserveBatch(ts []vigil.Transfer, nodes []int32, onMerge func(at int, into, from int32))
}

// Scorer gives the suspicion of one transfer in [0,1], for example the
// detect engine's per-transfer score. Optional.
type Scorer interface {
	ScoreTransfer(t *vigil.Transfer) float64
}

// Options configure a Builder.
type Options struct {
	Resolver Resolver // nil: a new resolve.BeneficiaryResolver
	Scorer   Scorer   // nil: typology from the payment flags only
	SizeHint int      // expected number of transfers, to allocate once
	// NoSeedIndex leaves out the index of every recipient's phones,
	// accounts and name words that Build otherwise makes for resolving
	// seeds: a graph built to serve one trace finds its seeds' candidates
	// in one pass at trace time instead. ResolveSeed still builds the
	// index on first use.
	NoSeedIndex bool
	// KeepAssignment keeps, after Build, the beneficiary each transfer was
	// resolved to (Graph.Assignment), so that the resolution can be kept
	// in the store and the next build skip resolving.
	KeepAssignment bool
	// CollectLaidOut has Build collect garbage once, as soon as the
	// payments are laid out by edge: the rows in input order (48 bytes a
	// transfer, 240 MB at 5M) and the pass's edge table die there, and what
	// the build and the caller allocate next (the final edges, the
	// beneficiaries, a correlation's scratch) then reuses their pages
	// instead of mapping fresh ones, each a fault the first time it is
	// written. Without it the next collection comes when the heap has
	// grown to its goal, after those allocations. For a process that
	// builds one graph and works on it (vigil trace, vigil correlate).
	CollectLaidOut bool
}

// Builder accumulates transfers in one pass and builds the Graph.
type Builder struct {
	res     Resolver
	scorer  Scorer
	noIndex bool
	keep    bool
	collect bool // Options.CollectLaidOut

	parties  map[string]string // party id → full name
	names    *PartyNames
	senders  senderTable
	edgeIdx  edgeTable
	lastEdge [][2]int32 // per sender: the record node and edge of his last payment
	edges    [][2]int32 // provisional (sender, record node)
	rows     []Payment
	rowEdge  []int32
	nodes    int32 // largest record node seen + 1
	ids      []byte
	idEnd    []uint32
	curIdx   map[string]uint8
	curs     []string
	purIdx   map[string]uint16
	purs     []string
	cityIdx  map[string]uint32
	cities   []string
	lastCity uint32
	lastCur  uint8
	lastPur  uint16
	// ahead, for tests: > 0 summarises every provisional edge ahead of
	// the final edges (Build waits for it), < 0 none; 0 as time allows.
	ahead int8
}

// NewBuilder returns an empty Builder.
func NewBuilder(opt Options) *Builder {
	b := &Builder{
		res: opt.Resolver, scorer: opt.Scorer, noIndex: opt.NoSeedIndex, keep: opt.KeepAssignment, collect: opt.CollectLaidOut,
		parties: map[string]string{},
		curIdx:  map[string]uint8{}, purIdx: map[string]uint16{}, purs: []string{""},
		cityIdx: map[string]uint32{}, cities: []string{""},
	}
	if b.res == nil {
		b.res = resolve.NewBeneficiaryResolver()
	}
	if n := opt.SizeHint; n > 0 {
		b.rows = make([]Payment, 0, n)
		b.rowEdge = make([]int32, 0, n)
		b.idEnd = make([]uint32, 0, n)
		b.ids = make([]byte, 0, 12*n)
		// Provisional edges: about one per three transfers in the synth
		// worlds (81,586 for 247,825 at 20k customers, 415,783 for
		// 1,243,066 at 100k). Sized for
		// that, the edge table is made once instead of growing through a
		// half-size table (a rehash and 32 MB of fresh pages at 5M), and
		// the edge and per-sender lists are not copied as they grow.
		b.edgeIdx = newEdgeTable(n / 3)
		b.edges = make([][2]int32, 0, n/3)
		b.senders = newSenderTable(n / 16)
		b.lastEdge = make([][2]int32, 0, n/16)
		// Each is written in full during the pass: its pages are mapped
		// now in one call each instead of a page fault per 4 KiB
		// (memory.Prefault; the transfer ids' bytes, whose length the
		// hint only bounds, are left to their faults).
		memory.Prefault(b.rows)
		memory.Prefault(b.rowEdge)
		memory.Prefault(b.idEnd)
		memory.Prefault(b.edges)
		memory.Prefault(b.edgeIdx.slots)
		memory.Prefault(b.senders.short)
		// The default resolver makes its tables once at about their
		// final size too (no result depends on it).
		if br, ok := b.res.(*resolve.BeneficiaryResolver); ok {
			br.Expect(n)
		}
	}
	return b
}

// AddParty records a domestic party's name, used to recognise honest
// family ties. Parties may be added before or after their transfers.
func (b *Builder) AddParty(p *vigil.Party) { b.parties[p.ID] = p.FullName }

// Add adds one transfer. It validates nothing beyond what the graph
// needs; readers validate. Transfers may come in any order.
func (b *Builder) Add(t *vigil.Transfer) error {
	if t.ID == "" || t.SenderID == "" {
		return vigil.Errorf(vigil.EINVALID, "transfer %q: transfer_id and sender_id are required", t.ID)
	}
	return b.add(t, b.res.Observe(t))
}

// add aggregates a transfer whose recipient the resolver assigned to node.
func (b *Builder) add(t *vigil.Transfer, node int32) error {
	s, p, err := b.prepare(t)
	if err != nil {
		return err
	}
	b.place(s, node, &p)
	return nil
}

// prepare does the per-transfer work that does not need the recipient's
// node: the sender's index, the currency and purpose tables, the payment
// flags and the transfer id. In Feed it runs on the parsing goroutine, so
// that it overlaps beneficiary resolution. The payment's Row is set by
// place.
func (b *Builder) prepare(t *vigil.Transfer) (int32, Payment, error) {
	p, err := b.preparePayment(t)
	if err != nil {
		return 0, Payment{}, err
	}
	return b.senders.index(t.SenderID), p, nil
}

// preparePayment is prepare without the sender's index. The strings of t
// may be views of a buffer the reader reuses: what the tables keep is
// copied.
func (b *Builder) preparePayment(t *vigil.Transfer) (Payment, error) {
	if len(b.idEnd) >= 1<<31-1 || len(b.ids)+len(t.ID) > 1<<32-1 {
		return Payment{}, vigil.Errorf(vigil.EINVALID, "graph: too many transfers for one graph")
	}
	// Consecutive transfers mostly share currency and purpose: compare
	// with the last before hashing.
	cur, ok := b.lastCur, b.curs != nil && b.curs[b.lastCur] == t.Currency
	if !ok {
		cur, ok = b.curIdx[t.Currency]
	}
	if !ok {
		if len(b.curs) == 255 {
			return Payment{}, vigil.Errorf(vigil.EINVALID, "transfer %s: more than 255 currencies", t.ID)
		}
		cur = uint8(len(b.curs))
		c := strings.Clone(t.Currency)
		b.curIdx[c] = cur
		b.curs = append(b.curs, c)
	}
	b.lastCur = cur
	var pur uint16
	if t.Purpose != "" && b.purs[b.lastPur] == t.Purpose {
		pur = b.lastPur
	} else if t.Purpose != "" {
		if pur, ok = b.purIdx[t.Purpose]; !ok && len(b.purs) < 1<<16 {
			pur = uint16(len(b.purs))
			p := strings.Clone(t.Purpose)
			b.purIdx[p] = pur
			b.purs = append(b.purs, p)
		}
		b.lastPur = pur
	}
	var city uint32
	if c := t.BeneficiaryCity; c != "" {
		if b.cities[b.lastCity] == c {
			city = b.lastCity
		} else if city, ok = b.cityIdx[c]; !ok {
			city = uint32(len(b.cities))
			c = strings.Clone(c)
			b.cityIdx[c] = city
			b.cities = append(b.cities, c)
		}
		b.lastCity = city
	}
	// Local time from the Unix time and the zone offset, without the
	// calendar arithmetic of time.Time.Hour.
	_, off := t.Timestamp.Zone()
	at := t.Timestamp.Unix()
	p := Payment{At: at, Amount: t.Amount, Offset: int16(off / 60), Currency: cur, Purpose: pur,
		Ident: [2]uint32{IdentKey(t.BeneficiaryPhone), IdentKey(t.BeneficiaryAccount)}, City: city,
		Birth: PackDate(t.BeneficiaryBirthDate)}
	if t.Amount%(RoundUnit*vigil.AmountScale) == 0 {
		p.Flags |= FlagRound
	}
	if t.Amount <= SmallMax*vigil.AmountScale {
		p.Flags |= FlagSmall
	}
	sec := (at + int64(off)) % 86400
	if sec < 0 {
		sec += 86400
	}
	if h := sec / 3600; h >= LateFromHour || h < LateBeforeHour {
		p.Flags |= FlagLate
	}
	if b.scorer != nil {
		p.Suspicion = float32(b.scorer.ScoreTransfer(t))
	}
	b.ids = append(b.ids, t.ID...)
	b.idEnd = append(b.idEnd, uint32(len(b.ids)))
	return p, nil
}

// place files a prepared payment of sender s under its edge to node.
// Payments must be placed in the order they were prepared.
func (b *Builder) place(s, node int32, p *Payment) { b.placeKnown(s, node, p, -1) }

// placeBatch places a batch of prepared payments as place does, in two
// loops: first the edges that already exist are looked up, read-only, so
// that their cache misses overlap; then the payments are filed in order,
// the edges not found numbered as place numbers them (an edge found
// existed before the batch, so the new ones get the same numbers). known
// is scratch of at least len(senders).
func (b *Builder) placeBatch(senders, nodes []int32, pays []Payment, known []int32) {
	known = known[:len(senders)]
	for i, s := range senders {
		node := nodes[i]
		if int(s) < len(b.lastEdge) {
			if le := b.lastEdge[s]; le[0] == node {
				known[i] = le[1]
				continue
			}
		}
		e, ok := b.edgeIdx.find(edgeKey(s, node))
		if !ok {
			e = -1
		}
		known[i] = e
	}
	for i, s := range senders {
		b.placeKnown(s, nodes[i], &pays[i], known[i])
	}
}

// placeKnown is place with the edge already found (e ≥ 0) or not (-1).
func (b *Builder) placeKnown(s, node int32, p *Payment, e int32) {
	// A sender mostly pays the recipient he paid last: check that edge
	// before the map.
	for int(s) >= len(b.lastEdge) {
		b.lastEdge = append(b.lastEdge, [2]int32{-1, -1})
	}
	if e >= 0 {
		b.lastEdge[s] = [2]int32{node, e}
	} else if le := b.lastEdge[s]; le[0] == node {
		e = le[1]
	} else {
		var ok bool
		if e, ok = b.edgeIdx.index(edgeKey(s, node), int32(len(b.edges))); !ok {
			b.edges = append(b.edges, [2]int32{s, node})
		}
		b.lastEdge[s] = [2]int32{node, e}
	}
	if node >= b.nodes {
		b.nodes = node + 1
	}
	p.Row = int32(len(b.rows))
	b.rows = append(b.rows, *p)
	b.rowEdge = append(b.rowEdge, e)
}

// Len returns the number of transfers added so far.
func (b *Builder) Len() int { return len(b.rows) }

// Graph is the built payment network. It is read-only and safe for
// concurrent readers.
type Graph struct {
	Senders       []Sender
	Beneficiaries []Beneficiary
	// Edges are ordered by sender: the edges of sender s are
	// Edges[senderStart[s]:senderStart[s+1]].
	Edges       []Edge
	senderStart []int32
	benStart    []int32
	benEdges    []int32 // edge indices grouped by beneficiary
	payments    []Payment
	ids         []byte
	idEnd       []uint32
	currencies  []string
	purposes    []string
	cities      []string // recipients' cities as written; 0 = none
	senderIdx   senderTable
	benIdx      map[string]int32 // nil when bensSorted
	bensSorted  bool             // Beneficiaries in strictly increasing id order
	idxOnce     sync.Once
	idx         atomic.Pointer[seedIndex]
	ws, wb      []float64 // total edge weight per sender and per beneficiary
	assign      []int32   // beneficiary per transfer in input order (Options.KeepAssignment)
}

// Build finishes the pass and returns the graph. The Builder must not be
// used afterwards.
func (b *Builder) Build() *Graph {
	g := &Graph{currencies: b.curs, purposes: b.purs, cities: b.cities, ids: b.ids, idEnd: b.idEnd}
	b.edgeIdx, b.lastEdge = edgeTable{}, nil // not needed past the pass
	nS, nP := len(b.senders.ids), len(b.edges)
	g.senderIdx = b.senders

	// While the resolver lists its beneficiaries (on this core), the other
	// names the senders, lays the payments out by provisional edge and
	// then summarises provisional edges (summariseAhead) until the final
	// edges are made: most final edges are one provisional edge, whose
	// statistics then need not be made again.
	g.Senders = make([]Sender, nS)
	var lay provisionalLayout
	laid := make(chan struct{})
	var stopAhead atomic.Bool
	var sendersAhead int32
	stopAhead.Store(b.ahead < 0)
	go func() {
		defer close(laid)
		b.nameSenders(g)
		lay = b.layOut(g)
		if b.collect {
			// Here, not on the goroutine that lists the beneficiaries:
			// this one waits for the collection while that one goes on.
			runtime.GC()
		}
		g.Edges = make([]Edge, nP)
		memory.Prefault(g.Edges)
		sendersAhead = g.summariseAhead(&lay, &stopAhead)
	}()

	// Final beneficiaries: record nodes through the resolver's merges. The
	// default resolver lists them with each record node's index and the
	// ids of their names (listing), so that neither the mapping below nor
	// the tokenising is keyed by strings; it writes the profiles into
	// g.Beneficiaries itself (ListingInto), where another resolver's are
	// copied.
	var profiles []vigil.Beneficiary // another resolver's
	var listing resolve.BeneficiaryListing
	lister, listed := b.res.(beneficiaryLister)
	if listed {
		listing = lister.ListingInto(func(n int) func(int) *vigil.Beneficiary {
			g.Beneficiaries = make([]Beneficiary, n)
			memory.Prefault(g.Beneficiaries) // written at random (id order): mapped first in one call
			return func(i int) *vigil.Beneficiary { return &g.Beneficiaries[i].Beneficiary }
		})
	} else {
		profiles = b.res.Beneficiaries()
		g.Beneficiaries = make([]Beneficiary, len(profiles))
	}
	nListed := len(g.Beneficiaries)
	profileID := func(i int) string {
		if listed {
			return g.Beneficiaries[i].ID
		}
		return profiles[i].ID
	}
	_, fixed := b.res.(FixedResolution)
	// The names are tokenised (another resolver's profiles first copied
	// into g.Beneficiaries) in chunks taken in turn by one goroutine while
	// this one maps the record nodes to beneficiaries and merges the
	// edges; this one then takes the chunks left, so that both end
	// together instead of either core idling at the end of the other's
	// chain. Until tokenised is closed, the goroutine writes the chunks'
	// profiles and tokens, and this one reads only profiles or, when
	// listed, the ids in g.Beneficiaries (which the goroutine only reads).
	tokenised := make(chan struct{})
	nameIDs, nameIDCount := listing.NameIDs, listing.NameIDCount
	var nextChunk atomic.Int64
	tokeniseChunks := func() {
		const chunk = 1 << 14
		var z *nameTokeniser
		for {
			lo := int(nextChunk.Add(chunk)) - chunk
			if lo >= nListed {
				return
			}
			hi := min(lo+chunk, nListed)
			bens := g.Beneficiaries[lo:hi]
			if !listed {
				for i := range bens {
					bens[i].Beneficiary = profiles[lo+i]
				}
			}
			if z == nil {
				z = newNameTokeniser(listed, nameIDCount, hi-lo)
			}
			var ids [][]int32
			if listed {
				ids = nameIDs[lo:hi]
			}
			z.tokenise(bens, ids)
		}
	}
	go func() {
		defer close(tokenised)
		tokeniseChunks()
	}()

	// A kept resolution lists its beneficiaries in id order, as the
	// resolver does: ids are then found by binary search, without a map of
	// a million ids. The resolver's listing says whether they are (its
	// Sorted); another kept resolution is checked here.
	if listed {
		g.bensSorted = listing.Sorted
	} else {
		g.bensSorted = fixed && slices.IsSortedFunc(profiles, func(a, b vigil.Beneficiary) int { return strings.Compare(a.ID, b.ID) })
	}
	if g.bensSorted && !listed {
		for i := 1; i < len(profiles); i++ {
			if profiles[i].ID == profiles[i-1].ID {
				g.bensSorted = false
				break
			}
		}
	}
	if !g.bensSorted || listed && len(listing.Of) < int(b.nodes) {
		g.bensSorted = false
		g.benIdx = make(map[string]int32, nListed)
		for i := range nListed {
			g.benIdx[profileID(i)] = int32(i)
		}
	}
	// A resolver that does not list every beneficiary: those missing are
	// added after the names are tokenised.
	var extra []Beneficiary
	nodeBen := make([]int32, b.nodes+1) // record node + 1 → beneficiary + 1
	benOf := func(node int32) int32 {
		if fixed { // record node i is beneficiary i
			return node
		}
		if listed && g.bensSorted { // every record node is listed
			return listing.Of[node]
		}
		if f := nodeBen[node+1]; f > 0 {
			return f - 1
		}
		id := b.res.ID(node)
		f, ok := g.benIdx[id]
		if !ok {
			f = int32(nListed + len(extra))
			g.benIdx[id] = f
			extra = append(extra, Beneficiary{Beneficiary: vigil.Beneficiary{ID: id}})
		}
		nodeBen[node+1] = f + 1
		return f
	}
	finBen := make([]int32, nP)
	for i, e := range b.edges {
		finBen[i] = benOf(e[1])
	}
	nodeBen, listing.Of = nil, nil
	nB := nListed + len(extra)

	// Final edges, grouped by sender; within a sender in the order of
	// their first provisional edge (the layout's order): merging those
	// whose record nodes ended in one beneficiary is a scan of the
	// sender's few edges, not a map over all. A final edge's payments are
	// those of its provisional edges; a sender's payments are moved only
	// when one of his final edges merged several.
	//
	// The final edges are written over the provisional ones in g.Edges
	// (final edge j of sender s at or before provisional edge j of his):
	// a final edge made of one provisional edge that summariseAhead
	// summarised takes its statistics along (ahead).
	if b.ahead <= 0 {
		stopAhead.Store(true)
	}
	<-laid
	edgePos := make([]int32, nP) // provisional edge → position in g.Edges
	g.senderStart = make([]int32, nS+1)
	ahead := make([]bool, nP) // final edge → statistics made by summariseAhead
	nE := int32(0)            // final edges so far
	var many map[int32]int32
	var scratch []Payment
	var cursor []int32
	for s := range int32(nS) {
		first := nE
		g.senderStart[s] = first
		pes := lay.byS[lay.pstart[s]:lay.pstart[s+1]]
		if len(pes) == 0 {
			continue
		}
		if len(pes) > 32 {
			if many == nil {
				many = map[int32]int32{}
			}
			clear(many)
		}
		merged := false
		for j, pe := range pes {
			bi := finBen[pe]
			f := int32(-1)
			if len(pes) > 32 {
				if v, ok := many[bi]; ok {
					f = v
				}
			} else {
				for k := first; k < nE; k++ {
					if g.Edges[k].Beneficiary == bi {
						f = k
						break
					}
				}
			}
			if f < 0 {
				f = nE
				nE++
				e := Edge{Sender: s, Beneficiary: bi}
				if s < sendersAhead {
					e = g.Edges[lay.pstart[s]+int32(j)] // f ≤ that position: nothing unread is overwritten
					e.Sender, e.Beneficiary, e.Count = s, bi, 0
					ahead[f] = true
				}
				g.Edges[f] = e
				if len(pes) > 32 {
					many[bi] = f
				}
			} else {
				merged = true
				if ahead[f] { // statistics of several provisional edges: made again
					g.Edges[f] = Edge{Sender: s, Beneficiary: bi, Count: g.Edges[f].Count}
					ahead[f] = false
				}
			}
			edgePos[pe] = f
			g.Edges[f].Count += lay.count[pe]
		}
		at := lay.first[pes[0]] // the sender's first payment
		block := at
		for k := first; k < nE; k++ {
			g.Edges[k].start = at
			at += g.Edges[k].Count
		}
		if merged {
			scratch = append(scratch[:0], g.payments[block:at]...)
			cursor = cursor[:0]
			for k := first; k < nE; k++ {
				cursor = append(cursor, g.Edges[k].start)
			}
			for _, pe := range pes {
				k := edgePos[pe] - first
				from := lay.first[pe] - block
				cursor[k] += int32(copy(g.payments[cursor[k]:], scratch[from:from+lay.count[pe]]))
			}
		}
	}
	g.Edges = g.Edges[:nE]
	g.senderStart[nS] = nE
	if b.keep {
		g.assign = make([]int32, len(b.rowEdge))
		for r, pe := range b.rowEdge {
			g.assign[r] = finBen[pe]
		}
	}
	b.rowEdge, lay, scratch = nil, provisionalLayout{}, nil

	// Beneficiary adjacency.
	g.benStart = make([]int32, nB+1)
	for i := range g.Edges {
		g.benStart[g.Edges[i].Beneficiary+1]++
	}
	for i := range nB {
		g.benStart[i+1] += g.benStart[i]
	}
	bpos := slices.Clone(g.benStart[:nB])
	g.benEdges = make([]int32, len(g.Edges))
	for i := range g.Edges {
		bi := g.Edges[i].Beneficiary
		g.benEdges[bpos[bi]] = int32(i)
		bpos[bi]++
	}

	tokeniseChunks() // those the goroutine has not taken
	<-tokenised
	if len(extra) > 0 {
		tokeniseNames(extra)
		g.Beneficiaries = append(g.Beneficiaries, extra...)
	}
	var wg sync.WaitGroup
	if !b.noIndex {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.index()
		}()
	}
	// In chunks taken in turn, not halves: the edges' cost varies along
	// the list, and halves ended up to 0.3 s apart.
	parallelChunks(len(g.Edges), 1<<13, func(lo, hi int) {
		var gaps []float64
		for i := lo; i < hi; i++ {
			if e := &g.Edges[i]; !ahead[i] {
				gaps = g.edgeStats(e, g.payments[e.start:e.start+e.Count], gaps)
			}
		}
		g.finishEdges(lo, hi)
	})
	// A sender who sends family support to one beneficiary of his surname
	// is a relative of that family: his other payments to beneficiaries of
	// the same surname (often the same person under another spelling) are
	// family payments too. Then the strengths (as strengths makes them,
	// each sum in edge order) and the transfers per beneficiary.
	g.ws, g.wb = make([]float64, nS), make([]float64, nB)
	parallelChunks(nS, 1<<12, func(lo, hi int) {
		for s := lo; s < hi; s++ {
			g.familyOf(int32(s))
			for i := range g.SenderEdges(int32(s)) {
				g.ws[s] += float64(g.SenderEdges(int32(s))[i].Weight)
			}
		}
	})
	parallel(nB, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			be := &g.Beneficiaries[b]
			for _, ei := range g.BeneficiaryEdges(int32(b)) {
				e := &g.Edges[ei]
				g.wb[b] += float64(e.Weight)
				be.Transfers += int(e.Count)
			}
		}
	})
	wg.Wait()
	return g
}

// provisionalLayout is the payments laid out by provisional edge: the
// provisional edges grouped by sender (those of sender s are
// byS[pstart[s]:pstart[s+1]], in the order of their numbers), and each
// one's first payment and count in that layout.
type provisionalLayout struct {
	pstart, byS  []int32
	first, count []int32 // per provisional edge
}

// layOut groups the provisional edges by sender and copies the payments
// into g.payments in that order, each provisional edge's in input order.
func (b *Builder) layOut(g *Graph) provisionalLayout {
	nS, nP := len(b.senders.ids), len(b.edges)
	l := provisionalLayout{pstart: make([]int32, nS+1), byS: make([]int32, nP), first: make([]int32, nP), count: make([]int32, nP)}
	for _, e := range b.edges {
		l.pstart[e[0]+1]++
	}
	for i := range nS {
		l.pstart[i+1] += l.pstart[i]
	}
	pos := slices.Clone(l.pstart[:nS])
	for i, e := range b.edges {
		l.byS[pos[e[0]]] = int32(i)
		pos[e[0]]++
	}
	pos = nil
	for _, pe := range b.rowEdge {
		l.count[pe]++
	}
	var at int32
	for _, pe := range l.byS {
		l.first[pe] = at
		at += l.count[pe]
	}
	fill := slices.Clone(l.first)
	g.payments = make([]Payment, len(b.rows))
	memory.Prefault(g.payments) // written at random: mapped first in one call
	for r, pe := range b.rowEdge {
		g.payments[fill[pe]] = b.rows[r]
		fill[pe]++
	}
	b.rows = nil
	return l
}

// nameSenders gives the senders their names and surname tokens, from
// AddParty's names first, then from AddPartyNames'.
func (b *Builder) nameSenders(g *Graph) {
	toks := map[string][]string{}
	for i, id := range b.senders.ids {
		s := Sender{ID: id}
		if n, ok := b.parties[id]; ok {
			sur, ok := toks[n]
			if !ok {
				sur = surnameTokens(n)
				toks[n] = sur
			}
			s.Name, s.Surname = n, sur
		}
		g.Senders[i] = s
	}
	if b.names == nil {
		return
	}
	// The parties are looked up in the senders' table, each in turn (a
	// party listed twice keeps its last name), instead of a map of every
	// party built beside it.
	for i, id := range b.names.ids {
		si, ok := b.senders.find(id)
		if !ok {
			continue
		}
		if len(b.parties) > 0 {
			if _, ok := b.parties[id]; ok {
				continue
			}
		}
		g.Senders[si].Name, g.Senders[si].Surname = b.names.names[i], b.names.surnames[i]
	}
}

// tokeniseNames tokenises the beneficiaries' names. Many beneficiaries
// share a name (at 5M transfers, 949k beneficiaries carry 278k distinct
// names): each name is tokenised once. The token slices are shared and
// read-only.
func tokeniseNames(bens []Beneficiary) {
	tokeniseNamesIn(bens, make(map[string][]string, len(bens)/2))
}

// tokeniseNamesIn is tokeniseNames with the tokens of the names seen so
// far in toks (added to).
func tokeniseNamesIn(bens []Beneficiary, toks map[string][]string) {
	for i := range bens {
		be := &bens[i]
		be.tokens = make([][]string, len(be.Names))
		for j, n := range be.Names {
			ts, ok := toks[n]
			if !ok {
				ts = resolve.NameTokensOf(n)
				toks[n] = ts
			}
			be.tokens[j] = ts
			for _, t := range ts {
				if !slices.Contains(be.utokens, t) {
					be.utokens = append(be.utokens, t)
				}
			}
		}
	}
}

// beneficiaryLister is a Resolver that lists its beneficiaries with
// integer indices into the list, written where the caller says
// (resolve.BeneficiaryResolver.ListingInto).
type beneficiaryLister interface {
	ListingInto(places func(n int) func(i int) *vigil.Beneficiary) resolve.BeneficiaryListing
}

// nameTokeniser tokenises beneficiaries' names chunk after chunk on one
// goroutine, each distinct name once over all its chunks: by the
// resolver's name ids (tokeniseNameIDs) when byID, else by the names
// (tokeniseNames).
type nameTokeniser struct {
	byID     bool
	toks     [][]string          // byID: per name id, its tokens
	done     []bool              // byID: per name id, toks made
	byName   map[string][]string // !byID: per name, its tokens
	perName  [][]string          // byID: arena of the tokens slices
	distinct []string            // byID: arena of the utokens slices
}

// newNameTokeniser returns a tokeniser by name ids in [0, n) when byID,
// else by names, for chunks of about size beneficiaries.
func newNameTokeniser(byID bool, n, size int) *nameTokeniser {
	if byID {
		return &nameTokeniser{byID: true, toks: make([][]string, n), done: make([]bool, n)}
	}
	return &nameTokeniser{byName: make(map[string][]string, size/2)}
}

// tokenise tokenises bens (by ids, ids[i][j] the id of bens[i].Names[j],
// when byID).
func (z *nameTokeniser) tokenise(bens []Beneficiary, ids [][]int32) {
	if !z.byID {
		tokeniseNamesIn(bens, z.byName)
		return
	}
	z.tokeniseIDs(bens, ids)
}

// tokeniseNameIDs is tokeniseNames keyed by the resolver's name ids
// (ids[i][j] is the id of bens[i].Names[j]; n bounds the ids) instead of
// by the names: each distinct name is tokenised once, without hashing it.
// The token slices of the beneficiaries are cut from arenas of a few
// thousand entries instead of two allocations per beneficiary.
func tokeniseNameIDs(bens []Beneficiary, ids [][]int32, n int) {
	newNameTokeniser(true, n, len(bens)).tokeniseIDs(bens, ids)
}

func (z *nameTokeniser) tokeniseIDs(bens []Beneficiary, ids [][]int32) {
	toks, done := z.toks, z.done
	const chunk = 1 << 12
	perName, distinct := z.perName, z.distinct
	defer func() { z.perName, z.distinct = perName, distinct }()
	for i := range bens {
		be := &bens[i]
		k := len(be.Names)
		if k == 0 {
			be.tokens = [][]string{}
			continue
		}
		if cap(perName)-len(perName) < k {
			perName = make([][]string, 0, max(chunk, k))
		}
		be.tokens = perName[len(perName) : len(perName)+k : len(perName)+k]
		perName = perName[:len(perName)+k]
		from := len(distinct)
		for j, id := range ids[i] {
			if !done[id] {
				toks[id], done[id] = resolve.NameTokensOf(be.Names[j]), true
			}
			ts := toks[id]
			be.tokens[j] = ts
			for _, t := range ts {
				if slices.Contains(distinct[from:], t) {
					continue
				}
				if len(distinct) == cap(distinct) { // a new arena, with this beneficiary's tokens so far
					grown := make([]string, len(distinct)-from, max(chunk, 2*(len(distinct)-from+1)))
					copy(grown, distinct[from:])
					distinct, from = grown, 0
				}
				distinct = append(distinct, t)
			}
		}
		if len(distinct) > from {
			be.utokens = distinct[from:len(distinct):len(distinct)]
		}
	}
}

// PartyNames are the domestic parties' names with the surname tokens a
// graph compares with its recipients' names (honest family ties), made
// apart from a Builder — for example on another goroutine while the
// transfers are fed — and given to it by AddPartyNames. Read-only.
//
// They are lists in the parties' order, not a map by party id: the
// Builder finds each party among its senders (nameSenders), and a map of
// 441k parties cost 75 MB and a third of a second to build at 5M
// transfers.
type PartyNames struct {
	ids, names []string
	surnames   [][]string // per party, its surname's tokens; nil when none
}

// NewPartyNames prepares the names of ps; a party id listed twice keeps
// its last name, as AddParty does.
func NewPartyNames(ps []vigil.Party) *PartyNames {
	pn := &PartyNames{ids: make([]string, len(ps)), names: make([]string, len(ps)), surnames: make([][]string, len(ps))}
	toks := map[string][]string{}
	for i := range ps {
		n := ps[i].FullName
		sur, ok := toks[n]
		if !ok {
			sur = surnameTokens(n)
			toks[n] = sur
		}
		pn.ids[i], pn.names[i], pn.surnames[i] = ps[i].ID, n, sur
	}
	return pn
}

// AddPartyNames gives the Builder the parties' names, as AddParty for
// each (a name AddParty gave comes first). It may be called before or
// after the transfers, once.
func (b *Builder) AddPartyNames(pn *PartyNames) { b.names = pn }

// parallel runs f over [0,n) in two halves, one per core of a small
// machine. f must only write state of its own range.
func parallel(n int, f func(lo, hi int)) {
	if n < 1<<12 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); f(n/2, n) }()
	f(0, n/2)
	wg.Wait()
}

// parallelChunks runs f over [0, n) in chunks of size taken in turn from
// a counter by two goroutines (this one and another), so that both end
// together when the work per item varies; f must not depend on how [0, n)
// is cut.
func parallelChunks(n, size int, f func(lo, hi int)) {
	if n < 1<<12 {
		f(0, n)
		return
	}
	var next atomic.Int64
	work := func() {
		for {
			lo := int(next.Add(int64(size))) - size
			if lo >= n {
				return
			}
			f(lo, min(lo+size, n))
		}
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); work() }()
	work()
	wg.Wait()
}

// familyOf applies a sender's relative ties to his other edges (see Build).
func (g *Graph) familyOf(s int32) {
	es := g.SenderEdges(s)
	family := false
	for i := range es {
		family = family || es[i].Tie == TieRelative
	}
	if !family {
		return
	}
	for i := range es {
		switch {
		case es[i].Tie == TieSurname:
			es[i].Tie = TieRelative
			es[i].Weight *= RelativeDiscount / SurnameDiscount
		case es[i].Tie != TieRelative && g.sameFamilyMember(es, i):
			// The same relative under another spelling.
			d := float32(1)
			if es[i].Tie == TieFamilyLike {
				d = FamilyLikeDiscount
			}
			es[i].Tie = TieRelative
			es[i].Weight *= RelativeDiscount / d
		}
	}
}

// summariseAhead makes the statistics of the provisional edges (edgeStats)
// while the final edges are not yet known, sender by sender in the
// layout's order, into g.Edges at the provisional edges' places in that
// order (the edges of sender s from lay.pstart[s]), until stop is set. It
// returns the number of senders done.
func (g *Graph) summariseAhead(lay *provisionalLayout, stop *atomic.Bool) int32 {
	var gaps []float64
	nS := int32(len(lay.pstart) - 1)
	for s := range nS {
		if s&255 == 0 && stop.Load() {
			return s
		}
		for k := lay.pstart[s]; k < lay.pstart[s+1]; k++ {
			pe := lay.byS[k]
			ps := g.payments[lay.first[pe] : lay.first[pe]+lay.count[pe]]
			e := &g.Edges[k]
			e.Count = lay.count[pe]
			gaps = g.edgeStats(e, ps, gaps)
		}
	}
	return nS
}

// edgeStats sorts an edge's payments ps by (time, row) and computes its
// statistics and typology from them. The statistics must be zero.
func (g *Graph) edgeStats(e *Edge, ps []Payment, gaps []float64) []float64 {
	if !slices.IsSortedFunc(ps, cmpPayment) {
		slices.SortFunc(ps, cmpPayment)
	}
	e.First, e.Last = ps[0].At, ps[len(ps)-1].At
	e.Currency = int16(ps[0].Currency)
	var susp float64
	lastMonth := -1
	gaps = gaps[:0]
	for i := range ps {
		p := &ps[i]
		e.Total += p.Amount
		if int16(p.Currency) != e.Currency {
			e.Currency = -1
		}
		if p.Flags&FlagRound != 0 {
			e.Round++
		}
		if p.Flags&FlagLate != 0 {
			e.Late++
		}
		if p.Flags&FlagSmall != 0 {
			e.Small++
		}
		susp += float64(p.Suspicion)
		if m := monthIndex(p.At + int64(p.Offset)*60); m != lastMonth {
			e.ActiveMonths++
			lastMonth = m
		}
		if i > 0 {
			gaps = append(gaps, float64(p.At-ps[i-1].At)/86400)
		}
	}
	if len(gaps) > 0 {
		slices.Sort(gaps)
		e.MedianGapDays = float32(gaps[len(gaps)/2])
	}
	n := float32(e.Count)
	e.Suspicion = float32(susp) / n
	// Round amounts count half as much as small or late ones: families
	// send round sums too.
	e.Typology = (2*float32(e.Small) + float32(e.Round) + 2*float32(e.Late)) / (5 * n)
	if e.Suspicion > 0 {
		e.Typology = e.Suspicion
	}
	return gaps
}

// finishEdges is finishEdge over the edges [lo, hi), in blocks: the
// beneficiaries' token lists of a block are read in a loop of their own
// first, so that their cache misses (the beneficiaries are at random)
// overlap instead of each being waited for in turn.
func (g *Graph) finishEdges(lo, hi int) {
	const block = 32
	var sink byte
	for at := lo; at < hi; at += block {
		end := min(at+block, hi)
		for i := at; i < end; i++ {
			e := &g.Edges[i]
			if len(g.Senders[e.Sender].Surname) == 0 {
				continue
			}
			for _, t := range g.Beneficiaries[e.Beneficiary].utokens {
				if len(t) > 0 {
					sink ^= t[0]
				}
			}
		}
		for i := at; i < end; i++ {
			g.finishEdge(&g.Edges[i])
		}
	}
	touchSink.Store(uint32(sink)) // so that the reads are made
}

var touchSink atomic.Uint32

// finishEdge classifies an edge whose statistics are made (edgeStats) as a
// tie and weighs it.
func (g *Graph) finishEdge(e *Edge) {
	e.Tie = g.tie(e)
	w := (1 + float32(math.Log(float64(e.Count)))) * (0.1 + e.Typology)
	switch e.Tie {
	case TieRelative:
		w *= RelativeDiscount
	case TieSurname:
		w *= SurnameDiscount
	case TieFamilyLike:
		w *= FamilyLikeDiscount
	}
	e.Weight = w
}

// monthIndex returns year×12 + month-1 of a Unix time (seconds, already
// shifted to local time), by the civil-from-days algorithm.
func monthIndex(sec int64) int {
	z := sec/86400 + 719468
	if sec < 0 && sec%86400 != 0 {
		z--
	}
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	return int(y*12 + m - 1)
}

func cmpPayment(a, b Payment) int {
	if a.At != b.At {
		if a.At < b.At {
			return -1
		}
		return 1
	}
	return int(a.Row - b.Row)
}

// tie classifies an edge as an honest family tie. A relative shares the
// sender's surname and is paid the way families are: a payday rhythm
// (at least 3 payments, median gap 12–40 days, at most 2.5 payments per
// active month) or payments that look nothing like the typology (fewer
// than a third of the small, round and late-night features); a sender
// with one such edge is a relative on every edge to a beneficiary of his
// surname (see Build). Without a
// shared surname, payday rhythm together with no typology features is
// family-like: discounted, but not ruled out.
func (g *Graph) tie(e *Edge) TieKind {
	shared := false
	for _, sur := range g.Senders[e.Sender].Surname {
		if len(sur) < 2 {
			continue
		}
		for _, t := range g.Beneficiaries[e.Beneficiary].utokens {
			if sameSurname(sur, t) {
				shared = true
				break
			}
		}
		if shared {
			break
		}
	}
	if !shared {
		if familyRhythm(e) && (e.Typology < 1.0/3 || float32(e.Late) < 0.15*float32(e.Count)) {
			return TieFamilyLike
		}
		return TieNone
	}
	if familyRhythm(e) || e.Typology < 1.0/3 {
		return TieRelative
	}
	return TieSurname
}

// sameSurname compares a sender's surname token with a recipient's name
// token: equal, close in spelling (Jaro-Winkler ≥ 0.93) or run together
// with a particle ("lossantos" holds "santos").
func sameSurname(sur, t string) bool {
	switch {
	case sur == t:
		return true
	case len(sur) >= 4 && len(t) > len(sur) && strings.HasSuffix(t, sur):
		return true
	case len(sur) >= 4 && len(t) >= 3:
		return mayReachJW(sur, t, 0.93) && resolve.JaroWinkler(sur, t) >= 0.93
	}
	return false
}

// mayReachJW reports false only when the Jaro-Winkler similarity of two
// ASCII strings is certainly below floor, from an upper bound that costs a
// fraction of the comparison: the matched characters m are at most the
// characters of each string whose letter occurs in the other, so Jaro ≤
// (m/|a| + m/|b| + 1)/3, raised by the common prefix as Winkler does.
// Strings with other bytes are always compared.
func mayReachJW(a, b string, floor float64) bool {
	var ma, mb uint64
	for i := 0; i < len(a); i++ {
		c := a[i]
		if c >= 0x80 {
			return true
		}
		ma |= 1 << (c & 63)
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= 0x80 {
			return true
		}
		mb |= 1 << (c & 63)
	}
	ca, cb := 0, 0
	for i := 0; i < len(a); i++ {
		if mb&(1<<(a[i]&63)) != 0 {
			ca++
		}
	}
	for i := 0; i < len(b); i++ {
		if ma&(1<<(b[i]&63)) != 0 {
			cb++
		}
	}
	m := float64(min2(ca, cb))
	if m == 0 {
		return false
	}
	j := (m/float64(len(a)) + m/float64(len(b)) + 1) / 3
	l := 0
	for l < 4 && l < len(a) && l < len(b) && a[l] == b[l] {
		l++
	}
	if j > 0.7 {
		j += 0.1 * float64(l) * (1 - j)
	}
	return j >= floor-1e-9
}

func min2(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// sameFamilyMember reports whether the beneficiary of es[i] has a name
// compatible (token similarity ≥ 0.9) with a beneficiary the same sender
// supports as a relative.
func (g *Graph) sameFamilyMember(es []Edge, i int) bool {
	for j := range es {
		if j == i || es[j].Tie != TieRelative {
			continue
		}
		for _, a := range g.Beneficiaries[es[i].Beneficiary].tokens {
			for _, b := range g.Beneficiaries[es[j].Beneficiary].tokens {
				if tokenSimilarity(a, b) >= 0.9 {
					return true
				}
			}
		}
	}
	return false
}

func familyRhythm(e *Edge) bool {
	return e.Count >= 3 && e.MedianGapDays >= 12 && e.MedianGapDays <= 40 &&
		float32(e.Count) <= 2.5*float32(e.ActiveMonths)
}

// SenderIndex returns the node of a sender party id.
func (g *Graph) SenderIndex(id string) (int32, bool) { return g.senderIdx.find(id) }

// BeneficiaryIndex returns the node of a beneficiary id.
func (g *Graph) BeneficiaryIndex(id string) (int32, bool) {
	if g.bensSorted {
		i, ok := slices.BinarySearchFunc(g.Beneficiaries, id, func(b Beneficiary, id string) int { return strings.Compare(b.ID, id) })
		return int32(i), ok
	}
	i, ok := g.benIdx[id]
	return i, ok
}

// SenderEdges returns the edges of sender s.
func (g *Graph) SenderEdges(s int32) []Edge { return g.Edges[g.senderStart[s]:g.senderStart[s+1]] }

// BeneficiaryEdges returns the indices into Edges of beneficiary b's edges.
func (g *Graph) BeneficiaryEdges(b int32) []int32 { return g.benEdges[g.benStart[b]:g.benStart[b+1]] }

// Payments returns the payments of an edge in time order.
func (g *Graph) Payments(e *Edge) []Payment { return g.payments[e.start : e.start+e.Count] }

// TransferID returns the id of a payment's transfer.
func (g *Graph) TransferID(p *Payment) string {
	var from uint32
	if p.Row > 0 {
		from = g.idEnd[p.Row-1]
	}
	return string(g.ids[from:g.idEnd[p.Row]])
}

// CurrencyOf returns the ISO 4217 code of a payment.
func (g *Graph) CurrencyOf(p *Payment) string { return g.currencies[p.Currency] }

// EdgeCurrency returns the currency of an edge's total, "" when mixed.
func (g *Graph) EdgeCurrency(e *Edge) string {
	if e.Currency < 0 {
		return ""
	}
	return g.currencies[e.Currency]
}

// PurposeOf returns the purpose text of a payment, "" when none.
func (g *Graph) PurposeOf(p *Payment) string { return g.purposes[p.Purpose] }

// NumTransfers returns the number of transfers in the graph.
func (g *Graph) NumTransfers() int { return len(g.payments) }

// Load builds a graph from a transfer service (the store) in one pass.
func Load(ctx context.Context, ts vigil.TransferService, parties []vigil.Party, opt Options) (*Graph, error) {
	b := NewBuilder(opt)
	for i := range parties {
		b.AddParty(&parties[i])
	}
	if err := ts.EachTransfer(ctx, b.Add); err != nil {
		return nil, err
	}
	return b.Build(), nil
}
