package resolve

// BlockingReport measures blocking against a ground truth.
type BlockingReport struct {
	// TruePairs counts the pairs of records with the same entity label;
	// Found those that share at least one blocking key whose block is
	// compared (not larger than its limit). Recall = Found/TruePairs.
	TruePairs, Found int
	Recall           float64
	// ByRule[r] counts the true pairs rule r joins, and OnlyRule[r] those
	// that no other rule joins (what the rule adds to the union).
	ByRule, OnlyRule []int
	// Missed lists true pairs that no block joins, for inspection (up to
	// 20 from BlockingRecall).
	Missed [][2]int
}

// BlockingRecall measures blocking against a ground truth (entity[i] is
// the true entity of records[i]): the share of true pairs that share at
// least one compared blocking key, in total and rule by rule.
func BlockingRecall(records []Record, entity []string, opt Options) *BlockingReport {
	return BlockingRecallMissed(records, entity, opt, 20)
}

// BlockingRecallMissed is BlockingRecall listing up to maxMissed of the
// true pairs that no block joins (bench/er -missed prints them all).
func BlockingRecallMissed(records []Record, entity []string, opt Options, maxMissed int) *BlockingReport {
	opt = opt.withDefaults()
	prep := prepareAll(records, opt.Workers)
	ix := buildIndex(prep, opt.MaxBlock, opt.Workers)
	keys := make([][]uint64, len(prep))
	for i := range prep {
		keys[i] = blockKeys(&prep[i], nil)
	}
	groups := map[string][]int{}
	for i, e := range entity {
		groups[e] = append(groups[e], i)
	}
	rep := &BlockingReport{ByRule: make([]int, numRules), OnlyRule: make([]int, numRules)}
	var rules []int
	for _, g := range groups {
		for x := 0; x < len(g); x++ {
			for y := x + 1; y < len(g); y++ {
				rep.TruePairs++
				rules = sharedRules(ix, keys[g[x]], keys[g[y]], rules[:0])
				if len(rules) > 0 {
					rep.Found++
				} else if len(rep.Missed) < maxMissed {
					rep.Missed = append(rep.Missed, [2]int{g[x], g[y]})
				}
				for _, r := range rules {
					rep.ByRule[r]++
				}
				if len(rules) == 1 {
					rep.OnlyRule[rules[0]]++
				}
			}
		}
	}
	rep.Recall = 1
	if rep.TruePairs > 0 {
		rep.Recall = float64(rep.Found) / float64(rep.TruePairs)
	}
	return rep
}

// sharedRules appends the distinct rules of the compared keys a and b share.
func sharedRules(ix *index, a, b []uint64, out []int) []int {
	for _, x := range a {
		for _, y := range b {
			if x != y || ix.size(x) > ix.caps[ruleOf(x)] {
				continue
			}
			r, dup := ruleOf(x), false
			for _, o := range out {
				dup = dup || o == r
			}
			if !dup {
				out = append(out, r)
			}
		}
	}
	return out
}

// Reaches reports whether blocking puts lead and the reference record at
// position i in the same block (for measuring blocking recall).
func (m *Matcher) Reaches(lead Record, i int) bool {
	lp := prepare(&lead)
	return len(sharedRules(m.ix, blockKeys(&lp, nil), blockKeys(&m.prep[i], nil), nil)) > 0
}

// BlockedPairs returns how many lead–reference pairs blocking compares
// for leads.
func (m *Matcher) BlockedPairs(leads []Record) int64 {
	var n int64
	var keys []uint64
	seen := map[int32]struct{}{}
	for i := range leads {
		lp := prepare(&leads[i])
		keys = blockKeys(&lp, keys[:0])
		clear(seen)
		for _, k := range keys {
			for _, j := range m.ix.block(k) {
				seen[j] = struct{}{}
			}
		}
		n += int64(len(seen))
	}
	return n
}
