package erdata

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vigilfiu/vigil"
)

// The historical figures' birth dates: years before 1800 are read, and a
// mistyped month or day keeps the parts that are good.
func TestHistoricalDates(t *testing.T) {
	csv := "unique_id,cluster,full_name,first_and_surname,first_name,surname,dob,birth_place,postcode_fake,gender,occupation\n" +
		"Q1-1,Q1,\"thomas clifford, 1st baron clifford of chudleigh\",thomas chudleigh,thomas,chudleigh,1630-08-01,devon,tq13 8df,male,politician\n" +
		"Q1-2,Q1,fred wright,fred wright,fred,wright,1855-86-20,warwick,,female,\n" +
		"Q1-3,Q1,go4ing,go4ing,go4ing,,1792-00-01,sevenoaks,,,\n" +
		"Q1-4,Q1,joe carpue,joe,carpue,,1764-05-84,,,,\n" +
		"Q1-5,Q1,caesar,caesar,caesar,,-0050-01-0,,,,\n" +
		"Q1-6,Q1,jean dupont,jean,dupont,,1980-03-12,,,,\n"
	p := filepath.Join(t.TempDir(), "h.csv")
	if err := os.WriteFile(p, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	set, err := Historical(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []vigil.Date{{Year: 1630, Month: 8, Day: 1}, {Year: 1855}, {Year: 1792}, {Year: 1764, Month: 5}, {}, {Year: 1980, Month: 3, Day: 12}}
	for i, w := range want {
		if got := set.Records[i].BirthDate; got != w {
			t.Errorf("row %d: birth date %+v, want %+v", i+1, got, w)
		}
	}
	r := set.Records[0]
	if r.Name != "thomas clifford, 1st baron clifford of chudleigh" || r.Given != "thomas" || r.Surname != "chudleigh" ||
		r.Occupation != "politician" || r.Gender != "M" || r.City != "devon" || set.Entity[0] != "Q1" {
		t.Errorf("record %+v", r)
	}
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"1630-08-01", "1855-86-20", "1792-00-01", "-0050-01-0", "12/03/1980", "", "1980"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := date(s)
		if d.Year == 0 && (d.Month != 0 || d.Day != 0) || d.Month == 0 && d.Day != 0 {
			t.Fatalf("date(%q) = %+v: a part without the one above it", s, d)
		}
		if d.Year != 0 && (d.Year < 1000 || d.Year > 2200 || d.Month > 12 || d.Day > 31) {
			t.Fatalf("date(%q) = %+v out of range", s, d)
		}
	})
}
