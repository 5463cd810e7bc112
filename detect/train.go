package detect

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/vigilfiu/vigil"
)

// WeightChange is one weight before and after a fit.
type WeightChange struct {
	Code   string  `yaml:"code" json:"code"`
	Before float64 `yaml:"before" json:"before"`
	After  float64 `yaml:"after" json:"after"`
}

// FitReport says how a pack's weights were fitted and how well.
type FitReport struct {
	Data      string         `yaml:"data" json:"data"` // what the labels were
	Senders   int            `yaml:"senders" json:"senders"`
	Positives int            `yaml:"positives" json:"positives"`
	Lambda    float64        `yaml:"lambda" json:"lambda"`
	LogLoss   float64        `yaml:"log_loss" json:"log_loss"` // mean, after the fit
	LogLoss0  float64        `yaml:"log_loss_before" json:"log_loss_before"`
	AP        float64        `yaml:"average_precision" json:"average_precision"`
	AP0       float64        `yaml:"average_precision_before" json:"average_precision_before"`
	Intercept [2]float64     `yaml:"intercept" json:"intercept"` // before, after
	Changes   []WeightChange `yaml:"weights" json:"weights"`
	// Rounds is how many fits FitEngine ran until the weights settled
	// (LSC-PROPAGATION recomputed from the fitted weights each time).
	Rounds int `yaml:"rounds,omitempty" json:"rounds,omitempty"`
}

// Fit re-fits the weights and intercept of pack by L2-regularised logistic
// regression on labelled senders: x[i] are the indicator values of sender
// i in the order of codes (Engine.Features) and y[i] is 1 for a confirmed
// case, 0 for a cleared one. The penalty lambda·Σ(w−w₀)² pulls each weight
// towards its value in pack (the prior set by reasoning about the
// sources), so few labels move the pack little; the intercept is not
// penalised. It returns a new pack (version suffixed "+fit") and the
// report.
func Fit(pack *Pack, codes []string, x [][]float64, y []float64, lambda float64, data string) (*Pack, *FitReport, error) {
	if len(x) != len(y) || len(x) == 0 {
		return nil, nil, vigil.Errorf(vigil.EINVALID, "no labelled sender with transfers to fit on")
	}
	pos := 0
	for _, v := range y {
		if v != 0 && v != 1 {
			return nil, nil, vigil.Errorf(vigil.EINVALID, "labels must be 0 or 1, got %g", v)
		}
		if v == 1 {
			pos++
		}
	}
	if pos == 0 || pos == len(y) {
		return nil, nil, vigil.Errorf(vigil.EINVALID, "labels need both confirmed (1) and cleared (0) senders; got %d of %d confirmed", pos, len(y))
	}
	k := len(codes)
	prior := make([]float64, k+1)
	prior[0] = pack.Intercept
	for j, c := range codes {
		prior[j+1] = pack.Indicators[c].Weight
	}
	theta := append([]float64(nil), prior...)
	before := predictAll(theta, x)
	for iter := 0; iter < 50; iter++ {
		g := make([]float64, k+1)
		h := make([][]float64, k+1)
		for a := range h {
			h[a] = make([]float64, k+1)
		}
		for i, xi := range x {
			p := sigmoid(dot(theta, xi))
			d := p - y[i]
			wv := p * (1 - p)
			g[0] += d
			h[0][0] += wv
			for a := 0; a < k; a++ {
				g[a+1] += d * xi[a]
				h[0][a+1] += wv * xi[a]
				h[a+1][0] += wv * xi[a]
				for b := 0; b < k; b++ {
					h[a+1][b+1] += wv * xi[a] * xi[b]
				}
			}
		}
		for a := 1; a <= k; a++ {
			g[a] += 2 * lambda * (theta[a] - prior[a])
			h[a][a] += 2 * lambda
		}
		h[0][0] += 1e-9
		step, ok := solve(h, g)
		if !ok {
			return nil, nil, vigil.Errorf(vigil.EINTERNAL, "fit: singular system (raise --lambda)")
		}
		// damped Newton: halve the step until the penalised loss falls.
		old := objective(theta, prior, x, y, lambda)
		next := make([]float64, len(theta))
		maxStep := 0.0
		for f := 1.0; f > 1e-6; f /= 2 {
			maxStep = 0
			for a := range theta {
				next[a] = theta[a] - f*step[a]
				maxStep = max(maxStep, math.Abs(f*step[a]))
			}
			if objective(next, prior, x, y, lambda) <= old {
				break
			}
		}
		copy(theta, next)
		if maxStep < 1e-7 {
			break
		}
	}
	after := predictAll(theta, x)
	out := *pack
	out.Intercept = round4(theta[0])
	out.Indicators = map[string]PackIndicator{}
	for c, pi := range pack.Indicators {
		out.Indicators[c] = pi
	}
	rep := &FitReport{Data: data, Senders: len(y), Positives: pos, Lambda: lambda,
		LogLoss0: logLoss(before, y), LogLoss: logLoss(after, y),
		AP0: AveragePrecision(before, boolsOf(y)), AP: AveragePrecision(after, boolsOf(y)),
		Intercept: [2]float64{prior[0], out.Intercept}}
	for j, c := range codes {
		pi := out.Indicators[c]
		pi.Weight = round4(theta[j+1])
		out.Indicators[c] = pi
		rep.Changes = append(rep.Changes, WeightChange{Code: c, Before: prior[j+1], After: pi.Weight})
	}
	out.Version = pack.Version + "+fit"
	out.Fit = rep
	return &out, rep, nil
}

