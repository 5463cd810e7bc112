// Package correlate ties the counterpart handles of a seized device to the
// domestic customers who pay its owner: a handle whose sessions repeatedly
// follow (or, less often, precede) one customer's payments within minutes
// is attributed to that customer, with a confidence that accounts for how
// often so many near-coincidences would happen by chance. It reads call
// metadata and payments only, never content.
package correlate

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// Options configure Correlate. Zero values take the defaults.
type Options struct {
	Before        time.Duration // a payment may precede a session by up to this; default 60 min
	After         time.Duration // or follow its start by up to this; default 15 min
	AfterEnd      time.Duration // or follow its end by up to this (pay after the session); default 15 min
	MinConfidence float64       // attribute at or above; default 0.5
	MinMatched    int           // sessions paired at least; default 2
	MinLift       float64       // pairs at least this many times the chance expectation; default 3
	Shifts        int           // day shifts of the null, each side; default 28
	SeedThreshold float64       // seed resolution threshold; default graph.DefaultSeedThreshold
	MaxPairs      int           // pairs listed per handle; default 500
	// Parties, when set, is the parties argument already indexed
	// (PrepareParties), for example while the graph was being built;
	// the parties argument is then not read.
	Parties *Parties
}

// Parties are the domestic customers indexed for Correlate: by id, and
// the counts of their name parts that weigh a handle holding a name.
// They need the parties only, so they can be made before the graph is
// built, or while it is.
type Parties struct {
	byID *partyFinder
	pop  *namePop
}

// PrepareParties indexes parties for Options.Parties. The parties must
// not change while the result is in use.
func PrepareParties(parties []vigil.Party) *Parties {
	return &Parties{newPartyFinder(parties), newNamePop(parties)}
}

func (o *Options) defaults() {
	if o.Before <= 0 {
		o.Before = 60 * time.Minute
	}
	if o.After <= 0 {
		o.After = 15 * time.Minute
	}
	if o.AfterEnd <= 0 {
		o.AfterEnd = 15 * time.Minute
	}
	if o.MinConfidence <= 0 {
		o.MinConfidence = 0.5
	}
	if o.MinMatched <= 0 {
		o.MinMatched = 2
	}
	if o.MinLift <= 0 {
		o.MinLift = 3
	}
	if o.Shifts <= 0 {
		o.Shifts = 28
	}
	if o.SeedThreshold <= 0 {
		o.SeedThreshold = graph.DefaultSeedThreshold
	}
	if o.MaxPairs <= 0 {
		o.MaxPairs = 500
	}
}

// Result is the outcome of a correlation.
type Result struct {
	Candidates []vigil.SeedCandidate // how each device owner was resolved
	Links      []vigil.HandleLink    // one per counterpart handle, by account then handle
	Model      string                // what was learnt from the devices and weighed (docs/correlate.md)
}

// payment is one payment to a device owner.
type payment struct {
	at     int64 // Unix seconds
	sender int32
	p      *graph.Payment
}

// session is one incoming call or video of a handle.
type session struct {
	at int64 // start, Unix seconds
	to int64 // the latest time a payment for it may come: the end plus AfterEnd, at least After past the start
	ev *vigil.CallEvent
}

// maxSessionS caps the duration that widens a session's window.
const maxSessionS = 3 * 3600

func newSession(e *vigil.CallEvent, opt *Options) session {
	at := e.Timestamp.Unix()
	to := at + int64(opt.After/time.Second)
	if e.DurationS > 0 {
		to = max(to, at+int64(min(e.DurationS, maxSessionS))+int64(opt.AfterEnd/time.Second))
	}
	return session{at, to, e}
}

// normHandle compares handles without case or a leading '@'.
func normHandle(h string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h), "@"))
}

// IsSession reports whether an event counts as a session: an incoming
// (or undirected) call or video.
func IsSession(e *vigil.CallEvent) bool {
	return e.Direction != vigil.DirectionOut && e.Kind != vigil.KindChat
}

