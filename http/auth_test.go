package http

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash format: %s", h)
	}
	h2, _ := HashPassword("a long enough password")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if !VerifyPassword(h, "a long enough password") || VerifyPassword(h, "a long enough passworD") {
		t.Fatal("verify")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2i$v=19$m=19456,t=2,p=1$AAAA$AAAA", strings.Replace(h, "m=19456", "m=999999999", 1)} {
		if VerifyPassword(bad, "x") {
			t.Fatalf("malformed hash %q matched", bad)
		}
	}
	if _, err := HashPassword("short"); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("short password: %v", err)
	}
}

func TestSessionCookieAndFixation(t *testing.T) {
	w := seedWorld(t, 3, 4)
	w.start(w.config())
	c := w.client()
	// Not signed in: pages redirect to sign-in, the API answers 401.
	if r := c.get("/alerts"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login?next=") {
		t.Fatalf("anonymous /alerts: %d %v", r.status, r.header)
	}
	if r := c.get("/api/v1/alerts"); r.status != http.StatusUnauthorized {
		t.Fatalf("anonymous API: %d", r.status)
	}
	// An attacker plants a session id in the victim's browser.
	u, _ := url.Parse(w.url)
	planted := "attacker-chosen-session-id"
	c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: planted, Path: "/"}})
	r := c.do("POST", "/login", url.Values{"name": {"ana"}, "password": {testPassword}}, nil)
	if r.status != http.StatusSeeOther {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	sc := r.header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(sc, want) {
			t.Fatalf("cookie %q lacks %s", sc, want)
		}
	}
	if strings.Contains(sc, "Secure") {
		t.Fatalf("Secure cookie without TLS would not be sent back: %q", sc)
	}
	got := c.cookie(sessionCookie)
	if got == "" || got == planted {
		t.Fatalf("session id not renewed on login: %q", got)
	}
	// The planted id is no session.
	a := w.client()
	a.hc.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: planted, Path: "/"}})
	if r := a.get("/alerts"); r.status != http.StatusSeeOther {
		t.Fatalf("planted id works: %d", r.status)
	}
	// Signing in again yields yet another id, and the first one dies.
	first := got
	c.do("POST", "/login", url.Values{"name": {"ana"}, "password": {testPassword}}, nil)
	if second := c.cookie(sessionCookie); second == first {
		t.Fatal("second login kept the session id")
	}
	old := w.client()
	old.hc.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: first, Path: "/"}})
	if r := old.get("/alerts"); r.status != http.StatusSeeOther {
		t.Fatalf("old session still valid after re-login: %d", r.status)
	}
	// The page after sign-in stays on this site.
	for _, next := range []string{"//evil.example/x", "https://evil.example", "/\\evil.example"} {
		r := w.client().do("POST", "/login", url.Values{"name": {"ana"}, "password": {testPassword}, "next": {next}}, nil)
		if loc := r.header.Get("Location"); loc != "/" {
			t.Errorf("next=%q redirected to %q", next, loc)
		}
	}
	if r := w.client().do("POST", "/login", url.Values{"name": {"ana"}, "password": {testPassword}, "next": {"/cases?status=open"}}, nil); r.header.Get("Location") != "/cases?status=open" {
		t.Errorf("local next lost: %q", r.header.Get("Location"))
	}
	// Sign-out ends the session on the server.
	c.login("ana")
	sid := c.cookie(sessionCookie)
	if r := c.post("/logout", nil); r.status != http.StatusSeeOther {
		t.Fatalf("logout: %d %s", r.status, r.body)
	}
	replay := w.client()
	replay.hc.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: sid, Path: "/"}})
	if r := replay.get("/alerts"); r.status != http.StatusSeeOther {
		t.Fatalf("session valid after sign-out: %d", r.status)
	}
}

func TestCSRFRefused(t *testing.T) {
	w := seedWorld(t, 3, 4)
	w.start(w.config())
	c := w.client().login("ana")
	form := func() url.Values {
		return url.Values{"alert": {"A3"}, "decision": {"dismissed"}, "reason": {"family remittance"}}
	}
	noTok := form()
	if r := c.do("POST", "/alerts/triage", noTok, nil); r.status != http.StatusForbidden || !strings.Contains(r.body, "CSRF") {
		t.Fatalf("no token: %d", r.status)
	}
	bad := form()
	bad.Set("csrf", "forged")
	if r := c.do("POST", "/alerts/triage", bad, nil); r.status != http.StatusForbidden {
		t.Fatalf("forged token: %d", r.status)
	}
	cross := form()
	cross.Set("csrf", c.csrf)
	if r := c.do("POST", "/alerts/triage", cross, map[string]string{"Origin": "https://evil.example"}); r.status != http.StatusForbidden {
		t.Fatalf("cross-origin: %d", r.status)
	}
	if r := c.do("POST", "/api/v1/alerts/triage", nil, nil); r.status != http.StatusForbidden {
		t.Fatalf("API via cookie without header: %d", r.status)
	}
	a, _ := sqlite.NewAlertQueue(w.db).FindAlertByID(context.Background(), "A3")
	if a.Status != vigil.AlertNew {
		t.Fatalf("a refused request changed the alert: %+v", a)
	}
	if r := c.post("/alerts/triage", form()); r.status != http.StatusSeeOther {
		t.Fatalf("with token: %d %s", r.status, r.body)
	}
	a, _ = sqlite.NewAlertQueue(w.db).FindAlertByID(context.Background(), "A3")
	if a.Status != vigil.AlertDismissed || a.Reason != "family remittance" {
		t.Fatalf("triage not applied: %+v", a)
	}
}

