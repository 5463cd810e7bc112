package sqlite

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/vigilfiu/vigil/graph"
)

// A keep with the store to itself runs with a rollback journal: nothing
// is written into the WAL (its pages go once into the file), and the
// store is in WAL mode after. With another connection in use it runs in
// the WAL, as before. Both keep the same rows.
func TestKeepJournal(t *testing.T) {
	ctx := context.Background()
	db, g, rowids := keepWorld(t, 3000)
	run := func() *ResolutionRun {
		return &ResolutionRun{Resolver: keptVersion(), MaxRowID: int64(len(rowids)), Transfers: int64(len(rowids)), Started: time.Now(), Finished: time.Now()}
	}
	walSize := func() int64 {
		fi, err := os.Stat(db.path + "-wal")
		if os.IsNotExist(err) {
			return 0
		} else if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	mode := func() string {
		var m string
		if err := db.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}

	// Another connection reading (a statement stepped, not finished):
	// the keep runs in the WAL.
	other, err := db.db.QueryContext(ctx, `SELECT rowid FROM transfers`)
	if err != nil {
		t.Fatal(err)
	}
	if !other.Next() {
		t.Fatalf("reading beside the keep: %v", other.Err())
	}
	if err := db.SaveResolution(ctx, run(), g, rowids); err != nil {
		t.Fatal(err)
	}
	other.Close()
	want := keptDump(t, db)
	if w := walSize(); w < 1<<20 {
		t.Fatalf("keep beside another connection: WAL of %d bytes, expected the keep's pages in it", w)
	}
	if _, err := db.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}

	// The store to itself: a rollback journal, the WAL untouched.
	if err := db.SaveResolution(ctx, run(), g, rowids); err != nil {
		t.Fatal(err)
	}
	if w := walSize(); w > 64<<10 {
		t.Fatalf("keep with the store to itself: WAL of %d bytes, expected a rollback journal", w)
	}
	if m := mode(); m != "wal" {
		t.Fatalf("journal mode after the keep: %s, want wal", m)
	}
	if got := keptDump(t, db); !bytes.Equal(got, want) {
		t.Fatalf("the keep with a rollback journal differs from the keep in WAL (%d vs %d bytes of dump)", len(got), len(want))
	}
	if _, rep, err := db.LoadGraph(ctx, GraphOptions{Graph: graph.Options{NoSeedIndex: true}}); err != nil || rep.Resolved {
		t.Fatalf("replay after the keep: %v, %+v", err, rep)
	}
}
