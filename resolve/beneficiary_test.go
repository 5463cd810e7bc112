package resolve

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
)

func benTransfer(id, name, phone, account, city, country string) *vigil.Transfer {
	return &vigil.Transfer{ID: id, Timestamp: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), SenderID: "S",
		BeneficiaryName: name, BeneficiaryPhone: phone, BeneficiaryAccount: account,
		BeneficiaryCity: city, BeneficiaryCountry: country, Amount: vigil.NewAmount(50, 0), Currency: "EUR"}
}

func TestBeneficiaryResolver(t *testing.T) {
	cases := []struct {
		name string
		a, b *vigil.Transfer
		same bool
		why  string
	}{
		{"phone formats", benTransfer("1", "Maria Cristina Santos", "+639171234567", "", "Manila", "PH"),
			benTransfer("2", "Maria Cristina Santos", "0917 123 4567", "", "Quezon City", "PH"), true, "same phone"},
		{"name order and abbreviation", benTransfer("1", "Ma. Cristina Santos", "", "", "Manila", "PH"),
			benTransfer("2", "SANTOS MARIA CRISTINA", "", "", "manila", "PH"), true, "same name variant, country and city"},
		{"wallet account with name variant", benTransfer("1", "Cristina Santos", "", "gcash-0917", "Cebu", "PH"),
			benTransfer("2", "Ma Cristina Santos", "", "GCASH-0917", "Cebu City", "PH"), true, "same account"},
		{"common name in two cities", benTransfer("1", "Maria Santos", "", "", "Manila", "PH"),
			benTransfer("2", "Maria Santos", "", "", "Davao", "PH"), false, ""},
		{"outlet phone shared by strangers", benTransfer("1", "Ana Reyes", "09171112222", "", "Angeles", "PH"),
			benTransfer("2", "Jose Dela Cruz", "09171112222", "", "Angeles", "PH"), false, "not joined"},
		{"same name other country", benTransfer("1", "Ana Reyes", "", "", "Manila", "PH"),
			benTransfer("2", "Ana Reyes", "", "", "Manila", "US"), false, ""},
		{"known party id", &vigil.Transfer{ID: "1", BeneficiaryID: "P7", BeneficiaryCountry: "PH"},
			&vigil.Transfer{ID: "2", BeneficiaryID: "P7", BeneficiaryName: "Lito Garcia", BeneficiaryCountry: "PH"}, true, "same party id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := NewBeneficiaryResolver()
			na, nb := r.Observe(c.a), r.Observe(c.b)
			if got := r.ID(na) == r.ID(nb); got != c.same {
				t.Fatalf("same beneficiary = %v, want %v (links %+v)", got, c.same, r.Links())
			}
			if c.why != "" {
				found := false
				for _, l := range r.Links() {
					if l.TransferID == "2" && strings.HasPrefix(l.Reason, c.why) {
						found = true
					}
				}
				if !found {
					t.Errorf("no link for transfer 2 with reason %q: %+v", c.why, r.Links())
				}
			}
		})
	}
}

// Ids are stable: the same input gives the same ids, and a cluster keeps
// the id of its first key when later records join it.
func TestBeneficiaryIDsStable(t *testing.T) {
	in := []*vigil.Transfer{
		benTransfer("1", "Ana Reyes", "09171234567", "", "Angeles", "PH"),
		benTransfer("2", "Ana Reyes", "", "W-1", "Angeles", "PH"),
		benTransfer("3", "Reyes, Ana", "", "W-1", "Angeles City", "PH"),
	}
	ids := func() []string {
		r := NewBeneficiaryResolver()
		var out []string
		for _, t := range in {
			out = append(out, r.ID(r.Observe(t)))
		}
		return out
	}
	a, b := ids(), ids()
	for i := range a {
		if a[i] != b[i] || a[i] != a[0] {
			t.Fatalf("ids %v and %v: want one stable id", a, b)
		}
	}
	r := NewBeneficiaryResolver()
	for _, t := range in {
		r.Observe(t)
	}
	bs := r.Beneficiaries()
	if len(bs) != 1 || bs[0].Name != "Ana Reyes" || len(bs[0].Phones) != 1 || bs[0].Phones[0] != "+639171234567" {
		t.Errorf("beneficiaries %+v", bs)
	}
}

