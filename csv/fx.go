package csv

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"

	"github.com/vigilfiu/vigil"
)

// Columns of an FX rates table.
const (
	fxCurrency = iota
	fxRate
)

var fxSchema = &schema{kind: "an FX rates table", columns: []column{
	{"currency", true}, {"rate", true},
}}

// minRate and maxRate bound a rate: no currency is worth less than a
// millionth of a millionth of a euro, or more than a billion, a unit.
const (
	minRate = 1e-12
	maxRate = 1e9
)

// ReadFXRates reads an FX rates table (header currency,rate; rate is the
// value in EUR of one unit of the currency, a plain decimal such as 0.61 or
// 0.0000571). A table is used whole or not at all: the first bad row stops
// reading and is returned as a *RowError. A currency listed twice with
// different rates, or EUR with a rate other than 1, is an error.
func ReadFXRates(r io.Reader, file string, opt Options) (vigil.FXRates, error) {
	rd, err := newReader(r, file, opt, fxSchema)
	if err != nil {
		return nil, err
	}
	out := vigil.FXRates{}
	lines := map[string]int{}
	for {
		err := rd.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if e := rd.required(fxCurrency); e != nil {
			return nil, e
		}
		var cur string
		if e := rd.currency(fxCurrency, &cur); e != nil {
			return nil, e
		}
		b := rd.bytes(fxRate)
		if len(b) == 0 {
			return nil, rd.fail(fxRate, "required, but the cell is empty")
		}
		rate, ok := parseRate(b)
		if !ok {
			return nil, rd.fail(fxRate, "not a positive decimal number (digits and one '.', e.g. 0.61), got "+got(b))
		}
		if cur == "EUR" && rate != 1 {
			return nil, rd.fail(fxRate, "the rate of EUR must be 1, got "+got(b))
		}
		if old, dup := out[cur]; dup && old != rate {
			return nil, rd.fail(fxCurrency, fmt.Sprintf("%s has two different rates (lines %d and %d)", cur, lines[cur], rd.sc.recLine))
		}
		out[cur], lines[cur] = rate, rd.sc.recLine
	}
}

// parseRate accepts a plain positive decimal: digits with at most one '.'.
func parseRate(b []byte) (float64, bool) {
	dot, digits := false, 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 40 {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil || v < minRate || v > maxRate {
		return 0, false
	}
	return v, true
}

// ReadFXRatesFile reads an FX rates table from a file, like ReadFXRates.
func ReadFXRatesFile(path string, opt Options) (vigil.FXRates, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "cannot read FX rates %s: %v", path, err)
	}
	defer f.Close()
	rates, err := ReadFXRates(f, path, opt)
	var re *RowError
	if err != nil && !errors.As(err, &re) && vigil.ErrorCode(err) == vigil.EINTERNAL {
		err = vigil.Errorf(vigil.EINVALID, "cannot read FX rates %s: %v", path, err)
	}
	return rates, err
}

// WriteFXRates writes rates as a table ReadFXRates reads back exactly,
// currencies in alphabetical order.
func WriteFXRates(w io.Writer, rates vigil.FXRates) error {
	curs := make([]string, 0, len(rates))
	for c := range rates {
		curs = append(curs, c)
	}
	slices.Sort(curs)
	b := []byte("currency,rate\n")
	for _, c := range curs {
		b = append(b, c...)
		b = append(b, ',')
		b = strconv.AppendFloat(b, rates[c], 'f', -1, 64)
		b = append(b, '\n')
	}
	_, err := w.Write(b)
	return err
}
