package goaml

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/vigilfiu/vigil"
)

// Imported is everything read from one report.
type Imported struct {
	Header    Header
	Parties   []*vigil.Party
	Transfers []*vigil.Transfer
	Rejected  []*RecordError // transactions and parties that could not be imported
}

// ImportFile reads a received goAML report. When xsd is not empty the file
// is first validated against it with xmllint, and a report that fails its
// schema is refused with xmllint's findings (EINVALID).
func ImportFile(ctx context.Context, path, xsd string) (*Imported, error) {
	if xsd != "" {
		if err := ValidateXSD(ctx, path, xsd); err != nil {
			return nil, err
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "goAML report: %v", err)
	}
	defer f.Close()
	return Import(f, filepath.Base(path))
}

// Import reads a goAML report from r; name is used in errors and provenance.
func Import(r io.Reader, name string) (*Imported, error) {
	rd := NewReader(r, name)
	out := &Imported{}
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			out.Header = rd.Header()
			return out, nil
		}
		var re *RecordError
		if errors.As(err, &re) {
			out.Rejected = append(out.Rejected, re)
			continue
		}
		if err != nil {
			return nil, err
		}
		if rec.Kind == KindParty {
			out.Parties = append(out.Parties, rec.Party)
		} else {
			out.Transfers = append(out.Transfers, rec.Transfer)
		}
	}
}
