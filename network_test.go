package vigil_test

import (
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
)

// FuzzParseRecipientKey checks that keys made by RecipientKey parse back to
// their parts and that no input makes the parser panic.
func FuzzParseRecipientKey(f *testing.F) {
	f.Add("", "Maria Santos", "PH")
	f.Add("P17", "", "PH")
	f.Add("", "a|b", "PH")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, id, name, country string) {
		vigil.ParseRecipientKey(id + name + country) // arbitrary text: must not panic
		if strings.Contains(country, "|") {
			return
		}
		tr := &vigil.Transfer{BeneficiaryID: id, BeneficiaryName: name, BeneficiaryCountry: country}
		key := vigil.RecipientKey(tr)
		if p := tr.Point(); p.RecipientKey() != key {
			t.Fatalf("point key %q != transfer key %q", p.RecipientKey(), key)
		}
		pid, n, c, ok := vigil.ParseRecipientKey(key)
		switch {
		case id != "":
			if !ok || pid != id {
				t.Fatalf("%q → %q %v", key, pid, ok)
			}
		case name != "":
			if !ok || n != name || c != country {
				t.Fatalf("%q → %q %q %v", key, n, c, ok)
			}
		}
	})
}
