package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

func TestUserService(t *testing.T) {
	ctx := context.Background()
	db := openWorkspaceStore(t)
	s := sqlite.NewUserService(db)
	u := &vigil.User{Name: "ana", Role: vigil.RoleAnalyst, PasswordHash: "h1"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(ctx, &vigil.User{Name: "ana", Role: vigil.RoleAdmin, PasswordHash: "h"}); vigil.ErrorCode(err) != vigil.ECONFLICT {
		t.Fatalf("duplicate: %v", err)
	}
	if err := s.CreateUser(ctx, &vigil.User{Name: "Bad Name", Role: vigil.RoleAdmin, PasswordHash: "h"}); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("bad name: %v", err)
	}
	if err := s.CreateUser(ctx, &vigil.User{Name: "x", Role: "root", PasswordHash: "h"}); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Fatalf("bad role: %v", err)
	}
	got, err := s.FindUserByName(ctx, "ana")
	if err != nil || got.Role != vigil.RoleAnalyst || got.PasswordHash != "h1" {
		t.Fatalf("find: %+v %v", got, err)
	}
	if _, err := s.FindUserByName(ctx, "nobody"); vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Fatalf("missing: %v", err)
	}

	now := time.Now().UTC()
	web := &vigil.Session{ID: "s1", UserName: "ana", Kind: vigil.SessionWeb, CSRF: "c", ExpiresAt: now.Add(time.Hour)}
	api := &vigil.Session{ID: "t1", UserName: "ana", Kind: vigil.SessionAPI, Label: "scorer"}
	for _, ss := range []*vigil.Session{web, api} {
		if err := s.CreateSession(ctx, ss); err != nil {
			t.Fatal(err)
		}
	}
	if ss, err := s.FindSession(ctx, "s1", now); err != nil || ss.CSRF != "c" {
		t.Fatalf("session: %+v %v", ss, err)
	}
	if _, err := s.FindSession(ctx, "s1", now.Add(2*time.Hour)); vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Fatalf("expired session found: %v", err)
	}
	if _, err := s.FindSession(ctx, "t1", now.Add(24*365*time.Hour)); err != nil {
		t.Fatalf("api token expired: %v", err)
	}

	// Lock-out bookkeeping does not revoke sessions; a new password does.
	until := now.Add(time.Minute)
	if _, err := s.UpdateUser(ctx, "ana", vigil.UserUpdate{FailedLogins: ptrTo(3), LockedUntil: &until}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindSession(ctx, "s1", now); err != nil {
		t.Fatalf("session lost on lock bookkeeping: %v", err)
	}
	got, _ = s.FindUserByName(ctx, "ana")
	if got.FailedLogins != 3 || !got.LockedUntil.Equal(until.Truncate(time.Microsecond)) {
		t.Fatalf("lock state: %+v", got)
	}
	if _, err := s.UpdateUser(ctx, "ana", vigil.UserUpdate{PasswordHash: ptrTo("h2")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindSession(ctx, "s1", now); vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Fatalf("session survived a password change: %v", err)
	}
	if _, err := s.FindSession(ctx, "t1", now); vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Fatalf("token survived a password change: %v", err)
	}
	// A new session sweeps the expired ones.
	old := &vigil.Session{ID: "old", UserName: "ana", Kind: vigil.SessionWeb, CreatedAt: now.Add(-10 * time.Hour), ExpiresAt: now.Add(-2 * time.Hour)}
	if err := s.CreateSession(ctx, old); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, &vigil.Session{ID: "new", UserName: "ana", Kind: vigil.SessionWeb, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	var n int
	db.SQL().QueryRow(`SELECT count(*) FROM sessions WHERE id = 'old'`).Scan(&n)
	if n != 0 {
		t.Fatal("expired session not swept")
	}
	if _, err := s.UpdateUser(ctx, "nobody", vigil.UserUpdate{Disabled: ptrTo(true)}); vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Fatalf("update missing: %v", err)
	}
}
