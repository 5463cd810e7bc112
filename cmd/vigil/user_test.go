package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

func runVigilIn(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &out}
	root := newRootCmd(e)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

func TestUserAndAuditCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	if out, err := runVigilIn(t, "a long enough password\n", "--db", db, "user", "add", "ana", "--role", "analyst"); err != nil || !strings.Contains(out, "added ana (analyst)") {
		t.Fatalf("add: %v %s", err, out)
	}
	if _, err := runVigilIn(t, "short\n", "--db", db, "user", "add", "bob", "--role", "analyst"); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("short password: %v", err)
	}
	if _, err := runVigilIn(t, "a long enough password\n", "--db", db, "user", "add", "bob", "--role", "root"); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("bad role: %v", err)
	}
	if _, err := runVigilIn(t, "", "--db", db, "user", "passwd", "ana"); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("no password on stdin: %v", err)
	}
	if out, err := runVigilIn(t, "another long password\n", "--db", db, "user", "passwd", "ana"); err != nil || !strings.Contains(out, "changed") {
		t.Fatalf("passwd: %v %s", err, out)
	}
	if out, err := runVigilIn(t, "", "--db", db, "user", "token", "ana", "--label", "ci"); err != nil || !strings.HasPrefix(out, "vgl_") {
		t.Fatalf("token: %v %s", err, out)
	}
	if _, err := runVigilIn(t, "", "--db", db, "user", "disable", "nobody"); vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Fatalf("disable unknown: %v", err)
	}
	if out, err := runVigilIn(t, "", "--db", db, "user", "disable", "ana"); err != nil || !strings.Contains(out, "disabled") {
		t.Fatalf("disable: %v %s", err, out)
	}

	// Audit: an intact chain verifies; an edited one fails with ECONFLICT.
	store, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	as := sqlite.NewAuditService(store)
	for _, obj := range []string{"P1", "P2", "P3"} {
		if err := as.RecordAudit(context.Background(), &vigil.AuditEvent{User: "ana", Action: vigil.AuditViewParty, ObjectType: "party", ObjectID: obj, Purpose: "triage"}); err != nil {
			t.Fatal(err)
		}
	}
	out, err := runVigilIn(t, "", "--db", db, "audit", "verify")
	if err != nil || !strings.Contains(out, "3 entries") || !strings.Contains(out, "chain intact") {
		t.Fatalf("verify: %v %s", err, out)
	}
	for _, q := range []string{`DROP TRIGGER audit_events_no_update`, `UPDATE audit_events SET object_id = 'P9' WHERE seq = 2`} {
		if _, err := store.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()
	out, err = runVigilIn(t, "", "--db", db, "audit", "verify")
	if vigil.ErrorCode(err) != vigil.ECONFLICT || !strings.Contains(out, "entry 2: content does not match its hash (edited)") {
		t.Fatalf("tampered verify: %v %s", err, out)
	}
	if out, err := runVigilIn(t, "", "--db", db, "audit", "list", "--limit", "2"); err != nil || strings.Count(out, "\n") != 2 {
		t.Fatalf("list: %v %q", err, out)
	}
}
