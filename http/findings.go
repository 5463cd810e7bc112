package http

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

// LeadSource lists the stored leads: list "leads" is a partner's client
// list, "seeds" the arrested facilitators (sqlite.DB implements it).
type LeadSource interface {
	FindLeads(ctx context.Context, list string) ([]*vigil.Lead, error)
}

// partyFindings are the imported results that concern one party.
type partyFindings struct {
	Matches []*vigil.Finding `json:"matches"` // to leads (vigil match)
	Traces  []*vigil.Finding `json:"traces"`  // from seeds (vigil trace)
	Handles []*vigil.Finding `json:"handles"` // call-log handles attributed (vigil correlate)
	Links   []*vigil.Finding `json:"links"`   // duplicate records (vigil dedupe)
	// Names are the names of the other records of the clusters, by id.
	Names map[string]string `json:"-"`
}

// findingsOf loads the findings that concern a party, grouped by kind.
func (s *Server) findingsOf(ctx context.Context, partyID string) (*partyFindings, error) {
	pf := &partyFindings{Matches: []*vigil.Finding{}, Traces: []*vigil.Finding{}, Handles: []*vigil.Finding{}, Links: []*vigil.Finding{}, Names: map[string]string{}}
	if s.cfg.Findings == nil {
		return pf, nil
	}
	fs, _, err := s.cfg.Findings.FindFindings(ctx, vigil.FindingFilter{PartyID: &partyID, Limit: 500})
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		switch f.Kind {
		case vigil.FindingMatch:
			pf.Matches = append(pf.Matches, f)
		case vigil.FindingTrace:
			pf.Traces = append(pf.Traces, f)
		case vigil.FindingHandle:
			pf.Handles = append(pf.Handles, f)
		case vigil.FindingCluster:
			pf.Links = append(pf.Links, f)
			for _, id := range f.PartyIDs {
				if id == partyID || pf.Names[id] != "" {
					continue
				}
				if p, err := s.cfg.Parties.FindPartyByID(ctx, id); err == nil {
					pf.Names[id] = p.FullName
				} else if vigil.ErrorCode(err) != vigil.ENOTFOUND {
					return nil, err
				}
			}
		}
	}
	return pf, nil
}

// leadRow is one lead or seed with the findings about it.
type leadRow struct {
	Lead     *vigil.Lead      `json:"lead"`
	Matches  []*vigil.Finding `json:"matches,omitempty"`
	Traces   []*vigil.Finding `json:"traces,omitempty"`
	Handles  []*vigil.Finding `json:"handles,omitempty"`
	Traced   int              `json:"traced"` // traced parties in all, Traces holds the best
	Attribed int              `json:"attributed"`
}

// leadsView is the Leads page: partner lists and seeds with their results.
type leadsView struct {
	Leads  []*leadRow       `json:"leads"`
	Seeds  []*leadRow       `json:"seeds"`
	Others []*vigil.Finding `json:"other_handles"` // handles of devices no seed names
	Counts map[string]int   `json:"counts"`
}

// maxTracedShown bounds the traced parties listed under one seed on the
// page; the party pages and the API have them all.
const maxTracedShown = 25

