package resolve

import (
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"
)

// Options tune matching. The zero value is replaced by the defaults.
type Options struct {
	// MatchProbability is the posterior probability from which a pair is a
	// match (default 0.95); PossibleProbability the one from which it is
	// worth a human look (default 0.10).
	MatchProbability    float64
	PossibleProbability float64
	// MaxBlock skips strong blocking keys shared by more records (default
	// 200) and weak ones shared by more than MaxBlock/4 (50).
	MaxBlock int
	// NoVeto lets a pair whose birth dates conflict, or whose cities differ
	// with no direct identifier in common, be a match. Off by default:
	// namesakes must not be accused.
	NoVeto bool
	// EMPairs caps the blocked pairs EM learns from (default 500,000);
	// RandomPairs the random pairs u is estimated from (default 100,000).
	EMPairs     int
	RandomPairs int
	Seed        uint64
	// Workers is the number of goroutines (default GOMAXPROCS).
	Workers int
}

func (o Options) withDefaults() Options {
	if o.MatchProbability == 0 {
		o.MatchProbability = 0.95
	}
	if o.PossibleProbability == 0 {
		o.PossibleProbability = 0.10
	}
	if o.MaxBlock == 0 {
		o.MaxBlock = 200
	}
	if o.EMPairs == 0 {
		o.EMPairs = 500_000
	}
	if o.RandomPairs == 0 {
		o.RandomPairs = 100_000
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// AmbiguityBits is the lead the best candidate needs over the second to
// be a match: within it, both are only possible (the evidence cannot tell
// them apart; 3 bits is odds of 8 to 1).
const AmbiguityBits = 3.0

// Scored is one candidate for a lead, with its explanation.
type Scored struct {
	PartyID string  `json:"party_id"`
	Index   int     `json:"-"`     // position of the party in the records given to NewMatcher
	Score   float64 `json:"score"` // posterior probability that lead and party are one person
	Bits    float64 `json:"bits"`  // total weight of evidence, log2 of the Bayes factor
	// PriorBits is the prior log-odds the weight is added to.
	PriorBits float64 `json:"prior_bits"`
	// ListShare (π) is the share of the list's leads estimated to be
	// someone in the reference records, and Rivals the sum of the other
	// candidates' odds 2^(PriorBits+Bits): Score = o / (1 − π + o +
	// Rivals) with o = 2^(PriorBits+Bits). Both are zero before Fit,
	// when Score = o / (1 + o).
	ListShare float64  `json:"list_share,omitempty"`
	Rivals    float64  `json:"rivals,omitempty"`
	Decision  Decision `json:"decision"`
	Veto      string   `json:"veto,omitempty"` // why a match was lowered to possible
	// SamePerson is the other of the lead's two best candidates when the
	// two are records of one person (they match each other): both then
	// carry the score they share.
	SamePerson string                `json:"same_person,omitempty"`
	Fields     map[string]FieldScore `json:"fields"`
}

// defaultM are the m probabilities used before EM has seen lead–party
// pairs (or when a list is too small for EM): judgement values for data
// typed by clerks, in the order of the field table.
var defaultM = [][]float64{
	{0.85, 0.07, 0.03, 0.02, 0.03},
	{0.75, 0.05, 0.08, 0.04, 0.03, 0.05},
	{0.80, 0.02, 0.06, 0.05, 0.03, 0.02, 0.02},
	{0.85, 0.15}, {0.85, 0.15}, {0.85, 0.15}, {0.85, 0.15},
	{0.90, 0.05, 0.05},
	{0.70, 0.15, 0.15},
	{0.75, 0.10, 0.15},
	{0.85, 0.05, 0.10},
	{0.95, 0.05},
	{0.97, 0.03},
	{0.70, 0.30},
}

// Matcher finds and scores the parties a lead may be. Build it once over
// the reference records (parties, beneficiaries…); Candidates is safe for
// concurrent use.
type Matcher struct {
	opt           Options
	recs          []Record
	prep          []prepared
	ix            *index
	u             [][]float64
	tf            []*tfTable
	dates         *dateTable
	scorer        *scorer
	comparedPairs int64
}

// NewMatcher prepares and indexes the reference records, counts name
// frequencies and estimates u from random pairs. Until Fit is called it
// scores with default m probabilities.
func NewMatcher(records []Record, opt Options) *Matcher {
	opt = opt.withDefaults()
	m := &Matcher{opt: opt, recs: records}
	m.prep = prepareAll(records, opt.Workers)
	m.tf = buildTF(m.prep)
	m.dates = buildDateTable(m.prep)
	m.ix = buildIndex(m.prep, opt.MaxBlock, opt.Workers)
	m.u = estimateU(m.prep, opt.RandomPairs, opt.Seed)
	prior := -math.Log2(math.Max(float64(len(records)), 1))
	m.scorer = newScorer(buildModel(defaultM, m.u, 0, prior, 0), m.tf, opt)
	return m
}

func prepareAll(records []Record, workers int) []prepared {
	out := make([]prepared, len(records))
	var wg sync.WaitGroup
	chunk := (len(records) + workers - 1) / max(workers, 1)
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, len(records))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newKeyCache()
			for i := lo; i < hi; i++ {
				out[i] = prepareWith(&records[i], c)
			}
		}()
	}
	wg.Wait()
	return out
}

