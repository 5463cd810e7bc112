package synth

import (
	"bufio"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/vigilfiu/vigil"
	vcsv "github.com/vigilfiu/vigil/csv"
)

// Summary says what Generate wrote.
type Summary struct {
	Dir        string         `json:"dir"`
	Seed       int64          `json:"seed"`
	Customers  int            `json:"customers"`  // persons asked for
	Parties    int            `json:"parties"`    // records written (with second records and namesake decoys)
	Duplicates int            `json:"duplicates"` // second records of a person
	Decoys     int            `json:"decoys"`     // namesakes of listed buyers
	Recipients int            `json:"recipients"` // true recipients abroad
	Transfers  int            `json:"transfers"`
	Calls      int            `json:"calls"`
	Leads      int            `json:"leads"`
	Seeds      int            `json:"seeds"`
	Segments   []SegmentCount `json:"segments"` // in the order buyer, family, webcam, romance, sponsor, self, ordinary
	Elapsed    time.Duration  `json:"elapsed_ns"`
}

// SegmentCount is the size of one segment.
type SegmentCount struct {
	Segment   string `json:"segment"`
	Parties   int    `json:"parties"`
	Transfers int    `json:"transfers"`
}

// Segments lists the segment names in summary order.
var Segments = []string{SegBuyer, SegFamily, SegWebcam, SegRomance, SegSponsor, SegSelf, SegOrdinary}

// Generate builds the world of cfg and writes it under dir: parties.csv,
// transfers.csv, calls.csv, leads.csv, seeds.csv and rates.csv in the
// interchange format, and the ground truth under dir/truth/. The same
// Config writes the same bytes.
func Generate(cfg Config, dir string) (*Summary, error) {
	t0 := time.Now()
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	w, err := newWorld(cfg)
	if err != nil {
		return nil, err
	}
	w.build()
	if err := os.MkdirAll(filepath.Join(dir, "truth"), 0o755); err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "synth: cannot create %s: %v", dir, err)
	}
	// The files are independent: write them concurrently.
	raw := []struct {
		name string
		fn   func(io.Writer) error
	}{
		{"transfers.csv", w.writeTransfers},
		{"parties.csv", w.writeParties},
		{"calls.csv", w.writeCalls},
		{"leads.csv", func(out io.Writer) error { return writeLeads(out, w.leads) }},
		{"seeds.csv", func(out io.Writer) error { return writeLeads(out, w.seeds) }},
	}
	tables := []struct {
		name string
		fn   func(*csv.Writer) error
	}{
		{"truth/transfers.csv", w.writeTransferTruth},
		{"rates.csv", writeRates},
		{"truth/segments.csv", w.writeSegments},
		{"truth/duplicates.csv", w.writeDuplicates},
		{"truth/recipients.csv", w.writeRecipients},
		{"truth/seizures.csv", w.writeSeizures},
		{"truth/seizure_buyers.csv", w.writeSeizureBuyers},
		{"truth/handles.csv", w.writeHandles},
		{"truth/leads.csv", w.writeLeadTruth},
		{"truth/params.csv", w.writeParams},
	}
	errs := make([]error, len(raw)+len(tables))
	var wg sync.WaitGroup
	for i, f := range raw {
		wg.Go(func() { errs[i] = writeRaw(filepath.Join(dir, f.name), f.fn) })
	}
	wg.Go(func() {
		for i, f := range tables {
			if errs[len(raw)+i] = writeFile(filepath.Join(dir, f.name), f.fn); errs[len(raw)+i] != nil {
				return
			}
		}
	})
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return w.summary(dir, time.Since(t0)), nil
}

func writeRaw(path string, fn func(io.Writer) error) error {
	fh, err := os.Create(path)
	if err != nil {
		return vigil.Errorf(vigil.EINVALID, "synth: %v", err)
	}
	err = fn(fh)
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return vigil.Errorf(vigil.EINTERNAL, "synth: writing %s: %v", path, err)
	}
	return nil
}

func writeFile(path string, fn func(*csv.Writer) error) error {
	fh, err := os.Create(path)
	if err != nil {
		return vigil.Errorf(vigil.EINVALID, "synth: %v", err)
	}
	bw := bufio.NewWriterSize(fh, 1<<16)
	cw := csv.NewWriter(bw)
	err = fn(cw)
	if err == nil {
		cw.Flush()
		err = cw.Error()
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return vigil.Errorf(vigil.EINTERNAL, "synth: writing %s: %v", path, err)
	}
	return nil
}

