package detect

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

func unixTime(s int64) time.Time { return time.Unix(s, 0).UTC() }

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// Logit is the inverse of the score's logistic function.
func Logit(p float64) float64 { return math.Log(p / (1 - p)) }

// romanceFloor is the value of a romance_scam indicator from which a
// sender is flagged with that typology.
const romanceFloor = 0.5

// propagationIndex returns the index of the propagation indicator in the
// compiled pack, or -1.
func (e *Engine) propagationIndex() int {
	for i := range e.inds {
		if e.inds[i].def.Measure == "propagation_share" {
			return i
		}
	}
	return -1
}

// values fills vals with the indicator values of sender si, using the
// scratch view v; co gives a co-sender's score before propagation (nil:
// the propagation indicator is left at 0).
func (e *Engine) values(v *view, si int32, co func(int32) float64, vals []float64) []float64 {
	e.prepare(v, si, co)
	vals = vals[:0]
	for i := range e.inds {
		ind := &e.inds[i]
		if co == nil && ind.def.Measure == "propagation_share" {
			vals = append(vals, 0)
			continue
		}
		vals = append(vals, ind.measure.value(v, ind.params))
	}
	return vals
}

func (e *Engine) logit(vals []float64) float64 {
	x := e.pack.Intercept
	for i, f := range vals {
		x += e.inds[i].weight * f
	}
	return x
}

// Senders returns the number of senders the engine knows.
func (e *Engine) Senders() int { return len(e.senders) }

// matrix computes every sender's indicator values (row-major, one row of
// len(e.inds) per sender; rows of senders without transfers stay 0) on
// two goroutines: first without propagation, then the propagation
// indicator from the co-senders' scores before propagation.
func (e *Engine) matrix() []float64 {
	k := len(e.inds)
	n := len(e.senders)
	x := make([]float64, n*k)
	base := make([]float64, n) // score before propagation
	e.res.Compress()           // Root is read-only from here
	parallel(n, func(_, lo, hi int) {
		v := &view{}
		vals := make([]float64, 0, k)
		for i := lo; i < hi; i++ {
			if e.senders[i].n == 0 {
				continue
			}
			vals = e.values(v, int32(i), nil, vals)
			copy(x[i*k:], vals)
			base[i] = sigmoid(e.logit(vals))
		}
	})
	if prop := e.propagationIndex(); prop >= 0 {
		col := e.propagate(base)
		for i := range col {
			x[i*k+prop] = col[i]
		}
	}
	return x
}

// propagate returns every sender's propagation indicator after
// propagationRounds rounds, from the scores before propagation: each
// round uses the co-senders' scores of the round before (round 0:
// without propagation). The pack must have the indicator.
func (e *Engine) propagate(base []float64) []float64 { return e.propagateWith(base, nil) }

// propagateWith is propagate; with cs (gathered by scores' first pass)
// each round sums the co-senders' scores from cs instead of preparing
// every corridor sender's view again (the same terms in the same order).
func (e *Engine) propagateWith(base []float64, cs *coSenders) []float64 {
	n := len(e.senders)
	prop := e.propagationIndex()
	col := make([]float64, n)
	prev := base
	w := e.inds[prop].weight
	for r := 0; r < propagationRounds; r++ {
		// The last round's co-sender scores are what coOnDemand
		// computes: keep them so that Explain need not recompute.
		e.coScores, e.coVersion = prev, e.version
		co := func(o int32) float64 { return prev[o] }
		next := make([]float64, n)
		parallel(n, func(wk, lo, hi int) {
			v := &view{}
			ind := &e.inds[prop]
			for i := lo; i < hi; i++ {
				s := &e.senders[i]
				if s.n == 0 {
					continue
				}
				if s.nCorr > 0 {
					if cs != nil {
						col[i] = cs.share(wk, i, s.nCorr, prev)
					} else {
						e.prepare(v, int32(i), co)
						col[i] = ind.measure.value(v, ind.params)
					}
				}
				next[i] = sigmoid(Logit(base[i]) + w*col[i])
			}
		})
		prev = next
	}
	return col
}

