package oracle

import (
	"bufio"
	"io"
	"strconv"
	"time"

	"github.com/vigilfiu/vigil"
)

// writer is the part every typed writer shares: it writes the header
// before the first row (or at Flush for a file without rows) and quotes
// cells that need it (RFC 4180).
type writer struct {
	w      *bufio.Writer
	schema *schema
	line   []byte
	headed bool
}

func newWriter(w io.Writer, sc *schema) writer {
	return writer{w: bufio.NewWriterSize(w, 256<<10), schema: sc}
}

func (w *writer) head() {
	if w.headed {
		return
	}
	w.headed = true
	b := w.line[:0]
	for i, c := range w.schema.columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, c.name...)
	}
	b = append(b, '\n')
	w.w.Write(b)
	w.line = b
}

// start begins a row.
func (w *writer) start() { w.head(); w.line = w.line[:0] }

// end writes the row.
func (w *writer) end() error {
	w.line[len(w.line)-1] = '\n' // the last cell's comma
	_, err := w.w.Write(w.line)
	return err
}

// text appends a cell and a comma, quoting when the cell holds a comma, a
// quote or a line break.
func (w *writer) text(s string) {
	needs := false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ',' || c == '"' || c == '\n' || c == '\r' {
			needs = true
			break
		}
	}
	if !needs {
		w.line = append(w.line, s...)
		w.line = append(w.line, ',')
		return
	}
	w.line = append(w.line, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			w.line = append(w.line, '"')
		}
		w.line = append(w.line, s[i])
	}
	w.line = append(w.line, '"', ',')
}

func (w *writer) date(d vigil.Date) {
	b := w.line
	switch d.Precision() {
	case 3:
		b = append4(b, d.Year)
		b = append(b, '-', byte('0'+d.Month/10), byte('0'+d.Month%10), '-', byte('0'+d.Day/10), byte('0'+d.Day%10))
	case 2:
		b = append4(b, d.Year)
		b = append(b, '-', byte('0'+d.Month/10), byte('0'+d.Month%10))
	case 1:
		b = append4(b, d.Year)
	}
	w.line = append(b, ',')
}

func append4(b []byte, y int) []byte {
	if y < 0 || y > 9999 {
		return strconv.AppendInt(b, int64(y), 10)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
}

func (w *writer) time(t time.Time) {
	if !t.IsZero() {
		w.line = t.AppendFormat(w.line, time.RFC3339Nano)
	}
	w.line = append(w.line, ',')
}

func (w *writer) amount(a vigil.Amount) {
	w.line = a.AppendText(w.line)
	w.line = append(w.line, ',')
}

func (w *writer) int(n int) {
	w.line = strconv.AppendInt(w.line, int64(n), 10)
	w.line = append(w.line, ',')
}

// Flush writes the header if no row was written, then any buffered data.
func (w *writer) Flush() error {
	w.head()
	return w.w.Flush()
}
