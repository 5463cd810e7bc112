package correlate

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// maxConfirm is how many of the seed's candidate beneficiaries the call
// log may confirm.
const maxConfirm = 50

// ConfirmP is the chance, corrected over the candidates tested, below
// which a candidate beneficiary the seed's details do not pick is taken
// as the device owner's because the device's sessions follow its
// payments.
const ConfirmP = 1e-6

// confirmByCalls picks the candidates that the seed's details alone do not
// pick but whose payments the device's sessions follow within minutes far
// more often than chance: a facilitator paid under a bare name (no phone,
// no city) is kept apart from her other accounts by the resolver, and
// only the timing of the calls ties them. For each candidate, k is the
// number of sessions with one of its payments in the session's window
// (from Before before the start to AfterEnd after the end), and the
// chance expectation μ the mean of the same count with the payments
// shifted by ±1…±Shifts whole days; the candidate is picked when
// P(Poisson(μ) ≥ k) × candidates ≤ ConfirmP and k ≥ 3. The reason is
// added to the candidate's reasons.
func confirmByCalls(g *graph.Graph, cs []vigil.SeedCandidate, sessions []session, opt Options) {
	if len(sessions) == 0 {
		return
	}
	ss := slices.Clone(sessions)
	slices.SortFunc(ss, func(a, b session) int { return int(a.at - b.at) })
	before := int64(opt.Before / time.Second)
	tests := 0
	for _, c := range cs {
		if !c.Picked && c.Payers > 0 {
			tests++
		}
	}
	var times []int64
	for i := range cs {
		c := &cs[i]
		if c.Picked || c.Payers == 0 {
			continue
		}
		b, ok := g.BeneficiaryIndex(c.BeneficiaryID)
		if !ok {
			continue
		}
		times = times[:0]
		for _, ei := range g.BeneficiaryEdges(b) {
			ps := g.Payments(&g.Edges[ei])
			for j := range ps {
				times = append(times, ps[j].At)
			}
		}
		slices.Sort(times)
		k := followed(ss, times, 0, before)
		if k < 3 {
			continue
		}
		var sum int
		for d := 1; d <= opt.Shifts; d++ {
			sum += followed(ss, times, int64(d)*86400, before) + followed(ss, times, -int64(d)*86400, before)
		}
		draws := float64(2 * opt.Shifts)
		mu := math.Max(float64(sum)/draws, 1/draws)
		p := math.Min(1, poissonTail(k, mu)*float64(tests))
		if p > ConfirmP {
			continue
		}
		c.Picked = true
		c.Reasons = append(c.Reasons, fmt.Sprintf("confirmed by the call log: %d of the device's %d session(s) have one of its payments from %s before to %s after the session, %.2f expected by chance (payments shifted by whole days), p = %.2g over %d candidate(s)",
			k, len(ss), opt.Before, opt.AfterEnd, mu, p, tests))
	}
}

// followed counts the sessions with a payment (times sorted, shifted by
// shift) in their window.
func followed(ss []session, times []int64, shift, before int64) int {
	// Sessions are in start order, so the first payment at or after each
	// window's start only moves forward: one merge, no search.
	n, j := 0, 0
	for _, s := range ss {
		lo := s.at - before - shift
		for j < len(times) && times[j] < lo {
			j++
		}
		if j == len(times) {
			break
		}
		if times[j] <= s.to-shift {
			n++
		}
	}
	return n
}

// poissonTail is P(X ≥ k) for X ~ Poisson(mu).
func poissonTail(k int, mu float64) float64 {
	if k <= 0 {
		return 1
	}
	// 1 − P(X ≤ k−1), summed from the terms directly for accuracy in the
	// far tail: P(X ≥ k) = Σ_{i≥k} e^−μ μ^i / i!.
	lmu := math.Log(mu)
	var s float64
	for i := k; i < k+1000; i++ {
		lg, _ := math.Lgamma(float64(i + 1))
		t := math.Exp(-mu + float64(i)*lmu - lg)
		s += t
		if t < s*1e-16 {
			break
		}
	}
	return math.Min(1, s)
}
