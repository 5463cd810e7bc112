package graph

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vigilfiu/vigil"
)

// TraceOptions configure Trace. Zero values take the defaults.
type TraceOptions struct {
	Restart        float64 // restart probability α of the walk; default 0.25
	SeedThreshold  float64 // seed candidates at or above are picked; default DefaultSeedThreshold
	MaxCandidates  int     // unpicked candidates listed per seed, with every picked one; default 10
	Iterations     int     // power iterations at most; default 60
	Limit          int     // ranked parties returned at most; 0 = all reached
	MaxTransferIDs int     // transfer ids listed per edge; default 200
}

func (o *TraceOptions) defaults() {
	if o.Restart <= 0 || o.Restart >= 1 {
		o.Restart = 0.25
	}
	if o.SeedThreshold <= 0 {
		o.SeedThreshold = DefaultSeedThreshold
	}
	if o.MaxCandidates <= 0 {
		o.MaxCandidates = 10
	}
	if o.Iterations <= 0 {
		o.Iterations = 60
	}
	if o.MaxTransferIDs <= 0 {
		o.MaxTransferIDs = 200
	}
}

// TraceResult is the outcome of a trace.
type TraceResult struct {
	Candidates []vigil.SeedCandidate // every candidate of every seed, picked or not
	Parties    []vigil.TracedParty   // ranked domestic senders
	// SeedBeneficiaries are the picked beneficiaries' nodes.
	SeedBeneficiaries []int32
	// PPR is the walk's mass per sender node and per beneficiary node.
	SenderPPR, BeneficiaryPPR []float64
}

// MinSharedTypology is the typology share both payments to a shared
// recipient need for a second-degree link: at least a third of the small,
// round and late-night features on each side.
const MinSharedTypology = 1.0 / 3

// Relations of a traced party to the seeds.
const (
	RelationDirect   = "direct_payer"
	RelationSecond   = "second_degree"
	RelationRelative = "relative"
)

