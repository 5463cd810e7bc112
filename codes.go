package vigil

import (
	"golang.org/x/text/currency"
	"golang.org/x/text/language"
)

// The ISO tables are built once from golang.org/x/text's CLDR data and are
// read-only afterwards: validation on the ingest hot path is an array lookup.
var (
	countryCodes  [26 * 26]bool
	currencyCodes [26 * 26 * 26]bool
)

func init() {
	b := []byte("AA")
	for i := range 26 {
		for j := range 26 {
			b[0], b[1] = byte('A'+i), byte('A'+j)
			if r, err := language.ParseRegion(string(b)); err == nil && r.IsCountry() && r.String() == string(b) {
				countryCodes[i*26+j] = true
			}
		}
	}
	c := []byte("AAA")
	for i := range 26 {
		for j := range 26 {
			for k := range 26 {
				c[0], c[1], c[2] = byte('A'+i), byte('A'+j), byte('A'+k)
				if u, err := currency.ParseISO(string(c)); err == nil && u.String() == string(c) {
					currencyCodes[(i*26+j)*26+k] = true
				}
			}
		}
	}
}

// IsCountryCode reports whether s is an assigned ISO 3166-1 alpha-2 country
// code in upper case.
func IsCountryCode(s string) bool {
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		return false
	}
	return countryCodes[int(s[0]-'A')*26+int(s[1]-'A')]
}

// IsCurrencyCode reports whether s is an ISO 4217 currency code in upper case.
func IsCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := range 3 {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return currencyCodes[(int(s[0]-'A')*26+int(s[1]-'A'))*26+int(s[2]-'A')]
}
