package http

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/goaml"
	"github.com/vigilfiu/vigil/sqlite"
)

// goamlSTR writes the STR with package goaml, as vigil serve wires it.
type goamlSTR struct{ ent *goaml.Entity }

func (g goamlSTR) WriteSTR(ctx context.Context, w *bytes.Buffer, r *STR) error {
	p, err := goaml.LoadProfile("")
	if err != nil {
		return err
	}
	return goaml.Write(w, g.ent, &goaml.Report{Reference: r.Case.ID, Date: r.At, Parties: r.Parties, Transfers: r.Transfers, Alerts: r.Alerts,
		Reason: "Case " + r.Case.ID}, p)
}

// TestExportSTR: a supervisor with need-to-know approves and downloads the
// goAML STR of a case; investigators and other supervisors cannot; every
// export and refusal is audited; the file validates against the generic
// goAML schema when the shared schemas and xmllint are at hand.
func TestExportSTR(t *testing.T) {
	w := seedWorld(t, 4, 6)
	cfg := w.config()
	cfg.STR = goamlSTR{&goaml.Entity{ID: 7, LocalCurrency: "AUD", Person: goaml.Person{FirstName: "Test", LastName: "Officer"}}}
	w.start(cfg)
	ctx := context.Background()
	cs := sqlite.NewCaseService(w.db)
	c := &vigil.Case{Title: "STR", CreatedBy: "ivan", PartyIDs: []string{"P2"}}
	if err := cs.CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	ivan := w.client().login("ivan")
	if r := ivan.post("/cases/"+c.ID+"/evidence", url.Values{"kind": {"transfer"}, "object": {"T2-0 T2-1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("evidence: %d %s", r.status, r.body)
	}
	if r := ivan.post("/cases/"+c.ID+"/goaml", url.Values{"purpose": {"x"}}); r.status != http.StatusForbidden {
		t.Fatalf("investigator exporting: %d", r.status)
	}
	sam := w.client().login("sam")
	if r := sam.post("/cases/"+c.ID+"/goaml", nil); r.status != http.StatusNotFound {
		t.Fatalf("supervisor without need-to-know: %d", r.status)
	}
	sue := w.client().login("sue")
	if r := sue.do("POST", "/cases/"+c.ID+"/goaml", url.Values{}, nil); r.status != http.StatusForbidden {
		t.Fatalf("without CSRF token: %d", r.status)
	}
	page := sue.get("/cases/" + c.ID)
	if !strings.Contains(page.body, `id="export-goaml"`) {
		t.Fatal("case page of a supervisor lacks the goAML export")
	}
	if strings.Contains(ivan.get("/cases/"+c.ID).body, `id="export-goaml"`) {
		t.Fatal("case page offers the goAML export to an investigator")
	}
	r := sue.post("/cases/"+c.ID+"/goaml", url.Values{"purpose": {"report to the FIU"}})
	if r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Disposition"), c.ID+"-goaml-str.xml") {
		t.Fatalf("export: %d %v %s", r.status, r.header, r.body)
	}
	for _, want := range []string{"<report_code>STR</report_code>", "<entity_reference>" + c.ID + "</entity_reference>", "T2-0", "T2-1"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("STR lacks %s", want)
		}
	}
	if strings.Contains(r.body, "T2-2") {
		t.Error("STR holds a transfer that is not evidence of the case")
	}
	as := sqlite.NewAuditService(w.db)
	evs, _, _ := as.FindAuditEvents(ctx, vigil.AuditFilter{Action: ptr(vigil.AuditExport), User: ptr("sue")})
	found := false
	for _, e := range evs {
		found = found || strings.Contains(e.Detail, "goAML STR approved: 2 transaction(s)")
	}
	if !found {
		t.Errorf("export not audited: %+v", evs)
	}
	if _, n, _ := as.FindAuditEvents(ctx, vigil.AuditFilter{Action: ptr(vigil.AuditDenied), User: ptr("ivan")}); n == 0 {
		t.Error("refused export not audited")
	}
	xsd := "../../shared/formats/goaml/generic-5.0.1_thecury/goAMLSchema.xsd"
	if _, err := os.Stat(xsd); err != nil {
		t.Skipf("shared goAML schema not at %s; validation skipped", xsd)
	}
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint not installed; validation skipped")
	}
	out := filepath.Join(t.TempDir(), "str.xml")
	os.WriteFile(out, []byte(r.body), 0o600)
	if err := goaml.ValidateXSD(ctx, out, xsd); err != nil {
		t.Fatalf("exported STR does not validate: %v", err)
	}
}
