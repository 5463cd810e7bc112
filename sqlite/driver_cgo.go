//go:build cgo

package sqlite

import (
	"database/sql"

	sqlite3 "github.com/mattn/go-sqlite3"
	_ "modernc.org/sqlite" // registers "sqlite"
)

// DefaultDriver is the driver Open uses. With cgo it is mattn/go-sqlite3,
// the faster of the two on the ingest benchmark (docs/performance.md).
const DefaultDriver = DriverMattn

const (
	mattnAvailable = true
	mattnName      = "vigil_sqlite3"
)

func init() {
	sql.Register(mattnName, &sqlite3.SQLiteDriver{
		ConnectHook: func(c *sqlite3.SQLiteConn) error {
			for _, p := range pragmas {
				if _, err := c.Exec(p, nil); err != nil {
					return err
				}
			}
			return nil
		},
	})
}
