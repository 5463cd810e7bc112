package ftm

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
)

const sharedDir = "../../shared/formats/followthemoney"

// model is the part of FtM's defaultModel JSON the validator needs.
type model struct {
	Schemata map[string]struct {
		Abstract   bool     `json:"abstract"`
		Schemata   []string `json:"schemata"` // itself and every ancestor
		Required   []string `json:"required"`
		Properties map[string]struct {
			Type  string `json:"type"`
			Range string `json:"range"`
		} `json:"properties"`
	} `json:"schemata"`
	Types map[string]struct {
		MaxLength int               `json:"maxLength"`
		Values    map[string]string `json:"values"`
	} `json:"types"`
}

var (
	reDate  = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?)?)?$`)
	rePhone = regexp.MustCompile(`^\+[1-9]\d{5,14}$`)
	reIBAN  = regexp.MustCompile(`^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$`)
	reNum   = regexp.MustCompile(`^\d+(\.\d+)?$`)
)

// validate checks FtM JSON lines against a model: known, concrete schema
// names; property names defined on the schema or an ancestor; values of the
// property's type; required properties present; entity references resolving
// to an entity of the range's schema or a descendant.
func validate(m *model, out []byte) (map[string]int, []string) {
	var errs []string
	errorf := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	type ref struct{ from, prop, to, rng string }
	schemaOf := map[string]string{}
	var refs []ref
	counts := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		var e Entity
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			errorf("line %d: %v", line, err)
			continue
		}
		s, ok := m.Schemata[e.Schema]
		if !ok || s.Abstract {
			errorf("line %d: schema %q is not a concrete schema of the model", line, e.Schema)
			continue
		}
		if e.ID == "" || schemaOf[e.ID] != "" {
			errorf("line %d: id %q empty or repeated", line, e.ID)
		}
		schemaOf[e.ID] = e.Schema
		counts[e.Schema]++
		for _, r := range s.Required {
			if len(e.Properties[r]) == 0 {
				errorf("line %d: %s lacks required %s", line, e.Schema, r)
			}
		}
		for prop, vals := range e.Properties {
			var typ, rng string
			for _, anc := range s.Schemata {
				if p, ok := m.Schemata[anc].Properties[prop]; ok {
					typ, rng = p.Type, p.Range
				}
			}
			if typ == "" {
				errorf("line %d: %s has no property %q", line, e.Schema, prop)
				continue
			}
			for _, v := range vals {
				if err := checkValue(m, typ, v); err != nil {
					errorf("line %d: %s:%s = %q: %v", line, e.Schema, prop, v, err)
				}
				if typ == "entity" {
					refs = append(refs, ref{e.ID, prop, v, rng})
				}
			}
		}
	}
	for _, r := range refs {
		target, ok := schemaOf[r.to]
		if !ok {
			errorf("%s.%s refers to %s, which is not in the output", r.from, r.prop, r.to)
			continue
		}
		found := false
		for _, anc := range m.Schemata[target].Schemata {
			found = found || anc == r.rng
		}
		if !found {
			errorf("%s.%s refers to a %s, want a %s", r.from, r.prop, target, r.rng)
		}
	}
	return counts, errs
}

func checkValue(m *model, typ, v string) error {
	if max := m.Types[typ].MaxLength; max > 0 && len(v) > max {
		return fmt.Errorf("longer than %d", max)
	}
	switch typ {
	case "country", "gender":
		if _, ok := m.Types[typ].Values[v]; !ok {
			return fmt.Errorf("not a %s value", typ)
		}
	case "date":
		if !reDate.MatchString(v) {
			return fmt.Errorf("not an FtM date")
		}
	case "phone":
		if !rePhone.MatchString(v) {
			return fmt.Errorf("not E.164")
		}
	case "iban":
		if !reIBAN.MatchString(v) {
			return fmt.Errorf("not an IBAN")
		}
	case "number":
		if !reNum.MatchString(v) {
			return fmt.Errorf("not a number")
		}
	case "email":
		if !strings.Contains(v, "@") {
			return fmt.Errorf("not an e-mail address")
		}
	}
	return nil
}

func loadModel(t *testing.T, version string) *model {
	b, err := os.ReadFile(filepath.Join(sharedDir, "defaultModel-"+version+".json"))
	if err != nil {
		t.Skipf("FtM model not found in %s (shared material beside the repository): %v", sharedDir, err)
	}
	var m model
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

func testData() ([]*vigil.Party, []*vigil.Transfer) {
	ts := time.Date(2026, 10, 3, 23, 41, 0, 0, time.FixedZone("", 3600))
	parties := []*vigil.Party{
		{ID: "P-0001", Kind: vigil.PartyPerson, FullName: "Jan Example", BirthDate: vigil.Date{Year: 1971, Month: 4}, Gender: "M", Nationality: "NL",
			Country: "NL", City: "Utrecht", Address: "Oudegracht 1", Postcode: "3511 AA", Phone: "06 12345678", Email: "jan@example.org", IDNumber: "X1", Source: "parties.csv:2"},
		{ID: "ACME/BV", Kind: vigil.PartyOrganisation, FullName: "Acme BV", Country: "NL", Phone: "not a phone"},
	}
	transfers := []*vigil.Transfer{
		{ID: "T-1", Timestamp: ts, SenderID: "P-0001", SenderAccount: "NL91ABNA0417164300", BeneficiaryName: "Maria Santos",
			BeneficiaryPhone: "0917 123 4567", BeneficiaryAccount: "GCASH-0917", BeneficiaryCity: "Cebu", BeneficiaryCountry: "PH",
			Amount: vigil.NewAmount(45, 500000), Currency: "EUR", Channel: vigil.ChannelWallet, Provider: "ExampleRemit", Purpose: "school fees", Source: "transfers.csv:2"},
		{ID: "T-2", Timestamp: ts.Add(time.Hour), SenderID: "P-0001", BeneficiaryName: "Maria Santos", BeneficiaryPhone: "0917 123 4567",
			BeneficiaryAccount: "GCASH-0917", BeneficiaryCity: "Cebu", BeneficiaryCountry: "PH", Amount: vigil.NewAmount(20, 0), Currency: "EUR", Channel: vigil.ChannelWallet, Provider: "ExampleRemit"},
		{ID: "T-3", Timestamp: ts, SenderID: "ACME/BV", BeneficiaryID: "P-0001", BeneficiaryCountry: "NL", Amount: vigil.NewAmount(1, 0), Currency: "EUR"},
	}
	return parties, transfers
}

func TestValidAgainstModels(t *testing.T) {
	for _, v := range []struct{ model, file string }{{"3", "v3.8.4"}, {"4", "v4.0.1"}} {
		t.Run(v.file, func(t *testing.T) {
			m := loadModel(t, v.file)
			var buf bytes.Buffer
			w, err := NewWriter(&buf, v.model)
			if err != nil {
				t.Fatal(err)
			}
			parties, transfers := testData()
			for _, p := range parties {
				if err := w.WriteParty(p); err != nil {
					t.Fatal(err)
				}
			}
			for _, tr := range transfers {
				if err := w.WriteTransfer(tr); err != nil {
					t.Fatal(err)
				}
			}
			w.Flush()
			counts, errs := validate(m, buf.Bytes())
			for _, e := range errs {
				t.Error(e)
			}
			want := map[string]int{"Person": 1, "LegalEntity": 2, "BankAccount": 2, "Payment": 3, "UserAccount": 1}
			for k, n := range want {
				if counts[k] != n {
					t.Errorf("%d %s entities, want %d (all: %v)", counts[k], k, n, counts)
				}
			}
			out := buf.String()
			for _, s := range []string{`"phone":["+31612345678"]`, `"iban":["NL91ABNA0417164300"]`, `"date":["2026-10-03T22:41:00"]`, `"amount":["45.50"]`,
				`"birthDate":["1971-04"]`, `"country":["ph"]`, `"payer":["vigil-party-P-0001"]`, `phone as recorded (not a valid international number): not a phone`} {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %s", s)
				}
			}
		})
	}
}

// TestValidatorCatchesErrors makes sure the validator is not a rubber stamp.
func TestValidatorCatchesErrors(t *testing.T) {
	m := loadModel(t, "v4.0.1")
	bad := []string{
		`{"id":"a","schema":"Persn","properties":{"name":["x"]}}`,
		`{"id":"a","schema":"Person","properties":{"name":["x"],"colour":["red"]}}`,
		`{"id":"a","schema":"Person","properties":{"name":["x"],"country":["XX"]}}`,
		`{"id":"a","schema":"Person","properties":{}}`,
		`{"id":"a","schema":"Payment","properties":{"payer":["nobody"],"beneficiary":["nobody"]}}`,
		`{"id":"a","schema":"UserAccount","properties":{"username":["u"],"number":["+31612345678"]}}`, // v3 name in v4
	}
	for _, b := range bad {
		if _, errs := validate(m, []byte(b)); len(errs) == 0 {
			t.Errorf("validator accepted %s", b)
		}
	}
}

func TestIBAN(t *testing.T) {
	for s, want := range map[string]bool{"NL91ABNA0417164300": true, "NL91 ABNA 0417 1643 00": true, "NL92ABNA0417164300": false, "GCASH-0917": false, "DE89370400440532013000": true} {
		if isIBAN(s) != want {
			t.Errorf("isIBAN(%q) = %v", s, !want)
		}
	}
}
