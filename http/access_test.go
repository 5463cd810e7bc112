package http

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

var roleUser = map[vigil.Role]string{
	vigil.RoleAnalyst: "ana", vigil.RoleInvestigator: "ivan", vigil.RoleSupervisor: "sue",
	vigil.RoleAuditor: "aud", vigil.RoleAdmin: "adm",
}

// concrete fills a route pattern's wildcards.
func concrete(pattern, caseID string) string {
	p := strings.ReplaceAll(pattern, "{$}", "")
	p = strings.ReplaceAll(p, "{id}", "X")
	if strings.Contains(pattern, "/cases/") {
		p = strings.ReplaceAll(pattern, "{id}", caseID)
	}
	if strings.Contains(pattern, "/parties/") {
		p = strings.ReplaceAll(pattern, "{id}", "P2") + "?purpose=matrix"
	}
	p = strings.ReplaceAll(p, "{name}", "ines")
	p = strings.ReplaceAll(p, "{format}", "html")
	if strings.HasSuffix(p, "/network/recipient") {
		p += "?key=" + url.QueryEscape("name:Maria Santos|PH")
	}
	if strings.HasSuffix(p, "/api/v1/parties") || strings.HasSuffix(p, "/parties") {
		p += "?q=Person"
	}
	return p
}

// TestRouteRoleMatrix calls every route with every role and checks that
// the roles not listed for it are refused, and the listed ones are not.
func TestRouteRoleMatrix(t *testing.T) {
	w := seedWorld(t, 4, 6)
	w.start(w.config())
	ctx := context.Background()
	// A case of ivan's (supervised by sue).
	c := &vigil.Case{Title: "matrix", CreatedBy: "ivan", PartyIDs: []string{"P2"}}
	if err := sqlite.NewCaseService(w.db).CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	clients := map[vigil.Role]*client{}
	for r, name := range roleUser {
		clients[r] = w.client().login(name)
	}
	for _, rt := range w.srv.routes {
		if rt.public || rt.pattern == "/logout" {
			continue
		}
		path := concrete(rt.pattern, c.ID)
		for _, role := range vigil.Roles {
			cl := clients[role]
			var r resp
			if rt.method == "GET" {
				r = cl.get(path)
			} else if rt.api {
				r = cl.postJSON(path, `{}`)
			} else {
				r = cl.post(path, url.Values{})
			}
			allowed := rt.roles == nil || slices.Contains(rt.roles, role)
			refused := r.status == http.StatusForbidden
			if allowed == refused {
				t.Errorf("%s %s as %s: status %d, allowed=%v", rt.method, path, role, r.status, allowed)
			}
			if r.status >= 500 && r.status != http.StatusNotImplemented {
				t.Errorf("%s %s as %s: status %d: %s", rt.method, path, role, r.status, r.body)
			}
		}
	}
	// Case content: auditor and admin are refused everywhere above; here
	// the need-to-know of the roles that may work cases.
	for _, p := range []string{"/cases/" + c.ID, "/cases/" + c.ID + "/dossier", "/api/v1/cases/" + c.ID} {
		ines := w.client().login("ines") // investigator, not a member, other supervisor
		if r := ines.get(p); r.status != http.StatusNotFound || strings.Contains(r.body, "matrix") {
			t.Errorf("non-member investigator on %s: %d", p, r.status)
		}
		sam := w.client().login("sam") // supervisor of nobody in the case
		if r := sam.get(p); r.status != http.StatusNotFound {
			t.Errorf("other supervisor on %s: %d", p, r.status)
		}
		if r := clients[vigil.RoleSupervisor].get(p); r.status != http.StatusOK || !strings.Contains(r.body, "matrix") {
			t.Errorf("member's supervisor on %s: %d", p, r.status)
		}
		if r := clients[vigil.RoleInvestigator].get(p); r.status != http.StatusOK {
			t.Errorf("member on %s: %d", p, r.status)
		}
		for _, role := range []vigil.Role{vigil.RoleAuditor, vigil.RoleAdmin} {
			if r := clients[role].get(p); r.status != http.StatusForbidden || strings.Contains(r.body, "matrix") {
				t.Errorf("%s on %s: %d", role, p, r.status)
			}
		}
	}
	ines := w.client().login("ines")
	if r := ines.post("/cases/"+c.ID+"/evidence", url.Values{"kind": {"note"}, "note": {"sneaky"}}); r.status != http.StatusNotFound {
		t.Errorf("non-member added evidence: %d", r.status)
	}
	if r := ines.get("/cases"); strings.Contains(r.body, c.ID) {
		t.Error("non-member sees the case in the list")
	}
	// Refusals are audited.
	evs, _, _ := sqlite.NewAuditService(w.db).FindAuditEvents(ctx, vigil.AuditFilter{Action: ptr(vigil.AuditDenied), User: ptr("ines")})
	if len(evs) == 0 {
		t.Error("need-to-know refusals not audited")
	}
}