// Correlate attributes the counterpart handles of each device owner named
// by a seed (its handle column names the account in the call log) to the
// payers of the beneficiaries the seed resolves to. When no seed names a
// handle and there is exactly one seed and one account, they are paired.
//
// parties (may be nil) are the domestic customers: a handle that is a
// payer's phone, the local part of the payer's e-mail or built from the
// payer's name is evidence too, weighed with the timing (docs/trace.md).
func Correlate(g *graph.Graph, parties []vigil.Party, events []vigil.CallEvent, seeds []vigil.Lead, opt Options) (*Result, error) {
	opt.defaults()
	accounts := map[string][]session{} // owner → sessions
	var accOrder []string
	for i := range events {
		e := &events[i]
		if err := e.Validate(); err != nil {
			return nil, err
		}
		a := normHandle(e.Account)
		if _, ok := accounts[a]; !ok {
			accOrder = append(accOrder, a)
			accounts[a] = nil
		}
		if IsSession(e) {
			accounts[a] = append(accounts[a], newSession(e, &opt))
		}
	}
	owners := map[string]*vigil.Lead{}
	for i := range seeds {
		if err := seeds[i].Validate(); err != nil {
			return nil, err
		}
		if h := normHandle(seeds[i].Handle); h != "" {
			if _, ok := accounts[h]; ok {
				owners[h] = &seeds[i]
			}
		}
	}
	if len(owners) == 0 {
		if len(seeds) == 1 && len(accOrder) == 1 && seeds[0].Handle == "" {
			owners[accOrder[0]] = &seeds[0]
		} else {
			return nil, vigil.Errorf(vigil.EINVALID, "no seed names a device owner in the call log: put the owner's handle in the seed's handle column (accounts in the calls: %s)", strings.Join(clipList(accOrder, 5), ", "))
		}
	}
	// The parties' index by id and their name counts need the parties
	// only: unless given made (Options.Parties), they are made on
	// another goroutine while the seeds are indexed and resolved, and
	// waited for by the first device that needs them.
	pc := make(chan *Parties, 1)
	if opt.Parties != nil {
		pc <- opt.Parties
	} else {
		go func() { pc <- PrepareParties(parties) }()
	}
	partiesOf := sync.OnceValue(func() *Parties { return <-pc })
	res := &Result{}
	slices.Sort(accOrder)
	var accs []string
	for _, acc := range accOrder {
		if _, ok := owners[acc]; ok {
			accs = append(accs, acc)
		}
	}
	// Each device's seed is resolved, confirmed by its call log and its
	// payments gathered on every core; the graph is only read. Then each
	// device learns what a buyer's handle looks like (share of its
	// sessions next to its payer's payments) and how often a handle seen
	// once is a paid session, in its own slot so that the output does not
	// depend on the scheduling.
	os := make([]*owner, len(accs))
	ls := make([]learner, len(accs))
	cands := make([][]vigil.SeedCandidate, len(accs))
	// One pass over the beneficiaries, on every core, indexes what the
	// owners' seeds carry (the graph need not index every recipient's
	// words).
	ownerSeeds := make([]vigil.Lead, len(accs))
	for i, acc := range accs {
		ownerSeeds[i] = *owners[acc]
	}
	six := g.SeedsIndexParallel(ownerSeeds)
	each(len(accs), func(i int) {
		acc := accs[i]
		cs := six.Resolve(owners[acc], opt.SeedThreshold, maxConfirm)
		confirmByCalls(g, cs, accounts[acc], opt)
		var bens []int32
		for j, c := range cs {
			if c.Picked {
				b, _ := g.BeneficiaryIndex(c.BeneficiaryID)
				bens = append(bens, b)
			}
			if j < 10 || c.Picked {
				cands[i] = append(cands[i], c)
			}
		}
		ps := partiesOf()
		os[i] = newOwner(g, ps.byID, ps.pop, acc, accounts[acc], bens, opt)
		os[i].learn(&ls[i])
	})
	for _, cs := range cands {
		res.Candidates = append(res.Candidates, cs...)
	}
	// Then every device is attributed with what was learnt from all.
	var l learner
	for i := range ls {
		l.merge(&ls[i])
	}
	m := l.fit()
	res.Model = m.Summary()
	links := make([][]vigil.HandleLink, len(os))
	each(len(os), func(i int) {
		os[i].m = m
		links[i] = os[i].run()
	})
	for _, ll := range links {
		res.Links = append(res.Links, ll...)
	}
	return res, nil
}

