package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

// openWorkspaceStore opens a fresh store in a temp dir for the workspace tests.
func openWorkspaceStore(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "ws.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func recordN(t *testing.T, s *sqlite.AuditService, n int) {
	t.Helper()
	base := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	for i := range n {
		e := &vigil.AuditEvent{Time: base.Add(time.Duration(i) * time.Minute), User: "ana", Action: vigil.AuditViewParty,
			ObjectType: "party", ObjectID: "P" + string(rune('0'+i)), Purpose: "triage of alert"}
		if err := s.RecordAudit(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		if e.Seq != int64(i+1) || len(e.Hash) != 64 {
			t.Fatalf("entry %d: seq %d hash %q", i, e.Seq, e.Hash)
		}
	}
}

func verify(t *testing.T, s *sqlite.AuditService, head string) *vigil.AuditVerification {
	t.Helper()
	v, err := vigil.VerifyAudit(context.Background(), s, head)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// tamper runs SQL as someone with write access to the file would: around
// the append-only triggers.
func tamper(t *testing.T, db *sqlite.DB, stmts ...string) {
	t.Helper()
	all := append([]string{`DROP TRIGGER audit_events_no_update`, `DROP TRIGGER audit_events_no_delete`}, stmts...)
	for _, q := range all {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func TestAuditChainIntact(t *testing.T) {
	db := openWorkspaceStore(t)
	s := sqlite.NewAuditService(db)
	recordN(t, s, 5)
	v := verify(t, s, "")
	if !v.OK || v.Entries != 5 {
		t.Fatalf("intact chain: %+v", v)
	}
	if v2 := verify(t, s, v.HeadHash); !v2.OK {
		t.Fatalf("with the right head: %+v", v2)
	}
	// The store itself refuses edits and deletions.
	if _, err := db.SQL().Exec(`UPDATE audit_events SET purpose = 'x' WHERE seq = 2`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("update allowed: %v", err)
	}
	if _, err := db.SQL().Exec(`DELETE FROM audit_events WHERE seq = 2`); err == nil {
		t.Fatal("delete allowed")
	}
	evs, total, err := s.FindAuditEvents(context.Background(), vigil.AuditFilter{Text: ptrTo("P3")})
	if err != nil || total != 1 || evs[0].ObjectID != "P3" {
		t.Fatalf("search: %v %d %v", evs, total, err)
	}
	// LIKE wildcards in the search are literal.
	if _, total, _ := s.FindAuditEvents(context.Background(), vigil.AuditFilter{Text: ptrTo("%")}); total != 0 {
		t.Fatalf("%% matched %d entries", total)
	}
}

func TestAuditDetectsEdit(t *testing.T) {
	db := openWorkspaceStore(t)
	s := sqlite.NewAuditService(db)
	recordN(t, s, 5)
	tamper(t, db, `UPDATE audit_events SET purpose = 'routine' WHERE seq = 3`)
	v := verify(t, s, "")
	if v.OK || !strings.Contains(strings.Join(v.Problems, "\n"), "entry 3: content does not match its hash (edited)") {
		t.Fatalf("edit not detected: %+v", v)
	}
}

func TestAuditDetectsEditWithRehash(t *testing.T) {
	// An attacker who edits an entry and recomputes its hash breaks the
	// next entry's link.
	db := openWorkspaceStore(t)
	s := sqlite.NewAuditService(db)
	recordN(t, s, 5)
	var e vigil.AuditEvent
	var tm int64
	row := db.SQL().QueryRow(`SELECT seq, time, user_name, action, object_type, object_id, purpose, detail, prev_hash FROM audit_events WHERE seq = 2`)
	if err := row.Scan(&e.Seq, &tm, &e.User, &e.Action, &e.ObjectType, &e.ObjectID, &e.Purpose, &e.Detail, &e.PrevHash); err != nil {
		t.Fatal(err)
	}
	e.Time = time.UnixMicro(tm).UTC()
	e.User = "someone-else"
	tamper(t, db, `UPDATE audit_events SET user_name = 'someone-else', hash = '`+e.ComputeHash()+`' WHERE seq = 2`)
	v := verify(t, s, "")
	if v.OK || !strings.Contains(strings.Join(v.Problems, "\n"), "entry 3: does not link") {
		t.Fatalf("rehashed edit not detected: %+v", v)
	}
}

func TestAuditDetectsDeletion(t *testing.T) {
	db := openWorkspaceStore(t)
	s := sqlite.NewAuditService(db)
	recordN(t, s, 5)
	tamper(t, db, `DELETE FROM audit_events WHERE seq = 2`)
	v := verify(t, s, "")
	p := strings.Join(v.Problems, "\n")
	if v.OK || !strings.Contains(p, "entries 2-2: missing (deleted)") || !strings.Contains(p, "entry 3: does not link") {
		t.Fatalf("deletion not detected: %+v", v)
	}
}

func TestAuditDetectsTruncationWithHead(t *testing.T) {
	db := openWorkspaceStore(t)
	s := sqlite.NewAuditService(db)
	recordN(t, s, 5)
	head := verify(t, s, "").HeadHash
	tamper(t, db, `DELETE FROM audit_events WHERE seq = 5`)
	if v := verify(t, s, head); v.OK {
		t.Fatalf("truncation not detected against the kept head: %+v", v)
	}
}

func TestAuditDetectsReordering(t *testing.T) {
	db := openWorkspaceStore(t)
	s := sqlite.NewAuditService(db)
	recordN(t, s, 5)
	// Swap entries 2 and 4 whole (content, links and hashes) under each
	// other's sequence numbers.
	tamper(t, db,
		`UPDATE audit_events SET seq = 100 WHERE seq = 2`,
		`UPDATE audit_events SET seq = 2 WHERE seq = 4`,
		`UPDATE audit_events SET seq = 4 WHERE seq = 100`)
	v := verify(t, s, "")
	if v.OK || !strings.Contains(strings.Join(v.Problems, "\n"), "does not link") {
		t.Fatalf("reordering not detected: %+v", v)
	}
}

func ptrTo[T any](v T) *T { return &v }
