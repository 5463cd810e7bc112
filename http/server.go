package http

import (
	"context"
	"crypto/tls"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vigilfiu/vigil"
)

//go:embed assets templates openapi.yaml
var embedded embed.FS

// Scorer scores one transfer with the streaming engine: the answer is the
// sender's alert after the transfer, with its indicators explained (code,
// contribution, detail and transfers).
type Scorer interface {
	ScoreTransfer(ctx context.Context, t *vigil.Transfer) (*vigil.Alert, error)
}

// Config is what a Server needs. The services are required except Scorer
// (without it POST /api/v1/transfers/score answers 501).
type Config struct {
	Addr     string // host:port; default 127.0.0.1:8080, ":0" style ports allowed
	CertFile string // TLS certificate (PEM); with KeyFile, serve HTTPS
	KeyFile  string
	Insecure bool // allow a non-loopback address without TLS

	Users     vigil.UserService
	Audit     vigil.AuditService
	Cases     vigil.CaseService
	Parties   vigil.PartyService
	Transfers vigil.TransferService
	Alerts    vigil.AlertQueueService
	Network   vigil.NetworkService
	Scorer    Scorer
	Findings  vigil.FindingService // optional: imported match/trace/correlate/dedupe results
	Leads     LeadSource           // optional: the stored lead lists and seeds
	STR       STRWriter            // optional: goAML export from the case page
	Dossier   DossierRenderer      // optional: dossier downloads (HTML, PDF)

	Logger     *slog.Logger         // default: discard
	Registry   *prometheus.Registry // default: a new registry
	SessionTTL time.Duration        // default 8h
	LockAfter  int                  // failed sign-ins before lock-out; default 5
	LockFor    time.Duration        // default 15m
	Now        func() time.Time     // default time.Now
}

// Server is the workspace's HTTP server.
type Server struct {
	cfg     Config
	tls     bool
	mux     *http.ServeMux
	handler http.Handler
	pages   map[string]pageTemplate
	routes  []route
	metrics *metrics
	limiter *ipLimiter
	tokens  tokenCache

	mu  sync.Mutex
	ln  net.Listener
	srv *http.Server
	url string
}

// NewServer checks cfg and builds the server; it does not listen yet.
// EINVALID when the address is not loopback and there is neither TLS nor
// Insecure, or when a service is missing.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	if (cfg.CertFile == "") != (cfg.KeyFile == "") {
		return nil, vigil.Errorf(vigil.EINVALID, "TLS needs both a certificate (--cert) and a key (--key)")
	}
	useTLS := cfg.CertFile != ""
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "address %q: %v", cfg.Addr, err)
	}
	if !useTLS && !cfg.Insecure && !isLoopback(host) {
		return nil, vigil.Errorf(vigil.EINVALID, "refusing to serve %s without TLS: give --cert and --key, or --insecure if a proxy in front terminates TLS", cfg.Addr)
	}
	if cfg.Users == nil || cfg.Audit == nil || cfg.Cases == nil || cfg.Parties == nil || cfg.Transfers == nil || cfg.Alerts == nil || cfg.Network == nil {
		return nil, vigil.Errorf(vigil.EINVALID, "the server needs the user, audit, case, party, transfer, alert and network services")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 8 * time.Hour
	}
	if cfg.LockAfter <= 0 {
		cfg.LockAfter = 5
	}
	if cfg.LockFor <= 0 {
		cfg.LockFor = 15 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, tls: useTLS, mux: http.NewServeMux(), limiter: newIPLimiter(30, 15*time.Minute)}
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	if s.metrics, err = newMetrics(cfg.Registry); err != nil {
		return nil, err
	}
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		s.mux.Handle(rt.method+" "+rt.pattern, s.wrap(rt))
	}
	assets, _ := fs.Sub(embedded, "assets")
	s.mux.Handle("GET /assets/", http.StripPrefix("/assets/", assetHandler(http.FileServerFS(assets))))
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(cfg.Registry, promhttp.HandlerOpts{}))
	s.mux.HandleFunc("GET /api/v1/openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		b, _ := embedded.ReadFile("openapi.yaml")
		w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
		w.Write(b)
	})
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	s.handler = s.observe(securityHeaders(s.mux))
	return s, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Handler returns the server's handler, for tests and for embedding.