// partyFinder finds a party by id: by binary search when the parties
// come in increasing id order (as vigil synth and sorted exports write
// them), which spares a map of every party; else through a map, the last
// of several parties of one id winning.
type partyFinder struct {
	sorted []vigil.Party
	byID   map[string]*vigil.Party
}

func newPartyFinder(parties []vigil.Party) *partyFinder {
	sorted := true
	for i := 1; i < len(parties); i++ {
		if parties[i].ID <= parties[i-1].ID {
			sorted = false
			break
		}
	}
	if sorted {
		return &partyFinder{sorted: parties}
	}
	byID := make(map[string]*vigil.Party, len(parties))
	for i := range parties {
		byID[parties[i].ID] = &parties[i]
	}
	return &partyFinder{byID: byID}
}

func (f *partyFinder) find(id string) *vigil.Party {
	if f.byID != nil {
		return f.byID[id]
	}
	i := sort.Search(len(f.sorted), func(i int) bool { return f.sorted[i].ID >= id })
	if i == len(f.sorted) || f.sorted[i].ID != id {
		return nil
	}
	return &f.sorted[i]
}

// each calls f(0…n−1) on GOMAXPROCS goroutines.
func each(n int, f func(int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				f(i)
			}
		}()
	}
	wg.Wait()
}

func clipList(s []string, n int) []string {
	if len(s) > n {
		return append(slices.Clone(s[:n]), "…")
	}
	return s
}

// newOwner prepares one device owner: its payments, by payer, and its
// sessions, by handle.
func newOwner(g *graph.Graph, parties *partyFinder, pop *namePop, account string, sessions []session, bens []int32, opt Options) *owner {
	var pays []payment
	for _, b := range bens {
		for _, ei := range g.BeneficiaryEdges(b) {
			e := &g.Edges[ei]
			ps := g.Payments(e)
			for i := range ps {
				pays = append(pays, payment{ps[i].At, e.Sender, &ps[i]})
			}
		}
	}
	sort.Slice(pays, func(i, j int) bool { return pays[i].at < pays[j].at })
	bySender := map[int32][]payment{}
	for _, p := range pays {
		bySender[p.sender] = append(bySender[p.sender], p)
	}
	byHandle := map[string][]session{}
	var handles []string
	for _, s := range sessions {
		h := s.ev.Counterpart
		if _, ok := byHandle[h]; !ok {
			handles = append(handles, h)
		}
		byHandle[h] = append(byHandle[h], s)
	}
	slices.Sort(handles)
	for _, h := range handles {
		slices.SortFunc(byHandle[h], func(a, b session) int { return int(a.at - b.at) })
	}
	all := slices.Clone(sessions)
	slices.SortFunc(all, func(a, b session) int { return int(a.at - b.at) })
	c := &owner{g: g, account: account, pays: pays, sessions: all, bySender: bySender, tests: len(bySender) * len(handles),
		handles: len(handles), nPayers: len(bySender), ids: map[int32]*payerID{}, idents: map[string]map[int32]identity{}, relative: map[int32]bool{}, opt: opt,
		byHandle: byHandle, handleList: handles, m: defaultModel, pop: pop}
	for s := range bySender {
		if p := parties.find(g.Senders[s].ID); p != nil {
			c.ids[s] = newPayerID(p, pop)
		}
		rel := true
		for _, e := range g.SenderEdges(s) {
			if slices.Contains(bens, e.Beneficiary) && e.Tie != graph.TieRelative {
				rel = false
			}
		}
		c.relative[s] = rel
	}
	return c
}

