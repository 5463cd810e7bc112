package resolve

import (
	"strings"
	"testing"
)

// FuzzLeadHandle checks the lead fields read from a handle and an email
// for any input: a phone read from the handle is the phoneTail of a
// "+"-number of 8 to 15 digits, or nothing; the email's and handle's
// words are lower-case letter runs of three or more, at most eight; an
// initial is spelt out only by a name that begins with it and that the
// words hold; and comparing such a lead with a party does not fail.
func FuzzLeadHandle(f *testing.F) {
	for _, s := range [][3]string{{"K. Hughes", "hughes.kenneth283@mail.example.com", "+61 482 141 414"},
		{"D. Wood", "danielwood64@x.org", "tel:+61(4)82-141.414"}, {"T. Jones", "", "trevor.j60"},
		{"", "@", "+"}, {"Ｋ. Ｘ", "\xff@\xfe", "+123456789012345678"}, {"k", "kk@kk", "61482141414"}} {
		f.Add(s[0], s[1], s[2], "Kenneth Hughes")
	}
	f.Fuzz(func(t *testing.T, name, email, handle, party string) {
		if ph := handlePhone(handle); ph != "" {
			h := strings.TrimPrefix(strings.TrimSpace(handle), "tel:")
			digits := 0
			for i := 0; i < len(h); i++ {
				if h[i] >= '0' && h[i] <= '9' {
					digits++
				}
			}
			if h[0] != '+' || digits < 8 || digits > 15 || ph != phoneTail(h) {
				t.Fatalf("handle %q read as phone %q", handle, ph)
			}
		}
		ws := selfWords(email, handle)
		if n := len(strings.Fields(ws)); n > 8 {
			t.Fatalf("%d words from %q %q", n, email, handle)
		}
		for _, w := range strings.Fields(ws) {
			if len(w) < 3 || strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") != "" {
				t.Fatalf("word %q from %q %q", w, email, handle)
			}
		}
		a := prepare(&Record{Name: name, Email: email, Handle: handle})
		b := prepare(&Record{Name: party, Phone: "+61 482 141 414"})
		if spelledInitial(&a, &b) != spelledInitial(&b, &a) {
			t.Fatalf("spelledInitial not symmetric for %q / %q", name, party)
		}
		if spelledInitial(&a, &b) && (len(a.given1) != 1 || !strings.HasPrefix(b.given1, a.given1)) {
			t.Fatalf("%q spelt out as %q", a.given1, b.given1)
		}
		vec := make([]int8, len(fields))
		compareInto(&a, &b, vec)
		compareInto(&b, &a, vec)
	})
}
