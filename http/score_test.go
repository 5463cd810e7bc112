package http

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
)

// TestAppendScoreMatchesEncodingJSON: the hand-written answer is the JSON
// encoding/json would write for the same values.
func TestAppendScoreMatchesEncodingJSON(t *testing.T) {
	a := &vigil.Alert{PartyID: "P<1>&\"x\"\\\u2028\x01é\xff", Score: 0.123456789, Typology: vigil.TypologyLiveStreaming, RulePack: "default 3",
		Hits: []vigil.Hit{{Code: "LSC-A", Contribution: -1.5e-9, Detail: "late\nat night", TransferIDs: []string{"T1", "T\t2"}}, {Code: "B", Contribution: 2, TransferIDs: []string{}}}}
	type hit struct {
		Code         string   `json:"code"`
		Contribution float64  `json:"contribution"`
		Detail       string   `json:"detail"`
		TransferIDs  []string `json:"transfer_ids"`
	}
	type short struct {
		Code         string  `json:"code"`
		Contribution float64 `json:"contribution"`
	}
	for _, explain := range []bool{false, true} {
		var want []byte
		if explain {
			hs := []hit{}
			for _, h := range a.Hits {
				hs = append(hs, hit{h.Code, h.Contribution, h.Detail, h.TransferIDs})
			}
			want, _ = json.Marshal(struct {
				TransferID string         `json:"transfer_id"`
				PartyID    string         `json:"party_id"`
				Score      float64        `json:"score"`
				Typology   vigil.Typology `json:"typology"`
				Indicators []hit          `json:"indicators"`
				RulePack   string         `json:"rule_pack"`
			}{"T<9>", a.PartyID, a.Score, a.Typology, hs, a.RulePack})
		} else {
			hs := []short{}
			for _, h := range a.Hits {
				hs = append(hs, short{h.Code, h.Contribution})
			}
			want, _ = json.Marshal(struct {
				TransferID string         `json:"transfer_id"`
				PartyID    string         `json:"party_id"`
				Score      float64        `json:"score"`
				Typology   vigil.Typology `json:"typology"`
				Indicators []short        `json:"indicators"`
				RulePack   string         `json:"rule_pack"`
			}{"T<9>", a.PartyID, a.Score, a.Typology, hs, a.RulePack})
		}
		got := appendScore(nil, "T<9>", a, explain)
		if string(got) != string(want)+"\n" {
			t.Errorf("explain=%v:\n got %s\nwant %s", explain, got, want)
		}
	}
	if got := string(appendJSONFloat(nil, math.NaN())); got != "null" {
		t.Errorf("NaN: %s", got)
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "<script>", "\u2028\u2029", "\xff\xfe", "a\"b\\c\x00\x1f", "é漢字"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		got := appendJSONString(nil, s)
		if string(got) != string(want) {
			t.Fatalf("%q: got %s want %s", s, got, want)
		}
		if strings.ContainsAny(string(got), "<>&") {
			t.Fatalf("%q: unescaped HTML character in %s", s, got)
		}
	})
}

func FuzzAppendJSONFloat(f *testing.F) {
	for _, x := range []float64{0, 1, -1, 0.5, 1e-7, 1e21, 123456.789, -2.5e-9, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		want, _ := json.Marshal(x)
		if got := appendJSONFloat(nil, x); string(got) != string(want) {
			t.Fatalf("%v: got %s want %s", x, got, want)
		}
	})
}

// FuzzScanTransfer: whenever the fast path accepts a body, encoding/json
// (as every other API call decodes) gives the same transfer.
func FuzzScanTransfer(f *testing.F) {
	f.Add(`{"transfer_id":"NEW-1","timestamp":"2026-02-01T23:40:00+08:00","sender_id":"P2","beneficiary_name":"Maria Santos","beneficiary_country":"PH","amount":"25","currency":"AUD","channel":"remittance","purpose":"school fees"}`)
	f.Add(` { "amount" : "12.50" , "beneficiary_birth_date":"1990-04", "timestamp":"2026-01-01T00:00:00Z"} `)
	f.Add(`{"transfer_id":"a\u0041","amount":35}`)
	f.Add(`{"Transfer_ID":"x"}`)
	f.Add(`{}`)
	f.Add(`{"amount":"1","amount":"2"}`)
	f.Fuzz(func(t *testing.T, s string) {
		var a vigil.Transfer
		if !scanTransfer([]byte(s), &a) {
			return
		}
		var b vigil.Transfer
		if err := decodeFrom(strings.NewReader(s), &b); err != nil {
			t.Fatalf("fast path accepted what encoding/json refuses (%v): %s", err, s)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("fast path %+v, encoding/json %+v: %s", a, b, s)
		}
	})
}

