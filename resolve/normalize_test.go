package resolve

import (
	"github.com/vigilfiu/vigil"
	"reflect"
	"testing"
)

func TestFoldName(t *testing.T) {
	for in, want := range map[string]string{
		"François  LEFÈVRE-Dupont": "francois lefevre dupont",
		"O'Brien":                  "obrien",
		"D’Artagnan":               "dartagnan",
		"Straße Ørsted Łukasz":     "strasse orsted lukasz",
		"Æsir Œuvre Þór":           "aesir oeuvre thor",
		"  Ma. Teresa  ":           "ma teresa",
		"Nicolás Maduro":           "nicolas maduro",
		"ＪＯＳＥ":                     "jose",
		"Peña, Juan Jr.":           "pena juan jr",
		"":                         "",
		"...":                      "",
	} {
		if got := FoldName(in); got != want {
			t.Errorf("FoldName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNameTokens(t *testing.T) {
	got := NameTokens("Ma. José  DE LA CRUZ")
	want := []string{"maria", "jose", "de", "la", "cruz"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("NameTokens = %q, want %q", got, want)
	}
}

func TestExpandAbbrev(t *testing.T) {
	for in, want := range map[string]string{
		"Ma. Teresa Santos":  "Maria Teresa Santos",
		"MA. TERESA SANTOS":  "MARIA TERESA SANTOS",
		"Mª José García":     "Maria José García",
		"Ma Teresa Santos":   "Maria Teresa Santos",
		"Ma Long":            "Ma Long",
		"Wm. Smith":          "William Smith",
		"Dr. Jean Dupont":    "Jean Dupont",
		"Engr. Jose Rizal":   "Jose Rizal",
		"St-Pierre":          "St-Pierre",
		"Jean St Pierre":     "Jean Saint Pierre",
		"Atty. Juan, Santos": "Juan, Santos",
	} {
		if got := ExpandAbbrev(in); got != want {
			t.Errorf("ExpandAbbrev(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseName(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Name
	}{
		{"DUPONT Jean", Name{Given: "jean", Surname: "dupont", Ordered: true}},
		{"Jean DUPONT", Name{Given: "jean", Surname: "dupont", Ordered: true}},
		{"Dupont, Jean", Name{Given: "jean", Surname: "dupont", Ordered: true}},
		{"Jean Dupont", Name{Given: "jean", Surname: "dupont"}},
		{"François Lefèvre", Name{Given: "francois", Surname: "lefevre"}},
		{"Juan dela Cruz", Name{Given: "juan", Surname: "dela cruz"}},
		{"Juan dela CRUZ", Name{Given: "juan", Surname: "dela cruz", Ordered: true}},
		{"Maria de los Santos", Name{Given: "maria", Surname: "de los santos"}},
		{"Jean de La Fontaine", Name{Given: "jean", Surname: "de la fontaine"}},
		{"Ludwig van Beethoven", Name{Given: "ludwig", Surname: "van beethoven"}},
		{"DE LA CRUZ, Ma. Teresa", Name{Given: "maria teresa", Surname: "de la cruz", Ordered: true}},
		{"Eric Dupond-Moretti", Name{Given: "eric", Surname: "dupond moretti"}},
		{"J. Dupont", Name{Given: "j", Surname: "dupont"}},
		{"Jose Rizal Jr.", Name{Given: "jose", Surname: "rizal", Suffix: "jr"}},
		{"Cruz, Juan, Jr.", Name{Given: "juan", Surname: "cruz", Suffix: "jr", Ordered: true}},
		{"Mr John SMITH III", Name{Given: "john", Surname: "smith", Suffix: "iii", Ordered: true}},
		{"Madonna", Name{Surname: "madonna"}},
		{"", Name{}},
		{"Jean-Pierre GARCÍA LÓPEZ", Name{Given: "jean pierre", Surname: "garcia lopez", Ordered: true}},
	} {
		if got := ParseName(tc.in); got != tc.want {
			t.Errorf("ParseName(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
	if got := ParseName("Jean Pierre Dupont").Initials(); got != "jp" {
		t.Errorf("Initials = %q", got)
	}
}

func TestNormalizePhone(t *testing.T) {
	for _, tc := range []struct {
		raw, region, want string
		ok                bool
	}{
		{"09171234567", "PH", "+639171234567", true},
		{"0917 123 4567", "PH", "+639171234567", true},
		{"0917-123-4567", "PH", "+639171234567", true},
		{"639171234567", "PH", "+639171234567", true},
		{"+63 917 123 4567", "", "+639171234567", true},
		{"0063 917 123 4567", "FR", "+639171234567", true},
		{"+63 (917) 123-4567", "FR", "+639171234567", true},
		{"06 12 34 56 78", "FR", "+33612345678", true},
		{"+33 6 12 34 56 78", "PH", "+33612345678", true},
		{"33612345678", "FR", "+33612345678", true},
		{"hello", "PH", "", false},
		{"", "PH", "", false},
		{"12", "PH", "", false},
		{"0612345678", "", "", false},
	} {
		got, ok := NormalizePhone(tc.raw, tc.region)
		if got != tc.want || ok != tc.ok {
			t.Errorf("NormalizePhone(%q, %q) = %q, %v; want %q, %v", tc.raw, tc.region, got, ok, tc.want, tc.ok)
		}
	}
}

func TestCanonicalEmail(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"Jean.Dupont+lists@GMail.com", "jeandupont@gmail.com", true},
		{"j.e.a.n@googlemail.com", "jean@gmail.com", true},
		{"Jean.Dupont@orange.fr", "jean.dupont@orange.fr", true},
		{"jean+x@orange.fr ", "jean@orange.fr", true},
		{"no-at-sign", "", false},
		{"@gmail.com", "", false},
		{"x@localhost", "", false},
	} {
		got, ok := CanonicalEmail(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("CanonicalEmail(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestCompareDatesLevels(t *testing.T) {
	d := func(y, m, dd int) vigil.Date { return vigil.Date{Year: y, Month: m, Day: dd} }
	cases := []struct {
		a, b vigil.Date
		want int
	}{
		{d(1980, 3, 12), d(1980, 3, 12), DateExact},
		{d(1980, 3, 12), d(1980, 12, 3), DateSwap},
		{d(1980, 3, 12), d(1980, 3, 13), DateClose},
		{d(1980, 3, 0), d(1980, 3, 12), DatePartial},
		{d(1980, 3, 12), d(1980, 7, 25), DateYear},
		{d(1999, 4, 17), d(2000, 4, 18), DateNear}, // 367 days
		{d(1977, 12, 7), d(1978, 11, 7), DateNear},
		{d(2021, 5, 23), d(2011, 5, 26), DateNear}, // one-digit typo in the year, same month
		{d(1999, 4, 0), d(2000, 4, 0), DateNear},
		{d(1980, 3, 12), d(1977, 3, 12), DateDisagree}, // a namesake three years apart
		{d(1980, 3, 12), d(1981, 9, 1), DateDisagree},  // 538 days
	}
	for _, c := range cases {
		got, ok := CompareDates(c.a, c.b)
		if !ok || got != c.want {
			t.Errorf("CompareDates(%v, %v) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// TestNicknameSupplement checks that nicknames/extra.csv is read with the
// main table: hypocorisms the table lacks, and the table's own pairs.
func TestNicknameSupplement(t *testing.T) {
	for _, p := range [][2]string{{"gaz", "gary"}, {"pepe", "jose"}, {"matze", "matthias"}, {"bec", "rebecca"}, {"kate", "catherine"}, {"bob", "robert"}} {
		if !IsNickname(p[0], p[1]) || !IsNickname(p[1], p[0]) {
			t.Errorf("%s and %s should be one name", p[0], p[1])
		}
	}
	if IsNickname("gaz", "george") || IsNickname("pepe", "peter") {
		t.Error("a supplement nickname joined another formal name")
	}
}
