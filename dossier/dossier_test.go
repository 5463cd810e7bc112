package dossier

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/detect"
	"github.com/vigilfiu/vigil/sqlite"
)

const hostileName = `<script>alert("x")</script> O'Brien`

// fixture is a store with a case built through the real services.
type fixture struct {
	db     *sqlite.DB
	caseID string
	code   string // a catalogue indicator code used in the alert
	source string // one of its published sources
}

// newFixture stores two parties (the first with a script in its name and a
// full KYC record), 12 transfers from P1 to three recipients and 5 from P2,
// an alert on P1 with a catalogue indicator, and a case on both parties
// with a status change and five evidence items.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	l, err := db.BeginLoad(ctx)
	if err != nil {
		t.Fatal(err)
	}
	parties := []*vigil.Party{
		{ID: "P1", Kind: vigil.PartyPerson, FullName: hostileName, BirthDate: vigil.Date{Year: 1971, Month: 4, Day: 2}, Gender: "M",
			Nationality: "AU", Country: "AU", City: "Perth", Address: "1 Test Street", Postcode: "6000", Phone: "+61400000001",
			Email: "p1@example.test", IDNumber: "PA1234567", Source: "parties.csv:2"},
		{ID: "P2", Kind: vigil.PartyPerson, FullName: "Dana Example", Country: "AU", Source: "parties.csv:3"},
	}
	for _, p := range parties {
		if err := l.AddParty(p); err != nil {
			t.Fatal(err)
		}
	}
	base := time.Date(2026, 3, 2, 22, 15, 0, 0, time.FixedZone("AWST", 8*3600))
	recips := []string{"Maria Santos", "Jun Reyes", "Ana Cruz"}
	for i := 0; i < 12; i++ {
		tr := &vigil.Transfer{ID: fmt.Sprintf("T1-%02d", i), Timestamp: base.Add(time.Duration(i) * 31 * time.Hour), SenderID: "P1",
			BeneficiaryName: recips[i%3], BeneficiaryCountry: "PH", Amount: vigil.NewAmount(int64(20+i*15), 500000), Currency: "AUD",
			Channel: vigil.ChannelRemittance, Purpose: "school fees", Source: fmt.Sprintf("transfers.csv:%d", i+2)}
		if i == 0 {
			tr.Purpose = `<img src=x onerror=alert(1)>`
		}
		if err := l.AddTransfer(tr); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 5; i++ {
		tr := &vigil.Transfer{ID: fmt.Sprintf("T2-%02d", i), Timestamp: base.Add(40*time.Hour + time.Duration(i)*50*time.Hour), SenderID: "P2",
			BeneficiaryName: "Lee Family", BeneficiaryCountry: "PH", Amount: vigil.NewAmount(300, 0), Currency: "AUD",
			Channel: vigil.ChannelBank, Source: fmt.Sprintf("transfers.csv:%d", i+14)}
		if err := l.AddTransfer(tr); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Commit([]byte(`{"test":true}`)); err != nil {
		t.Fatal(err)
	}
	defs, err := detect.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	var def detect.Definition
	for _, d := range defs {
		if len(d.Sources) > 0 {
			def = d
			break
		}
	}
	if def.Code == "" {
		t.Fatal("the catalogue has no indicator with a published source")
	}
	f := &fixture{db: db, code: def.Code, source: def.Sources[0]}
	if err := db.ReplaceAlerts(ctx, []*vigil.Alert{{ID: "A1", PartyID: "P1", Score: 0.912, Rank: 1, Typology: vigil.TypologyLiveStreaming,
		RulePack: "default 1", Hits: []vigil.Hit{
			{Code: def.Code, Contribution: 1.25, Detail: "12 transfers to PH", TransferIDs: []string{"T1-00", "T1-01"}},
			{Code: "NOT-IN-CATALOGUE", Contribution: -0.5, Detail: "a code the catalogue does not know", TransferIDs: []string{"T1-02"}},
		}}}); err != nil {
		t.Fatal(err)
	}
	cs := sqlite.NewCaseService(db)
	c := &vigil.Case{Title: "Payments to PH " + hostileName, CreatedBy: "ivan", Members: []string{"ivan"}, PartyIDs: []string{"P1", "P2"}}
	if err := cs.CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := cs.SetCaseStatus(ctx, c.ID, vigil.CaseInvestigating, "alert A1 escalated", "sue"); err != nil {
		t.Fatal(err)
	}
	if err := cs.AssignCase(ctx, c.ID, "ivan", "sue"); err != nil {
		t.Fatal(err)
	}
	for _, e := range []*vigil.Evidence{
		{Kind: vigil.EvidenceTransfer, ObjectID: "T1-00", Source: "transfers.csv:2", AddedBy: "ivan"},
		{Kind: vigil.EvidenceTransfer, ObjectID: "T1-01", Source: "transfers.csv:3", AddedBy: "ivan"},
		{Kind: vigil.EvidenceTransfer, ObjectID: "T2-00", Source: "transfers.csv:14", AddedBy: "ana"},
		{Kind: vigil.EvidenceAlert, ObjectID: "A1", Source: "scan default 1", AddedBy: "ivan"},
		{Kind: vigil.EvidenceNote, Note: "Recipient " + hostileName + " also named in lead L1", Source: "analyst note", AddedBy: "ivan"},
	} {
		e.CaseID = c.ID
		if err := cs.AddEvidence(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	f.caseID = c.ID
	return f
}

// elem is a parsed element of the dossier.
type elem struct {
	name     string
	attr     map[string]string
	children []*elem
	text     strings.Builder
}

func (e *elem) all(fn func(*elem) bool) []*elem {
	var out []*elem
	var walk func(*elem)
	walk = func(n *elem) {
		if fn(n) {
			out = append(out, n)
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(e)
	return out
}

func (e *elem) byName(name string) []*elem {
	return e.all(func(n *elem) bool { return n.name == name })
}

func (e *elem) byClass(name, class string) []*elem {
	return e.all(func(n *elem) bool { return n.name == name && n.attr["class"] == class })
}

func (e *elem) byID(id string) *elem {
	if got := e.all(func(n *elem) bool { return n.attr["id"] == id }); len(got) == 1 {
		return got[0]
	}
	return nil
}

// Text is the element's text with its descendants'.
func (e *elem) Text() string {
	var b strings.Builder
	var walk func(*elem)
	walk = func(n *elem) {
		b.WriteString(n.text.String())
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(e)
	return b.String()
}

// parse reads the dossier back with a strict XML decoder: the writer emits
// well-formed markup, so any unbalanced or unescaped value fails here.
func parse(t *testing.T, doc []byte) *elem {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.Strict = true
	dec.Entity = xml.HTMLEntity
	root := &elem{name: "#document", attr: map[string]string{}}
	stack := []*elem{root}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the dossier is not well-formed: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &elem{name: tk.Name.Local, attr: map[string]string{}}
			for _, a := range tk.Attr {
				n.attr[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			stack[len(stack)-1].text.Write(tk)
		}
	}
	return root
}

func render(t *testing.T, d *Dossier) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDossierHTML(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d, err := Load(ctx, NewStore(f.db), f.caseID)
	if err != nil {
		t.Fatal(err)
	}
	d.GeneratedBy = "ivan"
	if !d.EvidenceOnly || len(d.Transfers) != 3 {
		t.Fatalf("with transfer evidence the dossier shows the 3 evidence transfers, got %d (evidence only %v)", len(d.Transfers), d.EvidenceOnly)
	}
	if d.Assignee != "ivan" {
		t.Errorf("assignee %q, want ivan", d.Assignee)
	}
	doc := render(t, d)
	root := parse(t, doc)

	header := root.byID("case")
	if header == nil {
		t.Fatal("no case header")
	}
	for _, want := range []string{f.caseID, "Payments to PH", "investigating", "ivan", d.GeneratedAt.Format("2006-01-02")} {
		if !strings.Contains(header.Text(), want) {
			t.Errorf("case header lacks %q", want)
		}
	}

	hist := root.byID("history").byName("tr")
	if len(hist) != 1+3 { // heading, created, status, assigned
		t.Errorf("status history has %d rows, want a heading and 3 events", len(hist))
	}
	if txt := root.byID("history").Text(); !strings.Contains(txt, "alert A1 escalated") || !strings.Contains(txt, "investigating") {
		t.Errorf("status history lacks the status change and its reason: %q", txt)
	}

	pt := root.byID("parties").byClass("table", "kv party")
	if len(pt) != 2 {
		t.Fatalf("%d party tables, want 2", len(pt))
	}
	for _, want := range []string{"P1", hostileName, "1971-04-02", "PA1234567", "+61400000001", "p1@example.test", "1 Test Street", "parties.csv:2"} {
		if !strings.Contains(pt[0].Text(), want) {
			t.Errorf("party P1 identity lacks %q", want)
		}
	}

	ev := root.byID("evidence").byClass("tr", "evidence")
	if len(ev) != 5 {
		t.Fatalf("%d evidence rows, want 5", len(ev))
	}
	cells := ev[2].byName("td")
	got := []string{cells[1].Text(), cells[2].Text(), cells[3].Text(), cells[4].Text()}
	if strings.Join(got, "|") != "transfer|T2-00|transfers.csv:14|ana" || !strings.HasPrefix(cells[5].Text(), "20") {
		t.Errorf("evidence row 3 reads %q (added at %q)", got, cells[5].Text())
	}

	alerts := root.byID("alerts")
	if txt := alerts.Text(); !strings.Contains(txt, f.code) || !strings.Contains(txt, f.source) || !strings.Contains(txt, "0.912") ||
		!strings.Contains(txt, "NOT-IN-CATALOGUE") || !strings.Contains(txt, "12 transfers to PH") {
		t.Errorf("alerts section lacks the indicator, its published source or the score: %q", txt)
	}

	svgs := root.byID("timeline").byName("svg")
	if len(svgs) == 0 {
		t.Fatal("no timeline chart")
	}
	dots := svgs[0].byClass("circle", "transfer")
	if len(dots) != 3 {
		t.Fatalf("timeline has %d dots, want one per transfer (3)", len(dots))
	}
	fills := map[string]bool{}
	for _, c := range dots {
		fills[c.attr["fill"]] = true
	}
	if len(fills) != 3 { // Maria Santos, Jun Reyes, Lee Family
		t.Errorf("timeline dots have %d colours, want one per recipient (3)", len(fills))
	}
	// Dots go right with time: T1-00 < T1-01 < T2-00 in time.
	var xs []string
	for _, c := range dots {
		xs = append(xs, c.attr["cx"])
	}
	if !(atof(t, xs[0]) < atof(t, xs[1]) && atof(t, xs[1]) < atof(t, xs[2])) {
		t.Errorf("timeline x positions not in time order: %v", xs)
	}

	net := root.byID("network")
	if n := len(net.byClass("g", "party")); n != 2 {
		t.Errorf("network has %d party nodes, want 2", n)
	}
	if n := len(net.byClass("g", "recipient")); n != 3 {
		t.Errorf("network has %d recipient nodes, want 3", n)
	}
	if n := len(net.byClass("line", "edge")); n != 3 {
		t.Errorf("network has %d edges, want 3", n)
	}

	rows := root.byID("transfers").byClass("tr", "transfer")
	if len(rows) != 3 {
		t.Fatalf("transfer table has %d rows, want 3", len(rows))
	}
	if txt := rows[0].Text(); !strings.Contains(txt, "T1-00") || !strings.Contains(txt, "20.50") || !strings.Contains(txt, "Maria Santos, PH") ||
		!strings.Contains(txt, "transfers.csv:2") || !strings.Contains(txt, "<img src=x onerror=alert(1)>") {
		t.Errorf("first transfer row reads %q", txt)
	}
	if txt := root.byID("generated").Text(); !strings.Contains(txt, "ivan") || !strings.Contains(txt, d.GeneratedAt.Format("2006-01-02 15:04:05")) {
		t.Errorf("footer lacks the generation user and time: %q", txt)
	}

	// Inert: no script, no event handler, no external reference; the
	// hostile name shows as text.
	if n := len(root.byName("script")) + len(root.byName("img")) + len(root.byName("iframe")) + len(root.byName("link")); n != 0 {
		t.Errorf("the dossier holds %d script/img/iframe/link elements", n)
	}
	for _, n := range root.all(func(*elem) bool { return true }) {
		for k, v := range n.attr {
			if strings.HasPrefix(k, "on") || k == "src" || k == "href" || strings.Contains(v, "http://") && k != "xmlns" || strings.Contains(v, "https://") {
				t.Errorf("element %s has attribute %s=%q", n.name, k, v)
			}
		}
	}
	if !bytes.Contains(doc, []byte("&lt;script&gt;")) {
		t.Error("the hostile name is not escaped")
	}
	if regexp.MustCompile(`(?i)@import|url\(`).Match(doc) {
		t.Error("the CSS refers to an external resource")
	}

	// Deterministic for the same dossier.
	if again := render(t, d); !bytes.Equal(doc, again) {
		t.Error("two renderings of the same dossier differ")
	}
	if dir := os.Getenv("VIGIL_ARTIFACTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "dossier.html"), doc, 0o644)
	}
}

func atof(t *testing.T, s string) float64 {
	var v float64
	if _, err := fmt.Sscan(s, &v); err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return v
}

// Without transfer evidence the dossier shows every transfer the case
// parties sent.
func TestDossierAllTransfers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cs := sqlite.NewCaseService(f.db)
	c := &vigil.Case{Title: "No evidence yet", CreatedBy: "ana", PartyIDs: []string{"P1", "P2"}}
	if err := cs.CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	d, err := Load(ctx, NewStore(f.db), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.EvidenceOnly || len(d.Transfers) != 17 || len(d.Alerts) != 1 {
		t.Fatalf("got %d transfers, %d alerts (evidence only %v), want 17 and 1", len(d.Transfers), len(d.Alerts), d.EvidenceOnly)
	}
	root := parse(t, render(t, d))
	if n := len(root.byID("timeline").byClass("circle", "transfer")); n != 17 {
		t.Errorf("timeline has %d dots, want 17", n)
	}
	if n := len(root.byID("network").byClass("g", "recipient")); n != 4 {
		t.Errorf("network has %d recipients, want 4", n)
	}
	if txt := root.byID("evidence").Text(); !strings.Contains(txt, "No evidence") {
		t.Errorf("empty evidence not stated: %q", txt)
	}
}

func TestDossierUnknownCase(t *testing.T) {
	f := newFixture(t)
	_, err := Load(context.Background(), NewStore(f.db), "no-such-case")
	if vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Fatalf("unknown case: got %v, want ENOTFOUND", err)
	}
}

// The network picture caps the recipients it draws and says so.
func TestNetworkCap(t *testing.T) {
	var ts []*vigil.Transfer
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < networkMax+7; i++ {
		ts = append(ts, &vigil.Transfer{ID: fmt.Sprint(i), Timestamp: base.Add(time.Duration(i) * time.Hour), SenderID: "P1",
			BeneficiaryName: fmt.Sprintf("R%03d", i), BeneficiaryCountry: "PH", Amount: vigil.NewAmount(10, 0), Currency: "EUR"})
	}
	rs, _ := recipients(ts)
	n := newNetwork([]*vigil.Party{{ID: "P1", FullName: "X"}}, ts, rs)
	if len(n.Recipients) != networkMax || n.Omitted != 7 || len(n.Edges) != networkMax {
		t.Fatalf("drew %d recipients and %d edges, omitted %d", len(n.Recipients), len(n.Edges), n.Omitted)
	}
}

func TestDossierPDF(t *testing.T) {
	if _, err := Browser(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed but CI=true: .ci/run installs it, the PDF test must run")
		}
		t.Skip("chromium not found: install Debian's chromium to run the PDF test")
	}
	f := newFixture(t)
	ctx := context.Background()
	d, err := Load(ctx, NewStore(f.db), f.caseID)
	if err != nil {
		t.Fatal(err)
	}
	d.GeneratedBy = "ivan"
	pdf, err := PDF(ctx, render(t, d))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 16)])
	}
	pages := regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1)
	if len(pages) < 2 {
		t.Errorf("the PDF has %d pages, want the dossier over at least 2", len(pages))
	}
	if dir := os.Getenv("VIGIL_ARTIFACTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "dossier.pdf"), pdf, 0o644)
	}
}

// Services over the same store reads the same dossier as Store.
func TestServicesSource(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	src := Services{Cases: sqlite.NewCaseService(f.db), Parties: f.db, Transfers: f.db, Alerts: f.db, Queue: sqlite.NewAlertQueue(f.db), Catalogue: Catalogue()}
	a, err := Load(ctx, src, f.caseID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load(ctx, NewStore(f.db), f.caseID)
	if err != nil {
		t.Fatal(err)
	}
	a.GeneratedAt, b.GeneratedAt = time.Time{}, time.Time{}
	if x, y := render(t, a), render(t, b); !bytes.Equal(x, y) {
		t.Error("Services and Store give different dossiers")
	}
	if _, ok := a.Indicators[f.code]; !ok {
		t.Errorf("Services: indicator %s not described", f.code)
	}
}

// Without chromium on the PATH, PDF says what is missing.
func TestPDFWithoutChromium(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := PDF(context.Background(), []byte("<html></html>"))
	if vigil.ErrorCode(err) != vigil.ENOTIMPLEMENTED || !strings.Contains(err.Error(), "needs chromium") {
		t.Fatalf("got %v, want ENOTIMPLEMENTED naming chromium", err)
	}
}