// viewLeads loads the Leads page and records the view.
func (s *Server) viewLeads(ctx context.Context, rc *reqCtx) (*leadsView, error) {
	v := &leadsView{Leads: []*leadRow{}, Seeds: []*leadRow{}, Others: []*vigil.Finding{}, Counts: map[string]int{}}
	if err := s.audit(ctx, rc, vigil.AuditViewFindings, "leads", "", "leads page", ""); err != nil {
		return nil, err
	}
	if s.cfg.Leads != nil {
		for _, x := range []struct {
			list string
			dst  *[]*leadRow
		}{{"leads", &v.Leads}, {"seeds", &v.Seeds}} {
			ls, err := s.cfg.Leads.FindLeads(ctx, x.list)
			if err != nil {
				return nil, err
			}
			for _, l := range ls {
				*x.dst = append(*x.dst, &leadRow{Lead: l})
			}
		}
	}
	if s.cfg.Findings == nil {
		return v, nil
	}
	// Lead matches and handles are bounded by the lists and the devices;
	// trace results may rank every sender reached, so only the best of
	// each seed are read.
	find := func(f vigil.FindingFilter) ([]*vigil.Finding, int, error) { return s.cfg.Findings.FindFindings(ctx, f) }
	kind := func(k vigil.FindingKind) *vigil.FindingKind { return &k }
	matches, n, err := find(vigil.FindingFilter{Kind: kind(vigil.FindingMatch)})
	if err != nil {
		return nil, err
	}
	v.Counts[string(vigil.FindingMatch)] = n
	byLead := map[string]*leadRow{}
	for _, r := range v.Leads {
		byLead[r.Lead.ID] = r
	}
	for _, f := range matches {
		for _, l := range f.Leads {
			if r := byLead[l]; r != nil {
				r.Matches = append(r.Matches, f)
			}
		}
	}
	byHandle := map[string]*leadRow{}
	for _, r := range v.Seeds {
		if r.Lead.Handle != "" {
			byHandle[r.Lead.Handle] = r
		}
		id := r.Lead.ID
		if r.Traces, r.Traced, err = find(vigil.FindingFilter{Kind: kind(vigil.FindingTrace), LeadID: &id, Limit: maxTracedShown}); err != nil {
			return nil, err
		}
	}
	if _, v.Counts[string(vigil.FindingTrace)], err = find(vigil.FindingFilter{Kind: kind(vigil.FindingTrace), Limit: 1}); err != nil {
		return nil, err
	}
	if _, v.Counts[string(vigil.FindingCluster)], err = find(vigil.FindingFilter{Kind: kind(vigil.FindingCluster), Limit: 1}); err != nil {
		return nil, err
	}
	handles, n, err := find(vigil.FindingFilter{Kind: kind(vigil.FindingHandle)})
	if err != nil {
		return nil, err
	}
	v.Counts[string(vigil.FindingHandle)] = n
	for _, f := range handles {
		r := byHandle[f.Handle.Account]
		if r == nil {
			v.Others = append(v.Others, f)
			continue
		}
		r.Handles = append(r.Handles, f)
		if len(f.PartyIDs) > 0 {
			r.Attribed++
		}
	}
	for _, r := range v.Seeds {
		slices.SortStableFunc(r.Traces, func(a, b *vigil.Finding) int { return a.Trace.Rank - b.Trace.Rank })
	}
	return v, nil
}

func (s *Server) handleLeads(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	v, err := s.viewLeads(r.Context(), rc)
	if err != nil {
		return err
	}
	cases, _, err := s.visibleCases(r.Context(), rc, nil, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "leads", "Leads", map[string]any{"V": v, "OpenCases": openCases(cases), "MaxShown": maxTracedShown})
}

func openCases(cs []*vigil.Case) []*vigil.Case {
	var out []*vigil.Case
	for _, c := range cs {
		if c.Status != vigil.CaseClosed {
			out = append(out, c)
		}
	}
	return out
}

// caseFromFinding turns a finding into case evidence: into the case caseID
// when given (need-to-know checked), otherwise into a new case on the
// finding's parties. The reason is required and kept as the evidence note.
func (s *Server) caseFromFinding(ctx context.Context, rc *reqCtx, findingID, caseID, title, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", vigil.Errorf(vigil.EINVALID, "give a reason for taking this finding into a case")
	}
	if s.cfg.Findings == nil {
		return "", vigil.Errorf(vigil.ENOTIMPLEMENTED, "this server has no findings store")
	}
	f, err := s.cfg.Findings.FindFindingByID(ctx, findingID)
	if err != nil {
		return "", err
	}
	var parties []string
	for _, p := range f.PartyIDs {
		if _, err := s.cfg.Parties.FindPartyByID(ctx, p); err == nil {
			parties = append(parties, p)
		} else if vigil.ErrorCode(err) != vigil.ENOTFOUND {
			return "", err
		}
	}
	if caseID != "" {
		c, err := s.visibleCase(ctx, rc, caseID)
		if err != nil {
			return "", err
		}
		if c.Status == vigil.CaseClosed {
			return "", vigil.Errorf(vigil.EINVALID, "case %s is closed; reopen it to add evidence", caseID)
		}
	} else {
		if strings.TrimSpace(title) == "" {
			title = f.Title()
		}
		c := &vigil.Case{Title: title, CreatedBy: rc.User.Name, PartyIDs: parties, CreatedAt: s.cfg.Now()}
		if err := s.cfg.Cases.CreateCase(ctx, c); err != nil {
			return "", err
		}
		if err := s.audit(ctx, rc, vigil.AuditCreateCase, "case", c.ID, reason, "from finding "+f.ID+" ("+string(f.Kind)+")"); err != nil {
			return "", err
		}
		caseID = c.ID
	}
	for _, p := range parties {
		if err := s.cfg.Cases.AddCaseParty(ctx, caseID, p, rc.User.Name); err != nil {
			return "", err
		}
	}
	e := &vigil.Evidence{CaseID: caseID, Kind: f.EvidenceKind(), ObjectID: f.ID, Note: reason, Source: findingSource(f), AddedBy: rc.User.Name, AddedAt: s.cfg.Now()}
	if err := s.cfg.Cases.AddEvidence(ctx, e); err != nil {
		return "", err
	}
	return caseID, s.audit(ctx, rc, vigil.AuditAddEvidence, "case", caseID, reason, e.Kind+" "+f.ID+" as "+e.ID)
}

