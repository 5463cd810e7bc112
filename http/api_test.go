package http

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/detect"
)

// engineScorer is the same adapter cmd/vigil wires: the real streaming
// engine behind a mutex.
type engineScorer struct {
	mu sync.Mutex
	e  *detect.Engine
}

func (s *engineScorer) ScoreTransfer(ctx context.Context, t *vigil.Transfer) (*vigil.Alert, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Score explains the sender's hits (details and transfers) itself;
	// calling Explain again would only repeat the work.
	return s.e.ObserveAndScore(t)
}

// ScoreTransferOnly is the scoring API's path when the caller did not ask
// for ?explain=1: the same score, typology and contributions, without the
// hits' details and transfer ids (about half of a call's CPU).
func (s *engineScorer) ScoreTransferOnly(ctx context.Context, t *vigil.Transfer) (*vigil.Alert, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.e.ObserveAndScoreOnly(t)
}

func newTestScorer(t testing.TB, w *world) *engineScorer {
	pack, err := detect.DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	eng, err := detect.NewEngine(pack, detect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ps, _, err := w.db.FindParties(context.Background(), vigil.PartyFilter{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		eng.AddParty(p)
	}
	if err := w.db.EachTransfer(context.Background(), func(tr *vigil.Transfer) error { eng.Observe(tr); return nil }); err != nil {
		t.Fatal(err)
	}
	return &engineScorer{e: eng}
}

func bearer(c *client, method, path, token, body string) resp {
	c.t.Helper()
	var hdr = map[string]string{"Authorization": "Bearer " + token}
	if body == "" {
		return c.do(method, path, nil, hdr)
	}
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	r, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer r.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := r.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp{r.StatusCode, b.String(), r.Header}
}

func TestAPITokensAndScoring(t *testing.T) {
	w := seedWorld(t, 5, 20)
	cfg := w.config()
	cfg.Scorer = newTestScorer(t, w)
	w.start(cfg)
	ctx := context.Background()
	tok, err := NewAPIToken(ctx, cfg.Users, "ana", "test client")
	if err != nil {
		t.Fatal(err)
	}
	audTok, _ := NewAPIToken(ctx, cfg.Users, "aud", "audit client")
	c := w.client()

	if r := bearer(c, "GET", "/api/v1/alerts?min_score=0.6", tok, ""); r.status != 200 || !strings.Contains(r.body, `"total":3`) {
		t.Fatalf("alerts by token: %d %s", r.status, r.body)
	}
	if r := bearer(c, "GET", "/api/v1/alerts", "vgl_wrong", ""); r.status != 401 {
		t.Fatalf("wrong token: %d", r.status)
	}
	if r := bearer(c, "GET", "/api/v1/alerts", audTok, ""); r.status != 403 {
		t.Fatalf("auditor token on alerts: %d", r.status)
	}
	if r := bearer(c, "GET", "/api/v1/audit/verify", audTok, ""); r.status != 200 || !strings.Contains(r.body, `"ok":true`) {
		t.Fatalf("auditor verify: %d %s", r.status, r.body)
	}
	// A token is not a cookie: presented as one it is refused.
	u, _ := url.Parse(w.url)
	c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: tok, Path: "/"}})
	if r := c.get("/api/v1/alerts"); r.status != 401 {
		t.Fatalf("token as cookie: %d", r.status)
	}
	// Machine clients need no CSRF token; bodies are checked strictly.
	if r := bearer(c, "POST", "/api/v1/alerts/triage", tok, `{"alert_ids":["A5"],"decision":"dismissed","reason":"sponsor of a registered charity"}`); r.status != 200 {
		t.Fatalf("triage by token: %d %s", r.status, r.body)
	}
	if r := bearer(c, "POST", "/api/v1/alerts/triage", tok, `{"alert_ids":["A4"],"decision":"dismissed","reason":"x","extra":1}`); r.status != 400 || !strings.Contains(r.body, "extra") {
		t.Fatalf("unknown field: %d %s", r.status, r.body)
	}

	// Scoring one transfer with the streaming engine.
	body := `{"transfer_id":"NEW-1","timestamp":"2026-02-01T23:40:00+08:00","sender_id":"P2","beneficiary_name":"Maria Santos","beneficiary_country":"PH","amount":"25","currency":"AUD","channel":"remittance","purpose":"school fees"}`
	// Without ?explain=1 the answer names the indicators and their
	// contributions only (the score's arithmetic); with it, their details
	// and transfers too.
	short := bearer(c, "POST", "/api/v1/transfers/score", tok, strings.Replace(body, "NEW-1", "NEW-0", 1))
	if short.status != 200 || strings.Contains(short.body, `"detail"`) || !strings.Contains(short.body, `"contribution"`) {
		t.Fatalf("short score answer: %d %s", short.status, short.body)
	}
	// The short answer comes from the engine's score-only path; its score
	// is the one the explained path gives for the same state.
	var shortOut struct {
		Score float64 `json:"score"`
	}
	if err := json.Unmarshal([]byte(short.body), &shortOut); err != nil {
		t.Fatal(err)
	}
	if full, _ := cfg.Scorer.(*engineScorer).e.Score("P2"); full == nil || full.Score != shortOut.Score {
		t.Fatalf("short score %v, explained engine score %+v", shortOut.Score, full)
	}
	if r := bearer(c, "POST", "/api/v1/transfers/score?explain=maybe", tok, body); r.status != 400 {
		t.Fatalf("explain=maybe: %d", r.status)
	}
	r := bearer(c, "POST", "/api/v1/transfers/score?explain=1", tok, body)
	if r.status != 200 {
		t.Fatalf("score: %d %s", r.status, r.body)
	}
	var out struct {
		TransferID string      `json:"transfer_id"`
		PartyID    string      `json:"party_id"`
		Score      float64     `json:"score"`
		Indicators []vigil.Hit `json:"indicators"`
		RulePack   string      `json:"rule_pack"`
	}
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatal(err)
	}
	if out.TransferID != "NEW-1" || out.PartyID != "P2" || out.Score <= 0 || out.Score >= 1 || out.RulePack == "" {
		t.Fatalf("score answer: %+v", out)
	}
	// Every score is explained: the answer's indicators are the engine's.
	want, _ := cfg.Scorer.(*engineScorer).e.Score("P2")
	for i, h := range out.Indicators {
		if h.Code != want.Hits[i].Code || h.Detail != want.Hits[i].Detail || len(h.TransferIDs) != len(want.Hits[i].TransferIDs) {
			t.Fatalf("indicator %d: %+v, engine %+v", i, h, want.Hits[i])
		}
	}
	if len(out.Indicators) != len(want.Hits) {
		t.Fatalf("indicators %d, engine %d", len(out.Indicators), len(want.Hits))
	}
	explained := false
	for _, h := range out.Indicators {
		explained = explained || h.Detail != ""
	}
	if len(out.Indicators) > 0 && !explained {
		t.Fatalf("explained answer has no detail: %+v", out.Indicators)
	}
	bad := strings.Replace(body, `"PH"`, `"XX"`, 1)
	if r := bearer(c, "POST", "/api/v1/transfers/score", tok, bad); r.status != 400 || !strings.Contains(r.body, "beneficiary_country") {
		t.Fatalf("bad transfer: %d %s", r.status, r.body)
	}
	if r := bearer(c, "POST", "/api/v1/transfers/score", tok, `{"amount":"-1"}`); r.status != 400 {
		t.Fatalf("bad amount: %d %s", r.status, r.body)
	}
	if r := bearer(c, "POST", "/api/v1/transfers/score", audTok, body); r.status != 403 {
		t.Fatalf("auditor scoring: %d", r.status)
	}

	// Case API through the same rules.
	ivTok, _ := NewAPIToken(ctx, cfg.Users, "ivan", "")
	r = bearer(c, "POST", "/api/v1/cases", ivTok, `{"title":"API case","party_ids":["P3"],"reason":"lead from partner"}`)
	if r.status != 201 || !strings.Contains(r.body, `"case_id":"C-000001"`) {
		t.Fatalf("create case: %d %s", r.status, r.body)
	}
	if r := bearer(c, "POST", "/api/v1/cases/C-000001/evidence", ivTok, `{"kind":"transfer","object_ids":["T3-4"]}`); r.status != 201 {
		t.Fatalf("evidence: %d %s", r.status, r.body)
	}
	if r := bearer(c, "GET", "/api/v1/cases/C-000001", tok, ""); r.status != 404 {
		t.Fatalf("analyst without need-to-know read the case: %d", r.status)
	}
	if r := bearer(c, "GET", "/api/v1/cases/C-000001", ivTok, ""); r.status != 200 || !strings.Contains(r.body, "T3-4") {
		t.Fatalf("member read: %d %s", r.status, r.body)
	}
	if r := bearer(c, "GET", "/api/v1/parties/P3", ivTok, ""); r.status != 400 || !strings.Contains(r.body, "purpose") {
		t.Fatalf("party without purpose: %d", r.status)
	}
	if r := bearer(c, "GET", "/api/v1/parties/P3/network?from=2026-01-01", ivTok, ""); r.status != 200 || !strings.Contains(r.body, "Maria Santos") {
		t.Fatalf("network: %d %s", r.status, r.body)
	}

	// The OpenAPI document is served and lists every API route.
	r = c.get("/api/v1/openapi.yaml")
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal([]byte(r.body), &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	for _, rt := range w.srv.routes {
		if !rt.api {
			continue
		}
		p := strings.TrimPrefix(rt.pattern, "/api/v1")
		if _, ok := doc.Paths[p][strings.ToLower(rt.method)]; !ok {
			t.Errorf("openapi.yaml lacks %s %s", rt.method, p)
		}
	}
	if r := c.get("/metrics"); !strings.Contains(r.body, `vigil_http_requests_total{code="200",route="POST /api/v1/transfers/score"}`) {
		t.Errorf("metrics lack the scoring route:\n%s", r.body)
	}
}

