package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"github.com/vigilfiu/vigil"
)

// Compile-time checks that DB implements the root services.
var (
	_ vigil.PartyService    = (*DB)(nil)
	_ vigil.TransferService = (*DB)(nil)
	_ vigil.AlertService    = (*DB)(nil)
)

const partyCols = `party_id, kind, full_name, birth_date, gender, nationality, country, city, address, postcode, phone, email, id_number, source`

func scanParty(sc interface{ Scan(...any) error }) (*vigil.Party, error) {
	var p vigil.Party
	var kind, birth string
	if err := sc.Scan(&p.ID, &kind, &p.FullName, &birth, &p.Gender, &p.Nationality, &p.Country, &p.City,
		&p.Address, &p.Postcode, &p.Phone, &p.Email, &p.IDNumber, &p.Source); err != nil {
		return nil, err
	}
	p.Kind = vigil.PartyKind(kind)
	p.BirthDate, _ = vigil.ParseDate(birth) // stored by Load from a valid Date
	return &p, nil
}

// FindPartyByID returns the party with id, or ENOTFOUND.
func (db *DB) FindPartyByID(ctx context.Context, id string) (*vigil.Party, error) {
	p, err := scanParty(db.db.QueryRowContext(ctx, `SELECT `+partyCols+` FROM parties WHERE party_id = ?`, id))
	if err == sql.ErrNoRows {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "no party %q", id)
	}
	return p, err
}

// FindParties returns the parties matching filter, ordered by id, and the
// number of parties matching it without Offset and Limit. Name matches a
// case-insensitive substring of full_name (ASCII case folding).
func (db *DB) FindParties(ctx context.Context, filter vigil.PartyFilter) ([]*vigil.Party, int, error) {
	var where []string
	var args []any
	if filter.ID != nil {
		where, args = append(where, "party_id = ?"), append(args, *filter.ID)
	}
	if filter.Name != nil {
		where, args = append(where, "instr(lower(full_name), lower(?)) > 0"), append(args, *filter.Name)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM parties`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.db.QueryContext(ctx, `SELECT `+partyCols+` FROM parties`+cond+` ORDER BY party_id`+pageClause(filter.Offset, filter.Limit), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var ps []*vigil.Party
	for rows.Next() {
		p, err := scanParty(rows)
		if err != nil {
			return nil, 0, err
		}
		ps = append(ps, p)
	}
	return ps, total, rows.Err()
}

// pageClause renders Offset and Limit; a Limit of 0 means no limit.
func pageClause(offset, limit int) string {
	if limit <= 0 && offset <= 0 {
		return ""
	}
	if limit <= 0 {
		limit = -1
	}
	return " LIMIT " + pageInt(limit) + " OFFSET " + pageInt(max(offset, 0))
}

func pageInt(n int) string { return argText(int64(n)) }
