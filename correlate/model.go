package correlate

import (
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"
	"time"
)

// model is what Correlate learns from all the devices it is given before
// it attributes any handle (docs/correlate.md):
//
//   - the share ρ of a buyer's sessions that follow one of his payments,
//     as a Beta(α, β) distribution fitted to the handles that timing alone
//     attributes beyond doubt; a handle of many sessions of which few
//     follow a payer's payments is then evidence against that payer;
//   - how often a handle seen for a single session is a paid session: the
//     share of such sessions with a payment to the owner in their window,
//     less the share chance gives (payments near the same times of day on
//     other days), over what is left; its odds are the prior of a
//     one-session handle with nothing but timing.
//
// Without enough devices to learn from, ρ is uniform on [0,1] or on
// [MinPaidShare,1], whichever is less favourable to the payer, and the
// prior of a one-session handle is 1:1 like any other.
type model struct {
	alpha, beta float64 // Beta prior of ρ; 0 when not fitted
	handles     int     // handles the fit used

	single           float64 // probability that a one-session handle's session is paid; < 0 when unknown
	singleN          int     // one-session handles seen
	singleY, singleC float64 // of which with a payment near; expected by chance

	// One-session handles (single.go).
	paidBins [sessionBins]float64 // paired sessions of confidently attributed handles, by kind and length
	allBins  [sessionBins]float64 // one-session handles' sessions, by kind and length
	against  [sessionBins]float64 // posterior probability that the bin's likelihood ratio is below 1 (sessionAgainst)
	pay      float64              // share of payments in the log's span with no session in their window; 0 when unknown
	payN     int                  // payments in the log's span
}

var defaultModel = &model{single: -1}

// Minimum sample sizes below which nothing is learnt: with fewer handles
// the estimates are too noisy to trust over the fixed priors.
const (
	minFitHandles    = 20
	minSingleHandles = 20
)

// logMarginal is log ∫ ρ^k (1−ρ)^(n−k) p(ρ) dρ: the likelihood of k paired
// sessions of n (the order of the sessions given) when the handle is the
// payer's.
func (m *model) logMarginal(n, k float64) float64 {
	if m.alpha > 0 {
		return lbeta(k+m.alpha, n-k+m.beta) - lbeta(m.alpha, m.beta)
	}
	return math.Min(lbeta(k+1, n-k+1), logPaidMarginal(n, k))
}

// meanShare is the expected share of a buyer's sessions that follow a
// payment, under the model.
func (m *model) meanShare() float64 {
	if m.alpha > 0 {
		return m.alpha / (m.alpha + m.beta)
	}
	return 0.5
}

// singleOdds is the prior odds that a one-session handle's session is a
// paid one; 0 when unknown.
func (m *model) singleOdds() float64 {
	if m.single <= 0 {
		return 0
	}
	return m.single / (1 - m.single)
}

// Summary says what was learnt, for the run's log and the output.
func (m *model) Summary() string {
	var s string
	if m.alpha > 0 {
		s = fmt.Sprintf("share of a buyer's sessions next to his payments: Beta(%.2f, %.2f), mean %.2f, fitted to %d handle(s)", m.alpha, m.beta, m.meanShare(), m.handles)
	} else {
		s = fmt.Sprintf("share of a buyer's sessions next to his payments: not learnt (%d handle(s), %d needed): uniform, at least %.2f", m.handles, minFitHandles, MinPaidShare)
	}
	if m.single >= 0 {
		s += fmt.Sprintf("; one-session handles: %d, %.0f with a payment near their session, %.1f expected by chance: %.3f of them paid sessions", m.singleN, m.singleY, m.singleC, m.single)
	} else {
		s += fmt.Sprintf("; one-session handles: %d (%d needed to learn how many are paid sessions; prior 1:1)", m.singleN, minSingleHandles)
	}
	if m.pay > 0 {
		s += fmt.Sprintf("; payments in the logs' spans with no session of a handle seen more than once: %.3f of %d", m.pay, m.payN)
	}
	if lr := m.sessionLR(6); lr > 0 {
		var np, na float64
		for i := range sessionBins {
			np += m.paidBins[i]
			na += m.allBins[i]
		}
		s += fmt.Sprintf("; session likelihood ratios, %.0f paid sessions against %.0f one-session handles' (probability that the ratio is below 1):", np, na)
		for i, b := range []int{6, 7, 2, 5} {
			if i > 0 {
				s += ","
			}
			s += fmt.Sprintf(" %s %.2f (%.3f)", binNames[b], m.sessionLR(b), m.against[b])
		}
	}
	return s
}

func lbeta(a, b float64) float64 {
	x, _ := math.Lgamma(a)
	y, _ := math.Lgamma(b)
	z, _ := math.Lgamma(a + b)
	return x + y - z
}

// learner gathers what the devices show before the fit.
type learner struct {
	k, n              []float64
	singleN           int
	singleY, singleC  float64
	paidBins, allBins [sessionBins]float64
	payN, payNone     int
}

