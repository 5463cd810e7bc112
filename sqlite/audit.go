package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"time"

	"github.com/vigilfiu/vigil"
)

// AuditService implements vigil.AuditService on the store. Appends are
// serialised in-process by a mutex and in the store by the UNIQUE hash and
// the seq primary key, so two writers can never fork the chain.
type AuditService struct {
	db *sql.DB
	mu sync.Mutex
}

var _ vigil.AuditService = (*AuditService)(nil)

// NewAuditService returns an AuditService on db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db.SQL()} }

func (s *AuditService) RecordAudit(ctx context.Context, e *vigil.AuditEvent) error {
	if e.Action == "" {
		return vigil.Errorf(vigil.EINVALID, "an audit entry needs an action")
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Time = e.Time.UTC().Truncate(time.Microsecond)
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	e.Seq, e.PrevHash = 1, vigil.AuditGenesis
	var last int64
	var prev string
	err = tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`).Scan(&last, &prev)
	switch {
	case err == nil:
		e.Seq, e.PrevHash = last+1, prev
	case err != sql.ErrNoRows:
		return err
	}
	e.Hash = e.ComputeHash()
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_events (seq, time, user_name, action, object_type, object_id, purpose, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.Time.UnixMicro(), e.User, e.Action, e.ObjectType, e.ObjectID, e.Purpose, e.Detail, e.PrevHash, e.Hash); err != nil {
		return err
	}
	return tx.Commit()
}

const auditColumns = `seq, time, user_name, action, object_type, object_id, purpose, detail, prev_hash, hash`

func scanAudit(row interface{ Scan(...any) error }) (*vigil.AuditEvent, error) {
	var e vigil.AuditEvent
	var t int64
	if err := row.Scan(&e.Seq, &t, &e.User, &e.Action, &e.ObjectType, &e.ObjectID, &e.Purpose, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	e.Time = time.UnixMicro(t).UTC()
	return &e, nil
}

func (s *AuditService) FindAuditEvents(ctx context.Context, f vigil.AuditFilter) ([]*vigil.AuditEvent, int, error) {
	var where []string
	var args []any
	add := func(cond string, v ...any) { where = append(where, cond); args = append(args, v...) }
	if f.User != nil {
		add(`user_name = ?`, *f.User)
	}
	if f.Action != nil {
		add(`action = ?`, *f.Action)
	}
	if f.ObjectType != nil {
		add(`object_type = ?`, *f.ObjectType)
	}
	if f.ObjectID != nil {
		add(`object_id = ?`, *f.ObjectID)
	}
	if f.Text != nil {
		p := "%" + likeEscape(*f.Text) + "%"
		add(`(purpose LIKE ? ESCAPE '\' OR detail LIKE ? ESCAPE '\' OR object_id LIKE ? ESCAPE '\')`, p, p, p)
	}
	if f.From != nil {
		add(`time >= ?`, f.From.UnixMicro())
	}
	if f.To != nil {
		add(`time < ?`, f.To.UnixMicro())
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM audit_events`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_events`+cond+` ORDER BY seq DESC LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*vigil.AuditEvent
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// EachAuditEvent walks the log in storage order, which is rowid order: a
// reordering attack that swaps rows' seq values shows up as Seq out of order.
func (s *AuditService) EachAuditEvent(ctx context.Context, fn func(*vigil.AuditEvent) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_events ORDER BY rowid`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// likeEscape escapes the LIKE wildcards so that user text matches literally.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
