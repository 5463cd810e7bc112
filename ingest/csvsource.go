package ingest

import (
	"bufio"
	stdcsv "encoding/csv"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/sqlite"
)

// csvSource reads one interchange CSV file with package csv's strict readers.
type csvSource struct {
	path string
	kind string
	list string
	f    *os.File
	next func(rec *Record) error
	cols map[string]int // header name → 1-based column
}

// Column returns the 1-based column of field in the file's header, 0 if
// the header has no such column.
func (s *csvSource) Column(field string) int { return s.cols[field] }

// openCSV opens path as a file of kind (see DetectKind); list names the
// lead list of a leads file. progress, when not nil, is told of bytes read.
func openCSV(path, kind, list string, opt csv.Options, progress func(int)) (*csvSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "cannot read %s: %v", path, err)
	}
	s := &csvSource{path: path, kind: kind, list: list, f: f, cols: map[string]int{}}
	if h, err := stdcsv.NewReader(f).Read(); err == nil {
		for i, name := range h {
			if i == 0 {
				name = strings.TrimPrefix(name, "\ufeff")
			}
			s.cols[strings.TrimSpace(name)] = i + 1
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, vigil.Errorf(vigil.EINVALID, "cannot read %s: %v", path, err)
	}
	r := bufio.NewReaderSize(&countingReader{r: f, read: progress}, 256<<10)
	switch kind {
	case sqlite.KindParties:
		pr, err := csv.NewPartyReader(r, path, opt)
		if err != nil {
			f.Close()
			return nil, headerError(err)
		}
		s.next = func(rec *Record) error {
			rec.Party = vigil.Party{}
			return rowError(pr.Read(&rec.Party), rec)
		}
	case sqlite.KindTransfers:
		tr, err := csv.NewTransferReader(r, path, opt)
		if err != nil {
			f.Close()
			return nil, headerError(err)
		}
		s.next = func(rec *Record) error {
			rec.Transfer = vigil.Transfer{}
			return rowError(tr.Read(&rec.Transfer), rec)
		}
	case sqlite.KindCalls:
		cr, err := csv.NewCallReader(r, path, opt)
		if err != nil {
			f.Close()
			return nil, headerError(err)
		}
		s.next = func(rec *Record) error {
			rec.Call = vigil.CallEvent{}
			return rowError(cr.Read(&rec.Call), rec)
		}
	case sqlite.KindLeads:
		lr, err := csv.NewLeadReader(r, path, opt)
		if err != nil {
			f.Close()
			return nil, headerError(err)
		}
		s.next = func(rec *Record) error {
			rec.Lead = vigil.Lead{}
			rec.List = list
			return rowError(lr.Read(&rec.Lead), rec)
		}
	default:
		f.Close()
		return nil, vigil.Errorf(vigil.EINTERNAL, "no CSV reader for kind %q", kind)
	}
	return s, nil
}

func (s *csvSource) Name() string { return s.path }
func (s *csvSource) Kind() string { return s.kind }
func (s *csvSource) Close() error { return s.f.Close() }

func (s *csvSource) Next(rec *Record) error {
	rec.Kind, rec.Reject = s.kind, nil
	return s.next(rec)
}

// rowError turns a reader's *csv.RowError into a rejected record; io.EOF
// and other (fatal) errors pass through.
func rowError(err error, rec *Record) error {
	var re *csv.RowError
	if err != nil && errors.As(err, &re) {
		rec.Reject = &Reject{File: re.File, Line: re.Line, Column: re.Column, Field: re.Field, Reason: re.Reason}
		return nil
	}
	if err != nil && err != io.EOF && vigil.ErrorCode(err) == vigil.EINTERNAL {
		return vigil.Errorf(vigil.EINVALID, "%v", err)
	}
	return err
}

// headerError makes a header problem a fatal, user-facing error.
func headerError(err error) error {
	var re *csv.RowError
	if errors.As(err, &re) {
		return vigil.Errorf(vigil.EINVALID, "%s", re.Error())
	}
	return err
}
