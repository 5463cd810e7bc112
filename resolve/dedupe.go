package resolve

import (
	"math"
	"sort"
	"sync"
)

// Pair is a scored pair of records (by position, A < B).
type Pair struct {
	A, B     int
	Score    float64
	Bits     float64
	Decision Decision
	Veto     string
}

// DedupeResult is the outcome of Dedupe.
type DedupeResult struct {
	// Clusters lists the positions of records that are one person; every
	// record is in exactly one cluster (singletons included), clusters
	// ordered by their first record.
	Clusters [][]int
	// Pairs are the compared pairs decided match or possible.
	Pairs []Pair
	Model *Model
	// Compared is the number of pairs compared; Total the number of all
	// pairs n(n−1)/2.
	Compared, Total int64
	// SkippedBlocks counts blocking keys shared by more than MaxBlock records.
	SkippedBlocks int

	prep   []prepared
	scorer *scorer
}

// Explain returns the per-field explanation of the pair of records at
// positions a and b.
func (r *DedupeResult) Explain(a, b int) map[string]FieldScore {
	return explainPair(&r.prep[a], &r.prep[b], r.scorer)
}

// Dedupe finds the records that describe the same person: it blocks,
// estimates the model by EM on the blocked pairs, scores them and joins
// matched pairs into clusters (connected components).
func Dedupe(records []Record, opt Options) *DedupeResult {
	opt = opt.withDefaults()
	prep := prepareAll(records, opt.Workers)
	tf := buildTF(prep)
	ix := buildIndex(prep, opt.MaxBlock, opt.Workers)
	u := estimateU(prep, opt.RandomPairs, opt.Seed)
	res := &DedupeResult{Total: int64(len(records)) * int64(len(records)-1) / 2}
	res.SkippedBlocks = ix.skipped()

	// Pass 1: comparison patterns of blocked pairs, for EM.
	type partial struct {
		counts   map[string]*pattern
		top      *topK
		compared int64
		possible int64 // pairs (i, j>i) of the records visited
		pairs    []Pair
	}
	run := func(stride int, fuzzy bool, fn func(i, j int, vec []int8, p *partial), done func(i int, p *partial)) []*partial {
		parts := make([]*partial, opt.Workers)
		var wg sync.WaitGroup
		for w := 0; w < opt.Workers; w++ {
			p := &partial{counts: map[string]*pattern{}, top: newTopK(emTopK, len(fields))}
			parts[w] = p
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				stamp := make([]int32, len(prep))
				for i := range stamp {
					stamp[i] = -1
				}
				vec := make([]int8, len(fields))
				var keys []uint64
				for i := w * stride; i < len(prep); i += opt.Workers * stride {
					p.possible += int64(len(prep) - 1 - i)
					keys = blockKeysFor(&prep[i], keys[:0], fuzzy)
					for _, k := range keys {
						for _, j := range ix.block(k) {
							if int(j) <= i || stamp[j] == int32(i) {
								continue
							}
							stamp[j] = int32(i)
							compareInto(&prep[i], &prep[j], vec)
							p.compared++
							fn(i, int(j), vec, p)
						}
					}
					if done != nil {
						done(i, p)
					}
				}
			}(w)
		}
		wg.Wait()
		return parts
	}
	// EM learns from the best candidates under the default model of an
	// even sample of at most 20,000 records.
	def := newScorer(buildModel(defaultM, u, 0, 0, 0), tf, opt)
	stride := max(1, len(prep)/20000)
	// The fuzzy keys are left out of the EM sample (see blockKeysFor).
	parts := run(stride, false, func(i, j int, vec []int8, p *partial) {
		p.top.offer(vec, def.weight(vec, &prep[j]))
	}, func(i int, p *partial) {
		p.top.addTo(p.counts)
		p.top.reset()
	})
	all := map[string]*pattern{}
	var sampled, possible int64
	for _, p := range parts {
		sampled += p.compared
		possible += p.possible
		for k, v := range p.counts {
			if q, ok := all[k]; ok {
				q.count += v.count
			} else {
				all[k] = v
			}
		}
	}
	mm, lambda, iters := defaultM, 0.0, 0
	prior := -math.Log2(math.Max(float64(len(records)), 2))
	if sampled >= 100 {
		var emPairs float64
		for _, p := range all {
			emPairs += p.count
		}
		mm, lambda, iters = emFit(patterns(all), u, 100)
		if !plausible(mm, u) {
			mm = defaultM
		}
		prior = math.Log2(math.Max(lambda*emPairs, 1) / float64(max(possible, 1)))
	}
	res.Model = buildModel(mm, u, lambda, prior, iters)
	sc := newScorer(res.Model, tf, opt)

	// Pass 2: score and keep match and possible pairs.
	parts = run(1, true, func(i, j int, vec []int8, p *partial) {
		bits := sc.weight(vec, &prep[j])
		prob, d, veto := sc.decide(vec, bits)
		if d != DecisionNonMatch {
			p.pairs = append(p.pairs, Pair{A: i, B: j, Score: prob, Bits: round2(bits), Decision: d, Veto: veto})
		}
	}, nil)
	for _, p := range parts {
		res.Compared += p.compared
		res.Pairs = append(res.Pairs, p.pairs...)
	}
	sort.Slice(res.Pairs, func(a, b int) bool {
		if res.Pairs[a].A != res.Pairs[b].A {
			return res.Pairs[a].A < res.Pairs[b].A
		}
		return res.Pairs[a].B < res.Pairs[b].B
	})
	res.Clusters = clusters(len(records), res.Pairs)
	res.prep, res.scorer = prep, sc
	return res
}

func explainPair(a, b *prepared, sc *scorer) map[string]FieldScore {
	vec := make([]int8, len(fields))
	compareInto(a, b, vec)
	return sc.explain(vec, a, b)
}

// clusters joins the records of matched pairs (union–find).
func clusters(n int, pairs []Pair) [][]int {
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	var find func(int32) int32
	find = func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, p := range pairs {
		if p.Decision != DecisionMatch {
			continue
		}
		a, b := find(int32(p.A)), find(int32(p.B))
		if a != b {
			if a < b {
				parent[b] = a
			} else {
				parent[a] = b
			}
		}
	}
	byRoot := map[int32]int{}
	var out [][]int
	for i := 0; i < n; i++ {
		r := find(int32(i))
		k, ok := byRoot[r]
		if !ok {
			k = len(out)
			byRoot[r] = k
			out = append(out, nil)
		}
		out[k] = append(out[k], i)
	}
	return out
}