// run attributes the owner's handles. A payment pays for one session:
// after a first pass, the payments paired with a handle that was
// attributed are withheld from every other handle, whose evidence is then
// weighed again without them.
func (c *owner) run() []vigil.HandleLink {
	g, handles, byHandle := c.g, c.handleList, c.byHandle
	out := make([]vigil.HandleLink, len(handles))
	usedBy := map[*graph.Payment]string{}
	holds := make([][]*graph.Payment, len(handles))
	for i, h := range handles {
		out[i], holds[i] = c.attribute(h, byHandle[h], nil)
		for _, p := range holds[i] {
			usedBy[p] = h
		}
	}
	if len(usedBy) == 0 {
		c.singlePass(out, holds, usedBy)
		return out
	}
	// Weigh every handle again, each time setting aside the payments the
	// other handles hold now, so that at the end no payment is paired
	// with two attributed handles.
	for i, h := range handles {
		if out[i].Candidate == "" {
			continue
		}
		for _, p := range holds[i] {
			delete(usedBy, p)
		}
		out[i], holds[i] = c.attribute(h, byHandle[h], func(p *graph.Payment) bool {
			_, ok := usedBy[p]
			return ok
		})
		for _, p := range holds[i] {
			usedBy[p] = h
		}
	}
	// A payer tied to a handle of this device is a known buyer of its
	// sessions. An unattributed handle all of whose sessions follow (or
	// are followed by) that buyer's payments not already paired with his
	// other handles is weighed again with a prior over the known buyers
	// instead of over every payer: buyers often use several handles.
	c.known = map[int32]bool{}
	for i := range out {
		if out[i].PartyID != nil {
			s, _ := g.SenderIndex(*out[i].PartyID)
			c.known[s] = true
		}
	}
	if len(c.known) > 0 {
		c.knownPass(out, holds, usedBy)
	}
	c.singlePass(out, holds, usedBy)
	return out
}

// knownPass weighs again, with a prior over the known buyers, every
// unattributed handle with a payer near its sessions.
func (c *owner) knownPass(out []vigil.HandleLink, holds [][]*graph.Payment, usedBy map[*graph.Payment]string) {
	handles, byHandle := c.handleList, c.byHandle
	for i, h := range handles {
		if out[i].PartyID != nil || out[i].Candidate == "" {
			continue // attributed, or no payer near its sessions at all
		}
		link, held := c.attribute(h, byHandle[h], func(p *graph.Payment) bool {
			_, ok := usedBy[p]
			return ok
		})
		if link.PartyID == nil {
			continue
		}
		out[i], holds[i] = link, held
		for _, p := range held {
			usedBy[p] = h
		}
	}
}

// owner is the state of one device owner's correlation.
type owner struct {
	g        *graph.Graph
	account  string
	pays     []payment // all payments to the owner, in time order
	sessions []session // all sessions of the owner, in time order
	bySender map[int32][]payment
	tests    int // payers × handles, for the Bonferroni correction
	handles  int
	nPayers  int
	ids      map[int32]*payerID            // identity of each payer known as a party
	idents   map[string]map[int32]identity // payers each handle names (identities)
	payerIx  *payerIndex                   // the payers' phones, e-mails and name words
	relative map[int32]bool                // payers whose every payment to the owner is family support
	known    map[int32]bool                // payers attributed a handle, in the last pass only
	opt      Options

	byHandle   map[string][]session // sessions of each handle, in time order
	handleList []string             // handles, sorted
	m          *model               // what was learnt from all devices
	pop        *namePop             // name parts of the parties, may be nil
}

