package resolve

import "strings"

// CanonicalEmail returns the mailbox an address delivers to, for
// comparison: trimmed and lower-cased, a "+tag" removed from the local part,
// and for Gmail (gmail.com, googlemail.com) the dots of the local part
// removed and the domain written gmail.com. ok is false when s has no
// local part or no domain.
func CanonicalEmail(s string) (canon string, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return "", false
	}
	local, domain := s[:at], strings.TrimSuffix(s[at+1:], ".")
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	if domain == "googlemail.com" {
		domain = "gmail.com"
	}
	if domain == "gmail.com" {
		local = strings.ReplaceAll(local, ".", "")
	}
	if local == "" || !strings.Contains(domain, ".") || domain[0] == '.' || strings.HasSuffix(domain, ".") {
		return "", false
	}
	return local + "@" + domain, true
}
