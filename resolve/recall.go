package resolve

// BlockingRecall measures blocking against a ground truth: the share of
// true pairs (records with the same entity label) that share at least one
// blocking key whose block is not too large, and the share of all pairs
// that blocking compares (estimated as in Dedupe: distinct pairs sharing a
// usable key).
// missed lists up to 20 true pairs that no block joins, for inspection.
func BlockingRecall(records []Record, entity []string, opt Options) (recall float64, truePairs int, missed [][2]int) {
	opt = opt.withDefaults()
	prep := prepareAll(records, opt.Workers)
	ix := buildIndex(prep, opt.MaxBlock)
	keys := make([][]uint64, len(prep))
	for i := range prep {
		keys[i] = blockKeys(&prep[i], nil)
	}
	groups := map[string][]int{}
	for i, e := range entity {
		groups[e] = append(groups[e], i)
	}
	found := 0
	for _, g := range groups {
		for x := 0; x < len(g); x++ {
			for y := x + 1; y < len(g); y++ {
				truePairs++
				if sharesKey(ix, keys[g[x]], keys[g[y]]) {
					found++
				} else if len(missed) < 20 {
					missed = append(missed, [2]int{g[x], g[y]})
				}
			}
		}
	}
	if truePairs == 0 {
		return 1, 0, nil
	}
	return float64(found) / float64(truePairs), truePairs, missed
}

func sharesKey(ix *index, a, b []uint64) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y && len(ix.blocks[x]) <= ix.maxBlock {
				return true
			}
		}
	}
	return false
}

// Reaches reports whether blocking puts lead and the reference record at
// position i in the same block (for measuring blocking recall).
func (m *Matcher) Reaches(lead Record, i int) bool {
	lp := prepare(&lead)
	return sharesKey(m.ix, blockKeys(&lp, nil), blockKeys(&m.prep[i], nil))
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
