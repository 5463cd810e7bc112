package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
)

// bulkTransfer makes transfer i with values that exercise the packing:
// empty and non-ASCII texts, a NULL source line (a source without one),
// offsets, nanoseconds.
func bulkTransfer(i int) *vigil.Transfer {
	ts := time.Date(2024, 3, 1, 22, 0, 0, i*1000+7, time.FixedZone("", (i%5-2)*3600))
	tr := &vigil.Transfer{ID: fmt.Sprintf("T%06d", i), Timestamp: ts.Add(time.Duration(i) * time.Minute),
		SenderID: fmt.Sprintf("P%02d", i%7), BeneficiaryName: []string{"María José Santos", "SANTOS MARIA", "Ma. Cristina 山田"}[i%3],
		BeneficiaryCountry: "PH", Amount: vigil.NewAmount(int64(15+i%180), 0), Currency: "AUD",
		Channel: vigil.ChannelRemittance, Source: fmt.Sprintf("t.csv:%d", i+2)}
	if i%4 == 0 {
		tr.BeneficiaryPhone, tr.Purpose, tr.Provider = "+639171234567", "school fees", "Pacific Remit"
	}
	if i%9 == 0 {
		tr.Source = "report.xml" // no line: source_line NULL
	}
	return tr
}

// dumpTransfers returns every stored transfer column as text, in id order.
func dumpTransfers(t *testing.T, db *DB) string {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT transfer_id, sender_id, sender_account, beneficiary_id, beneficiary_name,
		beneficiary_phone, beneficiary_account, beneficiary_city, beneficiary_country, beneficiary_birth_date,
		amount, currency, channel, provider, purpose, ts_ns, ts_off, typeof(source_line), coalesce(source_line, -1),
		content_hash, ls.name FROM transfers JOIN load_sources ls USING (source_id) ORDER BY transfer_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	vals := make([]string, 21)
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		b.WriteString(strings.Join(vals, "|"))
		b.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// With mattn, full batches go through the C bulk insert; what it stores
// is what the driver's own bind stores (modernc, or mattn with the C path
// off), column by column, and repeated and changed ids in a full batch
// are still counted and reported.
func TestBulkInsertThroughC(t *testing.T) {
	ctx := context.Background()
	load := func(drv string, noC bool) (string, *Load) {
		db, err := OpenDriver(filepath.Join(t.TempDir(), "v.db"), drv)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		l, err := db.BeginBulkLoad(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if noC {
			l.tables[KindTransfers].noC = true
		}
		for i := range 7 {
			if err := l.AddParty(&vigil.Party{ID: fmt.Sprintf("P%02d", i), Kind: vigil.PartyPerson, FullName: "Person", Source: "p.csv:2"}); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 1000 {
			if err := l.AddTransfer(bulkTransfer(i)); err != nil {
				t.Fatal(err)
			}
		}
		// The sixth full batch: 190 new rows, then 5 repeated unchanged
		// and 5 repeated with other content; then 10 new rows, written
		// at commit as a short batch.
		var conflicts int
		l.OnConflict = func(c *Conflict) {
			if c.Kind != KindTransfers || len(c.Fields) != 1 || c.Fields[0] != "purpose" {
				t.Errorf("conflict %+v", c)
			}
			conflicts++
		}
		for i := 1000; i < 1190; i++ {
			if err := l.AddTransfer(bulkTransfer(i)); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 10 {
			tr := bulkTransfer(i)
			if i >= 5 {
				tr.Purpose = "medical"
			}
			if err := l.AddTransfer(tr); err != nil {
				t.Fatal(err)
			}
		}
		for i := 1190; i < 1200; i++ {
			if err := l.AddTransfer(bulkTransfer(i)); err != nil {
				t.Fatal(err)
			}
		}
		if n := l.tables[KindTransfers].n; n != 10 {
			t.Fatalf("%d records buffered before commit, want 10", n)
		}
		if err := l.Commit(nil); err != nil {
			t.Fatal(err)
		}
		if c := l.Counts(KindTransfers); c != (Counts{Inserted: 1200, Unchanged: 5, Conflicts: 5}) || conflicts != 5 {
			t.Fatalf("%s: counts %+v, %d conflicts reported", drv, c, conflicts)
		}
		return dumpTransfers(t, db), l
	}
	ref, _ := load(DriverModernc, false)
	if strings.Count(ref, "\n") != 1200 {
		t.Fatalf("%d rows stored", strings.Count(ref, "\n"))
	}
	if !mattnAvailable {
		t.Skip("built without cgo: no mattn driver, no C bulk insert")
	}
	for _, noC := range []bool{false, true} {
		got, l := load(DriverMattn, noC)
		if got != ref {
			t.Fatalf("mattn (C path off: %v) stored other values than modernc", noC)
		}
		cRows := l.tables[KindTransfers].cRows
		if !noC && cRows != 1200 {
			t.Fatalf("C bulk insert wrote %d of the 1,200 records of full batches, want all (mattn's connection handle not found?)", cRows)
		}
		if noC && cRows != 0 {
			t.Fatalf("C path off, yet %d rows went through it", cRows)
		}
	}
}

// The packed encoding binds exactly the values the encoders bound before
// it (as []any), and the content hash is the one stored by every earlier
// load, so that re-ingesting into an existing store stays a no-op.
func TestRowPackedMatchesArgs(t *testing.T) {
	tb := func(kind string) *table {
		for _, s := range specs {
			if s.kind == kind {
				return &table{spec: s}
			}
		}
		t.Fatal(kind)
		return nil
	}
	check := func(kind string, r *Row, want []any, hashed int) {
		t.Helper()
		tab := tb(kind)
		tab.appendPacked(r)
		got := tab.args(0)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s values\n got %#v\nwant %#v", kind, got, want)
		}
		for i := range got {
			if fmt.Sprintf("%T", got[i]) != fmt.Sprintf("%T", want[i]) {
				t.Fatalf("%s value %d: %T, want %T", kind, i, got[i], want[i])
			}
		}
		if hashed >= 0 && r.hash != hashArgs(want[:hashed]) {
			t.Fatalf("%s hash %d, want %d", kind, r.hash, hashArgs(want[:hashed]))
		}
	}
	dates := []vigil.Date{{}, {Year: 1961}, {Year: 1961, Month: 7}, {Year: 1961, Month: 12, Day: 31}, {Year: 204, Month: 1, Day: 2}}
	for i, d := range dates {
		if got := string(appendDate([]byte("x"), d)); got != "x"+d.String() {
			t.Fatalf("appendDate(%v) = %q, want %q", d, got, "x"+d.String())
		}
		p := &vigil.Party{ID: fmt.Sprintf("P%d", i), Kind: vigil.PartyPerson, FullName: "José Ñandú", BirthDate: d,
			Gender: "M", Country: "AU", City: "Perth", Phone: "+61 8 9000 0000", Source: "p.csv:2"}
		var r Row
		if err := r.EncodeParty(p); err != nil {
			t.Fatal(err)
		}
		check(KindParties, &r, []any{p.ID, string(p.Kind), p.FullName, d.String(), p.Gender, p.Nationality, p.Country,
			p.City, p.Address, p.Postcode, p.Phone, p.Email, p.IDNumber, p.Source, r.hash}, 13)

		tr := bulkTransfer(i * 9)
		tr.BeneficiaryBirthDate = d
		tr.Source = []string{"t.csv:12", "report.xml", "t.csv:012"}[i%3]
		if err := r.EncodeTransfer(tr); err != nil {
			t.Fatal(err)
		}
		_, off := tr.Timestamp.Zone()
		var line any
		if _, n := splitSource(tr.Source); n > 0 {
			line = n
		}
		want := []any{tr.ID, tr.SenderID, tr.SenderAccount, tr.BeneficiaryID, tr.BeneficiaryName, tr.BeneficiaryPhone,
			tr.BeneficiaryAccount, tr.BeneficiaryCity, tr.BeneficiaryCountry, d.String(), int64(tr.Amount), tr.Currency,
			string(tr.Channel), tr.Provider, tr.Purpose, tr.Timestamp.UnixNano(), int64(off), int64(0), line, r.hash}
		check(KindTransfers, &r, want, -1)
		old := []any{tr.ID, tr.Timestamp.Format(time.RFC3339Nano)}
		if r.hash != hashArgs(append(old, want[1:tfContent]...)) {
			t.Fatalf("transfer hash %d differs from the stored form's", r.hash)
		}

		e := &vigil.CallEvent{ID: fmt.Sprintf("E%d", i), Timestamp: tr.Timestamp, Account: "a", Counterpart: "b",
			Platform: "x", Direction: vigil.DirectionIn, Kind: vigil.KindVideo, DurationS: 61, Source: "c.csv:3"}
		if err := r.EncodeCallEvent(e); err != nil {
			t.Fatal(err)
		}
		check(KindCalls, &r, []any{e.ID, e.Timestamp.Format(time.RFC3339Nano), e.Account, e.Counterpart, e.Platform,
			string(e.Direction), string(e.Kind), int64(e.DurationS), e.Timestamp.Unix(), int64(e.Timestamp.Nanosecond()), e.Source, r.hash}, 8)

		ld := &vigil.Lead{ID: fmt.Sprintf("L%d", i), FullName: "Maria", BirthDate: d, Phone: "0917", Source: "l.csv:4"}
		if err := r.EncodeLead("leads", ld); err != nil {
			t.Fatal(err)
		}
		check(KindLeads, &r, []any{"leads", ld.ID, ld.FullName, d.String(), ld.Phone, ld.Email, ld.Handle, ld.Account,
			ld.City, ld.Country, ld.Note, ld.Source, r.hash}, 11)
	}
}
