package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"math"

	"github.com/vigilfiu/vigil"
)

// PartyIdentities returns every stored party with the fields that
// identify a person to correlation and to the graph: id, full name,
// birth date, country, phone and e-mail (the other fields are empty), in
// the order they are stored. It reads the table in one pass through the
// driver itself, without the ordering by id FindParties does (a lookup
// per party), for a caller that needs every party at once: vigil
// correlate on the store, whose graph takes the names from the same read.
func (db *DB) PartyIdentities(ctx context.Context) ([]vigil.Party, error) {
	var n int64
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM parties`).Scan(&n); err != nil {
		return nil, err
	}
	out := make([]vigil.Party, 0, n)
	err := db.rawRows(ctx, `SELECT party_id, full_name, birth_date, country, phone, email FROM parties`, nil, 6, func(v []driver.Value) error {
		out = append(out, vigil.Party{ID: str(v[0]), FullName: str(v[1]), Country: str(v[3]), Phone: str(v[4]), Email: str(v[5])})
		if b := str(v[2]); b != "" {
			out[len(out)-1].BirthDate, _ = vigil.ParseDate(b) // stored by Load from a valid Date
		}
		return nil
	})
	return out, err
}

// partyNames returns every stored party's id and full name (the other
// fields empty), in rowid order: what the graph takes of the domestic
// parties (graph.NewPartyNames). With mattn it reads through the C API
// a batch of rows per cgo call (cRows), else through the driver.
func (db *DB) partyNames(ctx context.Context) ([]vigil.Party, error) {
	var out []vigil.Party
	const query = `SELECT party_id, full_name FROM parties WHERE rowid >= ? AND rowid <= ?`
	bulk := false
	err := db.onePass(ctx, func(conn *sql.Conn) error {
		var n int64
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM parties`).Scan(&n); err != nil {
			return err
		}
		out = make([]vigil.Party, 0, n)
		return conn.Raw(func(dc any) error {
			cr := prepareRows(dc, query, 2)
			if cr == nil {
				return nil
			}
			defer cr.close()
			bulk = true
			if err := cr.query(math.MinInt64, math.MaxInt64); err != nil {
				return err
			}
			for {
				k, err := cr.next()
				if err != nil || k == 0 {
					return err
				}
				for i := range k {
					r := cr.row(i)
					s, base := cr.rowText(r)
					out = append(out, vigil.Party{ID: cStr(r, 0, s, base), FullName: cStr(r, 1, s, base)})
				}
				if err := ctx.Err(); err != nil {
					return err
				}
			}
		})
	})
	if err != nil || bulk {
		return out, err
	}
	err = db.rawRows(ctx, `SELECT party_id, full_name FROM parties`, nil, 2, func(v []driver.Value) error {
		out = append(out, vigil.Party{ID: str(v[0]), FullName: str(v[1])})
		return nil
	})
	return out, err
}
