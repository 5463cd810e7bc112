package http

import (
	"context"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

// The operations below are shared by the pages and the JSON API: each
// checks need-to-know and records what it did in the audit log before
// answering.

// alertQuery reads the queue's filters from a query string. Bad values are
// EINVALID naming the field.
func alertQuery(v url.Values) (vigil.AlertQuery, error) {
	var q vigil.AlertQuery
	str := func(k string) *string {
		if s := strings.TrimSpace(v.Get(k)); s != "" {
			return &s
		}
		return nil
	}
	status := vigil.AlertNew
	switch st := v.Get("status"); st {
	case "", "new":
	case "dismissed", "escalated":
		status = vigil.AlertStatus(st)
	case "all":
		status = ""
	default:
		return q, vigil.Errorf(vigil.EINVALID, "status %q is not one of new, dismissed, escalated, all", st)
	}
	if status != "" {
		q.Status = &status
	}
	if t := str("typology"); t != nil {
		ty := vigil.Typology(*t)
		q.Typology = &ty
	}
	q.Indicator = str("indicator")
	if c := str("corridor"); c != nil {
		up := strings.ToUpper(*c)
		q.Corridor = &up
	}
	if m := str("min_score"); m != nil {
		f, err := strconv.ParseFloat(*m, 64)
		if err != nil || !(f >= 0 && f <= 1) { // also refuses NaN
			return q, vigil.Errorf(vigil.EINVALID, "min_score %q is not a number between 0 and 1", *m)
		}
		q.MinScore = &f
	}
	for _, d := range []struct {
		key string
		dst **time.Time
		add int
	}{{"from", &q.From, 0}, {"to", &q.To, 1}} {
		if s := str(d.key); s != nil {
			t, err := time.Parse("2006-01-02", *s)
			if err != nil {
				return q, vigil.Errorf(vigil.EINVALID, "%s %q is not a date (YYYY-MM-DD)", d.key, *s)
			}
			t = t.AddDate(0, 0, d.add)
			*d.dst = &t
		}
	}
	q.Sort = v.Get("sort")
	if q.Sort != "" && q.Sort != "score" && q.Sort != "date" && q.Sort != "party" {
		return q, vigil.Errorf(vigil.EINVALID, "sort %q is not one of score, date, party", q.Sort)
	}
	q.Limit = 50
	if p, err := strconv.Atoi(v.Get("page")); err == nil && p > 1 {
		q.Offset = (p - 1) * q.Limit
	}
	return q, nil
}

// triage records a decision on alerts. Escalating creates a case (or adds
// to caseID) holding the alerts as evidence and their parties; the case id
// is returned.
func (s *Server) triage(ctx context.Context, rc *reqCtx, ids []string, decision, reason, caseID, title string) (string, error) {
	reason = strings.TrimSpace(reason)
	if len(ids) == 0 {
		return "", vigil.Errorf(vigil.EINVALID, "select at least one alert")
	}
	if reason == "" {
		return "", vigil.Errorf(vigil.EINVALID, "give a reason for the decision")
	}
	status := vigil.AlertStatus(decision)
	if status != vigil.AlertDismissed && status != vigil.AlertEscalated {
		return "", vigil.Errorf(vigil.EINVALID, "decision %q is not dismissed or escalated", decision)
	}
	alerts := make([]*vigil.Alert, 0, len(ids))
	for _, id := range ids {
		a, err := s.cfg.Alerts.FindAlertByID(ctx, id)
		if err != nil {
			return "", err
		}
		alerts = append(alerts, a)
	}
	if status == vigil.AlertEscalated {
		var c *vigil.Case
		var err error
		if caseID != "" {
			if c, err = s.visibleCase(ctx, rc, caseID); err != nil {
				return "", err
			}
		} else {
			var parties []string
			for _, a := range alerts {
				if !slices.Contains(parties, a.PartyID) {
					parties = append(parties, a.PartyID)
				}
			}
			if strings.TrimSpace(title) == "" {
				title = "Alerts on " + strings.Join(parties, ", ")
			}
			c = &vigil.Case{Title: title, CreatedBy: rc.User.Name, PartyIDs: parties, CreatedAt: s.cfg.Now()}
			if err := s.cfg.Cases.CreateCase(ctx, c); err != nil {
				return "", err
			}
			if err := s.audit(ctx, rc, vigil.AuditCreateCase, "case", c.ID, reason, "from alerts "+strings.Join(ids, ", ")); err != nil {
				return "", err
			}
		}
		for _, a := range alerts {
			if err := s.cfg.Cases.AddCaseParty(ctx, c.ID, a.PartyID, rc.User.Name); err != nil {
				return "", err
			}
			src := "scan " + a.RulePack + " at " + a.CreatedAt.UTC().Format(time.RFC3339)
			e := &vigil.Evidence{CaseID: c.ID, Kind: vigil.EvidenceAlert, ObjectID: a.ID, Note: reason, Source: src, AddedBy: rc.User.Name, AddedAt: s.cfg.Now()}
			if err := s.cfg.Cases.AddEvidence(ctx, e); err != nil {
				return "", err
			}
		}
		caseID = c.ID
	}
	if err := s.cfg.Alerts.TriageAlerts(ctx, vigil.AlertTriage{AlertIDs: ids, Status: status, Reason: reason, By: rc.User.Name, At: s.cfg.Now()}); err != nil {
		return "", err
	}
	for _, id := range ids {
		detail := string(status)
		if caseID != "" {
			detail += " to case " + caseID
		}
		if err := s.audit(ctx, rc, vigil.AuditTriageAlert, "alert", id, reason, detail); err != nil {
			return "", err
		}
	}
	return caseID, nil
}

// visibleCase returns the case when the caller has need-to-know of it:
// a member, or the supervisor of a member. Otherwise ENOTFOUND, so that the
// existence of a case is not disclosed either; the refusal is audited.
func (s *Server) visibleCase(ctx context.Context, rc *reqCtx, id string) (*vigil.Case, error) {
	name := rc.User.Name
	cs, _, err := s.cfg.Cases.FindCases(ctx, vigil.CaseFilter{ID: &id, VisibleTo: &name, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		s.audit(ctx, rc, vigil.AuditDenied, "case", id, "", "no need-to-know")
		return nil, vigil.Errorf(vigil.ENOTFOUND, "no case %s that you have need-to-know of", id)
	}
	return cs[0], nil
}

// visibleCases lists the cases the caller has need-to-know of.
func (s *Server) visibleCases(ctx context.Context, rc *reqCtx, status *vigil.CaseStatus, title *string) ([]*vigil.Case, int, error) {
	name := rc.User.Name
	return s.cfg.Cases.FindCases(ctx, vigil.CaseFilter{VisibleTo: &name, Status: status, Title: title, Limit: 200})
}

// partyView is everything the party page shows.
type partyView struct {
	Party     *vigil.Party          `json:"party"`
	Alerts    []*vigil.Alert        `json:"alerts"`
	Transfers []*vigil.Transfer     `json:"transfers,omitempty"` // all, in time order (API)
	Points    []vigil.TransferPoint `json:"-"`                   // all, in time order (page)
	Cases     []*vigil.Case         `json:"cases"`               // visible cases the party is in
	Purpose   string                `json:"purpose"`
	Totals    []currencyTotal       `json:"totals"` // sum sent, per currency
	Countries []string              `json:"countries"`
	Findings  *partyFindings        `json:"findings"` // matches, traces, handles, duplicate records
}

// currencyTotal is an amount in one currency: sums never mix currencies.
type currencyTotal struct {
	Currency string       `json:"currency"`
	Amount   vigil.Amount `json:"amount"`
}

// viewParty loads a party for a stated purpose and records the view. With
// full it loads every transfer whole (the API); otherwise only the points
// the page's chart and summary need, which keeps the page fast for parties
// with tens of thousands of transfers.
func (s *Server) viewParty(ctx context.Context, rc *reqCtx, id, purpose string, full bool) (*partyView, error) {
	purpose = strings.TrimSpace(purpose)
	if purpose == "" {
		return nil, vigil.Errorf(vigil.EINVALID, "state the purpose of looking at party %s", id)
	}
	p, err := s.cfg.Parties.FindPartyByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, rc, vigil.AuditViewParty, "party", id, purpose, ""); err != nil {
		return nil, err
	}
	v := &partyView{Party: p, Purpose: purpose}
	if v.Alerts, _, err = s.cfg.Alerts.QueryAlerts(ctx, vigil.AlertQuery{PartyID: &id, Limit: 100}); err != nil {
		return nil, err
	}
	if full {
		if v.Transfers, err = s.cfg.Transfers.FindTransfers(ctx, vigil.TransferFilter{SenderID: &id}); err != nil {
			return nil, err
		}
		v.Points = make([]vigil.TransferPoint, len(v.Transfers))
		for i, t := range v.Transfers {
			v.Points[i] = t.Point()
		}
	} else if v.Points, err = s.cfg.Network.TransferPoints(ctx, id); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	sums := map[string]vigil.Amount{}
	for i := range v.Points {
		p := &v.Points[i]
		sums[p.Currency] += p.Amount
		if !seen[p.BeneficiaryCountry] {
			seen[p.BeneficiaryCountry] = true
			v.Countries = append(v.Countries, p.BeneficiaryCountry)
		}
	}
	sort.Strings(v.Countries)
	for c, a := range sums {
		v.Totals = append(v.Totals, currencyTotal{Currency: c, Amount: a})
	}
	sort.Slice(v.Totals, func(i, j int) bool { return v.Totals[i].Currency < v.Totals[j].Currency })
	name := rc.User.Name
	if v.Cases, _, err = s.cfg.Cases.FindCases(ctx, vigil.CaseFilter{PartyID: &id, VisibleTo: &name, Limit: 50}); err != nil {
		return nil, err
	}
	if v.Findings, err = s.findingsOf(ctx, id); err != nil {
		return nil, err
	}
	return v, nil
}

// caseView is everything the case page and the dossier show.
type caseView struct {
	Case      *vigil.Case                `json:"case"`
	Assignee  string                     `json:"assignee"`
	Evidence  []*vigil.Evidence          `json:"evidence"`
	History   []*vigil.CaseEvent         `json:"history"`
	Parties   []*vigil.Party             `json:"parties"`
	Transfers map[string]*vigil.Transfer `json:"-"` // evidence transfers by id
	Alerts    map[string]*vigil.Alert    `json:"-"`
	Findings  map[string]*vigil.Finding  `json:"-"` // match and attribution evidence by id
	Next      []vigil.CaseStatus         `json:"next_statuses"`
}

// viewCase loads a case the caller has need-to-know of and records the view
// (or the export, for the dossier).
func (s *Server) viewCase(ctx context.Context, rc *reqCtx, id, action, purpose string) (*caseView, error) {
	c, err := s.visibleCase(ctx, rc, id)
	if err != nil {
		return nil, err
	}
	if purpose == "" {
		purpose = "case work"
	}
	if err := s.audit(ctx, rc, action, "case", id, purpose, ""); err != nil {
		return nil, err
	}
	v := &caseView{Case: c, Transfers: map[string]*vigil.Transfer{}, Alerts: map[string]*vigil.Alert{}, Findings: map[string]*vigil.Finding{}, Next: vigil.CaseTransitions[c.Status]}
	if v.Assignee, err = s.cfg.Cases.CaseAssignee(ctx, id); err != nil {
		return nil, err
	}
	if v.Evidence, err = s.cfg.Cases.FindEvidence(ctx, id); err != nil {
		return nil, err
	}
	if v.History, err = s.cfg.Cases.FindCaseEvents(ctx, id); err != nil {
		return nil, err
	}
	for _, pid := range c.PartyIDs {
		p, err := s.cfg.Parties.FindPartyByID(ctx, pid)
		if vigil.ErrorCode(err) == vigil.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		v.Parties = append(v.Parties, p)
	}
	want := map[string]bool{}
	for _, e := range v.Evidence {
		switch e.Kind {
		case vigil.EvidenceTransfer:
			want[e.ObjectID] = true
		case vigil.EvidenceAlert:
			if a, err := s.cfg.Alerts.FindAlertByID(ctx, e.ObjectID); err == nil {
				v.Alerts[a.ID] = a
			}
		case vigil.EvidenceMatch, vigil.EvidenceAttribution:
			if s.cfg.Findings != nil {
				if f, err := s.cfg.Findings.FindFindingByID(ctx, e.ObjectID); err == nil {
					v.Findings[f.ID] = f
				}
			}
		}
	}
	if len(want) > 0 {
		// Evidence transfers are found through their senders, the parties
		// of the case, or a full pass when a sender is not among them.
		found := 0
		for _, p := range c.PartyIDs {
			ts, err := s.cfg.Transfers.FindTransfers(ctx, vigil.TransferFilter{SenderID: &p})
			if err != nil {
				return nil, err
			}
			for _, t := range ts {
				if want[t.ID] {
					v.Transfers[t.ID] = t
					found++
				}
			}
		}
		if found < len(want) {
			err := s.cfg.Transfers.EachTransfer(ctx, func(t *vigil.Transfer) error {
				if want[t.ID] {
					v.Transfers[t.ID] = t
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

// createCase opens a case from the pages or the API.
func (s *Server) createCase(ctx context.Context, rc *reqCtx, title string, parties []string, reason string) (*vigil.Case, error) {
	for _, p := range parties {
		if _, err := s.cfg.Parties.FindPartyByID(ctx, p); err != nil {
			return nil, err
		}
	}
	c := &vigil.Case{Title: title, CreatedBy: rc.User.Name, PartyIDs: parties, CreatedAt: s.cfg.Now()}
	if err := s.cfg.Cases.CreateCase(ctx, c); err != nil {
		return nil, err
	}
	return c, s.audit(ctx, rc, vigil.AuditCreateCase, "case", c.ID, reason, "parties "+strings.Join(parties, ", "))
}

// setStatus moves a case along the workflow. Referring and closing are for
// supervisors; anyone with need-to-know may start or resume investigating.
func (s *Server) setStatus(ctx context.Context, rc *reqCtx, id, to, reason string) error {
	if _, err := s.visibleCase(ctx, rc, id); err != nil {
		return err
	}
	st := vigil.CaseStatus(to)
	if (st == vigil.CaseReferred || st == vigil.CaseClosed) && rc.User.Role != vigil.RoleSupervisor {
		return vigil.Errorf(vigil.EUNAUTHORIZED, "only a supervisor may refer or close a case")
	}
	if err := s.cfg.Cases.SetCaseStatus(ctx, id, st, reason, rc.User.Name); err != nil {
		return err
	}
	return s.audit(ctx, rc, vigil.AuditUpdateCase, "case", id, reason, "status "+to)
}

// assign makes an investigator the case's assignee.
func (s *Server) assign(ctx context.Context, rc *reqCtx, id, user string) error {
	if _, err := s.visibleCase(ctx, rc, id); err != nil {
		return err
	}
	u, err := s.cfg.Users.FindUserByName(ctx, user)
	if err != nil {
		return err
	}
	if u.Role != vigil.RoleInvestigator && u.Role != vigil.RoleSupervisor && u.Role != vigil.RoleAnalyst {
		return vigil.Errorf(vigil.EINVALID, "%s is an %s and cannot work cases", u.Name, u.Role)
	}
	if err := s.cfg.Cases.AssignCase(ctx, id, u.Name, rc.User.Name); err != nil {
		return err
	}
	return s.audit(ctx, rc, vigil.AuditAssignCase, "case", id, "", "assigned to "+u.Name)
}

// addEvidence adds items to a case. For transfers and alerts the record
// must exist and its provenance is taken from it.
func (s *Server) addEvidence(ctx context.Context, rc *reqCtx, caseID, kind string, objectIDs []string, note, source string) (int, error) {
	c, err := s.visibleCase(ctx, rc, caseID)
	if err != nil {
		return 0, err
	}
	if c.Status == vigil.CaseClosed {
		return 0, vigil.Errorf(vigil.EINVALID, "case %s is closed; reopen it to add evidence", caseID)
	}
	if kind == vigil.EvidenceNote {
		objectIDs = []string{""}
		if source == "" {
			source = "note by " + rc.User.Name
		}
	}
	if len(objectIDs) == 0 {
		return 0, vigil.Errorf(vigil.EINVALID, "select at least one %s", kind)
	}
	var byID map[string]*vigil.Transfer
	if kind == vigil.EvidenceTransfer {
		byID = map[string]*vigil.Transfer{}
		want := map[string]bool{}
		for _, id := range objectIDs {
			want[id] = true
		}
		err := s.cfg.Transfers.EachTransfer(ctx, func(t *vigil.Transfer) error {
			if want[t.ID] {
				byID[t.ID] = t
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	n := 0
	for _, oid := range objectIDs {
		src := source
		switch kind {
		case vigil.EvidenceTransfer:
			t := byID[oid]
			if t == nil {
				return n, vigil.Errorf(vigil.ENOTFOUND, "no transfer %q", oid)
			}
			if src == "" {
				src = t.Source
			}
			if src == "" {
				src = "store, transfer " + t.ID
			}
			if err := s.cfg.Cases.AddCaseParty(ctx, caseID, t.SenderID, rc.User.Name); err != nil {
				return n, err
			}
		case vigil.EvidenceAlert:
			a, err := s.cfg.Alerts.FindAlertByID(ctx, oid)
			if err != nil {
				return n, err
			}
			if src == "" {
				src = "scan " + a.RulePack + " at " + a.CreatedAt.UTC().Format(time.RFC3339)
			}
		case vigil.EvidenceMatch, vigil.EvidenceAttribution:
			// An imported finding brings its own provenance and parties;
			// anything else needs the user to say where it comes from.
			if f, err := s.findFinding(ctx, oid); err != nil {
				return n, err
			} else if f != nil {
				if f.EvidenceKind() != kind {
					return n, vigil.Errorf(vigil.EINVALID, "finding %s is %s evidence, not %s", oid, f.EvidenceKind(), kind)
				}
				if src == "" {
					src = findingSource(f)
				}
				for _, p := range f.PartyIDs {
					if _, err := s.cfg.Parties.FindPartyByID(ctx, p); err == nil {
						if err := s.cfg.Cases.AddCaseParty(ctx, caseID, p, rc.User.Name); err != nil {
							return n, err
						}
					}
				}
			} else if src == "" {
				return n, vigil.Errorf(vigil.EINVALID, "say where this %s comes from (source)", kind)
			}
		default:
			if src == "" {
				return n, vigil.Errorf(vigil.EINVALID, "say where this %s comes from (source)", kind)
			}
		}
		e := &vigil.Evidence{CaseID: caseID, Kind: kind, ObjectID: oid, Note: note, Source: src, AddedBy: rc.User.Name, AddedAt: s.cfg.Now()}
		if err := s.cfg.Cases.AddEvidence(ctx, e); err != nil {
			return n, err
		}
		if err := s.audit(ctx, rc, vigil.AuditAddEvidence, "case", caseID, note, kind+" "+oid+" as "+e.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