// scores returns every sender's score and typology (zero for senders
// without transfers) as matrix and ScoreAll compute them, without keeping
// the matrix (one row per sender): each row is computed once, before
// propagation, and what the score after propagation needs of it is kept
// in a few bytes (see finish). col is the propagation indicator of each
// sender (nil when the pack has none); row rebuilds one sender's row from
// it.
func (e *Engine) scores() (score []float64, typ []vigil.Typology, col []float64) {
	n := len(e.senders)
	base := make([]float64, n) // score before propagation
	typ = make([]vigil.Typology, n)
	prop := e.propagationIndex()
	e.res.Compress() // Root is read-only from here
	// Without a propagation indicator the first pass is the score;
	// with one it keeps what the rounds and the final score need.
	var f *finish
	var cs *coSenders
	if prop >= 0 {
		f = newFinish(e, prop, n)
		cs = &coSenders{at: make([]int32, n), cnt: make([]uint8, n)}
	}
	parallel(n, func(w, lo, hi int) {
		v := &view{}
		var vals []float64
		for i := lo; i < hi; i++ {
			if e.senders[i].n == 0 {
				continue
			}
			vals = e.values(v, int32(i), nil, vals)
			base[i] = sigmoid(e.logit(vals))
			if f == nil {
				typ[i] = e.typology(vals, base[i])
				continue
			}
			f.keep(w, i, vals)
			if e.senders[i].nCorr > 0 {
				cs.gather(w, i, v)
			}
		}
	})
	if f == nil {
		return base, typ, nil
	}
	col = e.propagateWith(base, cs)
	cs = nil
	score = make([]float64, n) // not base: the last round's co-sender scores may be base
	parallel(n, func(w, lo, hi int) {
		for i := lo; i < hi; i++ {
			if e.senders[i].n > 0 {
				score[i], typ[i] = f.score(w, i, col[i])
			}
		}
	})
	return score, typ, col
}

// coSenders keeps, per corridor sender, what its propagation indicator
// needs from its view, gathered once in scores' first pass: for each of
// its recipients (views merged by beneficiary, in the view's order) that
// can count — a corridor recipient without a name tie, paid by other
// unrelated senders — the transfers to it and those co-senders, in the
// order prepare visits them. A round then adds up the co-senders' scores
// exactly as prepare and propagation_share do, without the slots, roots
// and beneficiaries being read again.
type coSenders struct {
	at  []int32 // first of the sender's recipients in rec[worker]
	cnt []uint8 // its number of recipients that count (at most maxSlots)
	rec [2][]coRecipient
	ids [2][]int32 // the co-senders of every recipient, per worker of parallel
}

// coRecipient is one recipient that counts towards propagation.
type coRecipient struct {
	n      int32 // the sender's transfers to it (slotView.n)
	at, nb int32 // its co-senders: ids[worker][at:at+nb]
}

// gather records sender i's recipients that count, from its view v
// (prepared without co-sender scores) by worker w.
func (c *coSenders) gather(w, i int, v *view) {
	e := v.e
	c.at[i] = int32(len(c.rec[w]))
	si := int32(i)
	for k := range v.slots {
		sv := &v.slots[k]
		// propagation_share: 0 unless corridor, untied, with co-senders
		if !sv.corridor || sv.tie || sv.self {
			continue
		}
		b := &e.bens[sv.root]
		if b.first == 0 {
			continue
		}
		at := int32(len(c.ids[w]))
		if o := b.first - 1; o != si {
			c.ids[w] = append(c.ids[w], o)
		}
		if b.more != 0 {
			for _, o := range e.benMore[b.more-1] {
				if o != si {
					c.ids[w] = append(c.ids[w], o)
				}
			}
		}
		if nb := int32(len(c.ids[w])) - at; nb > 0 {
			c.rec[w] = append(c.rec[w], coRecipient{n: sv.n, at: at, nb: nb})
		}
	}
	c.cnt[i] = uint8(int32(len(c.rec[w])) - c.at[i])
}