var caseLoc = regexp.MustCompile(`^/cases/(C-\d+)`)

// TestCaseWorkflow goes from an alert to a referred case over HTTP and
// checks the audit trail it leaves.
func TestCaseWorkflow(t *testing.T) {
	w := seedWorld(t, 4, 8)
	w.start(w.config())
	ctx := context.Background()
	ana := w.client().login("ana")
	ivan := w.client().login("ivan")
	sue := w.client().login("sue")

	r := ana.get("/alerts?min_score=0.5&sort=score")
	if r.status != 200 || !strings.Contains(r.body, "A1") || strings.Contains(r.body, `value="A6"`) {
		t.Fatalf("queue: %d", r.status)
	}
	if r := ana.post("/alerts/triage", url.Values{"alert": {"A1"}, "decision": {"dismissed"}, "reason": {"  "}}); r.status != 400 || !strings.Contains(r.body, "reason") {
		t.Fatalf("triage without reason: %d", r.status)
	}
	// Party page needs a purpose.
	if r := ana.get("/parties/P2"); r.status != 200 || !strings.Contains(r.body, "Why are you looking") {
		t.Fatalf("party without purpose: %d", r.status)
	}
	r = ana.get("/parties/P2?purpose=" + url.QueryEscape("triage of alert A2"))
	if r.status != 200 || !strings.Contains(r.body, "<svg") || !strings.Contains(r.body, "LSC-CORRIDOR-LOWVALUE") || !strings.Contains(r.body, "T2-1") {
		t.Fatalf("party page: %d", r.status)
	}
	// Ivan escalates A2 and A3 into a new case.
	r = ivan.post("/alerts/triage", url.Values{"alert": {"A2", "A3"}, "decision": {"escalated"}, "reason": {"same PH recipients, late night"}, "title": {"Cebu network"}})
	m := caseLoc.FindStringSubmatch(r.header.Get("Location"))
	if r.status != http.StatusSeeOther || m == nil {
		t.Fatalf("escalate: %d %v %s", r.status, r.header, r.body)
	}
	id := m[1]
	// Add transfers as evidence from the party page form and a note.
	if r := ivan.post("/evidence", url.Values{"case": {id}, "kind": {"transfer"}, "object": {"T2-0", "T2-1"}, "note": {"late-night pair"}}); r.status != http.StatusSeeOther {
		t.Fatalf("add transfers: %d %s", r.status, r.body)
	}
	if r := ivan.post("/cases/"+id+"/evidence", url.Values{"kind": {"transfer"}, "object": {"NOPE"}}); r.status != 404 {
		t.Fatalf("unknown transfer: %d", r.status)
	}
	if r := ivan.post("/cases/"+id+"/evidence", url.Values{"kind": {"note"}, "note": {"provider confirms account holder"}}); r.status != http.StatusSeeOther {
		t.Fatalf("note: %d", r.status)
	}
	ev, _ := sqlite.NewCaseService(w.db).FindEvidence(ctx, id)
	if len(ev) != 5 || ev[2].Source != "transfers.csv:10" || ev[0].Kind != "alert" {
		t.Fatalf("evidence: %d items %+v", len(ev), ev)
	}
	// Workflow: investigator starts; may not refer; supervisor refers.
	if r := ivan.post("/cases/"+id+"/status", url.Values{"status": {"investigating"}, "reason": {"evidence gathered"}}); r.status != http.StatusSeeOther {
		t.Fatalf("investigating: %d %s", r.status, r.body)
	}
	if r := ivan.post("/cases/"+id+"/status", url.Values{"status": {"referred"}, "reason": {"x"}}); r.status != 403 {
		t.Fatalf("investigator referred: %d", r.status)
	}
	if r := sue.post("/cases/"+id+"/assign", url.Values{"user": {"ivan"}}); r.status != http.StatusSeeOther {
		t.Fatalf("assign: %d %s", r.status, r.body)
	}
	if r := sue.post("/cases/"+id+"/status", url.Values{"status": {"referred"}, "reason": {"referred to the AFP"}}); r.status != http.StatusSeeOther {
		t.Fatalf("refer: %d %s", r.status, r.body)
	}
	r = ivan.get("/cases/" + id + "/dossier")
	for _, want := range []string{"Case dossier " + id, "referred to the AFP", "T2-1", "transfers.csv:10", "provider confirms", "<svg", "LSC-LATE-NIGHT"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("dossier lacks %q", want)
		}
	}
	a, _ := sqlite.NewAlertQueue(w.db).FindAlertByID(ctx, "A2")
	if a.Status != vigil.AlertEscalated {
		t.Fatalf("alert status %s", a.Status)
	}
	// The audit trail: views with purpose, the export, every change, and an intact chain.
	aud := w.client().login("aud")
	r = aud.get("/audit?verify=1&user=ana")
	if !strings.Contains(r.body, "Chain intact") || !strings.Contains(r.body, "triage of alert A2") {
		t.Fatalf("audit page: %s", r.body)
	}
	as := sqlite.NewAuditService(w.db)
	for _, action := range []string{vigil.AuditSignIn, vigil.AuditViewParty, vigil.AuditTriageAlert, vigil.AuditCreateCase, vigil.AuditAddEvidence, vigil.AuditUpdateCase, vigil.AuditAssignCase, vigil.AuditExport} {
		if _, n, _ := as.FindAuditEvents(ctx, vigil.AuditFilter{Action: &action}); n == 0 {
			t.Errorf("no %s in the audit log", action)
		}
	}
	v, err := vigil.VerifyAudit(ctx, as, "")
	if err != nil || !v.OK {
		t.Fatalf("verify: %+v %v", v, err)
	}
}

