package mapping

import (
	"bytes"
	"encoding/csv"
	"os"
	"strings"
	"testing"
)

// FuzzMapping converts arbitrary provider files with the test mapping: it
// must not panic, and whatever it writes must be CSV with the header's
// width, with every reject naming the file.
func FuzzMapping(f *testing.F) {
	y, err := os.ReadFile("testdata/provider-transfers.yaml")
	if err != nil {
		f.Fatal(err)
	}
	m, err := Parse(y, "provider-transfers.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		res, err := m.Convert(bytes.NewReader(in), "fuzz.csv", &out)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.csv") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		rows, err := csv.NewReader(&out).ReadAll()
		if err != nil {
			t.Fatalf("output not CSV: %v", err)
		}
		if len(rows)-1 != res.Written || res.Written+len(res.Rejected) != res.Rows {
			t.Fatalf("counts: %d rows out, %+v", len(rows)-1, res)
		}
		for _, r := range res.Rejected {
			if r.File != "fuzz.csv" || r.Line < 1 || r.Column < 1 {
				t.Fatalf("reject without position: %v", r)
			}
		}
	})
}
