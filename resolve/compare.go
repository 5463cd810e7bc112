package resolve

import "strings"

// field is one row of the comparison table: a name, its agreement levels
// (best first, the last one is "disagree"), and how to compare two
// prepared records. compare returns ok=false when either side is unknown.
type field struct {
	name   string
	levels []string
	// tf names the value whose frequency replaces u at level 0 (term
	// frequency adjustment); nil for fields without it.
	tf      func(p *prepared) string
	compare func(a, b *prepared, swap bool) (level int, ok bool)
	// conflict is the level that vetoes a "match" decision (-1: none).
	conflict int
	// closer lists, for a level, the closer levels whose weight it may not
	// exceed; nil means each level is looser than the one before it.
	closer [][]int
}

// fields is the comparison table. Its order is the order of comparison
// vectors and of explanations.
var fields = []field{
	{
		name:     "surname",
		levels:   []string{"exact", "close spelling", "sounds alike", "similar", "different"},
		tf:       func(p *prepared) string { return p.surname },
		conflict: -1,
		compare: func(a, b *prepared, swap bool) (int, bool) {
			x, xk := a.surname, a.surKey
			if swap {
				x, xk = a.given, a.givenKey
			}
			return compareSurname(x, b.surname, xk, b.surKey)
		},
	},
	{
		name:     "given_name",
		levels:   []string{"exact", "nickname", "close spelling", "initial", "sounds alike", "different"},
		tf:       func(p *prepared) string { return p.given1 },
		conflict: -1,
		compare: func(a, b *prepared, swap bool) (int, bool) {
			x, xk := a.given, a.givenKey
			if swap {
				x, xk = a.surname, a.sur1Key
			}
			l, ok := compareGiven(x, b.given, xk, b.givenKey)
			if l == givenInitial && !swap && spelledInitial(a, b) {
				l = 0
			}
			return l, ok
		},
	},
	{
		name:     "birth_date",
		levels:   []string{"exact", "day and month swapped", "one digit apart", "agree as far as known", "same year", "within a year", "different"},
		conflict: DateDisagree,
		// "agree as far as known" (a year-only date with the right year)
		// is no looser than "one digit apart" (a full date with a typo):
		// the two cannot be ordered, and only exact agreement bounds it
		closer: [][]int{nil, {0}, {1}, {0}, {2, 3}, {4}, {5}},
		compare: func(a, b *prepared, _ bool) (int, bool) {
			return CompareDates(a.dob, b.dob)
		},
	},
	{
		name:     "phone",
		levels:   []string{"same", "different"},
		conflict: -1,
		compare: func(a, b *prepared, _ bool) (int, bool) {
			switch {
			case a.phone == "" || b.phone == "":
				return 0, false
			case a.phone == b.phone || secondPhone(a, b) != "":
				return 0, true
			}
			return 1, true
		},
	},
	exactField("email", func(p *prepared) string { return p.email }),
	exactField("handle", func(p *prepared) string { return p.handle }),
	exactField("account", func(p *prepared) string { return p.account }),
	{
		name:     "id_number",
		levels:   []string{"exact", "one character apart", "different"},
		conflict: -1,
		compare: func(a, b *prepared, _ bool) (int, bool) {
			x, y := a.idnum, b.idnum
			switch {
			case x == "" || y == "":
				return 0, false
			case x == y:
				return 0, true
			case oneEdit(x, y):
				return 1, true
			}
			return 2, true
		},
	},
	{
		name:     "address",
		levels:   []string{"same", "close spelling", "different"},
		conflict: -1,
		compare: func(a, b *prepared, _ bool) (int, bool) {
			return bands(a.address, b.address, 0.95, 0.85)
		},
	},
	{
		name:     "city",
		levels:   []string{"same", "close spelling", "different"},
		tf:       func(p *prepared) string { return p.city },
		conflict: -1,
		compare: func(a, b *prepared, _ bool) (int, bool) {
			return bands(a.city, b.city, 1, 0.90)
		},
	},
	{
		name:     "postcode",
		levels:   []string{"same", "one character apart", "different"},
		tf:       func(p *prepared) string { return p.postcode },
		conflict: -1,
		compare: func(a, b *prepared, _ bool) (int, bool) {
			x, y := a.postcode, b.postcode
			switch {
			case x == "" || y == "":
				return 0, false
			case x == y:
				return 0, true
			case oneEdit(x, y):
				return 1, true
			}
			return 2, true
		},
	},
	exactField("country", func(p *prepared) string { return p.country }),
	exactField("gender", func(p *prepared) string { return p.gender }),
	exactFieldTF("occupation", func(p *prepared) string { return p.occupation }),
}

// fieldIndex returns the position of the named field in the table.
func fieldIndex(name string) int {
	for i, f := range fields {
		if f.name == name {
			return i
		}
	}
	return -1
}

var (
	fSurname  = fieldIndex("surname")
	fGiven    = fieldIndex("given_name")
	fDOB      = fieldIndex("birth_date")
	fPhone    = fieldIndex("phone")
	fCity     = fieldIndex("city")
	fPostcode = fieldIndex("postcode")
)

