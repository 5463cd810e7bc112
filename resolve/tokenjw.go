package resolve

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// BestPairsJaroWinkler scores a multi-word search against a multi-word
// indexed name the way Watchman (moov-io/watchman, the sanctions
// screening tool) does, so that vigil's name scores can be checked
// against Watchman's published table:
//
//  1. every search word is compared with every indexed word whose first
//     letter sounds alike (same class among vowels, b/f/p/v, c/g/j/k/q/s/x/z,
//     d/t, m/n, h/w, or the same letter); the word score is Jaro–Winkler,
//     times 1−0.3·(1−r) when the shorter word is under 90% of the longer
//     (r = length ratio);
//  2. pairs are taken best first, each word used once;
//  3. the matched scores are averaged weighted by the two words' lengths,
//     over the search length plus the matched indexed length;
//  4. the result is scaled by 1−0.15·(1−f), f the share of the indexed
//     name's letters that were matched (so "John Doe" scores "John Doe"
//     above "John Bartholomew Doe").
//
// Lengths are counted in bytes and letters compared case-sensitively, as
// in Watchman; callers fold names first (FoldName) for vigil's own use.
// The 78 rows of Watchman's table agree to within 0.01 (the tolerance of
// Watchman's own test): TestBestPairsJaroWinklerWatchman.
func BestPairsJaroWinkler(search, indexed []string) float64 {
	searchLen, indexLen := 0, 0
	for _, s := range search {
		searchLen += len(s)
	}
	for _, s := range indexed {
		indexLen += len(s)
	}
	if searchLen == 0 || indexLen == 0 {
		return 0
	}
	type pair struct {
		score float64
		s, i  int
	}
	pairs := make([]pair, 0, len(search)*len(indexed))
	for si, s := range search {
		for ii, x := range indexed {
			if s == "" || x == "" || firstSoundClass(s) != firstSoundClass(x) {
				continue
			}
			pairs = append(pairs, pair{tokenJW(x, s), si, ii})
		}
	}
	sort.SliceStable(pairs, func(a, b int) bool { return pairs[a].score > pairs[b].score })
	usedS := make([]bool, len(search))
	usedI := make([]bool, len(indexed))
	total, matchedLen := 0.0, 0
	for _, p := range pairs {
		if usedS[p.s] || usedI[p.i] {
			continue
		}
		usedS[p.s], usedI[p.i] = true, true
		total += p.score * float64(len(search[p.s])+len(indexed[p.i]))
		matchedLen += len(indexed[p.i])
	}
	avg := total / float64(searchLen+matchedLen)
	return avg * scaleBy(float64(matchedLen)/float64(indexLen), 0.15)
}

// tokenJW is Watchman's word score: Jaro–Winkler (byte-wise), lowered
// for words of quite different lengths. (Older Watchman versions also
// lowered it by 10% for different first letters; the table vigil is
// checked against, from Watchman d299005, does not: words whose first
// letters sound different are not compared at all.)
func tokenJW(a, b string) float64 {
	score := jaroWinklerBytes(a, b)
	if r := float64(min(len(a), len(b))) / float64(max(len(a), len(b))); r < 0.9 {
		score *= scaleBy(r, 0.3)
	}
	return score
}

func scaleBy(metric, weight float64) float64 { return 1 - (1-metric)*weight }

// jaroWinklerBytes is JaroWinkler over bytes rather than runes, as
// Watchman computes it.
func jaroWinklerBytes(a, b string) float64 {
	j := jaroBytes(a, b)
	if j <= 0.7 {
		return j
	}
	l := 0
	for l < 4 && l < len(a) && l < len(b) && a[l] == b[l] {
		l++
	}
	return j + 0.1*float64(l)*(1-j)
}

// firstSoundClass returns the sound class of the first letter of s.
func firstSoundClass(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	r = unicode.ToUpper(r)
	switch r {
	case 'A', 'E', 'I', 'O', 'U', 'Y':
		return 'A'
	case 'B', 'F', 'P', 'V':
		return 'B'
	case 'C', 'G', 'J', 'K', 'Q', 'S', 'X', 'Z':
		return 'C'
	case 'D', 'T':
		return 'D'
	case 'M', 'N':
		return 'M'
	case 'H', 'W':
		return 'H'
	}
	return r
}
