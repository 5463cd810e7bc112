package http

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/vigilfiu/vigil"
)

// Argon2id parameters for new hashes (OWASP's second recommended set:
// 19 MiB, 2 passes, 1 lane). Stored hashes carry their own parameters, so
// these can be raised without invalidating accounts.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

// HashPassword returns the PHC-format argon2id hash of password
// ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash"). EINVALID when the password
// is shorter than MinPasswordLength.
func HashPassword(password string) (string, error) {
	if len([]rune(password)) < MinPasswordLength {
		return "", vigil.Errorf(vigil.EINVALID, "a password needs at least %d characters", MinPasswordLength)
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC argon2id hash,
// comparing in constant time. A malformed hash never matches.
func VerifyPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 64*1024 || t == 0 || t > 16 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when the user does not exist, so that a
// failed sign-in takes the same time whether or not the name is known.
// It is made on the first sign-in, not when the package loads: every
// vigil command links this package, and an argon2id hash costs 19 MB
// and tens of milliseconds that `vigil scan` or `vigil ingest` never use.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not-a-real-password-000")
	return h
})

// CreateUser hashes password and stores a new account: what `vigil user
// add` and `vigil demo` (for its first user) call.
func CreateUser(ctx context.Context, users vigil.UserService, name string, role vigil.Role, supervisor, password string) (*vigil.User, error) {
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	u := &vigil.User{Name: name, Role: role, Supervisor: supervisor, PasswordHash: hash, CreatedAt: time.Now().UTC()}
	if err := users.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}
