package csv

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/vigilfiu/vigil"
)

// column is one column a file format defines.
type column struct {
	name     string
	required bool // the header must have it (the cell may still be empty when the row allows it)
}

// schema is the set of columns of one file format, in the canonical order
// the writers use.
type schema struct {
	kind    string // "parties", "transfers" … for messages
	columns []column
	// anyOf: the header must have at least one of these columns.
	anyOf []string
}

func (sc *schema) names() []string {
	out := make([]string, len(sc.columns))
	for i, c := range sc.columns {
		out[i] = c.name
	}
	return out
}

// reader is the part every typed reader shares: the scanner, the header
// and the per-row string.
type reader struct {
	sc     *scanner
	schema *schema
	opt    Options
	header []string // column names as written (trimmed)
	idx    []int    // schema column → field index, -1 when absent
	str    string   // the current row's cells and source, one allocation
	srcAt  int      // where the source starts in str
	// digits is digitsLine in decimal.
	digits     []byte
	digitsLine int
	stamps     stamps
	done       bool
	// shared, when not nil, is the caller's buffer the row is appended
	// to instead of a new string (see TransferReader.ReadShared).
	shared *[]byte
	// sharedMax is the largest length a shared buffer reached (growShared).
	sharedMax int
	// arena, when set, makes the row strings from large chunks that are
	// only ever appended to, one allocation per chunk instead of per row:
	// for the whole-file readers, which keep every row anyway.
	arena bool
	chunk []byte
}

// arenaChunk is the size of one chunk of row strings (see reader.arena).
const arenaChunk = 1 << 20

func newReader(r io.Reader, file string, opt Options, sc *schema) (*reader, error) {
	rd := &reader{sc: newScanner(r, file), schema: sc, opt: opt}
	for rd.sc.end < 3 && !rd.sc.eof {
		if err := rd.sc.fill(); err != nil {
			return nil, err
		}
	}
	if rd.sc.end >= 3 && rd.sc.buf[0] == 0xEF && rd.sc.buf[1] == 0xBB && rd.sc.buf[2] == 0xBF {
		rd.sc.pos = 3
	}
	if err := rd.readHeader(); err != nil {
		return nil, err
	}
	return rd, nil
}

