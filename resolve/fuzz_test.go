package resolve

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vigilfiu/vigil"
)

func FuzzFoldName(f *testing.F) {
	for _, s := range []string{"François LEFÈVRE", "O'Brien", "Straße", "Ma. Teresa", "ＪＯＳＥ", "\xff\xfe", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := FoldName(s)
		if again := FoldName(got); again != got {
			t.Fatalf("FoldName not idempotent: %q → %q → %q", s, got, again)
		}
		if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ") {
			t.Fatalf("FoldName(%q) = %q has stray spaces", s, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("FoldName(%q) = %q is not UTF-8", s, got)
		}
	})
}

func FuzzParseName(f *testing.F) {
	for _, s := range []string{"DUPONT Jean", "Juan dela Cruz", "DE LA CRUZ, Ma. Teresa", "Cruz, Juan, Jr.", "Jr.", ",", "Ma Ma Ma", "de la"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := ParseName(s)
		for _, part := range []string{n.Given, n.Surname} {
			if FoldName(part) != part {
				t.Fatalf("ParseName(%q) = %+v: part %q not folded", s, n, part)
			}
		}
		if n.Given != "" && n.Surname == "" {
			t.Fatalf("ParseName(%q) = %+v: given name without surname", s, n)
		}
		_ = n.Initials()
	})
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"09171234567", "+63 917 123 4567", "0063", "++1", "06 12 34 56 78", "+0000000000"} {
		f.Add(s, "PH")
	}
	f.Fuzz(func(t *testing.T, raw, region string) {
		e, ok := NormalizePhone(raw, region)
		if !ok {
			if e != "" {
				t.Fatalf("not ok but %q", e)
			}
			return
		}
		if e[0] != '+' || len(e) < 7 {
			t.Fatalf("NormalizePhone(%q, %q) = %q: not E.164", raw, region, e)
		}
		if again, ok2 := NormalizePhone(e, ""); !ok2 || again != e {
			t.Fatalf("NormalizePhone(%q) = %q, but again gives %q, %v", raw, e, again, ok2)
		}
	})
}

func FuzzCanonicalEmail(f *testing.F) {
	for _, s := range []string{"Jean.Dupont+x@gmail.com", "a@b.c", "@", "a@@b.c", "x@googlemail.com."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := CanonicalEmail(s)
		if !ok {
			return
		}
		if again, ok2 := CanonicalEmail(c); !ok2 || again != c {
			t.Fatalf("CanonicalEmail(%q) = %q, again %q %v", s, c, again, ok2)
		}
	})
}

func FuzzParseLooseDate(f *testing.F) {
	for _, s := range []string{"1980-03-12", "19800312", "12/03/1980", "1980-25-03", "03/1980", "1980", "", "0000-00-00", "31.02.2001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, _, ok := ParseLooseDate(s)
		if !ok {
			if !d.IsZero() {
				t.Fatalf("ParseLooseDate(%q) not ok but %+v", s, d)
			}
			return
		}
		back, reason := vigil.ParseDate(d.String())
		if reason != "" || back != d {
			t.Fatalf("ParseLooseDate(%q) = %+v, not a valid vigil.Date: %s", s, d, reason)
		}
	})
}