func buildTF(recs []prepared) []*tfTable {
	// one goroutine per adjusted field (a handful): counting a million
	// values is map work that does not share well within one field
	tf := make([]*tfTable, len(fields))
	var wg sync.WaitGroup
	for i, f := range fields {
		if f.tf == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := &tfTable{counts: make(map[string]int32)}
			for k := range recs {
				t.add(f.tf(&recs[k]))
			}
			tf[i] = t
		}()
	}
	wg.Wait()
	return tf
}

// Model returns the model the matcher scores with.
func (m *Matcher) Model() *Model { return m.scorer.model }

// Fit estimates m by EM from the blocked pairs of the leads against the
// reference records and sets the prior from the estimated number of
// matches. With fewer than 100 blocked pairs it keeps the default m.
func (m *Matcher) Fit(leads []Record) {
	// EM needs thousands of pairs, not every lead: learn from an even
	// sample of at most 2,000 leads and scale the blocked count.
	sample := leads
	if len(leads) > 2000 {
		sample = make([]Record, 0, 2000)
		for i := 0; i < 2000; i++ {
			sample = append(sample, leads[i*len(leads)/2000])
		}
	}
	lp := prepareAll(sample, m.opt.Workers)
	// each worker collects the best candidates of every workers-th lead
	workers := m.opt.Workers
	groups := make([]leadGroup, len(lp))
	partBlocked := make([]int, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			vec := make([]int8, len(fields))
			var keys []uint64
			seen := map[int32]struct{}{}
			var cand []int32 // in the order blocking finds them: the top K keeps the first of equal weights, so the fit must not depend on a map's order
			top := newTopK(emTopK, len(fields))
			for i := w; i < len(lp); i += workers {
				keys = blockKeysFor(&lp[i], keys[:0], false) // the model does not depend on the fuzzy keys
				clear(seen)
				cand = cand[:0]
				for _, k := range keys {
					for _, j := range m.ix.block(k) {
						if _, ok := seen[j]; !ok {
							seen[j] = struct{}{}
							cand = append(cand, j)
						}
					}
				}
				top.reset()
				for _, j := range cand {
					partBlocked[w]++
					compareInto(&lp[i], &m.prep[j], vec)
					top.offer(vec, m.scorer.weight(vec, &m.prep[j]))
				}
				for k := range top.bits {
					groups[i].vecs = append(groups[i].vecs, top.vecs[k]...)
				}
			}
		}(w)
	}
	wg.Wait()
	blocked := 0
	for w := range partBlocked {
		blocked += partBlocked[w]
	}
	if blocked < 100 {
		return
	}
	// u of lead–party pairs: leads are written differently from parties.
	u := estimateUCross(lp, m.prep, m.opt.RandomPairs, m.opt.Seed)
	mm, share, iters, post := emFitLinked(groups, u, 100)
	if !plausible(mm, u) {
		mm = defaultM
	}
	emPairs := 0
	for _, g := range groups {
		emPairs += len(g.vecs) / len(fields)
	}
	// the prior that a lead and a party taken at random are one person:
	// the share of leads that are someone here, over the parties
	lambda := share * float64(len(groups)) / float64(max(emPairs, 1))
	prior := math.Log2(share / math.Max(float64(len(m.recs)), 1))
	md := buildModel(mm, u, lambda, prior, iters)
	md.ListShare = share
	m.scorer = newScorer(md, m.tf, m.opt)
	m.scorer.dates = newDatePartial(m.dates, partialAgreement(lp, groups, post))
	// π once more, under the model the leads are scored with: the EM
	// above saw each lead's best five candidates of the non-fuzzy keys
	// and weighed them with the blocked pairs' u; scoring sees every
	// blocked candidate and weighs it with the random pairs' u.
	share = m.listShareOf(lp)
	md.ListShare = share
	md.PriorBits = math.Log2(share / math.Max(float64(len(m.recs)), 1))
	md.Lambda = share * float64(len(groups)) / float64(max(emPairs, 1))
}

