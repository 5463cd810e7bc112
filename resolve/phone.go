package resolve

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// NormalizePhone returns raw in E.164 form ("+639171234567") using
// libphonenumber's metadata, reading national numbers ("0917 123 4567")
// in defaultRegion (ISO 3166-1 alpha-2, may be empty when raw is
// international). International numbers written without their "+"
// ("639171234567", "0063 917…") are recognised too. A number that
// libphonenumber considers valid is preferred; one that is merely possible
// for its country is accepted (synthetic and newly allocated ranges); ok is
// false when raw is no phone number at all.
func NormalizePhone(raw, defaultRegion string) (e164 string, ok bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", false
	}
	digits := make([]byte, 0, len(raw))
	plus := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c >= '0' && c <= '9' {
			digits = append(digits, c)
		} else if c == '+' && len(digits) == 0 {
			plus = true
		}
	}
	if len(digits) < 6 || len(digits) > 17 {
		return "", false
	}
	d := string(digits)
	if !plus && strings.HasPrefix(d, "00") {
		d, plus = d[2:], true
	}
	region := strings.ToUpper(defaultRegion)
	if region == "" {
		region = "ZZ"
	}
	var cands []*phonenumbers.PhoneNumber
	if plus {
		if n, err := phonenumbers.Parse("+"+d, region); err == nil {
			cands = append(cands, n)
		}
	} else {
		if n, err := phonenumbers.Parse(d, region); err == nil {
			cands = append(cands, n)
		}
		if d[0] != '0' {
			if n, err := phonenumbers.Parse("+"+d, region); err == nil {
				cands = append(cands, n)
			}
		}
	}
	for _, n := range cands {
		if phonenumbers.IsValidNumber(n) {
			return phonenumbers.Format(n, phonenumbers.E164), true
		}
	}
	for _, n := range cands {
		if phonenumbers.IsPossibleNumber(n) {
			return phonenumbers.Format(n, phonenumbers.E164), true
		}
	}
	return "", false
}
