package http

import (
	"context"
	"net/http"
	"strconv"

	"github.com/vigilfiu/vigil"
)

// DossierRenderer renders a case's self-contained dossier for download
// (vigil serve wires package dossier). HTML returns the document written
// for user by; PDF prints such a document (ENOTIMPLEMENTED without a
// headless browser).
type DossierRenderer interface {
	HTML(ctx context.Context, caseID, by string) ([]byte, error)
	PDF(ctx context.Context, html []byte) ([]byte, error)
}

// handleDossierFile downloads the dossier as one HTML file or as PDF:
// for the case's members and their supervisors, audited as an export.
func (s *Server) handleDossierFile(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	ctx := r.Context()
	id, format := r.PathValue("id"), r.PathValue("format")
	if format != "html" && format != "pdf" {
		return vigil.Errorf(vigil.ENOTFOUND, "no dossier format %q (html or pdf)", format)
	}
	if s.cfg.Dossier == nil {
		return vigil.Errorf(vigil.ENOTIMPLEMENTED, "dossier downloads are not configured on this server; use the printable dossier")
	}
	if _, err := s.visibleCase(ctx, rc, id); err != nil {
		return err
	}
	b, err := s.cfg.Dossier.HTML(ctx, id, rc.User.Name)
	if err != nil {
		return err
	}
	ctype := "text/html; charset=utf-8"
	if format == "pdf" {
		if b, err = s.cfg.Dossier.PDF(ctx, b); err != nil {
			return err
		}
		ctype = "application/pdf"
	}
	if err := s.audit(ctx, rc, vigil.AuditExport, "case", id, "dossier", "dossier "+format+", "+strconv.Itoa(len(b))+" bytes"); err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+safeFilename(id)+`-dossier.`+format+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, err = w.Write(b)
	return err
}