// share is sender i's propagation indicator with the co-senders' scores
// prev: propagation_share's slotShare over the recipients that count
// (the others add zero), each the mean of its co-senders' scores summed
// in prepare's order.
func (c *coSenders) share(w, i int, nCorr int32, prev []float64) float64 {
	if nCorr <= 0 {
		return 0
	}
	x := 0.0
	ids := c.ids[w]
	for _, r := range c.rec[w][c.at[i] : c.at[i]+int32(c.cnt[i])] {
		sum := 0.0
		for _, o := range ids[r.at : r.at+r.nb] {
			sum += prev[o]
		}
		x += float64(r.n) * (sum / float64(r.nb))
	}
	return clamp(x / float64(nCorr))
}

// finish keeps, per sender, what its score and typology after
// propagation need of its row before propagation, so that the row is not
// computed twice: the logit's sum up to the propagation indicator (the
// same additions in the same order as logit), the terms after it that
// are not zero (adding a zero term leaves the sum as it is), and whether
// an indicator other than propagation flags the romance typology.
type finish struct {
	e       *Engine
	prop    int
	pre     []float64 // intercept + the terms before prop, in logit's order
	romance []bool    // typology's romance test over the indicators but prop
	at      []int32   // first of the sender's terms in tail[worker]
	cnt     []uint16  // its number of terms
	tail    [2][]term // per worker of parallel: the terms after prop that count
	always  []bool    // per indicator after prop: its zero term may not be skipped
}

// term is one indicator value after the propagation indicator.
type term struct {
	ind int32
	f   float64
}

func newFinish(e *Engine, prop, n int) *finish {
	f := &finish{e: e, prop: prop, pre: make([]float64, n), romance: make([]bool, n),
		at: make([]int32, n), cnt: make([]uint16, n), always: make([]bool, len(e.inds))}
	for i := range e.inds {
		w := e.inds[i].weight
		f.always[i] = math.IsInf(w, 0) || w != w // 0 times them is not zero
	}
	return f
}

// keep records sender i's row (computed by worker w, without propagation).
func (f *finish) keep(w, i int, vals []float64) {
	e := f.e
	x := e.pack.Intercept
	for j := 0; j < f.prop; j++ {
		x += e.inds[j].weight * vals[j]
	}
	f.pre[i] = x
	if t := f.tail[w]; cap(t)-len(t) < len(vals) {
		// Doubled, not grown by append's quarter steps past 256
		// elements: the terms of all senders come to some tens of MB,
		// copied about four times over in quarter steps (growslice was
		// 0.3 s of a 5M scan's samples).
		f.tail[w] = append(make([]term, 0, max(2*cap(t), len(t)+len(vals), 4096)), t...)
	}
	f.at[i] = int32(len(f.tail[w]))
	for j := f.prop + 1; j < len(vals); j++ {
		if vals[j] != 0 || f.always[j] {
			f.tail[w] = append(f.tail[w], term{int32(j), vals[j]})
		}
	}
	f.cnt[i] = uint16(len(f.tail[w]) - int(f.at[i]))
	for j, v := range vals {
		if j != f.prop && v > 0 && e.inds[j].weight != 0 && e.inds[j].def.Typology == vigil.TypologyRomanceScam && v >= romanceFloor {
			f.romance[i] = true
		}
	}
}

// score is sender i's score and typology with propagation value c: what
// logit and typology give for its row with c in the propagation column.
func (f *finish) score(w, i int, c float64) (float64, vigil.Typology) {
	e := f.e
	x := f.pre[i]
	x += e.inds[f.prop].weight * c
	for _, t := range f.tail[w][f.at[i] : f.at[i]+int32(f.cnt[i])] {
		x += e.inds[t.ind].weight * t.f
	}
	p := sigmoid(x)
	if p >= e.pack.Threshold {
		return p, e.pack.Typology
	}
	pi := &e.inds[f.prop]
	if f.romance[i] || c > 0 && pi.weight != 0 && pi.def.Typology == vigil.TypologyRomanceScam && c >= romanceFloor {
		return p, vigil.TypologyRomanceScam
	}
	return p, vigil.TypologyNone
}

// row is sender si's row of matrix, given the propagation column of
// scores.
func (e *Engine) row(v *view, si int32, col, vals []float64) []float64 {
	vals = e.values(v, si, nil, vals)
	if prop := e.propagationIndex(); prop >= 0 && col != nil {
		vals[prop] = col[si]
	}
	return vals
}

