package resolve

import "math"

// maxListShare caps the estimated share of a list's leads that are in the
// reference records. With every lead in the data (FEBRL4) EM would put it
// at 1, and "the lead is nobody here" would then weigh nothing against a
// lone weak candidate; a list is never taken to be more than 95 %
// customers.
const maxListShare = 0.95

// leadGroup is the comparison vectors of one lead's best candidates, one
// after the other (len(fields) values each).
type leadGroup struct {
	vecs []int8
}

// emFitLinked estimates m (and a blocked-population u for the fit only)
// by expectation–maximisation under the one-to-one constraint of linking
// a list to reference records: a lead is at most one person. Each lead
// is either none of its candidates (probability 1−π) or exactly one of
// them, and the E step shares the lead's belief among its candidates:
//
//	P(candidate k is the lead) = (π/K)·L_k / ((1−π) + (π/K)·Σ_j L_j)
//
// with L_k = Π m/u over the fields of k's comparison vector and K the
// number of candidates. Pairwise EM (emFit) treats every pair on its own,
// and when names are shared by many people it learns "same name" instead
// of "same person": the namesakes among a lead's candidates then look
// like matches whose birth dates differ. Here a namesake competes with
// the lead's true party, and a birth date that differs is learnt to be
// rare among matches. Each level's m starts from minLevelMass
// pseudo-pairs at its default share (a short list keeps near the default
// where it has few matches to learn from). It returns m, π (the share of leads that are one of
// their candidates), the number of iterations and each candidate's
// posterior of the last E step (post[g][k]: lead g is candidate k).
func emFitLinked(groups []leadGroup, uRandom [][]float64, maxIter int) (m [][]float64, share float64, iters int, post [][]float64) {
	nf := len(fields)
	m, u := emStart(uRandom)
	share = 0.5
	post = make([][]float64, len(groups))
	lw := make([]float64, 0, emTopK)
	for iters = 1; iters <= maxIter; iters++ {
		// E step, lead by lead (log-space weights, scaled by their maximum)
		total := 0.0
		for g, gr := range groups {
			n := len(gr.vecs) / nf
			post[g] = post[g][:0]
			if n == 0 {
				continue
			}
			lw = lw[:0]
			best := math.Inf(-1)
			for k := 0; k < n; k++ {
				w := math.Log(share / float64(n))
				for i, l := range gr.vecs[k*nf : (k+1)*nf] {
					if l >= 0 {
						w += math.Log(m[i][l]) - math.Log(u[i][l])
					}
				}
				lw = append(lw, w)
				best = math.Max(best, w)
			}
			none := math.Log(1 - share)
			best = math.Max(best, none)
			den := math.Exp(none - best)
			for _, w := range lw {
				den += math.Exp(w - best)
			}
			for _, w := range lw {
				p := math.Exp(w-best) / den
				post[g] = append(post[g], p)
				total += p
			}
		}
		// M step
		// m: the default shares as minLevelMass pseudo-pairs, so that a
		// level seen among few matches of a short list keeps close to its
		// default and a long list overrides it
		nm, nu := levelCounts(func(i, k int) float64 { return minLevelMass * defaultM[i][k] })
		for g, gr := range groups {
			for k, p := range post[g] {
				for i, l := range gr.vecs[k*nf : (k+1)*nf] {
					if l >= 0 {
						nm[i][l] += p
						nu[i][l] += 1 - p
					}
				}
			}
		}
		delta := normaliseStep(nm, nu, m)
		m, u = nm, nu
		newShare := math.Min(math.Max(total/float64(max(len(groups), 1)), 1e-4), maxListShare)
		delta = math.Max(delta, math.Abs(newShare-share))
		share = newShare
		if delta < 1e-5 {
			break
		}
	}
	return m, share, iters, post
}
