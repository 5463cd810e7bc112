package http

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/dossier"
	"github.com/vigilfiu/vigil/sqlite"
)

// dossierFiles renders with package dossier, as vigil serve wires it.
type dossierFiles struct{ src dossier.Source }

func (d dossierFiles) HTML(ctx context.Context, caseID, by string) ([]byte, error) {
	ds, err := dossier.Load(ctx, d.src, caseID)
	if err != nil {
		return nil, err
	}
	ds.GeneratedBy = by
	var b bytes.Buffer
	err = dossier.WriteHTML(&b, ds)
	return b.Bytes(), err
}

func (d dossierFiles) PDF(ctx context.Context, html []byte) ([]byte, error) {
	return dossier.PDF(ctx, html)
}

// TestDossierDownload: members download the dossier as HTML and PDF, the
// download is audited, others are refused.
func TestDossierDownload(t *testing.T) {
	w := seedWorld(t, 4, 6)
	cfg := w.config()
	cfg.Dossier = dossierFiles{dossier.NewStore(w.db)}
	w.start(cfg)
	ctx := context.Background()
	c := &vigil.Case{Title: "Dossier <b>test</b>", CreatedBy: "ivan", PartyIDs: []string{"P2"}}
	if err := sqlite.NewCaseService(w.db).CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	ivan := w.client().login("ivan")
	if r := ivan.post("/cases/"+c.ID+"/evidence", url.Values{"kind": {"transfer"}, "object": {"T2-0"}}); r.status != http.StatusSeeOther {
		t.Fatalf("evidence: %d", r.status)
	}
	if !strings.Contains(ivan.get("/cases/"+c.ID).body, `id="dossier-pdf"`) {
		t.Fatal("case page lacks the dossier download")
	}
	r := ivan.get("/cases/" + c.ID + "/dossier/html")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") ||
		!strings.Contains(r.header.Get("Content-Disposition"), c.ID+"-dossier.html") {
		t.Fatalf("html dossier: %d %v", r.status, r.header)
	}
	if !strings.Contains(r.body, c.ID) || !strings.Contains(r.body, "T2-0") || strings.Contains(r.body, "<b>test</b>") {
		t.Fatal("html dossier lacks the case or renders its title as markup")
	}
	if r := ivan.get("/cases/" + c.ID + "/dossier/doc"); r.status != http.StatusNotFound {
		t.Fatalf("unknown format: %d", r.status)
	}
	if r := w.client().login("ines").get("/cases/" + c.ID + "/dossier/html"); r.status != http.StatusNotFound {
		t.Fatalf("non-member: %d", r.status)
	}
	if r := w.client().login("aud").get("/cases/" + c.ID + "/dossier/html"); r.status != http.StatusForbidden {
		t.Fatalf("auditor: %d", r.status)
	}
	evs, _, _ := sqlite.NewAuditService(w.db).FindAuditEvents(ctx, vigil.AuditFilter{Action: ptr(vigil.AuditExport), User: ptr("ivan")})
	if len(evs) != 1 || !strings.HasPrefix(evs[0].Detail, "dossier html") {
		t.Fatalf("download audited: %+v", evs)
	}
	if _, err := dossier.Browser(); err != nil {
		if r := ivan.get("/cases/" + c.ID + "/dossier/pdf"); r.status != http.StatusNotImplemented {
			t.Fatalf("pdf without chromium: %d", r.status)
		}
		t.Skip("no chromium: PDF download checked as 501 only")
	}
	r = ivan.get("/cases/" + c.ID + "/dossier/pdf")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.body, "%PDF") {
		t.Fatalf("pdf dossier: %d %v %.20q", r.status, r.header, r.body)
	}
}
