package csv

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigilfiu/vigil"
)

// TestReadTransfersFileSized reads a file of more rows than readAll
// samples before sizing its result (rows in arena strings, one
// allocation for the result) and checks every row and reject against the
// streaming reader.
func TestReadTransfersFileSized(t *testing.T) {
	data := sampleTransfersCSV(t, 3*sizeSample+17)
	// A reject in the sampled rows and one after them.
	data = append(data, "T-bad,2024-01-01T00:00:00Z,P1,,,,,,,PH,,-1,EUR,,,\n"...)
	lines := bytes.SplitAfter(data, []byte("\n"))
	data = bytes.Join(append(append(lines[:10:10], []byte("x,y\n")), lines[10:]...), nil)
	path := filepath.Join(t.TempDir(), "transfers.csv")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	got, rej, err := ReadTransfersFile(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewTransferReader(bytes.NewReader(data), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var want []vigil.Transfer
	var wantRej []string
	for {
		var tr vigil.Transfer
		err := r.Read(&tr)
		if err == io.EOF {
			break
		}
		if err != nil {
			wantRej = append(wantRej, err.Error())
			continue
		}
		want = append(want, tr)
	}
	if len(got) != len(want) || len(want) != 3*sizeSample+17 {
		t.Fatalf("%d rows, streaming %d, written %d", len(got), len(want), 3*sizeSample+17)
	}
	for i := range want {
		if !transferKind.same(&got[i], &want[i]) || got[i].Source != want[i].Source {
			t.Fatalf("row %d: %+v, streaming %+v", i, got[i], want[i])
		}
	}
	if len(rej) != 2 || len(wantRej) != 2 || rej[0].Error() != wantRej[0] || rej[1].Error() != wantRej[1] {
		t.Fatalf("rejects %v, streaming %v", rej, wantRej)
	}
}
