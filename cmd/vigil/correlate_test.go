package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
)

// TestWriteLinksAsJSONLines holds the links written on every core, in
// chunks, to the lines writeJSONLines writes one by one: the same bytes,
// in the same order, over several chunks and a partial last one.
func TestWriteLinksAsJSONLines(t *testing.T) {
	for _, n := range []int{0, 1, 2047, 2048, 5000} {
		links := make([]vigil.HandleLink, n)
		for i := range links {
			l := &links[i]
			l.Account, l.Handle = "acc", fmt.Sprintf("h<%d>&\u2028", i)
			l.Confidence, l.PValue, l.Expected = float64(i)/7, 1e-30*float64(i), 1/float64(i+1)
			l.Reason = fmt.Sprint("reason ", i)
			if i%3 == 0 {
				id := fmt.Sprint("P", i)
				l.PartyID = &id
				l.Pairs = []vigil.Pairing{{EventID: fmt.Sprint("e", i), TransferID: "t", EventAt: time.Unix(int64(i)*997, 0).UTC(), PaidAt: time.Unix(int64(i)*991, 0).In(time.FixedZone("", 480*60)), LagS: int64(i), Amount: vigil.Amount(i * 1000), Currency: "EUR"}}
			}
		}
		dir := t.TempDir()
		var out bytes.Buffer
		e := &env{stdout: &out, stderr: &out}
		if err := writeJSONLines(e, filepath.Join(dir, "want.jsonl"), links); err != nil {
			t.Fatal(err)
		}
		if err := writeLinks(e, filepath.Join(dir, "got.jsonl"), links); err != nil {
			t.Fatal(err)
		}
		want, _ := os.ReadFile(filepath.Join(dir, "want.jsonl"))
		got, _ := os.ReadFile(filepath.Join(dir, "got.jsonl"))
		if !bytes.Equal(got, want) || bytes.Count(got, []byte("\n")) != n {
			t.Errorf("%d links: %d bytes written, %d by writeJSONLines (%d lines)", n, len(got), len(want), bytes.Count(got, []byte("\n")))
		}
		if err := writeLinks(e, "-", links); err != nil || !bytes.Equal(out.Bytes(), want) {
			t.Errorf("%d links to stdout: %d bytes (%v), want %d", n, out.Len(), err, len(want))
		}
	}
	// A link that cannot be encoded (a NaN) stops both at the same line,
	// with the lines before it written, and the same error.
	links := make([]vigil.HandleLink, 5000)
	for i := range links {
		links[i].Handle = fmt.Sprint("h", i)
	}
	links[3000].Confidence, links[4500].Expected = math.NaN(), math.Inf(1)
	dir := t.TempDir()
	e := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	werr := writeJSONLines(e, filepath.Join(dir, "want.jsonl"), links)
	gerr := writeLinks(e, filepath.Join(dir, "got.jsonl"), links)
	want, _ := os.ReadFile(filepath.Join(dir, "want.jsonl"))
	got, _ := os.ReadFile(filepath.Join(dir, "got.jsonl"))
	if werr == nil || gerr == nil || werr.Error() != gerr.Error() || !bytes.Equal(got, want) || bytes.Count(got, []byte("\n")) != 3000 {
		t.Errorf("a NaN at line 3001: error %v, %d lines written; writeJSONLines: %v, %d lines", gerr, bytes.Count(got, []byte("\n")), werr, bytes.Count(want, []byte("\n")))
	}
}
