package http

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/vigilfiu/vigil"
)

// sessionCookie is the name of the browser session cookie. Under TLS it
// carries the __Host- prefix, which browsers accept only when Secure,
// Path=/ and without Domain.
const sessionCookie = "vigil_session"

func (s *Server) cookieName() string {
	if s.tls {
		return "__Host-" + sessionCookie
	}
	return sessionCookie
}

// newToken returns 32 random bytes, base64url: a session token, API token or
// CSRF token.
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenID is what the store keeps of a token: its SHA-256 in hex.
func tokenID(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// NewAPIToken creates an API token for a machine client acting as user and
// returns the secret, shown once. The store keeps only its hash.
func NewAPIToken(ctx context.Context, users vigil.UserService, user, label string) (string, error) {
	u, err := users.FindUserByName(ctx, user)
	if err != nil {
		return "", err
	}
	if u.Disabled {
		return "", vigil.Errorf(vigil.EINVALID, "user %s is disabled", user)
	}
	tok := "vgl_" + newToken()
	err = users.CreateSession(ctx, &vigil.Session{ID: tokenID(tok), UserName: user, Kind: vigil.SessionAPI, Label: label})
	return tok, err
}

// reqCtx is the signed-in caller of a request.
type reqCtx struct {
	User    *vigil.User
	Session *vigil.Session
	API     bool // the request came to /api/ (JSON answers)
}

func (rc *reqCtx) has(roles ...vigil.Role) bool { return slices.Contains(roles, rc.User.Role) }

// route is one entry of the route table: who may call it is data, so the
// security tests can walk every route with every role.
type route struct {
	method, pattern string
	roles           []vigil.Role // nil: any signed-in user
	public          bool         // no sign-in needed
	api             bool
	h               func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error
}

// authenticate finds the caller's session: a bearer token on /api/, or the
// session cookie. It returns nil, nil when there is none.
func (s *Server) authenticate(r *http.Request) (*reqCtx, error) {
	ctx := r.Context()
	var id string
	var fromCookie bool
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		id = tokenID(strings.TrimSpace(strings.TrimPrefix(h, "Bearer ")))
		if rc := s.tokens.get(id, s.cfg.Now()); rc != nil {
			return rc, nil
		}
	} else if c, err := r.Cookie(s.cookieName()); err == nil && c.Value != "" {
		id, fromCookie = tokenID(c.Value), true
	} else {
		return nil, nil
	}
	ss, err := s.cfg.Users.FindSession(ctx, id, s.cfg.Now())
	if vigil.ErrorCode(err) == vigil.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	// A cookie must hold a web session and a bearer token an API token.
	if fromCookie != (ss.Kind == vigil.SessionWeb) {
		return nil, nil
	}
	u, err := s.cfg.Users.FindUserByName(ctx, ss.UserName)
	if vigil.ErrorCode(err) == vigil.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, nil
	}
	rc := &reqCtx{User: u, Session: ss}
	if !fromCookie {
		s.tokens.put(id, rc, s.cfg.Now())
	}
	return rc, nil
}

// tokenCache remembers API-token sign-ins for a moment, so that a machine
// client sending thousands of requests a second does not cost two store
// reads each. A revoked token or disabled user is refused within tokenTTL.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]tokenEntry
}

type tokenEntry struct {
	rc    *reqCtx
	until time.Time
}

// tokenTTL bounds how long a revoked API token may still be accepted.
const tokenTTL = 2 * time.Second

func (c *tokenCache) get(id string, now time.Time) *reqCtx {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	if !ok || now.After(e.until) {
		return nil
	}
	rc := *e.rc // each request gets its own copy (API is set per route)
	return &rc
}

func (c *tokenCache) put(id string, rc *reqCtx, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 10000 {
		c.m = map[string]tokenEntry{}
	}
	cp := *rc
	c.m[id] = tokenEntry{rc: &cp, until: now.Add(tokenTTL)}
}

