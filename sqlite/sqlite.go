// Package sqlite is vigil's embedded store: one SQLite file holding the
// parties, transfers, call events, leads and alerts, with versioned schema
// migrations that run when the store is opened.
//
// It implements vigil.PartyService, vigil.TransferService and
// vigil.AlertService, and the idempotent bulk load used by package ingest
// (see Load). Other packages that need tables of their own add a migration
// file under migrations/ (numbers by owner: 0001–0099 core, 0100–0199 http,
// 0200–0299 formats, 0300–0399 detect, 0400–0499 resolve, 0500–0599
// graph/correlate) and methods on *DB in their own file of this package, or
// use SQL() directly.
//
// Two drivers can back the store through database/sql: mattn/go-sqlite3
// (cgo) and modernc.org/sqlite (pure Go). The faster one on the ingest
// benchmark is the default when cgo is available; see docs/performance.md.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

// Driver names accepted by OpenDriver.
const (
	DriverMattn   = "mattn"   // github.com/mattn/go-sqlite3, needs cgo
	DriverModernc = "modernc" // modernc.org/sqlite, pure Go
)

// pragmas run on every new connection. WAL lets readers work while a load
// writes; NORMAL synchronous is durable at every checkpoint and safe in WAL
// mode; foreign keys are enforced where the schema declares them. Temporary
// files (index builds of a large load) stay files, not memory, so that the
// process's memory does not grow with the size of a load.
var pragmas = []string{
	"PRAGMA busy_timeout = 10000",
	"PRAGMA journal_mode = WAL",
	"PRAGMA synchronous = NORMAL",
	"PRAGMA foreign_keys = ON",
	"PRAGMA cache_size = -65536", // KiB: 64 MiB of page cache per connection
}

