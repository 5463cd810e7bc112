package iso20022

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// entryBytes is the size of one generated entry, near enough for sizing.
const entryBytes = 520

func TestGeneratedValid(t *testing.T) {
	needShared(t)
	lint := xmllint(t)
	f := filepath.Join(t.TempDir(), "gen.xml")
	w, _ := os.Create(f)
	if err := WriteSyntheticStatement(w, 20); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if ok, out := validXSD(t, lint, filepath.Join(sharedDir, "xsd/camt.053.001.02.xsd"), f); !ok {
		t.Fatal(out)
	}
}

// TestStreamBoundedMemory reads a 50 MB statement produced on the fly and
// checks that the live heap stays a small constant while it does: memory
// does not grow with the document, so a 1 GB statement needs no more (the
// benchmark and bench/formats measure larger runs).
func TestStreamBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("50 MB stream skipped in -short mode")
	}
	const size = 50 << 20
	n := size / entryBytes
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(WriteSyntheticStatement(pw, n)) }()
	cr := &countingReader{r: pr}
	rd := NewReader(cr, "gen.xml")
	var ms runtime.MemStats
	var peak uint64
	transfers, parties := 0, 0
	for i := 0; ; i++ {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec.Kind == KindTransfer {
			transfers++
		} else {
			parties++
		}
		if i%20000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	t.Logf("%d bytes, %d transfers, %d parties, peak live heap %d KiB", cr.n, transfers, parties, peak>>10)
	if transfers != n || parties != 251 { // 250 named debtors + the statement owner
		t.Errorf("got %d transfers and %d parties, want %d and 251", transfers, parties, n)
	}
	if cr.n < size*9/10 {
		t.Errorf("generated only %d bytes", cr.n)
	}
	if peak > 8<<20 {
		t.Errorf("live heap reached %d MiB while streaming %d MiB", peak>>20, cr.n>>20)
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// BenchmarkCamt053 reads a generated statement of 20000 entries (about 10 MB).
func BenchmarkCamt053(b *testing.B) {
	f := filepath.Join(b.TempDir(), "gen.xml")
	w, _ := os.Create(f)
	if err := WriteSyntheticStatement(w, 20000); err != nil {
		b.Fatal(err)
	}
	w.Close()
	st, _ := os.Stat(f)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		fh, _ := os.Open(f)
		rd := NewReader(fh, "gen.xml")
		for {
			_, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		fh.Close()
	}
}
