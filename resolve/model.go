package resolve

import (
	"math"
	"math/rand/v2"
	"strings"
)

// Level is one agreement level of a field with its probabilities: M is
// P(level | same person), U is P(level | different people).
type Level struct {
	Name string  `json:"level"`
	M    float64 `json:"m"`
	U    float64 `json:"u"`
}

// Bits is the weight of the level: log2(M/U).
func (l Level) Bits() float64 { return math.Log2(l.M / l.U) }

// FieldModel is the estimated model of one field.
type FieldModel struct {
	Name   string  `json:"field"`
	Levels []Level `json:"levels"`
}

// Model is a Fellegi–Sunter model: per-field levels with m and u, and
// the prior probability that a random pair is a match.
type Model struct {
	Fields []FieldModel `json:"fields"`
	// Lambda is the share of matches among the blocked pairs EM saw.
	Lambda float64 `json:"lambda"`
	// ListShare (π) is the share of a list's leads estimated to be one of
	// the reference records (linking only, after Matcher.Fit; 0 when each
	// pair is scored on its own, as in Dedupe).
	ListShare float64 `json:"list_share,omitempty"`
	// PriorBits is log2 of the prior odds that two records taken at
	// random are the same person.
	PriorBits float64 `json:"prior_bits"`
	// EMIterations is how many EM rounds ran before convergence.
	EMIterations int `json:"em_iterations"`
}

// tfTable counts the values of a name field in the reference records, for
// term-frequency adjustment.
type tfTable struct {
	counts map[string]int32
	total  int
}

func (t *tfTable) add(v string) {
	if v != "" {
		t.counts[v]++
		t.total++
	}
}

// freq returns the share of records with value v, at least one record.
func (t *tfTable) freq(v string) float64 {
	if t.total == 0 {
		return 0
	}
	c := t.counts[v]
	if c < 1 {
		c = 1
	}
	return float64(c) / float64(t.total)
}

// estimateU computes u for every level from pairs of records drawn at
// random (almost all of them different people), with add-one smoothing.
func estimateU(recs []prepared, pairs int, seed uint64) [][]float64 {
	return estimateUCross(recs, recs, pairs, seed)
}

// estimateUCross estimates u from random pairs of one record of left and
// one of right: for linking, the pairs of a lead and a party, whose fields
// differ in precision (a lead's year-only birth date) from party pairs.
func estimateUCross(left, right []prepared, pairs int, seed uint64) [][]float64 {
	recs := right
	counts := make([][]float64, len(fields))
	for i, f := range fields {
		counts[i] = make([]float64, len(f.levels))
		for k := range counts[i] {
			counts[i][k] = 1
		}
	}
	if len(left) >= 1 && len(recs) >= 2 {
		r := rand.New(rand.NewPCG(seed, 0x5eed))
		vec := make([]int8, len(fields))
		for n := 0; n < pairs; n++ {
			a, b := r.IntN(len(left)), r.IntN(len(recs))
			if &left[a] == &recs[b] {
				continue
			}
			compareInto(&left[a], &recs[b], vec)
			for i, l := range vec {
				if l >= 0 {
					counts[i][l]++
				}
			}
		}
	}
	for i := range counts {
		normalise(counts[i])
	}
	return counts
}

func normalise(p []float64) {
	s := 0.0
	for _, v := range p {
		s += v
	}
	for k := range p {
		p[k] /= s
	}
}

// pattern is a distinct comparison vector with its number of pairs.
type pattern struct {
	vec   []int8
	count float64
}

// emFit estimates m (and a blocked-population u) by expectation–
// maximisation on the comparison vectors of blocked pairs. uRandom seeds
// u; the model keeps uRandom for scoring, since the blocked pairs are not
// a fair sample of non-matches.
// initialM is EM's starting m for a field of L levels: matches mostly
// agree exactly, fewer at each level after.
func initialM(L int) []float64 {
	m := make([]float64, L)
	rest := 0.1
	m[0] = 0.9
	for k := 1; k < L; k++ {
		rest /= 2
		m[k] = rest
	}
	normalise(m)
	return m
}

