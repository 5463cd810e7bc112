package sqlite_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

// drivers lists the drivers available in this build; tests run on each.
func drivers() []string {
	if sqlite.DefaultDriver == sqlite.DriverMattn {
		return []string{sqlite.DriverMattn, sqlite.DriverModernc}
	}
	return []string{sqlite.DriverModernc}
}

func mustOpen(t testing.TB, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenMigratesAndReopens(t *testing.T) {
	ms, err := sqlite.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	for _, m := range ms {
		want = append(want, m.Version)
	}
	for _, drv := range drivers() {
		t.Run(drv, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "vigil.db")
			db, err := sqlite.OpenDriver(path, drv)
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.SchemaVersions(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("versions after first open = %v, want %v", got, want)
			}
			var mode string
			if err := db.SQL().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
				t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
			}
			var fk int
			if err := db.SQL().QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
				t.Fatalf("foreign_keys = %d, %v; want 1", fk, err)
			}
			if _, err := db.SQL().Exec(`INSERT INTO parties (party_id, kind, full_name, content_hash) VALUES ('P1', 'person', 'A B', 1)`); err != nil {
				t.Fatal(err)
			}
			db.Close()

			// Re-open: nothing applied twice, data kept.
			db, err = sqlite.OpenDriver(path, drv)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			got, _ = db.SchemaVersions(ctx)
			if !slices.Equal(got, want) {
				t.Fatalf("versions after re-open = %v, want %v", got, want)
			}
			var n int
			db.SQL().QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n)
			if n != len(want) {
				t.Fatalf("schema_migrations has %d rows, want %d", n, len(want))
			}
			db.SQL().QueryRow(`SELECT count(*) FROM parties`).Scan(&n)
			if n != 1 {
				t.Fatalf("parties after re-open = %d, want 1", n)
			}
		})
	}
}

func TestOpenRefusesNewerStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigil.db")
	db := mustOpen(t, path)
	if _, err := db.SQL().Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from_the_future', 'x')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := sqlite.Open(path)
	if err == nil {
		t.Fatal("opened a store with an unknown migration")
	}
	if vigil.ErrorCode(err) != vigil.EINVALID || !strings.Contains(err.Error(), "9999_from_the_future") || !strings.Contains(err.Error(), "newer vigil") {
		t.Fatalf("error = %v", err)
	}
}

func TestOpenRefusesNonStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "not.db")
	if err := writeFile(path, "this is not a database, just text that is long enough to fill a header page......"); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.Open(path); err == nil || vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("Open(text file) error = %v, want EINVALID", err)
	}
}
