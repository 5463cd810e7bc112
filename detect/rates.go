package detect

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/vigilfiu/vigil"
)

// ReadRates reads an FX table for the indicators that compare amounts
// across currencies: a CSV with the header currency,rate where rate is the
// value in EUR of one unit of the currency ("AUD,0.61"). Errors name
// file:line:column and the reason.
func ReadRates(r io.Reader, file string) (Rates, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err == io.EOF {
		return nil, vigil.Errorf(vigil.EINVALID, "%s:1:1: empty file, want a header currency,rate", file)
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	ci, ri := -1, -1
	for i, h := range head {
		switch strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) {
		case "currency":
			ci = i
		case "rate":
			ri = i
		default:
			return nil, vigil.Errorf(vigil.EINVALID, "%s:1:%d: unknown column %q (want currency,rate)", file, i+1, h)
		}
	}
	if ci < 0 || ri < 0 {
		return nil, vigil.Errorf(vigil.EINVALID, "%s:1:1: header must name currency and rate", file)
	}
	out := Rates{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, csvError(file, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(head) {
			return nil, vigil.Errorf(vigil.EINVALID, "%s:%d:1: %d fields, want %d", file, line, len(rec), len(head))
		}
		cur := strings.TrimSpace(rec[ci])
		if !vigil.IsCurrencyCode(cur) {
			_, col := cr.FieldPos(ci)
			return nil, vigil.Errorf(vigil.EINVALID, "%s:%d:%d: currency: %q is not an ISO 4217 code", file, line, col, rec[ci])
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(rec[ri]), 64)
		if err != nil || !(v > 0) || v > 1e9 {
			_, col := cr.FieldPos(ri)
			return nil, vigil.Errorf(vigil.EINVALID, "%s:%d:%d: rate: %q is not a positive number", file, line, col, rec[ri])
		}
		if old, ok := out[cur]; ok && old != v {
			return nil, vigil.Errorf(vigil.EINVALID, "%s:%d:1: currency %s has two different rates", file, line, cur)
		}
		out[cur] = v
	}
}