// emStart returns EM's starting m (initialM for each field) and u (a
// copy of uRandom).
func emStart(uRandom [][]float64) (m, u [][]float64) {
	m = make([][]float64, len(fields))
	u = make([][]float64, len(fields))
	for i, f := range fields {
		m[i] = initialM(len(f.levels))
		u[i] = append([]float64(nil), uRandom[i]...)
	}
	return m, u
}

// levelCounts returns the M step's counts per field and level, m's
// starting at mStart(field, level) pseudo-pairs and u's at 0.01.
func levelCounts(mStart func(i, k int) float64) (nm, nu [][]float64) {
	nm = make([][]float64, len(fields))
	nu = make([][]float64, len(fields))
	for i, f := range fields {
		nm[i] = make([]float64, len(f.levels))
		nu[i] = make([]float64, len(f.levels))
		for k := range nm[i] {
			nm[i][k], nu[i][k] = mStart(i, k), 0.01
		}
	}
	return nm, nu
}

// normaliseStep turns the M step's counts into probabilities and returns
// the largest change of an m from prev.
func normaliseStep(nm, nu, prev [][]float64) float64 {
	delta := 0.0
	for i := range nm {
		normalise(nm[i])
		normalise(nu[i])
		for k := range nm[i] {
			delta = math.Max(delta, math.Abs(nm[i][k]-prev[i][k]))
		}
	}
	return delta
}

func emFit(pats []pattern, uRandom [][]float64, maxIter int) (m [][]float64, lambda float64, iters int) {
	m, u := emStart(uRandom)
	lambda = 0.1
	post := make([]float64, len(pats))
	var massM [][]float64
	defer func() {
		// A level that EM saw among fewer than minLevelMass matched pairs
		// has no estimate worth the name: it keeps its default share.
		for i := range m {
			total, rare := 0.0, false
			for k := range m[i] {
				total += massM[i][k]
				if massM[i][k] < minLevelMass {
					rare = true
				}
			}
			if !rare || total < minLevelMass {
				if total < minLevelMass {
					m[i] = append([]float64(nil), defaultM[i]...)
				}
				continue
			}
			for k := range m[i] {
				if massM[i][k] < minLevelMass {
					m[i][k] = defaultM[i][k]
				}
			}
			normalise(m[i])
		}
	}()
	for iters = 1; iters <= maxIter; iters++ {
		// E step
		for p, pt := range pats {
			lm, lu := math.Log(lambda), math.Log(1-lambda)
			for i, l := range pt.vec {
				if l >= 0 {
					lm += math.Log(m[i][l])
					lu += math.Log(u[i][l])
				}
			}
			post[p] = 1 / (1 + math.Exp(lu-lm))
		}
		// M step
		var sumM, sumAll float64
		nm, nu := levelCounts(func(int, int) float64 { return 0.01 })
		for p, pt := range pats {
			w := post[p] * pt.count
			sumM += w
			sumAll += pt.count
			for i, l := range pt.vec {
				if l >= 0 {
					nm[i][l] += w
					nu[i][l] += pt.count - w
				}
			}
		}
		delta := normaliseStep(nm, nu, m)
		m, u = nm, nu
		massM = massOf(pats, post)
		newLambda := math.Min(math.Max(sumM/sumAll, 1e-6), 1-1e-6)
		delta = math.Max(delta, math.Abs(newLambda-lambda))
		lambda = newLambda
		if delta < 1e-5 {
			break
		}
	}
	return m, lambda, iters
}

// minLevelMass is the expected number of matched pairs below which a
// level's m estimate is replaced by its default.
const minLevelMass = 10