func (s *Server) Handler() http.Handler { return s.handler }

// Open starts listening and serving in the background.
func (s *Server) Open() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return vigil.Errorf(vigil.EINVALID, "cannot listen on %s: %v", s.cfg.Addr, err)
	}
	s.srv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelWarn),
	}
	scheme := "http"
	if s.tls {
		cert, err := tls.LoadX509KeyPair(s.cfg.CertFile, s.cfg.KeyFile)
		if err != nil {
			ln.Close()
			return vigil.Errorf(vigil.EINVALID, "TLS certificate or key: %v", err)
		}
		s.srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
		ln = tls.NewListener(ln, s.srv.TLSConfig)
		scheme = "https"
	}
	s.ln = ln
	addr := ln.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	s.url = scheme + "://" + net.JoinHostPort(host, strconv.Itoa(addr.Port))
	go s.srv.Serve(ln)
	s.cfg.Logger.Info("serving", "url", s.url, "tls", s.tls)
	return nil
}

// URL returns the base URL once Open has succeeded.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Close stops the server, letting requests in flight finish for 5 seconds.
func (s *Server) Close() error {
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(ctx)
}

// securityHeaders sets the headers every answer carries: a strict content
// security policy (scripts and styles only from /assets), no framing, no
// sniffing, no referrer, no caching of case content.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		if !strings.HasPrefix(r.URL.Path, "/assets/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

func assetHandler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// httpStatus maps an error code to an HTTP status, in this one place.
func httpStatus(code string) int {
	switch code {
	case vigil.EINVALID:
		return http.StatusBadRequest
	case vigil.ENOTFOUND:
		return http.StatusNotFound
	case vigil.ECONFLICT:
		return http.StatusConflict
	case vigil.EUNAUTHORIZED:
		return http.StatusForbidden
	case vigil.ENOTIMPLEMENTED:
		return http.StatusNotImplemented
	}
	return http.StatusInternalServerError
}

// writeJSON writes v as JSON with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// apiError is the JSON body of every API error.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func writeAPIError(w http.ResponseWriter, err error) {
	var body apiError
	body.Error.Code = vigil.ErrorCode(err)
	body.Error.Message = vigil.ErrorMessage(err)
	writeJSON(w, httpStatus(body.Error.Code), body)
}

// scoreRoute is the pattern of the scoring API.
const scoreRoute = "POST /api/v1/transfers/score"

// metrics are the Prometheus series of the server.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	signins  *prometheus.CounterVec
}

func newMetrics(reg *prometheus.Registry) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "vigil_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "vigil_http_request_duration_seconds", Help: "Server time of HTTP requests by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .2, .5, 1, 2.5}}, []string{"route"}),
		signins: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "vigil_signins_total", Help: "Sign-in attempts by outcome."}, []string{"outcome"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration, m.signins} {
		if err := reg.Register(c); err != nil {
			var are prometheus.AlreadyRegisteredError
			if !errors.As(err, &are) {
				return nil, fmt.Errorf("metrics: %w", err)
			}
		}
	}
	return m, nil
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// observe records metrics and a structured log line per request.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		d := time.Since(start)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		s.metrics.requests.WithLabelValues(route, strconv.Itoa(sw.status)).Inc()
		s.metrics.duration.WithLabelValues(route).Observe(d.Seconds())
		// A successful scoring call is counted above but logged only at
		// debug level: at thousands a second a line each would cost more
		// than the answer (the load generator measures without logs).
		level := slog.LevelInfo
		if route == scoreRoute && sw.status == http.StatusOK {
			level = slog.LevelDebug
		}
		s.cfg.Logger.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method), slog.String("route", route), slog.Int("status", sw.status),
			slog.Duration("duration", d))
	})
}
