package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/vigilfiu/vigil"
)

// UserService implements vigil.UserService on the store.
type UserService struct {
	db *sql.DB
}

var _ vigil.UserService = (*UserService)(nil)

// NewUserService returns a UserService on db.
func NewUserService(db *DB) *UserService { return &UserService{db: db.SQL()} }

// micros converts a time to the stored form (unix microseconds, 0 for zero).
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromMicros is the inverse of micros.
func fromMicros(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

func (s *UserService) CreateUser(ctx context.Context, u *vigil.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE name = ?`, u.Name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return vigil.Errorf(vigil.ECONFLICT, "user %s already exists", u.Name)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO users (name, role, supervisor, disabled, created_at, password_hash, totp_secret, failed_logins, locked_until)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Name, string(u.Role), u.Supervisor, u.Disabled, micros(u.CreatedAt), u.PasswordHash, u.TOTPSecret, u.FailedLogins, micros(u.LockedUntil))
	if err != nil {
		return err
	}
	return tx.Commit()
}

const userColumns = `name, role, supervisor, disabled, created_at, password_hash, totp_secret, failed_logins, locked_until`

func scanUser(row interface{ Scan(...any) error }) (*vigil.User, error) {
	var u vigil.User
	var role string
	var created, locked int64
	if err := row.Scan(&u.Name, &role, &u.Supervisor, &u.Disabled, &created, &u.PasswordHash, &u.TOTPSecret, &u.FailedLogins, &locked); err != nil {
		return nil, err
	}
	u.Role = vigil.Role(role)
	u.CreatedAt, u.LockedUntil = fromMicros(created), fromMicros(locked)
	return &u, nil
}

func (s *UserService) FindUserByName(ctx context.Context, name string) (*vigil.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "no user %q", name)
	}
	return u, err
}

func (s *UserService) FindUsers(ctx context.Context) ([]*vigil.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vigil.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (s *UserService) UpdateUser(ctx context.Context, name string, upd vigil.UserUpdate) (*vigil.User, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "no user %q", name)
	} else if err != nil {
		return nil, err
	}
	revoke := false
	if upd.PasswordHash != nil {
		u.PasswordHash, revoke = *upd.PasswordHash, true
	}
	if upd.Role != nil {
		u.Role = *upd.Role
		revoke = true
	}
	if upd.Supervisor != nil {
		u.Supervisor = *upd.Supervisor
	}
	if upd.Disabled != nil {
		u.Disabled = *upd.Disabled
		revoke = revoke || u.Disabled
	}
	if upd.TOTPSecret != nil {
		u.TOTPSecret = *upd.TOTPSecret
	}
	if upd.FailedLogins != nil {
		u.FailedLogins = *upd.FailedLogins
	}
	if upd.LockedUntil != nil {
		u.LockedUntil = *upd.LockedUntil
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET role = ?, supervisor = ?, disabled = ?, password_hash = ?, totp_secret = ?, failed_logins = ?, locked_until = ? WHERE name = ?`,
		string(u.Role), u.Supervisor, u.Disabled, u.PasswordHash, u.TOTPSecret, u.FailedLogins, micros(u.LockedUntil), u.Name); err != nil {
		return nil, err
	}
	if revoke {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_name = ?`, u.Name); err != nil {
			return nil, err
		}
	}
	return u, tx.Commit()
}

func (s *UserService) CreateSession(ctx context.Context, ss *vigil.Session) error {
	if ss.ID == "" || ss.UserName == "" || (ss.Kind != vigil.SessionWeb && ss.Kind != vigil.SessionAPI) {
		return vigil.Errorf(vigil.EINVALID, "a session needs an id, a user and a kind (web or api)")
	}
	if ss.CreatedAt.IsZero() {
		ss.CreatedAt = time.Now().UTC()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE id = ?`, ss.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return vigil.Errorf(vigil.ECONFLICT, "session exists")
	}
	// Expired sessions are swept on every sign-in, so the table holds
	// only live sessions and API tokens.
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at != 0 AND expires_at <= ?`, micros(ss.CreatedAt)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, user_name, kind, csrf, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		ss.ID, ss.UserName, string(ss.Kind), ss.CSRF, ss.Label, micros(ss.CreatedAt), micros(ss.ExpiresAt)); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *UserService) FindSession(ctx context.Context, id string, now time.Time) (*vigil.Session, error) {
	var ss vigil.Session
	var kind string
	var created, expires int64
	err := s.db.QueryRowContext(ctx, `SELECT id, user_name, kind, csrf, label, created_at, expires_at FROM sessions WHERE id = ?`, id).
		Scan(&ss.ID, &ss.UserName, &kind, &ss.CSRF, &ss.Label, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "no such session")
	} else if err != nil {
		return nil, err
	}
	ss.Kind = vigil.SessionKind(kind)
	ss.CreatedAt, ss.ExpiresAt = fromMicros(created), fromMicros(expires)
	if !ss.ExpiresAt.IsZero() && !now.Before(ss.ExpiresAt) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "session expired")
	}
	return &ss, nil
}

func (s *UserService) DeleteSession(ctx context.Context, id string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id)
	return err
}

func (s *UserService) DeleteUserSessions(ctx context.Context, name string, kind vigil.SessionKind) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_name = ? AND (? = '' OR kind = ?)`, name, string(kind), string(kind))
	return err
}
