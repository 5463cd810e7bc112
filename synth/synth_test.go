package synth

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	vcsv "github.com/vigilfiu/vigil/csv"
)

var worldFiles = []string{"parties.csv", "transfers.csv", "calls.csv", "leads.csv", "seeds.csv", "rates.csv",
	"truth/segments.csv", "truth/duplicates.csv", "truth/recipients.csv", "truth/transfers.csv", "truth/seizures.csv",
	"truth/seizure_buyers.csv", "truth/handles.csv", "truth/leads.csv", "truth/params.csv"}

// loaded is a generated world read back through package csv's readers.
type loaded struct {
	dir       string
	sum       *Summary
	truth     *Truth
	parties   []vigil.Party
	transfers []vigil.Transfer
	calls     []vigil.CallEvent
	leads     []vigil.Lead
	seeds     []vigil.Lead
}

func load(t testing.TB, customers int, seed int64) *loaded {
	t.Helper()
	dir := t.TempDir()
	s, err := Generate(Config{Customers: customers, Seed: seed}, dir)
	if err != nil {
		t.Fatal(err)
	}
	return readWorld(t, dir, s)
}

func readWorld(t testing.TB, dir string, s *Summary) *loaded {
	t.Helper()
	l := &loaded{dir: dir, sum: s}
	var rej []*vcsv.RowError
	var err error
	check := func(name string) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(rej) > 0 {
			t.Fatalf("%s: %d rows rejected, first: %v", name, len(rej), rej[0])
		}
	}
	l.parties, rej, err = vcsv.ReadPartiesFile(filepath.Join(dir, "parties.csv"), vcsv.Options{})
	check("parties.csv")
	l.transfers, rej, err = vcsv.ReadTransfersFile(filepath.Join(dir, "transfers.csv"), vcsv.Options{})
	check("transfers.csv")
	l.calls, rej, err = vcsv.ReadCallsFile(filepath.Join(dir, "calls.csv"), vcsv.Options{})
	check("calls.csv")
	l.leads, rej, err = vcsv.ReadLeadsFile(filepath.Join(dir, "leads.csv"), vcsv.Options{})
	check("leads.csv")
	l.seeds, rej, err = vcsv.ReadLeadsFile(filepath.Join(dir, "seeds.csv"), vcsv.Options{})
	check("seeds.csv")
	if l.truth, err = ReadTruth(dir); err != nil {
		t.Fatal(err)
	}
	return l
}

var (
	calOnce  sync.Once
	calWorld *loaded
)

// calibrationWorld is one mid-sized world shared by the calibration tests.
func calibrationWorld(t *testing.T) *loaded {
	calOnce.Do(func() {
		dir, err := os.MkdirTemp("", "synth-cal-")
		if err != nil {
			t.Fatal(err)
		}
		s, err := Generate(Config{Customers: 12000, Seed: 20261129}, dir)
		if err != nil {
			t.Fatal(err)
		}
		calWorld = readWorld(t, dir, s)
	})
	if calWorld == nil {
		t.Fatal("calibration world failed")
	}
	return calWorld
}

func TestMain(m *testing.M) {
	code := m.Run()
	if calWorld != nil {
		os.RemoveAll(calWorld.dir)
	}
	os.Exit(code)
}

func TestDeterministic(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, d := range []struct {
		dir  string
		seed int64
	}{{a, 42}, {b, 42}, {c, 43}} {
		if _, err := Generate(Config{Customers: 2000, Seed: d.seed}, d.dir); err != nil {
			t.Fatal(err)
		}
	}
	differs := 0
	for _, f := range worldFiles {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", f)
		}
		z, _ := os.ReadFile(filepath.Join(c, f))
		if !bytes.Equal(x, z) {
			differs++
		}
	}
	if differs < 10 {
		t.Errorf("only %d files differ between seeds 42 and 43", differs)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []Config{{Customers: 10}, {Customers: 1000, Months: 3}, {Customers: 1000, Months: 500}} {
		_, err := Generate(c, t.TempDir())
		if vigil.ErrorCode(err) != vigil.EINVALID {
			t.Errorf("%+v: got %v, want EINVALID", c, err)
		}
	}
}

