package resolve

import (
	"bytes"
	"strconv"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// appendFastE164 appends to dst, without allocating, the E.164 form of
// the common ways a phone is written ("+63 917 123 4567", "0063…",
// "0917 123 4567", "917 123 4567", "639171234567"), computed from its
// digits and the country's calling code without libphonenumber's regular
// expressions: in a stream most recipient records are new and their
// phones distinct. It appends nothing when unsure, and the caller falls
// back to NormalizePhone. It is a join key: it does not check that the
// number is assigned. The resolver writes it straight into its join key.
func appendFastE164(dst []byte, raw, country string) []byte {
	var d [24]byte
	n, plus := 0, false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(d) {
				return dst
			}
			d[n] = c
			n++
		case c == '+' && n == 0:
			plus = true
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/':
		default:
			return dst // letters, extensions: let libphonenumber decide
		}
	}
	digits := d[:n]
	code := countryCallingCode(country)
	if code == 0 {
		return dst
	}
	var ccb [12]byte
	cc := strconv.AppendInt(ccb[:0], int64(code), 10)
	var fb [48]byte
	full := fb[:0]
	switch {
	case plus:
		full = append(full, digits...)
	case len(digits) > 2 && digits[0] == '0' && digits[1] == '0':
		full = append(full, digits[2:]...)
	case len(digits) > 1 && digits[0] == '0' && country != "IT":
		full = append(append(full, cc...), digits[1:]...)
	case len(digits) >= len(cc)+8 && bytes.Equal(digits[:len(cc)], cc):
		full = append(full, digits...)
	case len(digits) >= 7 && digits[0] != '0':
		full = append(append(full, cc...), digits...) // national number written without its trunk prefix
	default:
		return dst
	}
	if !bytes.HasPrefix(full, cc) || len(full) < len(cc)+7 || len(full) > 15 {
		return dst // another country's number, or an odd length: ask libphonenumber
	}
	return append(append(dst, '+'), full...)
}

// countryCallingCode is phonenumbers.GetCountryCodeForRegion(country):
// for a country of two capital letters from a table of all 676 made on
// first use (the library's look-up is two map probes with string keys,
// once per new record), for anything else from the library.
func countryCallingCode(country string) int {
	if len(country) == 2 && country[0]-'A' < 26 && country[1]-'A' < 26 {
		return int(callingCodes()[int(country[0]-'A')*26+int(country[1]-'A')])
	}
	return phonenumbers.GetCountryCodeForRegion(country)
}

var callingCodes = sync.OnceValue(func() *[26 * 26]uint16 {
	var t [26 * 26]uint16
	for i := range t {
		t[i] = uint16(phonenumbers.GetCountryCodeForRegion(string([]byte{byte('A' + i/26), byte('A' + i%26)})))
	}
	return &t
})