// attribute weighs one handle's sessions against every payer whose
// payments fall near them, skipping payments for which withheld is true.
// It returns the link and, when attributed, the payments it paired.
func (c *owner) attribute(h string, ss []session, withheld func(*graph.Payment) bool) (vigil.HandleLink, []*graph.Payment) {
	g, opt := c.g, c.opt
	before := int64(opt.Before / time.Second)
	link := vigil.HandleLink{Account: c.account, Handle: h, Sessions: len(ss), Pairs: []vigil.Pairing{}, PValue: 1}
	cands := map[int32]bool{}
	for _, s := range ss {
		i := sort.Search(len(c.pays), func(i int) bool { return c.pays[i].at >= s.at-before })
		for ; i < len(c.pays) && c.pays[i].at <= s.to; i++ {
			if withheld == nil || !withheld(c.pays[i].p) {
				cands[c.pays[i].sender] = true
			}
		}
	}
	ident := c.identities(h)
	for s := range ident {
		cands[s] = true
	}
	type scored struct {
		s          int32
		k          int
		pairs      [][2]int // session index, payment index in ps
		ps         []payment
		p, mu, phi float64
		nh         int
		id         identity
		bf, odds   float64
		known      bool
		kf         float64 // pairs less their contested shares
		contested  int     // pairs whose payment other handles' sessions could claim
	}
	var sc []*scored
	var sum float64
	for s := range cands {
		ps := c.bySender[s]
		if withheld != nil {
			var kept []payment
			for _, p := range ps {
				if !withheld(p.p) {
					kept = append(kept, p)
				}
			}
			ps = kept
		}
		times := make([]int64, len(ps))
		for i := range ps {
			times[i] = ps[i].at
		}
		pairs := pair(ss, times, 0, before)
		x := &scored{s: s, k: len(pairs), pairs: pairs, ps: ps, p: 1, id: ident[s]}
		// A payment with sessions of other handles in its window may
		// have paid for one of those: each pair counts as 1/(handles
		// whose sessions the payment could have paid for).
		x.kf = float64(x.k)
		for _, pr := range pairs {
			if n := c.contenders(h, ps[pr[1]].at, before); n > 0 {
				x.kf -= float64(n) / float64(n+1)
				x.contested++
			}
		}
		x.id.lr = math.Max(x.id.lr, 1)
		if x.k == 0 && x.id.lr < LREmail {
			// A name in a handle is common enough to need at least one
			// session paired with the payer's payments; a phone or an
			// e-mail address stands alone.
			x.id.lr = 1
		}
		// Posterior odds that the handle is this payer's: prior odds of
		// 1:1 that it is some payer's, shared evenly among the owner's
		// payers, times the timing evidence (a Bayes factor), times the
		// identity evidence. Timing alone must pass the gates: at least
		// MinMatched pairs and MinLift times the pairs chance gives.
		timing := 1.0
		// A known buyer whose payments pair with every session of the
		// handle passes the gate with fewer pairs — from two sessions
		// on: one session near one of his payments is a single
		// coincidence, and one-session handles are weighed by the
		// one-session rule, with its gates and its bar (single.go).
		x.known = c.known[s] && len(ss) >= 2 && x.k == len(ss) && x.contested == 0
		enough := x.kf >= float64(opt.MinMatched)-1e-9
		if len(times) > 0 && (enough || x.id.lr > 1 || x.known) {
			// One session near a payment, and nothing else: the learnt
			// share (≈ 0.9) would nearly double the factor of a single
			// coincidence, so the fixed prior (at most 1/(2q)) is kept
			// (docs/correlate.md, section 2).
			md := c.m
			if len(ss) == 1 && x.id.lr == 1 {
				md = defaultModel
			}
			x.p, x.mu, x.nh, x.phi, timing = tail(ss, times, x.kf, before, opt.Shifts, md)
		}
		lift := x.kf / math.Max(x.mu, 1e-9)
		if x.id.lr == 1 && ((!enough && !x.known) || lift < opt.MinLift) {
			timing = 0
		}
		x.bf = timing
		x.odds = timing * x.id.lr / float64(max(c.nPayers, 1))
		if len(ss) == 1 && x.id.lr == 1 && c.m.single >= 0 {
			// One session and nothing else: the prior that such a
			// handle is a paid session at all is measured (model.go),
			// well below the 1:1 of a handle in general.
			x.odds *= c.m.singleOdds()
		}
		sum += x.odds
		sc = append(sc, x)
	}
	// Strongest evidence first.
	slices.SortFunc(sc, func(a, b *scored) int {
		if a.odds != b.odds {
			if a.odds > b.odds {
				return -1
			}
			return 1
		}
		if a.k != b.k {
			return b.k - a.k
		}
		return strings.Compare(g.Senders[a.s].ID, g.Senders[b.s].ID)
	})
	if len(sc) == 0 {
		link.Reason = fmt.Sprintf("none of the %d session(s) has a payment to the owner from %s before its start to %s after its end, and the handle names no payer", len(ss), opt.Before, opt.AfterEnd)
		if withheld != nil {
			link.Reason += " once payments already paired with other handles are set aside"
		}
		return link, nil
	}
	best := sc[0]
	k2 := 0
	if len(sc) > 1 {
		k2 = sc[1].k
		link.RunnerUp, link.RunnerUpK = g.Senders[sc[1].s].ID, k2
	}
	// p corrected over every (handle, payer) pair, as reported.
	pAdj := math.Min(1, best.p*float64(c.tests))
	conf := best.odds / (1 + sum)
	bestID := g.Senders[best.s].ID
	link.Candidate, link.Matched, link.Expected, link.PValue = bestID, best.k, round6(best.mu), sigfig(pAdj)
	link.Confidence = round6(conf)
	link.Identity = best.id.why
	var lags []int64
	var used []*graph.Payment
	for _, pr := range best.pairs {
		s, p := ss[pr[0]], best.ps[pr[1]]
		lag := s.at - p.at
		lags = append(lags, lag)
		used = append(used, p.p)
		if len(link.Pairs) < opt.MaxPairs {
			link.Pairs = append(link.Pairs, vigil.Pairing{
				EventID: s.ev.ID, TransferID: g.TransferID(p.p), EventAt: s.ev.Timestamp, PaidAt: p.p.Time(),
				LagS: lag, Amount: p.p.Amount, Currency: g.CurrencyOf(p.p),
			})
		}
	}
	slices.Sort(lags)
	preceded := 0
	for _, l := range lags {
		if l >= 0 {
			preceded++
		}
	}
	med := time.Duration(0)
	if len(lags) > 0 {
		med = time.Duration(lags[len(lags)/2]) * time.Second
	}
	link.Reason = fmt.Sprintf("%d of %d session(s) paired with a payment of %s (%d preceded by it, median lag %s); %.2f expected by chance (day-shifted null over %d session(s) in the overlap, overdispersion %.2f); p = %.2g after Bonferroni over %d payer×handle test(s); timing Bayes factor %.3g, prior 1:%d over the owner's payers; runner-up %d pair(s)",
		best.k, len(ss), bestID, preceded, med, best.mu, best.nh, best.phi, pAdj, c.tests, best.bf, c.nPayers, k2)
	if best.contested > 0 {
		link.Reason += fmt.Sprintf("; %d pair(s) contested: another handle's session is also in the payment's window (counted as %.2f pairs in all)", best.contested, best.kf)
	}
	if withheld != nil {
		link.Reason += "; payments already paired with other attributed handles set aside"
	}
	if best.id.why != "" {
		link.Reason += "; identity: " + best.id.why
	}
	switch {
	case conf >= opt.MinConfidence && c.relative[best.s]:
		link.Reason = "unattributed: " + bestID + " sends the owner family support (a relative), not payments for sessions; " + link.Reason
	case conf >= opt.MinConfidence:
		id := bestID
		link.PartyID = &id
		return link, used
	case best.id.lr == 1 && best.kf < float64(opt.MinMatched)-1e-9:
		link.Reason = "unattributed: fewer than " + fmt.Sprint(opt.MinMatched) + " paired sessions (contested pairs counted in part); " + link.Reason
	case best.id.lr == 1 && best.kf < opt.MinLift*best.mu:
		link.Reason = fmt.Sprintf("unattributed: pairs only %.1f× what chance gives (at least %.0f× needed); ", best.kf/math.Max(best.mu, 1e-9), opt.MinLift) + link.Reason
	default:
		link.Reason = "unattributed: confidence below " + fmt.Sprint(opt.MinConfidence) + "; " + link.Reason
	}
	return link, nil
}

