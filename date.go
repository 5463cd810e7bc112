package vigil

import (
	"fmt"
	"time"
)

// Date is a calendar date that may be known only to the year or the month,
// as birth dates often are in KYC records and partner lists. The zero Date
// is absent.
type Date struct {
	Year  int // 0 when absent
	Month int // 0 when only the year is known
	Day   int // 0 when only the year, or year and month, are known
}

// ParseDate parses "YYYY-MM-DD", "YYYY-MM" or "YYYY". The empty string is
// the absent Date. The reason is empty on success.
func ParseDate(s string) (d Date, reason string) {
	if s == "" {
		return Date{}, ""
	}
	num := func(p string) (int, bool) {
		n := 0
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return 0, false
			}
			n = n*10 + int(p[i]-'0')
		}
		return n, len(p) > 0
	}
	var ok bool
	switch len(s) {
	case 4:
		d.Year, ok = num(s)
	case 7:
		if s[4] != '-' {
			break
		}
		var okm bool
		d.Year, ok = num(s[:4])
		d.Month, okm = num(s[5:7])
		ok = ok && okm
	case 10:
		if s[4] != '-' || s[7] != '-' {
			break
		}
		var okm, okd bool
		d.Year, ok = num(s[:4])
		d.Month, okm = num(s[5:7])
		d.Day, okd = num(s[8:10])
		ok = ok && okm && okd
	}
	if !ok {
		return Date{}, "not a date (YYYY-MM-DD, YYYY-MM or YYYY)"
	}
	if d.Year < 1800 || d.Year > 2200 {
		return Date{}, "year out of range 1800-2200"
	}
	if s := len(s); s >= 7 && (d.Month < 1 || d.Month > 12) {
		return Date{}, "month out of range 01-12"
	}
	if d.Day != 0 {
		last := time.Date(d.Year, time.Month(d.Month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if d.Day < 1 || d.Day > last {
			return Date{}, fmt.Sprintf("day out of range 01-%02d", last)
		}
	}
	return d, ""
}

// IsZero reports whether the date is absent.
func (d Date) IsZero() bool { return d.Year == 0 }

// Precision returns 0 (absent), 1 (year), 2 (month) or 3 (day).
func (d Date) Precision() int {
	switch {
	case d.Year == 0:
		return 0
	case d.Month == 0:
		return 1
	case d.Day == 0:
		return 2
	}
	return 3
}

// String formats the date at its precision; "" when absent.
func (d Date) String() string {
	switch d.Precision() {
	case 1:
		return fmt.Sprintf("%04d", d.Year)
	case 2:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	case 3:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
	return ""
}

// AgeAt returns the age in whole years at t, using the middle of the
// unknown part of a partial date, and false when the date is absent.
func (d Date) AgeAt(t time.Time) (int, bool) {
	if d.IsZero() {
		return 0, false
	}
	m, day := d.Month, d.Day
	if m == 0 {
		m = 7
	}
	if day == 0 {
		day = 1
	}
	age := t.Year() - d.Year
	if int(t.Month()) < m || (int(t.Month()) == m && t.Day() < day) {
		age--
	}
	return age, true
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	v, reason := ParseDate(string(b))
	if reason != "" {
		return Errorf(EINVALID, "date %q: %s", b, reason)
	}
	*d = v
	return nil
}
