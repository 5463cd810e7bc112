package sqlite

import (
	"context"
	"database/sql"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

// transferCols and transferFrom read a whole transfer: the compact row of
// migration 0002 with the name of its source (load_sources). Queries may
// name the transfers columns unqualified.
const (
	transferCols = `transfer_id, ts_ns, ts_off, sender_id, sender_account, beneficiary_id, beneficiary_name, beneficiary_phone,
	beneficiary_account, beneficiary_city, beneficiary_country, beneficiary_birth_date, amount, currency,
	channel, provider, purpose, coalesce(ls.name, ''), source_line`
	transferFrom = `transfers LEFT JOIN load_sources ls ON ls.source_id = transfers.source_id`
)

// transferScanner reuses its scan targets across rows.
type transferScanner struct {
	birth, channel, source string
	amount, ns, off        int64
	line                   sql.NullInt64
	dest                   []any
}

func newTransferScanner(t *vigil.Transfer) *transferScanner {
	s := &transferScanner{}
	s.dest = []any{&t.ID, &s.ns, &s.off, &t.SenderID, &t.SenderAccount, &t.BeneficiaryID, &t.BeneficiaryName,
		&t.BeneficiaryPhone, &t.BeneficiaryAccount, &t.BeneficiaryCity, &t.BeneficiaryCountry, &s.birth,
		&s.amount, &t.Currency, &s.channel, &t.Provider, &t.Purpose, &s.source, &s.line}
	return s
}

func (s *transferScanner) scan(sc interface{ Scan(...any) error }, t *vigil.Transfer) error {
	if err := sc.Scan(s.dest...); err != nil {
		return err
	}
	t.Timestamp = time.Unix(0, s.ns).In(zoneAt(int(s.off)))
	t.BeneficiaryBirthDate, _ = vigil.ParseDate(s.birth)
	t.Amount = vigil.Amount(s.amount)
	t.Channel = vigil.Channel(s.channel)
	t.Source = s.source
	if s.line.Valid {
		t.Source += ":" + strconv.FormatInt(s.line.Int64, 10)
	}
	return nil
}

// unixNano returns t as Unix nanoseconds, saturated to the range of
// ts_ns, for comparing with stored timestamps.
func unixNano(t time.Time) int64 {
	switch y := t.Year(); {
	case y < minYear: // every stored timestamp is later
		return math.MinInt64
	case y > maxYear:
		return math.MaxInt64
	}
	return t.UnixNano()
}

// FindTransfers returns the transfers matching filter in time order, then
// by id. From is inclusive, To exclusive. A Limit of 0 means no limit.
func (db *DB) FindTransfers(ctx context.Context, filter vigil.TransferFilter) ([]*vigil.Transfer, error) {
	var where []string
	var args []any
	if filter.SenderID != nil {
		where, args = append(where, "sender_id = ?"), append(args, *filter.SenderID)
	}
	if filter.From != nil {
		where, args = append(where, "ts_ns >= ?"), append(args, unixNano(*filter.From))
	}
	if filter.To != nil {
		where, args = append(where, "ts_ns < ?"), append(args, unixNano(*filter.To))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := db.db.QueryContext(ctx, `SELECT `+transferCols+` FROM `+transferFrom+cond+
		` ORDER BY ts_ns, transfer_id`+pageClause(filter.Offset, filter.Limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []*vigil.Transfer
	for rows.Next() {
		t := new(vigil.Transfer)
		if err := newTransferScanner(t).scan(rows, t); err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// EachTransfer calls fn for every stored transfer in time order, then by
// id, stopping at the first error fn returns. It streams rows from SQLite
// (memory does not grow with the number of transfers); each call gets a
// fresh *Transfer that fn may keep. fn should not write to the store while
// the read is open.
func (db *DB) EachTransfer(ctx context.Context, fn func(*vigil.Transfer) error) error {
	rows, err := db.db.QueryContext(ctx, `SELECT `+transferCols+` FROM `+transferFrom+` ORDER BY ts_ns, transfer_id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		t := new(vigil.Transfer)
		if err := newTransferScanner(t).scan(rows, t); err != nil {
			return err
		}
		if err := fn(t); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CountTransfers returns the number of stored transfers.
func (db *DB) CountTransfers(ctx context.Context) (int, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM transfers`).Scan(&n)
	return n, err
}
