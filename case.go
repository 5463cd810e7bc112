package vigil

import "time"

// CaseStatus is a case's place in its workflow:
// open → investigating → referred → closed.
type CaseStatus string

const (
	CaseOpen          CaseStatus = "open"
	CaseInvestigating CaseStatus = "investigating"
	CaseReferred      CaseStatus = "referred"
	CaseClosed        CaseStatus = "closed"
)

// Case gathers evidence about one or more parties for referral.
type Case struct {
	ID        string     `json:"case_id"`
	Title     string     `json:"title"`
	Status    CaseStatus `json:"status"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	Members   []string   `json:"members,omitempty"` // user names with need-to-know
	PartyIDs  []string   `json:"party_ids,omitempty"`
}

// Evidence is one item in a case, with its provenance: what it is, where it
// came from, who added it and when.
type Evidence struct {
	ID       string    `json:"evidence_id"`
	CaseID   string    `json:"case_id"`
	Kind     string    `json:"kind"`      // transfer, alert, match, attribution, note, file
	ObjectID string    `json:"object_id"` // id of the transfer, alert… it refers to
	Note     string    `json:"note,omitempty"`
	Source   string    `json:"source"` // provenance of the underlying record
	AddedBy  string    `json:"added_by"`
	AddedAt  time.Time `json:"added_at"`
}
