package sqlite

import (
	"context"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

const transferCols = `transfer_id, ts, sender_id, sender_account, beneficiary_id, beneficiary_name, beneficiary_phone,
	beneficiary_account, beneficiary_city, beneficiary_country, beneficiary_birth_date, amount, currency,
	channel, provider, purpose, source`

// transferScanner reuses its scan targets across rows.
type transferScanner struct {
	ts, birth, channel string
	amount             int64
	dest               []any
}

func newTransferScanner(t *vigil.Transfer) *transferScanner {
	s := &transferScanner{}
	s.dest = []any{&t.ID, &s.ts, &t.SenderID, &t.SenderAccount, &t.BeneficiaryID, &t.BeneficiaryName,
		&t.BeneficiaryPhone, &t.BeneficiaryAccount, &t.BeneficiaryCity, &t.BeneficiaryCountry, &s.birth,
		&s.amount, &t.Currency, &s.channel, &t.Provider, &t.Purpose, &t.Source}
	return s
}

func (s *transferScanner) scan(sc interface{ Scan(...any) error }, t *vigil.Transfer) error {
	if err := sc.Scan(s.dest...); err != nil {
		return err
	}
	ts, err := time.Parse(time.RFC3339Nano, s.ts)
	if err != nil {
		return vigil.Errorf(vigil.EINTERNAL, "transfer %s: stored timestamp %q: %v", t.ID, s.ts, err)
	}
	t.Timestamp = ts
	t.BeneficiaryBirthDate, _ = vigil.ParseDate(s.birth)
	t.Amount = vigil.Amount(s.amount)
	t.Channel = vigil.Channel(s.channel)
	return nil
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
		where, args = append(where, "(ts_unix > ? OR (ts_unix = ? AND ts_nano >= ?))"),
			append(args, filter.From.Unix(), filter.From.Unix(), int64(filter.From.Nanosecond()))
	}
	if filter.To != nil {
		where, args = append(where, "(ts_unix < ? OR (ts_unix = ? AND ts_nano < ?))"),
			append(args, filter.To.Unix(), filter.To.Unix(), int64(filter.To.Nanosecond()))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := db.db.QueryContext(ctx, `SELECT `+transferCols+` FROM transfers`+cond+
		` ORDER BY ts_unix, ts_nano, transfer_id`+pageClause(filter.Offset, filter.Limit), args...)
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
	rows, err := db.db.QueryContext(ctx, `SELECT `+transferCols+` FROM transfers ORDER BY ts_unix, ts_nano, transfer_id`)
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