// objective is the penalised negative log-likelihood that Fit minimises.
func objective(theta, prior []float64, x [][]float64, y []float64, lambda float64) float64 {
	s := 0.0
	for i, xi := range x {
		z := dot(theta, xi)
		// log(1+e^z) - y z, computed stably
		if z > 0 {
			s += z + math.Log1p(math.Exp(-z)) - y[i]*z
		} else {
			s += math.Log1p(math.Exp(z)) - y[i]*z
		}
	}
	for a := 1; a < len(theta); a++ {
		d := theta[a] - prior[a]
		s += lambda * d * d
	}
	return s
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func boolsOf(y []float64) []bool {
	out := make([]bool, len(y))
	for i, v := range y {
		out[i] = v == 1
	}
	return out
}

func dot(theta, x []float64) float64 {
	s := theta[0]
	for j, v := range x {
		s += theta[j+1] * v
	}
	return s
}

func predictAll(theta []float64, x [][]float64) []float64 {
	out := make([]float64, len(x))
	for i, xi := range x {
		out[i] = sigmoid(dot(theta, xi))
	}
	return out
}

func logLoss(p, y []float64) float64 {
	s := 0.0
	for i := range p {
		q := math.Min(math.Max(p[i], 1e-12), 1-1e-12)
		if y[i] == 1 {
			s -= math.Log(q)
		} else {
			s -= math.Log(1 - q)
		}
	}
	return s / float64(len(p))
}

// solve solves h·s = g by Gaussian elimination with partial pivoting.
func solve(h [][]float64, g []float64) ([]float64, bool) {
	n := len(g)
	a := make([][]float64, n)
	for i := range a {
		a[i] = append(append([]float64(nil), h[i]...), g[i])
	}
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-12 {
			return nil, false
		}
		a[c], a[p] = a[p], a[c]
		for r := c + 1; r < n; r++ {
			f := a[r][c] / a[c][c]
			for k := c; k <= n; k++ {
				a[r][k] -= f * a[c][k]
			}
		}
	}
	s := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		v := a[r][n]
		for k := r + 1; k < n; k++ {
			v -= a[r][k] * s[k]
		}
		s[r] = v / a[r][r]
	}
	return s, true
}

// AveragePrecision is the mean, over the positives, of the precision at
// each positive's rank when items are sorted by score (ties broken
// pessimistically: negatives first). Positives never scored count as
// missed if they are absent from scores; callers pass every labelled item.
func AveragePrecision(scores []float64, pos []bool) float64 {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		if scores[idx[a]] != scores[idx[b]] {
			return scores[idx[a]] > scores[idx[b]]
		}
		return !pos[idx[a]] && pos[idx[b]]
	})
	total := 0
	for _, p := range pos {
		if p {
			total++
		}
	}
	if total == 0 {
		return 0
	}
	hits, sum := 0, 0.0
	for r, i := range idx {
		if pos[i] {
			hits++
			sum += float64(hits) / float64(r+1)
		}
	}
	return sum / float64(total)
}

// String summarises a fit for the terminal.
func (r *FitReport) String() string {
	s := fmt.Sprintf("fitted on %d senders (%d confirmed), lambda %g, %d rounds\nlog-loss %.4f → %.4f, average precision %.3f → %.3f\nintercept %+.3f → %+.3f\n",
		r.Senders, r.Positives, r.Lambda, max(r.Rounds, 1), r.LogLoss0, r.LogLoss, r.AP0, r.AP, r.Intercept[0], r.Intercept[1])
	for _, c := range r.Changes {
		s += fmt.Sprintf("  %-22s %+7.3f → %+7.3f  (%+.3f)\n", c.Code, c.Before, c.After, c.After-c.Before)
	}
	return s
}

