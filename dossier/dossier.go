// Package dossier renders a case file for a prosecutor: one self-contained
// HTML document (inline CSS and server-drawn SVG, no script, no external
// fetch) and, through headless chromium, the same document as PDF.
//
// It reads a case through the small Source interface and owns nothing in
// the store. It must not render media or describe content: only the
// payments, identities and metadata the store holds, in clinical words.
package dossier

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

// Source is what a dossier reads: the case with its history and evidence,
// the case parties, their transfers and alerts, and the indicator
// catalogue. *Store implements it on the SQLite store.
type Source interface {
	// FindCaseByID returns ENOTFOUND when there is no such case.
	FindCaseByID(ctx context.Context, id string) (*vigil.Case, error)
	// FindCaseEvents returns the case's history, oldest first.
	FindCaseEvents(ctx context.Context, caseID string) ([]*vigil.CaseEvent, error)
	// FindEvidence returns the case's evidence in the order it was added.
	FindEvidence(ctx context.Context, caseID string) ([]*vigil.Evidence, error)
	// CaseAssignee returns the current assignee, "" when none.
	CaseAssignee(ctx context.Context, id string) (string, error)
	// FindPartyByID returns ENOTFOUND when no party has the id.
	FindPartyByID(ctx context.Context, id string) (*vigil.Party, error)
	// FindTransfers returns the transfers matching filter in time order.
	FindTransfers(ctx context.Context, filter vigil.TransferFilter) ([]*vigil.Transfer, error)
	// FindAlerts returns the alerts matching filter.
	FindAlerts(ctx context.Context, filter vigil.AlertFilter) ([]*vigil.Alert, int, error)
	// FindAlertByID returns ENOTFOUND when there is no such alert.
	FindAlertByID(ctx context.Context, id string) (*vigil.Alert, error)
	// Indicator returns the catalogue entry of an indicator code.
	Indicator(code string) (vigil.Indicator, bool)
}

// Dossier is everything the case file shows, read at one moment.
type Dossier struct {
	Case     *vigil.Case
	Assignee string             // current assignee, "" when none
	Events   []*vigil.CaseEvent // status history and other changes, oldest first
	// Parties are the case parties with their KYC identity, in case order.
	Parties  []*vigil.Party
	Evidence []*vigil.Evidence // in the order it was added
	// Alerts are the case parties' alerts and any alert named as evidence,
	// highest score first.
	Alerts []*vigil.Alert
	// Indicators holds the catalogue entry (description and published
	// sources) of every indicator code that fired in Alerts.
	Indicators map[string]vigil.Indicator
	// Transfers are what the timeline, network and table show, in time
	// order: the transfers named as evidence when the case names any, else
	// every transfer the case parties sent (as the goAML export does).
	Transfers []*vigil.Transfer
	// EvidenceOnly is true when Transfers are restricted to evidence.
	EvidenceOnly bool
	// MissingTransfers lists transfer evidence ids not found among the
	// parties' transfers; they are still listed as evidence.
	MissingTransfers []string
	GeneratedAt      time.Time // set by Load (UTC)
	GeneratedBy      string    // the user who asked for the dossier; the caller sets it
}

// Load reads the case caseID and everything its dossier shows from src.
// The caller sets GeneratedBy. Errors from src are returned as they are
// (ENOTFOUND for an unknown case).
func Load(ctx context.Context, src Source, caseID string) (*Dossier, error) {
	c, err := src.FindCaseByID(ctx, caseID)
	if err != nil {
		return nil, err
	}
	d := &Dossier{Case: c, GeneratedAt: time.Now().UTC(), Indicators: map[string]vigil.Indicator{}}
	if d.Assignee, err = src.CaseAssignee(ctx, c.ID); err != nil {
		return nil, err
	}
	if d.Events, err = src.FindCaseEvents(ctx, c.ID); err != nil {
		return nil, err
	}
	if d.Evidence, err = src.FindEvidence(ctx, c.ID); err != nil {
		return nil, err
	}
	evTransfers := map[string]bool{}
	var evAlerts []string
	for _, e := range d.Evidence {
		switch e.Kind {
		case vigil.EvidenceTransfer:
			evTransfers[e.ObjectID] = true
		case vigil.EvidenceAlert:
			evAlerts = append(evAlerts, e.ObjectID)
		}
	}
	d.EvidenceOnly = len(evTransfers) > 0
	found := map[string]bool{}
	alertSeen := map[string]bool{}
	partySeen := map[string]bool{}
	for _, id := range c.PartyIDs {
		if partySeen[id] {
			continue
		}
		partySeen[id] = true
		p, err := src.FindPartyByID(ctx, id)
		if err != nil {
			return nil, err
		}
		d.Parties = append(d.Parties, p)
		ts, err := src.FindTransfers(ctx, vigil.TransferFilter{SenderID: &p.ID})
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			if !d.EvidenceOnly || evTransfers[t.ID] {
				d.Transfers = append(d.Transfers, t)
				found[t.ID] = true
			}
		}
		as, _, err := src.FindAlerts(ctx, vigil.AlertFilter{PartyID: &p.ID})
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			if !alertSeen[a.ID] {
				alertSeen[a.ID] = true
				d.Alerts = append(d.Alerts, a)
			}
		}
	}
	for _, id := range evAlerts {
		if alertSeen[id] {
			continue
		}
		alertSeen[id] = true
		a, err := src.FindAlertByID(ctx, id)
		if vigil.ErrorCode(err) == vigil.ENOTFOUND {
			continue // the evidence list still names it
		}
		if err != nil {
			return nil, err
		}
		d.Alerts = append(d.Alerts, a)
	}
	for _, e := range d.Evidence {
		if e.Kind == vigil.EvidenceTransfer && !found[e.ObjectID] {
			d.MissingTransfers = append(d.MissingTransfers, e.ObjectID)
		}
	}
	slices.SortStableFunc(d.Transfers, func(a, b *vigil.Transfer) int {
		if c := a.Timestamp.Compare(b.Timestamp); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	slices.SortStableFunc(d.Alerts, func(a, b *vigil.Alert) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	for _, a := range d.Alerts {
		for _, h := range a.Hits {
			if _, ok := d.Indicators[h.Code]; ok {
				continue
			}
			if ind, ok := src.Indicator(h.Code); ok {
				d.Indicators[h.Code] = ind
			}
		}
	}
	return d, nil
}