// massOf returns, per field and level, the expected number of matched
// pairs (the posterior-weighted count).
func massOf(pats []pattern, post []float64) [][]float64 {
	out := make([][]float64, len(fields))
	for i, f := range fields {
		out[i] = make([]float64, len(f.levels))
	}
	for p, pt := range pats {
		w := post[p] * pt.count
		for i, l := range pt.vec {
			if l >= 0 {
				out[i][l] += w
			}
		}
	}
	return out
}

func buildModel(m, u [][]float64, lambda, priorBits float64, iters int) *Model {
	md := &Model{Lambda: lambda, PriorBits: priorBits, EMIterations: iters}
	for i, f := range fields {
		fm := FieldModel{Name: f.name}
		for k, name := range f.levels {
			fm.Levels = append(fm.Levels, Level{Name: name, M: clamp(m[i][k]), U: clamp(u[i][k])})
		}
		md.Fields = append(md.Fields, fm)
	}
	return md
}

func clamp(p float64) float64 { return math.Min(math.Max(p, 1e-9), 1-1e-9) }

// FieldScore explains one field of a scored pair.
type FieldScore struct {
	Level string  `json:"level"`
	Bits  float64 `json:"bits"`
	Lead  string  `json:"lead,omitempty"`  // the value compared, as normalised
	Party string  `json:"party,omitempty"` // the value compared, as normalised
	TF    float64 `json:"tf,omitempty"`    // share of records with this value, when term-frequency adjusted
}

// Decision is the outcome for a pair.
type Decision string

const (
	DecisionMatch    Decision = "match"
	DecisionPossible Decision = "possible"
	DecisionNonMatch Decision = "non-match"
)

// scorer turns comparison vectors into weights with a model and term
// frequencies.
type scorer struct {
	model    *Model
	bits     [][]float64 // field, level → log2(m/u)
	tf       []*tfTable  // per field, nil when not adjusted
	opt      Options
	maxTFAdj float64
	// dates weighs a partial birth date's agreement by its frequency
	// (linking after Fit; nil otherwise): see dateTable.
	dates *datePartial
}

func newScorer(md *Model, tf []*tfTable, opt Options) *scorer {
	s := &scorer{model: md, tf: tf, opt: opt}
	for i, f := range md.Fields {
		b := make([]float64, len(f.Levels))
		for k, l := range f.Levels {
			b[k] = l.Bits()
			// A looser agreement never weighs more than a closer one, and
			// disagreement never counts for a match.
			if i < len(fields) && fields[i].closer != nil {
				for _, c := range fields[i].closer[k] {
					b[k] = math.Min(b[k], b[c])
				}
			} else if k > 0 && b[k] > b[k-1] {
				b[k] = b[k-1]
			}
		}
		if last := len(b) - 1; b[last] > 0 {
			b[last] = 0
		}
		s.bits = append(s.bits, b)
	}
	return s
}

// weight returns the total weight in bits of a comparison vector of (a,
// b), b being the reference side for term frequencies.
func (s *scorer) weight(vec []int8, b *prepared) float64 {
	w := 0.0
	for i, l := range vec {
		if l < 0 {
			continue
		}
		if l == 0 && s.tf[i] != nil {
			w += s.tfBits(i, b)
			continue
		}
		w += s.bits[i][l]
	}
	return w
}

// tfBits is the weight of exact agreement on the value of b: log2(m/f)
// with f the share of reference records holding that value, so that a
// rare surname weighs more than a common one.
func (s *scorer) tfBits(i int, b *prepared) float64 {
	v := fields[i].tf(b)
	f := s.tf[i].freq(v)
	lv := s.model.Fields[i].Levels[0]
	if f <= 0 {
		return lv.Bits()
	}
	// Never less than the next level ("close spelling"): an exact
	// agreement on a common name still beats a misspelt one.
	return math.Max(math.Log2(lv.M/f), s.bits[i][1])
}