// parallel runs f over [0,n) in two halves on two goroutines; w is the
// half (0 or 1), the same for the same n.
func parallel(n int, f func(w, lo, hi int)) {
	const workers = 2
	done := make(chan struct{}, workers)
	for w := 0; w < workers; w++ {
		lo, hi := n*w/workers, n*(w+1)/workers
		go func() { f(w, lo, hi); done <- struct{}{} }()
	}
	for w := 0; w < workers; w++ {
		<-done
	}
}

// ScoreAll scores every sender with at least one transfer and returns
// them ranked by score (highest first, then by party id). Hits carry
// contributions; Explain adds details and transfer ids to the ones that
// are reported. Scoring reads the state and does not change it; more
// transfers may be observed after.
func (e *Engine) ScoreAll() []*vigil.Alert {
	x := e.matrix()
	k := len(e.inds)
	n := 0
	for i := range e.senders {
		if e.senders[i].n > 0 {
			n++
		}
	}
	out := make([]*vigil.Alert, 0, n)
	store := make([]vigil.Alert, n) // one allocation for all alerts
	j := 0
	for i := range e.senders {
		if e.senders[i].n == 0 {
			continue
		}
		a := &store[j]
		j++
		e.fillAlert(a, int32(i), x[i*k:(i+1)*k])
		out = append(out, a)
	}
	Rank(out)
	return out
}

// ScoreSelected scores every sender as ScoreAll does, but builds alerts
// only for the senders keep selects (keep sees the score and typology):
// they come ranked, with their ranks among all scored senders, and
// identical to ScoreAll's. scored is the number of senders scored. A
// scan that writes only the reported senders needs far less memory and
// allocation this way than with an alert for every sender.
func (e *Engine) ScoreSelected(keep func(score float64, typology vigil.Typology) bool) (kept []*vigil.Alert, scored int) {
	score, typ, col := e.scores()
	type scoredSender struct {
		score float64
		si    int32
	}
	all := make([]scoredSender, 0, len(e.senders))
	for i := range e.senders {
		if e.senders[i].n > 0 {
			all = append(all, scoredSender{score[i], int32(i)})
		}
	}
	score = nil
	slices.SortFunc(all, func(a, b scoredSender) int { // Rank's order
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return strings.Compare(e.ids[a.si], e.ids[b.si])
	})
	v := &view{}
	var row []float64
	for r, c := range all {
		if !keep(c.score, typ[c.si]) {
			continue
		}
		row = e.row(v, c.si, col, row)
		a := &vigil.Alert{}
		e.fillAlert(a, c.si, row)
		a.Rank = r + 1
		kept = append(kept, a)
	}
	return kept, len(all)
}

// Rank sorts alerts by score (then party id) and numbers them from 1.
func Rank(alerts []*vigil.Alert) {
	sort.Slice(alerts, func(i, j int) bool {
		if alerts[i].Score != alerts[j].Score {
			return alerts[i].Score > alerts[j].Score
		}
		return alerts[i].PartyID < alerts[j].PartyID
	})
	for i, a := range alerts {
		a.Rank = i + 1
	}
}

// Score scores one sender from the current state, computing the scores of
// its co-senders for propagation on demand (bounded by the beneficiary
// state). It returns ENOTFOUND for a sender with no transfer. Rank is 0.
func (e *Engine) Score(partyID string) (*vigil.Alert, error) {
	si, ok := e.senderIndex(partyID)
	if !ok || e.senders[si].n == 0 {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "no transfer observed from party %s", partyID)
	}
	co := e.coOnDemand()
	d := &e.demand
	d.vals = e.values(&d.top, si, co, d.vals)
	a := &vigil.Alert{}
	e.fillAlert(a, si, d.vals)
	e.explainWith(si, a, co)
	return a, nil
}