// identities returns the payers a handle names (identity evidence above
// 1), compared once per handle: the comparison does not depend on the
// payments set aside, and a handle is weighed in up to four passes. Only
// the payers the handle can name are compared (payerIndex).
func (c *owner) identities(h string) map[int32]identity {
	if ident, ok := c.idents[h]; ok {
		return ident
	}
	if c.payerIx == nil {
		c.payerIx = newPayerIndex(c.ids)
	}
	var ident map[int32]identity
	hf := newHandleForms(h)
	c.payerIx.each(&hf, func(s int32) {
		if _, done := ident[s]; done {
			return
		}
		if id := c.ids[s].linkForms(&hf); id.lr > 1 {
			if ident == nil {
				ident = map[int32]identity{}
			}
			ident[s] = id
		}
	})
	c.idents[h] = ident
	return ident
}

// contenders counts the handles other than h with a session whose window
// holds a payment at t: from before seconds before its start to its end.
func (c *owner) contenders(h string, t, before int64) int {
	reach := int64(maxSessionS) + int64((c.opt.After+c.opt.AfterEnd)/time.Second) // longest window past a start
	i := sort.Search(len(c.sessions), func(i int) bool { return c.sessions[i].at >= t-reach })
	var seen []string
	for ; i < len(c.sessions) && c.sessions[i].at <= t+before; i++ {
		s := &c.sessions[i]
		o := s.ev.Counterpart
		if o == h || t < s.at-before || t > s.to || slices.Contains(seen, o) {
			continue
		}
		seen = append(seen, o)
	}
	return len(seen)
}

