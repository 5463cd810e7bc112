package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

// TestExportDossier runs `vigil export dossier` on a case built through the
// real services in a store loaded from a synthetic world: the file names
// the case's party and its transfer evidence, a name with markup stays
// inert, and an unknown case is ENOTFOUND with nothing written.
func TestExportDossier(t *testing.T) {
	dir := t.TempDir()
	world := filepath.Join(dir, "world")
	store := filepath.Join(dir, "vigil.db")
	if out, err := runVigil(t, "synth", "--out", world, "--customers", "300", "--seed", "5"); err != nil {
		t.Fatalf("synth: %v\n%s", err, out)
	}
	if out, err := runVigil(t, "--db", store, "ingest", filepath.Join(world, "parties.csv"), filepath.Join(world, "transfers.csv")); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}

	ctx := context.Background()
	db, err := sqlite.Open(store)
	if err != nil {
		t.Fatal(err)
	}
	ps, _, err := db.FindParties(ctx, vigil.PartyFilter{Limit: 50})
	if err != nil || len(ps) == 0 {
		t.Fatalf("parties: %v", err)
	}
	var party *vigil.Party
	var tr *vigil.Transfer
	for _, p := range ps {
		ts, err := db.FindTransfers(ctx, vigil.TransferFilter{SenderID: &p.ID, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) > 0 {
			party, tr = p, ts[0]
			break
		}
	}
	if party == nil {
		t.Fatal("no party with a transfer in the synthetic world")
	}
	cs := sqlite.NewCaseService(db)
	c := &vigil.Case{Title: `Referral <script>alert(1)</script>`, CreatedBy: "ana", Members: []string{"ana"}, PartyIDs: []string{party.ID}}
	if err := cs.CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := cs.AddEvidence(ctx, &vigil.Evidence{CaseID: c.ID, Kind: vigil.EvidenceTransfer, ObjectID: tr.ID, Source: tr.Source, AddedBy: "ana"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	out := filepath.Join(dir, "dossier.html")
	if msg, err := runVigil(t, "--db", store, "export", "dossier", "--case", c.ID, "--format", "html", "--out", out, "--user", "ana"); err != nil {
		t.Fatalf("export dossier: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{c.ID, party.ID, tr.ID, "&lt;script&gt;"} {
		if !strings.Contains(html, want) {
			t.Errorf("dossier lacks %q", want)
		}
	}
	if strings.Contains(html, "<script") {
		t.Error("dossier holds a script element (the case title must be inert)")
	}

	missing := filepath.Join(dir, "missing.html")
	_, err = runVigil(t, "--db", store, "export", "dossier", "--case", "C-999999", "--format", "html", "--out", missing)
	if vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Fatalf("unknown case: %v, want ENOTFOUND", err)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("unknown case wrote %s", missing)
	}
}