// ScoreOnly is Score without the explanation: the same score, typology
// and hits with their contributions, but no details and no transfer ids
// (the hits' Detail is empty and TransferIDs nil). Explaining costs about
// as much as scoring; a caller that shows only the score skips it.
func (e *Engine) ScoreOnly(partyID string) (*vigil.Alert, error) {
	si, ok := e.senderIndex(partyID)
	if !ok || e.senders[si].n == 0 {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "no transfer observed from party %s", partyID)
	}
	d := &e.demand
	d.vals = e.values(&d.top, si, e.coOnDemand(), d.vals)
	a := &vigil.Alert{}
	e.fillAlert(a, si, d.vals)
	return a, nil
}

// ObserveAndScore observes one transfer and returns its sender's score,
// explained: the single-transfer path of the API.
func (e *Engine) ObserveAndScore(t *vigil.Transfer) (*vigil.Alert, error) {
	e.Observe(t)
	return e.Score(t.SenderID)
}

// ObserveAndScoreOnly is ObserveAndScore without the explanation (see
// ScoreOnly): the API's path when the caller did not ask for details.
func (e *Engine) ObserveAndScoreOnly(t *vigil.Transfer) (*vigil.Alert, error) {
	e.Observe(t)
	return e.ScoreOnly(t.SenderID)
}

// fillAlert turns indicator values into an alert with one hit (its
// contribution) per indicator that fired; details come from Explain.
func (e *Engine) fillAlert(a *vigil.Alert, si int32, vals []float64) {
	x := e.logit(vals)
	*a = vigil.Alert{PartyID: e.ids[si], Score: sigmoid(x), RulePack: e.label}
	a.Typology = e.typology(vals, a.Score)
	nh := 0
	for i, f := range vals {
		if f > 0 && e.inds[i].weight != 0 {
			nh++
		}
	}
	a.Hits = make([]vigil.Hit, 0, nh)
	for i, f := range vals {
		if f <= 0 || e.inds[i].weight == 0 {
			continue
		}
		ind := &e.inds[i]
		a.Hits = append(a.Hits, vigil.Hit{Code: ind.def.Code, Contribution: ind.weight * f})
	}
}

// typology is the typology a sender with indicator values vals and score
// is flagged with: the pack's from its threshold on, else romance scam
// when a romance indicator that counts reaches romanceFloor, else none.
func (e *Engine) typology(vals []float64, score float64) vigil.Typology {
	if score >= e.pack.Threshold {
		return e.pack.Typology
	}
	t := vigil.TypologyNone
	for i, f := range vals {
		if f > 0 && e.inds[i].weight != 0 && e.inds[i].def.Typology == vigil.TypologyRomanceScam && f >= romanceFloor {
			t = vigil.TypologyRomanceScam
		}
	}
	return t
}

// Explain fills in the details and transfer ids of an alert's hits. It is
// separate from scoring because only reported senders need it.
func (e *Engine) Explain(a *vigil.Alert) {
	si, ok := e.senderIndex(a.PartyID)
	if !ok {
		return
	}
	e.explain(si, a)
}

func (e *Engine) explain(si int32, a *vigil.Alert) {
	if e.coScores != nil && e.coVersion == e.version { // nothing observed since ScoreAll
		cs := e.coScores
		e.explainWith(si, a, func(o int32) float64 { return cs[o] })
		return
	}
	e.explainWith(si, a, e.coOnDemand())
}

// explainWith explains a's hits with co giving the co-senders' scores.
func (e *Engine) explainWith(si int32, a *vigil.Alert, co func(int32) float64) {
	v := &e.demand.top
	e.prepare(v, si, co)
	for h := range a.Hits {
		for i := range e.inds {
			ind := &e.inds[i]
			if ind.def.Code != a.Hits[h].Code {
				continue
			}
			val := ind.measure.value(v, ind.params)
			a.Hits[h].Detail, a.Hits[h].TransferIDs = ind.measure.explain(v, ind.params, val)
			if a.Hits[h].TransferIDs == nil {
				a.Hits[h].TransferIDs = []string{}
			}
		}
	}
}

// propagationRounds is how many times LSC-PROPAGATION is recomputed from
// the co-senders' scores of the round before; two rounds let a sender's
// score draw on senders two recipients away, still bounded per entity.
const propagationRounds = 2

