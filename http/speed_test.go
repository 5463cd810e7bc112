package http

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// partyPageRequest returns a signed-in request for the party page of P1
// and the handler to serve it, without the network in between: what is
// timed is server time.
func partyPageRequest(tb testing.TB, transfers int) (http.Handler, func() *http.Request) {
	w := seedWorld(tb, 1, transfers)
	w.start(w.config())
	c := w.client().login("ana")
	cookie := c.cookie(sessionCookie)
	h := w.srv.Handler()
	return h, func() *http.Request {
		r := httptest.NewRequest("GET", "/parties/P1?purpose="+url.QueryEscape("benchmark"), nil)
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
		return r
	}
}

// BenchmarkPartyPage10k serves the party page of a party with 10,000
// transfers (target: under 200 ms server time).
func BenchmarkPartyPage10k(b *testing.B) {
	h, req := partyPageRequest(b, 10000)
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req())
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkScoreAPI is the server time of POST /api/v1/transfers/score
// (token check, JSON, the streaming engine, answer) without the network.
// Each of 200 senders pays its own relative, so the engine's cost is not
// dominated by co-senders of a shared beneficiary (which the detect
// package's benchmarks measure).
func BenchmarkScoreAPI(b *testing.B) {
	w := seedWorld(b, 200, 0)
	cfg := w.config()
	cfg.Scorer = newTestScorer(b, w)
	w.start(cfg)
	tok, err := NewAPIToken(b.Context(), cfg.Users, "ana", "bench")
	if err != nil {
		b.Fatal(err)
	}
	h := w.srv.Handler()
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	i := 0
	b.ResetTimer()
	for b.Loop() {
		i++
		at = at.Add(17 * time.Second)
		body := `{"transfer_id":"B` + strconv.Itoa(i) + `","timestamp":"` + at.Format(time.RFC3339) + `","sender_id":"P` + strconv.Itoa(1+i%200) +
			`","beneficiary_name":"Relative ` + strconv.Itoa(i%200) + `","beneficiary_country":"PH","amount":"35","currency":"AUD","channel":"remittance"}`
		r := httptest.NewRequest("POST", "/api/v1/transfers/score", strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != 200 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