func (w *world) summary(dir string, el time.Duration) *Summary {
	s := &Summary{Dir: dir, Seed: w.cfg.Seed, Customers: w.cfg.Customers, Parties: len(w.parties), Recipients: len(w.rcps),
		Transfers: len(w.xs), Calls: len(w.calls), Leads: len(w.leads), Seeds: len(w.seeds), Elapsed: el}
	idx := map[string]int{}
	for i, seg := range Segments {
		idx[seg] = i
		s.Segments = append(s.Segments, SegmentCount{Segment: seg})
	}
	for _, p := range w.parties {
		s.Segments[idx[p.seg]].Parties++
		if p.cluster != p.idx {
			s.Duplicates++
		}
	}
	for _, l := range w.leads {
		if l.decoy != nil {
			s.Decoys++
		}
	}
	segOf := make([]uint8, len(w.parties))
	for i, p := range w.parties {
		segOf[i] = uint8(idx[p.seg])
	}
	for i := range w.xs {
		s.Segments[segOf[w.xs[i].sender]].Transfers++
	}
	return s
}

// ---- interchange files, written with package csv's writers

func (w *world) sortedParties() []*party {
	ps := make([]*party, len(w.parties))
	for i, k := range w.partyOrder {
		ps[i] = w.parties[k]
	}
	return ps
}

func (w *world) writeParties(out io.Writer) error {
	pw := vcsv.NewPartyWriter(out)
	var v vigil.Party
	for _, p := range w.sortedParties() {
		g := "F"
		if p.male {
			g = "M"
		}
		v = vigil.Party{ID: p.id, Kind: vigil.PartyPerson, FullName: p.full, BirthDate: p.birth, Gender: g,
			Nationality: p.nat, Country: "AU", City: auCities[p.city].name, Address: p.address, Postcode: p.post,
			Phone: p.phone, Email: p.email, IDNumber: p.idNum}
		if err := pw.Write(&v); err != nil {
			return err
		}
	}
	return pw.Flush()
}

func (w *world) writeTransfers(out io.Writer) error {
	tw := vcsv.NewTransferWriter(out)
	mid := w.start.AddDate(0, w.cfg.Months/2, 0).Unix()
	var t vigil.Transfer
	for i := range w.xs {
		x := &w.xs[i]
		p := w.parties[x.sender]
		rc := w.rcps[x.rcp]
		t = vigil.Transfer{ID: w.transferID(i), Timestamp: time.Unix(x.unix, 0).In(w.locs[x.city]), SenderID: p.id, BeneficiaryName: rc.name(int(x.st.name)),
			BeneficiaryCountry: rc.country, Amount: vigil.Amount(x.cents * (vigil.AmountScale / 100)),
			Currency: "AUD", Channel: x.channel, Purpose: x.purpose}
		if x.channel != vigil.ChannelRemittance {
			t.SenderAccount = p.account
		}
		if x.st.phone >= 0 {
			t.BeneficiaryPhone = rc.phone(int(x.st.phone), x.unix >= mid)
		}
		switch x.acct {
		case 1:
			t.BeneficiaryAccount = rc.wallet[int(x.st.name)%len(rc.wallet)]
		case 2:
			t.BeneficiaryAccount = rc.bank[int(x.st.name)%len(rc.bank)]
		}
		if x.st.city >= 0 {
			t.BeneficiaryCity = rc.cities[x.st.city]
		}
		if x.bdate {
			t.BeneficiaryBirthDate = rc.birth
		}
		pr := providers[string(x.channel)]
		t.Provider = pr[(int(x.sender)*7+int(x.rcp))%len(pr)]
		if err := tw.Write(&t); err != nil {
			return err
		}
	}
	return tw.Flush()
}

func (w *world) writeCalls(out io.Writer) error {
	cw := vcsv.NewCallWriter(out)
	var e vigil.CallEvent
	for i := range w.calls {
		c := &w.calls[i]
		e = vigil.CallEvent{ID: c.id, Timestamp: c.at, Account: c.account, Counterpart: c.counterpart,
			Platform: c.platform, Direction: c.dir, Kind: c.kind, DurationS: c.dur}
		if err := cw.Write(&e); err != nil {
			return err
		}
	}
	return cw.Flush()
}

func writeLeads(out io.Writer, ls []leadRec) error {
	lw := vcsv.NewLeadWriter(out)
	for i := range ls {
		if err := lw.Write(&ls[i].l); err != nil {
			return err
		}
	}
	return lw.Flush()
}

