package http

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

// TestFindingsShown: the party page and the Leads page show every kind of
// imported finding with its explanation, imported names stay inert, and
// the views are audited.
func TestFindingsShown(t *testing.T) {
	w := seedWorld(t, 4, 6)
	w.start(w.config())
	c := w.client().login("ana")
	r := c.get("/parties/P2?purpose=" + url.QueryEscape("lead review"))
	if r.status != http.StatusOK {
		t.Fatalf("party page: %d %s", r.status, r.body)
	}
	for _, want := range []string{
		`id="lead-matches"`, "Lead L1 · match · score 0.9999", "phone same (&#43;14.30 bits)",
		`id="trace-results"`, "Seed S1 · rank 1 · Direct payer", "paid Maria Santos (seed S1) 6 times",
		`id="attributed-handles"`, "4/5 sessions paired", "4 of 5 sessions minutes after a payment of P2",
		`id="linked-records"`, `href="/parties/P3?purpose=duplicate%20record%20of%20P2"`, "P2 and P3: match", "</a> Person 3 ·",
		"Create case from this trace", "out1.jsonl:1, run 2026-11-28 09:00",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("party page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script>alert(1)", "<img src=x", `<script>alert("lead")`} {
		if strings.Contains(r.body, bad) {
			t.Errorf("party page renders imported %q as markup", bad)
		}
	}
	if !strings.Contains(r.body, "&lt;img src=x onerror=alert(2)&gt;") {
		t.Error("the imported handle is not shown escaped")
	}
	l := c.get("/leads")
	if l.status != http.StatusOK {
		t.Fatalf("leads page: %d %s", l.status, l.body)
	}
	for _, want := range []string{`id="seed-S1"`, "Maria Santos", `href="/parties/P2?purpose=traced%20from%20seed%20S1"`,
		`id="lead-L1"`, "&lt;script&gt;alert(&#34;lead&#34;)&lt;/script&gt; Reyes", `href="/parties/P2?purpose=match%20to%20lead%20L1"`,
		"1 attributed"} {
		if !strings.Contains(l.body, want) {
			t.Errorf("leads page lacks %q", want)
		}
	}
	if strings.Contains(l.body, `<script>alert("lead")`) || strings.Contains(l.body, "<img src=x") {
		t.Error("leads page renders an imported name as markup")
	}
	evs, _, _ := sqlite.NewAuditService(w.db).FindAuditEvents(context.Background(), vigil.AuditFilter{Action: ptr(vigil.AuditViewFindings), User: ptr("ana")})
	if len(evs) != 1 {
		t.Fatalf("leads page views audited: %d, want 1", len(evs))
	}

	// A trace reaching many senders: the page lists the best of the seed.
	var many strings.Builder
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&many, `{"party_id":"X%d","score":%g,"rank":%d,"degree":2,"path":[],"evidence":{"relation":"second_degree","seeds":["S1"],"ppr":0.01,"edges":[],"facts":[]}}`+"\n", i, 0.5-float64(i)/100, i+2)
	}
	var fs []*vigil.Finding
	if err := vigil.ReadFindings(strings.NewReader(many.String()), "many.jsonl", "", time.Now(), func(f *vigil.Finding) error { fs = append(fs, f); return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.NewFindingService(w.db).PutFindings(context.Background(), fs); err != nil {
		t.Fatal(err)
	}
	l = c.get("/leads")
	if !strings.Contains(l.body, "31 in all, best 25 shown") || !strings.Contains(l.body, "X23") || strings.Contains(l.body, ">X24<") {
		t.Errorf("leads page does not bound the traced parties of a seed to the best 25")
	}

	// The API gives the same findings.
	a := c.get("/api/v1/findings?party=P2")
	var got struct {
		Findings []*vigil.Finding `json:"findings"`
		Total    int              `json:"total"`
	}
	if err := json.Unmarshal([]byte(a.body), &got); err != nil || got.Total != 4 {
		t.Fatalf("api findings of P2: %d %v %s", got.Total, err, a.body)
	}
	if r := c.get("/api/v1/findings?kind=rumour"); r.status != http.StatusBadRequest {
		t.Fatalf("bad kind: %d", r.status)
	}
	if r := c.get("/api/v1/findings?lead=" + url.QueryEscape("' OR 1=1 --")); r.status != http.StatusOK || !strings.Contains(r.body, `"total":0`) {
		t.Fatalf("SQL metacharacters in the lead filter: %d %s", r.status, r.body)
	}
}

// TestCaseFromFinding: an investigator opens a case from a trace result,
// adds a handle attribution to it; the evidence cites the finding's
// provenance; need-to-know, CSRF and the reason are enforced.
func TestCaseFromFinding(t *testing.T) {
	w := seedWorld(t, 4, 6)
	w.start(w.config())
	ctx := context.Background()
	trace, handle, match := findingOf(t, w.db, vigil.FindingTrace), findingOf(t, w.db, vigil.FindingHandle), findingOf(t, w.db, vigil.FindingMatch)
	ivan := w.client().login("ivan")
	if r := ivan.post("/findings/"+trace+"/case", url.Values{"title": {"Seed S1 payer"}}); r.status != http.StatusBadRequest || !strings.Contains(r.body, "reason") {
		t.Fatalf("without a reason: %d", r.status)
	}
	if r := ivan.do("POST", "/findings/"+trace+"/case", url.Values{"reason": {"x"}}, nil); r.status != http.StatusForbidden {
		t.Fatalf("without CSRF token: %d", r.status)
	}
	r := ivan.post("/findings/"+trace+"/case", url.Values{"title": {"Seed S1 payer"}, "reason": {"direct payer of the seed"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("create case from trace: %d %s", r.status, r.body)
	}
	loc := r.header.Get("Location")
	caseID := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/cases/")
	cs := sqlite.NewCaseService(w.db)
	c, err := cs.FindCaseByID(ctx, caseID)
	if err != nil || c.Title != "Seed S1 payer" || len(c.PartyIDs) != 1 || c.PartyIDs[0] != "P2" {
		t.Fatalf("case from finding: %v %+v", err, c)
	}
	// Into the existing case through the API, and through the evidence form.
	if r := ivan.postJSON("/api/v1/findings/"+handle+"/case", `{"case_id":"`+caseID+`","reason":"handle on the seed's device"}`); r.status != http.StatusOK {
		t.Fatalf("api: %d %s", r.status, r.body)
	}
	if r := ivan.post("/cases/"+caseID+"/evidence", url.Values{"kind": {"attribution"}, "object": {match}, "note": {"x"}}); r.status != http.StatusBadRequest {
		t.Fatalf("a lead match added as an attribution: %d", r.status)
	}
	if r := ivan.post("/cases/"+caseID+"/evidence", url.Values{"kind": {"match"}, "object": {match}, "note": {"lead list"}}); r.status != http.StatusSeeOther {
		t.Fatalf("evidence form with a finding id: %d %s", r.status, r.body)
	}
	ev, _ := cs.FindEvidence(ctx, caseID)
	kinds := map[string]string{}
	for _, e := range ev {
		kinds[e.ObjectID] = e.Kind + " " + e.Source
	}
	if !strings.HasPrefix(kinds[trace], "match vigil trace out1.jsonl:1, run 2026-11-28T09:00:00Z") ||
		!strings.HasPrefix(kinds[handle], "attribution vigil correlate out2.jsonl:1") ||
		!strings.HasPrefix(kinds[match], "match vigil match out0.jsonl:1") {
		t.Fatalf("evidence: %v", kinds)
	}
	page := ivan.get("/cases/" + caseID)
	if !strings.Contains(page.body, "Trace from S1: P2 (direct payer)") || !strings.Contains(page.body, "paid Maria Santos (seed S1) 6 times") {
		t.Fatal("case page does not show the finding and its explanation")
	}
	if d := ivan.get("/cases/" + caseID + "/dossier"); !strings.Contains(d.body, "paid Maria Santos (seed S1) 6 times") {
		t.Fatal("dossier does not explain the finding")
	}
	// ines (another supervisor's investigator) has no need-to-know.
	ines := w.client().login("ines")
	if r := ines.post("/findings/"+match+"/case", url.Values{"case": {caseID}, "reason": {"x"}}); r.status != http.StatusNotFound {
		t.Fatalf("non-member adding to the case: %d", r.status)
	}
	if r := ines.get("/cases/" + caseID); r.status != http.StatusNotFound {
		t.Fatalf("non-member reading the case: %d", r.status)
	}
	if r := ivan.post("/findings/F-0000000000000000/case", url.Values{"reason": {"x"}}); r.status != http.StatusNotFound {
		t.Fatalf("unknown finding: %d", r.status)
	}
	as := sqlite.NewAuditService(w.db)
	for _, a := range []string{vigil.AuditCreateCase, vigil.AuditAddEvidence} {
		if _, n, _ := as.FindAuditEvents(ctx, vigil.AuditFilter{Action: &a, User: ptr("ivan")}); n == 0 {
			t.Errorf("no %s in the audit log", a)
		}
	}
	if _, n, _ := as.FindAuditEvents(ctx, vigil.AuditFilter{Action: ptr(vigil.AuditDenied), User: ptr("ines")}); n < 2 {
		t.Errorf("refusals of ines audited: %d", n)
	}
}
