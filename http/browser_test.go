package http

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/dossier"
	"github.com/vigilfiu/vigil/sqlite"
)

// chromium finds Debian's chromium; without it the browser test skips,
// except in CI (CI=true) where it must run.
func chromium(t *testing.T) string {
	for _, p := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed but CI=true: the browser tests must run in CI (.ci/run installs it)")
	}
	t.Skip("chromium not found: install Debian's chromium to run the browser tests")
	return ""
}

// artifacts is where screenshots and the printed dossier go.
func artifacts(t *testing.T) string {
	dir := os.Getenv("VIGIL_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	dir = filepath.Join(dir, "http-browser")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowserJourney drives the workspace in a real browser: sign in,
// triage an alert, open a party, expand the graph, see a party's findings
// and the Leads page, build a case from alerts, add evidence (transfers, a
// note, a trace result), refer the case as the supervisor, print the
// dossier.
func TestBrowserJourney(t *testing.T) {
	exe := chromium(t)
	w := seedWorld(t, 6, 30)
	cfg := w.config()
	cfg.STR = goamlSTR{}
	cfg.Dossier = dossierFiles{dossier.NewStore(w.db)}
	w.start(cfg)
	out := artifacts(t)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	defer cancelT()

	// shot saves a full-page screenshot once the page has loaded; a page
	// still being replaced has no size yet, so it retries briefly.
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			var err error
			for range 10 {
				var ready bool
				ready, err = chromedp.Evaluate[bool](`document.readyState === "complete" && document.body.getBoundingClientRect().width > 0`)(ctx, tg)
				if err == nil && ready {
					var buf []byte
					if buf, err = chromedp.FullScreenshot(100)(ctx, tg); err == nil {
						return os.WriteFile(filepath.Join(out, name+".png"), buf, 0o644)
					}
				}
				time.Sleep(200 * time.Millisecond)
			}
			return err
		})
	}
	where := func() string {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		return loc
	}
	run := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s (at %s): %v", step, where(), err)
		}
	}
	get := func(step string, a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Fatalf("%s (at %s): %v", step, where(), err)
		}
		return v
	}
	attr := func(sel, name string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
		if err != nil {
			t.Fatalf("attribute %s of %s: %v", name, sel, err)
		}
		return v.Value
	}
	type ID = chromedp.ID
	type CSS = chromedp.CSS

	run("sign in",
		chromedp.Navigate(w.url+"/alerts"),
		chromedp.WaitVisible(ID("name")),
		chromedp.SendKeys(ID("name"), "ivan"),
		chromedp.SendKeys(ID("password"), testPassword),
		chromedp.Click(ID("signin")),
		chromedp.WaitVisible(ID("alert-table")),
		shot("01-alert-queue"),
	)
	// Keyboard triage: j to the third row, x to select it, r to the reason.
	run("triage an alert with the keyboard",
		chromedp.Focus(CSS("#alert-table tbody tr:nth-child(1)")),
		chromedp.KeyEvent("j"), chromedp.KeyEvent("j"), chromedp.KeyEvent("x"),
		chromedp.KeyEvent("r"),
		chromedp.SendKeys(ID("reason"), "family remittance: same surname, payday rhythm"),
		chromedp.Click(ID("dismiss")),
		chromedp.WaitVisible(CSS(".flash")),
		shot("02-after-triage"),
	)
	if flash := get("flash", chromedp.Text(CSS(".flash"))); !strings.Contains(flash, "1 alert(s) dismissed") {
		t.Fatalf("triage flash %q", flash)
	}
	a3, err := sqlite.NewAlertQueue(w.db).FindAlertByID(context.Background(), "A3")
	if err != nil || a3.Status != vigil.AlertDismissed {
		t.Fatalf("A3 after triage: %+v %v", a3, err)
	}

	js := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](expr+"; true")(ctx, tg)
			return err
		})
	}
	// poll waits until expr is true, riding out page loads in between.
	poll := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			deadline := time.Now().Add(20 * time.Second)
			for {
				ok, err := chromedp.Evaluate[bool](expr)(ctx, tg)
				if err == nil && ok {
					return nil
				}
				if time.Now().After(deadline) {
					return fmt.Errorf("still false after 20s: %s (last error %v)", expr, err)
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
	}
	// Filtering swaps the queue in place (htmx) and keeps the URL.
	run("filter the queue",
		js(`window.vigilMarker = 1`),
		chromedp.SetValue(ID("f-score"), "0.6"),
		js(`document.getElementById('filters').requestSubmit()`),
		poll(`document.querySelectorAll('#alert-table tbody tr[data-alert]').length === 2`),
		poll(`window.vigilMarker === 1`), // no page load happened
	)
	if loc := where(); !strings.Contains(loc, "min_score=0.6") {
		t.Fatalf("filtered queue URL %s", loc)
	}
	run("clear the filter",
		js(`document.getElementById('f-score').value = ''`),
		js(`document.getElementById('filters').requestSubmit()`),
		poll(`document.querySelectorAll('#alert-table tbody tr[data-alert]').length >= 5`),
	)

	run("open a party and its network",
		chromedp.Click(CSS(`tr[data-alert="A1"] a.party-link`)),
		chromedp.WaitVisible(CSS("#timeline svg")),
		chromedp.WaitVisible(CSS("#graph[data-loaded]")),
		shot("03-party"),
	)
	before, _ := strconv.Atoi(attr("#graph", "data-loaded"))
	if before < 2 {
		t.Fatalf("graph drew %d nodes", before)
	}
	run("expand a recipient in the graph",
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](`window.vigilGraph.nodes('[kind = "recipient"]')[0].emit('tap'); true`)(ctx, tg)
			return err
		}),
		chromedp.WaitVisible(CSS("#graph[data-expanded]")),
		chromedp.Sleep(300*time.Millisecond),
		shot("04-graph-expanded"),
	)
	if after, _ := strconv.Atoi(attr("#graph", "data-loaded")); after <= before {
		t.Fatalf("expanding added no node: %d → %d", before, after)
	}

	run("see a party's findings: lead matches, trace results, handles, linked records",
		chromedp.Navigate(w.url+"/parties/P2?purpose=lead+review"),
		chromedp.WaitVisible(CSS("#trace-results article.finding")),
		chromedp.WaitVisible(CSS("#linked-records article.finding")),
		chromedp.WaitVisible(CSS("#graph[data-loaded]")),
		chromedp.Sleep(300*time.Millisecond),
		shot("04b-party-findings"),
	)
	findings := get("findings", chromedp.Text(CSS("main")))
	for _, want := range []string{"Lead L1 · match", "Seed S1 · rank 1", "paid Maria Santos (seed S1) 6 times", "4/5 sessions paired", "Same person as P3"} {
		if !strings.Contains(findings, want) {
			t.Errorf("party page findings lack %q", want)
		}
	}
	run("the Leads page",
		chromedp.Click(CSS(`nav a[href="/leads"]`)),
		chromedp.WaitVisible(ID("seed-S1")),
		chromedp.WaitVisible(ID("lead-L1")),
		shot("04c-leads"),
	)

	run("build a case from alerts",
		chromedp.Navigate(w.url+"/alerts"),
		chromedp.WaitVisible(ID("alert-table")),
		chromedp.Click(CSS(`input[value="A1"]`)),
		chromedp.Click(CSS(`input[value="A2"]`)),
		chromedp.SendKeys(ID("reason"), "recurring late-night transfers to the same PH recipients"),
		chromedp.SendKeys(ID("case-title"), "Perth senders to Cebu"),
		chromedp.Click(ID("escalate")),
		chromedp.WaitVisible(ID("evidence")),
	)
	caseURL := get("case url", chromedp.Location())
	if title := get("case title", chromedp.Text(CSS("h1"))); !strings.Contains(title, "Perth senders to Cebu") {
		t.Fatalf("case page title %q", title)
	}
	caseID := caseURL[strings.LastIndex(caseURL, "/")+1:]
	if i := strings.IndexByte(caseID, '?'); i >= 0 {
		caseID = caseID[:i]
	}

	run("add evidence: transfers from the party page and a note",
		chromedp.Navigate(w.url+"/parties/P1?purpose=case+"+caseID),
		chromedp.WaitVisible(ID("transfers")),
		chromedp.Click(CSS(`input[name="object"][value="T1-0"]`)),
		chromedp.Click(CSS(`input[name="object"][value="T1-1"]`)),
		chromedp.SetValue(ID("evidence-case"), caseID),
		chromedp.Click(ID("add-evidence")),
		chromedp.WaitVisible(ID("evidence")),
		chromedp.SendKeys(ID("evidence-note"), "provider confirmed the account holder by phone"),
		chromedp.Click(ID("add-item")),
		poll(`document.readyState === "complete" && !!document.getElementById("evidence") && document.getElementById("evidence").textContent.includes("provider confirmed")`),
		shot("05-case"),
	)
	evidence := get("evidence", chromedp.Text(ID("evidence")))
	for _, want := range []string{"T1-0", "T1-1", "A1", "provider confirmed", "transfers.csv:2"} {
		if !strings.Contains(evidence, want) {
			t.Errorf("evidence table lacks %q:\n%s", want, evidence)
		}
	}

	run("add a trace result to the case from the party page",
		chromedp.Navigate(w.url+"/parties/P2?purpose=case+"+caseID),
		chromedp.WaitVisible(CSS("#trace-results details.finding-case")),
		chromedp.Click(CSS("#trace-results details.finding-case summary")),
		chromedp.SetValue(CSS(`#trace-results form select[name="case"]`), caseID),
		chromedp.SendKeys(CSS(`#trace-results form input[name="reason"]`), "P2 paid the arrested facilitator directly"),
		chromedp.Click(CSS(`#trace-results form button[type="submit"]`)),
		poll(`document.readyState === "complete" && !!document.getElementById("evidence") && document.getElementById("evidence").textContent.includes("Trace from S1")`),
	)
	run("start the investigation",
		chromedp.SetValue(ID("next-status"), "investigating"),
		chromedp.SendKeys(ID("status-reason"), "enough to investigate"),
		chromedp.Click(ID("change-status")),
		poll(`document.readyState === "complete" && document.querySelector("h1 .status") && document.querySelector("h1 .status").textContent === "investigating"`),
		shot("06-case-investigating"),
	)
	run("sign out; the supervisor signs in and refers the case",
		chromedp.Click(CSS(`form.who button`)),
		chromedp.WaitVisible(ID("name")),
		chromedp.Navigate(w.url+"/login?next=/cases/"+caseID),
		chromedp.WaitVisible(ID("name")),
		chromedp.SendKeys(ID("name"), "sue"),
		chromedp.SendKeys(ID("password"), testPassword),
		chromedp.Click(ID("signin")),
		chromedp.WaitVisible(ID("evidence")),
		chromedp.WaitVisible(ID("export-goaml")),
		chromedp.WaitVisible(ID("dossier-pdf")),
		chromedp.SetValue(ID("next-status"), "referred"),
		chromedp.SendKeys(ID("status-reason"), "referred to the police unit with the dossier"),
		chromedp.Click(ID("change-status")),
		poll(`document.readyState === "complete" && document.querySelector("h1 .status") && document.querySelector("h1 .status").textContent === "referred"`),
		shot("07-case-referred"),
	)
	if c, err := sqlite.NewCaseService(w.db).FindCaseByID(context.Background(), caseID); err != nil || c.Status != vigil.CaseReferred {
		t.Fatalf("case after referral: %+v %v", c, err)
	}

	run("open the dossier",
		chromedp.Click(ID("dossier-link")),
		chromedp.WaitVisible(CSS(".dossier")),
		shot("08-dossier"),
	)
	dossier := get("dossier", chromedp.Text(CSS(".dossier")))
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF())
	if err != nil {
		t.Fatalf("print the dossier: %v", err)
	}
	if err := os.WriteFile(filepath.Join(out, "09-dossier.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if len(pdf) < 1000 || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("printed dossier is %d bytes", len(pdf))
	}
	for _, want := range []string{"Case dossier " + caseID, "Perth senders to Cebu", "T1-0", "provider confirmed", "referred"} {
		if !strings.Contains(dossier, want) {
			t.Errorf("dossier lacks %q", want)
		}
	}
	// The same dossier as the prosecutor's self-contained files.
	for _, f := range []struct{ format, prefix string }{{"html", "<!doctype html>"}, {"pdf", "%PDF"}} {
		b, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("/cases/`+caseID+`/dossier/`+f.format+`").then(r => r.text()).then(t => t.slice(0, 15))`, chromedp.EvalAwaitPromise))
		if err != nil || !strings.HasPrefix(strings.ToLower(b), strings.ToLower(f.prefix)) {
			t.Errorf("download the %s dossier: %v %q", f.format, err, b)
		}
	}
	t.Logf("screenshots and dossier PDF in %s", out)
}
