package detect

import (
	"math"
	"sort"
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

// values fills vals with the indicator values of sender si; high tells
// which co-senders count as high-scoring for propagation (nil: none).
func (e *Engine) values(si int32, high func(int32) bool, vals []float64) []float64 {
	v := &e.view
	e.prepare(v, si, high)
	vals = vals[:0]
	for i := range e.inds {
		ind := &e.inds[i]
		if high == nil && ind.def.Measure == "propagation_share" {
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

// baseScores returns every sender's score without propagation.
func (e *Engine) baseScores() []float64 {
	base := make([]float64, len(e.senders))
	var vals []float64
	for i := range e.senders {
		if e.senders[i].n == 0 {
			continue
		}
		vals = e.values(int32(i), nil, vals)
		base[i] = sigmoid(e.logit(vals))
	}
	return base
}

// Senders returns the number of senders the engine knows.
func (e *Engine) Senders() int { return len(e.senders) }

// ScoreAll scores every sender with at least one transfer and returns
// them ranked by score (highest first, then by party id). Scoring reads
// the state and does not change it; more transfers may be observed after.
func (e *Engine) ScoreAll() []*vigil.Alert {
	base := e.baseScores()
	high := func(o int32) bool { return base[o] >= e.pack.PropagationThreshold }
	out := make([]*vigil.Alert, 0, len(e.senders))
	var vals []float64
	for i := range e.senders {
		if e.senders[i].n == 0 {
			continue
		}
		vals = e.values(int32(i), high, vals)
		out = append(out, e.alert(int32(i), vals, false))
	}
	Rank(out)
	return out
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
	si, ok := e.senderIdx[partyID]
	if !ok || e.senders[si].n == 0 {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "no transfer observed from party %s", partyID)
	}
	memo := map[int32]bool{}
	var tmp []float64
	high := func(o int32) bool {
		if h, ok := memo[o]; ok {
			return h
		}
		tmp = e.values(o, nil, tmp)
		h := sigmoid(e.logit(tmp)) >= e.pack.PropagationThreshold
		memo[o] = h
		return h
	}
	// collect co-senders' verdicts first: values() reuses the view.
	for _, sl := range e.senders[si].slots {
		for _, o := range e.bens[e.res.Find(sl.rec)].untied {
			if o != si {
				high(o)
			}
		}
	}
	vals := e.values(si, func(o int32) bool { return memo[o] }, nil)
	return e.alert(si, vals, true), nil
}

// ObserveAndScore observes one transfer and returns its sender's score:
// the single-transfer path of the API.
func (e *Engine) ObserveAndScore(t *vigil.Transfer) (*vigil.Alert, error) {
	e.Observe(t)
	return e.Score(t.SenderID)
}

// alert turns indicator values into an alert; explanations are built only
// for senders that may be reported (score > 0 always holds, so callers
// filter before writing). Details are computed lazily by Explain.
func (e *Engine) alert(si int32, vals []float64, explain bool) *vigil.Alert {
	x := e.logit(vals)
	a := &vigil.Alert{PartyID: e.senders[si].id, Score: sigmoid(x), RulePack: e.pack.Label()}
	a.Typology = vigil.TypologyNone
	if a.Score >= e.pack.Threshold {
		a.Typology = e.pack.Typology
	}
	hits := make([]vigil.Hit, 0, 8)
	for i, f := range vals {
		if f <= 0 || e.inds[i].weight == 0 {
			continue
		}
		ind := &e.inds[i]
		if ind.def.Typology == vigil.TypologyRomanceScam && f >= romanceFloor && a.Score < e.pack.Threshold {
			a.Typology = vigil.TypologyRomanceScam
		}
		hits = append(hits, vigil.Hit{Code: ind.def.Code, Contribution: ind.weight * f, TransferIDs: nil})
	}
	a.Hits = hits
	if explain {
		e.explain(si, a)
	}
	return a
}

// Explain fills in the details and transfer ids of an alert's hits. It is
// separate from scoring because only reported senders need it.
func (e *Engine) Explain(a *vigil.Alert) {
	si, ok := e.senderIdx[a.PartyID]
	if !ok {
		return
	}
	e.explain(si, a)
}

func (e *Engine) explain(si int32, a *vigil.Alert) {
	v := &view{}
	// propagation detail only needs the verdicts already reflected in the
	// contribution; recompute the co-sender counts against base scores.
	e.prepare(v, si, e.highOnDemand(si))
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

// highOnDemand returns a predicate that computes co-senders' base scores
// on demand, into its own view so as not to disturb the caller's.
func (e *Engine) highOnDemand(si int32) func(int32) bool {
	memo := map[int32]bool{}
	return func(o int32) bool {
		if h, ok := memo[o]; ok {
			return h
		}
		saved := e.view
		e.view = view{slots: make([]slotView, 0, 4)}
		vals := e.values(o, nil, nil)
		h := sigmoid(e.logit(vals)) >= e.pack.PropagationThreshold
		e.view = saved
		memo[o] = h
		return h
	}
}

// Features returns every scored sender's id and indicator values (with
// propagation against the current pack), in the order of Codes: the
// design matrix of vigil train.
func (e *Engine) Features() (ids []string, x [][]float64) {
	base := e.baseScores()
	high := func(o int32) bool { return base[o] >= e.pack.PropagationThreshold }
	for i := range e.senders {
		if e.senders[i].n == 0 {
			continue
		}
		ids = append(ids, e.senders[i].id)
		x = append(x, e.values(int32(i), high, nil))
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
