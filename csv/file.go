package csv

import (
	"errors"
	"io"
	"os"

	"github.com/vigilfiu/vigil"
)

// readAll drives read until io.EOF, collecting accepted values and rejected
// rows; it stops at the first fatal error.
func readAll[T any](path string, open func(io.Reader) (func(*T) error, error)) ([]T, []*RowError, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, vigil.Errorf(vigil.EINVALID, "cannot read %s: %v", path, err)
	}
	defer f.Close()
	read, err := open(f)
	if err != nil {
		return nil, nil, err
	}
	var out []T
	var rejected []*RowError
	for {
		var v T
		err := read(&v)
		if err == io.EOF {
			return out, rejected, nil
		}
		var re *RowError
		if errors.As(err, &re) {
			rejected = append(rejected, re)
			continue
		}
		if err != nil {
			return out, rejected, err
		}
		out = append(out, v)
	}
}

// ReadPartiesFile reads a whole parties.csv. Rejected rows are returned
// beside the accepted ones; the error is for a header problem (a *RowError)
// or a failure that stopped reading.
func ReadPartiesFile(path string, opt Options) ([]vigil.Party, []*RowError, error) {
	return readAll(path, func(r io.Reader) (func(*vigil.Party) error, error) {
		pr, err := NewPartyReader(r, path, opt)
		if err != nil {
			return nil, err
		}
		return pr.Read, nil
	})
}

// ReadTransfersFile reads a whole transfers.csv, like ReadPartiesFile.
func ReadTransfersFile(path string, opt Options) ([]vigil.Transfer, []*RowError, error) {
	return readAll(path, func(r io.Reader) (func(*vigil.Transfer) error, error) {
		tr, err := NewTransferReader(r, path, opt)
		if err != nil {
			return nil, err
		}
		return tr.Read, nil
	})
}

// ReadCallsFile reads a whole calls.csv, like ReadPartiesFile.
func ReadCallsFile(path string, opt Options) ([]vigil.CallEvent, []*RowError, error) {
	return readAll(path, func(r io.Reader) (func(*vigil.CallEvent) error, error) {
		cr, err := NewCallReader(r, path, opt)
		if err != nil {
			return nil, err
		}
		return cr.Read, nil
	})
}

// ReadLeadsFile reads a whole leads.csv or seeds.csv, like ReadPartiesFile.
func ReadLeadsFile(path string, opt Options) ([]vigil.Lead, []*RowError, error) {
	return readAll(path, func(r io.Reader) (func(*vigil.Lead) error, error) {
		lr, err := NewLeadReader(r, path, opt)
		if err != nil {
			return nil, err
		}
		return lr.Read, nil
	})
}