func TestBruteForceLockout(t *testing.T) {
	w := seedWorld(t, 2, 2)
	now := time.Now()
	cfg := w.config()
	cfg.Now = func() time.Time { return now }
	w.start(cfg)
	c := w.client()
	for i := range 5 {
		r := c.do("POST", "/login", url.Values{"name": {"ivan"}, "password": {"guess-" + string(rune('a'+i))}}, nil)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, r.status)
		}
	}
	// Locked: even the right password is refused, with the same message.
	r := c.do("POST", "/login", url.Values{"name": {"ivan"}, "password": {testPassword}}, nil)
	if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "sign-in failed") {
		t.Fatalf("locked account signed in: %d", r.status)
	}
	// After the lock-out period the right password works again.
	now = now.Add(16 * time.Minute)
	if r := c.do("POST", "/login", url.Values{"name": {"ivan"}, "password": {testPassword}}, nil); r.status != http.StatusSeeOther {
		t.Fatalf("after lock-out: %d", r.status)
	}
	evs, _, _ := sqlite.NewAuditService(w.db).FindAuditEvents(context.Background(), vigil.AuditFilter{Action: ptr(vigil.AuditLockedOut)})
	if len(evs) != 1 || evs[0].ObjectID != "ivan" {
		t.Fatalf("lock-out not audited: %v", evs)
	}
	// Many failures from one address across accounts are throttled too.
	for i := range 30 {
		c.do("POST", "/login", url.Values{"name": {"nobody" + string(rune('a'+i))}, "password": {"x"}}, nil)
	}
	if r := c.do("POST", "/login", url.Values{"name": {"sue"}, "password": {testPassword}}, nil); r.status != http.StatusUnauthorized || !strings.Contains(r.body, "too many") {
		t.Fatalf("address not throttled: %d", r.status)
	}
}

func TestTOTP(t *testing.T) {
	w := seedWorld(t, 2, 2)
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "vigil", AccountName: "sue"})
	if err != nil {
		t.Fatal(err)
	}
	sec := key.Secret()
	if _, err := sqlite.NewUserService(w.db).UpdateUser(context.Background(), "sue", vigil.UserUpdate{TOTPSecret: &sec}); err != nil {
		t.Fatal(err)
	}
	w.start(w.config())
	c := w.client()
	if r := c.do("POST", "/login", url.Values{"name": {"sue"}, "password": {testPassword}}, nil); r.status != http.StatusUnauthorized {
		t.Fatalf("no code: %d", r.status)
	}
	if r := c.do("POST", "/login", url.Values{"name": {"sue"}, "password": {testPassword}, "code": {"000000"}}, nil); r.status != http.StatusUnauthorized {
		t.Fatalf("wrong code: %d", r.status)
	}
	code, _ := totp.GenerateCode(sec, time.Now())
	if r := c.do("POST", "/login", url.Values{"name": {"sue"}, "password": {testPassword}, "code": {code}}, nil); r.status != http.StatusSeeOther {
		t.Fatalf("right code: %d %s", r.status, r.body)
	}
}

func TestDisabledUserLosesSession(t *testing.T) {
	w := seedWorld(t, 2, 2)
	w.start(w.config())
	c := w.client().login("ana")
	admin := w.client().login("adm")
	if r := admin.post("/admin/users/ana", url.Values{"action": {"disable"}}); r.status != http.StatusSeeOther {
		t.Fatalf("disable: %d %s", r.status, r.body)
	}
	if r := c.get("/alerts"); r.status != http.StatusSeeOther {
		t.Fatalf("disabled user still served: %d", r.status)
	}
	if r := c.do("POST", "/login", url.Values{"name": {"ana"}, "password": {testPassword}}, nil); r.status != http.StatusUnauthorized {
		t.Fatalf("disabled user signed in: %d", r.status)
	}
}

func TestListenPolicy(t *testing.T) {
	w := seedWorld(t, 1, 1)
	cfg := w.config()
	cfg.Addr = "0.0.0.0:0"
	if _, err := NewServer(cfg); vigil.ErrorCode(err) != vigil.EINVALID || !strings.Contains(err.Error(), "without TLS") {
		t.Fatalf("non-loopback without TLS: %v", err)
	}
	cfg.Insecure = true
	if _, err := NewServer(cfg); err != nil {
		t.Fatalf("--insecure: %v", err)
	}
	cfg.Insecure, cfg.CertFile = false, "cert.pem"
	if _, err := NewServer(cfg); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("cert without key: %v", err)
	}
	for _, a := range []string{"127.0.0.1:0", "[::1]:0", "localhost:0"} {
		cfg := w.config()
		cfg.Addr = a
		if _, err := NewServer(cfg); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
}

func ptr[T any](v T) *T { return &v }
