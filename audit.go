package vigil

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"
)

// Audit actions: every sign-in, every view of a party or case, every export
// and every change is recorded with one of these.
const (
	AuditSignIn        = "sign_in"
	AuditSignInFailed  = "sign_in_failed"
	AuditSignOut       = "sign_out"
	AuditLockedOut     = "locked_out"
	AuditViewParty     = "view_party"
	AuditViewCase      = "view_case"
	AuditViewAlerts    = "view_alerts"
	AuditSearch        = "search"
	AuditExport        = "export"
	AuditTriageAlert   = "triage_alert"
	AuditCreateCase    = "create_case"
	AuditUpdateCase    = "update_case"
	AuditAddEvidence   = "add_evidence"
	AuditAssignCase    = "assign_case"
	AuditScoreTransfer = "score_transfer"
	AuditUserChange    = "user_change"
	AuditDenied        = "denied"
)

// AuditGenesis is the previous hash of the first entry of the log.
const AuditGenesis = "0000000000000000000000000000000000000000000000000000000000000000"

// AuditEvent is one entry of the append-only, hash-chained audit log. Hash
// is the SHA-256 of the previous entry's hash and this entry's canonical
// form, so changing, removing or reordering any entry breaks every later
// link. Seq, PrevHash and Hash are assigned by the AuditService.
type AuditEvent struct {
	Seq        int64     `json:"seq"`         // 1, 2, 3 … without gaps
	Time       time.Time `json:"time"`        // UTC, microsecond precision
	User       string    `json:"user"`        // user name, or "" for an anonymous attempt
	Action     string    `json:"action"`      // one of the Audit* constants
	ObjectType string    `json:"object_type"` // party, case, alert, user, transfer… or ""
	ObjectID   string    `json:"object_id"`
	Purpose    string    `json:"purpose"`          // why the user looked or acted, as they stated it
	Detail     string    `json:"detail,omitempty"` // what changed, in words
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// Canonical returns the bytes the hash covers: a JSON array of the fields in
// a fixed order, so that the same entry always hashes the same.
func (e *AuditEvent) Canonical() []byte {
	b, _ := json.Marshal([]string{
		strconv.FormatInt(e.Seq, 10),
		e.Time.UTC().Format(time.RFC3339Nano),
		e.User, e.Action, e.ObjectType, e.ObjectID, e.Purpose, e.Detail,
	})
	return b
}

// ComputeHash returns the hex SHA-256 of PrevHash, a newline and Canonical.
func (e *AuditEvent) ComputeHash() string {
	h := sha256.New()
	h.Write([]byte(e.PrevHash))
	h.Write([]byte{'\n'})
	h.Write(e.Canonical())
	return hex.EncodeToString(h.Sum(nil))
}

// AuditFilter selects audit entries. Nil fields are not filtered on.
type AuditFilter struct {
	User       *string
	Action     *string
	ObjectType *string
	ObjectID   *string
	Text       *string // substring of purpose or detail
	From, To   *time.Time
	Offset     int
	Limit      int
}

// AuditService keeps the audit log. Entries are only ever appended.
type AuditService interface {
	// RecordAudit appends e, assigning Seq, PrevHash and Hash (and Time
	// when zero) atomically.
	RecordAudit(ctx context.Context, e *AuditEvent) error
	// FindAuditEvents returns matching entries, newest first, and the total.
	FindAuditEvents(ctx context.Context, filter AuditFilter) ([]*AuditEvent, int, error)
	// EachAuditEvent calls fn for every entry in storage order (by Seq).
	EachAuditEvent(ctx context.Context, fn func(*AuditEvent) error) error
}

// AuditVerification is the result of checking the chain.
type AuditVerification struct {
	Entries  int64    `json:"entries"`
	HeadHash string   `json:"head_hash"` // hash of the last entry; keep it outside the store to detect truncation
	OK       bool     `json:"ok"`
	Problems []string `json:"problems,omitempty"`
}

// VerifyAudit walks the whole log and reports every broken link: an edited
// entry (its hash no longer matches its content), a deleted entry (a gap in
// Seq and a link to a hash that is not its predecessor's) and reordered
// entries (Seq out of order, broken links). When expectHead is not empty
// the last hash must equal it, which detects removal of the newest entries.
func VerifyAudit(ctx context.Context, s AuditService, expectHead string) (*AuditVerification, error) {
	v := &AuditVerification{HeadHash: AuditGenesis}
	prev, prevSeq := AuditGenesis, int64(0)
	err := s.EachAuditEvent(ctx, func(e *AuditEvent) error {
		v.Entries++
		if len(v.Problems) >= 100 {
			return nil
		}
		switch {
		case e.Seq <= prevSeq:
			v.Problems = append(v.Problems, "entry "+strconv.FormatInt(e.Seq, 10)+": out of order after entry "+strconv.FormatInt(prevSeq, 10)+" (reordered)")
		case e.Seq != prevSeq+1:
			v.Problems = append(v.Problems, "entries "+strconv.FormatInt(prevSeq+1, 10)+"-"+strconv.FormatInt(e.Seq-1, 10)+": missing (deleted)")
		}
		if e.PrevHash != prev {
			v.Problems = append(v.Problems, "entry "+strconv.FormatInt(e.Seq, 10)+": does not link to the entry before it (an entry was deleted, inserted or moved)")
		}
		if e.ComputeHash() != e.Hash {
			v.Problems = append(v.Problems, "entry "+strconv.FormatInt(e.Seq, 10)+": content does not match its hash (edited)")
		}
		prev, prevSeq = e.Hash, e.Seq
		return nil
	})
	if err != nil {
		return nil, err
	}
	v.HeadHash = prev
	if expectHead != "" && expectHead != prev {
		v.Problems = append(v.Problems, "head hash "+prev+" is not the expected "+expectHead+" (newest entries removed or log replaced)")
	}
	v.OK = len(v.Problems) == 0
	return v, nil
}
