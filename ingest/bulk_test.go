package ingest_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/ingest"
	"github.com/vigilfiu/vigil/sqlite"
)

// snapshot is every stored row of the loaded tables, in order, and the
// store's indexes.
func snapshot(t *testing.T, db *sqlite.DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT * FROM parties ORDER BY party_id`,
		`SELECT * FROM transfers ORDER BY transfer_id`,
		`SELECT * FROM call_events ORDER BY event_id`,
		`SELECT load_id, summary FROM loads ORDER BY load_id`,
		`SELECT * FROM load_sources ORDER BY source_id`,
		`SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name`,
	} {
		rows, err := db.SQL().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		rows.Close()
	}
	return b.String()
}

// A bulk load (large input; here the threshold is lowered) keeps every
// guarantee of a load: an abandoned load leaves every row and index as it
// was, a committed one is complete, re-ingesting is a no-op and other
// content is a conflict.
func TestBulkLoadKeepsGuarantees(t *testing.T) {
	defer ingest.SetBulkLoadBytes(1)()
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "vigil.db"))
	rep, err := ingest.Files(ctx, db, []string{write(t, dir, "parties.csv", partiesCSV)}, ingest.Options{MaxErrors: -1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Journal != "delete" {
		t.Fatalf("bulk load ran in journal %q, want delete", rep.Journal)
	}
	before := snapshot(t, db)

	var good strings.Builder
	good.WriteString(transfersCSV)
	for i := range 1000 {
		fmt.Fprintf(&good, "G%04d,2024-04-01T10:00:00+10:00,P2,Ana Cruz,,PH,%d,AUD,bank,\n", i, 20+i%50)
	}
	bad := good.String() + strings.Repeat("B1,2024-04-01T10:00:00+10:00,NOBODY,Ana Cruz,,PH,20,AUD,bank,\n", 3)
	rep, err = ingest.Files(ctx, db, []string{write(t, dir, "bad.csv", bad)}, ingest.Options{MaxErrors: 2})
	if vigil.ErrorCode(err) != vigil.EINVALID || rep.Committed || rep.Journal != "delete" {
		t.Fatalf("aborted bulk load: err %v, committed %v, journal %q", err, rep.Committed, rep.Journal)
	}
	if after := snapshot(t, db); after != before {
		t.Fatalf("an abandoned bulk load changed the store:\nbefore\n%s\nafter\n%s", before, after)
	}
	var mode string
	if err := db.SQL().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal after a bulk load: %q %v", mode, err)
	}

	tp := write(t, dir, "transfers.csv", good.String())
	rep, err = ingest.Files(ctx, db, []string{tp}, ingest.Options{MaxErrors: 0})
	if err != nil || rep.Kinds[sqlite.KindTransfers] != (ingest.Counts{Records: 1003, Inserted: 1003}) {
		t.Fatalf("bulk load: %v %+v", err, rep.Kinds)
	}
	if n := rowCount(t, db, "transfers"); n != 1003 {
		t.Fatalf("transfers stored: %d", n)
	}
	var plan string
	db.SQL().QueryRow(`EXPLAIN QUERY PLAN SELECT * FROM transfers WHERE sender_id = 'P2' ORDER BY ts_ns`).Scan(new(int), new(int), new(int), &plan)
	if !strings.Contains(plan, "USING INDEX transfers_sender_time") {
		t.Fatalf("after a bulk load the sender index is not used: %q", plan)
	}

	rep, err = ingest.Files(ctx, db, []string{tp}, ingest.Options{MaxErrors: 0})
	if err != nil || rep.Kinds[sqlite.KindTransfers] != (ingest.Counts{Records: 1003, Unchanged: 1003}) {
		t.Fatalf("bulk re-ingest: %v %+v", err, rep.Kinds)
	}
	changed := strings.Replace(good.String(), "G0500,2024-04-01T10:00:00+10:00,P2,Ana Cruz", "G0500,2024-04-01T10:00:00+10:00,P2,Ana Santos", 1)
	rep, err = ingest.Files(ctx, db, []string{write(t, dir, "changed.csv", changed)}, ingest.Options{MaxErrors: -1})
	if err != nil || rep.Kinds[sqlite.KindTransfers] != (ingest.Counts{Records: 1003, Unchanged: 1002, Conflicts: 1}) {
		t.Fatalf("bulk load with one changed row: %v %+v", err, rep.Kinds)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].Line != 505 || rep.Errors[0].Field != "beneficiary_name" {
		t.Fatalf("conflict reported as %+v", rep.Errors)
	}
}
