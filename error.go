package vigil

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status (http package) and one CLI exit
// code (cmd/vigil), in exactly one place each.
const (
	ECONFLICT       = "conflict"        // an id is known with other content
	EINTERNAL       = "internal"        // a bug or an unexpected failure
	EINVALID        = "invalid"         // bad input, named precisely
	ENOTFOUND       = "not_found"       // no such object (or not visible to the caller)
	EUNAUTHORIZED   = "unauthorized"    // not signed in, or not allowed
	ENOTIMPLEMENTED = "not_implemented" // a capability this build does not have
)

// Error is vigil's one error type. Message is written for the user who will
// read it: it names the file, line, column or object and says what is wrong.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the message of an
// *Error, or "internal error" for anything else, so that internals do not
// leak to users.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
