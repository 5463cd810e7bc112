package http

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

// decode reads a JSON body into v, refusing unknown fields and trailing data.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		var ve *vigil.Error
		switch {
		case errors.As(err, &ve):
			return ve
		case errors.As(err, &se):
			return vigil.Errorf(vigil.EINVALID, "body: invalid JSON at byte %d", se.Offset)
		case errors.As(err, &te):
			return vigil.Errorf(vigil.EINVALID, "body: field %s must be %s", te.Field, te.Type)
		case errors.Is(err, io.EOF):
			return vigil.Errorf(vigil.EINVALID, "body: a JSON object is required")
		}
		return vigil.Errorf(vigil.EINVALID, "body: %v", err)
	}
	if dec.More() {
		return vigil.Errorf(vigil.EINVALID, "body: one JSON object only")
	}
	return nil
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	writeJSON(w, http.StatusOK, map[string]any{"user": rc.User, "csrf_token": rc.Session.CSRF})
	return nil
}

func (s *Server) apiAlerts(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q, err := alertQuery(r.URL.Query())
	if err != nil {
		return err
	}
	if l, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && l > 0 && l <= 1000 {
		q.Limit = l
	}
	as, total, err := s.cfg.Alerts.QueryAlerts(r.Context(), q)
	if err != nil {
		return err
	}
	s.audit(r.Context(), rc, vigil.AuditViewAlerts, "alerts", "", "api", r.URL.RawQuery)
	if as == nil {
		as = []*vigil.Alert{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"alerts": as, "total": total})
	return nil
}

