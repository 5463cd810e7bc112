package graph

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/resolve"
)

// Seed resolution scores a seed (a lead from a partner agency) against each
// beneficiary as log-odds: a prior plus one weight per compared field, as
// in Fellegi–Sunter record linkage. The weights are documented in
// docs/trace.md; the score is the logistic of the sum.
const (
	SeedPrior          = -7.0 // log-odds before any evidence: most beneficiaries are not the seed
	SeedPhoneMatch     = 9.0  // same phone in E.164
	SeedAccountMatch   = 9.0  // same account, letters and digits only
	SeedNameExact      = 6.0  // name similarity ≥ 0.97
	SeedNameStrong     = 4.0  // ≥ 0.92
	SeedNameWeak       = 2.0  // ≥ 0.85
	SeedNameMismatch   = -4.0 // < 0.75, both names present
	SeedCountryMatch   = 0.5
	SeedCountryDiffers = -4.0
	SeedCityMatch      = 1.0

	// DefaultSeedThreshold is the score from which a candidate is picked.
	// A phone or account match with a compatible name is picked; a name
	// alone, however exact, is not (namesakes are common).
	DefaultSeedThreshold = 0.8
)

type seedIndex struct {
	phone   map[string][]int32
	account map[string][]int32
	token   map[string][]int32
}

func (g *Graph) index() *seedIndex {
	g.idxOnce.Do(func() {
		ix := &seedIndex{phone: map[string][]int32{}, account: map[string][]int32{}, token: map[string][]int32{}}
		for i := range g.Beneficiaries {
			be := &g.Beneficiaries[i]
			n := int32(i)
			for _, p := range be.Phones {
				ix.phone[p] = append(ix.phone[p], n)
			}
			for _, a := range be.Accounts {
				k := normalizeAccount(a)
				ix.account[k] = append(ix.account[k], n)
			}
			for _, toks := range be.tokens {
				for _, t := range toks {
					if len(t) < 3 {
						continue
					}
					if l := ix.token[t]; len(l) == 0 || l[len(l)-1] != n {
						ix.token[t] = append(l, n)
					}
				}
			}
		}
		g.idx = ix
	})
	return g.idx
}

// ResolveSeed scores the beneficiaries that share a phone, an account or a
// name token with the seed and returns the candidates with a score of at
// least 0.01, best first, marking those at or above threshold as picked.
// At most max candidates are returned (0: no limit).
func (g *Graph) ResolveSeed(seed *vigil.Lead, threshold float64, max int) []vigil.SeedCandidate {
	ix := g.index()
	cand := map[int32]bool{}
	phone := ""
	if seed.Phone != "" {
		phone, _ = resolve.NormalizePhone(seed.Phone, seed.Country)
		for _, n := range ix.phone[phone] {
			cand[n] = true
		}
	}
	acct := ""
	if seed.Account != "" {
		acct = normalizeAccount(seed.Account)
		for _, n := range ix.account[acct] {
			cand[n] = true
		}
	}
	stoks := resolve.NameTokensOf(seed.FullName)
	for _, t := range stoks {
		if len(t) < 3 {
			continue
		}
		l := ix.token[t]
		if len(l) > 5000 { // too common to block on alone
			continue
		}
		for _, n := range l {
			cand[n] = true
		}
	}
	city := resolve.FoldName(seed.City)
	var out []vigil.SeedCandidate
	for n := range cand {
		be := &g.Beneficiaries[n]
		lo := SeedPrior
		var why []string
		if phone != "" && slices.Contains(be.Phones, phone) {
			lo += SeedPhoneMatch
			why = append(why, fmt.Sprintf("same phone %s (%+.1f)", phone, SeedPhoneMatch))
		}
		if acct != "" {
			for _, a := range be.Accounts {
				if normalizeAccount(a) == acct {
					lo += SeedAccountMatch
					why = append(why, fmt.Sprintf("same account %s (%+.1f)", a, SeedAccountMatch))
					break
				}
			}
		}
		if len(stoks) > 0 && len(be.tokens) > 0 {
			best, bestName := 0.0, ""
			for i, toks := range be.tokens {
				if s := tokenSimilarity(stoks, toks); s > best {
					best, bestName = s, be.Names[i]
				}
			}
			var w float64
			switch {
			case best >= 0.97:
				w = SeedNameExact
			case best >= 0.92:
				w = SeedNameStrong
			case best >= 0.85:
				w = SeedNameWeak
			case best < 0.75:
				w = SeedNameMismatch
			}
			lo += w
			why = append(why, fmt.Sprintf("name %q vs %q similarity %.2f (%+.1f)", seed.FullName, bestName, best, w))
		}
		if seed.Country != "" && be.Country != "" {
			if seed.Country == be.Country {
				lo += SeedCountryMatch
				why = append(why, fmt.Sprintf("same country %s (%+.1f)", be.Country, SeedCountryMatch))
			} else {
				lo += SeedCountryDiffers
				why = append(why, fmt.Sprintf("country %s differs from %s (%+.1f)", be.Country, seed.Country, SeedCountryDiffers))
			}
		}
		if city != "" && be.City != "" && resolve.FoldName(be.City) == city {
			lo += SeedCityMatch
			why = append(why, fmt.Sprintf("same city %s (%+.1f)", be.City, SeedCityMatch))
		}
		score := round6(1 / (1 + math.Exp(-lo)))
		if score < 0.01 {
			continue
		}
		out = append(out, vigil.SeedCandidate{
			SeedID: seed.ID, BeneficiaryID: be.ID, Name: be.Name, Score: score,
			Picked: score >= threshold, Reasons: why,
			Transfers: be.Transfers, Payers: len(g.BeneficiaryEdges(n)),
		})
	}
	slices.SortFunc(out, func(a, b vigil.SeedCandidate) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.BeneficiaryID, b.BeneficiaryID)
	})
	if max > 0 && len(out) > max {
		out = out[:max]
	}
	return out
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
