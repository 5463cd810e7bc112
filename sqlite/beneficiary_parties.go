package sqlite

import (
	"context"
	"database/sql/driver"

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
