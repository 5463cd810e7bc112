// Package mapping turns a provider's own CSV export into vigil's
// interchange CSV (docs/format.md) with a small YAML file: which source
// columns feed which interchange column, joined or split, dates parsed in a
// given layout, values looked up in a table, or fixed values. Users need no
// script.
//
// The package converts and checks what it converts (dates, amounts, lookups);
// the interchange readers (package csv) check the result again on ingest.
package mapping

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
	"gopkg.in/yaml.v3"
)

// Targets lists, per kind of interchange file, its columns in order and
// what each holds: "text", "date" (YYYY-MM-DD, YYYY-MM or YYYY),
// "timestamp" (RFC 3339) or "amount".
var Targets = map[string][][2]string{
	"parties": {{"party_id", "text"}, {"kind", "text"}, {"full_name", "text"}, {"birth_date", "date"}, {"gender", "text"},
		{"nationality", "text"}, {"country", "text"}, {"city", "text"}, {"address", "text"}, {"postcode", "text"},
		{"phone", "text"}, {"email", "text"}, {"id_number", "text"}},
	"transfers": {{"transfer_id", "text"}, {"timestamp", "timestamp"}, {"sender_id", "text"}, {"sender_account", "text"},
		{"beneficiary_id", "text"}, {"beneficiary_name", "text"}, {"beneficiary_phone", "text"}, {"beneficiary_account", "text"},
		{"beneficiary_city", "text"}, {"beneficiary_country", "text"}, {"beneficiary_birth_date", "date"}, {"amount", "amount"},
		{"currency", "text"}, {"channel", "text"}, {"provider", "text"}, {"purpose", "text"}},
	"calls": {{"event_id", "text"}, {"timestamp", "timestamp"}, {"account", "text"}, {"counterpart", "text"}, {"platform", "text"},
		{"direction", "text"}, {"kind", "text"}, {"duration_s", "text"}},
	"leads": {{"lead_id", "text"}, {"full_name", "text"}, {"birth_date", "date"}, {"phone", "text"}, {"email", "text"},
		{"handle", "text"}, {"account", "text"}, {"city", "text"}, {"country", "text"}, {"note", "text"}},
}

// Sources is one source column or several (YAML: a string or a list).
type Sources []string

// UnmarshalYAML accepts a single column name or a list of them.
func (s *Sources) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = Sources{n.Value}
		return nil
	}
	var l []string
	if err := n.Decode(&l); err != nil {
		return err
	}
	*s = l
	return nil
}

// Rule says how one interchange column is filled.
type Rule struct {
	From    Sources           `yaml:"from"`    // source column(s)
	Join    *string           `yaml:"join"`    // separator between several sources (default " ")
	Split   string            `yaml:"split"`   // split the joined value on this separator…
	Part    int               `yaml:"part"`    // …and keep this part (0 first, -1 last)
	Value   string            `yaml:"value"`   // a fixed value (instead of from)
	Layout  Sources           `yaml:"layout"`  // Go time layout(s) of a date or timestamp source, tried in order
	Reorder string            `yaml:"reorder"` // "SURNAME<sep> Given" → "Given SURNAME"
	Values  map[string]string `yaml:"values"`  // lookup table applied to the value
	Default string            `yaml:"default"` // used when the source is empty
	Case    string            `yaml:"case"`    // upper, lower or title
	Strict  bool              `yaml:"strict"`  // a value missing from values is an error (default: kept)
}

// Mapping is one provider's export described for vigil.
type Mapping struct {
	Kind         string          `yaml:"kind"`          // parties, transfers, calls or leads
	Delimiter    string          `yaml:"delimiter"`     // one character; default ","
	SkipLines    int             `yaml:"skip_lines"`    // lines before the header row
	DecimalComma bool            `yaml:"decimal_comma"` // amounts written 1.234,56
	Timezone     string          `yaml:"timezone"`      // IANA zone for timestamps without offset (default UTC)
	Columns      map[string]Rule `yaml:"columns"`       // interchange column → rule

	name  string
	loc   *time.Location
	comma rune
}

// Load reads a mapping file.
func Load(path string) (*Mapping, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "mapping: %v", err)
	}
	return Parse(b, path)
}

