package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

func TestCaseService(t *testing.T) {
	ctx := context.Background()
	db := openWorkspaceStore(t)
	us := sqlite.NewUserService(db)
	for _, u := range []*vigil.User{
		{Name: "sue", Role: vigil.RoleSupervisor, PasswordHash: "h"},
		{Name: "ivan", Role: vigil.RoleInvestigator, Supervisor: "sue", PasswordHash: "h"},
		{Name: "ines", Role: vigil.RoleInvestigator, PasswordHash: "h"},
	} {
		if err := us.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	s := sqlite.NewCaseService(db)
	c := &vigil.Case{Title: "  Payments to Cebu  ", CreatedBy: "ivan", PartyIDs: []string{"P1"}}
	if err := s.CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	if c.ID != "C-000001" || c.Status != vigil.CaseOpen || c.Title != "Payments to Cebu" || len(c.Members) != 1 {
		t.Fatalf("created: %+v", c)
	}
	if err := s.CreateCase(ctx, &vigil.Case{Title: " ", CreatedBy: "ivan"}); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("empty title: %v", err)
	}
	// Need-to-know: the member and the member's supervisor, nobody else.
	for user, want := range map[string]int{"ivan": 1, "sue": 1, "ines": 0} {
		_, n, err := s.FindCases(ctx, vigil.CaseFilter{VisibleTo: ptrTo(user)})
		if err != nil || n != want {
			t.Fatalf("visible to %s: %d, %v", user, n, err)
		}
	}
	// Workflow.
	if err := s.SetCaseStatus(ctx, c.ID, vigil.CaseReferred, "skip", "sue"); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("open → referred allowed: %v", err)
	}
	if err := s.SetCaseStatus(ctx, c.ID, vigil.CaseInvestigating, "", "ivan"); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("no reason allowed: %v", err)
	}
	if err := s.SetCaseStatus(ctx, c.ID, vigil.CaseInvestigating, "pattern confirmed", "ivan"); err != nil {
		t.Fatal(err)
	}
	if err := s.AssignCase(ctx, c.ID, "ines", "sue"); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.CaseAssignee(ctx, c.ID); a != "ines" {
		t.Fatalf("assignee %q", a)
	}
	if _, n, _ := s.FindCases(ctx, vigil.CaseFilter{VisibleTo: ptrTo("ines")}); n != 1 {
		t.Fatal("assignee cannot see the case")
	}
	// Evidence is idempotent per record; notes repeat.
	for range 2 {
		e := &vigil.Evidence{CaseID: c.ID, Kind: vigil.EvidenceTransfer, ObjectID: "T1", Source: "transfers.csv:2", AddedBy: "ivan"}
		if err := s.AddEvidence(ctx, e); err != nil || e.ID != "E-0000001" {
			t.Fatalf("evidence: %+v %v", e, err)
		}
	}
	if err := s.AddEvidence(ctx, &vigil.Evidence{CaseID: c.ID, Kind: vigil.EvidenceNote, Note: "called provider", Source: "investigator", AddedBy: "ivan", AddedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddEvidence(ctx, &vigil.Evidence{CaseID: c.ID, Kind: "photo", ObjectID: "x", Source: "s", AddedBy: "ivan"}); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("bad kind: %v", err)
	}
	if err := s.AddEvidence(ctx, &vigil.Evidence{CaseID: "C-9", Kind: vigil.EvidenceNote, Note: "n", Source: "s", AddedBy: "ivan"}); vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Fatalf("missing case: %v", err)
	}
	ev, err := s.FindEvidence(ctx, c.ID)
	if err != nil || len(ev) != 2 || ev[1].Note != "called provider" {
		t.Fatalf("evidence list: %v %v", ev, err)
	}
	hist, err := s.FindCaseEvents(ctx, c.ID)
	if err != nil || len(hist) != 3 || hist[1].Reason != "pattern confirmed" || hist[2].To != "ines" {
		t.Fatalf("history: %v %v", hist, err)
	}
}

