package sqlite

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

const alertSelectCols = `alert_id, party_id, score, rank, typology, hits, rule_pack, created_at, status, reason`

func scanStoredAlert(sc interface{ Scan(...any) error }) (*vigil.Alert, error) {
	var a vigil.Alert
	var typology, hits, created, status string
	if err := sc.Scan(&a.ID, &a.PartyID, &a.Score, &a.Rank, &typology, &hits, &a.RulePack, &created, &status, &a.Reason); err != nil {
		return nil, err
	}
	a.Typology = vigil.Typology(typology)
	a.Status = vigil.AlertStatus(status)
	if err := json.Unmarshal([]byte(hits), &a.Hits); err != nil {
		return nil, vigil.Errorf(vigil.EINTERNAL, "alert %s: stored indicators are not valid JSON: %v", a.ID, err)
	}
	t, err := time.Parse(time.RFC3339Nano, created)
	if err != nil {
		return nil, vigil.Errorf(vigil.EINTERNAL, "alert %s: stored created_at %q: %v", a.ID, created, err)
	}
	a.CreatedAt = t
	return &a, nil
}

// newAlertID returns a random id such as "AL-3f9c0a1b2c3d4e5f".
func newAlertID() string {
	var b [8]byte
	rand.Read(b[:])
	return "AL-" + hex.EncodeToString(b[:])
}

// ReplaceAlerts stores the alerts of a scan in one transaction: the alerts
// still "new" from earlier scans are deleted, triaged ones (dismissed,
// escalated) are kept. Alerts without an ID get a random one and are
// updated in place with it; CreatedAt defaults to now and Status to new.
// An ID that a kept alert already has is ECONFLICT and nothing changes.
func (db *DB) ReplaceAlerts(ctx context.Context, alerts []*vigil.Alert) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM alerts WHERE status = ?`, string(vigil.AlertNew)); err != nil {
		return err
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO alerts (`+alertSelectCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	now := db.Now().UTC()
	for _, a := range alerts {
		if a.PartyID == "" {
			return vigil.Errorf(vigil.EINVALID, "alert %s has no party_id", a.ID)
		}
		if a.ID == "" {
			a.ID = newAlertID()
		}
		if a.CreatedAt.IsZero() {
			a.CreatedAt = now
		}
		if a.Status == "" {
			a.Status = vigil.AlertNew
		}
		hits := a.Hits
		if hits == nil {
			hits = []vigil.Hit{}
		}
		hj, err := json.Marshal(hits)
		if err != nil {
			return vigil.Errorf(vigil.EINVALID, "alert %s: indicators cannot be stored: %v", a.ID, err)
		}
		if _, err := st.ExecContext(ctx, a.ID, a.PartyID, a.Score, a.Rank, string(a.Typology), string(hj),
			a.RulePack, a.CreatedAt.UTC().Format(time.RFC3339Nano), string(a.Status), a.Reason); err != nil {
			if isUniqueViolation(err) {
				return vigil.Errorf(vigil.ECONFLICT, "alert %s already exists (triaged alerts are kept across scans)", a.ID)
			}
			return err
		}
	}
	return tx.Commit()
}

// FindAlerts returns the alerts matching filter, highest score first (then
// by rank and id), and the number matching without Offset and Limit.
func (db *DB) FindAlerts(ctx context.Context, filter vigil.AlertFilter) ([]*vigil.Alert, int, error) {
	var where []string
	var args []any
	if filter.PartyID != nil {
		where, args = append(where, "party_id = ?"), append(args, *filter.PartyID)
	}
	if filter.Status != nil {
		where, args = append(where, "status = ?"), append(args, string(*filter.Status))
	}
	if filter.Typology != nil {
		where, args = append(where, "typology = ?"), append(args, string(*filter.Typology))
	}
	if filter.MinScore != nil {
		where, args = append(where, "score >= ?"), append(args, *filter.MinScore)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM alerts`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.db.QueryContext(ctx, `SELECT `+alertSelectCols+` FROM alerts`+cond+
		` ORDER BY score DESC, rank, alert_id`+pageClause(filter.Offset, filter.Limit), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var as []*vigil.Alert
	for rows.Next() {
		a, err := scanStoredAlert(rows)
		if err != nil {
			return nil, 0, err
		}
		as = append(as, a)
	}
	return as, total, rows.Err()
}