// Parse parses and checks a mapping; name is used in errors.
func Parse(b []byte, name string) (*Mapping, error) {
	m := &Mapping{name: name}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(m); err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "mapping %s: %v", name, err)
	}
	bad := func(format string, args ...any) error {
		return vigil.Errorf(vigil.EINVALID, "mapping %s: %s", name, fmt.Sprintf(format, args...))
	}
	targets, ok := Targets[m.Kind]
	if !ok {
		return nil, bad("kind must be parties, transfers, calls or leads, not %q", m.Kind)
	}
	m.comma = ','
	if m.Delimiter != "" {
		r := []rune(m.Delimiter)
		if m.Delimiter == `\t` || m.Delimiter == "tab" {
			r = []rune{'\t'}
		}
		if len(r) != 1 || r[0] == '"' || r[0] == '\n' || r[0] == '\r' {
			return nil, bad("delimiter must be one character other than a quote or line break")
		}
		m.comma = r[0]
	}
	m.loc = time.UTC
	if m.Timezone != "" {
		loc, err := time.LoadLocation(m.Timezone)
		if err != nil {
			return nil, bad("timezone %q: %v", m.Timezone, err)
		}
		m.loc = loc
	}
	known := map[string]string{}
	for _, t := range targets {
		known[t[0]] = t[1]
	}
	for col, r := range m.Columns {
		typ, ok := known[col]
		if !ok {
			return nil, bad("%q is not a column of %s.csv (columns: %s)", col, m.Kind, strings.Join(columnNames(m.Kind), ", "))
		}
		switch {
		case len(r.From) == 0 && r.Value == "" && r.Default == "":
			return nil, bad("column %s: give from, value or default", col)
		case len(r.From) > 0 && r.Value != "":
			return nil, bad("column %s: from and value exclude each other", col)
		case len(r.Layout) > 0 && typ != "date" && typ != "timestamp":
			return nil, bad("column %s: layout applies to date and timestamp columns only", col)
		case r.Case != "" && r.Case != "upper" && r.Case != "lower" && r.Case != "title":
			return nil, bad("column %s: case must be upper, lower or title", col)
		}
	}
	for _, req := range required[m.Kind] {
		if _, ok := m.Columns[req]; !ok {
			return nil, bad("%s.csv needs a rule for %s", m.Kind, req)
		}
	}
	return m, nil
}

// required lists the interchange columns that may not be empty.
var required = map[string][]string{
	"parties":   {"party_id", "full_name"},
	"transfers": {"transfer_id", "timestamp", "sender_id", "beneficiary_country", "amount", "currency"},
	"calls":     {"event_id", "timestamp", "account", "counterpart"},
	"leads":     {"lead_id"},
}

func columnNames(kind string) []string {
	var out []string
	for _, t := range Targets[kind] {
		out = append(out, t[0])
	}
	return out
}

// RowError is a source row that could not be converted: file, line and
// column of the source field, the interchange column and the reason.
type RowError struct {
	File         string
	Line, Column int
	Field        string
	Reason       string
}

func (e *RowError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", e.File, e.Line, e.Column, e.Field, e.Reason)
}

// Result counts what Convert did.
type Result struct {
	Rows     int         // data rows read
	Written  int         // rows written
	Rejected []*RowError // rows not written, with the reason
}

// Convert reads the provider's CSV from r (name for messages) and writes
// the interchange CSV to w: a header with the mapped columns in the
// interchange order, then one row per source row. A row that cannot be
// converted is reported in Result.Rejected and not written; a broken file
// (bad header, unreadable CSV) is a fatal EINVALID error.
func (m *Mapping) Convert(r io.Reader, name string, w io.Writer) (*Result, error) {
	cr := csv.NewReader(r)
	cr.Comma = m.comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	fail := func(line, col int, format string, args ...any) error {
		return vigil.Errorf(vigil.EINVALID, "%s:%d:%d: %s", name, line, col, fmt.Sprintf(format, args...))
	}
	readErr := func(err error) error {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return fail(pe.Line, pe.Column, "%v", pe.Err)
		}
		return vigil.Errorf(vigil.EINVALID, "%s: %v", name, err)
	}
	for i := 0; i < m.SkipLines; i++ {
		if _, err := cr.Read(); err != nil {
			return nil, fail(i+1, 1, "the file ends within the %d lines to skip", m.SkipLines)
		}
	}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fail(m.SkipLines+1, 1, "the file is empty: a header row is required")
	}
	if err != nil {
		return nil, readErr(err)
	}
	index := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := index[h]; dup {
			return nil, fail(m.SkipLines+1, i+1, "column %q appears twice in the header", h)
		}
		index[h] = i
	}
	// Resolve rules against the header once.
	type plan struct {
		col, typ string
		rule     Rule
		src      []int
		required bool
	}
	var plans []plan
	var out []string
	for _, t := range Targets[m.Kind] {
		rule, ok := m.Columns[t[0]]
		if !ok {
			continue
		}
		p := plan{col: t[0], typ: t[1], rule: rule, required: slices.Contains(required[m.Kind], t[0])}
		for _, s := range rule.From {
			i, ok := index[s]
			if !ok {
				return nil, fail(m.SkipLines+1, 1, "mapping %s: source column %q (for %s) is not in the header; the header has: %s", m.name, s, t[0], strings.Join(sortedKeys(index), ", "))
			}
			p.src = append(p.src, i)
		}
		plans = append(plans, p)
		out = append(out, t[0])
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(out); err != nil {
		return nil, err
	}
	res := &Result{}
	row := make([]string, len(plans))
	var parts []string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return res, readErr(err)
		}
		res.Rows++
		line, _ := cr.FieldPos(0)
		var rowErr *RowError
		for i, p := range plans {
			parts = parts[:0]
			for _, s := range p.src {
				if s < len(rec) {
					if v := strings.TrimSpace(rec[s]); v != "" {
						parts = append(parts, v)
					}
				}
			}
			v, reason := m.apply(p.rule, p.typ, parts)
			if reason == "" && v == "" && p.required {
				reason = "required, but the source is empty"
			}
			if reason != "" {
				col := 1
				if len(p.src) > 0 && p.src[0] < len(rec) {
					_, col = cr.FieldPos(p.src[0])
				}
				rowErr = &RowError{File: name, Line: line, Column: col, Field: p.col, Reason: reason}
				break
			}
			row[i] = v
		}
		if rowErr != nil {
			res.Rejected = append(res.Rejected, rowErr)
			continue
		}
		if err := cw.Write(row); err != nil {
			return res, err
		}
		res.Written++
	}
	cw.Flush()
	return res, cw.Error()
}

