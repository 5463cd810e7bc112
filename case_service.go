package vigil

import (
	"context"
	"time"
)

// Evidence kinds.
const (
	EvidenceTransfer    = "transfer"
	EvidenceAlert       = "alert"
	EvidenceMatch       = "match"
	EvidenceAttribution = "attribution"
	EvidenceNote        = "note"
	EvidenceFile        = "file"
)

// ValidEvidenceKind reports whether k is a known evidence kind.
func ValidEvidenceKind(k string) bool {
	switch k {
	case EvidenceTransfer, EvidenceAlert, EvidenceMatch, EvidenceAttribution, EvidenceNote, EvidenceFile:
		return true
	}
	return false
}

// CaseTransitions lists the status changes the workflow allows. Every
// change needs a reason; referring and closing are for supervisors.
var CaseTransitions = map[CaseStatus][]CaseStatus{
	CaseOpen:          {CaseInvestigating, CaseClosed},
	CaseInvestigating: {CaseReferred, CaseClosed},
	CaseReferred:      {CaseClosed, CaseInvestigating},
	CaseClosed:        {CaseInvestigating},
}

// CanTransition reports whether the workflow allows from → to.
func CanTransition(from, to CaseStatus) bool {
	for _, s := range CaseTransitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// CaseEvent is one entry of a case's history: a status change, an
// assignment, a member or party added. Reason is required for status changes.
type CaseEvent struct {
	CaseID string    `json:"case_id"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Action string    `json:"action"` // created, status, assigned, member, party
	From   string    `json:"from,omitempty"`
	To     string    `json:"to,omitempty"`
	Reason string    `json:"reason,omitempty"`
}

// CaseFilter selects cases. Nil fields are not filtered on. VisibleTo, when
// set, keeps only the cases that user has need-to-know of: those the user is
// a member of and those a member of which the user supervises.
type CaseFilter struct {
	ID        *string
	Status    *CaseStatus
	PartyID   *string
	VisibleTo *string
	Title     *string // substring, case-insensitive
	Offset    int
	Limit     int
}

// CaseService stores cases, their evidence and their history. Callers check
// roles and need-to-know before calling; the service checks the workflow.
type CaseService interface {
	// CreateCase assigns ID and CreatedAt when empty, stores the case with
	// its members and parties and records a "created" event.
	CreateCase(ctx context.Context, c *Case) error
	// FindCaseByID returns ENOTFOUND when there is no such case.
	FindCaseByID(ctx context.Context, id string) (*Case, error)
	// FindCases returns matching cases, newest first, and the total.
	FindCases(ctx context.Context, filter CaseFilter) ([]*Case, int, error)
	// SetCaseStatus moves a case along the workflow; EINVALID when the
	// transition is not allowed or the reason is empty.
	SetCaseStatus(ctx context.Context, id string, to CaseStatus, reason, by string) error
	// AssignCase makes user the case's assignee (and a member).
	AssignCase(ctx context.Context, id, user, by string) error
	// AddCaseMember gives user need-to-know of the case.
	AddCaseMember(ctx context.Context, id, user, by string) error
	// AddCaseParty links a party to the case.
	AddCaseParty(ctx context.Context, id, partyID, by string) error
	// AddEvidence assigns ID and AddedAt when empty; idempotent by
	// (case, kind, object) for records, so adding a transfer twice is one item.
	AddEvidence(ctx context.Context, e *Evidence) error
	// FindEvidence returns a case's evidence in the order it was added.
	FindEvidence(ctx context.Context, caseID string) ([]*Evidence, error)
	// FindCaseEvents returns a case's history, oldest first.
	FindCaseEvents(ctx context.Context, caseID string) ([]*CaseEvent, error)
	// CaseAssignee returns the current assignee, "" when none.
	CaseAssignee(ctx context.Context, id string) (string, error)
}

// AlertTriage is a decision on one or more alerts by an analyst.
type AlertTriage struct {
	AlertIDs []string
	Status   AlertStatus // dismissed or escalated
	Reason   string      // required
	By       string
	At       time.Time
}

// AlertQuery selects alerts for the queue with the filters an analyst
// uses. Nil fields are not filtered on.
type AlertQuery struct {
	Status    *AlertStatus
	Typology  *Typology
	Indicator *string // an indicator code that must have fired
	Corridor  *string // a beneficiary country the party sent to
	MinScore  *float64
	From, To  *time.Time // alert creation time
	PartyID   *string
	Sort      string // "score" (default, descending), "date", "party"
	Offset    int
	Limit     int
}

// AlertQueueService is what the alert queue needs beyond AlertService.
type AlertQueueService interface {
	// QueryAlerts returns the alerts matching q and the total.
	QueryAlerts(ctx context.Context, q AlertQuery) ([]*Alert, int, error)
	// FindAlertByID returns ENOTFOUND when there is no such alert.
	FindAlertByID(ctx context.Context, id string) (*Alert, error)
	// TriageAlerts records a decision on every listed alert atomically;
	// EINVALID without a reason, ENOTFOUND when an id is unknown.
	TriageAlerts(ctx context.Context, t AlertTriage) error
}