// Trace resolves each seed to beneficiaries and ranks the domestic senders
// tied to them: first the seeds' own payers, then second-degree senders
// who pay the same other recipients as those payers, then payers of a seed
// whose every payment to it looks like family support (relatives). Within
// each group, parties are ordered by personalised PageRank from the picked
// beneficiaries over the typology-weighted edges (docs/trace.md).
func (g *Graph) Trace(seeds []vigil.Lead, opt TraceOptions) (*TraceResult, error) {
	opt.defaults()
	res := &TraceResult{}
	nB, nS := len(g.Beneficiaries), len(g.Senders)
	restart := make([]float64, nB)
	seedOf := map[int32][]string{}
	// Edge weights of this trace: the graph's, with the edges into picked
	// beneficiaries scaled by the share of their payments that belong to
	// the seed (identity.go).
	w := make([]float32, len(g.Edges))
	parallel(len(g.Edges), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			w[i] = g.Edges[i].Weight
		}
	})
	idFacts := map[int32]string{} // edge → identity fact
	factor := map[int32]float64{} // edge → largest share over the seeds
	var perSeed [][]seedPick
	famTimed := map[int32]bool{}        // edges of payers sending a seed the family's money
	senderFacts := map[int32][]string{} // sender → namesake facts
	for i := range seeds {
		if err := seeds[i].Validate(); err != nil {
			return nil, err
		}
	}
	// Each seed is resolved and weighed on its own (seedWork), the seeds
	// shared out to both cores; the outcomes are then merged in seed
	// order, as one loop over the seeds would have made them.
	ix := g.seedIndexFor(seeds)
	outs := make([]seedOutcome, len(seeds))
	forEachSeed(len(seeds), func(i int) { outs[i] = g.seedWork(ix, &seeds[i], opt) })
	for i := range outs {
		o := &outs[i]
		res.Candidates = append(res.Candidates, o.cands...)
		for _, c := range o.cands {
			if !c.Picked {
				continue
			}
			b, _ := g.BeneficiaryIndex(c.BeneficiaryID)
			if !slices.Contains(seedOf[b], c.SeedID) {
				seedOf[b] = append(seedOf[b], c.SeedID)
			}
		}
		perSeed = append(perSeed, o.picks)
		for _, ei := range o.timed {
			famTimed[ei] = true
		}
		for s, fs := range o.facts { // each sender's facts in seed order
			senderFacts[s] = append(senderFacts[s], fs...)
		}
		for _, sh := range o.shares {
			if old, ok := factor[sh.edge]; !ok || sh.f > old {
				factor[sh.edge] = sh.f
				if sh.identified {
					idFacts[sh.edge] = sh.n.fact(g.Beneficiaries[sh.ben].ID, sh.f)
				}
			}
		}
	}
	ws, wb := slices.Clone(g.ws), slices.Clone(g.wb)
	// In edge order, so that the sums, and so the scores, are the same
	// on every run.
	for _, ei := range slices.Sorted(maps.Keys(factor)) {
		f := factor[ei]
		e := &g.Edges[ei]
		d := float64(e.Weight) * (f - 1)
		w[ei] = float32(float64(e.Weight) * f)
		ws[e.Sender] = max(0, ws[e.Sender]+d)
		wb[e.Beneficiary] = max(0, wb[e.Beneficiary]+d)
	}
	// Restart mass: each seed gets an equal share, spread over its picked
	// beneficiaries by score × the weight of the seed's payments to them,
	// so that a payer's first step is his own suspicious weight to the
	// seed, not the size of a spelling variant he alone pays.
	var total float64
	for _, ps := range perSeed {
		var sum float64
		for _, p := range ps {
			sum += p.score * wb[p.b]
		}
		for _, p := range ps {
			if restart[p.b] == 0 && !slices.Contains(res.SeedBeneficiaries, p.b) {
				res.SeedBeneficiaries = append(res.SeedBeneficiaries, p.b)
			}
			m := p.score / float64(len(ps))
			if sum > 0 {
				m = p.score * wb[p.b] / sum
			}
			restart[p.b] += m
			total += m
		}
	}
	if total == 0 {
		return res, nil
	}
	for i := range restart {
		restart[i] /= total
	}
	x, y := g.pprWeighted(restart, opt.Restart, w, ws, wb)
	res.SenderPPR, res.BeneficiaryPPR = y, x

	// Degrees.
	const (
		none = iota
		direct
		relative
		second
	)
	rel := make([]uint8, nS)
	for _, b := range res.SeedBeneficiaries {
		for _, ei := range g.BeneficiaryEdges(b) {
			e := &g.Edges[ei]
			if w[ei] == 0 {
				continue // none of these payments is the seed's
			}
			// Payments of which none is small, round or late at night
			// are the family's way, not the buyers': ranked with the
			// relatives, after the second degree; so are payments sent
			// with the payer's family money (familyTimedPayers).
			if e.Tie == TieRelative || e.Typology == 0 || famTimed[ei] {
				if rel[e.Sender] == none {
					rel[e.Sender] = relative
				}
			} else {
				rel[e.Sender] = direct
			}
		}
	}
	isSeed := make([]bool, nB)
	for _, b := range res.SeedBeneficiaries {
		isSeed[b] = true
	}
	// For second-degree senders keep the strongest route through a direct
	// payer: mass of the payer × its share to the shared recipient × the
	// sender's share of that recipient.
	type route struct {
		via, ben int32
		flow     float64
	}
	best := map[int32]route{}
	for s := int32(0); s < int32(nS); s++ {
		if rel[s] != direct {
			continue
		}
		for i := range g.SenderEdges(s) {
			e1 := &g.SenderEdges(s)[i]
			w1 := w[g.senderStart[s]+int32(i)]
			if isSeed[e1.Beneficiary] || w1 == 0 {
				continue
			}
			if e1.Tie != TieNone || e1.Typology < MinSharedTypology {
				continue // a shared charity, family or shop is no link
			}
			out := y[s] * float64(w1) / ws[s]
			for _, ei := range g.BeneficiaryEdges(e1.Beneficiary) {
				e2 := &g.Edges[ei]
				if rel[e2.Sender] == direct || rel[e2.Sender] == relative || e2.Tie != TieNone || e2.Typology < MinSharedTypology {
					continue
				}
				f := out * float64(w[ei]) / wb[e2.Beneficiary]
				if r, ok := best[e2.Sender]; !ok || f > r.flow {
					best[e2.Sender] = route{s, e1.Beneficiary, f}
				}
				rel[e2.Sender] = second
			}
		}
	}

	type cand struct {
		s    int32
		tier int
	}
	var cands []cand
	for s := range rel {
		switch rel[s] {
		case direct:
			cands = append(cands, cand{int32(s), 0})
		case second:
			cands = append(cands, cand{int32(s), 1})
		case relative:
			cands = append(cands, cand{int32(s), 2})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if a.tier != b.tier {
			return a.tier - b.tier
		}
		if y[a.s] != y[b.s] {
			if y[a.s] > y[b.s] {
				return -1
			}
			return 1
		}
		return strings.Compare(g.Senders[a.s].ID, g.Senders[b.s].ID)
	})
	if opt.Limit > 0 && len(cands) > opt.Limit {
		cands = cands[:opt.Limit]
	}
	top := 0.0
	for _, c := range cands {
		top = math.Max(top, y[c.s])
	}
	payersOf := map[int32][]string{}
	directPayers := func(b int32, except int32) []string {
		ids, ok := payersOf[b]
		if !ok {
			for _, ei := range g.BeneficiaryEdges(b) {
				if s := g.Edges[ei].Sender; rel[s] == direct {
					ids = append(ids, g.Senders[s].ID)
				}
			}
			slices.Sort(ids)
			payersOf[b] = ids
		}
		if except < 0 {
			return ids
		}
		if i, found := slices.BinarySearch(ids, g.Senders[except].ID); found {
			return slices.Delete(slices.Clone(ids), i, i+1)
		}
		return ids
	}
	for i, c := range cands {
		s := c.s
		tp := vigil.TracedParty{PartyID: g.Senders[s].ID, Name: g.Senders[s].Name, Rank: i + 1}
		if top > 0 {
			tp.Score = round6(y[s] / top)
		}
		ev := &tp.Evidence
		ev.PPR = y[s]
		switch c.tier {
		case 0, 2:
			tp.Degree = 1
			ev.Relation = RelationDirect
			if c.tier == 2 {
				ev.Relation = RelationRelative
			}
			var strongest *Edge
			var strongestW float32
			for j := range g.SenderEdges(s) {
				e := &g.SenderEdges(s)[j]
				if !isSeed[e.Beneficiary] {
					continue
				}
				if ew := w[g.senderStart[s]+int32(j)]; strongest == nil || ew > strongestW {
					strongest, strongestW = e, ew
				}
				for _, id := range seedOf[e.Beneficiary] {
					if !slices.Contains(ev.Seeds, id) {
						ev.Seeds = append(ev.Seeds, id)
					}
				}
				te := g.edgeEvidence(e, strings.Join(seedOf[e.Beneficiary], ","), opt.MaxTransferIDs)
				ev.Edges = append(ev.Edges, te)
				ev.Facts = append(ev.Facts, g.edgeFact(e, te))
				if f, ok := idFacts[g.senderStart[s]+int32(j)]; ok {
					ev.Facts = append(ev.Facts, f)
				}
				switch e.Tie {
				case TieRelative:
					ev.Facts = append(ev.Facts, fmt.Sprintf("shares the surname %q with %s and pays it like family support (median gap %.0f days, %.0f%% small/round/late features): treated as a relative, weight ×%.2f",
						strings.Join(g.Senders[s].Surname, " "), te.BeneficiaryName, e.MedianGapDays, 100*e.Typology, RelativeDiscount))
				case TieSurname:
					ev.Facts = append(ev.Facts, fmt.Sprintf("shares the surname %q with %s but the payments do not look like family support: weight ×%.2f",
						strings.Join(g.Senders[s].Surname, " "), te.BeneficiaryName, SurnameDiscount))
				case TieFamilyLike:
					ev.Facts = append(ev.Facts, fmt.Sprintf("pays %s on a payday rhythm without typology features: weight ×%.2f", te.BeneficiaryName, FamilyLikeDiscount))
				}
				if c.tier == 2 && e.Tie != TieRelative && e.Typology == 0 {
					ev.Facts = append(ev.Facts, fmt.Sprintf("none of his %d payment(s) to %s is small, round or late at night: ranked with the relatives", e.Count, te.BeneficiaryName))
				}
			}
			ev.Facts = append(ev.Facts, senderFacts[s]...)
			tp.Path = []string{firstSeed(seedOf[strongest.Beneficiary]), g.Beneficiaries[strongest.Beneficiary].ID, tp.PartyID}
			// Other recipients this payer shares with other payers of the seeds.
			shared := 0
			for j := range g.SenderEdges(s) {
				e := &g.SenderEdges(s)[j]
				if isSeed[e.Beneficiary] || shared == 5 {
					continue
				}
				if others := directPayers(e.Beneficiary, s); len(others) > 0 {
					te := g.edgeEvidence(e, "", opt.MaxTransferIDs)
					ev.Edges = append(ev.Edges, te)
					ev.Facts = append(ev.Facts, fmt.Sprintf("also pays %s (%s), who is paid by %d other payer(s) of the seeds: %s",
						te.BeneficiaryName, te.BeneficiaryID, len(others), clip(others, 5)))
					shared++
				}
			}
		case 1:
			tp.Degree = 2
			ev.Relation = RelationSecond
			r := best[s]
			via := g.Senders[r.via].ID
			var seedB int32 = -1
			for j := range g.SenderEdges(r.via) {
				e := &g.SenderEdges(r.via)[j]
				if isSeed[e.Beneficiary] && (seedB < 0 || e.Weight > g.edgeWeight(r.via, seedB)) {
					seedB = e.Beneficiary
				}
			}
			ev.Seeds = slices.Clone(seedOf[seedB])
			tp.Path = []string{firstSeed(seedOf[seedB]), g.Beneficiaries[seedB].ID, via, g.Beneficiaries[r.ben].ID, tp.PartyID}
			n := 0
			for j := range g.SenderEdges(s) {
				e := &g.SenderEdges(s)[j]
				others := directPayers(e.Beneficiary, -1)
				if len(others) == 0 || n == 5 {
					continue
				}
				n++
				te := g.edgeEvidence(e, "", opt.MaxTransferIDs)
				ev.Edges = append(ev.Edges, te)
				for _, o := range others {
					if !slices.Contains(ev.Via, o) && len(ev.Via) < 20 {
						ev.Via = append(ev.Via, o)
					}
				}
				ev.Facts = append(ev.Facts, g.edgeFact(e, te))
				ev.Facts = append(ev.Facts, fmt.Sprintf("%s is also paid by %d direct payer(s) of the seeds: %s", te.BeneficiaryName, len(others), clip(others, 5)))
			}
		}
		res.Parties = append(res.Parties, tp)
	}
	return res, nil
}