// checkCSRF refuses a state change from a browser session without the
// session's CSRF token (form field "csrf" or header X-CSRF-Token), and any
// cross-origin state change.
func (s *Server) checkCSRF(r *http.Request, rc *reqCtx) error {
	if origin := r.Header.Get("Origin"); origin != "" && origin != "null" {
		if u, err := url.Parse(origin); err != nil || u.Host != r.Host {
			return vigil.Errorf(vigil.EUNAUTHORIZED, "cross-origin request refused")
		}
	}
	if rc == nil || rc.Session.Kind != vigil.SessionWeb {
		return nil
	}
	tok := r.Header.Get("X-CSRF-Token")
	if tok == "" {
		tok = r.PostFormValue("csrf")
	}
	if tok == "" || subtle.ConstantTimeCompare([]byte(tok), []byte(rc.Session.CSRF)) != 1 {
		return vigil.Errorf(vigil.EUNAUTHORIZED, "the form has expired or did not come from this workspace (CSRF token missing or wrong); reload the page and try again")
	}
	return nil
}

// wrap turns a route into a handler: authentication, CSRF, roles, then the
// handler, with errors mapped to a status and a page or JSON.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		fail := func(rc *reqCtx, err error) {
			if rt.api {
				writeAPIError(w, err)
				return
			}
			s.renderError(w, r, rc, err)
		}
		rc, err := s.authenticate(r)
		if err != nil {
			fail(nil, err)
			return
		}
		if rc == nil && !rt.public {
			if rt.api {
				w.Header().Set("WWW-Authenticate", `Bearer realm="vigil"`)
				writeJSON(w, http.StatusUnauthorized, map[string]any{"error": map[string]string{"code": vigil.EUNAUTHORIZED, "message": "sign in or give an API token"}})
				return
			}
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.renderError(w, r, nil, vigil.Errorf(vigil.EUNAUTHORIZED, "sign in first"))
			return
		}
		if rc != nil {
			rc.API = rt.api
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			// Sign-in carries no session token yet: it gets the origin
			// check only (and SameSite=Strict keeps other sites' posts
			// from carrying the cookie).
			csrfRC := rc
			if rt.public {
				csrfRC = nil
			}
			if err := s.checkCSRF(r, csrfRC); err != nil {
				fail(rc, err)
				return
			}
		}
		if rc != nil && rt.roles != nil && !rc.has(rt.roles...) {
			s.audit(r.Context(), rc, vigil.AuditDenied, "route", rt.method+" "+rt.pattern, "", r.URL.Path)
			fail(rc, vigil.Errorf(vigil.EUNAUTHORIZED, "your role (%s) does not give access to this page", rc.User.Role))
			return
		}
		if err := rt.h(w, r, rc); err != nil {
			if vigil.ErrorCode(err) == vigil.EINTERNAL {
				s.cfg.Logger.Error("handler", "route", rt.pattern, "err", err)
			}
			fail(rc, err)
		}
	})
}

// audit records an entry; a failure to record is logged loudly and turned
// into an error by the callers that must not proceed without it.
func (s *Server) audit(ctx context.Context, rc *reqCtx, action, objType, objID, purpose, detail string) error {
	e := &vigil.AuditEvent{Time: s.cfg.Now(), Action: action, ObjectType: objType, ObjectID: objID, Purpose: purpose, Detail: detail}
	if rc != nil {
		e.User = rc.User.Name
	}
	err := s.cfg.Audit.RecordAudit(ctx, e)
	if err != nil {
		s.cfg.Logger.Error("audit", "action", action, "err", err)
	}
	return err
}

// ipLimiter bounds failed sign-ins per client address in a sliding window,
// on top of the per-account lock-out, so that guessing across many
// accounts is slowed too.
type ipLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

func newIPLimiter(max int, window time.Duration) *ipLimiter {
	return &ipLimiter{max: max, window: window, fails: map[string][]time.Time{}}
}

func (l *ipLimiter) prune(ip string, now time.Time) []time.Time {
	f := l.fails[ip]
	i := 0
	for i < len(f) && now.Sub(f[i]) > l.window {
		i++
	}
	f = f[i:]
	if len(f) == 0 {
		delete(l.fails, ip)
	} else {
		l.fails[ip] = f
	}
	return f
}

func (l *ipLimiter) blocked(ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.prune(ip, now)) >= l.max
}