// listShareOf estimates π, the share of the leads that are one of the
// reference records, by maximum likelihood under the current model: lead
// i is nobody here (1 − π) or one of the N records at random (π), and
// its blocked candidates' Bayes factors L_k make the likelihood
// (1 − π) + π·r_i with r_i = Σ_k L_k / N. The fixed point of
// π ← mean(π·r_i / (1 − π + π·r_i)) is the estimate, capped at
// maxListShare.
func (m *Matcher) listShareOf(lp []prepared) float64 {
	r := make([]float64, len(lp))
	n := math.Max(float64(len(m.recs)), 1)
	var wg sync.WaitGroup
	for w := 0; w < m.opt.Workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			vec := make([]int8, len(fields))
			var keys []uint64
			seen := map[int32]struct{}{}
			for i := w; i < len(lp); i += m.opt.Workers {
				keys = blockKeys(&lp[i], keys[:0])
				clear(seen)
				for _, k := range keys {
					for _, j := range m.ix.block(k) {
						if _, ok := seen[j]; ok {
							continue
						}
						seen[j] = struct{}{}
						compareInto(&lp[i], &m.prep[j], vec)
						r[i] += math.Exp2(m.scorer.weightLinked(vec, &lp[i], &m.prep[j])) / n
					}
				}
			}
		}(w)
	}
	wg.Wait()
	share := m.scorer.model.ListShare
	for it := 0; it < 200; it++ {
		sum := 0.0
		for _, x := range r {
			sum += share * x / (1 - share + share*x)
		}
		next := math.Min(math.Max(sum/float64(max(len(r), 1)), 1e-4), maxListShare)
		if math.Abs(next-share) < 1e-6 {
			share = next
			break
		}
		share = next
	}
	return share
}

func addPattern(counts map[string]*pattern, vec []int8) {
	k := vecKey(vec)
	if p, ok := counts[k]; ok {
		p.count++
		return
	}
	counts[k] = &pattern{vec: append([]int8(nil), vec...), count: 1}
}

func patterns(counts map[string]*pattern) []pattern {
	out := make([]pattern, 0, len(counts))
	for _, p := range counts {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return vecKey(out[i].vec) < vecKey(out[j].vec) })
	return out
}

// Candidates returns the reference records that lead may be, best first:
// every blocked candidate whose decision is at least "possible". Each
// carries its per-field explanation.
func (m *Matcher) Candidates(lead Record) []Scored {
	lp := prepare(&lead)
	return m.candidates(&lp, nil)
}

