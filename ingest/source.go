package ingest

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/sqlite"
)

// Formats accepted by Options.Format.
const (
	FormatCSV      = "csv"      // vigil's interchange CSV files (docs/format.md)
	FormatISO20022 = "iso20022" // pacs.008, pain.001, camt.052/053/054 documents
	FormatGoAML    = "goaml"    // goAML XML reports (not readable yet)
)

// KindMixed is the kind of a source that yields parties and transfers in
// one stream, each party before the first transfer that names it (an ISO
// 20022 document, a goAML report).
const KindMixed = "mixed"

// Record is one record read from a source. Only the field for Kind is
// meaningful; a source fills it in place, so the caller must copy what it
// keeps.
type Record struct {
	Kind     string // sqlite.KindParties, KindTransfers, KindCalls, KindLeads
	Party    vigil.Party
	Transfer vigil.Transfer
	Call     vigil.CallEvent
	Lead     vigil.Lead
	List     string  // for leads: "leads" or "seeds"
	Reject   *Reject // set instead of a record when the source rejected a row

	// Filled by the loader's reading goroutine, not by sources.
	row     sqlite.Row
	invalid error // the record breaks an invariant (EINVALID)
}

// encode prepares rec for the store, off the writing goroutine.
func (rec *Record) encode() {
	rec.invalid = nil
	if rec.Reject != nil {
		return
	}
	switch rec.Kind {
	case sqlite.KindParties:
		rec.invalid = rec.row.EncodeParty(&rec.Party)
	case sqlite.KindTransfers:
		rec.invalid = rec.row.EncodeTransfer(&rec.Transfer)
	case sqlite.KindCalls:
		rec.invalid = rec.row.EncodeCallEvent(&rec.Call)
	case sqlite.KindLeads:
		rec.invalid = rec.row.EncodeLead(rec.List, &rec.Lead)
	default:
		rec.invalid = vigil.Errorf(vigil.EINTERNAL, "record of unknown kind %q", rec.Kind)
	}
}

// source returns the provenance of the record.
func (rec *Record) source() string {
	switch rec.Kind {
	case sqlite.KindParties:
		return rec.Party.Source
	case sqlite.KindTransfers:
		return rec.Transfer.Source
	case sqlite.KindCalls:
		return rec.Call.Source
	case sqlite.KindLeads:
		return rec.Lead.Source
	}
	return ""
}

// Source reads the records of one input. Implementations exist for CSV and
// ISO 20022; a new format (goAML) plugs in by implementing it.
type Source interface {
	// Name is the input's path, used in messages and provenance.
	Name() string
	// Kind is the kind of every record (sqlite.KindParties, …) or KindMixed.
	Kind() string
	// Next reads the next record into rec. It returns io.EOF after the last
	// record. A row the source rejects is returned as a record with Reject
	// set (reading goes on); any error is fatal for the load.
	Next(rec *Record) error
	// Close releases the input.
	Close() error
}

// Reject is a row that was not stored, with where it was and why.
type Reject struct {
	File   string `json:"file"`
	Line   int    `json:"line"`             // line of the row's start; 0 when unknown
	Column int    `json:"column,omitempty"` // 1-based column; 0 when the whole row
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

// Error formats the reject as "file:line:column: field: reason" (without
// "field: " when the reason starts with the field's name).
func (r *Reject) Error() string {
	var b strings.Builder
	b.WriteString(r.File)
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(r.Line))
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(r.Column))
	b.WriteString(": ")
	if r.Field != "" && !strings.HasPrefix(r.Reason, r.Field+" ") {
		b.WriteString(r.Field)
		b.WriteString(": ")
	}
	b.WriteString(r.Reason)
	return b.String()
}

// lineOf returns the line number at the end of a "file:line" provenance.
func lineOf(source string) int {
	i := strings.LastIndexByte(source, ':')
	if i < 0 {
		return 0
	}
	n, err := strconv.Atoi(source[i+1:])
	if err != nil {
		return 0
	}
	return n
}

// kindOrder is the position of a kind in a load: parties first so that
// transfers are checked against them whatever order the files were given in.
func kindOrder(kind string) int {
	switch kind {
	case sqlite.KindParties:
		return 0
	case KindMixed:
		return 1
	case sqlite.KindTransfers:
		return 2
	case sqlite.KindCalls:
		return 3
	}
	return 4
}

// DetectKind tells what a CSV file holds from the id column of its header:
// party_id (without transfer_id) → parties, transfer_id → transfers,
// event_id → calls, lead_id → leads.
func DetectKind(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", vigil.Errorf(vigil.EINVALID, "cannot read %s: %v", path, err)
	}
	defer f.Close()
	line, err := bufio.NewReaderSize(f, 64<<10).ReadSlice('\n')
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return "", vigil.Errorf(vigil.EINVALID, "cannot read %s: %v", path, err)
	}
	line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
	has := map[string]bool{}
	for _, col := range bytes.Split(bytes.TrimRight(line, "\r\n"), []byte(",")) {
		has[string(bytes.TrimSpace(bytes.Trim(bytes.TrimSpace(col), `"`)))] = true
	}
	switch {
	case has["transfer_id"]:
		return sqlite.KindTransfers, nil
	case has["party_id"]:
		return sqlite.KindParties, nil
	case has["event_id"]:
		return sqlite.KindCalls, nil
	case has["lead_id"]:
		return sqlite.KindLeads, nil
	}
	if has["currency"] && has["rate"] {
		return "", vigil.Errorf(vigil.EINVALID, "%s:1:1: this is an FX rates table (currency,rate), which is not loaded into the store: give it to the commands that convert amounts with --fx", path)
	}
	if len(bytes.TrimSpace(line)) == 0 {
		return "", vigil.Errorf(vigil.EINVALID, "%s:1:1: the file is empty: a header row is required", path)
	}
	return "", vigil.Errorf(vigil.EINVALID, "%s:1:1: cannot tell what the file holds: the header names none of party_id, transfer_id, event_id, lead_id", path)
}

// ListFor returns the lead list of a leads file: list when given, else
// "seeds" when the file's name starts with "seeds", else "leads".
func ListFor(path, list string) string {
	if list != "" {
		return list
	}
	if strings.HasPrefix(strings.ToLower(filepath.Base(path)), sqlite.ListSeeds) {
		return sqlite.ListSeeds
	}
	return sqlite.ListLeads
}

// countingReader counts the bytes read through it, for progress.
type countingReader struct {
	r    io.Reader
	read func(n int)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 && c.read != nil {
		c.read(n)
	}
	return n, err
}
