package sqlite_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil/graph"
	"github.com/vigilfiu/vigil/sqlite"
)

// keptRows is every row a store keeps for the graph, in order.
func keptRows(t *testing.T, db *sqlite.DB) [][]byte {
	t.Helper()
	var out [][]byte
	for _, q := range []string{
		`SELECT first_ben, n, data FROM beneficiary_blocks ORDER BY first_ben`,
		`SELECT first_rowid, 0, block FROM beneficiary_assign ORDER BY first_rowid`,
		`SELECT first_row, n, rows || ids FROM graph_rows ORDER BY first_row`,
		`SELECT kind, 0, list FROM graph_tables ORDER BY kind`,
	} {
		rows, err := db.SQL().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var a, n, b []byte
			if err := rows.Scan(&a, &n, &b); err != nil {
				t.Fatal(err)
			}
			out = append(out, append(append(append([]byte(q[7:20]), a...), n...), b...))
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestKeepLater: with GraphOptions.KeepLater the graph is returned while
// the resolution is kept on another goroutine; tracing it meanwhile gives
// the files' trace, WaitKeep reports the keep, the store keeps the very
// rows a keep within LoadGraph keeps, and the next build replays them.
func TestKeepLater(t *testing.T) {
	ctx := context.Background()
	w := newKeptWorld(t)
	n := len(w.transfers) / 2
	want := traceBytes(t, w.fileGraph(t, n), w.seeds)
	open := func() *sqlite.DB {
		db, err := sqlite.Open(filepath.Join(t.TempDir(), "vigil.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		w.load(t, db, true, w.transfers[:n])
		return db
	}
	now := open()
	if _, rep, err := now.LoadGraph(ctx, sqlite.GraphOptions{Graph: graph.Options{NoSeedIndex: true}}); err != nil || !rep.Resolved || rep.KeepErr != nil {
		t.Fatalf("keep within LoadGraph: %v %+v", err, rep)
	}

	later := open()
	var log bytes.Buffer
	g, rep, err := later.LoadGraph(ctx, sqlite.GraphOptions{Graph: graph.Options{NoSeedIndex: true}, Log: &log, KeepLater: true})
	if err != nil || !rep.Resolved {
		t.Fatalf("keep later: %v %+v", err, rep)
	}
	// Traced while the keep runs (go test -race watches the graph).
	if got := traceBytes(t, g, w.seeds); !bytes.Equal(got, want) {
		t.Fatalf("store (keeping later) and file traces differ:\n%s", firstDiff(got, want))
	}
	if err := rep.WaitKeep(); err != nil {
		t.Fatal(err)
	}
	if rep.Run == nil || rep.Run.Transfers != int64(n) || rep.Keep <= 0 || !strings.Contains(log.String(), "kept in the store in") {
		t.Fatalf("after WaitKeep: run %+v, keep %s, log:\n%s", rep.Run, rep.Keep, log.String())
	}
	if err := rep.WaitKeep(); err != nil || strings.Count(log.String(), "kept in the store in") != 1 {
		t.Fatalf("a second WaitKeep: %v, log:\n%s", err, log.String())
	}
	a, b := keptRows(t, now), keptRows(t, later)
	if len(a) != len(b) || len(a) < 4 {
		t.Fatalf("kept rows: %d within LoadGraph, %d later", len(a), len(b))
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Fatalf("kept row %d differs (%.20q…)", i, a[i])
		}
	}
	g, rep, err = later.LoadGraph(ctx, sqlite.GraphOptions{Graph: graph.Options{NoSeedIndex: true}, KeepLater: true})
	if err != nil || rep.Resolved {
		t.Fatalf("after the later keep: %v %+v", err, rep)
	}
	if err := rep.WaitKeep(); err != nil {
		t.Fatal(err)
	}
	if got := traceBytes(t, g, w.seeds); !bytes.Equal(got, want) {
		t.Fatalf("store (kept later) and file traces differ:\n%s", firstDiff(got, want))
	}
}

// TestKeepLaterFails: a keep that fails after LoadGraph returned is
// reported by WaitKeep (and on the log), leaves nothing kept, and the
// next build resolves again.
func TestKeepLaterFails(t *testing.T) {
	ctx := context.Background()
	w := newKeptWorld(t)
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w.load(t, db, true, w.transfers[:5000])
	// The last part of the keep is refused: what was written before it
	// must not stay.
	if _, err := db.SQL().Exec(`CREATE TRIGGER refuse_tables BEFORE INSERT ON graph_tables BEGIN SELECT RAISE(ABORT, 'test: keep refused'); END`); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	_, rep, err := db.LoadGraph(ctx, sqlite.GraphOptions{Graph: graph.Options{NoSeedIndex: true}, Log: &log, KeepLater: true})
	if err != nil || !rep.Resolved {
		t.Fatalf("%v %+v", err, rep)
	}
	if err := rep.WaitKeep(); err == nil || !strings.Contains(err.Error(), "keep refused") || rep.Run != nil {
		t.Fatalf("WaitKeep: %v, run %+v", err, rep.Run)
	}
	if !strings.Contains(log.String(), "could not be kept") {
		t.Fatalf("the failure is not on the log:\n%s", log.String())
	}
	var kept int
	if err := db.SQL().QueryRow(`SELECT (SELECT count(*) FROM beneficiary_blocks) + (SELECT count(*) FROM beneficiary_assign) + (SELECT count(*) FROM graph_rows) + (SELECT count(*) FROM beneficiary_runs)`).Scan(&kept); err != nil || kept != 0 {
		t.Fatalf("after a failed keep the store keeps %d rows (%v)", kept, err)
	}
	if _, err := db.SQL().Exec(`DROP TRIGGER refuse_tables`); err != nil {
		t.Fatal(err)
	}
	_, rep, err = db.LoadGraph(ctx, sqlite.GraphOptions{Graph: graph.Options{NoSeedIndex: true}})
	if err != nil || !rep.Resolved || !strings.Contains(rep.Why, "no beneficiary resolution") || rep.KeepErr != nil {
		t.Fatalf("after the failed keep: %v %+v", err, rep)
	}
}

// TestKeptCountChecked: the count of the stored transfers is taken beside
// the replay of the kept rows, not before it; a store that lost a
// transfer below the kept resolution's last rowid (so only the count
// tells) is still resolved again, never replayed.
func TestKeptCountChecked(t *testing.T) {
	ctx := context.Background()
	w := newKeptWorld(t)
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w.load(t, db, true, w.transfers[:6000])
	build := func() *sqlite.GraphReport {
		t.Helper()
		g, rep, err := db.LoadGraph(ctx, sqlite.GraphOptions{Graph: graph.Options{NoSeedIndex: true}})
		if err != nil || rep.KeepErr != nil {
			t.Fatalf("%v %+v", err, rep)
		}
		if rep.Run == nil || int64(g.NumTransfers()) != rep.Run.Transfers {
			t.Fatalf("graph of %d transfers, run %+v", g.NumTransfers(), rep.Run)
		}
		return rep
	}
	if rep := build(); !rep.Resolved {
		t.Fatalf("first build not resolved: %+v", rep)
	}
	if rep := build(); rep.Resolved {
		t.Fatalf("kept resolution not replayed: %+v", rep)
	}
	if _, err := db.SQL().Exec(`DELETE FROM transfers WHERE rowid = 10`); err != nil {
		t.Fatal(err)
	}
	rep := build()
	if !rep.Resolved || rep.Why != "the kept resolution covers 6000 transfers and the store now holds 5999" {
		t.Fatalf("after a transfer was deleted: resolved %v (%q)", rep.Resolved, rep.Why)
	}
	if rep.Run.Transfers != 5999 {
		t.Fatalf("run %+v", rep.Run)
	}
}
