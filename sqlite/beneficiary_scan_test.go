package sqlite_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
	"github.com/vigilfiu/vigil/resolve"
	"github.com/vigilfiu/vigil/sqlite"
)

// TestScanGraphRows: the graph rows KeepScanGraphRows prepares in a
// stream for a resolution a scan kept are, byte for byte, those the first
// LoadGraph after the scan prepares from the kept assignment and keeps;
// the first build after them replays them (no transfer read) and traces
// as the files do; rows for a run that is no longer in force are refused.
func TestScanGraphRows(t *testing.T) {
	ctx := context.Background()
	w := newKeptWorld(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	db, err := sqlite.Open(a)
	if err != nil {
		t.Fatal(err)
	}
	w.load(t, db, true, w.transfers)

	// What vigil scan does on the store: every transfer in time order
	// through the resolver, then the resolution kept.
	r := resolve.NewBeneficiaryResolver()
	sr := sqlite.NewScanResolution(len(w.transfers))
	if err := db.EachTransferRow(ctx, func(rowid int64, t *vigil.Transfer) error {
		c := *t
		sr.Observed(rowid, r.Observe(&c))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	run, why, err := db.SaveScanResolution(ctx, sr, r)
	if err != nil || run == nil {
		t.Fatalf("scan resolution not kept: %v %s", err, why)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	copyStore(t, a, b)

	open := func(path string) *sqlite.DB {
		db, err := sqlite.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	da, dbB := open(a), open(b)
	stale := *run
	stale.ID++
	if err := da.KeepScanGraphRows(ctx, &stale); vigil.ErrorCode(err) != vigil.ECONFLICT {
		t.Fatalf("rows for a run not in force: %v, want a conflict", err)
	}
	if err := da.KeepScanGraphRows(ctx, run); err != nil {
		t.Fatal(err)
	}

	want := traceBytes(t, w.fileGraph(t, len(w.transfers)), w.seeds)
	build := func(db *sqlite.DB, logWant string) {
		t.Helper()
		var log bytes.Buffer
		g, rep, err := db.LoadGraph(ctx, sqlite.GraphOptions{Graph: graph.Options{NoSeedIndex: true}, Log: &log})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Resolved || rep.KeepErr != nil || !strings.Contains(log.String(), logWant) {
			t.Fatalf("resolved %v, keep error %v; log lacks %q:\n%s", rep.Resolved, rep.KeepErr, logWant, log.String())
		}
		if got := traceBytes(t, g, w.seeds); !bytes.Equal(got, want) {
			t.Fatalf("store and file traces differ:\n%s", firstDiff(got, want))
		}
	}
	build(da, "kept in the store used")   // replays the scan's rows
	build(dbB, "kept by vigil scan used") // prepares the rows from the assignment and keeps them
	build(dbB, "kept in the store used")
	for _, q := range []string{
		`SELECT first_row, n, rows, ids FROM graph_rows ORDER BY first_row`,
		`SELECT kind, list FROM graph_tables ORDER BY kind`,
		`SELECT first_rowid, block FROM beneficiary_assign ORDER BY first_rowid`,
	} {
		x, y := dumpRows(t, da, q), dumpRows(t, dbB, q)
		if len(x) < 1000 || x != y {
			t.Fatalf("%s: %d bytes kept by the scan's rows, %d by the first build, not the same", q, len(x), len(y))
		}
	}
}

func dumpRows(t *testing.T, db *sqlite.DB, q string) string {
	t.Helper()
	rows, err := db.SQL().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var sb strings.Builder
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			fmt.Fprintf(&sb, "%v|", v)
		}
		sb.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return sb.String()
}

func copyStore(t *testing.T, from, to string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(from + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
