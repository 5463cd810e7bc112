package correlate

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vigilfiu/vigil"
)

// TestFitLearnsPaidShare: handles of which about 90% of the sessions
// follow their payer's payments give a Beta prior with a mean near 0.9;
// too few handles give no fit (the fixed prior stays).
func TestFitLearnsPaidShare(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var l learner
	for range 60 {
		n := 3 + rng.IntN(20)
		k := 0
		for range n {
			if rng.Float64() < 0.9 {
				k++
			}
		}
		l.k, l.n = append(l.k, float64(k)), append(l.n, float64(n))
	}
	m := l.fit()
	if mean := m.meanShare(); m.alpha == 0 || mean < 0.85 || mean > 0.95 {
		t.Fatalf("fit %+v, mean %.3f, want ≈ 0.9", m, mean)
	}
	few := learner{k: l.k[:minFitHandles-1], n: l.n[:minFitHandles-1]}
	if m := few.fit(); m.alpha != 0 {
		t.Fatalf("fitted on %d handles: %+v", minFitHandles-1, m)
	}
}

// TestFitBetaOnCoresIsTheSerialFit: the grid's likelihoods computed on
// several goroutines pick the prior the one-loop search picked (its code
// kept here as the reference), for shares from 0.1 to 0.95 and ties.
func TestFitBetaOnCoresIsTheSerialFit(t *testing.T) {
	serial := func(l *learner) (alpha, beta float64) {
		best := math.Inf(-1)
		for mu := 0.05; mu < 0.955; mu += 0.01 {
			for _, kappa := range []float64{0.5, 1, 2, 3, 5, 8, 13, 20, 30, 50, 80, 130, 200} {
				a, b := mu*kappa, (1-mu)*kappa
				base := lbeta(a, b)
				var ll float64
				for i := range l.k {
					ll += lbeta(l.k[i]+a, l.n[i]-l.k[i]+b) - base
				}
				if ll > best {
					best, alpha, beta = ll, a, b
				}
			}
		}
		return alpha, beta
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, share := range []float64{0.1, 0.5, 0.9, 0.95} {
		var l learner
		for range 200 {
			n := 1 + rng.IntN(30)
			k := 0
			for range n {
				if rng.Float64() < share {
					k++
				}
			}
			l.k, l.n = append(l.k, float64(k)+0.5*float64(rng.IntN(2))), append(l.n, float64(n))
		}
		wa, wb := serial(&l)
		for _, w := range []int{1, 2, 3, 16} {
			if a, b := l.fitBeta(w); a != wa || b != wb {
				t.Errorf("share %.2f, %d worker(s): Beta(%v, %v), one loop Beta(%v, %v)", share, w, a, b, wa, wb)
			}
		}
	}
	// Every handle alike at k = n/2: the likelihoods of symmetric priors
	// are close; the first in grid order of the largest still wins.
	l := learner{k: []float64{5, 5, 5}, n: []float64{10, 10, 10}}
	if a, b := l.fitBeta(2); func() bool { wa, wb := serial(&l); return a != wa || b != wb }() {
		t.Errorf("ties: Beta(%v, %v) differs from the one loop's", a, b)
	}
}

// TestLowShareIsEvidenceAgainst: a busy handle of 17 sessions, 3 of which
// fall near one payer's payments (chance 0.25% each), was evidence FOR
// the payer under the fixed prior (ρ ≥ 0.25); with a learnt share of
// about 0.9 the 14 sessions the payer does not explain weigh against him.
func TestLowShareIsEvidenceAgainst(t *testing.T) {
	learnt := &model{alpha: 18, beta: 2}
	if bf := bayesFactor(defaultModel, 17, 17, 3, 0.0025); bf < 10 {
		t.Fatalf("fixed prior: BF %.3g, the case this test pins had BF > 10", bf)
	}
	if bf := bayesFactor(learnt, 17, 17, 3, 0.0025); bf >= 1 {
		t.Errorf("learnt prior: 3 of 17 sessions paired gives BF %.3g, want < 1", bf)
	}
	// All sessions paired stays strong evidence.
	if bf := bayesFactor(learnt, 5, 5, 5, 0.02); bf < 1e6 {
		t.Errorf("learnt prior: 5 of 5 paired gives BF %.3g, want > 1e6", bf)
	}
}

// TestNameEvidenceWeighsCommonness: a surname carried by 5% of the
// population is worth 1/0.05 = 20, below the ceiling of 30; a rare one
// keeps the ceiling; a given name next to the surname's initial and the
// birth year ("wolfgang.h57") is strong evidence.
func TestNameEvidenceWeighsCommonness(t *testing.T) {
	var parties []vigil.Party
	add := func(name string, n int) {
		for range n {
			parties = append(parties, vigil.Party{FullName: name})
		}
	}
	add("Anna Martin", 49)
	add("Peter Smith", 500)
	add("Zoe Quist", 1)
	add("Wolfgang Hartmann", 2)
	add("Kylie Wright", 448)
	pop := newNamePop(parties)
	martin := newPayerID(&vigil.Party{FullName: "Paul Martin", BirthDate: vigil.Date{Year: 1970}}, pop)
	id := martin.link("rmartin62")
	if want := 1 / pop.share("martin"); math.Abs(id.lr-want) > 1e-9 || id.lr >= LRSurname {
		t.Errorf("common surname: LR %.2f, want %.2f (< %v): %s", id.lr, want, float64(LRSurname), id.why)
	}
	quist := newPayerID(&vigil.Party{FullName: "Robert Quist"}, pop)
	if id := quist.link("quist_eagle"); id.lr != LRSurname {
		t.Errorf("rare surname: LR %.2f, want the ceiling %v: %s", id.lr, float64(LRSurname), id.why)
	}
	w := newPayerID(&vigil.Party{FullName: "Wolfgang Hartmann", BirthDate: vigil.Date{Year: 1957}}, pop)
	if id := w.link("wolfgang.h57"); id.lr != LRInitial*LRBirthYear {
		t.Errorf("given name + surname initial + birth year: LR %.2f, want %v: %s", id.lr, LRInitial*LRBirthYear, id.why)
	}
	if id := w.link("wolfgang.k57"); id.lr >= LRInitial {
		t.Errorf("another surname initial: LR %.2f: %s", id.lr, id.why)
	}
	// Without a population the ceilings hold, as before.
	if id := newPayerID(&vigil.Party{FullName: "Paul Martin"}, nil).link("rmartin62"); id.lr != LRSurname {
		t.Errorf("no population: LR %.2f, want %v", id.lr, float64(LRSurname))
	}
}

func TestPoissonTail(t *testing.T) {
	// P(X ≥ 3), X ~ Poisson(0.5) = 1 − e^−0.5 (1 + 0.5 + 0.125).
	want := 1 - math.Exp(-0.5)*(1+0.5+0.125)
	if got := poissonTail(3, 0.5); math.Abs(got-want) > 1e-12 {
		t.Fatalf("poissonTail(3, 0.5) = %v, want %v", got, want)
	}
	if got := poissonTail(0, 2); got != 1 {
		t.Fatalf("poissonTail(0, 2) = %v", got)
	}
}

// TestProbBetaGreater: P(X > Y) for Beta variables against values worked
// by hand (uniform against uniform 1/2; Beta(2,1), density 2x, against a
// uniform 2/3; Beta(1,2) 1/3), and the two orders summing to 1.
func TestProbBetaGreater(t *testing.T) {
	for _, c := range []struct{ a1, b1, a2, b2, want float64 }{
		{1, 1, 1, 1, 0.5}, {2, 1, 1, 1, 2.0 / 3}, {1, 2, 1, 1, 1.0 / 3}, {1, 1, 2, 1, 1.0 / 3},
	} {
		if got := probBetaGreater(c.a1, c.b1, c.a2, c.b2); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("P(Beta(%g,%g) > Beta(%g,%g)) = %.15f, want %.15f", c.a1, c.b1, c.a2, c.b2, got, c.want)
		}
	}
	for _, c := range [][4]float64{{2, 77, 1, 501}, {26, 82, 34, 318}, {46, 62, 151, 201}, {301, 943, 401, 4601}} {
		x, y := probBetaGreater(c[0], c[1], c[2], c[3]), probBetaGreater(c[2], c[3], c[0], c[1])
		if math.Abs(x+y-1) > 1e-9 {
			t.Errorf("%v: P(X > Y) %.12f + P(Y > X) %.12f != 1", c, x, y)
		}
	}
}