// Pairwise precision and recall of the clustering on a constructed
// population with the noise remitters' records show: name order, case,
// abbreviations, phone formats, missing fields, namesakes in other cities.
func TestBeneficiaryAccuracy(t *testing.T) {
	type person struct{ given, middle, surname, phone, city string }
	surnames := []string{"Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Torres", "Flores"}
	givens := []string{"Maria", "Ana", "Jose", "Juan", "Liza", "Joy", "Rosa", "Mark"}
	cities := []string{"Manila", "Cebu", "Davao", "Angeles"}
	var people []person
	for i := 0; i < 120; i++ {
		people = append(people, person{givens[i%8], []string{"Cristina", "Luz", ""}[i%3], surnames[(i/8)%8],
			fmt.Sprintf("0917%07d", 1000000+i*7919%9000000), cities[(i/64+i)%4]})
	}
	var trs []*vigil.Transfer
	truth := map[string]int{}
	for k := 0; k < 2400; k++ {
		i := (k * 37) % len(people)
		p := people[i]
		name := p.given + " " + p.middle + " " + p.surname
		switch k % 5 {
		case 1:
			name = strings.ToUpper(p.surname + " " + p.given + " " + p.middle)
		case 2:
			if p.given == "Maria" {
				name = "Ma. " + p.middle + " " + p.surname
			}
		case 3:
			name = p.surname + ", " + p.given + " " + p.middle
		}
		phone := p.phone
		switch k % 4 {
		case 1:
			phone = "+63" + p.phone[1:]
		case 2:
			phone = p.phone[:4] + " " + p.phone[4:7] + " " + p.phone[7:]
		case 3:
			if k%3 == 0 {
				phone = ""
			}
		}
		id := fmt.Sprint(k)
		trs = append(trs, benTransfer(id, strings.Join(strings.Fields(name), " "), phone, "", p.city, "PH"))
		truth[id] = i
	}
	r := NewBeneficiaryResolver()
	got := map[string]string{}
	nodes := make([]int32, len(trs))
	for k, tr := range trs {
		nodes[k] = r.Observe(tr)
	}
	for k, tr := range trs {
		got[tr.ID] = r.ID(nodes[k])
	}
	p, rec := PairwiseAccuracy(got, truthStrings(truth))
	t.Logf("pairwise precision %.4f recall %.4f over %d transfers, %d people", p, rec, len(trs), len(people))
	if p < 0.99 || rec < 0.95 {
		t.Errorf("pairwise precision %.4f recall %.4f, want ≥ 0.99 and ≥ 0.95", p, rec)
	}
}

func truthStrings(m map[string]int) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = fmt.Sprint(v)
	}
	return out
}

// benObserver is what the benchmarks need of the current resolver and
// the reference (the session-3-start code in beneficiary_ref_test.go).
type benObs interface {
	Observe(t *vigil.Transfer) int32
}

var benResolvers = []struct {
	name  string
	fresh func() benObs
}{
	{"reference", func() benObs { return newRefResolver() }},
	{"current", func() benObs { return NewBeneficiaryResolver() }},
}

