package http

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

// pageTemplate is one page parsed together with the layout.
type pageTemplate = *template.Template

var funcs = template.FuncMap{
	"ts": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02 15:04")
	},
	"day":   func(t time.Time) string { return t.Format("2006-01-02") },
	"utc":   func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") },
	"score": func(f float64) string { return strconv.FormatFloat(f*100, 'f', 0, 64) },
	"contrib": func(f float64) string {
		return strconv.FormatFloat(f, 'f', 2, 64)
	},
	"join":  strings.Join,
	"query": url.QueryEscape,
	"inc":   func(i int) int { return i + 1 },
	"list":  func(s ...string) []string { return s },
	"dec":   func(i int) int { return i - 1 },
	"roles": func() []vigil.Role { return vigil.Roles },
	"fa": func(f *vigil.Finding, csrf string, cases []*vigil.Case) findingAction {
		return findingAction{F: f, CSRF: csrf, Cases: cases}
	},
	"findingword": func(k vigil.FindingKind) string {
		switch k {
		case vigil.FindingTrace:
			return "trace"
		case vigil.FindingHandle:
			return "attribution"
		case vigil.FindingCluster:
			return "link"
		}
		return "match"
	},
	"others": func(ids []string, self string) []string {
		var out []string
		for _, id := range ids {
			if id != self {
				out = append(out, id)
			}
		}
		return out
	},
	"typology": func(t vigil.Typology) string {
		switch t {
		case vigil.TypologyLiveStreaming:
			return "Live-streamed abuse payments"
		case vigil.TypologyRomanceScam:
			return "Romance-scam victim"
		case vigil.TypologyNone:
			return "None"
		}
		return string(t)
	},
	"title": func(s string) string {
		if s == "" {
			return s
		}
		return strings.ToUpper(s[:1]) + strings.ReplaceAll(s[1:], "_", " ")
	},
}

// findingAction is what the "finding-case" template needs.
type findingAction struct {
	F     *vigil.Finding
	CSRF  string
	Cases []*vigil.Case
}

// parsePages parses every page template with the layout.
func parsePages() (map[string]pageTemplate, error) {
	names, err := fs.Glob(embedded, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]pageTemplate{}
	for _, n := range names {
		base := strings.TrimPrefix(n, "templates/")
		if base == "layout.html" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(embedded, "templates/layout.html", n)
		if err != nil {
			return nil, err
		}
		pages[strings.TrimSuffix(base, ".html")] = t
	}
	return pages, nil
}

// view is what every page template receives.
type view struct {
	Title string
	User  *vigil.User
	CSRF  string
	Flash string
	Error string
	Path  string
	Data  any
}

