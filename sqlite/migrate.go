package sqlite

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/vigilfiu/vigil"
)

// migrationFS holds the schema migrations, one file per version named
// NNNN_name.sql. Any package's owner adds a file here to add tables; the
// numbering bands are listed in the package comment.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// Migration is one versioned schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the migrations this binary knows, in version order.
func Migrations() ([]Migration, error) { return parseMigrations(migrationFS, "migrations") }

func parseMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []Migration
	seen := map[int]string{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || len(num) != 4 || rest == "" || v <= 0 {
			return nil, vigil.Errorf(vigil.EINTERNAL, "migration file %s is not named NNNN_name.sql", name)
		}
		if other, dup := seen[v]; dup {
			return nil, vigil.Errorf(vigil.EINTERNAL, "migrations %s and %s share version %d", other, name, v)
		}
		seen[v] = name
		b, err := fs.ReadFile(fsys, dir+"/"+name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: rest, SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms, nil
}

// applyMigrations applies, in one transaction, every migration of ms the
// store has not recorded yet, in version order. It refuses a store that
// records a migration this binary does not know: that store was written
// by a newer vigil and this one could misread it.
func (db *DB) applyMigrations(ctx context.Context, ms []Migration) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return vigil.Errorf(vigil.EINVALID, "cannot open store %s: %v", db.path, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return vigil.Errorf(vigil.EINVALID, "store %s is not a vigil store or is damaged: %v", db.path, err)
	}
	applied := map[int]string{}
	rows, err := tx.QueryContext(ctx, `SELECT version, name FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("read schema_migrations: %w", err)
	}
	for rows.Next() {
		var v int
		var n string
		if err := rows.Scan(&v, &n); err != nil {
			rows.Close()
			return err
		}
		applied[v] = n
	}
	if err := rows.Close(); err != nil {
		return err
	}
	known := make(map[int]bool, len(ms))
	maxKnown := 0
	for _, m := range ms {
		known[m.Version] = true
		maxKnown = max(maxKnown, m.Version)
	}
	var unknown []string
	for v, n := range applied {
		if !known[v] {
			unknown = append(unknown, fmt.Sprintf("%04d_%s", v, n))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return vigil.Errorf(vigil.EINVALID,
			"store %s was written by a newer vigil: it has schema migration %s that this binary does not know (it knows up to %04d); use a newer vigil or another --db",
			db.path, strings.Join(unknown, ", "), maxKnown)
	}
	now := db.Now().UTC().Format("2006-01-02T15:04:05Z")
	for _, m := range ms {
		if _, ok := applied[m.Version]; ok {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return vigil.Errorf(vigil.EINTERNAL, "schema migration %04d_%s failed: %v", m.Version, m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, m.Version, m.Name, now); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// SchemaVersions returns the versions of the migrations recorded in the
// store, in order.
func (db *DB) SchemaVersions(ctx context.Context) ([]int, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var vs []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	return vs, rows.Err()
}