// TestScriptRenderedInert puts markup in names, purposes and reasons and
// checks that every page shows it as text.
func TestScriptRenderedInert(t *testing.T) {
	w := seedWorld(t, 3, 4)
	w.start(w.config())
	ana := w.client().login("ana")
	evil := `<script>alert("p")</script>`
	ana.post("/alerts/triage", url.Values{"alert": {"A1"}, "decision": {"escalated"}, "reason": {evil}, "title": {evil}})
	pages := []string{"/alerts?status=all", "/parties?q=" + url.QueryEscape("O'Brien"), "/parties/P1?purpose=" + url.QueryEscape(evil), "/cases", "/cases/C-000001", "/cases/C-000001/dossier"}
	for _, p := range pages {
		r := ana.get(p)
		if r.status != 200 {
			t.Fatalf("%s: %d", p, r.status)
		}
		if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "<img src=x") {
			t.Errorf("%s renders markup from data", p)
		}
	}
	if r := ana.get("/parties/P1?purpose=x"); !strings.Contains(r.body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; O&#39;Brien") || !strings.Contains(r.body, "&lt;img src=x") {
		t.Error("party name or purpose not shown as escaped text")
	}
	aud := w.client().login("aud")
	if r := aud.get("/audit"); strings.Contains(r.body, "<script>alert") || !strings.Contains(r.body, "&lt;script&gt;") {
		t.Error("audit page renders markup")
	}
	if r := ana.get("/api/v1/parties/P1?purpose=x"); !strings.Contains(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("API content type %q", r.header.Get("Content-Type"))
	}
	if r := ana.get("/alerts"); !strings.Contains(r.header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Error("no CSP")
	}
}

// TestSQLMetacharactersInSearch sends SQL metacharacters to every search box.
func TestSQLMetacharactersInSearch(t *testing.T) {
	w := seedWorld(t, 3, 4)
	w.start(w.config())
	ana := w.client().login("ana")
	aud := w.client().login("aud")
	inputs := []string{`' OR '1'='1`, `"; DROP TABLE users; --`, `%`, `_`, `\`, `') UNION SELECT password_hash FROM users --`, "\x00", `*`}
	for _, in := range inputs {
		q := url.QueryEscape(in)
		for _, p := range []string{"/parties?q=", "/cases?q=", "/alerts?indicator=", "/alerts?corridor=", "/alerts?typology=", "/api/v1/parties?q=", "/api/v1/alerts?indicator="} {
			r := ana.get(p + q)
			if r.status != 200 && r.status != 400 {
				t.Errorf("%s%q: %d", p, in, r.status)
			}
			if strings.Contains(r.body, "argon2id") || strings.Contains(r.body, "Person 2<") {
				t.Errorf("%s%q leaked rows", p, in)
			}
		}
		for _, p := range []string{"/audit?q=", "/audit?user=", "/audit?action=", "/audit?object_id=", "/api/v1/audit?q="} {
			if r := aud.get(p + q); r.status != 200 {
				t.Errorf("%s%q: %d", p, in, r.status)
			}
		}
		if r := ana.get("/alerts?min_score=" + q); r.status != 400 {
			t.Errorf("min_score %q: %d", in, r.status)
		}
	}
	// Look for P2's row link, not for "P2" anywhere: a random CSRF token
	// in the page may contain those two characters.
	if r := ana.get("/parties?q=" + url.QueryEscape("%")); strings.Contains(r.body, `href="/parties/P2?`) {
		t.Error("% matched every party: LIKE wildcards not escaped")
	}
	if _, err := sqlite.NewUserService(w.db).FindUserByName(context.Background(), "ana"); err != nil {
		t.Fatalf("users table damaged: %v", err)
	}
}