func (rd *reader) readHeader() error {
	sc := rd.sc
	want := strings.Join(rd.schema.names(), ",")
	err := sc.next()
	if err == io.EOF {
		return &RowError{File: sc.file, Line: 1, Column: 1, Reason: "the file is empty; the first line must be a header naming the columns, e.g. " + want}
	}
	if err != nil {
		return err
	}
	rd.idx = make([]int, len(rd.schema.columns))
	for i := range rd.idx {
		rd.idx[i] = -1
	}
	rd.header = make([]string, len(sc.fields))
	for k := range sc.fields {
		name := strings.ToLower(string(sc.cell(k)))
		rd.header[k] = name
		line := int(sc.fields[k].line)
		if name == "" {
			return &RowError{File: sc.file, Line: line, Column: k + 1, Reason: "header: column " + strconv.Itoa(k+1) + " has no name"}
		}
		ci := -1
		for j, c := range rd.schema.columns {
			if c.name == name {
				ci = j
				break
			}
		}
		if ci < 0 {
			for j := range k {
				if rd.header[j] == name {
					return &RowError{File: sc.file, Line: line, Column: k + 1, Field: name,
						Reason: fmt.Sprintf("header: column %q appears twice (columns %d and %d)", name, j+1, k+1)}
				}
			}
			if rd.opt.AllowExtra {
				continue
			}
			return &RowError{File: sc.file, Line: line, Column: k + 1, Field: name,
				Reason: fmt.Sprintf("header: unknown column %q; the columns of %s are %s (use --allow-extra to ignore other columns; the first line must be the header)", name, rd.schema.kind, want)}
		}
		if rd.idx[ci] >= 0 {
			return &RowError{File: sc.file, Line: line, Column: k + 1, Field: name,
				Reason: fmt.Sprintf("header: column %q appears twice (columns %d and %d)", name, rd.idx[ci]+1, k+1)}
		}
		rd.idx[ci] = k
	}
	var missing []string
	for j, c := range rd.schema.columns {
		if c.required && rd.idx[j] < 0 {
			missing = append(missing, c.name)
		}
	}
	if len(missing) > 0 {
		return &RowError{File: sc.file, Line: sc.recLine, Column: 1,
			Reason: fmt.Sprintf("header: missing required column%s %s (the columns of %s are %s)", plural(len(missing)), strings.Join(missing, ", "), rd.schema.kind, want)}
	}
	if len(rd.schema.anyOf) > 0 {
		found := false
		for _, name := range rd.schema.anyOf {
			for j, c := range rd.schema.columns {
				if c.name == name && rd.idx[j] >= 0 {
					found = true
				}
			}
		}
		if !found {
			return &RowError{File: sc.file, Line: sc.recLine, Column: 1,
				Reason: fmt.Sprintf("header: needs at least one of the columns %s", oneOf(rd.schema.anyOf...))}
		}
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// next reads the next record, checks its field count and makes the row
// string. It returns io.EOF, a *RowError or a fatal error.
func (rd *reader) next() error {
	if rd.done {
		return io.EOF
	}
	sc := rd.sc
	err := sc.next()
	if err != nil {
		if err == io.EOF {
			rd.done = true
		} else if _, ok := err.(*RowError); !ok {
			rd.done = true
		}
		return err
	}
	if n, want := len(sc.fields), len(rd.header); n != want {
		col := want + 1
		if n < want {
			col = n + 1
		}
		reason := fmt.Sprintf("%d cells, but the header has %d columns", n, want)
		if n < want && sc.lastLine {
			reason += "; the last line of the file looks cut off"
		} else if n > want {
			reason += "; a cell containing a comma must be enclosed in quotes"
		}
		return &RowError{File: sc.file, Line: sc.recLine, Column: col, Reason: reason}
	}
	// One string per row: the cells, then the source "file:line".
	// The line number in decimal, counted up in place from the previous
	// row's in the common case of consecutive lines.
	if sc.recLine == rd.digitsLine+1 && len(rd.digits) > 0 {
		d := rd.digits
		k := len(d) - 1
		for k >= 0 && d[k] == '9' {
			d[k] = '0'
			k--
		}
		if k < 0 {
			rd.digits = append([]byte{'1'}, d...)
		} else {
			d[k]++
		}
	} else {
		rd.digits = strconv.AppendInt(rd.digits[:0], int64(sc.recLine), 10)
	}
	rd.digitsLine = sc.recLine
	line := rd.digits
	rd.srcAt = len(sc.rec)
	if rd.shared != nil {
		b := *rd.shared
		if need := len(sc.rec) + len(sc.file) + 1 + len(line); cap(b)-len(b) < need {
			b = rd.growShared(b, need)
		}
		at := len(b)
		b = append(b, sc.rec...)
		b = append(b, sc.file...)
		b = append(b, ':')
		b = append(b, line...)
		*rd.shared = b
		rd.sharedMax = max(rd.sharedMax, len(b))
		rd.str = unsafe.String(&b[at], len(b)-at)
		return nil
	}
	if rd.arena {
		need := len(sc.rec) + len(sc.file) + 1 + len(line)
		if cap(rd.chunk)-len(rd.chunk) < need {
			rd.chunk = make([]byte, 0, max(arenaChunk, need))
		}
		b := rd.chunk
		at := len(b)
		b = append(b, sc.rec...)
		b = append(b, sc.file...)
		b = append(b, ':')
		b = append(b, line...)
		rd.chunk = b
		rd.str = unsafe.String(&b[at], len(b)-at)
		return nil
	}
	var sb strings.Builder // one allocation, not zeroed, one copy
	sb.Grow(len(sc.rec) + len(sc.file) + 1 + len(line))
	sb.Write(sc.rec)
	sb.WriteString(sc.file)
	sb.WriteByte(':')
	sb.Write(line)
	rd.str = sb.String()
	return nil
}

// growShared returns b with room for need more bytes. append alone
// grows a byte slice by a quarter at a time past 256 bytes: a caller's
// buffer filled to ~700 KiB from empty (a batch of 4,096 rows) went
// through some 35 arrays, ~5 times its final size in fresh memory, each
// copied. Here it doubles from 64 KiB, and an empty buffer starts at the
// largest fill seen so far and an eighth, so that the caller's further
// buffers, filled like the first, are made once. The views of rows
// already in b keep the old array.
func (rd *reader) growShared(b []byte, need int) []byte {
	n := max(2*cap(b), len(b)+need, 64<<10)
	if len(b) == 0 {
		n = max(n, rd.sharedMax+rd.sharedMax/8)
	}
	nb := make([]byte, len(b), n)
	copy(nb, b)
	return nb
}

// source returns "file:line" of the current row.
func (rd *reader) source() string {
	return rd.str[rd.srcAt:]
}

// bytes returns the trimmed cell of schema column j; nil when the header
// has no such column.
func (rd *reader) bytes(j int) []byte {
	k := rd.idx[j]
	if k < 0 {
		return nil
	}
	return rd.sc.cell(k)
}

// text returns the trimmed cell of schema column j as a substring of the
// row string (no allocation).
func (rd *reader) text(j int) string {
	k := rd.idx[j]
	if k < 0 {
		return ""
	}
	f := &rd.sc.fields[k]
	return rd.str[f.start:f.end]
}

// fail makes a *RowError about schema column j of the current row.
func (rd *reader) fail(j int, reason string) *RowError {
	k := rd.idx[j]
	e := &RowError{File: rd.sc.file, Line: rd.sc.recLine, Column: 1, Field: rd.schema.columns[j].name, Reason: reason}
	if k >= 0 {
		e.Line, e.Column = int(rd.sc.fields[k].line), k+1
	}
	return e
}

// required checks that column j is not empty.
func (rd *reader) required(j int) *RowError {
	if len(rd.bytes(j)) == 0 {
		return rd.fail(j, "required, but the cell is empty")
	}
	return nil
}

// countryNames and currencyNames hold every assigned code as a string, so
// that reading a code needs no allocation; they are read-only after init.
var (
	countryNames  [26 * 26]string
	currencyNames [26 * 26 * 26]string
)

func init() {
	for i := range 26 {
		for j := range 26 {
			if c := string([]byte{byte('A' + i), byte('A' + j)}); vigil.IsCountryCode(c) {
				countryNames[i*26+j] = c
			}
			for k := range 26 {
				if c := string([]byte{byte('A' + i), byte('A' + j), byte('A' + k)}); vigil.IsCurrencyCode(c) {
					currencyNames[(i*26+j)*26+k] = c
				}
			}
		}
	}
}

// letter returns the 0-based index of an ASCII letter in either case.
func letter(c byte) (int, bool) {
	c |= 0x20
	return int(c - 'a'), c >= 'a' && c <= 'z'
}

// country reads an ISO 3166-1 alpha-2 code from column j, in either case
// ("" when empty).
func (rd *reader) country(j int, dst *string) *RowError {
	b := rd.bytes(j)
	if len(b) == 0 {
		*dst = ""
		return nil
	}
	if len(b) == 2 {
		x, ok1 := letter(b[0])
		y, ok2 := letter(b[1])
		if ok1 && ok2 && countryNames[x*26+y] != "" {
			*dst = countryNames[x*26+y]
			return nil
		}
	}
	return rd.fail(j, "not an ISO 3166-1 alpha-2 country code such as PH or DE, got "+got(b))
}

// currency reads an ISO 4217 code from column j, in either case.
func (rd *reader) currency(j int, dst *string) *RowError {
	b := rd.bytes(j)
	if len(b) == 3 {
		x, ok1 := letter(b[0])
		y, ok2 := letter(b[1])
		z, ok3 := letter(b[2])
		if ok1 && ok2 && ok3 && currencyNames[(x*26+y)*26+z] != "" {
			*dst = currencyNames[(x*26+y)*26+z]
			return nil
		}
	}
	return rd.fail(j, "not an ISO 4217 currency code such as EUR or PHP, got "+got(b))
}

// enum reads a value of a closed list from column j, case-insensitively;
// the result is the list's spelling.
func (rd *reader) enum(j int, vals []string, dst *string) *RowError {
	b := rd.bytes(j)
	if len(b) == 0 {
		*dst = ""
		return nil
	}
	for _, v := range vals {
		if string(b) == v {
			*dst = v
			return nil
		}
	}
	for _, v := range vals {
		if len(v) == len(b) && equalFold(b, v) {
			*dst = v
			return nil
		}
	}
	return rd.fail(j, "must be "+oneOf(vals...)+", got "+got(b))
}

func equalFold(b []byte, s string) bool {
	for i := range b {
		c, d := b[i], s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if d >= 'A' && d <= 'Z' {
			d += 'a' - 'A'
		}
		if c != d {
			return false
		}
	}
	return true
}

// date reads a full or partial date from column j.
func (rd *reader) date(j int, dst *vigil.Date) *RowError {
	d, reason := vigil.ParseDate(rd.text(j))
	if reason != "" {
		return rd.fail(j, reason+", got "+got(rd.bytes(j)))
	}
	*dst = d
	return nil
}

// timestamp reads a required RFC 3339 timestamp with offset from column j.
func (rd *reader) timestamp(j int, dst *time.Time) *RowError {
	b := rd.bytes(j)
	if len(b) == 0 {
		return rd.fail(j, "required, but the cell is empty")
	}
	t, ok := parseTimestamp(b, &rd.stamps)
	if !ok {
		return rd.fail(j, "not an RFC 3339 timestamp with offset, e.g. 2024-03-01T22:15:00+10:00, got "+got(b))
	}
	*dst = t
	return nil
}

// amount reads a required decimal amount greater than zero from column j.
func (rd *reader) amount(j int, dst *vigil.Amount) *RowError {
	b := rd.bytes(j)
	if len(b) == 0 {
		return rd.fail(j, "required, but the cell is empty")
	}
	a, reason := vigil.ParseAmountBytes(b)
	if reason != "" {
		if b[0] == '-' {
			reason = "negative amount; amounts are greater than zero"
		} else if b[0] == '+' {
			reason = "a sign is not allowed; write the amount as digits and one '.', e.g. 49.90"
		}
		return rd.fail(j, reason+", got "+got(b))
	}
	if a <= 0 {
		return rd.fail(j, "must be greater than zero, got "+got(b))
	}
	*dst = a
	return nil
}

// seconds reads a whole number >= 0 from column j (0 when empty).
func (rd *reader) seconds(j int, dst *int) *RowError {
	b := rd.bytes(j)
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' || n > 1e9 {
			return rd.fail(j, "not a whole number of seconds (0 or more, at most 1000000000), got "+got(b))
		}
		n = n*10 + int(c-'0')
	}
	if n > 1e9 {
		return rd.fail(j, "not a whole number of seconds (0 or more, at most 1000000000), got "+got(b))
	}
	*dst = n
	return nil
}

// invalid wraps a failed Validate, which the field checks should make
// impossible, as a *RowError on the whole row.
func (rd *reader) invalid(err error) *RowError {
	return &RowError{File: rd.sc.file, Line: rd.sc.recLine, Column: 1, Reason: vigil.ErrorMessage(err)}
}

// Offset returns how many bytes of the input the rows read so far took,
// header included: with the input's size, a caller can tell about how
// many rows are left (as readAll sizes its result).
func (rd *reader) Offset() int64 { return rd.sc.base + int64(rd.sc.pos) }

// Columns returns the column names of the file's header, in file order,
// lower-cased; the 1-based column of name i is i+1.
func (rd *reader) Columns() []string { return append([]string(nil), rd.header...) }
