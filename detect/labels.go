package detect

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/vigilfiu/vigil"
)

// ReadLabels reads the outcome labels vigil train fits on: a CSV with a
// header naming the columns party_id and label (in any order; other
// columns are refused), one row per sender, label 1 for a confirmed case
// and 0 for a cleared one. Errors name file:line:column and the reason; a
// party labelled twice with different labels is an error, twice the same
// is accepted.
func ReadLabels(r io.Reader, file string) (map[string]float64, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err == io.EOF {
		return nil, vigil.Errorf(vigil.EINVALID, "%s:1:1: empty file, want a header party_id,label", file)
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	pid, lab := -1, -1
	for i, h := range head {
		switch strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) {
		case "party_id":
			pid = i
		case "label":
			lab = i
		default:
			return nil, vigil.Errorf(vigil.EINVALID, "%s:1:%d: unknown column %q (want party_id,label)", file, i+1, h)
		}
	}
	if pid < 0 || lab < 0 {
		return nil, vigil.Errorf(vigil.EINVALID, "%s:1:1: header must name party_id and label", file)
	}
	out := map[string]float64{}
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
		id := strings.TrimSpace(rec[pid])
		if id == "" {
			_, col := cr.FieldPos(pid)
			return nil, vigil.Errorf(vigil.EINVALID, "%s:%d:%d: party_id: empty", file, line, col)
		}
		var v float64
		switch strings.TrimSpace(rec[lab]) {
		case "1":
			v = 1
		case "0":
			v = 0
		default:
			_, col := cr.FieldPos(lab)
			return nil, vigil.Errorf(vigil.EINVALID, "%s:%d:%d: label: %q is not 1 (confirmed) or 0 (cleared)", file, line, col, rec[lab])
		}
		if old, ok := out[id]; ok && old != v {
			return nil, vigil.Errorf(vigil.EINVALID, "%s:%d:1: party %s is labelled both 0 and 1", file, line, id)
		}
		out[id] = v
	}
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return vigil.Errorf(vigil.EINVALID, "%s:%d:%d: %v", file, pe.Line, pe.Column, pe.Err)
	}
	return vigil.Errorf(vigil.EINVALID, "%s: %v", file, err)
}
