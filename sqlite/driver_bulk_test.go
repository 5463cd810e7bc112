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
	for _, noC := range []bool{false, true} {
		got, l := load(DriverMattn, noC)
		if got != ref {
			t.Fatalf("mattn (C path off: %v) stored other values than modernc", noC)
		}
		cRows := l.tables[KindTransfers].cRows
		if mattnAvailable && !noC && cRows != 1200 {
			t.Fatalf("C bulk insert wrote %d of the 1,200 records of full batches, want all (mattn's connection handle not found?)", cRows)
		}
		if noC && cRows != 0 {
			t.Fatalf("C path off, yet %d rows went through it", cRows)
		}
	}
	if strings.Count(ref, "\n") != 1200 {
		t.Fatalf("%d rows stored", strings.Count(ref, "\n"))
	}
}
