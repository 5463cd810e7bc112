package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

// CaseService implements vigil.CaseService on the store.
type CaseService struct {
	db *sql.DB
}

var _ vigil.CaseService = (*CaseService)(nil)

// NewCaseService returns a CaseService on db.
func NewCaseService(db *DB) *CaseService { return &CaseService{db: db.SQL()} }

func caseEvent(ctx context.Context, tx *sql.Tx, id string, at time.Time, by, action, from, to, reason string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO case_events (case_id, at, by_user, action, from_v, to_v, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, at.UnixMicro(), by, action, from, to, reason)
	return err
}

func (s *CaseService) CreateCase(ctx context.Context, c *vigil.Case) error {
	c.Title = strings.TrimSpace(c.Title)
	if c.Title == "" {
		return vigil.Errorf(vigil.EINVALID, "a case needs a title")
	}
	if c.CreatedBy == "" {
		return vigil.Errorf(vigil.EINVALID, "a case needs the user who created it")
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = time.Now()
	}
	c.CreatedAt = c.CreatedAt.UTC().Truncate(time.Microsecond)
	if c.Status == "" {
		c.Status = vigil.CaseOpen
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if c.ID == "" {
		var next int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) + 1 FROM cases`).Scan(&next); err != nil {
			return err
		}
		c.ID = fmt.Sprintf("C-%06d", next)
	} else {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM cases WHERE id = ?`, c.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return vigil.Errorf(vigil.ECONFLICT, "case %s already exists", c.ID)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO cases (id, title, status, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
		c.ID, c.Title, string(c.Status), c.CreatedBy, c.CreatedAt.UnixMicro()); err != nil {
		return err
	}
	members := append([]string{c.CreatedBy}, c.Members...)
	for _, m := range members {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO case_members (case_id, user_name) VALUES (?, ?)`, c.ID, m); err != nil {
			return err
		}
	}
	for _, p := range c.PartyIDs {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO case_parties (case_id, party_id) VALUES (?, ?)`, c.ID, p); err != nil {
			return err
		}
	}
	if err := caseEvent(ctx, tx, c.ID, c.CreatedAt, c.CreatedBy, "created", "", string(c.Status), ""); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	got, err := s.FindCaseByID(ctx, c.ID)
	if err != nil {
		return err
	}
	*c = *got
	return nil
}

func (s *CaseService) loadLists(ctx context.Context, c *vigil.Case) error {
	load := func(q string) ([]string, error) {
		rows, err := s.db.QueryContext(ctx, q, c.ID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, rows.Err()
	}
	var err error
	if c.Members, err = load(`SELECT user_name FROM case_members WHERE case_id = ? ORDER BY user_name`); err != nil {
		return err
	}
	c.PartyIDs, err = load(`SELECT party_id FROM case_parties WHERE case_id = ? ORDER BY party_id`)
	return err
}

func scanCase(row interface{ Scan(...any) error }) (*vigil.Case, error) {
	var c vigil.Case
	var status string
	var created int64
	if err := row.Scan(&c.ID, &c.Title, &status, &c.CreatedBy, &created); err != nil {
		return nil, err
	}
	c.Status = vigil.CaseStatus(status)
	c.CreatedAt = fromMicros(created)
	return &c, nil
}

func (s *CaseService) FindCaseByID(ctx context.Context, id string) (*vigil.Case, error) {
	c, err := scanCase(s.db.QueryRowContext(ctx, `SELECT id, title, status, created_by, created_at FROM cases WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "no case %q", id)
	} else if err != nil {
		return nil, err
	}
	return c, s.loadLists(ctx, c)
}

func (s *CaseService) FindCases(ctx context.Context, f vigil.CaseFilter) ([]*vigil.Case, int, error) {
	var where []string
	var args []any
	if f.ID != nil {
		where, args = append(where, `c.id = ?`), append(args, *f.ID)
	}
	if f.Status != nil {
		where, args = append(where, `c.status = ?`), append(args, string(*f.Status))
	}
	if f.PartyID != nil {
		where, args = append(where, `c.id IN (SELECT case_id FROM case_parties WHERE party_id = ?)`), append(args, *f.PartyID)
	}
	if f.Title != nil {
		where, args = append(where, `c.title LIKE ? ESCAPE '\'`), append(args, "%"+likeEscape(*f.Title)+"%")
	}
	if f.VisibleTo != nil {
		// Members, and the supervisors of members.
		where = append(where, `c.id IN (SELECT m.case_id FROM case_members m LEFT JOIN users u ON u.name = m.user_name
			WHERE m.user_name = ? OR u.supervisor = ?)`)
		args = append(args, *f.VisibleTo, *f.VisibleTo)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM cases c`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.title, c.status, c.created_by, c.created_at FROM cases c`+cond+` ORDER BY c.seq DESC LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	var out []*vigil.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for _, c := range out {
		if err := s.loadLists(ctx, c); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

func (s *CaseService) SetCaseStatus(ctx context.Context, id string, to vigil.CaseStatus, reason, by string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return vigil.Errorf(vigil.EINVALID, "a status change needs a reason")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var from string
	if err := tx.QueryRowContext(ctx, `SELECT status FROM cases WHERE id = ?`, id).Scan(&from); errors.Is(err, sql.ErrNoRows) {
		return vigil.Errorf(vigil.ENOTFOUND, "no case %q", id)
	} else if err != nil {
		return err
	}
	if !vigil.CanTransition(vigil.CaseStatus(from), to) {
		return vigil.Errorf(vigil.EINVALID, "case %s cannot go from %s to %s", id, from, to)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE cases SET status = ? WHERE id = ?`, string(to), id); err != nil {
		return err
	}
	if err := caseEvent(ctx, tx, id, time.Now().UTC(), by, "status", from, string(to), reason); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *CaseService) exists(ctx context.Context, tx *sql.Tx, id string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM cases WHERE id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return vigil.Errorf(vigil.ENOTFOUND, "no case %q", id)
	}
	return nil
}

func (s *CaseService) AssignCase(ctx context.Context, id, user, by string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var from string
	if err := tx.QueryRowContext(ctx, `SELECT assignee FROM cases WHERE id = ?`, id).Scan(&from); errors.Is(err, sql.ErrNoRows) {
		return vigil.Errorf(vigil.ENOTFOUND, "no case %q", id)
	} else if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE cases SET assignee = ? WHERE id = ?`, user, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO case_members (case_id, user_name) VALUES (?, ?)`, id, user); err != nil {
		return err
	}
	if err := caseEvent(ctx, tx, id, time.Now().UTC(), by, "assigned", from, user, ""); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *CaseService) addLink(ctx context.Context, q, action, id, v, by string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.exists(ctx, tx, id); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, q, id, v)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		if err := caseEvent(ctx, tx, id, time.Now().UTC(), by, action, "", v, ""); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (s *CaseService) AddCaseMember(ctx context.Context, id, user, by string) error {
	return s.addLink(ctx, `INSERT OR IGNORE INTO case_members (case_id, user_name) VALUES (?, ?)`, "member", id, user, by)
}

