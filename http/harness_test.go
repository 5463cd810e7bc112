package http

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

// testPassword is the password of every seeded test account.
const testPassword = "correct horse battery"

// world is a real store with a small synthetic world and a running server.
type world struct {
	t   testing.TB
	db  *sqlite.DB
	srv *Server
	url string
}

// seedWorld builds a store: parties P1..Pn (P1 carries a script in its
// name), transfers from each to a few recipients in PH and elsewhere,
// alerts on the first parties, and one account per role.
func seedWorld(t testing.TB, parties, transfersEach int) *world {
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
	for i := 1; i <= parties; i++ {
		p := &vigil.Party{ID: fmt.Sprintf("P%d", i), Kind: vigil.PartyPerson, FullName: fmt.Sprintf("Person %d", i),
			Country: "AU", City: "Perth", BirthDate: vigil.Date{Year: 1960 + i%30}, Source: fmt.Sprintf("parties.csv:%d", i+1)}
		if i == 1 {
			p.FullName = `<script>alert("x")</script> O'Brien`
		}
		if err := l.AddParty(p); err != nil {
			t.Fatal(err)
		}
	}
	base := time.Date(2026, 1, 5, 22, 0, 0, 0, time.FixedZone("AWST", 8*3600))
	recipients := []struct{ name, country string }{{"Maria Santos", "PH"}, {"Jun Reyes", "PH"}, {"Ana Cruz", "PH"}, {"Tom Smith", "GB"}}
	for i := 1; i <= parties; i++ {
		for j := 0; j < transfersEach; j++ {
			r := recipients[(i+j)%len(recipients)]
			tr := &vigil.Transfer{ID: fmt.Sprintf("T%d-%d", i, j), Timestamp: base.Add(time.Duration(j)*7*time.Hour + time.Duration(i)*time.Minute),
				SenderID: fmt.Sprintf("P%d", i), BeneficiaryName: r.name, BeneficiaryCountry: r.country,
				Amount: vigil.NewAmount(int64(15+(j*37)%185), 0), Currency: "AUD", Channel: vigil.ChannelRemittance,
				Purpose: "school fees", Source: fmt.Sprintf("transfers.csv:%d", (i-1)*transfersEach+j+2)}
			if i == 1 && j == 0 {
				tr.Purpose = `<img src=x onerror=alert(1)>`
			}
			if err := l.AddTransfer(tr); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A partner's lead (with a script in its name) and a seed.
	if err := l.AddLead("leads", &vigil.Lead{ID: "L1", FullName: `<script>alert("lead")</script> Reyes`, Phone: "+61400000001", Source: "leads.csv:2"}); err != nil {
		t.Fatal(err)
	}
	if err := l.AddLead("seeds", &vigil.Lead{ID: "S1", FullName: "Maria Santos", Handle: "maria_ph", Country: "PH", Source: "seeds.csv:2"}); err != nil {
		t.Fatal(err)
	}
	if err := l.Commit([]byte(`{"test":true}`)); err != nil {
		t.Fatal(err)
	}
	var alerts []*vigil.Alert
	for i := 1; i <= min(parties, 6); i++ {
		alerts = append(alerts, &vigil.Alert{ID: fmt.Sprintf("A%d", i), PartyID: fmt.Sprintf("P%d", i), Score: 0.95 - float64(i)*0.1, Rank: i,
			Typology: vigil.TypologyLiveStreaming, RulePack: "default 1",
			Hits: []vigil.Hit{{Code: "LSC-CORRIDOR-LOWVALUE", Contribution: 1.2, Detail: "small transfers to PH", TransferIDs: []string{fmt.Sprintf("T%d-0", i), fmt.Sprintf("T%d-1", i)}},
				{Code: "LSC-LATE-NIGHT", Contribution: 0.8, Detail: "late at night", TransferIDs: []string{fmt.Sprintf("T%d-0", i)}}}})
	}
	if err := db.ReplaceAlerts(ctx, alerts); err != nil {
		t.Fatal(err)
	}
	seedFindings(t, db)
	users := sqlite.NewUserService(db)
	hash, err := HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []vigil.User{
		{Name: "ana", Role: vigil.RoleAnalyst, Supervisor: "sue"},
		{Name: "ivan", Role: vigil.RoleInvestigator, Supervisor: "sue"},
		{Name: "ines", Role: vigil.RoleInvestigator, Supervisor: "sam"},
		{Name: "sue", Role: vigil.RoleSupervisor},
		{Name: "sam", Role: vigil.RoleSupervisor},
		{Name: "aud", Role: vigil.RoleAuditor},
		{Name: "adm", Role: vigil.RoleAdmin},
	} {
		u.PasswordHash = hash
		if err := users.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
	}
	return &world{t: t, db: db}
}

// config returns a Config wired to the world's store.
func (w *world) config() Config {
	return Config{
		Addr:      "127.0.0.1:0",
		Users:     sqlite.NewUserService(w.db),
		Audit:     sqlite.NewAuditService(w.db),
		Cases:     sqlite.NewCaseService(w.db),
		Parties:   w.db,
		Transfers: w.db,
		Alerts:    sqlite.NewAlertQueue(w.db),
		Network:   sqlite.NewNetwork(w.db),
		Findings:  sqlite.NewFindingService(w.db),
		Leads:     w.db,
	}
}

// testFindings are one result of each kind about P2 (the match's field
// values and the handle carry script that must be rendered inert).
const testFindings = `{"lead_id":"L1","party_id":"P2","score":0.9999,"bits":20.5,"prior_bits":-2,"decision":"match","fields":{"surname":{"level":"exact","bits":6.2,"lead":"<script>alert(1)</script>","party":"reyes"},"phone":{"level":"same","bits":14.3,"lead":"…0001","party":"…0001"}}}
{"party_id":"P2","name":"Person 2","score":1,"rank":1,"degree":1,"path":["S1","BEN-1","P2"],"evidence":{"relation":"direct_payer","seeds":["S1"],"ppr":0.4,"edges":[],"facts":["paid Maria Santos (seed S1) 6 times"]}}
{"account":"maria_ph","handle":"<img src=x onerror=alert(2)>","party_id":"P2","confidence":0.97,"sessions":5,"matched":4,"expected":0.2,"p_value":0.001,"pairs":[],"reason":"4 of 5 sessions minutes after a payment of P2"}
{"cluster_id":"P2","party_ids":["P2","P3"],"pairs":[{"a":"P2","b":"P3","score":0.98,"bits":9.1,"decision":"match","fields":{"birth_date":{"level":"exact","bits":9.1}}}]}
`

// seedFindings imports testFindings, each line as the tool's output.
func seedFindings(t testing.TB, db *sqlite.DB) {
	t.Helper()
	var fs []*vigil.Finding
	for i, line := range strings.Split(strings.TrimSpace(testFindings), "\n") {
		err := vigil.ReadFindings(strings.NewReader(line), fmt.Sprintf("out%d.jsonl", i), "", time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC), func(f *vigil.Finding) error {
			fs = append(fs, f)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sqlite.NewFindingService(db).PutFindings(context.Background(), fs); err != nil {
		t.Fatal(err)
	}
}

// findingOf returns the id of the test finding of a kind.
func findingOf(t testing.TB, db *sqlite.DB, kind vigil.FindingKind) string {
	t.Helper()
	fs, _, err := sqlite.NewFindingService(db).FindFindings(context.Background(), vigil.FindingFilter{Kind: &kind})
	if err != nil || len(fs) == 0 {
		t.Fatalf("no %s finding: %v", kind, err)
	}
	return fs[0].ID
}

// start runs a server on loopback.
func (w *world) start(cfg Config) *world {
	w.t.Helper()
	s, err := NewServer(cfg)
	if err != nil {
		w.t.Fatal(err)
	}
	if err := s.Open(); err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { s.Close() })
	w.srv, w.url = s, s.URL()
	return w
}

// client is a browser-like HTTP client: a cookie jar and no redirects
// followed, so tests see every answer.
type client struct {
	t    testing.TB
	base string
	hc   *http.Client
	csrf string
}

func (w *world) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: w.t, base: w.url, hc: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type resp struct {
	status int
	body   string
	header http.Header
}

func (c *client) do(method, path string, form url.Values, hdr map[string]string) resp {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	r, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return resp{r.StatusCode, string(b), r.Header}
}

func (c *client) get(path string) resp { return c.do("GET", path, nil, nil) }

// post sends a form with the session's CSRF token.
func (c *client) post(path string, form url.Values) resp {
	if form == nil {
		form = url.Values{}
	}
	if c.csrf != "" && form.Get("csrf") == "" {
		form.Set("csrf", c.csrf)
	}
	return c.do("POST", path, form, nil)
}

// postJSON sends JSON with the CSRF header.
func (c *client) postJSON(path, body string) resp {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	r, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return resp{r.StatusCode, string(b), r.Header}
}

var csrfAttr = regexp.MustCompile(`data-csrf="([^"]+)"`)

// login signs in and picks up the CSRF token from the first page.
func (c *client) login(name string) *client {
	c.t.Helper()
	r := c.do("POST", "/login", url.Values{"name": {name}, "password": {testPassword}}, nil)
	if r.status != http.StatusSeeOther {
		c.t.Fatalf("login %s: %d %s", name, r.status, r.body)
	}
	r = c.get("/api/v1/me")
	m := regexp.MustCompile(`"csrf_token":"([^"]+)"`).FindStringSubmatch(r.body)
	if m == nil {
		c.t.Fatalf("no csrf token for %s: %s", name, r.body)
	}
	c.csrf = m[1]
	return c
}

func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.base)
	for _, k := range c.hc.Jar.Cookies(u) {
		if k.Name == name {
			return k.Value
		}
	}
	return ""
}