func TestAlertQueueAndNetwork(t *testing.T) {
	ctx := context.Background()
	db := openWorkspaceStore(t)
	l, err := db.BeginLoad(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"P1", "P2"} {
		if err := l.AddParty(&vigil.Party{ID: id, Kind: vigil.PartyPerson, FullName: "Person " + id}); err != nil {
			t.Fatal(err)
		}
	}
	base := time.Date(2026, 3, 1, 23, 0, 0, 0, time.UTC)
	for i, tr := range []vigil.Transfer{
		{SenderID: "P1", BeneficiaryName: "Maria Santos", BeneficiaryCountry: "PH", Amount: vigil.NewAmount(50, 0)},
		{SenderID: "P1", BeneficiaryName: "Maria Santos", BeneficiaryCountry: "PH", Amount: vigil.NewAmount(30, 0)},
		{SenderID: "P2", BeneficiaryName: "Maria Santos", BeneficiaryCountry: "PH", Amount: vigil.NewAmount(20, 0)},
		{SenderID: "P2", BeneficiaryName: "John Doe", BeneficiaryCountry: "GB", Amount: vigil.NewAmount(99, 0)},
	} {
		tr.ID = "T" + string(rune('1'+i))
		tr.Timestamp = base.Add(time.Duration(i) * time.Hour)
		tr.Currency = "EUR"
		if err := l.AddTransfer(&tr); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Commit([]byte("{}")); err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceAlerts(ctx, []*vigil.Alert{
		{ID: "A1", PartyID: "P1", Score: 0.9, Typology: vigil.TypologyLiveStreaming, Hits: []vigil.Hit{{Code: "LSC-CORRIDOR", TransferIDs: []string{"T1"}}}},
		{ID: "A2", PartyID: "P2", Score: 0.4, Typology: vigil.TypologyRomanceScam, Hits: []vigil.Hit{{Code: "RS-ROMANCE"}}},
	}); err != nil {
		t.Fatal(err)
	}
	q := sqlite.NewAlertQueue(db)
	check := func(aq vigil.AlertQuery, want ...string) {
		t.Helper()
		as, n, err := q.QueryAlerts(ctx, aq)
		if err != nil || n != len(want) || len(as) != len(want) {
			t.Fatalf("query %+v: %v %d %v", aq, as, n, err)
		}
		for i := range want {
			if as[i].ID != want[i] {
				t.Fatalf("query %+v: got %s at %d, want %s", aq, as[i].ID, i, want[i])
			}
		}
	}
	check(vigil.AlertQuery{}, "A1", "A2")
	check(vigil.AlertQuery{Indicator: ptrTo("LSC-CORRIDOR")}, "A1")
	check(vigil.AlertQuery{Corridor: ptrTo("GB")}, "A2")
	check(vigil.AlertQuery{Corridor: ptrTo("PH")}, "A1", "A2")
	check(vigil.AlertQuery{MinScore: ptrTo(0.5)}, "A1")
	check(vigil.AlertQuery{Sort: "party"}, "A1", "A2")
	check(vigil.AlertQuery{Indicator: ptrTo("' OR 1=1 --")})
	if _, _, err := q.QueryAlerts(ctx, vigil.AlertQuery{Sort: "score; DROP TABLE alerts"}); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("bad sort: %v", err)
	}
	if err := q.TriageAlerts(ctx, vigil.AlertTriage{AlertIDs: []string{"A2"}, Status: vigil.AlertDismissed}); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("triage without reason: %v", err)
	}
	if err := q.TriageAlerts(ctx, vigil.AlertTriage{AlertIDs: []string{"A2", "nope"}, Status: vigil.AlertDismissed, Reason: "family"}); vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Fatalf("triage unknown: %v", err)
	}
	if a, _ := q.FindAlertByID(ctx, "A2"); a.Status != vigil.AlertNew {
		t.Fatalf("partial triage applied: %+v", a)
	}
	if err := q.TriageAlerts(ctx, vigil.AlertTriage{AlertIDs: []string{"A2"}, Status: vigil.AlertDismissed, Reason: "family"}); err != nil {
		t.Fatal(err)
	}
	check(vigil.AlertQuery{Status: ptrTo(vigil.AlertNew)}, "A1")

	n := sqlite.NewNetwork(db)
	edges, err := n.SenderEdges(ctx, "P1", nil, nil)
	if err != nil || len(edges) != 1 || edges[0].Transfers != 2 || edges[0].Total != vigil.NewAmount(80, 0) {
		t.Fatalf("sender edges: %+v %v", edges, err)
	}
	in, err := n.RecipientEdges(ctx, edges[0].Recipient, nil, nil)
	if err != nil || len(in) != 2 {
		t.Fatalf("recipient edges of %s: %+v %v", edges[0].Recipient, in, err)
	}
	if _, err := n.RecipientEdges(ctx, "bogus", nil, nil); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("bad key: %v", err)
	}
}

func TestTransferPointsAndRecent(t *testing.T) {
	ctx := context.Background()
	db := openWorkspaceStore(t)
	l, _ := db.BeginLoad(ctx)
	l.AddParty(&vigil.Party{ID: "P1", Kind: vigil.PartyPerson, FullName: "P One"})
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 7 {
		tr := vigil.Transfer{ID: "T" + string(rune('a'+i)), Timestamp: base.Add(time.Duration(i) * time.Hour), SenderID: "P1",
			BeneficiaryName: "X", BeneficiaryCountry: "PH", Amount: vigil.NewAmount(int64(i+1), 0), Currency: "EUR"}
		if err := l.AddTransfer(&tr); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Commit(nil); err != nil {
		t.Fatal(err)
	}
	n := sqlite.NewNetwork(db)
	pts, err := n.TransferPoints(ctx, "P1")
	if err != nil || len(pts) != 7 || pts[0].ID != "Ta" || pts[6].Amount != vigil.NewAmount(7, 0) || !pts[3].Time.Equal(base.Add(3*time.Hour)) {
		t.Fatalf("points: %+v %v", pts, err)
	}
	page, err := n.RecentTransfers(ctx, "P1", 2, 3)
	if err != nil || len(page) != 3 || page[0].ID != "Te" || page[2].ID != "Tc" {
		t.Fatalf("recent: %v %v", page, err)
	}
}
