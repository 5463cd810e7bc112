package dossier

import (
	_ "embed"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

//go:embed dossier.html.tmpl
var pageSource string

var page = template.Must(template.New("dossier").Funcs(template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04:05 UTC")
	},
	"amount": func(a vigil.Amount) string { return a.String() },
	"score":  func(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) },
	"signed": func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) },
	"join":   strings.Join,
	"inc":    func(i int) int { return i + 1 },
	"add":    func(a, b float64) float64 { return a + b },
}).Parse(pageSource))

// view is what the template reads: the dossier and what is computed from it.
type view struct {
	*Dossier
	PartyName  map[string]string // party id → full name
	Timeline   *timeline
	Network    *network
	IsEvidence map[string]bool // transfer ids named as evidence
	Recipients map[string]*recipient
}

// Recipient returns the chart entry of a transfer's recipient.
func (v *view) Recipient(t *vigil.Transfer) *recipient { return v.Recipients[vigil.RecipientKey(t)] }

// WriteHTML writes d as one self-contained HTML document: inline CSS,
// server-drawn SVG, no script and no external reference, so it reads the
// same offline, in a mail attachment or printed. Every value from the store
// is escaped, so a name holding markup shows as text.
func WriteHTML(w io.Writer, d *Dossier) error {
	recips, by := recipients(d.Transfers)
	v := &view{
		Dossier:    d,
		PartyName:  map[string]string{},
		Timeline:   newTimeline(d.Transfers, recips, by),
		Network:    newNetwork(d.Parties, d.Transfers, recips),
		IsEvidence: map[string]bool{},
		Recipients: by,
	}
	for _, p := range d.Parties {
		v.PartyName[p.ID] = p.FullName
	}
	for _, e := range d.Evidence {
		if e.Kind == vigil.EvidenceTransfer {
			v.IsEvidence[e.ObjectID] = true
		}
	}
	if err := page.Execute(w, v); err != nil {
		return vigil.Errorf(vigil.EINTERNAL, "writing the dossier of case %s: %v", d.Case.ID, err)
	}
	return nil
}
