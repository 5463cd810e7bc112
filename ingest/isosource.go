package ingest

import (
	"bufio"
	"errors"
	"os"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/iso20022"
	"github.com/vigilfiu/vigil/sqlite"
)

// isoSource reads the parties and transfers of one ISO 20022 document.
type isoSource struct {
	path string
	f    *os.File
	r    *iso20022.Reader
}

func openISO20022(path string, progress func(int)) (*isoSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "cannot read %s: %v", path, err)
	}
	r := iso20022.NewReader(bufio.NewReaderSize(&countingReader{r: f, read: progress}, 256<<10), path)
	return &isoSource{path: path, f: f, r: r}, nil
}

func (s *isoSource) Name() string { return s.path }
func (s *isoSource) Kind() string { return KindMixed }
func (s *isoSource) Close() error { return s.f.Close() }

func (s *isoSource) Next(rec *Record) error {
	rec.Reject = nil
	r, err := s.r.Next()
	var re *iso20022.RecordError
	switch {
	case errors.As(err, &re):
		rec.Kind = sqlite.KindTransfers
		rec.Reject = &Reject{File: re.File, Line: re.Line, Column: re.Column, Reason: re.Reason}
		return nil
	case err != nil:
		return err
	}
	switch r.Kind {
	case iso20022.KindParty:
		rec.Kind, rec.Party = sqlite.KindParties, *r.Party
	case iso20022.KindTransfer:
		rec.Kind, rec.Transfer = sqlite.KindTransfers, *r.Transfer
	default:
		return vigil.Errorf(vigil.EINTERNAL, "%s: the ISO 20022 reader returned a record of unknown kind %d", s.path, r.Kind)
	}
	return nil
}
