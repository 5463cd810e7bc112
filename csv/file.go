package csv

import (
	"errors"
	"io"
	"os"

	"github.com/vigilfiu/vigil"
)

// sizeSample is the number of rows readAll reads before it sizes its
// result from the file's size.
const sizeSample = 1024

// readAll drives read until io.EOF, collecting accepted values and rejected
// rows; it stops at the first fatal error.
func readAll[T any](path string, open func(io.Reader) (func(*T) error, *reader, error)) ([]T, []*RowError, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, vigil.Errorf(vigil.EINVALID, "cannot read %s: %v", path, err)
	}
	defer f.Close()
	read, rd, err := open(f)
	if err != nil {
		return nil, nil, err
	}
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	var out []T
	var rejected []*RowError
	for {
		if len(out) == sizeSample && size > 0 {
			// One allocation for the whole file, from the bytes per row
			// so far, instead of copying every row at each doubling
			// (which also kept the collector scanning the old arrays).
			if at := rd.Offset(); at > 0 {
				want := int(float64(size)/float64(at)*float64(len(out))*1.05) + sizeSample
				if want > cap(out) {
					out = append(make([]T, 0, want), out...)
				}
			}
		}
		// The row is read straight into its slot: a value of its own
		// would escape to the heap through read (one allocation per row,
		// as much memory again as the result) and be copied once more.
		var zero T
		out = append(out, zero)
		err := read(&out[len(out)-1])
		if err == nil {
			continue
		}
		out[len(out)-1] = zero // nothing of a rejected row is kept
		out = out[:len(out)-1]
		if err == io.EOF {
			return out, rejected, nil
		}
		var re *RowError
		if errors.As(err, &re) {
			rejected = append(rejected, re)
			continue
		}
		return out, rejected, err
	}
}

// ReadPartiesFile reads a whole parties.csv. Rejected rows are returned
// beside the accepted ones; the error is for a header problem (a *RowError)
// or a failure that stopped reading.
func ReadPartiesFile(path string, opt Options) ([]vigil.Party, []*RowError, error) {
	return readAll(path, func(r io.Reader) (func(*vigil.Party) error, *reader, error) {
		pr, err := NewPartyReader(r, path, opt)
		if err != nil {
			return nil, nil, err
		}
		pr.arena = true
		return pr.Read, pr.reader, nil
	})
}

// ReadTransfersFile reads a whole transfers.csv, like ReadPartiesFile.
func ReadTransfersFile(path string, opt Options) ([]vigil.Transfer, []*RowError, error) {
	return readAll(path, func(r io.Reader) (func(*vigil.Transfer) error, *reader, error) {
		tr, err := NewTransferReader(r, path, opt)
		if err != nil {
			return nil, nil, err
		}
		tr.arena = true
		return tr.Read, tr.reader, nil
	})
}

// ReadCallsFile reads a whole calls.csv, like ReadPartiesFile.
func ReadCallsFile(path string, opt Options) ([]vigil.CallEvent, []*RowError, error) {
	return readAll(path, func(r io.Reader) (func(*vigil.CallEvent) error, *reader, error) {
		cr, err := NewCallReader(r, path, opt)
		if err != nil {
			return nil, nil, err
		}
		return cr.Read, cr.reader, nil
	})
}

// ReadLeadsFile reads a whole leads.csv or seeds.csv, like ReadPartiesFile.
func ReadLeadsFile(path string, opt Options) ([]vigil.Lead, []*RowError, error) {
	return readAll(path, func(r io.Reader) (func(*vigil.Lead) error, *reader, error) {
		lr, err := NewLeadReader(r, path, opt)
		if err != nil {
			return nil, nil, err
		}
		return lr.Read, lr.reader, nil
	})
}
