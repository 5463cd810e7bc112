package resolve_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/resolve"
)

// candidate returns the scored candidate id among a lead's candidates.
func candidate(cs []resolve.Scored, id string) (resolve.Scored, bool) {
	for _, c := range cs {
		if c.PartyID == id {
			return c, true
		}
	}
	return resolve.Scored{}, false
}

// TestHandlePhone: a lead whose only phone is its messaging handle
// ("+61 482 141 414", a WhatsApp contact) is compared on that phone, and
// the explanation says where the number came from; a lead with a phone of
// its own has the handle's as a second phone (either agreeing is "same");
// a handle that is not written as an international number is not read as
// one.
func TestHandlePhone(t *testing.T) {
	parties := world(2000, 11)
	parties[3].Name, parties[3].Phone = "Michelle Rose Campbell", "+61 482 141 414"
	m := resolve.NewMatcher(parties, resolve.Options{})
	level := func(l resolve.Record) (string, string) {
		t.Helper()
		c, ok := candidate(m.Candidates(l), "P00003")
		if !ok {
			t.Fatalf("lead %+v: P00003 not a candidate", l)
		}
		f, ok := c.Fields["phone"]
		if !ok {
			return "unknown", ""
		}
		return f.Level, f.Lead
	}
	base := resolve.Record{ID: "L1", Name: "CAMPBELL Michelle", BirthDate: parties[3].BirthDate}
	for _, tc := range []struct {
		handle, phone, want string
	}{
		{"+61482141414", "", "same"},
		{" tel:+61 (482) 141-414 ", "", "same"},
		{"+61499999999", "", "different"},
		{"61482141414", "", "unknown"},              // digits without "+": maybe a numeric user id
		{"+61482141414x", "", "unknown"},            // not a number
		{"michelle.c67", "", "unknown"},             // an ordinary handle
		{"+6148", "", "unknown"},                    // too short for E.164
		{"+61482141414", "0400000001", "same"},      // the handle is the lead's second phone
		{"+61499999999", "0400000001", "different"}, // neither agrees
		{"", "0482 141 414", "same"},
	} {
		l := base
		l.Handle, l.Phone = tc.handle, tc.phone
		got, shown := level(l)
		if got != tc.want {
			t.Errorf("handle %q phone %q: phone level %q, want %q", tc.handle, tc.phone, got, tc.want)
		}
		if (tc.phone == "" || got == "same" && tc.handle != "") && got != "unknown" && !strings.Contains(shown, "handle") {
			t.Errorf("handle %q: the explanation %q does not say the number is the handle", tc.handle, shown)
		}
	}
}

// TestPartialDateFrequency: after Fit, a birth date given as a year and
// month that agrees weighs more than one given as a year alone, a year
// few customers were born in more than a common one, each weight being
// log2(a/f) with f the share shown in the explanation and one a for the
// list (every lead here is a customer, so a is at most 1); a full date
// that agrees is unchanged, and nothing weighs more than it.
func TestPartialDateFrequency(t *testing.T) {
	parties := world(3000, 5)
	// world's years are 1950–1999; one customer born in a rare year
	parties[10].Name, parties[10].BirthDate = "Noel Quintos", vigil.Date{Year: 1931, Month: 6, Day: 2}
	m := resolve.NewMatcher(parties, resolve.Options{})
	var leads []resolve.Record
	for i := 100; i < 500; i++ {
		p := parties[i]
		l := resolve.Record{ID: fmt.Sprintf("L%d", i), Name: p.Name, BirthDate: p.BirthDate, Phone: p.Phone}
		switch i % 3 {
		case 0:
			l.BirthDate = vigil.Date{Year: p.BirthDate.Year}
		case 1:
			l.BirthDate = vigil.Date{Year: p.BirthDate.Year, Month: p.BirthDate.Month}
		}
		leads = append(leads, l)
	}
	m.Fit(leads)
	dob := func(id string, l resolve.Record) resolve.FieldScore {
		t.Helper()
		c, ok := candidate(m.Candidates(l), id)
		if !ok {
			t.Fatalf("lead %+v: %s not a candidate", l, id)
		}
		return c.Fields["birth_date"]
	}
	p := parties[20]
	full := dob(p.ID, resolve.Record{ID: "F", Name: p.Name, BirthDate: p.BirthDate, Phone: p.Phone})
	month := dob(p.ID, resolve.Record{ID: "M", Name: p.Name, BirthDate: vigil.Date{Year: p.BirthDate.Year, Month: p.BirthDate.Month}, Phone: p.Phone})
	year := dob(p.ID, resolve.Record{ID: "Y", Name: p.Name, BirthDate: vigil.Date{Year: p.BirthDate.Year}, Phone: p.Phone})
	rare := dob(parties[10].ID, resolve.Record{ID: "R", Name: "Noel Quintos", BirthDate: vigil.Date{Year: 1931}})
	if full.Level != "exact" || month.Level != "agree as far as known" || year.Level != "agree as far as known" {
		t.Fatalf("levels %q %q %q", full.Level, month.Level, year.Level)
	}
	if !(year.Bits < month.Bits && month.Bits <= full.Bits) {
		t.Errorf("year %v bits, year and month %v, full date %v: want year < month ≤ full", year.Bits, month.Bits, full.Bits)
	}
	if !(rare.Bits > year.Bits+2) {
		t.Errorf("a year held by one customer weighs %v bits, a common one %v", rare.Bits, year.Bits)
	}
	// f is the share of customers born that year (that month)
	n, ny, nm := 0, 0, 0
	for _, q := range parties {
		n++
		if q.BirthDate.Year == p.BirthDate.Year {
			ny++
			if q.BirthDate.Month == p.BirthDate.Month {
				nm++
			}
		}
	}
	if math.Abs(year.TF-float64(ny)/float64(n)) > 1e-9 || math.Abs(month.TF-float64(nm)/float64(n)) > 1e-9 {
		t.Errorf("tf %v, %v; want %v, %v", year.TF, month.TF, float64(ny)/float64(n), float64(nm)/float64(n))
	}
	// the same a for both: bits + log2 f is one figure
	if a1, a2 := year.Bits+math.Log2(year.TF), month.Bits+math.Log2(month.TF); math.Abs(a1-a2) > 0.02 || a1 > 0.01 {
		t.Errorf("log2 a = %v from the year, %v from the month: want one figure ≤ 0", a1, a2)
	}
}