// BenchmarkBeneficiaryObserve measures the repeat path: a transfer whose
// raw recipient record was seen before. cpu-ns/op is the process's CPU
// time per transfer (collector included).
func BenchmarkBeneficiaryObserve(b *testing.B) {
	var trs []*vigil.Transfer
	for i := 0; i < 5000; i++ {
		trs = append(trs, benTransfer(fmt.Sprint(i), fmt.Sprintf("Name%d Surname%d", i%500, i%300), fmt.Sprintf("0917%07d", i%500), "", "Manila", "PH"))
	}
	for _, c := range benResolvers {
		b.Run(c.name, func(b *testing.B) {
			r := c.fresh()
			for _, t := range trs {
				r.Observe(t)
			}
			b.ReportAllocs()
			b.ResetTimer()
			c0 := cpuTime()
			for i := 0; i < b.N; i++ {
				r.Observe(trs[i%len(trs)])
			}
			b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkBeneficiaryObserveNew measures the first sighting of a raw
// record (keys, phone, name tokens, joins): in a synth stream about a
// third of the transfers bring one. Names repeat across records, as they
// do in a stream (phone and city variants of one person).
func BenchmarkBeneficiaryObserveNew(b *testing.B) {
	const n = 100000
	trs := make([]*vigil.Transfer, n)
	for i := range trs {
		trs[i] = benTransfer(fmt.Sprint(i), fmt.Sprintf("Name%d Surname%d", i%5000, i%3000), fmt.Sprintf("0917%07d", i), "", "Manila", "PH")
	}
	for _, c := range benResolvers {
		b.Run(c.name, func(b *testing.B) {
			var r benObs
			b.ReportAllocs()
			b.ResetTimer()
			var cpu time.Duration
			c0 := cpuTime()
			for i := 0; i < b.N; i++ {
				if i%n == 0 {
					b.StopTimer()
					cpu += cpuTime() - c0
					r = c.fresh()
					c0 = cpuTime()
					b.StartTimer()
				}
				r.Observe(trs[i%n])
			}
			cpu += cpuTime() - c0
			b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// The fast path agrees with libphonenumber wherever it answers.
func TestFastE164(t *testing.T) {
	cases := []struct{ raw, country string }{
		{"+639171234567", "PH"}, {"0917 123 4567", "PH"}, {"09171234567", "PH"}, {"639171234567", "PH"},
		{"0063 917 123 4567", "PH"}, {"+63 (917) 123-4567", "PH"}, {"081 198 0849", "VN"}, {"+2348130904444", "NG"},
		{"0244123456", "GH"}, {"+44 20 7946 0958", "GB"}, {"917-123-4567", "PH"}, {"12", "PH"}, {"+1 415 555 2671", "PH"},
	}
	for _, c := range cases {
		fast := fastE164Of(c.raw, c.country)
		slow, _ := NormalizePhone(c.raw, c.country)
		if fast != "" && fast != slow {
			t.Errorf("%q in %s: fast %q, libphonenumber %q", c.raw, c.country, fast, slow)
		}
	}
	if fastE164Of("0917 123 4567", "PH") != "+639171234567" {
		t.Errorf("national PH number not handled by the fast path")
	}
}

func FuzzFastE164(f *testing.F) {
	f.Add("+639171234567", "PH")
	f.Add("0917 123 4567", "PH")
	f.Add("00441234567890", "GB")
	f.Fuzz(func(t *testing.T, raw, country string) {
		fast := fastE164Of(raw, country)
		if fast == "" {
			return
		}
		if fast[0] != '+' || len(fast) > 16 {
			t.Fatalf("%q %q → %q", raw, country, fast)
		}
	})
}

// fastE164Of is the resolver's fast E.164 form as a string ("" when the
// fast path is unsure and the resolver falls back to NormalizePhone).
func fastE164Of(raw, country string) string { return string(appendFastE164(nil, raw, country)) }

// Namesakes: a record with only a name never bridges two people of that
// name who hold different phones (the session-3 resolver merged them
// through it), name-only records stop attaching once the name is
// ambiguous in that city, and contradicting birth dates keep records
// apart.
func TestBeneficiaryNamesakes(t *testing.T) {
	r := NewBeneficiaryResolver()
	a := r.Observe(benTransfer("1", "Kristine Mendoza", "09171110001", "", "Dumaguete", "PH"))
	w := r.Observe(benTransfer("2", "MENDOZA, Kristine", "", "", "Dumaguete City", "PH"))
	if r.Find(w) != r.Find(a) {
		t.Fatalf("a name-only record with one candidate in its city should join it")
	}
	b := r.Observe(benTransfer("3", "Kristine Mendoza", "09182220002", "", "Dumaguete", "PH"))
	if r.Find(b) == r.Find(a) {
		t.Fatalf("two people of one name with different phones merged through a name-only record")
	}
	found := false
	for _, l := range r.Links() {
		found = found || l.TransferID == "3" && strings.Contains(l.Reason, "namesakes")
	}
	if !found {
		t.Errorf("no refusal recorded for transfer 3: %+v", r.Links())
	}
	w2 := r.Observe(benTransfer("4", "Kristine Mendoza", "", "", "Dumaguete", "PH"))
	w3 := r.Observe(benTransfer("5", "Mendoza Kristine", "", "", "DUMAGUETE", "PH"))
	if f := r.Find(w2); f == r.Find(a) || f == r.Find(b) {
		t.Errorf("a name-only record joined one of two namesakes with phones")
	}
	if r.Find(w3) != r.Find(w2) {
		t.Errorf("name-only records of an ambiguous name should stay together")
	}
	// A third phone of the name joins nobody; the second's own records
	// still join by phone.
	b2 := r.Observe(benTransfer("6", "Kristine Mendoza", "+63 918 222 0002", "", "Dumaguete", "PH"))
	if r.Find(b2) != r.Find(b) {
		t.Errorf("same phone, same name: not joined")
	}

	// A full name of three words in one city: a second number of one
	// person, once; a third number is refused.
	r = NewBeneficiaryResolver()
	p1 := r.Observe(benTransfer("1", "Rommel Flores de Guzman", "639992906845", "", "City of Manila", "PH"))
	p2 := r.Observe(benTransfer("2", "DE GUZMAN ROMMEL FLORES", "639366020921", "", "Manila", "PH"))
	p3 := r.Observe(benTransfer("3", "Rommel Flores de Guzman", "639170000001", "", "Manila", "PH"))
	if r.Find(p1) != r.Find(p2) {
		t.Errorf("a three-word name's second number in the same city not joined")
	}
	if r.Find(p3) == r.Find(p1) {
		t.Errorf("a third number joined by name")
	}

	// Birth dates.
	r = NewBeneficiaryResolver()
	x := &vigil.Transfer{ID: "1", BeneficiaryName: "Maria Luisa dela Cruz", BeneficiaryPhone: "09171230000", BeneficiaryCity: "Taguig", BeneficiaryCountry: "PH", BeneficiaryBirthDate: vigil.Date{Year: 1994, Month: 3, Day: 12}}
	y := &vigil.Transfer{ID: "2", BeneficiaryName: "DELA CRUZ, Maria Luisa", BeneficiaryCity: "Taguig", BeneficiaryCountry: "PH", BeneficiaryBirthDate: vigil.Date{Year: 1971, Month: 8, Day: 2}}
	z := &vigil.Transfer{ID: "3", BeneficiaryName: "Maria Luisa Dela Cruz", BeneficiaryCity: "Taguig", BeneficiaryCountry: "PH", BeneficiaryBirthDate: vigil.Date{Year: 1994, Month: 12, Day: 3}}
	nx, ny, nz := r.Observe(x), r.Observe(y), r.Observe(z)
	if r.Find(ny) == r.Find(nx) {
		t.Errorf("contradicting birth dates joined")
	}
	if r.Find(nz) != r.Find(nx) {
		t.Errorf("the same birth date with day and month swapped should not keep records apart")
	}

	// One account, two spellings refused by it ("Fdn" is no variant of
	// "Foundation"): the two spellings share the account, so they are no
	// namesakes and their name key joins them.
	r = NewBeneficiaryResolver()
	r.Observe(benTransfer("1", "Hope Springs Foundation", "", "2288-0378-1031", "Cebu", "PH"))
	f1 := r.Observe(benTransfer("2", "Hope Springs Fdn", "", "2288 0378 1031", "Cebu", "PH"))
	f2 := r.Observe(benTransfer("3", "Hope Springs Fdn", "", "228803781031", "CEBU CITY", "PH"))
	if r.Find(f1) != r.Find(f2) {
		t.Errorf("two records with one account and one name split")
	}
}

func TestBirthsContradict(t *testing.T) {
	d := func(y, m, dd int) packedDate { return packDate(vigil.Date{Year: y, Month: m, Day: dd}) }
	for _, c := range []struct {
		a, b packedDate
		want bool
	}{
		{0, d(1990, 1, 2), false},
		{d(1990, 1, 2), d(1990, 1, 2), false},
		{d(1990, 1, 2), d(1991, 1, 2), true},
		{d(1990, 1, 2), d(1990, 2, 1), false},
		{d(1990, 1, 2), d(1990, 1, 3), true},
		{d(1990, 0, 0), d(1990, 5, 6), false},
	} {
		if got := birthsContradict(c.a, c.b); got != c.want {
			t.Errorf("birthsContradict(%v, %v) = %v", c.a.date(), c.b.date(), got)
		}
	}
}

// nameJoin returns the reason of transfer id's join by name key, or "".
func nameJoin(links []vigil.BeneficiaryLink, id string) string {
	for _, l := range links {
		if l.TransferID == id && strings.HasPrefix(l.Reason, "same name variant, country and city") {
			return l.Reason
		}
	}
	return ""
}

// A name-key join says what it rested on: a name alone (first come), an
// exception of namesake rule 1, or name-only records of an ambiguous key.
func TestBeneficiaryNameJoinReasons(t *testing.T) {
	const (
		nameOnly = "same name variant, country and city, name only: the one person with a phone or account of that name there so far"
		shared   = "same name variant, country and city, and the phone or account of one of its records"
		kinds    = "same name variant, country and city, one paid by phone only and the other to an account only: taken as one person"
		second   = "same name variant, country and city, a name of three or more words with a second phone or account: taken as one person (once per name and city)"
		weakAmb  = "same name variant, country and city, name only: joined to other name-only records, although several people with phones or accounts share that name there"
		plain    = "same name variant, country and city"
	)
	type step struct{ name, phone, account, city string }
	for _, c := range []struct {
		what  string
		steps []step
		id    string // the transfer whose join by name is read
		want  string // its reason; "" for none
	}{
		// s101 S65486: her name-only records in Manila joined a webcam
		// platform's phone cluster of her name there, the first to hold it.
		{"name only into the one phone of the town", []step{{"Girlie Gonzales", "09751279964", "", "City of Manila"}, {"Girlie Gonzales", "", "", "Manila"}}, "2", nameOnly},
		{"a phone record takes in a name-only cluster", []step{{"Jocelyn Lim", "", "", "Gen. Santos City"}, {"Jocelyn Lim", "639569353558", "", "Gen. Santos City"}}, "2", nameOnly},
		{"name only, no city", []step{{"Rachelle Cruz", "09557284103", "", ""}, {"Rachelle dela Cruz", "", "", ""}}, "2", nameOnly},
		{"two name-only records", []step{{"Romeo Reyes", "", "", ""}, {"REYES ROMEO", "", "", ""}}, "2", plain},
		{"a misspelt name-only record: another key", []step{{"Lovely Mercado", "+639264836844", "", "General Santos"}, {"Lovely Mercdao", "", "", "General Santos"}}, "2", ""},
		// s101 S49389: two Edgardo Villareals of Quezon City, one paid by
		// phone, one to an account, joined by rule 1(b).
		{"phone only and account only", []step{{"Edgardo Aquino Villareal", "+63 998 900 9599", "", "QC"}, {"VILLAREAL EDGARDO", "", "6087 9438 5769", "Quezon City"}, {"Edgardo Villareal", "09989009599", "", "Quezon City"}}, "3", kinds},
		{"a three-word name's second phone", []step{{"Rommel Flores de Guzman", "639992906845", "", "City of Manila"}, {"DE GUZMAN ROMMEL FLORES", "639366020921", "", "Manila"}}, "2", second},
		{"a two-word name's second phone", []step{{"Kristine Mendoza", "09171110001", "", "Dumaguete"}, {"Kristine Mendoza", "09182220002", "", "Dumaguete"}}, "2", ""},
		{"one account, two spellings", []step{{"Hope Springs Foundation", "", "2288-0378-1031", "Cebu"}, {"Hope Springs Fdn", "", "2288 0378 1031", "Cebu"}, {"Hope Springs Fdn", "", "228803781031", "CEBU CITY"}}, "3", shared},
		{"name-only records of an ambiguous key", []step{{"Kristine Mendoza", "09171110001", "", "Dumaguete"}, {"Kristine Mendoza", "09182220002", "", "Dumaguete"}, {"Kristine Mendoza", "", "", "Dumaguete"}, {"Mendoza Kristine", "", "", "DUMAGUETE"}}, "4", weakAmb},
		{"a phone join is no name join", []step{{"Lovely Mercado", "+639264836844", "", "General Santos"}, {"Lovely Mercdao", "0926 483 6844", "", "General Santos City"}}, "2", ""},
	} {
		r := NewBeneficiaryResolver()
		for i, s := range c.steps {
			r.Observe(benTransfer(strconv.Itoa(i+1), s.name, s.phone, s.account, s.city, "PH"))
		}
		if got := nameJoin(r.Links(), c.id); got != c.want {
			t.Errorf("%s: transfer %s joined with reason %q, want %q", c.what, c.id, got, c.want)
		}
	}
}
