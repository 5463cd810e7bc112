package detect

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/vigilfiu/vigil"
)

// alertLine is one line of a scan's JSON Lines output, in the documented
// key order.
type alertLine struct {
	PartyID    string         `json:"party_id"`
	Score      float64        `json:"score"`
	Rank       int            `json:"rank"`
	Typology   vigil.Typology `json:"typology"`
	Indicators []vigil.Hit    `json:"indicators"`
	RulePack   string         `json:"rule_pack"`
}

// Reported reports whether an alert belongs in a scan's default output:
// its score reaches the pack's threshold, or it is flagged with another
// typology (romance scam).
func Reported(a *vigil.Alert) bool { return a.Typology != vigil.TypologyNone }

// WriteAlerts writes alerts as JSON Lines, one object per line:
// {"party_id","score","rank","typology","indicators":[{"code",
// "contribution","detail","transfer_ids"}],"rule_pack"}.
func WriteAlerts(w io.Writer, alerts []*vigil.Alert) error {
	aw := NewAlertWriter(w)
	for _, a := range alerts {
		if err := aw.Write(a); err != nil {
			return err
		}
	}
	return aw.Flush()
}

// AlertWriter writes alerts one at a time in WriteAlerts' format, so that
// a caller can explain, write and drop each alert in turn instead of
// holding every explained alert until the last is written.
type AlertWriter struct {
	bw  *bufio.Writer
	enc *json.Encoder
}

// NewAlertWriter returns an AlertWriter buffering into w; call Flush at
// the end.
func NewAlertWriter(w io.Writer) *AlertWriter {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &AlertWriter{bw: bw, enc: enc}
}

// Write writes one alert's line.
func (aw *AlertWriter) Write(a *vigil.Alert) error {
	hits := a.Hits
	if hits == nil {
		hits = []vigil.Hit{}
	}
	return aw.enc.Encode(alertLine{a.PartyID, a.Score, a.Rank, a.Typology, hits, a.RulePack})
}

// Flush writes what is buffered.
func (aw *AlertWriter) Flush() error { return aw.bw.Flush() }

// Summary describes a scan for people.
type Summary struct {
	RulePack      string         `json:"rule_pack"`
	Transfers     int64          `json:"transfers"`
	Rejected      int64          `json:"rejected"`
	OutOfOrder    int64          `json:"out_of_order"`
	Senders       int            `json:"senders"`
	Beneficiaries int            `json:"beneficiaries"`
	Alerts        int            `json:"alerts"`
	Written       int            `json:"written"`
	ByTypology    map[string]int `json:"by_typology"`
	MissingRates  map[string]int `json:"missing_rates,omitempty"`
	Top           []*vigil.Alert `json:"-"`
}

// Summarise counts a scan's outcome: alerts, ranked, hold at least every
// reported alert of the scored senders; top is the number of leading
// alerts to show in the table.
func (e *Engine) Summarise(alerts []*vigil.Alert, scored int, st FeedStats, written, top int) *Summary {
	s := &Summary{RulePack: e.pack.Label(), Transfers: st.Transfers, Rejected: st.Rejected, OutOfOrder: st.OutOfOrder,
		Senders: scored, Written: written, ByTypology: map[string]int{}, MissingRates: e.MissingRates()}
	s.Beneficiaries = e.res.Clusters()
	for _, a := range alerts {
		if Reported(a) {
			s.Alerts++
			s.ByTypology[string(a.Typology)]++
			if len(s.Top) < top {
				s.Top = append(s.Top, a)
			}
		}
	}
	return s
}

// WriteTable prints the summary and the top alerts as a plain table.
func (s *Summary) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "rule pack      %s\n", s.RulePack)
	fmt.Fprintf(w, "transfers      %d scanned, %d rejected rows\n", s.Transfers, s.Rejected)
	if s.OutOfOrder > 0 {
		fmt.Fprintf(w, "               %d transfers came before their sender's previous one (intervals measured to the latest)\n", s.OutOfOrder)
	}
	fmt.Fprintf(w, "senders        %d scored, %d beneficiaries resolved\n", s.Senders, s.Beneficiaries)
	var ts []string
	for t, n := range s.ByTypology {
		ts = append(ts, fmt.Sprintf("%s %d", t, n))
	}
	sort.Strings(ts)
	fmt.Fprintf(w, "alerts         %d (%s), %d lines written\n", s.Alerts, strings.Join(ts, ", "), s.Written)
	if len(s.MissingRates) > 0 {
		var ms []string
		for c, n := range s.MissingRates {
			ms = append(ms, fmt.Sprintf("%s (%d transfers)", c, n))
		}
		sort.Strings(ms)
		fmt.Fprintf(w, "warning        no FX rate for %s: amounts compared as if EUR (give --fx rates.csv)\n", strings.Join(ms, ", "))
	}
	if len(s.Top) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%5s  %-16s %6s  %-18s %s\n", "rank", "party", "score", "typology", "main indicators")
	for _, a := range s.Top {
		hs := append([]vigil.Hit(nil), a.Hits...)
		sort.Slice(hs, func(i, j int) bool { return hs[i].Contribution > hs[j].Contribution })
		var codes []string
		for i := 0; i < len(hs) && i < 3; i++ {
			codes = append(codes, fmt.Sprintf("%s %+.1f", hs[i].Code, hs[i].Contribution))
		}
		fmt.Fprintf(w, "%5d  %-16s %6.3f  %-18s %s\n", a.Rank, a.PartyID, a.Score, a.Typology, strings.Join(codes, ", "))
	}
}
