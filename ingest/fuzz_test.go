package ingest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/ingest"
	"github.com/vigilfiu/vigil/sqlite"
)

// FuzzDetectKind checks that any first line either names a kind or gets a
// clear EINVALID error naming the file, and never panics.
func FuzzDetectKind(f *testing.F) {
	for _, s := range []string{"party_id,full_name\n", "transfer_id,timestamp\r\n", "\ufeffevent_id", "lead_id", "", "\n", "a,b,c\n1,2,3\n", `"transfer_id","x`} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "in.csv")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		kind, err := ingest.DetectKind(p)
		if err != nil {
			if vigil.ErrorCode(err) != vigil.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		switch kind {
		case sqlite.KindParties, sqlite.KindTransfers, sqlite.KindCalls, sqlite.KindLeads:
		default:
			t.Fatalf("kind %q", kind)
		}
	})
}
