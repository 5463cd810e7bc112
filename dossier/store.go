package dossier

import (
	"context"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/detect"
	"github.com/vigilfiu/vigil/sqlite"
)

// Store is the Source on the SQLite store: cases through sqlite.CaseService,
// alerts through sqlite.AlertQueue, parties and transfers through the DB,
// and the indicator catalogue shipped with detect.
type Store struct {
	db        *sqlite.DB
	cases     *sqlite.CaseService
	queue     *sqlite.AlertQueue
	catalogue map[string]vigil.Indicator
}

var _ Source = (*Store)(nil)

// NewStore returns a Source reading db. An unreadable embedded catalogue
// leaves the indicators without descriptions rather than failing the
// dossier; the codes and details still show.
func NewStore(db *sqlite.DB) *Store {
	return &Store{db: db, cases: sqlite.NewCaseService(db), queue: sqlite.NewAlertQueue(db), catalogue: Catalogue()}
}

func (s *Store) FindCaseByID(ctx context.Context, id string) (*vigil.Case, error) {
	return s.cases.FindCaseByID(ctx, id)
}

func (s *Store) FindCaseEvents(ctx context.Context, caseID string) ([]*vigil.CaseEvent, error) {
	return s.cases.FindCaseEvents(ctx, caseID)
}

func (s *Store) FindEvidence(ctx context.Context, caseID string) ([]*vigil.Evidence, error) {
	return s.cases.FindEvidence(ctx, caseID)
}

func (s *Store) CaseAssignee(ctx context.Context, id string) (string, error) {
	return s.cases.CaseAssignee(ctx, id)
}

func (s *Store) FindPartyByID(ctx context.Context, id string) (*vigil.Party, error) {
	return s.db.FindPartyByID(ctx, id)
}

func (s *Store) FindTransfers(ctx context.Context, f vigil.TransferFilter) ([]*vigil.Transfer, error) {
	return s.db.FindTransfers(ctx, f)
}

func (s *Store) FindAlerts(ctx context.Context, f vigil.AlertFilter) ([]*vigil.Alert, int, error) {
	return s.db.FindAlerts(ctx, f)
}

func (s *Store) FindAlertByID(ctx context.Context, id string) (*vigil.Alert, error) {
	return s.queue.FindAlertByID(ctx, id)
}

func (s *Store) Indicator(code string) (vigil.Indicator, bool) {
	ind, ok := s.catalogue[code]
	return ind, ok
}

// Services is the Source made of the root service interfaces, for callers
// that hold services rather than the store (the HTTP server). Catalogue
// may be nil: indicators then show without names and sources.
type Services struct {
	Cases     vigil.CaseService
	Parties   vigil.PartyService
	Transfers vigil.TransferService
	Alerts    vigil.AlertService
	Queue     vigil.AlertQueueService
	Catalogue map[string]vigil.Indicator
}

var _ Source = Services{}

func (s Services) FindCaseByID(ctx context.Context, id string) (*vigil.Case, error) {
	return s.Cases.FindCaseByID(ctx, id)
}

func (s Services) FindCaseEvents(ctx context.Context, caseID string) ([]*vigil.CaseEvent, error) {
	return s.Cases.FindCaseEvents(ctx, caseID)
}

func (s Services) FindEvidence(ctx context.Context, caseID string) ([]*vigil.Evidence, error) {
	return s.Cases.FindEvidence(ctx, caseID)
}

func (s Services) CaseAssignee(ctx context.Context, id string) (string, error) {
	return s.Cases.CaseAssignee(ctx, id)
}

func (s Services) FindPartyByID(ctx context.Context, id string) (*vigil.Party, error) {
	return s.Parties.FindPartyByID(ctx, id)
}

func (s Services) FindTransfers(ctx context.Context, f vigil.TransferFilter) ([]*vigil.Transfer, error) {
	return s.Transfers.FindTransfers(ctx, f)
}

func (s Services) FindAlerts(ctx context.Context, f vigil.AlertFilter) ([]*vigil.Alert, int, error) {
	return s.Alerts.FindAlerts(ctx, f)
}

func (s Services) FindAlertByID(ctx context.Context, id string) (*vigil.Alert, error) {
	return s.Queue.FindAlertByID(ctx, id)
}

func (s Services) Indicator(code string) (vigil.Indicator, bool) {
	ind, ok := s.Catalogue[code]
	return ind, ok
}

// Catalogue returns the indicator catalogue shipped with vigil by code, for
// Services.Catalogue; empty when the embedded catalogue cannot be read.
func Catalogue() map[string]vigil.Indicator {
	m := map[string]vigil.Indicator{}
	if defs, err := detect.Catalogue(); err == nil {
		for _, d := range defs {
			m[d.Code] = d.Indicator
		}
	}
	return m
}
