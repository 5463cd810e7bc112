package resolve

import "testing"

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