func (s *Server) apiTriage(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		AlertIDs []string `json:"alert_ids"`
		Decision string   `json:"decision"`
		Reason   string   `json:"reason"`
		CaseID   string   `json:"case_id"`
		Title    string   `json:"title"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	caseID, err := s.triage(r.Context(), rc, in.AlertIDs, in.Decision, in.Reason, in.CaseID, in.Title)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"triaged": len(in.AlertIDs), "case_id": caseID})
	return nil
}

func (s *Server) apiParties(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	name := strings.TrimSpace(r.URL.Query().Get("q"))
	if name == "" {
		return vigil.Errorf(vigil.EINVALID, "give q, a part of the name to search for")
	}
	ps, total, err := s.cfg.Parties.FindParties(r.Context(), vigil.PartyFilter{Name: &name, Limit: 100})
	if err != nil {
		return err
	}
	s.audit(r.Context(), rc, vigil.AuditSearch, "party", "", "", "name contains "+strconv.Quote(name))
	if ps == nil {
		ps = []*vigil.Party{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"parties": ps, "total": total})
	return nil
}

func (s *Server) apiParty(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	v, err := s.viewParty(r.Context(), rc, r.PathValue("id"), r.URL.Query().Get("purpose"), true)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// graph is the JSON the network view draws (cytoscape elements).
type graphNode struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Kind  string `json:"kind"` // party or recipient
	Party string `json:"party,omitempty"`
}
type graphEdge struct {
	ID        string `json:"id"`
	Source    string `json:"source"`
	Target    string `json:"target"`
	Transfers int    `json:"transfers"`
	Total     string `json:"total"`
	Label     string `json:"label"`
}
type graph struct {
	Nodes []graphNode `json:"nodes"`
	Edges []graphEdge `json:"edges"`
}

func (g *graph) add(edges []vigil.NetworkEdge) {
	seen := map[string]bool{}
	for _, n := range g.Nodes {
		seen[n.ID] = true
	}
	node := func(n graphNode) {
		if !seen[n.ID] {
			seen[n.ID] = true
			g.Nodes = append(g.Nodes, n)
		}
	}
	for _, e := range edges {
		sid := "party:" + e.SenderID
		node(graphNode{ID: sid, Label: e.SenderID, Kind: "party", Party: e.SenderID})
		rn := graphNode{ID: e.Recipient, Label: e.RecipientName + " (" + e.Country + ")", Kind: "recipient"}
		if pid, _, _, _ := vigil.ParseRecipientKey(e.Recipient); pid != "" {
			rn.Kind, rn.Party = "party", pid
		}
		node(rn)
		g.Edges = append(g.Edges, graphEdge{ID: sid + ">" + e.Recipient + ">" + e.Currency, Source: sid, Target: e.Recipient,
			Transfers: e.Transfers, Total: e.Total.String() + " " + e.Currency,
			Label: strconv.Itoa(e.Transfers) + " × " + e.Total.String() + " " + e.Currency})
	}
}

func dateRange(r *http.Request) (from, to *time.Time, err error) {
	for _, d := range []struct {
		key string
		dst **time.Time
		add int
	}{{"from", &from, 0}, {"to", &to, 1}} {
		if v := strings.TrimSpace(r.URL.Query().Get(d.key)); v != "" {
			t, err := time.Parse("2006-01-02", v)
			if err != nil {
				return nil, nil, vigil.Errorf(vigil.EINVALID, "%s %q is not a date (YYYY-MM-DD)", d.key, v)
			}
			t = t.AddDate(0, 0, d.add)
			*d.dst = &t
		}
	}
	return from, to, nil
}

func (s *Server) apiPartyNetwork(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id := r.PathValue("id")
	from, to, err := dateRange(r)
	if err != nil {
		return err
	}
	if _, err := s.cfg.Parties.FindPartyByID(r.Context(), id); err != nil {
		return err
	}
	edges, err := s.cfg.Network.SenderEdges(r.Context(), id, from, to)
	if err != nil {
		return err
	}
	if err := s.audit(r.Context(), rc, vigil.AuditViewParty, "party", id, "payment network", r.URL.RawQuery); err != nil {
		return err
	}
	g := &graph{Nodes: []graphNode{{ID: "party:" + id, Label: id, Kind: "party", Party: id}}, Edges: []graphEdge{}}
	g.add(edges)
	writeJSON(w, http.StatusOK, g)
	return nil
}

func (s *Server) apiRecipientNetwork(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	key := r.URL.Query().Get("key")
	from, to, err := dateRange(r)
	if err != nil {
		return err
	}
	var edges []vigil.NetworkEdge
	if pid, found := strings.CutPrefix(key, "party:"); found && r.URL.Query().Get("as") == "sender" {
		edges, err = s.cfg.Network.SenderEdges(r.Context(), pid, from, to)
	} else {
		edges, err = s.cfg.Network.RecipientEdges(r.Context(), key, from, to)
	}
	if err != nil {
		return err
	}
	s.audit(r.Context(), rc, vigil.AuditSearch, "network", key, "network expansion", "")
	g := &graph{Nodes: []graphNode{}, Edges: []graphEdge{}}
	g.add(edges)
	writeJSON(w, http.StatusOK, g)
	return nil
}

func (s *Server) apiCases(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var status *vigil.CaseStatus
	if st := r.URL.Query().Get("status"); st != "" {
		cs := vigil.CaseStatus(st)
		status = &cs
	}
	cs, total, err := s.visibleCases(r.Context(), rc, status, nil)
	if err != nil {
		return err
	}
	if cs == nil {
		cs = []*vigil.Case{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": cs, "total": total})
	return nil
}

func (s *Server) apiCreateCase(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		Title    string   `json:"title"`
		PartyIDs []string `json:"party_ids"`
		Reason   string   `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.createCase(r.Context(), rc, in.Title, in.PartyIDs, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) apiCase(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	v, err := s.viewCase(r.Context(), rc, r.PathValue("id"), vigil.AuditViewCase, r.URL.Query().Get("purpose"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiCaseStatus(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		Status string `json:"status"`
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := s.setStatus(r.Context(), rc, r.PathValue("id"), in.Status, in.Reason); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": in.Status})
	return nil
}

func (s *Server) apiCaseAssign(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		User string `json:"user"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := s.assign(r.Context(), rc, r.PathValue("id"), in.User); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"assignee": in.User})
	return nil
}

func (s *Server) apiAddEvidence(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		Kind      string   `json:"kind"`
		ObjectIDs []string `json:"object_ids"`
		Note      string   `json:"note"`
		Source    string   `json:"source"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	n, err := s.addEvidence(r.Context(), rc, r.PathValue("id"), in.Kind, in.ObjectIDs, in.Note, in.Source)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]int{"added": n})
	return nil
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	f, err := auditFilter(r.URL.Query())
	if err != nil {
		return err
	}
	evs, total, err := s.cfg.Audit.FindAuditEvents(r.Context(), f)
	if err != nil {
		return err
	}
	if evs == nil {
		evs = []*vigil.AuditEvent{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": evs, "total": total})
	return nil
}

func (s *Server) apiAuditVerify(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	v, err := vigil.VerifyAudit(r.Context(), s.cfg.Audit, r.URL.Query().Get("head"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	us, err := s.cfg.Users.FindUsers(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": us})
	return nil
}

// apiScore scores one transfer with the streaming engine.
func (s *Server) apiScore(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if s.cfg.Scorer == nil {
		return vigil.Errorf(vigil.ENOTIMPLEMENTED, "this server has no scoring engine")
	}
	var t vigil.Transfer
	if err := decode(r, &t); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	a, err := s.cfg.Scorer.ScoreTransfer(r.Context(), &t)
	if err != nil {
		return err
	}
	// Scoring reads no stored record and changes none, so it is counted
	// in /metrics rather than written to the audit log at thousands a second.
	hits := a.Hits
	if hits == nil {
		hits = []vigil.Hit{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"transfer_id": t.ID, "party_id": a.PartyID, "score": a.Score, "typology": a.Typology, "indicators": hits, "rule_pack": a.RulePack})
	return nil
}