// TestSessionAgainst: the one-session rule's gate declines a session
// kind only when the counts say it is evidence against a paid session
// (posterior probability ≥ AgainstMin that its likelihood ratio is below
// 1). A ratio just below 1 from a 40k world's counts (seed 62: videos of
// 4–30 min, 0.97) says nothing either way; a voice call of 4–30 minutes,
// rarer among paid sessions than among one-session handles' at the same
// rates in a 40k or a 5M world's counts, does; so does a kind seen once
// among one-session handles and never among 500 paid sessions.
func TestSessionAgainst(t *testing.T) {
	// Shares by bin (call unknown, < 4, 4–30, ≥ 30 min; video the
	// same) of paid sessions and of the one-session handles' unpaid ones.
	paid := [sessionBins]float64{0, 0, 0.095, 0.055, 0, 0, 0.54, 0.31}
	unpaid := [sessionBins]float64{0, 0.07, 0.23, 0, 0, 0.05, 0.57, 0.08}
	build := func(np, na, p float64) *model {
		m := &model{single: p, singleN: int(na)}
		for i := range sessionBins {
			m.paidBins[i] = math.Round(paid[i] * np)
			m.allBins[i] = math.Round((p*paid[i] + (1-p)*unpaid[i]) * na)
		}
		return m
	}
	small, big := build(350, 106, 0.285), build(3500, 1060, 0.285)
	if lr, p := small.sessionLR(6), small.sessionAgainst(6); lr >= 1 || lr < 0.9 || p >= AgainstMin || p < 0.2 {
		t.Errorf("40k-size counts, video of 4–30 min: LR %.3f, P(LR < 1) %.3f; want LR just below 1, P neither way", lr, p)
	}
	for name, m := range map[string]*model{"40k": small, "5M": big} {
		if lr, p := m.sessionLR(2), m.sessionAgainst(2); lr >= 0.6 || p < AgainstMin {
			t.Errorf("%s-size counts, call of 4–30 min: LR %.3f, P(LR < 1) %.3f; want evidence against", name, lr, p)
		}
	}
	// The bin holds one one-session handle's session and no paid one.
	rare := build(500, 77, 0.3)
	rare.paidBins[1], rare.allBins[1] = 0, 1
	if p := rare.sessionAgainst(1); p < AgainstMin {
		t.Errorf("1 of 77 one-session handles' sessions, none of 500 paid: P(LR < 1) %.3f, want ≥ %.2f", p, AgainstMin)
	}
	// Not learnt: too few paid sessions.
	if p := build(10, 106, 0.285).sessionAgainst(6); p != 0 {
		t.Errorf("10 paid sessions: P(LR < 1) %.3f, want 0 (nothing learnt)", p)
	}
}
