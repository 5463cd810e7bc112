package vigil

import (
	"context"
	"time"
)

// AlertStatus is where an alert stands in triage.
type AlertStatus string

const (
	AlertNew       AlertStatus = "new"
	AlertDismissed AlertStatus = "dismissed"
	AlertEscalated AlertStatus = "escalated" // turned into or added to a case
)

// Alert is a scored sender: the output of a scan. Score is in [0,1]; Hits
// explain it completely (the log-odds of the score is the pack's intercept
// plus the sum of the contributions).
type Alert struct {
	ID        string      `json:"alert_id,omitempty"`
	PartyID   string      `json:"party_id"`
	Score     float64     `json:"score"`
	Rank      int         `json:"rank"`
	Typology  Typology    `json:"typology"`
	Hits      []Hit       `json:"indicators"`
	RulePack  string      `json:"rule_pack,omitempty"` // name and version of the pack that scored it
	CreatedAt time.Time   `json:"created_at,omitzero"`
	Status    AlertStatus `json:"status,omitempty"`
	Reason    string      `json:"reason,omitempty"` // why it was dismissed or escalated
}

// AlertFilter selects alerts. Nil fields are not filtered on.
type AlertFilter struct {
	PartyID  *string
	Status   *AlertStatus
	Typology *Typology
	MinScore *float64
	Offset   int
	Limit    int
}

// AlertService stores and triages alerts.
type AlertService interface {
	// ReplaceAlerts stores the alerts of a scan, replacing the untriaged
	// alerts of earlier scans; triaged alerts are kept.
	ReplaceAlerts(ctx context.Context, alerts []*Alert) error
	FindAlerts(ctx context.Context, filter AlertFilter) ([]*Alert, int, error)
}
