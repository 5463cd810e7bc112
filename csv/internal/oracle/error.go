package oracle

import (
	"fmt"
	"strings"
)

// Options change how strictly a reader treats a file.
type Options struct {
	// AllowExtra ignores header columns the format does not define instead
	// of rejecting the file. Their cells are still counted (every row must
	// have as many fields as the header) but not read.
	AllowExtra bool
}

// RowError is a rejected row, or a header that cannot be read. Line is the
// 1-based line of the file where the offending field starts (the first
// line of the record for errors about the whole record). Column is the
// 1-based field number (not a character position): the first field of a
// row is column 1. Field is the column name from the header, when the error
// is about one field. Reason is written for a non-programmer.
type RowError struct {
	File   string
	Line   int
	Column int
	Field  string
	Reason string
}

// Error returns "file:line:column: field: reason" ("file:line:column:
// reason" when the error is not about one field).
func (e *RowError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Reason)
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s", e.File, e.Line, e.Column, e.Field, e.Reason)
}

// got quotes a cell for an error message, cut to a readable length.
func got(b []byte) string {
	s := string(b)
	if len(s) > 60 {
		cut := 57
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// oneOf lists allowed values for an error message: "a, b or c".
func oneOf(vals ...string) string {
	if len(vals) == 1 {
		return vals[0]
	}
	return strings.Join(vals[:len(vals)-1], ", ") + " or " + vals[len(vals)-1]
}