// directFields are the identifiers that on their own point to one
// person: their agreement lifts the city veto.
var directFields = []int{fieldIndex("phone"), fieldIndex("email"), fieldIndex("handle"), fieldIndex("account"), fieldIndex("id_number")}

func exactField(name string, get func(p *prepared) string) field {
	return field{
		name:     name,
		levels:   []string{"same", "different"},
		conflict: -1,
		compare: func(a, b *prepared, _ bool) (int, bool) {
			x, y := get(a), get(b)
			switch {
			case x == "" || y == "":
				return 0, false
			case x == y:
				return 0, true
			}
			return 1, true
		},
	}
}

// exactFieldTF is exactField with the term-frequency adjustment: the
// agreement on a common value counts for less than on a rare one.
func exactFieldTF(name string, get func(p *prepared) string) field {
	f := exactField(name, get)
	f.tf = get
	return f
}

func bands(x, y string, hi, lo float64) (int, bool) {
	switch {
	case x == "" || y == "":
		return 0, false
	case x == y:
		return 0, true
	}
	j := JaroWinkler(x, y)
	switch {
	case j >= hi:
		return 0, true
	case j >= lo:
		return 1, true
	}
	return 2, true
}

// compareSurname: exact; close spelling (Jaro–Winkler ≥ 0.92, the same
// letters without spaces "dela cruz"/"delacruz", or one compound surname
// containing the other "garcia lopez"/"garcia"); sounds alike (same
// PhoneticKey); similar (Jaro–Winkler ≥ 0.80); different.
func compareSurname(x, y, xk, yk string) (int, bool) {
	switch {
	case x == "" || y == "":
		return 0, false
	case x == y:
		return 0, true
	case equalNoSpace(x, y), tokenSubset(x, y):
		return 1, true
	}
	j := JaroWinkler(x, y)
	switch {
	case j >= 0.92:
		return 1, true
	case xk != "" && xk == yk:
		return 2, true
	case j >= 0.80:
		return 3, true
	}
	return 4, true
}

// compareGiven: exact (also when one side only leaves out the other's
// middle names: "john" and "john edward"); nickname (table); close
// spelling (Jaro–Winkler ≥ 0.92 on the first name, the same first name
// with other middle names, or the same names in another order); initial (one side gives only initials and they agree); sounds
// alike (PhoneticKey or Jaro–Winkler ≥ 0.80); different.
func compareGiven(x, y, xk, yk string) (int, bool) {
	if x == "" || y == "" {
		return 0, false
	}
	if x == y || wordPrefix(x, y) {
		return 0, true
	}
	x1, y1 := firstWord(x), firstWord(y)
	if IsNickname(x1, y1) {
		return 1, true
	}
	if x1 == y1 || tokenSubset(x, y) {
		return 2, true
	}
	j1 := JaroWinkler(x1, y1)
	if j1 >= 0.92 || (len(x1) < len(x) || len(y1) < len(y)) && JaroWinkler(x, y) >= 0.92 {
		return 2, true
	}
	if (len(x1) == 1 || len(y1) == 1) && x1[0] == y1[0] {
		return 3, true
	}
	if (xk != "" && xk == yk) || j1 >= 0.80 {
		return 4, true
	}
	return 5, true
}

// secondPhone returns the number on which a and b agree through a
// handle's phone (prepared.phone2) when their phones differ, or "".
func secondPhone(a, b *prepared) string {
	switch {
	case a.phone2 == "" && b.phone2 == "":
		return ""
	case a.phone2 != "" && (a.phone2 == b.phone || a.phone2 == b.phone2):
		return a.phone2
	case b.phone2 != "" && b.phone2 == a.phone:
		return b.phone2
	}
	return ""
}

// givenInitial is the given-name level "initial".
const givenInitial = 3

// spelledInitial reports whether one side gives only the initial of its
// first given name and its own email or handle spells out the other
// side's first given name: "K. Hughes" with hughes.kenneth283@… against
// Kenneth Hughes, "D. Wood" with danielwood64@… against Daniel Wood. The
// clerk wrote the initial; the person wrote the name. The name must be a
// whole letter run of the email or handle, or that run less the surname
// ("danielwood"), so that a handle that only begins with the letter
// ("dobrien78") is not read as a name.
func spelledInitial(a, b *prepared) bool {
	if len(a.given1) != 1 {
		a, b = b, a
	}
	if len(a.given1) != 1 || a.selfWords == "" || len(b.given1) < 3 || b.given1[0] != a.given1[0] {
		return false
	}
	name, sur := b.given1, strings.ReplaceAll(a.surname, " ", "")
	for w := range strings.SplitSeq(a.selfWords, " ") {
		if w == name || sur != "" && (w == name+sur || w == sur+name) {
			return true
		}
	}
	return false
}