func (s *CaseService) AddCaseParty(ctx context.Context, id, partyID, by string) error {
	return s.addLink(ctx, `INSERT OR IGNORE INTO case_parties (case_id, party_id) VALUES (?, ?)`, "party", id, partyID, by)
}

func (s *CaseService) AddEvidence(ctx context.Context, e *vigil.Evidence) error {
	if !vigil.ValidEvidenceKind(e.Kind) {
		return vigil.Errorf(vigil.EINVALID, "evidence kind %q is not one of transfer, alert, match, attribution, note, file", e.Kind)
	}
	if e.Kind != vigil.EvidenceNote && e.ObjectID == "" {
		return vigil.Errorf(vigil.EINVALID, "%s evidence needs the id of the record", e.Kind)
	}
	if e.Kind == vigil.EvidenceNote && strings.TrimSpace(e.Note) == "" {
		return vigil.Errorf(vigil.EINVALID, "a note needs text")
	}
	if e.Source == "" || e.AddedBy == "" {
		return vigil.Errorf(vigil.EINVALID, "evidence needs its provenance (source) and who added it")
	}
	if e.AddedAt.IsZero() {
		e.AddedAt = time.Now()
	}
	e.AddedAt = e.AddedAt.UTC().Truncate(time.Microsecond)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.exists(ctx, tx, e.CaseID); err != nil {
		return err
	}
	if e.Kind != vigil.EvidenceNote && e.Kind != vigil.EvidenceFile {
		var id string
		err := tx.QueryRowContext(ctx, `SELECT id FROM case_evidence WHERE case_id = ? AND kind = ? AND object_id = ?`, e.CaseID, e.Kind, e.ObjectID).Scan(&id)
		if err == nil {
			e.ID = id // already evidence: idempotent
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	var next int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) + 1 FROM case_evidence`).Scan(&next); err != nil {
		return err
	}
	if e.ID == "" {
		e.ID = fmt.Sprintf("E-%07d", next)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO case_evidence (seq, id, case_id, kind, object_id, note, source, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		next, e.ID, e.CaseID, e.Kind, e.ObjectID, e.Note, e.Source, e.AddedBy, e.AddedAt.UnixMicro()); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *CaseService) FindEvidence(ctx context.Context, caseID string) ([]*vigil.Evidence, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, case_id, kind, object_id, note, source, added_by, added_at FROM case_evidence WHERE case_id = ? ORDER BY seq`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vigil.Evidence
	for rows.Next() {
		var e vigil.Evidence
		var at int64
		if err := rows.Scan(&e.ID, &e.CaseID, &e.Kind, &e.ObjectID, &e.Note, &e.Source, &e.AddedBy, &at); err != nil {
			return nil, err
		}
		e.AddedAt = fromMicros(at)
		out = append(out, &e)
	}
	return out, rows.Err()
}

func (s *CaseService) FindCaseEvents(ctx context.Context, caseID string) ([]*vigil.CaseEvent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT case_id, at, by_user, action, from_v, to_v, reason FROM case_events WHERE case_id = ? ORDER BY seq`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vigil.CaseEvent
	for rows.Next() {
		var e vigil.CaseEvent
		var at int64
		if err := rows.Scan(&e.CaseID, &at, &e.By, &e.Action, &e.From, &e.To, &e.Reason); err != nil {
			return nil, err
		}
		e.At = fromMicros(at)
		out = append(out, &e)
	}
	return out, rows.Err()
}

func (s *CaseService) CaseAssignee(ctx context.Context, id string) (string, error) {
	var a string
	err := s.db.QueryRowContext(ctx, `SELECT assignee FROM cases WHERE id = ?`, id).Scan(&a)
	if errors.Is(err, sql.ErrNoRows) {
		return "", vigil.Errorf(vigil.ENOTFOUND, "no case %q", id)
	}
	return a, err
}

// AlertQueue implements vigil.AlertQueueService on the alerts the scan
// stored (table alerts of the core schema): the analyst's filters and
// triage decisions.
type AlertQueue struct {
	db *DB
}

var _ vigil.AlertQueueService = (*AlertQueue)(nil)

// NewAlertQueue returns an AlertQueue on db.
func NewAlertQueue(db *DB) *AlertQueue { return &AlertQueue{db: db} }

func (q *AlertQueue) QueryAlerts(ctx context.Context, f vigil.AlertQuery) ([]*vigil.Alert, int, error) {
	var where []string
	var args []any
	add := func(cond string, v ...any) { where = append(where, cond); args = append(args, v...) }
	if f.Status != nil {
		add(`status = ?`, string(*f.Status))
	}
	if f.Typology != nil {
		add(`typology = ?`, string(*f.Typology))
	}
	if f.MinScore != nil {
		add(`score >= ?`, *f.MinScore)
	}
	if f.PartyID != nil {
		add(`party_id = ?`, *f.PartyID)
	}
	if f.Indicator != nil {
		add(`EXISTS (SELECT 1 FROM json_each(alerts.hits) WHERE json_extract(json_each.value, '$.code') = ?)`, *f.Indicator)
	}
	if f.Corridor != nil {
		add(`EXISTS (SELECT 1 FROM transfers t WHERE t.sender_id = alerts.party_id AND t.beneficiary_country = ?)`, *f.Corridor)
	}
	if f.From != nil {
		add(`created_at >= ?`, f.From.UTC().Format(time.RFC3339Nano))
	}
	if f.To != nil {
		add(`created_at < ?`, f.To.UTC().Format(time.RFC3339Nano))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := q.db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM alerts`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	order := ` ORDER BY score DESC, rank, alert_id`
	switch f.Sort {
	case "", "score":
	case "date":
		order = ` ORDER BY created_at DESC, score DESC, alert_id`
	case "party":
		order = ` ORDER BY party_id, score DESC, alert_id`
	default:
		return nil, 0, vigil.Errorf(vigil.EINVALID, "sort %q is not one of score, date, party", f.Sort)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := q.db.SQL().QueryContext(ctx, `SELECT `+alertSelectCols+` FROM alerts`+cond+order+` LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*vigil.Alert
	for rows.Next() {
		a, err := scanStoredAlert(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, a)
	}
	return out, total, rows.Err()
}

func (q *AlertQueue) FindAlertByID(ctx context.Context, id string) (*vigil.Alert, error) {
	a, err := scanStoredAlert(q.db.SQL().QueryRowContext(ctx, `SELECT `+alertSelectCols+` FROM alerts WHERE alert_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "no alert %q", id)
	}
	return a, err
}

func (q *AlertQueue) TriageAlerts(ctx context.Context, t vigil.AlertTriage) error {
	t.Reason = strings.TrimSpace(t.Reason)
	if t.Reason == "" {
		return vigil.Errorf(vigil.EINVALID, "triage needs a reason")
	}
	if t.Status != vigil.AlertDismissed && t.Status != vigil.AlertEscalated {
		return vigil.Errorf(vigil.EINVALID, "triage decision %q is not dismissed or escalated", t.Status)
	}
	if len(t.AlertIDs) == 0 {
		return vigil.Errorf(vigil.EINVALID, "select at least one alert")
	}
	tx, err := q.db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, id := range t.AlertIDs {
		res, err := tx.ExecContext(ctx, `UPDATE alerts SET status = ?, reason = ? WHERE alert_id = ?`, string(t.Status), t.Reason, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return vigil.Errorf(vigil.ENOTFOUND, "no alert %q", id)
		}
	}
	return tx.Commit()
}

// Network implements vigil.NetworkService on the transfers table.
type Network struct {
	db *DB
}

var _ vigil.NetworkService = (*Network)(nil)

// NewNetwork returns a Network on db.
func NewNetwork(db *DB) *Network { return &Network{db: db} }

const edgeSelect = `SELECT sender_id, beneficiary_id, beneficiary_name, beneficiary_country, currency,
	count(*), sum(amount), min(ts_ns), max(ts_ns) FROM transfers`

func (n *Network) edges(ctx context.Context, cond string, args []any, from, to *time.Time) ([]vigil.NetworkEdge, error) {
	if from != nil {
		cond, args = cond+` AND ts_ns >= ?`, append(args, unixNano(from.Truncate(time.Second)))
	}
	if to != nil {
		cond, args = cond+` AND ts_ns < ?`, append(args, unixNano(to.Truncate(time.Second)))
	}
	rows, err := n.db.SQL().QueryContext(ctx, edgeSelect+` WHERE `+cond+
		` GROUP BY sender_id, beneficiary_id, beneficiary_name, beneficiary_country, currency ORDER BY sum(amount) DESC LIMIT 500`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigil.NetworkEdge
	for rows.Next() {
		var e vigil.NetworkEdge
		var bid string
		var total, first, last int64
		if err := rows.Scan(&e.SenderID, &bid, &e.RecipientName, &e.Country, &e.Currency, &e.Transfers, &total, &first, &last); err != nil {
			return nil, err
		}
		e.Total = vigil.Amount(total)
		e.First, e.Last = time.Unix(0, first).UTC().Truncate(time.Second), time.Unix(0, last).UTC().Truncate(time.Second)
		e.Recipient = vigil.RecipientKey(&vigil.Transfer{BeneficiaryID: bid, BeneficiaryName: e.RecipientName, BeneficiaryCountry: e.Country})
		if bid != "" && e.RecipientName == "" {
			e.RecipientName = bid
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (n *Network) SenderEdges(ctx context.Context, partyID string, from, to *time.Time) ([]vigil.NetworkEdge, error) {
	return n.edges(ctx, `sender_id = ?`, []any{partyID}, from, to)
}

func (n *Network) RecipientEdges(ctx context.Context, key string, from, to *time.Time) ([]vigil.NetworkEdge, error) {
	id, name, country, ok := vigil.ParseRecipientKey(key)
	if !ok {
		return nil, vigil.Errorf(vigil.EINVALID, "recipient %q is not a recipient key (party:ID or name:NAME|COUNTRY)", key)
	}
	if id != "" {
		// "<> ''" lets SQLite use transfers_beneficiary, which holds only
		// the transfers to known parties (migration 0005); id is not empty.
		return n.edges(ctx, `beneficiary_id = ? AND beneficiary_id <> ''`, []any{id}, from, to)
	}
	return n.edges(ctx, `beneficiary_id = '' AND beneficiary_name = ? AND beneficiary_country = ?`, []any{name, country}, from, to)
}

func (n *Network) TransferPoints(ctx context.Context, senderID string) ([]vigil.TransferPoint, error) {
	rows, err := n.db.SQL().QueryContext(ctx, `SELECT transfer_id, ts_ns, amount, currency, beneficiary_id, beneficiary_name, beneficiary_country
		FROM transfers WHERE sender_id = ? ORDER BY ts_ns, transfer_id`, senderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigil.TransferPoint
	for rows.Next() {
		var p vigil.TransferPoint
		var ns, amt int64
		if err := rows.Scan(&p.ID, &ns, &amt, &p.Currency, &p.BeneficiaryID, &p.BeneficiaryName, &p.BeneficiaryCountry); err != nil {
			return nil, err
		}
		p.Time, p.Amount = time.Unix(0, ns).UTC(), vigil.Amount(amt)
		out = append(out, p)
	}
	return out, rows.Err()
}

// RecentTransfers reads newest first, so the first page of a party with
// many transfers does not walk all of them.
func (n *Network) RecentTransfers(ctx context.Context, senderID string, offset, limit int) ([]*vigil.Transfer, error) {
	if limit <= 0 || limit > 10000 {
		limit = 200
	}
	rows, err := n.db.SQL().QueryContext(ctx, `SELECT `+transferCols+` FROM `+transferFrom+` WHERE sender_id = ?
		ORDER BY ts_ns DESC, transfer_id DESC LIMIT ? OFFSET ?`, senderID, limit, max(0, offset))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vigil.Transfer
	for rows.Next() {
		t := new(vigil.Transfer)
		if err := newTransferScanner(t).scan(rows, t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
