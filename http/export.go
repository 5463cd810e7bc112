package http

import (
	"bytes"
	"context"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/vigilfiu/vigil"
)

// STR is what a suspicious transaction report for a case holds.
type STR struct {
	Case      *vigil.Case
	Parties   []*vigil.Party
	Transfers []*vigil.Transfer // the case's transfer evidence, or all its parties' transfers when it has none
	Alerts    []*vigil.Alert    // the parties' alerts
	By        string            // the supervisor who approved the report
	At        time.Time
}

// STRWriter writes a goAML STR (vigil serve wires package goaml with the
// reporting entity and the FIU's profile). It returns EINVALID naming what
// the schema requires and the case does not hold.
type STRWriter interface {
	WriteSTR(ctx context.Context, w *bytes.Buffer, r *STR) error
}

// exportSTR builds and writes the STR of a case. Only a supervisor with
// need-to-know may: issue 6 gives supervisors the approval of reports, and
// exporting the STR is that approval. Every export is audited.
func (s *Server) exportSTR(ctx context.Context, rc *reqCtx, id, purpose string) ([]byte, error) {
	if rc.User.Role != vigil.RoleSupervisor {
		s.audit(ctx, rc, vigil.AuditDenied, "case", id, purpose, "goAML export is for supervisors")
		return nil, vigil.Errorf(vigil.EUNAUTHORIZED, "only a supervisor may approve and export a goAML report")
	}
	if s.cfg.STR == nil {
		return nil, vigil.Errorf(vigil.ENOTIMPLEMENTED, "goAML export is not configured: start vigil serve with --goaml-entity entity.yaml")
	}
	if purpose == "" {
		purpose = "goAML STR"
	}
	v, err := s.viewCase(ctx, rc, id, vigil.AuditExport, purpose)
	if err != nil {
		return nil, err
	}
	r := &STR{Case: v.Case, Parties: v.Parties, By: rc.User.Name, At: s.cfg.Now()}
	for _, t := range v.Transfers {
		r.Transfers = append(r.Transfers, t)
	}
	if len(r.Transfers) == 0 {
		for _, p := range v.Parties {
			ts, err := s.cfg.Transfers.FindTransfers(ctx, vigil.TransferFilter{SenderID: &p.ID})
			if err != nil {
				return nil, err
			}
			r.Transfers = append(r.Transfers, ts...)
		}
	}
	sortTransfers(r.Transfers)
	for _, p := range v.Parties {
		pid := p.ID
		as, _, err := s.cfg.Alerts.QueryAlerts(ctx, vigil.AlertQuery{PartyID: &pid, Limit: 100})
		if err != nil {
			return nil, err
		}
		r.Alerts = append(r.Alerts, as...)
	}
	sort.SliceStable(r.Alerts, func(i, j int) bool { return r.Alerts[i].Score > r.Alerts[j].Score })
	var buf bytes.Buffer
	if err := s.cfg.STR.WriteSTR(ctx, &buf, r); err != nil {
		return nil, err
	}
	return buf.Bytes(), s.audit(ctx, rc, vigil.AuditExport, "case", id, purpose,
		"goAML STR approved: "+strconv.Itoa(len(r.Transfers))+" transaction(s), "+strconv.Itoa(len(r.Parties))+" part(ies), "+strconv.Itoa(len(buf.Bytes()))+" bytes")
}

func (s *Server) handleExportSTR(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id := r.PathValue("id")
	b, err := s.exportSTR(r.Context(), rc, id, r.PostFormValue("purpose"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+safeFilename(id)+`-goaml-str.xml"`)
	_, err = w.Write(b)
	return err
}

// safeFilename keeps letters, digits, dash and underscore.
func safeFilename(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			b = append(b, c)
		}
	}
	if len(b) == 0 {
		return "case"
	}
	return string(b)
}