func TestScoringWithoutEngine(t *testing.T) {
	w := seedWorld(t, 2, 2)
	w.start(w.config())
	tok, _ := NewAPIToken(context.Background(), w.config().Users, "ana", "")
	r := bearer(w.client(), "POST", "/api/v1/transfers/score", tok, `{"transfer_id":"x"}`)
	if r.status != 501 {
		t.Fatalf("no engine: %d", r.status)
	}
}

// TestTLS serves over TLS with a throw-away certificate: the cookie is
// Secure with the __Host- prefix.
func TestTLS(t *testing.T) {
	dir := t.TempDir()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)

	w := seedWorld(t, 2, 2)
	cfg := w.config()
	cfg.Addr, cfg.CertFile, cfg.KeyFile = "0.0.0.0:0", certFile, keyFile // TLS allows non-loopback
	w.start(cfg)
	if !strings.HasPrefix(w.url, "https://") {
		t.Fatalf("url %s", w.url)
	}
	c := w.client()
	c.hc.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	r := c.do("POST", "/login", url.Values{"name": {"ana"}, "password": {testPassword}}, nil)
	sc := r.header.Get("Set-Cookie")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(sc, "__Host-vigil_session=") || !strings.Contains(sc, "Secure") {
		t.Fatalf("TLS login: %d %q", r.status, sc)
	}
	if r := c.get("/alerts"); r.status != 200 {
		t.Fatalf("TLS session: %d", r.status)
	}
}

func TestRevokedTokenRefusedAfterTTL(t *testing.T) {
	w := seedWorld(t, 2, 2)
	now := time.Now()
	var mu sync.Mutex
	cfg := w.config()
	cfg.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	w.start(cfg)
	tok, _ := NewAPIToken(context.Background(), cfg.Users, "ana", "")
	c := w.client()
	if r := bearer(c, "GET", "/api/v1/me", tok, ""); r.status != 200 {
		t.Fatalf("token: %d", r.status)
	}
	yes := true
	if _, err := cfg.Users.UpdateUser(context.Background(), "ana", vigil.UserUpdate{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(tokenTTL + time.Second)
	mu.Unlock()
	if r := bearer(c, "GET", "/api/v1/me", tok, ""); r.status != 401 {
		t.Fatalf("disabled user's token still accepted after %v: %d", tokenTTL, r.status)
	}
}