// seedPick is a picked beneficiary of a seed with its candidate score.
type seedPick struct {
	b     int32
	score float64
}

// seedShare is the share of an edge's payments that belong to one seed
// (identity.go), with what the identity fact says when it is made from
// the seed's identity.
type seedShare struct {
	edge, ben  int32
	f          float64
	n          identityCounts
	identified bool
}

// seedOutcome is what one seed contributes to a trace: its candidates,
// its picks, the namesake facts per sender and the share of each edge
// into its picks, in the order the edges were weighed.
type seedOutcome struct {
	cands  []vigil.SeedCandidate
	picks  []seedPick
	facts  map[int32][]string
	shares []seedShare
	// timed holds the edges into its picks of the payers who send her the
	// family's money (familyTimedPayers).
	timed []int32
}

// seedWork resolves one seed and weighs the payments to its picked
// beneficiaries. It only reads the graph: seeds are worked on
// concurrently.
func (g *Graph) seedWork(ix *seedIndex, seed *vigil.Lead, opt TraceOptions) seedOutcome {
	o := seedOutcome{facts: map[int32][]string{}}
	o.cands = g.resolveSeed(ix, seed, opt.SeedThreshold, opt.MaxCandidates)
	var bs []int32
	for _, c := range o.cands {
		if !c.Picked {
			continue
		}
		b, _ := g.BeneficiaryIndex(c.BeneficiaryID)
		o.picks = append(o.picks, seedPick{b, c.Score})
		bs = append(bs, b)
	}
	ns := g.namesakePayers(seed, bs, o.facts)
	if timed := g.familyTimedPayers(seed, bs, o.facts); timed != nil {
		for _, b := range bs {
			for _, ei := range g.BeneficiaryEdges(b) {
				if timed[g.Edges[ei].Sender] {
					o.timed = append(o.timed, ei)
				}
			}
		}
	}
	id := g.newSeedIdentity(seed, bs)
	if id.empty() {
		for _, b := range bs {
			for _, ei := range g.BeneficiaryEdges(b) {
				f := 1.0
				if v, ok := ns[g.Edges[ei].Sender]; ok {
					f = v
				}
				o.shares = append(o.shares, seedShare{edge: ei, ben: b, f: f})
			}
		}
		return o
	}
	// The rate at which payments that carry neither the seed's
	// identifiers nor others belong to the seed: per beneficiary from its
	// identified payments, else over all the seed's.
	counts := map[int32]identityCounts{}
	var allC, allX int
	for _, b := range bs {
		confirmed := false
		for _, ei := range g.BeneficiaryEdges(b) {
			n := id.count(g, &g.Edges[ei])
			counts[ei] = n
			confirmed = confirmed || n.confirmed > 0
		}
		for _, ei := range g.BeneficiaryEdges(b) {
			n := counts[ei].settle(confirmed)
			counts[ei] = n
			allC += n.confirmed
			allX += n.conflict
		}
	}
	seedRate := 1.0
	if allC+allX > 0 {
		seedRate = float64(allC) / float64(allC+allX)
	}
	for _, b := range bs {
		var c, x int
		for _, ei := range g.BeneficiaryEdges(b) {
			c += counts[ei].confirmed
			x += counts[ei].conflict
		}
		rate := seedRate
		if c+x >= 3 {
			rate = float64(c) / float64(c+x)
			silentPayer(g, counts, g.BeneficiaryEdges(b), c, x)
		}
		for _, ei := range g.BeneficiaryEdges(b) {
			n := counts[ei]
			f := n.share(rate)
			if v, ok := ns[g.Edges[ei].Sender]; ok {
				f *= v
			}
			o.shares = append(o.shares, seedShare{edge: ei, ben: b, f: f, n: n, identified: true})
		}
	}
	return o
}

