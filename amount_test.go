package vigil_test

import (
	"testing"

	"github.com/vigilfiu/vigil"
)

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   vigil.Amount
		reason string
	}{
		{"50", 50_000_000, ""},
		{"49.99", 49_990_000, ""},
		{"0.5", 500_000, ""},
		{"0.000001", 1, ""},
		{"1234567.123456", 1_234_567_123_456, ""},
		{"", 0, "empty amount"},
		{"-5", 0, "negative amount"},
		{"1e3", 0, "not a decimal number (digits and one '.' only)"},
		{"1,000", 0, "not a decimal number (digits and one '.' only)"},
		{"1.2.3", 0, "not a decimal number (digits and one '.' only)"},
		{".", 0, "not a decimal number (digits and one '.' only)"},
		{"0.0000001", 0, "more than 6 decimal places"},
		{"99999999999999999", 0, "amount too large"},
	} {
		got, reason := vigil.ParseAmount(tc.in)
		if got != tc.want || reason != tc.reason {
			t.Errorf("ParseAmount(%q) = %d, %q; want %d, %q", tc.in, got, reason, tc.want, tc.reason)
		}
	}
}

func TestAmountString(t *testing.T) {
	for _, tc := range []struct {
		in   vigil.Amount
		want string
	}{
		{50_000_000, "50"},
		{49_900_000, "49.90"},
		{1, "0.000001"},
		{123_450_000, "123.45"},
	} {
		if got := tc.in.String(); got != tc.want {
			t.Errorf("%d.String() = %q, want %q", tc.in, got, tc.want)
		}
		back, reason := vigil.ParseAmount(tc.want)
		if reason != "" || back != tc.in {
			t.Errorf("round trip of %q gave %d, %q", tc.want, back, reason)
		}
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"50", "49.99", "0.000001", "-1", "1e9", "", "9223372036854.775807"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, reason := vigil.ParseAmount(s)
		if reason != "" {
			return
		}
		if a < 0 {
			t.Fatalf("ParseAmount(%q) = %d < 0", s, a)
		}
		back, reason := vigil.ParseAmount(a.String())
		if reason != "" || back != a {
			t.Fatalf("round trip of %q: %q gave %d, %q", s, a.String(), back, reason)
		}
	})
}