// demand is the scratch space of on-demand scoring (Score, the API path):
// memoised co-sender scores per propagation round, cached scores before
// propagation, and views, so that scoring one sender allocates little.
type demand struct {
	call    uint32
	memoAt  [propagationRounds - 1][]uint32 // call that memoised memoVal
	memoVal [propagationRounds - 1][]float64
	// baseVal is a sender's score before propagation, computed at engine
	// version baseAt; it stays valid while neither the sender nor any of
	// its recipients' beneficiaries changed since (see baseValid).
	baseVal []float64
	baseAt  []int64
	views   [propagationRounds]view // views[r+1] for round r, views[0] for base scores
	top     view
	vals    []float64
	rvals   []float64
}

// grow sizes the per-sender arrays to n senders.
func (d *demand) grow(n int) {
	if len(d.baseVal) >= n {
		return
	}
	n = max(n, 2*len(d.baseVal))
	for r := range d.memoAt {
		d.memoAt[r] = append(d.memoAt[r], make([]uint32, n-len(d.memoAt[r]))...)
		d.memoVal[r] = append(d.memoVal[r], make([]float64, n-len(d.memoVal[r]))...)
	}
	d.baseVal = append(d.baseVal, make([]float64, n-len(d.baseVal))...)
	at := len(d.baseAt)
	d.baseAt = append(d.baseAt, make([]int64, n-at)...)
	for i := at; i < n; i++ {
		d.baseAt[i] = -1
	}
}

// baseValid reports whether the cached score before propagation of
// sender o still holds: the sender observed nothing since, and none of
// its recipients' beneficiaries gained an unrelated sender or merged.
func (e *Engine) baseValid(o int32) bool {
	at := e.demand.baseAt[o]
	s := &e.senders[o]
	if at < 0 || s.changed > at {
		return false
	}
	for _, sl := range e.slots.of(s) {
		if e.bens[e.find(sl.rec)].changed > at {
			return false
		}
	}
	return true
}

// coOnDemand returns a function that computes a co-sender's score as of
// the last propagation round on demand (memoised per round for this
// call, scores before propagation cached across calls), so that one
// sender's score equals the batch result.
func (e *Engine) coOnDemand() func(int32) float64 {
	prop := e.propagationIndex()
	d := &e.demand
	d.grow(len(e.senders))
	d.call++
	if d.call == 0 { // wrapped: forget every memo
		for r := range d.memoAt {
			clear(d.memoAt[r])
		}
		d.call = 1
	}
	call := d.call
	base := func(o int32) float64 {
		if e.baseValid(o) {
			return d.baseVal[o]
		}
		d.rvals = e.values(&d.views[0], o, nil, d.rvals)
		p := sigmoid(e.logit(d.rvals))
		d.baseVal[o], d.baseAt[o] = p, e.version
		return p
	}
	var at func(r int, o int32) float64 // score of o after round r (-1: base)
	at = func(r int, o int32) float64 {
		if r < 0 {
			return base(o)
		}
		if d.memoAt[r][o] == call {
			return d.memoVal[r][o]
		}
		p := base(o)
		if prop >= 0 && e.senders[o].nCorr > 0 {
			v := &d.views[r+1]
			e.prepare(v, o, func(q int32) float64 { return at(r-1, q) })
			ind := &e.inds[prop]
			p = sigmoid(Logit(p) + ind.weight*ind.measure.value(v, ind.params))
		}
		d.memoAt[r][o], d.memoVal[r][o] = call, p
		return p
	}
	return func(o int32) float64 { return at(propagationRounds-2, o) }
}

// Features returns every scored sender's id and indicator values (with
// propagation against the current pack), in the order of Codes: the
// design matrix of vigil train.
func (e *Engine) Features() (ids []string, x [][]float64) {
	m := e.matrix()
	k := len(e.inds)
	for i := range e.senders {
		if e.senders[i].n == 0 {
			continue
		}
		ids = append(ids, e.ids[i])
		x = append(x, m[i*k:(i+1)*k:(i+1)*k])
	}
	return ids, x
}

// Codes returns the codes of the pack's indicators in catalogue order.
func (e *Engine) Codes() []string {
	out := make([]string, len(e.inds))
	for i := range e.inds {
		out[i] = e.inds[i].def.Code
	}
	return out
}