func (m *Matcher) candidates(lp *prepared, keys []uint64) []Scored {
	keys = blockKeys(lp, keys[:0])
	seen := make(map[int32]struct{}, 64)
	var out []Scored
	vec := make([]int8, len(fields))
	if m.scorer.model.ListShare == 0 {
		// before Fit: each pair on its own
		m.eachCandidate(lp, keys, seen, vec, func(j int32, rp *prepared, bits float64) {
			prob, d, veto := m.scorer.decide(vec, bits)
			if d == DecisionNonMatch {
				return
			}
			out = append(out, Scored{PartyID: m.recs[j].ID, Index: int(j), Score: prob, Bits: round2(bits),
				PriorBits: round2(m.scorer.model.PriorBits), Decision: d, Veto: veto, Fields: m.scorer.explain(vec, lp, rp)})
		})
	} else {
		out = m.linkedCandidates(lp, keys, seen, vec)
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Bits != out[b].Bits {
			return out[a].Bits > out[b].Bits
		}
		return out[a].PartyID < out[b].PartyID
	})
	same := len(out) > 1 && m.scorer.model.ListShare != 0 && m.samePerson(lp, out[:2], vec)
	// A best candidate that another one almost equals is ambiguous.
	if len(out) > 1 && !same && out[0].Decision == DecisionMatch && out[1].Bits > out[0].Bits-AmbiguityBits {
		out[0].Decision = DecisionPossible
		out[0].Veto = fmt.Sprintf("ambiguous: %s scores within %.0f bits", out[1].PartyID, AmbiguityBits)
	}
	// Only the best candidate may be a match: a lead is one person (whose
	// second record, when the best two are one person, is the match too).
	first := 1
	if same {
		first = 2
	}
	for i := first; i < len(out); i++ {
		if out[i].Decision == DecisionMatch {
			out[i].Decision = DecisionPossible
			if out[i].Veto == "" {
				out[i].Veto = "a better candidate is the match"
			}
		}
	}
	return out
}

// samePerson reports whether the two best candidates of a lead are two
// records of one person — compared with each other, they are a match on
// their own (posterior against the prior 1/N, no veto) — and if so gives
// both the belief they share (the sum of their scores) and the decision
// it earns: the lead is that person, whichever record it is.
func (m *Matcher) samePerson(lp *prepared, two []Scored, vec []int8) bool {
	a, b := &m.prep[two[0].Index], &m.prep[two[1].Index]
	compareInto(a, b, vec)
	bits := m.scorer.weight(vec, b) - math.Log2(math.Max(float64(len(m.recs)), 1))
	if d, _ := m.scorer.decideProb(vec, 1/(1+math.Exp2(-bits))); d != DecisionMatch {
		return false
	}
	pooled := math.Min(two[0].Score+two[1].Score, 1)
	for k := range two {
		compareInto(lp, &m.prep[two[k].Index], vec)
		two[k].Score = pooled
		two[k].Decision, two[k].Veto = m.scorer.decideProb(vec, pooled)
		two[k].SamePerson = two[1-k].PartyID
	}
	return true
}

// linkedCandidates scores the candidates of a lead as alternatives: the
// lead is at most one person, so the posterior of candidate j is
//
//	o_j / ((1 − π) + Σ_k o_k),  o_k = 2^(PriorBits + Bits_k)
//
// with π the share of the list's leads that are someone here (Fit) and
// the sum over every candidate blocking found. A lone candidate gains
// from the absence of rivals (no other party agrees as well), a crowd of
// namesakes shares the belief among them, and "nobody here" keeps 1 − π.
// eachCandidate compares the lead with each party its blocking keys find,
// once (seen), and calls fn with the party, its prepared record and the
// pair's weight; vec holds the pair's comparison levels during the call.
func (m *Matcher) eachCandidate(lp *prepared, keys []uint64, seen map[int32]struct{}, vec []int8, fn func(j int32, rp *prepared, bits float64)) {
	for _, k := range keys {
		for _, j := range m.ix.block(k) {
			if _, ok := seen[j]; ok {
				continue
			}
			seen[j] = struct{}{}
			rp := &m.prep[j]
			compareInto(lp, rp, vec)
			fn(j, rp, m.scorer.weightLinked(vec, lp, rp))
		}
	}
}

