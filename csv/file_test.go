package csv

import (
	"bufio"
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

// TestReadPartiesFileRejectLast checks that a rejected row leaves nothing
// in the result, not even past its length: readAll reads each row
// straight into the result's next slot and must clear it on a reject.
func TestReadPartiesFileRejectLast(t *testing.T) {
	text := "party_id,kind,full_name,birth_date,gender,nationality,country,city,address,postcode,phone,email,id_number\n" +
		"P1,person,Jane Roe,1961-05-02,F,AU,AU,Perth,1 Main St,6000,+61412345678,j@example.org,N1\n" +
		"P2,person,John Roe,1961-13-02,M,AU,AU,Perth,1 Main St,6000,+61412345679,k@example.org,N2\n" +
		"P3,person,Ann Roe,1962-01-02,F,AU,AU,Perth,1 Main St,6000,+61412345670,a@example.org,N3\n" +
		"P4,person,Bob Roe,1962-01-02,Q,AU,AU,Perth,1 Main St,6000,+61412345671,b@example.org,N4\n"
	path := filepath.Join(t.TempDir(), "parties.csv")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	got, rej, err := ReadPartiesFile(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "P1" || got[1].ID != "P3" || got[1].Source != path+":4" {
		t.Fatalf("accepted %+v", got)
	}
	if len(rej) != 2 || rej[0].Line != 3 || rej[0].Column != 4 || rej[1].Line != 5 || rej[1].Column != 5 {
		t.Fatalf("rejected %v", rej)
	}
	if cap(got) > len(got) {
		if p := got[:len(got)+1][len(got)]; p != (vigil.Party{}) {
			t.Fatalf("the rejected last row is left past the result's end: %+v", p)
		}
	}
}

// TestTransferReaderBufio reads a file of several MiB through a 1 MiB
// bufio.Reader, as vigil trace does (the scanner's buffer then takes the
// bufio.Reader's size and more, so that its reads bypass that buffer),
// and checks every row, source and reject, with the byte offset of a bad
// byte deep in the file, against the same reader on the bare bytes.
func TestTransferReaderBufio(t *testing.T) {
	data := sampleTransfersCSV(t, 30000)
	lines := bytes.SplitAfter(data, []byte("\n"))
	bad := append([]byte(nil), lines[20000]...)
	bad[len(bad)-3] = 0xE9 // invalid UTF-8 late in the file
	lines[20000] = bad
	lines[25000] = []byte("T-x,2024-01-01T00:00:00Z,P1,,,,,,,PH,,-1,EUR,,,\n")
	data = bytes.Join(lines, nil)
	if len(data) < 3<<20 {
		t.Fatalf("only %d bytes", len(data))
	}
	plain, err := NewTransferReader(bytes.NewReader(data), "t.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	buffered, err := NewTransferReader(bufio.NewReaderSize(bytes.NewReader(data), 1<<20), "t.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(buffered.sc.buf); n < 1<<20+bufSize {
		t.Errorf("scanner buffer %d bytes behind a 1 MiB bufio.Reader", n)
	}
	rejects := 0
	for n := 0; ; n++ {
		var a, b vigil.Transfer
		ea, eb := plain.Read(&a), buffered.Read(&b)
		if (ea == nil) != (eb == nil) || ea != nil && ea.Error() != eb.Error() {
			t.Fatalf("row %d: %v, through bufio %v", n, ea, eb)
		}
		if ea == io.EOF {
			break
		}
		if ea != nil {
			rejects++
			continue
		}
		if !transferKind.same(&a, &b) || a.Source != b.Source {
			t.Fatalf("row %d: %+v, through bufio %+v", n, a, b)
		}
	}
	if rejects != 2 {
		t.Fatalf("%d rejects, want 2", rejects)
	}
}