// TestMiddleNameLeftOut: a given name that only leaves out the other
// side's middle names agrees exactly ("John" and "John Edward"); other
// middle names, or a middle name taken for the first, do not.
func TestMiddleNameLeftOut(t *testing.T) {
	parties := world(500, 9)
	parties[1].Name = "John Edward Thornton"
	parties[2].Name = "Luke Kowalczyk"
	m := resolve.NewMatcher(parties, resolve.Options{})
	for _, tc := range []struct {
		lead, id, want string
	}{
		{"THORNTON John", "P00001", "exact"},
		{"John Edward Thornton", "P00001", "exact"},
		{"Luke James Kowalczyk", "P00002", "exact"},
		{"John Paul Thornton", "P00001", "close spelling"},
		{"Edward Thornton", "P00001", "close spelling"},
		{"Johnny Thornton", "P00001", "nickname"},
	} {
		p := parties[1]
		if tc.id == "P00002" {
			p = parties[2]
		}
		c, ok := candidate(m.Candidates(resolve.Record{ID: "L", Name: tc.lead, BirthDate: p.BirthDate}), tc.id)
		if !ok {
			t.Errorf("%q: %s not a candidate", tc.lead, tc.id)
			continue
		}
		if got := c.Fields["given_name"].Level; got != tc.want {
			t.Errorf("%q against %q: given name %q, want %q", tc.lead, p.Name, got, tc.want)
		}
	}
}

// TestSpelledInitial: a lead that gives only an initial agrees exactly
// with the party whose first given name its own email or handle spells
// out ("K. Hughes", hughes.kenneth283@…; "D. Wood", danielwood64@…), and
// the explanation says so; another name of that initial, a handle that
// merely begins with the letter, or a full given name stay as they were.
func TestSpelledInitial(t *testing.T) {
	parties := world(500, 13)
	parties[1].Name = "Kenneth Lee Hughes"
	parties[2].Name = "Karen Hughes"
	parties[3].Name = "Daniel Wood"
	parties[4].Name = "Dennis O'Brien"
	parties[2].BirthDate = parties[1].BirthDate
	m := resolve.NewMatcher(parties, resolve.Options{})
	for _, tc := range []struct {
		lead          resolve.Record
		party         int
		want, explain string
	}{
		{resolve.Record{Name: "K. Hughes", Email: "hughes.kenneth283@mail.example.com"}, 1, "exact", "kenneth in its email or handle"},
		{resolve.Record{Name: "K. Hughes", Handle: "Kenneth_H72"}, 1, "exact", "kenneth"},
		{resolve.Record{Name: "K. Hughes", Email: "hughes.kenneth283@mail.example.com"}, 2, "initial", ""},
		{resolve.Record{Name: "K. Hughes", Email: "khughes@example.net"}, 1, "initial", ""},
		{resolve.Record{Name: "D. Wood", Email: "danielwood64@mail.example.com"}, 3, "exact", "daniel"},
		{resolve.Record{Name: "D. O'Brien", Handle: "dobrien78"}, 4, "initial", ""},
		{resolve.Record{Name: "Ken Hughes", Email: "hughes.kenneth283@mail.example.com"}, 1, "nickname", ""},
	} {
		p := parties[tc.party]
		l := tc.lead
		l.ID, l.BirthDate = "L", p.BirthDate
		c, ok := candidate(m.Candidates(l), p.ID)
		if !ok {
			t.Errorf("%+v: %s not a candidate", l, p.ID)
			continue
		}
		f := c.Fields["given_name"]
		if f.Level != tc.want || !strings.Contains(f.Lead, tc.explain) {
			t.Errorf("%q %q %q against %q: given name %q (%q), want %q (%q)", l.Name, l.Email, l.Handle, p.Name, f.Level, f.Lead, tc.want, tc.explain)
		}
	}
}