// pair pairs sessions with payments (times sorted) one to one, greedily in
// session order: each session takes the nearest unused payment at most
// before seconds before its start (preferred) or up to its window's end
// (session.to). shift
// is added to every payment time (the null model). It returns (session,
// payment) index pairs.
func pair(ss []session, times []int64, shift, before int64) [][2]int {
	var pairs [][2]int
	used := -1 // payments up to this index are spent (time order)
	for si, s := range ss {
		lo := sort.Search(len(times), func(i int) bool { return times[i]+shift >= s.at-before })
		if lo <= used {
			lo = used + 1
		}
		bestJ, bestD := -1, int64(math.MaxInt64)
		for j := lo; j < len(times) && times[j]+shift <= s.to; j++ {
			d := s.at - (times[j] + shift)
			if d < 0 {
				d = -d * 4 // a payment after the session start is the weaker pattern
			}
			if d < bestD {
				bestJ, bestD = j, d
			}
		}
		if bestJ >= 0 {
			pairs = append(pairs, [2]int{si, bestJ})
			used = bestJ
		}
	}
	return pairs
}

// tail returns the chance of k or more pairs between the sessions and the
// payer's payments if the payer's payments carried no information about
// the sessions: a binomial tail over the n sessions in the span where both
// are active, with the per-session chance q estimated as the largest of
// (a) the Poisson rate of the payer's payments over that span, and
// (b) the mean pairs per session when the payments are shifted by whole
// days (±1…±shifts), which keeps time-of-day and weekday habits — both
// sides being active late at night is not evidence. When the shifted
// counts vary more than a binomial would (habits make coincidences come in
// runs), the test is made quasi-binomial: n and k are divided by the
// overdispersion φ = variance / binomial variance (at least 1). It returns
// p, the expected pairs n·q, n and φ.
func tail(ss []session, times []int64, k float64, before int64, shifts int, md *model) (p, mu float64, n int, phi, bf float64) {
	var w int64 // the mean window of a session
	for _, s := range ss {
		w += before + s.to - s.at
	}
	w /= int64(len(ss))
	lo := max(ss[0].at, times[0]) - w
	hi := min(ss[len(ss)-1].at, times[len(times)-1]) + w
	for _, s := range ss {
		if s.at >= lo && s.at <= hi {
			n++
		}
	}
	m := 0
	for _, t := range times {
		if t >= lo && t <= hi {
			m++
		}
	}
	if n == 0 {
		n = len(ss)
	}
	span := float64(max(hi-lo, 86400))
	if n < 3 {
		// One or two sessions make an overlap of a day or so that holds
		// the paired payment itself: take the payer's rate over all his
		// payments to the owner instead.
		m, span = len(times), float64(max(times[len(times)-1]-times[0], 86400))
	}
	q := 1 - math.Exp(-float64(m)*float64(w)/span)
	var sum, sum2 float64
	for d := 1; d <= shifts; d++ {
		for _, sg := range []int64{1, -1} {
			c := float64(len(pair(ss, times, sg*int64(d)*86400, before)))
			sum += c
			sum2 += c * c
		}
	}
	draws := float64(2 * shifts)
	mean := sum / draws
	// Shifted payments stay within about the same overlap, so the rate is
	// per session of the overlap.
	qs := math.Min(1, mean/float64(n))
	// Floor: with 2·shifts draws a rate below one pair in all draws
	// cannot be told from zero.
	qs = math.Max(qs, 1/(draws*float64(n)))
	q = math.Min(1, math.Max(q, qs))
	phi = 1
	if bv := mean * (1 - qs); bv > 0 {
		v := (sum2 - draws*mean*mean) / (draws - 1)
		phi = math.Max(1, v/bv)
	}
	ne := max(1, int(math.Round(float64(n)/phi)))
	ke := min(ne, int(math.Round(k/phi)))
	kf := math.Min(k, float64(n)) / phi
	return binomialTail(ne, ke, q), float64(n) * q, n, round6(phi), bayesFactor(md, float64(len(ss))/phi, float64(n)/phi, kf, q)
}

