package graph

import "github.com/vigilfiu/vigil"

// SeedsIndexParallel is SeedsIndex made on both cores, for the caller
// that waits for it with nothing else to do (vigil correlate, right after
// the build): indexFor over the beneficiaries in two halves, merged
// (seedIndexFor), so that the index is the one SeedsIndex makes
// (TestSeedsIndexParallelIsSeedsIndex) and its keys follow the one set of
// rules in indexFor.
func (g *Graph) SeedsIndexParallel(seeds []vigil.Lead) *SeedIndex {
	return &SeedIndex{g: g, ix: g.seedIndexFor(seeds)}
}