// Reweight makes the engine score with pack from now on. pack must differ
// from the engine's pack in weights and intercept only (as a pack written
// by Fit does): the observed state depends on the other settings.
func (e *Engine) Reweight(pack *Pack) error {
	if err := pack.Validate(); err != nil {
		return err
	}
	old := e.pack
	if pack.LowValueEUR != old.LowValueEUR || pack.RoundUnit != old.RoundUnit ||
		pack.LateFromHour != old.LateFromHour || pack.LateToHour != old.LateToHour ||
		strings.Join(pack.Corridors, ",") != strings.Join(old.Corridors, ",") ||
		strings.Join(pack.PrimaryCorridors, ",") != strings.Join(old.PrimaryCorridors, ",") ||
		strings.Join(pack.CoverWords, ",") != strings.Join(old.CoverWords, ",") ||
		strings.Join(pack.OrganisationWords, ",") != strings.Join(old.OrganisationWords, ",") {
		return vigil.Errorf(vigil.EINVALID, "reweight: pack %s changes settings other than weights", pack.Label())
	}
	inds, err := pack.compile()
	if err != nil {
		return err
	}
	if len(inds) != len(e.inds) {
		return vigil.Errorf(vigil.EINVALID, "reweight: pack %s has other indicators", pack.Label())
	}
	for i := range inds {
		if inds[i].def.Code != e.inds[i].def.Code || fmt.Sprint(inds[i].params) != fmt.Sprint(e.inds[i].params) {
			return vigil.Errorf(vigil.EINVALID, "reweight: pack %s changes indicator %s beyond its weight", pack.Label(), inds[i].def.Code)
		}
	}
	e.pack, e.inds, e.label = pack, inds, pack.Label()
	// scores cached under the old weights no longer hold
	e.coScores = nil
	for i := range e.demand.baseAt {
		e.demand.baseAt[i] = -1
	}
	return nil
}

// FitEngine fits pack's weights on the senders the engine has observed
// (labels: party id → 1 confirmed, 0 cleared) as Fit does, and repeats the
// fit with the propagation indicator recomputed from the fitted weights
// until the weights settle (at most rounds fits): LSC-PROPAGATION depends
// on the other senders' scores, so a single fit on values computed with
// the old weights is not self-consistent. The penalty always pulls towards
// pack. The engine is left scoring with pack.
func FitEngine(e *Engine, pack *Pack, labels map[string]float64, lambda float64, rounds int, data string) (*Pack, *FitReport, error) {
	if rounds < 1 {
		rounds = 1
	}
	defer e.Reweight(pack)
	var out *Pack
	var rep *FitReport
	var ap0, loss0 float64
	for r := 0; r < rounds; r++ {
		ids, x := e.Features()
		var xs [][]float64
		var ys []float64
		for i, id := range ids {
			if y, ok := labels[id]; ok {
				xs = append(xs, x[i])
				ys = append(ys, y)
			}
		}
		next, nrep, err := Fit(pack, e.Codes(), xs, ys, lambda, data)
		if err != nil {
			return nil, nil, err
		}
		if r == 0 {
			ap0, loss0 = nrep.AP0, nrep.LogLoss0
		}
		settled := out != nil && maxWeightChange(out, next) < 0.01
		if out != nil && !settled {
			// the fixed point can oscillate (high propagation weight → low
			// co-sender scores → high weight again): move halfway
			next = mixWeights(out, next)
		}
		out, rep = next, nrep
		rep.Rounds = r + 1
		if settled {
			break
		}
		if err := e.Reweight(out); err != nil {
			return nil, nil, err
		}
	}
	rep.AP0, rep.LogLoss0 = ap0, loss0
	return out, rep, nil
}

// mixWeights returns b with every weight and the intercept halfway
// between a's and b's.
func mixWeights(a, b *Pack) *Pack {
	out := *b
	out.Intercept = round4((a.Intercept + b.Intercept) / 2)
	out.Indicators = make(map[string]PackIndicator, len(b.Indicators))
	for c, pb := range b.Indicators {
		pb.Weight = round4((a.Indicators[c].Weight + pb.Weight) / 2)
		out.Indicators[c] = pb
	}
	return &out
}

func maxWeightChange(a, b *Pack) float64 {
	d := math.Abs(a.Intercept - b.Intercept)
	for c, pa := range a.Indicators {
		d = max(d, math.Abs(pa.Weight-b.Indicators[c].Weight))
	}
	return d
}
