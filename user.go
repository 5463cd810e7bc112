package vigil

import (
	"context"
	"time"
)

// Role is what a user of the workspace may do. Roles do not nest: an admin
// manages accounts but sees no case content; an auditor reads the audit log
// and nothing else.
type Role string

const (
	RoleAnalyst      Role = "analyst"      // triages alerts, reads parties
	RoleInvestigator Role = "investigator" // works the cases they are members of
	RoleSupervisor   Role = "supervisor"   // sees their team's cases, assigns, closes, refers
	RoleAuditor      Role = "auditor"      // reads the audit log only
	RoleAdmin        Role = "admin"        // manages accounts only
)

// Roles lists every role in the order they are shown.
var Roles = []Role{RoleAnalyst, RoleInvestigator, RoleSupervisor, RoleAuditor, RoleAdmin}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// User is a local account of the workspace. Name is the sign-in name and the
// key everywhere else (case members, audit entries). Secrets never leave the
// store: they carry no JSON name.
type User struct {
	Name       string    `json:"name"`                 // unique, required: 1-64 of [a-z0-9._-]
	Role       Role      `json:"role"`                 // required
	Supervisor string    `json:"supervisor,omitempty"` // name of the supervisor who oversees this user's cases
	Disabled   bool      `json:"disabled"`             // a disabled user cannot sign in; sessions are revoked
	CreatedAt  time.Time `json:"created_at"`

	PasswordHash string `json:"-"` // PHC-format argon2id hash, set by the http package
	TOTPSecret   string `json:"-"` // base32 secret; empty when no second factor

	// FailedLogins counts consecutive failed sign-ins; LockedUntil is when
	// a lock-out after too many of them ends (zero when not locked).
	FailedLogins int       `json:"failed_logins"`
	LockedUntil  time.Time `json:"locked_until,omitzero"`
}

// ValidUserName reports whether s is a valid user name.
func ValidUserName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Validate checks the invariants of a user.
func (u *User) Validate() error {
	switch {
	case !ValidUserName(u.Name):
		return Errorf(EINVALID, "user name %q: use 1-64 lower-case letters, digits, '.', '_' or '-'", u.Name)
	case !u.Role.Valid():
		return Errorf(EINVALID, "user %s: role %q is not one of analyst, investigator, supervisor, auditor, admin", u.Name, u.Role)
	case u.Supervisor != "" && !ValidUserName(u.Supervisor):
		return Errorf(EINVALID, "user %s: supervisor %q is not a valid user name", u.Name, u.Supervisor)
	case u.PasswordHash == "":
		return Errorf(EINVALID, "user %s: a password is required", u.Name)
	}
	return nil
}

// UserUpdate changes a user; nil fields are left as they are.
type UserUpdate struct {
	PasswordHash *string
	Role         *Role
	Supervisor   *string
	Disabled     *bool
	TOTPSecret   *string
	FailedLogins *int
	LockedUntil  *time.Time
}

// SessionKind tells a browser session from a machine client's API token.
type SessionKind string

const (
	SessionWeb SessionKind = "web" // cookie of a signed-in browser; expires
	SessionAPI SessionKind = "api" // bearer token of a machine client; revocable
)

// Session is a signed-in browser or an API token. Only a hash of the secret
// token is stored, so a copy of the store does not let anyone sign in.
type Session struct {
	ID        string      `json:"id"`    // hex SHA-256 of the secret token
	UserName  string      `json:"user"`  // the user it acts as
	Kind      SessionKind `json:"kind"`  // web or api
	CSRF      string      `json:"-"`     // per-session token required on every state change (web)
	Label     string      `json:"label"` // what an API token is for
	CreatedAt time.Time   `json:"created_at"`
	ExpiresAt time.Time   `json:"expires_at,omitzero"` // zero for API tokens
}

// UserService stores accounts and sessions. Only the http package (after
// checking roles) and the vigil user command call it.
type UserService interface {
	// CreateUser returns ECONFLICT when the name is taken, EINVALID when
	// the user breaks an invariant.
	CreateUser(ctx context.Context, u *User) error
	// FindUserByName returns ENOTFOUND when there is no such user.
	FindUserByName(ctx context.Context, name string) (*User, error)
	// FindUsers returns every user ordered by name.
	FindUsers(ctx context.Context) ([]*User, error)
	// UpdateUser returns ENOTFOUND when there is no such user. Disabling a
	// user or changing the password revokes the user's sessions.
	UpdateUser(ctx context.Context, name string, upd UserUpdate) (*User, error)

	// CreateSession stores a session; ECONFLICT when the id exists.
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns ENOTFOUND when the id is unknown or expired at now.
	FindSession(ctx context.Context, id string, now time.Time) (*Session, error)
	// DeleteSession removes one session (sign-out); unknown ids are ignored.
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSessions removes every session of a user of the given kind
	// ("" for all kinds).
	DeleteUserSessions(ctx context.Context, name string, kind SessionKind) error
}