// render writes a page; the body is built in memory first so that a
// template error never leaves half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, rc *reqCtx, status int, page, title string, data any) error {
	v := view{Title: title, Data: data, Path: r.URL.Path, Flash: r.URL.Query().Get("flash")}
	if rc != nil {
		v.User, v.CSRF = rc.User, rc.Session.CSRF
	}
	var buf bytes.Buffer
	if err := s.pages[page].ExecuteTemplate(&buf, "layout", v); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, rc *reqCtx, err error) {
	code := vigil.ErrorCode(err)
	status := httpStatus(code)
	if rc == nil && code == vigil.EUNAUTHORIZED {
		status = http.StatusUnauthorized
	}
	v := view{Title: http.StatusText(status), Error: vigil.ErrorMessage(err), Path: r.URL.Path}
	if rc != nil {
		v.User, v.CSRF = rc.User, rc.Session.CSRF
	}
	var buf bytes.Buffer
	if e := s.pages["error"].ExecuteTemplate(&buf, "layout", v); e != nil {
		http.Error(w, vigil.ErrorMessage(err), status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// redirect answers a form post: to the given page with a short message.
func redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "flash=" + url.QueryEscape(flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.render(w, r, nil, http.StatusOK, "login", "Sign in", map[string]string{"Next": safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	ctx := r.Context()
	// Whatever session the browser brought ends here: a signed-in session
	// is always a new one.
	if rc != nil {
		s.cfg.Users.DeleteSession(ctx, rc.Session.ID)
	} else if c, err := r.Cookie(s.cookieName()); err == nil {
		s.cfg.Users.DeleteSession(ctx, tokenID(c.Value))
	}
	next := safeNext(r.PostFormValue("next"))
	ss, tok, err := s.signIn(ctx, r, strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("password"), r.PostFormValue("code"))
	if err != nil {
		s.clearSessionCookie(w)
		if vigil.ErrorCode(err) != vigil.EUNAUTHORIZED {
			return err
		}
		return s.render(w, r, nil, http.StatusUnauthorized, "login", "Sign in", map[string]string{"Next": next, "Error": vigil.ErrorMessage(err)})
	}
	s.setSessionCookie(w, tok, ss.ExpiresAt)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := s.cfg.Users.DeleteSession(r.Context(), rc.Session.ID); err != nil {
		return err
	}
	s.audit(r.Context(), rc, vigil.AuditSignOut, "user", rc.User.Name, "", "")
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

type alertsPage struct {
	Alerts    []*vigil.Alert
	Total     int
	Q         url.Values
	Page      int
	Pages     int
	Cases     []*vigil.Case
	Typology  []vigil.Typology
	PageQuery string
}

func (s *Server) handleAlerts(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	ctx := r.Context()
	qv := r.URL.Query()
	q, err := alertQuery(qv)
	if err != nil {
		return err
	}
	as, total, err := s.cfg.Alerts.QueryAlerts(ctx, q)
	if err != nil {
		return err
	}
	s.audit(ctx, rc, vigil.AuditViewAlerts, "alerts", "", "triage", strings.TrimPrefix(r.URL.RawQuery, "flash="))
	cases, _, err := s.visibleCases(ctx, rc, nil, nil)
	if err != nil {
		return err
	}
	var active []*vigil.Case
	for _, c := range cases {
		if c.Status != vigil.CaseClosed {
			active = append(active, c)
		}
	}
	pq := url.Values{}
	for k, v := range qv {
		if k != "page" && k != "flash" {
			pq[k] = v
		}
	}
	d := alertsPage{Alerts: as, Total: total, Q: qv, Page: q.Offset/q.Limit + 1, Pages: (total + q.Limit - 1) / q.Limit, Cases: active,
		Typology: []vigil.Typology{vigil.TypologyLiveStreaming, vigil.TypologyRomanceScam, vigil.TypologyNone}, PageQuery: pq.Encode()}
	return s.render(w, r, rc, http.StatusOK, "alerts", "Alert queue", d)
}

func (s *Server) handleTriage(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := r.ParseForm(); err != nil {
		return vigil.Errorf(vigil.EINVALID, "bad form: %v", err)
	}
	ids := r.PostForm["alert"]
	caseID, err := s.triage(r.Context(), rc, ids, r.PostFormValue("decision"), r.PostFormValue("reason"), r.PostFormValue("case"), r.PostFormValue("title"))
	if err != nil {
		return err
	}
	if caseID != "" {
		redirect(w, r, "/cases/"+url.PathEscape(caseID), strconv.Itoa(len(ids))+" alert(s) escalated to this case")
		return nil
	}
	back := "/alerts"
	if q := r.PostFormValue("back"); strings.HasPrefix(q, "?") {
		back += q
	}
	redirect(w, r, back, strconv.Itoa(len(ids))+" alert(s) dismissed")
	return nil
}

func (s *Server) handleParties(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	ctx := r.Context()
	name := strings.TrimSpace(r.URL.Query().Get("q"))
	var ps []*vigil.Party
	total := 0
	if name != "" {
		var err error
		if ps, total, err = s.cfg.Parties.FindParties(ctx, vigil.PartyFilter{Name: &name, Limit: 100}); err != nil {
			return err
		}
		s.audit(ctx, rc, vigil.AuditSearch, "party", "", "", "name contains "+strconv.Quote(name))
	}
	return s.render(w, r, rc, http.StatusOK, "parties", "Parties", map[string]any{"Q": name, "Parties": ps, "Total": total})
}

// partyPage is the party page's data: the view plus what the page derives.
type partyPage struct {
	*partyView
	Chart     template.HTML
	Rows      []*vigil.Transfer // the page of transfers shown
	Page      int
	Pages     int
	ByID      map[string]*vigil.TransferPoint // the transfers behind the indicators
	OpenCases []*vigil.Case
}

func (s *Server) handleParty(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	ctx := r.Context()
	id := r.PathValue("id")
	purpose := r.URL.Query().Get("purpose")
	if strings.TrimSpace(purpose) == "" {
		return s.render(w, r, rc, http.StatusOK, "purpose", "State your purpose", map[string]string{"ID": id})
	}
	v, err := s.viewParty(ctx, rc, id, purpose, false)
	if err != nil {
		return err
	}
	p := &partyPage{partyView: v, ByID: make(map[string]*vigil.TransferPoint)}
	for _, a := range v.Alerts {
		for _, h := range a.Hits {
			for _, tid := range h.TransferIDs {
				p.ByID[tid] = nil
			}
		}
	}
	for i := range v.Points {
		if _, ok := p.ByID[v.Points[i].ID]; ok {
			p.ByID[v.Points[i].ID] = &v.Points[i]
		}
	}
	p.Chart = timelineSVG(v.Points, 960, 260)
	const per = 200
	n := len(v.Points)
	p.Pages = max(1, (n+per-1)/per)
	p.Page = 1
	if k, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && k >= 1 && k <= p.Pages {
		p.Page = k
	}
	// Newest first: only the page's rows are loaded whole.
	if p.Rows, err = s.cfg.Network.RecentTransfers(ctx, id, (p.Page-1)*per, per); err != nil {
		return err
	}
	cases, _, err := s.visibleCases(ctx, rc, nil, nil)
	if err != nil {
		return err
	}
	for _, c := range cases {
		if c.Status != vigil.CaseClosed {
			p.OpenCases = append(p.OpenCases, c)
		}
	}
	return s.render(w, r, rc, http.StatusOK, "party", v.Party.FullName, p)
}

func (s *Server) handleCases(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	var status *vigil.CaseStatus
	if st := q.Get("status"); st != "" {
		cs := vigil.CaseStatus(st)
		status = &cs
	}
	var title *string
	if t := strings.TrimSpace(q.Get("q")); t != "" {
		title = &t
	}
	cs, total, err := s.visibleCases(r.Context(), rc, status, title)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "cases", "Cases", map[string]any{"Cases": cs, "Total": total, "Q": q})
}

func (s *Server) handleCreateCase(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := r.ParseForm(); err != nil {
		return vigil.Errorf(vigil.EINVALID, "bad form: %v", err)
	}
	var parties []string
	for _, p := range r.PostForm["party"] {
		if p = strings.TrimSpace(p); p != "" {
			parties = append(parties, p)
		}
	}
	c, err := s.createCase(r.Context(), rc, r.PostFormValue("title"), parties, r.PostFormValue("reason"))
	if err != nil {
		return err
	}
	redirect(w, r, "/cases/"+url.PathEscape(c.ID), "case opened")
	return nil
}

type casePage struct {
	*caseView
	Investigators []*vigil.User
	IsSupervisor  bool
	CanSTR        bool // goAML export configured
	CanDossier    bool // dossier downloads configured
}

func (s *Server) handleCase(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	ctx := r.Context()
	v, err := s.viewCase(ctx, rc, r.PathValue("id"), vigil.AuditViewCase, r.URL.Query().Get("purpose"))
	if err != nil {
		return err
	}
	p := &casePage{caseView: v, IsSupervisor: rc.User.Role == vigil.RoleSupervisor, CanSTR: s.cfg.STR != nil, CanDossier: s.cfg.Dossier != nil}
	if p.IsSupervisor {
		us, err := s.cfg.Users.FindUsers(ctx)
		if err != nil {
			return err
		}
		for _, u := range us {
			if !u.Disabled && (u.Role == vigil.RoleInvestigator || u.Role == vigil.RoleSupervisor) {
				p.Investigators = append(p.Investigators, u)
			}
		}
	}
	return s.render(w, r, rc, http.StatusOK, "case", v.Case.ID+" "+v.Case.Title, p)
}

type dossierPage struct {
	*caseView
	Chart       template.HTML
	TransferIDs []*vigil.Transfer
	Printed     time.Time
	PrintedBy   string
}

func (s *Server) handleDossier(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	v, err := s.viewCase(r.Context(), rc, r.PathValue("id"), vigil.AuditExport, "dossier")
	if err != nil {
		return err
	}
	d := &dossierPage{caseView: v, Printed: s.cfg.Now().UTC(), PrintedBy: rc.User.Name}
	for _, e := range v.Evidence {
		if t := v.Transfers[e.ObjectID]; e.Kind == vigil.EvidenceTransfer && t != nil {
			d.TransferIDs = append(d.TransferIDs, t)
		}
	}
	sortTransfers(d.TransferIDs)
	pts := make([]vigil.TransferPoint, len(d.TransferIDs))
	for i, t := range d.TransferIDs {
		pts[i] = t.Point()
	}
	d.Chart = timelineSVG(pts, 900, 220)
	return s.render(w, r, rc, http.StatusOK, "dossier", "Dossier "+v.Case.ID, d)
}

func (s *Server) handleCaseStatus(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id := r.PathValue("id")
	if err := s.setStatus(r.Context(), rc, id, r.PostFormValue("status"), r.PostFormValue("reason")); err != nil {
		return err
	}
	redirect(w, r, "/cases/"+url.PathEscape(id), "status changed to "+r.PostFormValue("status"))
	return nil
}

func (s *Server) handleCaseAssign(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id := r.PathValue("id")
	if err := s.assign(r.Context(), rc, id, r.PostFormValue("user")); err != nil {
		return err
	}
	redirect(w, r, "/cases/"+url.PathEscape(id), "assigned to "+r.PostFormValue("user"))
	return nil
}

func (s *Server) handleAddEvidence(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := r.ParseForm(); err != nil {
		return vigil.Errorf(vigil.EINVALID, "bad form: %v", err)
	}
	id := r.PathValue("id")
	if id == "" {
		id = r.PostFormValue("case")
	}
	var ids []string
	for _, o := range r.PostForm["object"] {
		for _, f := range strings.Fields(strings.ReplaceAll(o, ",", " ")) {
			ids = append(ids, f)
		}
	}
	n, err := s.addEvidence(r.Context(), rc, id, r.PostFormValue("kind"), ids, strings.TrimSpace(r.PostFormValue("note")), strings.TrimSpace(r.PostFormValue("source")))
	if err != nil {
		return err
	}
	redirect(w, r, "/cases/"+url.PathEscape(id), strconv.Itoa(n)+" evidence item(s) added")
	return nil
}

func auditFilter(q url.Values) (vigil.AuditFilter, error) {
	var f vigil.AuditFilter
	str := func(k string) *string {
		if s := strings.TrimSpace(q.Get(k)); s != "" {
			return &s
		}
		return nil
	}
	f.User, f.Action, f.ObjectType, f.ObjectID, f.Text = str("user"), str("action"), str("object_type"), str("object_id"), str("q")
	for _, d := range []struct {
		key string
		dst **time.Time
		add int
	}{{"from", &f.From, 0}, {"to", &f.To, 1}} {
		if s := str(d.key); s != nil {
			t, err := time.Parse("2006-01-02", *s)
			if err != nil {
				return f, vigil.Errorf(vigil.EINVALID, "%s %q is not a date (YYYY-MM-DD)", d.key, *s)
			}
			t = t.AddDate(0, 0, d.add)
			*d.dst = &t
		}
	}
	f.Limit = 100
	if p, err := strconv.Atoi(q.Get("page")); err == nil && p > 1 {
		f.Offset = (p - 1) * f.Limit
	}
	return f, nil
}

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	ctx := r.Context()
	q := r.URL.Query()
	f, err := auditFilter(q)
	if err != nil {
		return err
	}
	evs, total, err := s.cfg.Audit.FindAuditEvents(ctx, f)
	if err != nil {
		return err
	}
	d := map[string]any{"Events": evs, "Total": total, "Q": q}
	if q.Get("verify") != "" {
		v, err := vigil.VerifyAudit(ctx, s.cfg.Audit, "")
		if err != nil {
			return err
		}
		d["Verify"] = v
	}
	return s.render(w, r, rc, http.StatusOK, "audit", "Audit log", d)
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	us, err := s.cfg.Users.FindUsers(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "users", "Accounts", map[string]any{"Users": us})
}

func (s *Server) handleCreateUser(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	ctx := r.Context()
	hash, err := HashPassword(r.PostFormValue("password"))
	if err != nil {
		return err
	}
	u := &vigil.User{Name: strings.TrimSpace(r.PostFormValue("name")), Role: vigil.Role(r.PostFormValue("role")),
		Supervisor: strings.TrimSpace(r.PostFormValue("supervisor")), PasswordHash: hash, CreatedAt: s.cfg.Now()}
	if err := s.cfg.Users.CreateUser(ctx, u); err != nil {
		return err
	}
	if err := s.audit(ctx, rc, vigil.AuditUserChange, "user", u.Name, "", "created with role "+string(u.Role)); err != nil {
		return err
	}
	redirect(w, r, "/admin/users", "account "+u.Name+" created")
	return nil
}

func (s *Server) handleUpdateUser(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	ctx := r.Context()
	name := r.PathValue("name")
	var upd vigil.UserUpdate
	var detail string
	switch r.PostFormValue("action") {
	case "disable":
		t := true
		upd.Disabled, detail = &t, "disabled"
	case "enable":
		f := false
		zero, none := 0, time.Time{}
		upd.Disabled, upd.FailedLogins, upd.LockedUntil, detail = &f, &zero, &none, "enabled and unlocked"
	case "password":
		h, err := HashPassword(r.PostFormValue("password"))
		if err != nil {
			return err
		}
		upd.PasswordHash, detail = &h, "password reset"
	case "role":
		role := vigil.Role(r.PostFormValue("role"))
		sup := strings.TrimSpace(r.PostFormValue("supervisor"))
		upd.Role, upd.Supervisor, detail = &role, &sup, "role "+string(role)+", supervisor "+sup
	default:
		return vigil.Errorf(vigil.EINVALID, "action %q is not one of disable, enable, password, role", r.PostFormValue("action"))
	}
	if name == rc.User.Name && upd.Disabled != nil && *upd.Disabled {
		return vigil.Errorf(vigil.EINVALID, "you cannot disable your own account")
	}
	if _, err := s.cfg.Users.UpdateUser(ctx, name, upd); err != nil {
		return err
	}
	if err := s.audit(ctx, rc, vigil.AuditUserChange, "user", name, "", detail); err != nil {
		return err
	}
	redirect(w, r, "/admin/users", name+": "+detail)
	return nil
}
