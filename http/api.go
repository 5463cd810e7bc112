package http

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/vigilfiu/vigil"
)

// decode reads a JSON body into v, refusing unknown fields and trailing data.
func decode(r *http.Request, v any) error { return decodeFrom(r.Body, v) }

func decodeWith(dec *json.Decoder, v any) error {
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

// apiScore scores one transfer with the streaming engine. The answer
// carries the score and the indicators that fired with their
// contributions; their details and transfer ids only with ?explain=1
// (they make the answer several times longer). It is written by hand into
// a pooled buffer: this is the API's hot path.
func (s *Server) apiScore(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if s.cfg.Scorer == nil {
		return vigil.Errorf(vigil.ENOTIMPLEMENTED, "this server has no scoring engine")
	}
	explain := false
	if v := r.URL.Query().Get("explain"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return vigil.Errorf(vigil.EINVALID, "explain %q is not 1, 0, true or false", v)
		}
		explain = b
	}
	var t vigil.Transfer
	if err := decodeTransfer(r, &t); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	// A scorer that can skip the explanation (details and transfer ids,
	// about a fifth of the call) does so when the caller did not ask for it.
	var a *vigil.Alert
	var err error
	if q, ok := s.cfg.Scorer.(interface {
		ScoreTransferOnly(context.Context, *vigil.Transfer) (*vigil.Alert, error)
	}); ok && !explain {
		a, err = q.ScoreTransferOnly(r.Context(), &t)
	} else {
		a, err = s.cfg.Scorer.ScoreTransfer(r.Context(), &t)
	}
	if err != nil {
		return err
	}
	// Scoring reads no stored record and changes none, so it is counted
	// in /metrics rather than written to the audit log at thousands a second.
	bp := scoreBufs.Get().(*[]byte)
	b := appendScore((*bp)[:0], t.ID, a, explain)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(b)
	if cap(b) <= 64<<10 {
		*bp = b
		scoreBufs.Put(bp)
	}
	return err
}

var scoreBufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// appendScore appends the scoring answer as one JSON line:
// {"transfer_id","party_id","score","typology","indicators":[{"code",
// "contribution"[,"detail","transfer_ids"]}],"rule_pack"}.
func appendScore(b []byte, transferID string, a *vigil.Alert, explain bool) []byte {
	b = append(b, `{"transfer_id":`...)
	b = appendJSONString(b, transferID)
	b = append(b, `,"party_id":`...)
	b = appendJSONString(b, a.PartyID)
	b = append(b, `,"score":`...)
	b = appendJSONFloat(b, a.Score)
	b = append(b, `,"typology":`...)
	b = appendJSONString(b, string(a.Typology))
	b = append(b, `,"indicators":[`...)
	for i := range a.Hits {
		h := &a.Hits[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"code":`...)
		b = appendJSONString(b, h.Code)
		b = append(b, `,"contribution":`...)
		b = appendJSONFloat(b, h.Contribution)
		if explain {
			b = append(b, `,"detail":`...)
			b = appendJSONString(b, h.Detail)
			b = append(b, `,"transfer_ids":[`...)
			for j, id := range h.TransferIDs {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendJSONString(b, id)
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	b = append(b, `],"rule_pack":`...)
	b = appendJSONString(b, a.RulePack)
	return append(b, '}', '\n')
}

// appendJSONFloat writes f as encoding/json would for a float64; a value
// JSON cannot carry (NaN, ±Inf) is written as null.
func appendJSONFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		b = strconv.AppendFloat(b, f, 'e', -1, 64)
		// e-09 → e-9, as encoding/json writes it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
		return b
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s as a JSON string, escaping as encoding/json
// does: quotes, backslashes, control characters, <, >, & (so the answer
// is safe inside HTML), U+2028 and U+2029; invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