// forEachSeed runs f(0) … f(n-1) on two goroutines, one per core of a
// small machine, each taking the next seed as it finishes one.
func forEachSeed(n int, f func(i int)) {
	if n < 2 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int32
	work := func() {
		for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
			f(i)
		}
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); work() }()
	work()
	wg.Wait()
}

// seedIndexFor is indexFor over the beneficiaries in two halves, one per
// core, merged: the same index, each list in beneficiary order. The
// halves are graphs that hold only their beneficiaries, which is all
// indexFor reads.
func (g *Graph) seedIndexFor(seeds []vigil.Lead) *seedIndex {
	if ix := g.idx.Load(); ix != nil {
		return ix
	}
	n := len(g.Beneficiaries)
	if n < 1<<14 {
		return g.indexFor(seeds)
	}
	h := n / 2
	lo, hi := &Graph{Beneficiaries: g.Beneficiaries[:h]}, &Graph{Beneficiaries: g.Beneficiaries[h:]}
	var ixHi *seedIndex
	done := make(chan struct{})
	go func() { defer close(done); ixHi = hi.indexFor(seeds) }()
	ix := lo.indexFor(seeds)
	<-done
	for _, m := range [...][2]map[string][]int32{{ix.phone, ixHi.phone}, {ix.account, ixHi.account}, {ix.token, ixHi.token}} {
		for k, l := range m[1] {
			if len(l) == 0 {
				continue
			}
			out := slices.Grow(m[0][k], len(l))
			for _, b := range l {
				out = append(out, b+int32(h))
			}
			m[0][k] = out
		}
	}
	return ix
}

