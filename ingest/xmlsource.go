package ingest

import (
	"bufio"
	"errors"
	"os"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/goaml"
	"github.com/vigilfiu/vigil/iso20022"
	"github.com/vigilfiu/vigil/sqlite"
)

// xmlSource reads the parties and transfers of one XML document: an ISO
// 20022 message or a goAML report. Both readers stream the document and
// yield parties, transfers and non-fatal record errors.
type xmlSource struct {
	path string
	f    *os.File
	next func() (party *vigil.Party, transfer *vigil.Transfer, reject *Reject, err error)
}

func openXML(path, format string, progress func(int)) (*xmlSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "cannot read %s: %v", path, err)
	}
	br := bufio.NewReaderSize(&countingReader{r: f, read: progress}, 256<<10)
	s := &xmlSource{path: path, f: f}
	switch format {
	case FormatGoAML:
		r := goaml.NewReader(br, path)
		s.next = func() (*vigil.Party, *vigil.Transfer, *Reject, error) {
			rec, err := r.Next()
			var re *goaml.RecordError
			if errors.As(err, &re) {
				return nil, nil, &Reject{File: re.File, Line: re.Line, Column: re.Column, Reason: re.Reason}, nil
			}
			return rec.Party, rec.Transfer, nil, err
		}
	default:
		r := iso20022.NewReader(br, path)
		s.next = func() (*vigil.Party, *vigil.Transfer, *Reject, error) {
			rec, err := r.Next()
			var re *iso20022.RecordError
			if errors.As(err, &re) {
				return nil, nil, &Reject{File: re.File, Line: re.Line, Column: re.Column, Reason: re.Reason}, nil
			}
			return rec.Party, rec.Transfer, nil, err
		}
	}
	return s, nil
}

func (s *xmlSource) Name() string { return s.path }
func (s *xmlSource) Kind() string { return KindMixed }
func (s *xmlSource) Close() error { return s.f.Close() }

func (s *xmlSource) Next(rec *Record) error {
	rec.Reject = nil
	p, t, rej, err := s.next()
	switch {
	case err != nil:
		return err
	case rej != nil:
		rec.Kind, rec.Reject = sqlite.KindTransfers, rej
	case p != nil:
		rec.Kind, rec.Party = sqlite.KindParties, *p
	case t != nil:
		rec.Kind, rec.Transfer = sqlite.KindTransfers, *t
	default:
		return vigil.Errorf(vigil.EINTERNAL, "%s: the XML reader returned an empty record", s.path)
	}
	return nil
}
