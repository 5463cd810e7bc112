package resolve

import "sort"

// nameKeyTokensFast is nameKeyTokens for the common raw name: ASCII, and
// no word that ExpandAbbrev could expand or drop (an abbreviation such as
// "Ma." or an honorific such as "Mr"). Such a name is folded in one pass
// into one string, its tokens views of it: two allocations where the
// general path (ExpandAbbrev, FoldName, strings.Fields, a particles
// filter) made six to ten, for every new raw name at 5M transfers. Any
// other name goes the general way, so the tokens are always
// nameKeyTokens' (FuzzNameKeyTokens, and the resolver dumps, which list
// every record's tokens).
func nameKeyTokensFast(name string) []string {
	var buf [128]byte
	if len(name) > len(buf) || !plainASCIIName(name) {
		return nameKeyTokens(name)
	}
	// Fold: letters and digits lower-cased, apostrophes dropped, any
	// other byte ends a token (FoldName's ASCII branch, then Fields).
	b := buf[:0]
	var ends [64]uint8
	n := 0
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b = append(b, c)
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c == '\'' || c == '`':
		default:
			if n == len(ends) {
				return nameKeyTokens(name)
			}
			if len(b) > 0 && (n == 0 || int(ends[n-1]) < len(b)) {
				ends[n] = uint8(len(b))
				n++
			}
		}
	}
	if len(b) > 0 && (n == 0 || int(ends[n-1]) < len(b)) {
		if n == len(ends) {
			return nameKeyTokens(name)
		}
		ends[n] = uint8(len(b))
		n++
	}
	// Particles out, without a string per token.
	keep := 0
	var lo [64]uint8
	start := 0
	for i := 0; i < n; i++ {
		e := int(ends[i])
		if !benParticles[string(b[start:e])] {
			lo[keep], ends[keep] = uint8(start), uint8(e)
			keep++
		}
		start = e
	}
	if keep == 0 {
		return nil
	}
	all := string(b)
	out := make([]string, keep)
	for i := range out {
		out[i] = all[lo[i]:ends[i]]
	}
	sort.Strings(out)
	return out
}

// plainASCIIName reports whether name is ASCII and none of its words
// (split as strings.Fields splits) is one ExpandAbbrev would change:
// then ExpandAbbrev returns name itself.
func plainASCIIName(name string) bool {
	for i := 0; i < len(name); i++ {
		if name[i] >= 0x80 {
			return false
		}
	}
	for i := 0; i < len(name); {
		for i < len(name) && asciiSpace(name[i]) {
			i++
		}
		j := i
		for j < len(name) && !asciiSpace(name[j]) {
			j++
		}
		if j > i && j-i <= 7 && expandable(name[i:j]) {
			return false
		}
		i = j
	}
	return true
}

// expandable reports whether ExpandAbbrev could change word w (at most 7
// ASCII bytes): its lower case without trailing commas is an
// abbreviation, or without a final dot an honorific. Conservative: the
// conditions on the words around it are not looked at.
func expandable(w string) bool {
	var kb [7]byte
	k := kb[:0]
	e := len(w)
	for e > 0 && w[e-1] == ',' {
		e--
	}
	for i := 0; i < e; i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		k = append(k, c)
	}
	if _, ok := abbrev[string(k)]; ok {
		return true
	}
	if len(k) > 0 && k[len(k)-1] == '.' {
		k = k[:len(k)-1]
	}
	return honorifics[string(k)]
}

func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}
