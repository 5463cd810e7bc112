package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
)

func TestPartyService(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "v.db"))
	loadWorld(t, db, 25, 0, nil)

	p, err := db.FindPartyByID(ctx, "P0003")
	if err != nil {
		t.Fatal(err)
	}
	if want := party(3); *p != *want {
		t.Fatalf("FindPartyByID = %+v, want %+v", p, want)
	}
	if _, err := db.FindPartyByID(ctx, "nope"); vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Fatalf("missing party: %v", err)
	}
	ps, total, err := db.FindParties(ctx, vigil.PartyFilter{Name: ptr("PERSON 1"), Limit: 3, Offset: 1})
	if err != nil {
		t.Fatal(err)
	}
	// "person 1" matches Person 1 and Person 10–19: 11 parties.
	if total != 11 || len(ps) != 3 || ps[0].ID != "P0010" || ps[2].ID != "P0012" {
		t.Fatalf("FindParties = %d total, %v", total, ps)
	}
	ps, total, _ = db.FindParties(ctx, vigil.PartyFilter{ID: ptr("P0024")})
	if total != 1 || len(ps) != 1 || ps[0].FullName != "Person 24" {
		t.Fatalf("FindParties by id = %d, %v", total, ps)
	}
}

func TestTransferService(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "v.db"))
	loadWorld(t, db, 5, 0, nil)
	l, _ := db.BeginLoad(ctx)
	// Same instant written with different offsets, and sub-second times:
	// the order is by instant, then by id.
	utc := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	in := []*vigil.Transfer{
		{ID: "c", Timestamp: utc.In(time.FixedZone("", 8*3600))},
		{ID: "a", Timestamp: utc.Add(time.Second)},
		{ID: "b", Timestamp: utc.In(time.FixedZone("", -5*3600))},
		{ID: "d", Timestamp: utc.Add(500 * time.Millisecond)},
		{ID: "e", Timestamp: utc.Add(-time.Hour), SenderID: "P0001"},
	}
	for _, tr := range in {
		if tr.SenderID == "" {
			tr.SenderID = "P0000"
		}
		tr.BeneficiaryID, tr.BeneficiaryCountry, tr.Amount, tr.Currency = "P0004", "PH", vigil.NewAmount(0, 1), "EUR"
		tr.BeneficiaryBirthDate = vigil.Date{Year: 2001}
		if err := l.AddTransfer(tr); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Commit(nil); err != nil {
		t.Fatal(err)
	}
	var order []string
	err := db.EachTransfer(ctx, func(tr *vigil.Transfer) error {
		order = append(order, tr.ID)
		for _, x := range in {
			if x.ID == tr.ID && (!x.Timestamp.Equal(tr.Timestamp) || x.Timestamp.Format(time.RFC3339Nano) != tr.Timestamp.Format(time.RFC3339Nano) ||
				x.Amount != tr.Amount || x.BeneficiaryBirthDate != tr.BeneficiaryBirthDate || x.BeneficiaryID != tr.BeneficiaryID) {
				t.Errorf("round trip of %s: got %+v, want %+v", x.ID, tr, x)
			}
		}
		return nil
	})
	if err != nil || !slices.Equal(order, []string{"e", "b", "c", "d", "a"}) {
		t.Fatalf("EachTransfer order %v, %v", order, err)
	}
	// EachTransfer streams through the time index; a sort would hold the
	// whole table.
	rows, err := db.SQL().Query(`EXPLAIN QUERY PLAN SELECT transfer_id, ls.name FROM transfers
		LEFT JOIN load_sources ls ON ls.source_id = transfers.source_id ORDER BY ts_ns, transfer_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a, b, c int
		var detail string
		rows.Scan(&a, &b, &c, &detail)
		switch detail {
		case "SCAN transfers USING INDEX transfers_time", "SCAN transfers USING COVERING INDEX transfers_time",
			"SEARCH ls USING INTEGER PRIMARY KEY (rowid=?)", "SEARCH ls USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN":
		default:
			t.Errorf("EachTransfer plan: %q", detail)
		}
	}
	rows.Close()
	stop := errors.New("stop")
	n := 0
	if err := db.EachTransfer(ctx, func(*vigil.Transfer) error { n++; return stop }); err != stop || n != 1 {
		t.Fatalf("EachTransfer did not stop at fn's error: %v after %d", err, n)
	}

	from, to := utc, utc.Add(time.Second)
	ts, err := db.FindTransfers(ctx, vigil.TransferFilter{SenderID: ptr("P0000"), From: &from, To: &to})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tr := range ts {
		ids = append(ids, tr.ID)
	}
	if !slices.Equal(ids, []string{"b", "c", "d"}) {
		t.Fatalf("FindTransfers [from, to) = %v", ids)
	}
	ts, _ = db.FindTransfers(ctx, vigil.TransferFilter{Offset: 1, Limit: 2})
	if len(ts) != 2 || ts[0].ID != "b" || ts[1].ID != "c" {
		t.Fatalf("FindTransfers page = %v", ts)
	}
	if n, _ := db.CountTransfers(ctx); n != 5 {
		t.Fatalf("CountTransfers = %d", n)
	}
}

func TestAlertService(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, filepath.Join(t.TempDir(), "v.db"))
	db.Now = func() time.Time { return time.Date(2026, 11, 29, 3, 0, 0, 0, time.UTC) }
	scan1 := []*vigil.Alert{
		{PartyID: "P1", Score: 0.91, Rank: 1, Typology: vigil.TypologyLiveStreaming, RulePack: "default@1",
			Hits: []vigil.Hit{{Code: "LSC-CORRIDOR", Contribution: 1.5, Detail: "12 transfers to PH", TransferIDs: []string{"T1", "T2"}}}},
		{PartyID: "P2", Score: 0.40, Rank: 2, Typology: vigil.TypologyRomanceScam},
		{PartyID: "P3", Score: 0.10, Rank: 3, Typology: vigil.TypologyNone},
	}
	if err := db.ReplaceAlerts(ctx, scan1); err != nil {
		t.Fatal(err)
	}
	if scan1[0].ID == "" || scan1[0].Status != vigil.AlertNew || !scan1[0].CreatedAt.Equal(db.Now()) {
		t.Fatalf("defaults not set: %+v", scan1[0])
	}
	got, total, err := db.FindAlerts(ctx, vigil.AlertFilter{MinScore: ptr(0.3)})
	if err != nil || total != 2 || len(got) != 2 || got[0].PartyID != "P1" || got[1].PartyID != "P2" {
		t.Fatalf("FindAlerts min score: %d %v %v", total, got, err)
	}
	if h := got[0].Hits; len(h) != 1 || h[0].Detail != "12 transfers to PH" || !slices.Equal(h[0].TransferIDs, []string{"T1", "T2"}) {
		t.Fatalf("hits did not round-trip: %+v", h)
	}
	if got[1].Hits == nil || len(got[1].Hits) != 0 {
		t.Fatalf("no hits should read back as empty, got %#v", got[1].Hits)
	}
	// Triage P2 outside the service (the http package's job), then scan again.
	if _, err := db.SQL().Exec(`UPDATE alerts SET status = 'dismissed', reason = 'family' WHERE party_id = 'P2'`); err != nil {
		t.Fatal(err)
	}
	scan2 := []*vigil.Alert{{PartyID: "P2", Score: 0.5, Rank: 1, Typology: vigil.TypologyRomanceScam}}
	if err := db.ReplaceAlerts(ctx, scan2); err != nil {
		t.Fatal(err)
	}
	got, total, _ = db.FindAlerts(ctx, vigil.AlertFilter{})
	if total != 2 || got[0].ID != scan2[0].ID || got[1].Status != vigil.AlertDismissed || got[1].Reason != "family" {
		t.Fatalf("after second scan: %d %+v", total, got)
	}
	got, total, _ = db.FindAlerts(ctx, vigil.AlertFilter{PartyID: ptr("P2"), Status: ptr(vigil.AlertNew), Typology: ptr(vigil.TypologyRomanceScam)})
	if total != 1 || got[0].Score != 0.5 {
		t.Fatalf("filtered: %d %+v", total, got)
	}
	// Re-using the id of a kept alert is a conflict and changes nothing.
	err = db.ReplaceAlerts(ctx, []*vigil.Alert{{ID: got[0].ID}, {ID: scan1[1].ID, PartyID: "P9", Score: 1}})
	if vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("alert without party: %v", err)
	}
	err = db.ReplaceAlerts(ctx, []*vigil.Alert{{ID: scan1[1].ID, PartyID: "P9", Score: 1}})
	if vigil.ErrorCode(err) != vigil.ECONFLICT {
		t.Fatalf("id of a triaged alert: %v", err)
	}
	if _, total, _ = db.FindAlerts(ctx, vigil.AlertFilter{}); total != 2 {
		t.Fatalf("a failed replace changed the alerts: %d", total)
	}
}