// MinPaidShare is the least share of a buyer's sessions that follow his
// payments under the "handle is the payer's" explanation when too few
// handles were attributed to learn the share (model.go): a customer who
// pays the owner through this provider pays for a real part of his
// sessions, so a busy handle with a pair now and then is more likely
// someone else's sessions falling near a payer's payments.
const MinPaidShare = 0.25

// bayesFactor compares two explanations of k paired sessions among the
// handle's n sessions, of which nOver fall in the span where the payer
// pays: the handle is the payer's, and a share ρ of all its sessions
// follows a payment, ρ unknown (marginal likelihood under the model's
// prior of ρ: the Beta learnt from the devices, or without it the smaller
// of B(k+1, n−k+1), ρ uniform on [0,1], and ∫ ρ^k (1−ρ)^(n−k) dρ /
// (1 − MinPaidShare), ρ uniform on [MinPaidShare, 1]); or the pairs are
// chance, each session of the span paired with probability q (likelihood
// q^k (1−q)^(nOver−k)). Unlike a p-value it counts the sessions that were
// not paired — in the span or outside it — against the payer.
func bayesFactor(m *model, n, nOver, k, q float64) float64 {
	if q <= 0 {
		q = 1e-9
	}
	if q >= 1 {
		return 1
	}
	return math.Exp(m.logMarginal(n, k) - k*math.Log(q) - math.Max(0, nOver-k)*math.Log1p(-q))
}

// logPaidMarginal is log ∫ ρ^k (1−ρ)^(n−k) dρ / (1 − MinPaidShare) over
// [MinPaidShare, 1], by the midpoint rule on 512 steps (the integrand is
// smooth there; k and n may be fractional).
func logPaidMarginal(n, k float64) float64 {
	const steps = 512
	lo, h := MinPaidShare, (1-MinPaidShare)/steps
	u := n - k
	logf := func(r float64) float64 { return k*math.Log(r) + u*math.Log1p(-r) }
	peak := math.Inf(-1)
	for i := 0; i < steps; i++ {
		peak = math.Max(peak, logf(lo+(float64(i)+0.5)*h))
	}
	var sum float64
	for i := 0; i < steps; i++ {
		sum += math.Exp(logf(lo+(float64(i)+0.5)*h) - peak)
	}
	return peak + math.Log(sum*h/(1-MinPaidShare))
}

// binomialTail is P(X ≥ k) for X ~ Binomial(n, q).
func binomialTail(n, k int, q float64) float64 {
	if k <= 0 {
		return 1
	}
	if k > n {
		return 0
	}
	if q <= 0 {
		return 0
	}
	if q >= 1 {
		return 1
	}
	lq, l1q := math.Log(q), math.Log1p(-q)
	lgn, _ := math.Lgamma(float64(n + 1))
	var s float64
	for i := k; i <= n; i++ {
		a, _ := math.Lgamma(float64(i + 1))
		b, _ := math.Lgamma(float64(n - i + 1))
		t := math.Exp(lgn - a - b + float64(i)*lq + float64(n-i)*l1q)
		s += t
		if t < s*1e-16 {
			break
		}
	}
	return math.Min(1, s)
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// sigfig keeps three significant figures, so that tiny p-values survive.
func sigfig(x float64) float64 {
	if x == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 3, 64), 64)
	return v
}