func (l *learner) merge(o *learner) {
	l.k, l.n = append(l.k, o.k...), append(l.n, o.n...)
	l.singleN += o.singleN
	l.singleY += o.singleY
	l.singleC += o.singleC
	for i := range sessionBins {
		l.paidBins[i] += o.paidBins[i]
		l.allBins[i] += o.allBins[i]
	}
	l.payN += o.payN
	l.payNone += o.payNone
}

// learn adds the owner's evidence: the handles that timing alone
// attributes at confidence ≥ 0.99 with at least 3 sessions (their
// paired share), and its one-session handles.
func (c *owner) learn(l *learner) {
	before := int64(c.opt.Before / time.Second)
	c.m = defaultModel
	for _, h := range c.handleList {
		ss := c.byHandle[h]
		if len(ss) == 1 {
			s := ss[0]
			l.singleN++
			if c.paymentsIn(s.at-before, s.to) > 0 {
				l.singleY++
			}
			var sum int
			for d := 1; d <= c.opt.Shifts; d++ {
				for _, sg := range []int64{86400, -86400} {
					sum += c.paymentsIn(s.at-before+sg*int64(d), s.to+sg*int64(d))
				}
			}
			lambda := float64(sum) / float64(2*c.opt.Shifts)
			l.singleC += 1 - math.Exp(-lambda)
			continue
		}
		if len(ss) < 3 {
			continue
		}
		link, _ := c.attribute(h, ss, nil)
		if link.PartyID != nil && link.Confidence >= 0.99 {
			l.k = append(l.k, float64(link.Matched))
			l.n = append(l.n, float64(len(ss)))
			for _, pr := range link.Pairs {
				for _, s := range ss {
					if s.ev.ID == pr.EventID {
						l.paidBins[sessionBin(s.ev)]++
						break
					}
				}
			}
		}
	}
	c.learnSingle(l)
}

// paymentsIn counts the owner's payments from lo to hi (Unix seconds).
func (c *owner) paymentsIn(lo, hi int64) int {
	i := sort.Search(len(c.pays), func(i int) bool { return c.pays[i].at >= lo })
	j := sort.Search(len(c.pays), func(i int) bool { return c.pays[i].at > hi })
	return max(0, j-i)
}

// fit estimates the model: the Beta prior of ρ by maximum likelihood of
// the beta-binomial on a grid (mean 0.05…0.95 by 0.01, concentration
// 0.5…200), and the one-session share by the method of moments.
func (l *learner) fit() *model {
	m := &model{single: -1, handles: len(l.k), singleN: l.singleN, singleY: l.singleY, singleC: l.singleC,
		paidBins: l.paidBins, allBins: l.allBins, payN: l.payN}
	if l.payN >= minSingleHandles {
		m.pay = math.Max(float64(l.payNone)/float64(l.payN), 1/float64(l.payN))
	}
	if len(l.k) >= minFitHandles {
		m.alpha, m.beta = l.fitBeta(runtime.GOMAXPROCS(0))
	}
	if l.singleN >= minSingleHandles {
		n := float64(l.singleN)
		p := (l.singleY - l.singleC) / (n - l.singleC)
		m.single = math.Max(0, math.Min(0.99, p))
	}
	for b := range sessionBins {
		m.against[b] = m.sessionAgainst(b)
	}
	return m
}

// betaGrid is the grid of Beta priors fitBeta searches: means 0.05, 0.06,
// … 0.95 (as a running sum, as first written) by concentrations.
var betaGrid = func() (g [][2]float64) {
	for mu := 0.05; mu < 0.955; mu += 0.01 {
		for _, kappa := range []float64{0.5, 1, 2, 3, 5, 8, 13, 20, 30, 50, 80, 130, 200} {
			g = append(g, [2]float64{mu * kappa, (1 - mu) * kappa})
		}
	}
	return g
}()

// fitBeta returns the Beta(α, β) of the grid under which the handles'
// counts are likeliest, the first in grid order of equal likelihoods.
// The grid points' likelihoods are computed on workers goroutines (one
// handle's terms added in the same order on any), then compared in grid
// order: the same pick whatever the workers.
func (l *learner) fitBeta(workers int) (alpha, beta float64) {
	ll := make([]float64, len(betaGrid))
	k := min(workers, len(betaGrid))
	var wg sync.WaitGroup
	for w := range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := w; j < len(betaGrid); j += k {
				a, b := betaGrid[j][0], betaGrid[j][1]
				base := lbeta(a, b)
				var s float64
				for i := range l.k {
					s += lbeta(l.k[i]+a, l.n[i]-l.k[i]+b) - base
				}
				ll[j] = s
			}
		}()
	}
	wg.Wait()
	best := math.Inf(-1)
	for j, v := range ll {
		if v > best {
			best, alpha, beta = v, betaGrid[j][0], betaGrid[j][1]
		}
	}
	return alpha, beta
}