func (m *Matcher) linkedCandidates(lp *prepared, keys []uint64, seen map[int32]struct{}, vec []int8) []Scored {
	type cand struct {
		j    int32
		odds float64
		bits float64
	}
	var cs []cand
	prior := m.scorer.model.PriorBits
	sum := 0.0
	m.eachCandidate(lp, keys, seen, vec, func(j int32, _ *prepared, bits float64) {
		o := math.Exp2(prior + bits)
		sum += o
		cs = append(cs, cand{j, o, bits})
	})
	share := m.scorer.model.ListShare
	den := 1 - share + sum
	var out []Scored
	for _, c := range cs {
		prob := c.odds / den
		if prob < m.opt.PossibleProbability {
			continue
		}
		rp := &m.prep[c.j]
		compareInto(lp, rp, vec)
		d, veto := m.scorer.decideProb(vec, prob)
		out = append(out, Scored{PartyID: m.recs[c.j].ID, Index: int(c.j), Score: prob, Bits: round2(c.bits),
			PriorBits: round2(prior), ListShare: round4(share), Rivals: roundSig(sum - c.odds), Decision: d, Veto: veto,
			Fields: m.scorer.explain(vec, lp, rp)})
	}
	return out
}

// roundSig rounds x to four significant digits (the rivals' odds span
// many orders of magnitude).
func roundSig(x float64) float64 {
	if x == 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return x
	}
	e := math.Pow(10, math.Floor(math.Log10(math.Abs(x)))-3)
	return math.Round(x/e) * e
}

// MatchAll scores every lead in parallel; result[i] belongs to leads[i].
func (m *Matcher) MatchAll(leads []Record) [][]Scored {
	out := make([][]Scored, len(leads))
	var wg sync.WaitGroup
	next := make(chan int, m.opt.Workers*4)
	for w := 0; w < m.opt.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var keys []uint64
			for i := range next {
				lp := prepare(&leads[i])
				out[i] = m.candidates(&lp, keys)
			}
		}()
	}
	for i := range leads {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// emTopK is how many candidates of each lead (or record) EM learns from:
// the best ones under the default model. Learning from every blocked pair
// would let the largest blocks (people born the same day) dominate, and
// EM would model "born the same day" instead of "the same person".
const emTopK = 5

// topK keeps the k best comparison vectors offered.
type topK struct {
	k    int
	vecs [][]int8
	bits []float64
}

func newTopK(k, nf int) *topK {
	t := &topK{k: k}
	for i := 0; i < k; i++ {
		t.vecs = append(t.vecs, make([]int8, nf))
	}
	t.bits = make([]float64, 0, k)
	return t
}

func (t *topK) reset() { t.bits = t.bits[:0] }

func (t *topK) offer(vec []int8, bits float64) {
	n := len(t.bits)
	if n < t.k {
		copy(t.vecs[n], vec)
		t.bits = append(t.bits, bits)
		return
	}
	worst := 0
	for i := 1; i < n; i++ {
		if t.bits[i] < t.bits[worst] {
			worst = i
		}
	}
	if bits > t.bits[worst] {
		copy(t.vecs[worst], vec)
		t.bits[worst] = bits
	}
}

func (t *topK) addTo(counts map[string]*pattern) {
	for i := range t.bits {
		addPattern(counts, t.vecs[i])
	}
}

// plausible rejects an EM fit in which exact agreement on a name or the
// birth date would count against a match: EM then modelled something else
// than identity, and the default m is safer.
func plausible(m, u [][]float64) bool {
	for _, i := range []int{fSurname, fGiven, fDOB} {
		if m[i][0] < 2*u[i][0] {
			return false
		}
	}
	return true
}
