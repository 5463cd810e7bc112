package resolve

import (
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// appendFastE164 appends exactly what the session-start fast path
// (refFastE164, kept in beneficiary_ref_test.go) returned.
func FuzzAppendFastE164(f *testing.F) {
	for _, c := range [][2]string{{"+639171234567", "PH"}, {"0917 123 4567", "PH"}, {"00441234567890", "GB"},
		{"639171234567", "PH"}, {"917-123-4567", "PH"}, {"0612345678", "IT"}, {"12", "PH"}, {"+1 415 555 2671", "XX"}} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, raw, country string) {
		want := refFastE164(raw, country)
		got := appendFastE164([]byte("phone:"), raw, country)
		if string(got) != "phone:"+want {
			t.Fatalf("%q %q: appended %q, refFastE164 %q", raw, country, got, want)
		}
	})
}

func TestAppendFastE164NoAlloc(t *testing.T) {
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { buf = appendFastE164(buf[:0], "0917 123 4567", "PH") }); n != 0 {
		t.Errorf("%v allocations per call, want 0", n)
	}
	if string(buf) != "+639171234567" {
		t.Errorf("got %q", buf)
	}
}

// countryCallingCode answers as the library for every two-letter code,
// capital or not, and for other strings.
func TestCountryCallingCode(t *testing.T) {
	var cs []string
	for a := byte(0); a < 128; a++ {
		for b := byte(0); b < 128; b++ {
			cs = append(cs, string([]byte{a, b}))
		}
	}
	cs = append(cs, "", "P", "PHL", "ph", "É", "\xff\xfe")
	known := 0
	for _, c := range cs {
		want := phonenumbers.GetCountryCodeForRegion(c)
		if got := countryCallingCode(c); got != want {
			t.Fatalf("countryCallingCode(%q) = %d, library %d", c, got, want)
		}
		if want != 0 {
			known++
		}
	}
	if known < 200 || countryCallingCode("PH") != 63 {
		t.Fatalf("%d countries with a code, PH %d", known, countryCallingCode("PH"))
	}
}
