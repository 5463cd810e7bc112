package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

// FindingService implements vigil.FindingService on the store.
type FindingService struct {
	db  *sql.DB
	now func() time.Time
}

var _ vigil.FindingService = (*FindingService)(nil)

// NewFindingService returns a FindingService on db.
func NewFindingService(db *DB) *FindingService { return &FindingService{db: db.SQL(), now: time.Now} }

// findingDigest hashes the result without its provenance, so that the same
// result read from another copy of the file is still "unchanged".
func findingDigest(f *vigil.Finding) (string, error) {
	c := *f
	c.Source, c.RunAt, c.ImportedAt = "", time.Time{}, time.Time{}
	b, err := json.Marshal(&c)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:]), nil
}

func (s *FindingService) PutFindings(ctx context.Context, fs []*vigil.Finding) (vigil.FindingImport, error) {
	var res vigil.FindingImport
	now := s.now().UTC().Truncate(time.Microsecond)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	get, err := tx.PrepareContext(ctx, `SELECT digest FROM findings WHERE id = ?`)
	if err != nil {
		return res, err
	}
	defer get.Close()
	for _, f := range fs {
		if err := f.Validate(); err != nil {
			return vigil.FindingImport{}, err
		}
		digest, err := findingDigest(f)
		if err != nil {
			return vigil.FindingImport{}, err
		}
		var old string
		switch err := get.QueryRowContext(ctx, f.ID).Scan(&old); {
		case errors.Is(err, sql.ErrNoRows):
			old = ""
		case err != nil:
			return vigil.FindingImport{}, err
		}
		if old == digest {
			res.Unchanged++
			continue
		}
		f.ImportedAt = now
		body, err := json.Marshal(f)
		if err != nil {
			return vigil.FindingImport{}, err
		}
		if old == "" {
			_, err = tx.ExecContext(ctx, `INSERT INTO findings (id, kind, key, score, decision, body, digest, source, run_at, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				f.ID, string(f.Kind), f.Key, f.Score, f.Decision, string(body), digest, f.Source, f.RunAt.UnixMicro(), now.UnixMicro())
			res.Inserted++
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE findings SET score = ?, decision = ?, body = ?, digest = ?, source = ?, run_at = ?, imported_at = ? WHERE id = ?`,
				f.Score, f.Decision, string(body), digest, f.Source, f.RunAt.UnixMicro(), now.UnixMicro(), f.ID)
			if err == nil {
				_, err = tx.ExecContext(ctx, `DELETE FROM finding_parties WHERE finding_id = ?`, f.ID)
			}
			if err == nil {
				_, err = tx.ExecContext(ctx, `DELETE FROM finding_leads WHERE finding_id = ?`, f.ID)
			}
			res.Updated++
		}
		if err != nil {
			return vigil.FindingImport{}, err
		}
		for _, p := range f.PartyIDs {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO finding_parties (finding_id, party_id) VALUES (?, ?)`, f.ID, p); err != nil {
				return vigil.FindingImport{}, err
			}
		}
		for _, l := range f.Leads {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO finding_leads (finding_id, lead_id) VALUES (?, ?)`, f.ID, l); err != nil {
				return vigil.FindingImport{}, err
			}
		}
	}
	return res, tx.Commit()
}

func scanFinding(row interface{ Scan(...any) error }) (*vigil.Finding, error) {
	var body string
	if err := row.Scan(&body); err != nil {
		return nil, err
	}
	f := &vigil.Finding{}
	if err := json.Unmarshal([]byte(body), f); err != nil {
		return nil, vigil.Errorf(vigil.EINTERNAL, "stored finding is not readable: %v", err)
	}
	return f, nil
}

func (s *FindingService) FindFindingByID(ctx context.Context, id string) (*vigil.Finding, error) {
	f, err := scanFinding(s.db.QueryRowContext(ctx, `SELECT body FROM findings WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "no finding %q", id)
	}
	return f, err
}

func (s *FindingService) FindFindings(ctx context.Context, f vigil.FindingFilter) ([]*vigil.Finding, int, error) {
	var where []string
	var args []any
	if f.Kind != nil {
		where, args = append(where, `f.kind = ?`), append(args, string(*f.Kind))
	}
	if f.PartyID != nil {
		where, args = append(where, `f.id IN (SELECT finding_id FROM finding_parties WHERE party_id = ?)`), append(args, *f.PartyID)
	}
	if f.LeadID != nil {
		where, args = append(where, `f.id IN (SELECT finding_id FROM finding_leads WHERE lead_id = ?)`), append(args, *f.LeadID)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM findings f`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.db.QueryContext(ctx, `SELECT f.body FROM findings f`+cond+` ORDER BY f.score DESC, f.id LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*vigil.Finding
	for rows.Next() {
		x, err := scanFinding(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, x)
	}
	return out, total, rows.Err()
}
