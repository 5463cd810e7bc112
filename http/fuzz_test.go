package http

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzAlertQuery feeds raw query strings to the alert queue's filter
// parser: it must never panic, and what it accepts must hold its bounds.
func FuzzAlertQuery(f *testing.F) {
	for _, s := range []string{"", "min_score=0.5&sort=date", "status=all&corridor=ph&from=2026-01-01&to=2026-02-01", "min_score=NaN", "page=-3", "indicator=%27%20OR%201%3D1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := alertQuery(v)
		if err != nil {
			return
		}
		if q.MinScore != nil && !(*q.MinScore >= 0 && *q.MinScore <= 1) {
			t.Fatalf("min_score %v accepted", *q.MinScore)
		}
		if q.Sort != "" && q.Sort != "score" && q.Sort != "date" && q.Sort != "party" {
			t.Fatalf("sort %q accepted", q.Sort)
		}
		if q.Limit != 50 || q.Offset < 0 {
			t.Fatalf("paging %d/%d", q.Offset, q.Limit)
		}
		if q.Corridor != nil && *q.Corridor != strings.ToUpper(*q.Corridor) {
			t.Fatalf("corridor %q not upper case", *q.Corridor)
		}
	})
}

// FuzzVerifyPassword feeds arbitrary stored hashes to the PHC parser: it
// must never panic nor accept a hash it did not make for that password.
func FuzzVerifyPassword(f *testing.F) {
	good, _ := HashPassword("fuzzing-password-1")
	f.Add(good, "fuzzing-password-1")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "x")
	f.Add("$argon2id$v=19$m=0,t=0,p=0$$", "")
	f.Add("plain", "plain")
	f.Fuzz(func(t *testing.T, hash, pw string) {
		ok := VerifyPassword(hash, pw)
		if ok && hash == pw {
			t.Fatalf("a hash equal to its password matched: %q", hash)
		}
		if ok && !strings.HasPrefix(hash, "$argon2id$") {
			t.Fatalf("non-argon2id hash matched: %q", hash)
		}
	})
}

// FuzzAuditFilter feeds raw query strings to the audit search parser.
func FuzzAuditFilter(f *testing.F) {
	for _, s := range []string{"", "user=ana&from=2026-01-01", "to=2026-13-45", "q=%25&page=9999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		fl, err := auditFilter(v)
		if err != nil {
			return
		}
		if fl.Limit != 100 || fl.Offset < 0 {
			t.Fatalf("paging %d/%d", fl.Offset, fl.Limit)
		}
	})
}
