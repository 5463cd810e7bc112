package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

// TestFindingsImport: importing the same file twice changes nothing, the
// import is audited, and a bad line is refused naming file:line:column.
func TestFindingsImport(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "vigil.db")
	links := filepath.Join(dir, "links.jsonl")
	os.WriteFile(links, []byte(`{"account":"fac1","handle":"buyer77","party_id":"P3","confidence":0.97,"sessions":9,"matched":8,"expected":0.4,"p_value":0.0001,"pairs":[],"reason":"8 sessions minutes after a payment"}
{"account":"fac1","handle":"stranger","party_id":null,"confidence":0.1,"sessions":3,"matched":0,"expected":0.1,"p_value":1,"pairs":[],"reason":"no payer stands out"}
`), 0o600)
	out, err := runVigil(t, "--db", store, "findings", "import", links)
	if err != nil || !strings.Contains(out, "2 finding(s) new, 0 updated, 0 unchanged") {
		t.Fatalf("first import: %v %s", err, out)
	}
	out, err = runVigil(t, "--db", store, "findings", "import", "--kind", "links", links)
	if err != nil || !strings.Contains(out, "0 finding(s) new, 0 updated, 2 unchanged") {
		t.Fatalf("second import: %v %s", err, out)
	}
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"lead_id\":\"L1\",\"party_id\":\"P1\",\"score\":1,\"decision\":\"match\",\"fields\":{}}\n{\"lead_id\":\"L2\",\"score\":\"x\",\"decision\":\"match\"}\n"), 0o600)
	if out, err := runVigil(t, "--db", store, "findings", "import", bad); err == nil || !strings.Contains(err.Error(), "bad.jsonl:2:") {
		t.Fatalf("bad line: %v %s", err, out)
	}
	db, err := sqlite.Open(store)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	action := vigil.AuditImportFindings
	if _, n, _ := sqlite.NewAuditService(db).FindAuditEvents(context.Background(), vigil.AuditFilter{Action: &action}); n != 2 {
		t.Fatalf("imports audited: %d, want 2", n)
	}
	if _, n, _ := sqlite.NewFindingService(db).FindFindings(context.Background(), vigil.FindingFilter{}); n != 2 {
		t.Fatalf("findings stored: %d (the refused file must store nothing)", n)
	}
}
