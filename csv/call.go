package csv

import (
	"io"

	"github.com/vigilfiu/vigil"
)

// Columns of calls.csv, in the writers' order.
const (
	cID = iota
	cTimestamp
	cAccount
	cCounterpart
	cPlatform
	cDirection
	cKind
	cDuration
)

var callSchema = &schema{kind: "calls.csv", columns: []column{
	{"event_id", true}, {"timestamp", true}, {"account", true}, {"counterpart", true},
	{"platform", false}, {"direction", false}, {"kind", false}, {"duration_s", false},
}}

var (
	directions = []string{string(vigil.DirectionIn), string(vigil.DirectionOut)}
	callKinds  = []string{string(vigil.KindCall), string(vigil.KindVideo), string(vigil.KindChat)}
)

// CallReader reads calls.csv.
type CallReader struct{ *reader }

// NewCallReader reads the header of calls.csv from r; file names the input
// in errors and sources. A header problem is a *RowError.
func NewCallReader(r io.Reader, file string, opt Options) (*CallReader, error) {
	rd, err := newReader(r, file, opt, callSchema)
	if err != nil {
		return nil, err
	}
	return &CallReader{rd}, nil
}

// Read reads the next call event into e. It returns io.EOF after the last
// row, a *RowError for a rejected row (reading may go on), and any other
// error when reading must stop.
func (r *CallReader) Read(e *vigil.CallEvent) error {
	if err := r.next(); err != nil {
		return err
	}
	for _, j := range []int{cID, cAccount, cCounterpart} {
		if re := r.required(j); re != nil {
			return re
		}
	}
	*e = vigil.CallEvent{
		ID:          r.text(cID),
		Account:     r.text(cAccount),
		Counterpart: r.text(cCounterpart),
		Platform:    r.text(cPlatform),
		Source:      r.source(),
	}
	if re := r.timestamp(cTimestamp, &e.Timestamp); re != nil {
		return re
	}
	var dir, kind string
	if re := r.enum(cDirection, directions, &dir); re != nil {
		return re
	}
	if re := r.enum(cKind, callKinds, &kind); re != nil {
		return re
	}
	e.Direction, e.Kind = vigil.CallDirection(dir), vigil.CallKind(kind)
	if re := r.seconds(cDuration, &e.DurationS); re != nil {
		return re
	}
	if err := e.Validate(); err != nil {
		return r.invalid(err)
	}
	return nil
}

// CallWriter writes calls.csv with every column, in the documented order.
type CallWriter struct{ writer }

// NewCallWriter returns a writer to w; call Flush at the end.
func NewCallWriter(w io.Writer) *CallWriter { return &CallWriter{newWriter(w, callSchema)} }

// Write writes one call event as given (Source is not written).
func (w *CallWriter) Write(e *vigil.CallEvent) error {
	w.start()
	w.text(e.ID)
	w.time(e.Timestamp)
	w.text(e.Account)
	w.text(e.Counterpart)
	w.text(e.Platform)
	w.text(string(e.Direction))
	w.text(string(e.Kind))
	w.int(e.DurationS)
	return w.end()
}
