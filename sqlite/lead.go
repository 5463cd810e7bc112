package sqlite

import (
	"context"
	"time"

	"github.com/vigilfiu/vigil"
)

// Lead list names.
const (
	ListLeads = "leads" // a partner's client list (leads.csv)
	ListSeeds = "seeds" // arrested facilitators (seeds.csv)
)

// FindLeads returns the leads of list ("leads", "seeds"; "" for every
// list) ordered by list and id.
func (db *DB) FindLeads(ctx context.Context, list string) ([]*vigil.Lead, error) {
	q := `SELECT lead_id, full_name, birth_date, phone, email, handle, account, city, country, note, source FROM leads`
	var args []any
	if list != "" {
		q, args = q+` WHERE list = ?`, []any{list}
	}
	rows, err := db.db.QueryContext(ctx, q+` ORDER BY list, lead_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ls []*vigil.Lead
	for rows.Next() {
		var l vigil.Lead
		var birth string
		if err := rows.Scan(&l.ID, &l.FullName, &birth, &l.Phone, &l.Email, &l.Handle, &l.Account, &l.City, &l.Country, &l.Note, &l.Source); err != nil {
			return nil, err
		}
		l.BirthDate, _ = vigil.ParseDate(birth)
		ls = append(ls, &l)
	}
	return ls, rows.Err()
}

// EachCallEvent calls fn for every stored call event of account ("" for
// all accounts) in time order, then by id, stopping at the first error fn
// returns. Each call gets a fresh *CallEvent.
func (db *DB) EachCallEvent(ctx context.Context, account string, fn func(*vigil.CallEvent) error) error {
	q := `SELECT event_id, ts, account, counterpart, platform, direction, kind, duration_s, source FROM call_events`
	var args []any
	if account != "" {
		q, args = q+` WHERE account = ?`, []any{account}
	}
	rows, err := db.db.QueryContext(ctx, q+` ORDER BY ts_unix, ts_nano, event_id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e := new(vigil.CallEvent)
		var ts, dir, kind string
		if err := rows.Scan(&e.ID, &ts, &e.Account, &e.Counterpart, &e.Platform, &dir, &kind, &e.DurationS, &e.Source); err != nil {
			return err
		}
		if e.Timestamp, err = time.Parse(time.RFC3339Nano, ts); err != nil {
			return vigil.Errorf(vigil.EINTERNAL, "call event %s: stored timestamp %q: %v", e.ID, ts, err)
		}
		e.Direction, e.Kind = vigil.CallDirection(dir), vigil.CallKind(kind)
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}
