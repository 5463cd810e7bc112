package resolve

import "github.com/vigilfiu/vigil"

// ParseLooseDate reads a birth date as partner lists write it:
// "1980-03-12", "19800312", "12/03/1980" (day first), "1980-03", "1980",
// "03/1980". When the month is out of range but the day would be a valid
// month, the two are taken as swapped ("1980-25-03" → 1980-03-25), and
// swapped reports it. ok is false when s holds no date.
func ParseLooseDate(s string) (d vigil.Date, swapped, ok bool) {
	var nums [3]int
	var lens [3]int
	n := 0
	cur, curLen := 0, 0
	flush := func() {
		if curLen > 0 && n < 3 {
			nums[n], lens[n] = cur, curLen
			n++
		}
		cur, curLen = 0, 0
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			if curLen >= 8 {
				return d, false, false
			}
			cur = cur*10 + int(c-'0')
			curLen++
			continue
		}
		if c != '-' && c != '/' && c != '.' && c != ' ' {
			return d, false, false
		}
		flush()
	}
	flush()
	var y, m, day int
	switch {
	case n == 1 && lens[0] == 8:
		y, m, day = nums[0]/10000, nums[0]/100%100, nums[0]%100
	case n == 1 && lens[0] == 4:
		y = nums[0]
	case n == 2 && lens[0] == 4:
		y, m = nums[0], nums[1]
	case n == 2 && lens[1] == 4:
		y, m = nums[1], nums[0]
	case n == 3 && lens[0] == 4:
		y, m, day = nums[0], nums[1], nums[2]
	case n == 3 && lens[2] == 4:
		y, m, day = nums[2], nums[1], nums[0]
	default:
		return d, false, false
	}
	if m > 12 && day >= 1 && day <= 12 {
		m, day = day, m
		swapped = true
	}
	if y < 1800 || y > 2200 || m < 0 || m > 12 || (day != 0 && m == 0) {
		return vigil.Date{}, false, false
	}
	if day > daysIn(y, m) {
		if m == 0 {
			return vigil.Date{}, false, false
		}
		day = 0 // keep year and month rather than drop the date
	}
	return vigil.Date{Year: y, Month: m, Day: day}, swapped, true
}

func daysIn(y, m int) int {
	switch m {
	case 0:
		return 0
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// Date agreement levels, best first.
const (
	DateExact    = iota // same day
	DateSwap            // day and month swapped
	DateClose           // full dates one digit apart (a typo in YYYYMMDD)
	DatePartial         // agree as far as the less precise date is known
	DateYear            // same year, month or day differ
	DateNear            // within about a year (400 days), or the same month with a one-digit typo in the year
	DateDisagree        // further apart: another person unless an identifier agrees
)

// CompareDates returns the agreement level of two dates and false when
// either is absent.
func CompareDates(a, b vigil.Date) (level int, ok bool) {
	if a.IsZero() || b.IsZero() {
		return 0, false
	}
	pa, pb := a.Precision(), b.Precision()
	if pa == 3 && pb == 3 {
		switch {
		case a == b:
			return DateExact, true
		case a.Year == b.Year && a.Month == b.Day && a.Day == b.Month:
			return DateSwap, true
		case digitDiff(a, b) == 1:
			return DateClose, true
		case a.Year == b.Year:
			return DateYear, true
		case near(a, b):
			return DateNear, true
		}
		return DateDisagree, true
	}
	p := min(pa, pb)
	agree := a.Year == b.Year && (p < 2 || a.Month == b.Month)
	switch {
	case agree:
		return DatePartial, true
	case a.Year == b.Year:
		return DateYear, true
	case p >= 2 && a.Month == b.Month && digitDiff(vigil.Date{Year: a.Year}, vigil.Date{Year: b.Year}) == 1:
		return DateClose, true
	case p >= 2 && a.Month == b.Month && (absInt(a.Year-b.Year) == 1 || digitDiff(vigil.Date{Year: a.Year}, vigil.Date{Year: b.Year}) == 1):
		return DateNear, true
	case absInt(a.Year-b.Year) == 1:
		return DateNear, true
	}
	return DateDisagree, true
}

// near reports whether two full dates are within 400 days of each other,
// or share the month with a one-digit typo in the year (2011 for 2021):
// the errors of a clerk, not the distance between namesakes.
func near(a, b vigil.Date) bool {
	if a.Month == b.Month && digitDiff(vigil.Date{Year: a.Year}, vigil.Date{Year: b.Year}) == 1 {
		return true
	}
	return absInt(dayNumber(a)-dayNumber(b)) <= 400
}

// dayNumber counts days from a fixed origin (proleptic Gregorian) so that
// differences between dates are exact.
func dayNumber(d vigil.Date) int {
	y, m := d.Year, d.Month
	if m <= 2 {
		y--
		m += 12
	}
	return 365*y + y/4 - y/100 + y/400 + (153*(m-3)+2)/5 + d.Day
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// digitDiff counts the differing digits of the YYYYMMDD forms of a and b.
func digitDiff(a, b vigil.Date) int {
	x := a.Year*10000 + a.Month*100 + a.Day
	y := b.Year*10000 + b.Month*100 + b.Day
	n := 0
	for i := 0; i < 8; i++ {
		if x%10 != y%10 {
			n++
		}
		x, y = x/10, y/10
	}
	return n
}