func (l *ipLimiter) fail(ip string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > 100000 { // bound memory under a distributed attack
		l.fails = map[string][]time.Time{}
	}
	l.fails[ip] = append(l.prune(ip, now), now)
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// errSignIn is the one message for every failed sign-in, so that it does
// not tell which of name, password or code was wrong.
var errSignIn = vigil.Errorf(vigil.EUNAUTHORIZED, "sign-in failed: wrong name, password or code, or the account is locked or disabled")

// signIn checks the credentials and, on success, creates a fresh session
// (never reusing one the browser brought: no fixation). It applies the
// lock-out and records the attempt in the audit log.
func (s *Server) signIn(ctx context.Context, r *http.Request, name, password, code string) (*vigil.Session, string, error) {
	now := s.cfg.Now()
	ip := clientIP(r)
	if s.limiter.blocked(ip, now) {
		s.metrics.signins.WithLabelValues("throttled").Inc()
		s.audit(ctx, nil, vigil.AuditSignInFailed, "user", name, "", "too many failed sign-ins from "+ip)
		return nil, "", vigil.Errorf(vigil.EUNAUTHORIZED, "too many failed sign-ins from your address; wait and try again")
	}
	u, err := s.cfg.Users.FindUserByName(ctx, name)
	if err != nil && vigil.ErrorCode(err) != vigil.ENOTFOUND {
		return nil, "", err
	}
	if u == nil {
		VerifyPassword(dummyHash(), password)
		s.limiter.fail(ip, now)
		s.metrics.signins.WithLabelValues("failed").Inc()
		s.audit(ctx, nil, vigil.AuditSignInFailed, "user", name, "", "unknown user, from "+ip)
		return nil, "", errSignIn
	}
	if u.Disabled || now.Before(u.LockedUntil) {
		VerifyPassword(dummyHash(), password)
		s.limiter.fail(ip, now)
		s.metrics.signins.WithLabelValues("locked").Inc()
		s.audit(ctx, &reqCtx{User: u}, vigil.AuditSignInFailed, "user", u.Name, "", "account locked or disabled, from "+ip)
		return nil, "", errSignIn
	}
	ok := VerifyPassword(u.PasswordHash, password)
	if ok && u.TOTPSecret != "" {
		ok = totp.Validate(strings.TrimSpace(code), u.TOTPSecret)
	}
	if !ok {
		s.limiter.fail(ip, now)
		n := u.FailedLogins + 1
		upd := vigil.UserUpdate{FailedLogins: &n}
		detail := "wrong password or code, from " + ip
		if n >= s.cfg.LockAfter {
			until := now.Add(s.cfg.LockFor)
			zero := 0
			upd.LockedUntil, upd.FailedLogins = &until, &zero
			detail += "; account locked until " + until.UTC().Format(time.RFC3339)
		}
		if _, err := s.cfg.Users.UpdateUser(ctx, u.Name, upd); err != nil {
			return nil, "", err
		}
		action := vigil.AuditSignInFailed
		if upd.LockedUntil != nil {
			action = vigil.AuditLockedOut
		}
		s.metrics.signins.WithLabelValues("failed").Inc()
		s.audit(ctx, &reqCtx{User: u}, action, "user", u.Name, "", detail)
		return nil, "", errSignIn
	}
	if u.FailedLogins != 0 || !u.LockedUntil.IsZero() {
		zero, none := 0, time.Time{}
		if _, err := s.cfg.Users.UpdateUser(ctx, u.Name, vigil.UserUpdate{FailedLogins: &zero, LockedUntil: &none}); err != nil {
			return nil, "", err
		}
	}
	tok := newToken()
	ss := &vigil.Session{ID: tokenID(tok), UserName: u.Name, Kind: vigil.SessionWeb, CSRF: newToken(), CreatedAt: now.UTC(), ExpiresAt: now.Add(s.cfg.SessionTTL).UTC()}
	if err := s.cfg.Users.CreateSession(ctx, ss); err != nil {
		return nil, "", err
	}
	s.metrics.signins.WithLabelValues("ok").Inc()
	if err := s.audit(ctx, &reqCtx{User: u}, vigil.AuditSignIn, "user", u.Name, "", "from "+ip); err != nil {
		return nil, "", err
	}
	return ss, tok, nil
}

func (s *Server) setSessionCookie(w http.ResponseWriter, tok string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(), Value: tok, Path: "/", HttpOnly: true, Secure: s.tls,
		SameSite: http.SameSiteStrictMode, Expires: expires,
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: "", Path: "/", HttpOnly: true, Secure: s.tls,
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}