func TestFilesValid(t *testing.T) {
	l := load(t, 3000, 5)
	if len(l.parties) != l.sum.Parties || len(l.transfers) != l.sum.Transfers || len(l.calls) != l.sum.Calls ||
		len(l.leads) != l.sum.Leads || len(l.seeds) != l.sum.Seeds {
		t.Fatalf("counts read back differ from the summary %+v", l.sum)
	}
	ids := map[string]bool{}
	for i := range l.parties {
		p := &l.parties[i]
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		if ids[p.ID] {
			t.Fatalf("duplicate party id %s", p.ID)
		}
		ids[p.ID] = true
	}
	// An email address or a phone number belongs to one person (records
	// of one person may share them).
	owner := map[string]string{}
	for i := range l.parties {
		p := &l.parties[i]
		c := l.truth.PartyCluster[p.ID]
		if p.Email != "" {
			if o, ok := owner[p.Email]; ok && o != c {
				t.Errorf("email %s held by %s and %s", p.Email, o, c)
			}
			owner[p.Email] = c
		}
	}
	seen := map[string]bool{}
	var prev time.Time
	for i := range l.transfers {
		x := &l.transfers[i]
		if err := x.Validate(); err != nil {
			t.Fatal(err)
		}
		if !ids[x.SenderID] {
			t.Fatalf("transfer %s: unknown sender %s", x.ID, x.SenderID)
		}
		if seen[x.ID] {
			t.Fatalf("duplicate transfer id %s", x.ID)
		}
		seen[x.ID] = true
		if x.Timestamp.Before(prev) {
			t.Fatalf("transfer %s out of time order", x.ID)
		}
		prev = x.Timestamp
		if _, off := x.Timestamp.Zone(); off < 8*3600 || off > 11*3600 {
			t.Fatalf("transfer %s: offset %d s is not Australian", x.ID, off)
		}
	}
	accounts := map[string]bool{}
	for i := range l.seeds {
		if err := l.seeds[i].Validate(); err != nil {
			t.Fatal(err)
		}
		accounts[l.seeds[i].Handle] = true
	}
	for i := range l.calls {
		if err := l.calls[i].Validate(); err != nil {
			t.Fatal(err)
		}
		if !accounts[l.calls[i].Account] {
			t.Fatalf("event %s: account %s is no seed's handle", l.calls[i].ID, l.calls[i].Account)
		}
	}
	for i := range l.leads {
		if err := l.leads[i].Validate(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTruthRoundTrip(t *testing.T) {
	l := load(t, 3000, 9)
	tr := l.truth
	if len(tr.Segment) != len(l.parties) || len(tr.PartyCluster) != len(l.parties) {
		t.Fatalf("segments for %d of %d parties", len(tr.Segment), len(l.parties))
	}
	if len(tr.Recipient) != len(l.transfers) {
		t.Fatalf("recipients for %d of %d transfers", len(tr.Recipient), len(l.transfers))
	}
	for _, x := range l.transfers {
		if _, ok := tr.RecipientRole[tr.Recipient[x.ID]]; !ok {
			t.Fatalf("transfer %s: recipient %q has no role", x.ID, tr.Recipient[x.ID])
		}
	}
	perSeg := map[string]int{}
	for _, s := range tr.Segment {
		perSeg[s]++
	}
	for _, sc := range l.sum.Segments {
		if perSeg[sc.Segment] != sc.Parties {
			t.Errorf("segment %s: truth has %d parties, summary %d", sc.Segment, perSeg[sc.Segment], sc.Parties)
		}
	}
	dups := 0
	for p, c := range tr.PartyCluster {
		if p != c {
			dups++
			if tr.Segment[p] != tr.Segment[c] {
				t.Errorf("duplicate %s is %s but its first record %s is %s", p, tr.Segment[p], c, tr.Segment[c])
			}
		}
	}
	if dups != l.sum.Duplicates || dups == 0 {
		t.Errorf("%d second records in truth, summary says %d", dups, l.sum.Duplicates)
	}
	if len(tr.Seized) != len(l.seeds) {
		t.Fatalf("%d seizures for %d seeds", len(tr.Seized), len(l.seeds))
	}
	for i, s := range tr.Seized {
		if s.SeedLeadID != l.seeds[i].ID || s.Account != l.seeds[i].Handle {
			t.Errorf("seizure %d: %s/%s, seed %s/%s", i, s.SeedLeadID, s.Account, l.seeds[i].ID, l.seeds[i].Handle)
		}
		if tr.RecipientRole[s.RecipientID] != RoleFacilitator {
			t.Errorf("seized %s is a %s", s.RecipientID, tr.RecipientRole[s.RecipientID])
		}
		if len(s.Buyers) == 0 {
			t.Errorf("seizure %s has no domestic buyer", s.SeedLeadID)
		}
		for _, b := range s.Buyers {
			if tr.Segment[b] != SegBuyer {
				t.Errorf("seizure %s: buyer %s is %s", s.SeedLeadID, b, tr.Segment[b])
			}
		}
	}
	decoys := 0
	for lead, d := range tr.LeadDecoy {
		decoys++
		if tr.LeadParty[lead] == "" || tr.LeadParty[lead] == d || tr.Segment[d] == "" {
			t.Errorf("lead %s: decoy %s, party %s", lead, d, tr.LeadParty[lead])
		}
	}
	if decoys != l.sum.Decoys {
		t.Errorf("%d decoys in truth, summary says %d", decoys, l.sum.Decoys)
	}
}

// TestDecoysAreNamesakes checks that each decoy shares the listed buyer's
// given name and surname but not his birth date or city.
func TestDecoysAreNamesakes(t *testing.T) {
	l := calibrationWorld(t)
	byID := map[string]*vigil.Party{}
	for i := range l.parties {
		byID[l.parties[i].ID] = &l.parties[i]
	}
	n := 0
	for lead, d := range l.truth.LeadDecoy {
		b, dp := byID[l.truth.LeadParty[lead]], byID[d]
		bt, dt := strings.Fields(b.FullName), strings.Fields(dp.FullName)
		if bt[0] != dt[0] || bt[len(bt)-1] != dt[len(dt)-1] {
			t.Errorf("decoy %q is no namesake of %q", dp.FullName, b.FullName)
		}
		if b.BirthDate == dp.BirthDate || b.City == dp.City {
			t.Errorf("decoy %s shares birth date or city with %s", d, b.ID)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no namesake decoys")
	}
}

func TestCalibration(t *testing.T) {
	l := calibrationWorld(t)
	tr := l.truth
	params := readParams(t, l.dir)
	seg := func(x *vigil.Transfer) string { return tr.Segment[x.SenderID] }
	var amts []float64
	var under, round, remit, late, n float64
	lateOf := map[string][2]float64{}
	for i := range l.transfers {
		x := &l.transfers[i]
		h := x.Timestamp.Hour()
		isLate := h >= 22 || h < 3
		s := seg(x)
		c := lateOf[s]
		c[1]++
		if isLate {
			c[0]++
		}
		lateOf[s] = c
		if s != SegBuyer || tr.RecipientRole[tr.Recipient[x.ID]] != RoleFacilitator {
			continue // calibration is of the buyers' payments to facilitators
		}
		n++
		a := x.Amount.Float()
		amts = append(amts, a)
		if a*RateAUD < 200 {
			under++
		}
		if x.Amount%(5*vigil.AmountScale) == 0 {
			round++
		}
		if x.Channel == vigil.ChannelRemittance {
			remit++
		}
		if isLate {
			late++
		}
	}
	if n < 500 {
		t.Fatalf("only %v buyer transfers", n)
	}
	sort.Float64s(amts)
	med := amts[len(amts)/2]
	t.Logf("buyer transfers %v: median A$%.2f (param %.2f), under €200 %.2f, round %.2f, remittance %.2f, late %.2f",
		n, med, params["price_median_aud"], under/n, round/n, remit/n, late/n)
	if med < 0.8*params["price_median_aud"] || med > 1.25*params["price_median_aud"] || med < 38 || med > 70 {
		t.Errorf("median buyer amount A$%.2f, want near A$51 (param %.2f)", med, params["price_median_aud"])
	}
	if under/n < 0.8 {
		t.Errorf("%.2f of buyer transfers under €200, want most (≥ 0.8)", under/n)
	}
	if r := round / n; r < 0.45 || r > 0.85 {
		t.Errorf("%.2f of buyer amounts round, want many (0.45–0.85)", r)
	}
	if r := remit / n; math.Abs(r-params["remit_share"]) > 0.12 || r < 0.45 || r > 0.75 {
		t.Errorf("%.2f of buyer transfers via remittance, want ≈ 0.6 (param %.2f)", r, params["remit_share"])
	}
	fam := lateOf[SegFamily][0] / lateOf[SegFamily][1]
	if late/n < 2*fam || late/n < 0.3 {
		t.Errorf("late-night share: buyers %.2f, family %.2f", late/n, fam)
	}

	// Buyers: mostly men in their 50s and 60s.
	var men, fifties, count float64
	for i := range l.parties {
		p := &l.parties[i]
		if tr.Segment[p.ID] != SegBuyer || tr.PartyCluster[p.ID] != p.ID {
			continue
		}
		count++
		if p.Gender == "M" {
			men++
		}
		if age, ok := p.BirthDate.AgeAt(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)); ok && age >= 50 && age <= 69 {
			fifties++
		}
	}
	t.Logf("buyers %v: men %.2f, aged 50–69 %.2f", count, men/count, fifties/count)
	if men/count < 0.85 {
		t.Errorf("%.2f of buyers are men, want most (≥ 0.85)", men/count)
	}
	if fifties/count < 0.45 || fifties/count > 0.8 {
		t.Errorf("%.2f of buyers aged 50–69, want most", fifties/count)
	}
}

// TestEscalation checks the heavy buyers: intervals under 20 days in the
// second half of their history, amounts and frequency rising, several
// unrelated recipients.
func TestEscalation(t *testing.T) {
	l := calibrationWorld(t)
	tr := l.truth
	by := map[string][]*vigil.Transfer{}
	for i := range l.transfers {
		x := &l.transfers[i]
		if tr.Segment[x.SenderID] == SegBuyer && tr.RecipientRole[tr.Recipient[x.ID]] == RoleFacilitator {
			c := tr.PartyCluster[x.SenderID]
			by[c] = append(by[c], x)
		}
	}
	var heavy, rising, faster, shortIv, multi int
	for _, xs := range by {
		if len(xs) < 25 {
			continue
		}
		heavy++
		h := len(xs) / 2
		if medianAmount(xs[h:]) > medianAmount(xs[:h]) {
			rising++
		}
		iv1, iv2 := medianInterval(xs[:h]), medianInterval(xs[h:])
		if iv2 < iv1 {
			faster++
		}
		if iv2 < 20 {
			shortIv++
		}
		rs := map[string]bool{}
		for _, x := range xs {
			rs[tr.Recipient[x.ID]] = true
		}
		if len(rs) >= 2 {
			multi++
		}
	}
	t.Logf("heavy buyers %d: rising amounts %d, more frequent %d, late intervals < 20 days %d, ≥ 2 recipients %d", heavy, rising, faster, shortIv, multi)
	if heavy < 5 {
		t.Fatalf("only %d heavy buyers", heavy)
	}
	if float64(rising) < 0.7*float64(heavy) || float64(faster) < 0.7*float64(heavy) ||
		float64(shortIv) < 0.9*float64(heavy) || float64(multi) < 0.8*float64(heavy) {
		t.Error("heavy buyers do not escalate as published")
	}
	// Some buyers are light: 1–4 transfers.
	light := 0
	for _, xs := range by {
		if len(xs) <= 4 {
			light++
		}
	}
	if light < len(by)/4 {
		t.Errorf("only %d of %d buyers are light", light, len(by))
	}
}

func medianAmount(xs []*vigil.Transfer) float64 {
	a := make([]float64, len(xs))
	for i, x := range xs {
		a[i] = x.Amount.Float()
	}
	slices.Sort(a)
	return a[len(a)/2]
}

func medianInterval(xs []*vigil.Transfer) float64 {
	var a []float64
	for i := 1; i < len(xs); i++ {
		a = append(a, xs[i].Timestamp.Sub(xs[i-1].Timestamp).Hours()/24)
	}
	if len(a) == 0 {
		return math.Inf(1)
	}
	slices.Sort(a)
	return a[len(a)/2]
}

// TestSessionsFollowPayments checks the seized devices: most payments by a
// domestic buyer to the facilitator inside the log have a session by one
// of his handles within an hour, and foreign buyers have no party.
func TestSessionsFollowPayments(t *testing.T) {
	l := calibrationWorld(t)
	tr := l.truth
	for _, s := range tr.Seized {
		var first time.Time
		sessions := map[string][]time.Time{} // party → session times
		for _, e := range l.calls {
			if e.Account != s.Account {
				continue
			}
			if first.IsZero() {
				first = e.Timestamp
			}
			if p := s.HandleParty[e.Counterpart]; p != "" && e.Kind != vigil.KindChat && s.HandleKind[e.Counterpart] == "buyer" {
				sessions[p] = append(sessions[p], e.Timestamp)
			}
			if k := s.HandleKind[e.Counterpart]; k == "" {
				t.Fatalf("handle %s on %s has no truth", e.Counterpart, s.Account)
			} else if (k == "foreign_buyer" || k == "local_contact" || k == "noise") && s.HandleParty[e.Counterpart] != "" {
				t.Fatalf("%s handle %s mapped to party", k, e.Counterpart)
			}
		}
		perHandle := map[string]int{}
		for _, e := range l.calls {
			if e.Account == s.Account && e.Kind != vigil.KindChat {
				perHandle[e.Counterpart]++
			}
		}
		tied := 0
		for h, n := range s.HandlePaid {
			if n > perHandle[h] || (n > 0 && s.HandleKind[h] != "buyer") {
				t.Errorf("handle %s: %d paid sessions of %d, kind %s", h, n, perHandle[h], s.HandleKind[h])
			}
			tied += n
		}
		var paid, near float64
		for _, x := range l.transfers {
			if tr.Recipient[x.ID] != s.RecipientID || x.Timestamp.Before(first) || tr.Segment[x.SenderID] != SegBuyer {
				continue
			}
			paid++
			for _, at := range sessions[tr.PartyCluster[x.SenderID]] {
				if d := at.Sub(x.Timestamp); d > -time.Hour && d < time.Hour {
					near++
					break
				}
			}
		}
		t.Logf("seizure %s: %v payments in the log window, %v with a session within an hour", s.SeedLeadID, paid, near)
		if float64(tied) > near || (paid > 0 && float64(tied) < 0.5*paid) {
			t.Errorf("seizure %s: %d sessions recorded as tied to payments, %v payments with a session near", s.SeedLeadID, tied, near)
		}
		if paid > 0 && near/paid < 0.7 {
			t.Errorf("seizure %s: only %v of %v payments followed by a session", s.SeedLeadID, near, paid)
		}
	}
}

// TestNoSegmentMarker checks that ids carry no segment: buyers' party ids
// are spread over the id order like everyone else's.
func TestNoSegmentMarker(t *testing.T) {
	l := calibrationWorld(t)
	var sum, n float64
	for i := range l.parties {
		if l.truth.Segment[l.parties[i].ID] == SegBuyer {
			sum += float64(i) / float64(len(l.parties))
			n++
		}
	}
	if m := sum / n; m < 0.35 || m > 0.65 {
		t.Errorf("buyers' mean rank in id order is %.2f, want ≈ 0.5", m)
	}
}

func readParams(t *testing.T, dir string) map[string]float64 {
	m := map[string]float64{}
	fh, err := os.Open(filepath.Join(dir, "truth", "params.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	err = readTable(fh, "params.csv", []string{"name", "value"}, func(r []string) string {
		var v float64
		if _, err := fmtSscan(r[1], &v); err != nil {
			return "value: " + err.Error()
		}
		m[r[0]] = v
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRecipientNoise checks that a facilitator paid by several senders
// appears under several names and phone formats, sometimes without phone,
// and that Filipino abbreviations and upper-case surnames occur.
func TestRecipientNoise(t *testing.T) {
	l := calibrationWorld(t)
	tr := l.truth
	type seen struct{ names, phones, senders map[string]bool }
	by := map[string]*seen{}
	var abbrev, upper, nophone, facTransfers int
	for i := range l.transfers {
		x := &l.transfers[i]
		r := tr.Recipient[x.ID]
		if tr.RecipientRole[r] != RoleFacilitator {
			continue
		}
		facTransfers++
		s := by[r]
		if s == nil {
			s = &seen{map[string]bool{}, map[string]bool{}, map[string]bool{}}
			by[r] = s
		}
		s.names[x.BeneficiaryName] = true
		s.senders[x.SenderID] = true
		if x.BeneficiaryPhone == "" {
			nophone++
		} else {
			s.phones[x.BeneficiaryPhone] = true
		}
		if strings.HasPrefix(x.BeneficiaryName, "Ma. ") {
			abbrev++
		}
		if x.BeneficiaryName == strings.ToUpper(x.BeneficiaryName) {
			upper++
		}
	}
	var hubs, varied int
	for _, s := range by {
		if len(s.senders) >= 3 {
			hubs++
			if len(s.names) >= 2 && len(s.phones) >= 2 {
				varied++
			}
		}
	}
	t.Logf("facilitator transfers %d: %d hubs (≥ 3 senders), %d with several names and phone formats; Ma. %d, upper case %d, no phone %d",
		facTransfers, hubs, varied, abbrev, upper, nophone)
	if hubs == 0 || float64(varied) < 0.8*float64(hubs) || abbrev == 0 || upper == 0 || nophone == 0 {
		t.Error("recipient renderings are not noisy enough")
	}
}