// DB is an open store. It is safe for concurrent use.
type DB struct {
	db     *sql.DB
	path   string
	driver string

	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

// Open opens (creating if needed) the store at path with the default driver
// and brings its schema up to date.
func Open(path string) (*DB, error) { return OpenDriver(path, DefaultDriver) }

// OpenDriver is Open with an explicit driver (DriverMattn or DriverModernc).
func OpenDriver(path, driver string) (*DB, error) {
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	return openMigrated(path, driver, ms)
}

// openMigrated opens the store at path and applies the migrations ms
// (tests give a prefix, to make a store as an older vigil left it).
func openMigrated(path, driver string, ms []Migration) (*DB, error) {
	if path == "" {
		return nil, vigil.Errorf(vigil.EINVALID, "no store path given")
	}
	name, dsn, err := dataSource(path, driver)
	if err != nil {
		return nil, err
	}
	sdb, err := sql.Open(name, dsn)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db := &DB{db: sdb, path: path, driver: driver, Now: time.Now}
	if err := sdb.PingContext(context.Background()); err != nil {
		sdb.Close()
		return nil, vigil.Errorf(vigil.EINVALID, "cannot open store %s: %v", path, err)
	}
	if err := db.applyMigrations(context.Background(), ms); err != nil {
		sdb.Close()
		return nil, err
	}
	return db, nil
}

// dataSource returns the database/sql driver name and DSN for driver.
// Transactions begin IMMEDIATE so that a writer takes the write lock at
// BEGIN and waits (busy_timeout) instead of failing later on upgrade.
func dataSource(path, driver string) (name, dsn string, err error) {
	// A path is passed as a file: URI so that '?' and '#' in it are safe.
	u := "file:" + (&url.URL{Path: path}).EscapedPath()
	switch driver {
	case DriverMattn:
		if !mattnAvailable {
			return "", "", vigil.Errorf(vigil.ENOTIMPLEMENTED, "the mattn SQLite driver needs cgo; this binary was built without it")
		}
		// Pragmas are applied by the connect hook in driver_cgo.go.
		// _mutex=no opens connections without SQLite's per-connection
		// mutex (SQLITE_OPEN_NOMUTEX): database/sql hands a connection to
		// one goroutine at a time, and so does every raw use of one
		// (sql.Conn.Raw holds the connection for its function). Each
		// SQLite call took and released that mutex: ~2 % of a load's CPU
		// (docs/performance.md, "Ingest, session 6"). sqlite3_interrupt,
		// which mattn calls from another goroutine on a cancelled
		// context, is safe without it.
		return mattnName, u + "?_txlock=immediate&_mutex=no", nil
	case DriverModernc:
		q := make([]string, 0, len(pragmas)+1)
		for _, p := range pragmas {
			k, v, _ := strings.Cut(strings.TrimPrefix(p, "PRAGMA "), " = ")
			q = append(q, "_pragma="+url.QueryEscape(k+"("+v+")"))
		}
		q = append(q, "_txlock=immediate")
		return "sqlite", u + "?" + strings.Join(q, "&"), nil
	}
	return "", "", vigil.Errorf(vigil.EINVALID, "unknown SQLite driver %q (mattn or modernc)", driver)
}

// Close closes the store.
func (db *DB) Close() error { return db.db.Close() }

// SQL returns the underlying database handle for packages that keep tables
// of their own in the store. Writes that must be atomic should run in one
// transaction (BeginTx).
func (db *DB) SQL() *sql.DB { return db.db }

// Path returns the file path of the store.
func (db *DB) Path() string { return db.path }

// Driver returns the name of the driver in use (DriverMattn or DriverModernc).
func (db *DB) Driver() string { return db.driver }

// loadCacheKiB is the page cache of a load's connection (KiB). With a
// rollback journal, every time the cache fills with new pages SQLite syncs
// the journal before writing them out; a larger cache means fewer such
// spills, and the primary-key index of the table being loaded (~100 MB
// for 5M transfers) stays cached. Bounded, so the process stays under
// 500 MB whatever the file size (docs/performance.md, Ingest).
const loadCacheKiB = 192 << 10

// sortCacheKiB is the page cache while a load rebuilds indexes, and so the
// size of each in-memory run of an index sort (see Load.beforeIndexBuild).
// Small runs sort faster: SQLite sorts a run as a linked list, whose merge
// passes miss the CPU cache once a run outgrows it; merging more runs from
// disk costs less than that. 1 MiB is SQLite's smallest run (250 pages of
// 4 KiB; a smaller cache does not make smaller runs). Rebuilding the two
// unordered transfers indexes of the 5M world took 18.2-21.2 CPU s with
// 32 MiB runs, 14.6-15.9 s with 2 MiB (session 4) and, in five pairs
// interleaved with 2 MiB, 1.7 s less at the medians with 1 MiB
// (docs/performance.md, "Ingest, session 6").
const sortCacheKiB = 1 << 10

// sortThreads is the number of helper threads SQLite's sorter may use
// while a load rebuilds indexes (PRAGMA threads): they sort the runs and
// merge them while the main thread scans the table and builds the index.
// On the 2-core box 1 thread used a little less CPU than 2 in three pairs
// of 5M rebuilds under load (docs/performance.md, "Ingest, session 6"),
// but with one helper the main thread sorts a run itself whenever that
// helper is busy; without a quiet measurement of the wall time, 2 stays.
const sortThreads = 2

// beginLoadConn sets up conn for a load and returns the journal mode the
// load will run in.
//
// When bulk is set and no other connection has the store open, the load runs with a
// rollback journal (journal_mode=DELETE, synchronous=FULL) instead of WAL:
// pages appended to the file need no journal entry, so each page is
// written once, where WAL writes every page twice (to the log, then to the
// file at the checkpoint). The guarantee is the same: the load is one
// transaction; a crash or power loss before the commit leaves a hot journal
// that the next open rolls back, so the store is as it was before the load.
// Changing the journal mode needs the store to itself; if another
// connection (a running `vigil serve`, another process) has it open, the
// change fails at once (busy_timeout 0) and the load runs in WAL, so that
// readers go on reading while it runs.
func beginLoadConn(ctx context.Context, conn *sql.Conn, bulk bool) (journal string, err error) {
	journal = "wal"
	if bulk {
		if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
			return journal, err
		}
		var mode string
		if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = DELETE").Scan(&mode); err == nil && strings.EqualFold(mode, "delete") {
			journal = "delete"
		}
	}
	setup := []string{"PRAGMA busy_timeout = 10000", fmt.Sprintf("PRAGMA cache_size = -%d", loadCacheKiB)}
	if journal == "delete" {
		setup = append(setup, "PRAGMA synchronous = FULL")
	}
	for _, p := range setup {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return journal, err
		}
	}
	return journal, nil
}

// endLoadConn puts conn back as every connection is set up (pragmas) and
// returns it to the pool. If that fails, the connection is discarded, so
// that no connection keeps a load's settings. A store left in rollback
// journal mode by a crash is put back in WAL by the next open.
func endLoadConn(conn *sql.Conn) {
	ctx := context.Background() // the load's context may be cancelled
	ok := true
	for _, p := range append([]string{"PRAGMA threads = 0"}, pragmas...) {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			ok = false
		}
	}
	if !ok {
		conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	conn.Close()
}