// findingSource is the provenance an evidence item cites for a finding.
func findingSource(f *vigil.Finding) string {
	return "vigil " + findingCommand(f.Kind) + " " + f.Source + ", run " + f.RunAt.UTC().Format(time.RFC3339)
}

func findingCommand(k vigil.FindingKind) string {
	switch k {
	case vigil.FindingTrace:
		return "trace"
	case vigil.FindingHandle:
		return "correlate"
	case vigil.FindingCluster:
		return "dedupe"
	}
	return "match"
}

func (s *Server) handleFindingCase(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := s.caseFromFinding(r.Context(), rc, r.PathValue("id"), r.PostFormValue("case"), r.PostFormValue("title"), r.PostFormValue("reason"))
	if err != nil {
		return err
	}
	redirect(w, r, "/cases/"+url.PathEscape(id), "finding added as evidence")
	return nil
}

func (s *Server) apiFindings(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	var f vigil.FindingFilter
	if k := q.Get("kind"); k != "" {
		kind := vigil.FindingKind(k)
		if !vigil.ValidFindingKind(kind) {
			return vigil.Errorf(vigil.EINVALID, "kind %q is not one of match, trace, links, clusters", k)
		}
		f.Kind = &kind
	}
	if p := strings.TrimSpace(q.Get("party")); p != "" {
		f.PartyID = &p
	}
	if l := strings.TrimSpace(q.Get("lead")); l != "" {
		f.LeadID = &l
	}
	f.Limit = 100
	if l, err := strconv.Atoi(q.Get("limit")); err == nil && l > 0 && l <= 1000 {
		f.Limit = l
	}
	if o, err := strconv.Atoi(q.Get("offset")); err == nil && o > 0 {
		f.Offset = o
	}
	if err := s.audit(r.Context(), rc, vigil.AuditViewFindings, "findings", "", "api", r.URL.RawQuery); err != nil {
		return err
	}
	fs, total := []*vigil.Finding{}, 0
	if s.cfg.Findings != nil {
		var err error
		if fs, total, err = s.cfg.Findings.FindFindings(r.Context(), f); err != nil {
			return err
		}
		if fs == nil {
			fs = []*vigil.Finding{}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"findings": fs, "total": total})
	return nil
}

func (s *Server) apiLeads(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	v, err := s.viewLeads(r.Context(), rc)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiFindingCase(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		CaseID string `json:"case_id"`
		Title  string `json:"title"`
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	id, err := s.caseFromFinding(r.Context(), rc, r.PathValue("id"), in.CaseID, in.Title, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"case_id": id})
	return nil
}

// findFinding returns the finding named by id when id is a finding id
// ("F-…") and the server has a findings store; nil, nil otherwise.
// ENOTFOUND for a finding id that is not stored.
func (s *Server) findFinding(ctx context.Context, id string) (*vigil.Finding, error) {
	if s.cfg.Findings == nil || !strings.HasPrefix(id, "F-") {
		return nil, nil
	}
	return s.cfg.Findings.FindFindingByID(ctx, id)
}
