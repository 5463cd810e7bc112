package resolve

import "unicode/utf8"

// Jaro returns the Jaro similarity of a and b in [0,1], comparing runes
// and case-sensitively: (m/|a| + m/|b| + (m−t)/m)/3 where m counts the
// characters that agree within a window of max(|a|,|b|)/2−1 and t is half
// the number of those matched characters that are out of order.
func Jaro(a, b string) float64 {
	if isASCII(a) && isASCII(b) {
		return jaroBytes(a, b)
	}
	return jaroRunes([]rune(a), []rune(b))
}

// JaroWinkler returns Winkler's variant of Jaro: when the Jaro similarity
// exceeds 0.7, it is raised by 0.1·ℓ·(1−jaro) where ℓ ≤ 4 is the length of
// the common prefix. The values agree with jellyfish's jaro_winkler.
func JaroWinkler(a, b string) float64 {
	j := Jaro(a, b)
	if j <= 0.7 {
		return j
	}
	l := 0
	if isASCII(a) && isASCII(b) {
		for l < 4 && l < len(a) && l < len(b) && a[l] == b[l] {
			l++
		}
	} else {
		ra, rb := []rune(a), []rune(b)
		for l < 4 && l < len(ra) && l < len(rb) && ra[l] == rb[l] {
			l++
		}
	}
	return j + 0.1*float64(l)*(1-j)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func jaroBytes(a, b string) float64 {
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	window := max(la, lb)/2 - 1
	if window < 0 {
		window = 0
	}
	var fa, fb [64]bool
	var ma, mb []bool
	if la <= 64 && lb <= 64 {
		ma, mb = fa[:la], fb[:lb]
	} else {
		ma, mb = make([]bool, la), make([]bool, lb)
	}
	m := 0
	for i := 0; i < la; i++ {
		lo, hi := i-window, i+window+1
		if lo < 0 {
			lo = 0
		}
		if hi > lb {
			hi = lb
		}
		for k := lo; k < hi; k++ {
			if !mb[k] && a[i] == b[k] {
				ma[i], mb[k] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	t, k := 0, 0
	for i := 0; i < la; i++ {
		if !ma[i] {
			continue
		}
		for !mb[k] {
			k++
		}
		if a[i] != b[k] {
			t++
		}
		k++
	}
	fm := float64(m)
	return (fm/float64(la) + fm/float64(lb) + (fm-float64(t/2))/fm) / 3
}

func jaroRunes(a, b []rune) float64 {
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	window := max(la, lb)/2 - 1
	if window < 0 {
		window = 0
	}
	ma, mb := make([]bool, la), make([]bool, lb)
	m := 0
	for i := 0; i < la; i++ {
		lo, hi := max(i-window, 0), min(i+window+1, lb)
		for k := lo; k < hi; k++ {
			if !mb[k] && a[i] == b[k] {
				ma[i], mb[k] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	t, k := 0, 0
	for i := 0; i < la; i++ {
		if !ma[i] {
			continue
		}
		for !mb[k] {
			k++
		}
		if a[i] != b[k] {
			t++
		}
		k++
	}
	fm := float64(m)
	return (fm/float64(la) + fm/float64(lb) + (fm-float64(t/2))/fm) / 3
}
