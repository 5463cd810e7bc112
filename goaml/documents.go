package goaml

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

// documentColumns are the columns of an identity documents file, in any order.
var documentColumns = []string{"party_id", "kind", "number", "issue_date", "expiry_date", "issue_country"}

// ReadIdentifications reads identity documents of reported clients from CSV
// with the header party_id,kind,number,issue_date,expiry_date,issue_country
// (dates YYYY-MM-DD; kind: passport, national_id, driving_licence …). Some
// FIUs' schemas require one per client (UAE). Errors name file:line:column.
func ReadIdentifications(r io.Reader, name string) (map[string][]Identification, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 0 // every row as wide as the header
	header, err := cr.Read()
	if err == io.EOF {
		return nil, vigil.Errorf(vigil.EINVALID, "%s:1:1: empty file: the header %s is required", name, strings.Join(documentColumns, ","))
	}
	if err != nil {
		return nil, csvErr(name, err)
	}
	idx := map[string]int{}
	for i, h := range header {
		idx[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, c := range documentColumns {
		if _, ok := idx[c]; !ok {
			return nil, vigil.Errorf(vigil.EINVALID, "%s:1:1: the header lacks %s (columns: %s)", name, c, strings.Join(documentColumns, ","))
		}
	}
	out := map[string][]Identification{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, csvErr(name, err)
		}
		get := func(c string) string { return strings.TrimSpace(rec[idx[c]]) }
		bad := func(c, reason string) error {
			line, col := cr.FieldPos(idx[c])
			return vigil.Errorf(vigil.EINVALID, "%s:%d:%d: %s: %s", name, line, col, c, reason)
		}
		d := Identification{Kind: get("kind"), Number: get("number"), IssueCountry: get("issue_country")}
		if get("party_id") == "" {
			return nil, bad("party_id", "required")
		}
		if d.Number == "" {
			return nil, bad("number", "required")
		}
		if !vigil.IsCountryCode(d.IssueCountry) {
			return nil, bad("issue_country", "not an ISO 3166-1 alpha-2 code")
		}
		for _, c := range []string{"issue_date", "expiry_date"} {
			t, err := time.Parse("2006-01-02", get(c))
			if err != nil {
				return nil, bad(c, "not a date (YYYY-MM-DD)")
			}
			if c == "issue_date" {
				d.IssueDate = t
			} else {
				d.ExpiryDate = t
			}
		}
		out[get("party_id")] = append(out[get("party_id")], d)
	}
}

func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return vigil.Errorf(vigil.EINVALID, "%s:%d:%d: %v", name, pe.Line, pe.Column, pe.Err)
	}
	return vigil.Errorf(vigil.EINVALID, "%s: %v", name, err)
}