func firstSeed(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

func clip(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:n], ", ") + fmt.Sprintf(" and %d more", len(ids)-n)
}

func (g *Graph) edgeWeight(s, b int32) float32 {
	for i := range g.SenderEdges(s) {
		if e := &g.SenderEdges(s)[i]; e.Beneficiary == b {
			return e.Weight
		}
	}
	return 0
}

// strengths returns the total edge weight of every sender and beneficiary
// (kept in the graph by Build).
func (g *Graph) strengths() (ws, wb []float64) {
	ws = make([]float64, len(g.Senders))
	wb = make([]float64, len(g.Beneficiaries))
	for i := range g.Edges {
		e := &g.Edges[i]
		ws[e.Sender] += float64(e.Weight)
		wb[e.Beneficiary] += float64(e.Weight)
	}
	return ws, wb
}

// ppr computes the random walk with restart on the bipartite graph: from
// a beneficiary the walker moves to one of its payers, from a sender to
// one of its recipients, each with probability proportional to edge
// weight, and jumps back to the seeds with probability alpha at every
// step. It returns the stationary mass of beneficiaries (x) and senders
// (y), computed by local pushes (Andersen, Chung and Lang 2006): mass is
// pushed from a node only while its residual exceeds pushEps times its
// number of edges, so the work is bounded by the seeds' neighbourhood, not
// the size of the graph. The error per node is below pushEps × its edges.
func (g *Graph) ppr(restart []float64, alpha float64, _ int) (x, y []float64) {
	return g.pprWeighted(restart, alpha, nil, g.ws, g.wb)
}