// apply turns the non-empty source values of one row into the interchange
// value, or returns a reason.
func (m *Mapping) apply(r Rule, typ string, parts []string) (string, string) {
	v := r.Value
	if len(r.From) > 0 {
		sep := " "
		if r.Join != nil {
			sep = *r.Join
		}
		v = strings.Join(parts, sep)
	}
	if r.Split != "" && v != "" {
		f := strings.Split(v, r.Split)
		i := r.Part
		if i < 0 {
			i += len(f)
		}
		if i < 0 || i >= len(f) {
			v = ""
		} else {
			v = strings.TrimSpace(f[i])
		}
	}
	if r.Reorder != "" {
		if a, b, ok := strings.Cut(v, r.Reorder); ok {
			v = strings.TrimSpace(strings.TrimSpace(b) + " " + strings.TrimSpace(a))
		}
	}
	if v != "" && r.Values != nil {
		if mapped, ok := r.Values[v]; ok {
			v = mapped
		} else if r.Strict {
			return "", fmt.Sprintf("%q is not in the mapping's values table", v)
		}
	}
	if v == "" {
		v = r.Default
	}
	switch r.Case {
	case "upper":
		v = strings.ToUpper(v)
	case "lower":
		v = strings.ToLower(v)
	case "title":
		v = titleCase(v)
	}
	if v == "" {
		return "", ""
	}
	switch typ {
	case "timestamp":
		layouts := r.Layout
		if len(layouts) == 0 {
			layouts = Sources{time.RFC3339}
		}
		for _, l := range layouts {
			if t, err := time.ParseInLocation(l, v, m.loc); err == nil {
				return t.Format(time.RFC3339), ""
			}
		}
		return "", fmt.Sprintf("%q does not match the layout %s", v, strings.Join(r.Layout, " or "))
	case "date":
		if len(r.Layout) == 0 {
			if _, reason := vigil.ParseDate(v); reason != "" {
				return "", fmt.Sprintf("%q: %s", v, reason)
			}
			return v, ""
		}
		for _, l := range r.Layout {
			if t, err := time.Parse(l, v); err == nil {
				return t.Format(datePrecision(l)), ""
			}
		}
		return "", fmt.Sprintf("%q does not match the layout %s", v, strings.Join(r.Layout, " or "))
	case "amount":
		s := v
		if m.DecimalComma {
			s = strings.ReplaceAll(s, ".", "")
			s = strings.ReplaceAll(s, ",", ".")
		} else {
			s = strings.ReplaceAll(s, ",", "")
		}
		s = strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\u00a0", "")
		a, reason := vigil.ParseAmount(s)
		if reason != "" {
			return "", fmt.Sprintf("amount %q: %s", v, reason)
		}
		return a.String(), ""
	}
	return v, ""
}

// datePrecision returns the output layout that keeps a date at the
// precision its source layout has: a year-only layout gives "YYYY", one
// without a day "YYYY-MM".
func datePrecision(layout string) string {
	rest := strings.ReplaceAll(strings.ReplaceAll(layout, "2006", ""), "06", "")
	switch {
	case !strings.ContainsAny(rest, "1J"): // no month: 01, 1, Jan, January
		return "2006"
	case !strings.Contains(rest, "2"): // no day: 02, _2, 2
		return "2006-01"
	}
	return "2006-01-02"
}

func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r := []rune(w)
		r[0] = []rune(strings.ToUpper(string(r[0])))[0]
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, strconv.Quote(k))
	}
	sort.Strings(keys)
	return slices.Compact(keys)
}