// TestScanTransferTakesCommonBodies: what a client's JSON encoder writes
// (as bench/scoreapi sends) takes the fast path.
func TestScanTransferTakesCommonBodies(t *testing.T) {
	in := vigil.Transfer{ID: "T1", Timestamp: time.Date(2026, 2, 1, 23, 40, 0, 0, time.FixedZone("", 8*3600)), SenderID: "P2",
		BeneficiaryName: "Maria Santos", BeneficiaryCountry: "PH", Amount: vigil.NewAmount(25, 500000), Currency: "AUD",
		Channel: vigil.ChannelRemittance, Purpose: "school fees", BeneficiaryBirthDate: vigil.Date{Year: 1990, Month: 4}}
	b, _ := json.Marshal(&in)
	var got vigil.Transfer
	if !scanTransfer(b, &got) {
		t.Fatalf("fast path refused %s", b)
	}
	if !got.Timestamp.Equal(in.Timestamp) || got.Amount != in.Amount || got.BeneficiaryBirthDate != in.BeneficiaryBirthDate || got.Purpose != in.Purpose {
		t.Fatalf("fast path read %+v from %s", got, b)
	}
	if scanTransfer([]byte(`{"purpose":"caf\u00e9"}`), &got) || scanTransfer([]byte(`{"purpose":"café"}`), &got) {
		t.Fatal("fast path took a string it must leave to encoding/json")
	}
}

// TestScoreLogging: successful scoring calls are counted in /metrics but
// logged at debug level only; refused ones are logged.
func TestScoreLogging(t *testing.T) {
	w := seedWorld(t, 3, 4)
	cfg := w.config()
	cfg.Scorer = newTestScorer(t, w)
	var logs safeBuffer
	cfg.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	w.start(cfg)
	tok, err := NewAPIToken(context.Background(), cfg.Users, "ana", "test")
	if err != nil {
		t.Fatal(err)
	}
	c := w.client()
	body := `{"transfer_id":"L-1","timestamp":"2026-02-01T23:40:00+08:00","sender_id":"P2","beneficiary_name":"Maria Santos","beneficiary_country":"PH","amount":"25","currency":"AUD"}`
	if r := bearer(c, "POST", "/api/v1/transfers/score", tok, body); r.status != 200 {
		t.Fatalf("score: %d %s", r.status, r.body)
	}
	if r := bearer(c, "POST", "/api/v1/transfers/score", tok, `{"amount":"-1"}`); r.status != 400 {
		t.Fatalf("bad body: %d", r.status)
	}
	out := logs.String()
	if strings.Contains(out, `"route":"POST /api/v1/transfers/score","status":200`) {
		t.Errorf("a successful scoring call was logged at info level:\n%s", out)
	}
	if !strings.Contains(out, `"route":"POST /api/v1/transfers/score","status":400`) {
		t.Errorf("a refused scoring call was not logged:\n%s", out)
	}
}

// safeBuffer is a bytes.Buffer safe for the server's goroutines.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// BenchmarkScoreBody compares the scoring body's fast path with
// encoding/json on the same body, and the hand-written answer with
// encoding/json's.
func BenchmarkScoreBody(b *testing.B) {
	body := []byte(`{"transfer_id":"B1","timestamp":"2026-06-01T00:00:17Z","sender_id":"P17","beneficiary_name":"Relative 17","beneficiary_country":"PH","amount":"35","currency":"AUD","channel":"remittance","purpose":"school fees"}`)
	a := &vigil.Alert{PartyID: "P17", Score: 0.8123, Typology: vigil.TypologyLiveStreaming, RulePack: "default 2026.11.29-4",
		Hits: []vigil.Hit{{Code: "LSC-CORRIDOR-LOWVALUE", Contribution: 1.2}, {Code: "LSC-LATE-NIGHT", Contribution: 0.8}, {Code: "LSC-ROUND", Contribution: 0.3}}}
	b.Run("decode/fast", func(b *testing.B) {
		for b.Loop() {
			var t vigil.Transfer
			if !scanTransfer(body, &t) {
				b.Fatal("refused")
			}
		}
	})
	b.Run("decode/encoding-json", func(b *testing.B) {
		for b.Loop() {
			var t vigil.Transfer
			if err := decodeFrom(bytes.NewReader(body), &t); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode/fast", func(b *testing.B) {
		buf := make([]byte, 0, 1024)
		for b.Loop() {
			buf = appendScore(buf[:0], "B1", a, false)
		}
	})
	b.Run("encode/encoding-json", func(b *testing.B) {
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			json.NewEncoder(&buf).Encode(map[string]any{"transfer_id": "B1", "party_id": a.PartyID, "score": a.Score, "typology": a.Typology, "indicators": a.Hits, "rule_pack": a.RulePack})
		}
	})
}