// pprWeighted is ppr over edge weights w (nil: the graph's) with the
// strengths ws and wb they sum to.
func (g *Graph) pprWeighted(restart []float64, alpha float64, w []float32, ws, wb []float64) (x, y []float64) {
	weight := func(ei int32) float64 {
		if w != nil {
			return float64(w[ei])
		}
		return float64(g.Edges[ei].Weight)
	}
	nB, nS := len(g.Beneficiaries), len(g.Senders)
	x, y = make([]float64, nB), make([]float64, nS)
	rb, rs := slices.Clone(restart), make([]float64, nS)
	var qb, qs []int32
	inB, inS := make([]bool, nB), make([]bool, nS)
	for b, v := range restart {
		if v > 0 {
			qb = append(qb, int32(b))
			inB[b] = true
		}
	}
	const pushEps = 1e-7
	c := 1 - alpha
	for len(qb) > 0 || len(qs) > 0 {
		for len(qb) > 0 {
			b := qb[len(qb)-1]
			qb = qb[:len(qb)-1]
			inB[b] = false
			r := rb[b]
			es := g.BeneficiaryEdges(b)
			if r < pushEps*float64(len(es)) || r == 0 {
				continue
			}
			x[b] += alpha * r
			rb[b] = 0
			if wb[b] == 0 {
				continue
			}
			f := c * r / wb[b]
			for _, ei := range es {
				e := &g.Edges[ei]
				s := e.Sender
				rs[s] += f * weight(ei)
				if !inS[s] && rs[s] >= pushEps*float64(g.senderStart[s+1]-g.senderStart[s]) {
					inS[s] = true
					qs = append(qs, s)
				}
			}
		}
		for len(qs) > 0 {
			s := qs[len(qs)-1]
			qs = qs[:len(qs)-1]
			inS[s] = false
			r := rs[s]
			es := g.SenderEdges(s)
			if r < pushEps*float64(len(es)) || r == 0 {
				continue
			}
			y[s] += alpha * r
			rs[s] = 0
			if ws[s] == 0 {
				continue
			}
			f := c * r / ws[s]
			for i := range es {
				b := es[i].Beneficiary
				if restart[b] == 0 && len(g.BeneficiaryEdges(b)) == 1 {
					// A recipient he alone pays (his family, a shop)
					// leads nowhere but back to him: the walker's
					// mass sent there is dropped, not echoed into his
					// own score.
					continue
				}
				rb[b] += f * weight(g.senderStart[s]+int32(i))
				if !inB[b] && rb[b] >= pushEps*float64(len(g.BeneficiaryEdges(b))) {
					inB[b] = true
					qb = append(qb, b)
				}
			}
		}
	}
	return x, y
}

// edgeEvidence is what an investigator quotes about one edge.
func (g *Graph) edgeEvidence(e *Edge, seed string, maxIDs int) vigil.TraceEdge {
	be := &g.Beneficiaries[e.Beneficiary]
	ps := g.Payments(e)
	n := float64(e.Count)
	te := vigil.TraceEdge{
		BeneficiaryID: be.ID, BeneficiaryName: be.Name, Seed: seed,
		Count: int(e.Count), Total: e.Total, Currency: g.EdgeCurrency(e),
		First: ps[0].Time(), Last: ps[len(ps)-1].Time(),
		SmallShare: round6(float64(e.Small) / n), RoundShare: round6(float64(e.Round) / n), LateShare: round6(float64(e.Late) / n),
		MedianGapDays: round6(float64(e.MedianGapDays)), Tie: e.Tie.String(), Weight: round6(float64(e.Weight)),
	}
	for i := range ps {
		if p := g.PurposeOf(&ps[i]); p != "" && !slices.Contains(te.Purposes, p) && len(te.Purposes) < 10 {
			te.Purposes = append(te.Purposes, p)
		}
		if i < maxIDs {
			te.TransferIDs = append(te.TransferIDs, g.TransferID(&ps[i]))
		}
	}
	if len(ps) > maxIDs {
		te.Truncated = len(ps) - maxIDs
	}
	return te
}

func (g *Graph) edgeFact(e *Edge, te vigil.TraceEdge) string {
	total := te.Total.String() + " " + te.Currency
	if te.Currency == "" {
		total = te.Total.String() + " (mixed currencies)"
	}
	return fmt.Sprintf("paid %s (%s) %d time(s), %s in total, %s to %s; %.0f%% at most %d, %.0f%% round, %.0f%% between 22:00 and 06:00",
		te.BeneficiaryName, te.BeneficiaryID, te.Count, total,
		te.First.Format("2006-01-02"), te.Last.Format("2006-01-02"),
		100*te.SmallShare, SmallMax, 100*te.RoundShare, 100*te.LateShare)
}
