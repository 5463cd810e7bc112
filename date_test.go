package vigil_test

import (
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in        string
		want      string
		precision int
		bad       bool
	}{
		{"1961-03-14", "1961-03-14", 3, false},
		{"1961-03", "1961-03", 2, false},
		{"1961", "1961", 1, false},
		{"", "", 0, false},
		{"1961-02-30", "", 0, true},
		{"2024-02-29", "2024-02-29", 3, false},
		{"1961-13", "", 0, true},
		{"14/03/1961", "", 0, true},
		{"196", "", 0, true},
		{"0001-01-01", "", 0, true},
	} {
		d, reason := vigil.ParseDate(tc.in)
		if (reason != "") != tc.bad {
			t.Errorf("ParseDate(%q) reason %q, want bad=%v", tc.in, reason, tc.bad)
			continue
		}
		if d.String() != tc.want || d.Precision() != tc.precision {
			t.Errorf("ParseDate(%q) = %q precision %d, want %q %d", tc.in, d, d.Precision(), tc.want, tc.precision)
		}
	}
}

func TestDateAgeAt(t *testing.T) {
	d, _ := vigil.ParseDate("2010-06-15")
	at := time.Date(2024, 6, 14, 0, 0, 0, 0, time.UTC)
	if age, ok := d.AgeAt(at); !ok || age != 13 {
		t.Errorf("AgeAt = %d, %v; want 13, true", age, ok)
	}
	if _, ok := (vigil.Date{}).AgeAt(at); ok {
		t.Error("absent date has an age")
	}
}

func TestCodes(t *testing.T) {
	for _, c := range []string{"PH", "FR", "AU", "US", "GB"} {
		if !vigil.IsCountryCode(c) {
			t.Errorf("IsCountryCode(%q) = false", c)
		}
	}
	for _, c := range []string{"ph", "XX", "EU", "P", "PHL", "ZZ"} {
		if vigil.IsCountryCode(c) {
			t.Errorf("IsCountryCode(%q) = true", c)
		}
	}
	for _, c := range []string{"EUR", "PHP", "AUD", "USD", "JPY"} {
		if !vigil.IsCurrencyCode(c) {
			t.Errorf("IsCurrencyCode(%q) = false", c)
		}
	}
	for _, c := range []string{"eur", "EURO", "ABC", ""} {
		if vigil.IsCurrencyCode(c) {
			t.Errorf("IsCurrencyCode(%q) = true", c)
		}
	}
}