// equalNoSpace reports whether x and y have the same letters once their
// spaces are removed ("dela cruz", "delacruz"), without allocating: this
// runs for every compared pair and usually stops at the first letter.
func equalNoSpace(x, y string) bool {
	i, j := 0, 0
	for {
		for i < len(x) && x[i] == ' ' {
			i++
		}
		for j < len(y) && y[j] == ' ' {
			j++
		}
		if i == len(x) || j == len(y) {
			return i == len(x) && j == len(y)
		}
		if x[i] != y[j] {
			return false
		}
		i++
		j++
	}
}

// wordPrefix reports whether the shorter of x and y is the first words of
// the longer one ("john", "john edward"): the given names agree as far as
// both are written, a middle name left out being no disagreement.
func wordPrefix(x, y string) bool {
	if len(x) > len(y) {
		x, y = y, x
	}
	return len(x) < len(y) && y[len(x)] == ' ' && y[:len(x)] == x
}

func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i > 0 {
		return s[:i]
	}
	return s
}

// tokenSubset reports whether every word of the shorter of x and y is a
// word of the longer one (both have words; they differ).
func tokenSubset(x, y string) bool {
	if len(x) > len(y) {
		x, y = y, x
	}
	if !strings.Contains(y, " ") {
		return false
	}
	for _, w := range strings.Fields(x) {
		found := false
		for _, v := range strings.Fields(y) {
			if v == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// oneEdit reports whether x and y differ by one substitution, insertion,
// deletion or transposition of adjacent characters.
func oneEdit(x, y string) bool {
	if len(x) == len(y) {
		diff := -1
		for i := 0; i < len(x); i++ {
			if x[i] != y[i] {
				if diff >= 0 {
					// a transposition: exactly two adjacent differences
					return diff == i-1 && x[diff] == y[i] && x[i] == y[diff] && x[i+1:] == y[i+1:]
				}
				diff = i
			}
		}
		return diff >= 0
	}
	if len(x) > len(y) {
		x, y = y, x
	}
	if len(y)-len(x) != 1 {
		return false
	}
	i := 0
	for i < len(x) && x[i] == y[i] {
		i++
	}
	return x[i:] == y[i+1:]
}

// swapNames reports whether a's name should be read with given name and
// surname exchanged to compare it with b: when the exchanged reading
// agrees better. Even an explicit order ("SURNAME, Given", separate
// columns) is tried both ways, since clerks fill the wrong column.
func swapNames(a, b *prepared) bool {
	swap, _, _, _ := swapNamesLevels(a, b)
	return swap
}

// swapNamesLevels is swapNames that also returns, when it had to compute
// them, the surname and given-name levels of the straight reading (known),
// so that compareInto need not compute them again.
func swapNamesLevels(a, b *prepared) (swap bool, s1, g1 int, known bool) {
	// A lone name (only one of given name and surname known) is compared
	// with whichever part of the other name it agrees with better.
	if a.surname == "" && a.given != "" && b.surname != "" {
		s2, _ := compareSurname(a.given, b.surname, a.givenKey, b.surKey)
		g1, ok := compareGiven(a.given, b.given, a.givenKey, b.givenKey)
		return !ok || s2 < g1, 0, 0, false
	}
	if b.surname == "" && b.given != "" && a.surname != "" {
		g2, _ := compareGiven(a.surname, b.given, a.sur1Key, b.givenKey)
		g1, ok := compareGiven(a.given, b.given, a.givenKey, b.givenKey)
		return !ok || g2 < g1, 0, 0, false
	}
	if a.given == "" || b.given == "" || a.surname == "" || b.surname == "" {
		return false, 0, 0, false
	}
	// Exchanging can only help when a's given name sounds like b's
	// surname or the other way round, from the first sound on.
	if a.givenKey == "" || b.surKey == "" || a.sur1Key == "" || b.givenKey == "" ||
		a.givenKey[0] != b.surKey[0] && a.sur1Key[0] != b.givenKey[0] {
		return false, 0, 0, false
	}
	s1, _ = compareSurname(a.surname, b.surname, a.surKey, b.surKey)
	g1, _ = compareGiven(a.given, b.given, a.givenKey, b.givenKey)
	if s1+g1 == 0 {
		return false, s1, g1, true
	}
	s2, _ := compareSurname(a.given, b.surname, a.givenKey, b.surKey)
	g2, _ := compareGiven(a.surname, b.given, a.sur1Key, b.givenKey)
	if s2+g2 < s1+g1 {
		return true, 0, 0, false
	}
	return false, s1, g1, true
}

// compareInto writes the comparison vector of (a, b) into vec: one level
// per field, -1 when the field is unknown on either side.
func compareInto(a, b *prepared, vec []int8) {
	swap, s1, g1, known := swapNamesLevels(a, b)
	for i := range fields {
		if known && (i == fSurname || i == fGiven) {
			if i == fSurname {
				vec[i] = int8(s1)
			} else {
				if g1 == givenInitial && spelledInitial(a, b) {
					g1 = 0
				}
				vec[i] = int8(g1)
			}
			continue
		}
		l, ok := fields[i].compare(a, b, swap)
		if !ok {
			vec[i] = -1
		} else {
			vec[i] = int8(l)
		}
	}
}