// RateAUD is the value in EUR of one Australian dollar used by rates.csv
// (an approximate 2024 average; an assumption, see docs/synth.md).
const RateAUD = 0.61

func writeRates(cw *csv.Writer) error {
	if err := cw.Write([]string{"currency", "rate"}); err != nil {
		return err
	}
	return cw.Write([]string{"AUD", strconv.FormatFloat(RateAUD, 'f', -1, 64)})
}

// ---- ground truth

func (w *world) writeSegments(cw *csv.Writer) error {
	if err := cw.Write([]string{"party_id", "segment", "cluster_id"}); err != nil {
		return err
	}
	for _, p := range w.sortedParties() {
		if err := cw.Write([]string{p.id, p.seg, w.parties[p.cluster].id}); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) writeDuplicates(cw *csv.Writer) error {
	if err := cw.Write([]string{"cluster_id", "party_id"}); err != nil {
		return err
	}
	type pair struct{ c, p string }
	var ps []pair
	for _, p := range w.parties {
		if p.dup >= 0 {
			ps = append(ps, pair{p.id, p.id}, pair{p.id, w.parties[p.dup].id})
		}
	}
	sortByID(ps, func(x pair) string { return x.c + "/" + x.p })
	for _, x := range ps {
		if err := cw.Write([]string{x.c, x.p}); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) writeRecipients(cw *csv.Writer) error {
	if err := cw.Write([]string{"recipient_id", "role", "name", "country", "phone", "city"}); err != nil {
		return err
	}
	for _, k := range w.rcpOrder {
		rc := w.rcps[k]
		ph, city := rc.e164(), ""
		if len(rc.cities) > 0 {
			city = rc.cities[0]
		}
		if err := cw.Write([]string{rc.id, rc.role, rc.canonical(), rc.country, ph, city}); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) writeTransferTruth(cw *csv.Writer) error {
	if err := cw.Write([]string{"transfer_id", "recipient_id"}); err != nil {
		return err
	}
	rec := make([]string, 2)
	for i := range w.xs {
		rec[0], rec[1] = w.transferID(i), w.rcps[w.xs[i].rcp].id
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) writeSeizures(cw *csv.Writer) error {
	if err := cw.Write([]string{"seed_lead_id", "recipient_id", "account"}); err != nil {
		return err
	}
	for _, s := range w.seized {
		if err := cw.Write([]string{s.seedID, s.rc.id, s.account}); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) writeSeizureBuyers(cw *csv.Writer) error {
	if err := cw.Write([]string{"seed_lead_id", "party_id"}); err != nil {
		return err
	}
	for _, s := range w.seized {
		ids := make([]string, len(s.buyers))
		for i, b := range s.buyers {
			ids[i] = b.id
		}
		sortByID(ids, func(s string) string { return s })
		for _, id := range ids {
			if err := cw.Write([]string{s.seedID, id}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *world) writeHandles(cw *csv.Writer) error {
	if err := cw.Write([]string{"seed_lead_id", "handle", "platform", "party_id", "kind", "paid_sessions"}); err != nil {
		return err
	}
	for _, s := range w.seized {
		for _, h := range s.handles {
			pid := ""
			if h.party != nil {
				pid = h.party.id
			}
			if err := cw.Write([]string{s.seedID, h.h.name, h.h.platform, pid, h.kind, strconv.Itoa(h.paid)}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *world) writeLeadTruth(cw *csv.Writer) error {
	if err := cw.Write([]string{"lead_id", "party_id", "decoy_party_id", "kind"}); err != nil {
		return err
	}
	for _, l := range w.leads {
		pid, did := "", ""
		if l.party != nil {
			pid = l.party.id
		}
		if l.decoy != nil {
			did = l.decoy.id
		}
		if err := cw.Write([]string{l.l.ID, pid, did, l.kind}); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) writeParams(cw *csv.Writer) error {
	if err := cw.Write([]string{"name", "value"}); err != nil {
		return err
	}
	if err := cw.Write([]string{"seed", strconv.FormatInt(w.cfg.Seed, 10)}); err != nil {
		return err
	}
	for _, kv := range w.p.list() {
		if err := cw.Write([]string{kv[0].(string), strconv.FormatFloat(kv[1].(float64), 'f', 4, 64)}); err != nil {
			return err
		}
	}
	return nil
}