// decide applies thresholds and vetoes to a scored pair.
func (s *scorer) decide(vec []int8, bits float64) (prob float64, d Decision, veto string) {
	lo := s.model.PriorBits + bits
	prob = 1 / (1 + math.Exp2(-lo))
	d, veto = s.decideProb(vec, prob)
	return prob, d, veto
}

// decideProb applies thresholds and vetoes to a pair whose posterior
// probability is prob.
func (s *scorer) decideProb(vec []int8, prob float64) (d Decision, veto string) {
	switch {
	case prob >= s.opt.MatchProbability:
		d = DecisionMatch
	case prob >= s.opt.PossibleProbability:
		d = DecisionPossible
	default:
		d = DecisionNonMatch
	}
	if d == DecisionMatch && !s.opt.NoVeto {
		direct := anyAgree(vec, directFields)
		if vec[fDOB] == DateDisagree && !direct {
			d, veto = DecisionPossible, "birth dates conflict and no phone, email, handle, account or id number agrees"
		} else if vec[fCity] == 2 && !direct && vec[fDOB] != DateExact && vec[fPostcode] != 0 && vec[fPostcode] != 1 {
			d, veto = DecisionPossible, "cities differ and no phone, email, handle, account, id number, full birth date or postcode agrees"
		}
	}
	return d, veto
}

func anyAgree(vec []int8, idx []int) bool {
	for _, i := range idx {
		if i >= 0 && vec[i] == 0 {
			return true
		}
	}
	return false
}

// explain returns the per-field explanation of a pair.
func (s *scorer) explain(vec []int8, a, b *prepared) map[string]FieldScore {
	out := make(map[string]FieldScore, len(vec))
	swap := swapNames(a, b)
	for i, l := range vec {
		if l < 0 {
			continue
		}
		fs := FieldScore{Level: fields[i].levels[l], Bits: round2(s.bits[i][l])}
		fs.Lead, fs.Party = fieldValue(i, a, swap), fieldValue(i, b, false)
		if l == 0 && s.tf[i] != nil {
			fs.Bits = round2(s.tfBits(i, b))
			fs.TF = s.tf[i].freq(fields[i].tf(b))
		}
		if i == fPhone && l == 0 && a.phone != b.phone {
			if t := secondPhone(a, b); t != "" {
				fs.Lead, fs.Party = "…"+t+" (the handle)", "…"+t
				if b.phone2 == t {
					fs.Lead, fs.Party = "…"+a.phone, "…"+t+" (the handle)"
				}
			}
		}
		if i == fGiven && l == 0 && spelledInitial(a, b) {
			if len(a.given1) == 1 {
				fs.Lead += " (" + b.given1 + " in its email or handle)"
			} else {
				fs.Party += " (" + a.given1 + " in its email or handle)"
			}
		}
		if i == fDOB && int(l) == DatePartial {
			if pb, f, ok := s.partialBits(a, b); ok {
				fs.Bits, fs.TF = round2(pb), f
			}
		}
		out[fields[i].name] = fs
	}
	return out
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func fieldValue(i int, p *prepared, swap bool) string {
	switch fields[i].name {
	case "surname":
		if swap {
			return p.given
		}
		return p.surname
	case "given_name":
		if swap {
			return p.surname
		}
		return p.given
	case "birth_date":
		return p.dob.String()
	case "phone":
		if p.phoneFromHandle {
			return "…" + p.phone + " (the handle)"
		}
		return "…" + p.phone
	case "email":
		return p.email
	case "handle":
		return p.handle
	case "account":
		return p.account
	case "id_number":
		return p.idnum
	case "address":
		return p.address
	case "city":
		return p.city
	case "postcode":
		return p.postcode
	case "country":
		return p.country
	case "gender":
		return p.gender
	case "occupation":
		return p.occupation
	}
	return ""
}

func vecKey(vec []int8) string {
	var b strings.Builder
	for _, l := range vec {
		b.WriteByte(byte(l + 2))
	}
	return b.String()
}
