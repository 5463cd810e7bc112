//go:build !cgo

package sqlite

import _ "modernc.org/sqlite" // registers "sqlite"

// DefaultDriver is the driver Open uses. Without cgo only modernc.org/sqlite
// is available.
const DefaultDriver = DriverModernc

const (
	mattnAvailable = false
	mattnName      = ""
)
