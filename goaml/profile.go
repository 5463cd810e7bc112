package goaml

import (
	"bytes"
	"embed"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/vigilfiu/vigil"
	"gopkg.in/yaml.v3"
)

//go:embed profiles/*.yaml
var profileFS embed.FS

// DefaultProfile is the name of the profile used when none is given.
const DefaultProfile = "generic-5.0.1"

// Profile holds what differs between FIUs' goAML schemas: code lists and the
// elements a schema requires. Profiles are data (YAML), not code.
type Profile struct {
	Name           string `yaml:"name"`
	Description    string `yaml:"description"`
	SchemaVersion  string `yaml:"schema_version"`  // written in <schema_version> when set
	ReportCode     string `yaml:"report_code"`     // STR
	Submission     string `yaml:"submission_code"` // E (electronic)
	DateElement    string `yaml:"date_element"`    // report_date or submission_date
	UnknownText    string `yaml:"unknown_text"`    // for required text vigil does not hold
	UnknownCode    string `yaml:"unknown_code"`    // for required codes vigil does not hold
	UnknownPhone   string `yaml:"unknown_phone"`   // for a required phone number vigil does not hold, when the schema wants digits; default unknown_text
	UnknownAddress string `yaml:"unknown_address"` // for a required address line vigil does not hold; default unknown_text
	MinAddress     int    `yaml:"min_address"`     // shortest address line the schema accepts (Sri Lanka 2.0: 8); shorter ones are refused
	// TaxRegNumber is written for a required tax_reg_number flag, which
	// vigil does not hold (default unknown_code); the filer must review it.
	TaxRegNumber string `yaml:"tax_reg_number"`
	ASCIINames   bool   `yaml:"ascii_names"`  // fold names to [a-zA-Z0-9 .'-]
	LetterNames  bool   `yaml:"letter_names"` // with ascii_names: letters and single spaces only ([A-Za-z]+( [A-Za-z]+)*)
	ASCIIText    bool   `yaml:"ascii_text"`   // fold free text (reason, comments, descriptions) to printable ASCII
	MaxText      int    `yaml:"max_text"`     // characters of reason, action and comments; default 8000
	// RentityIDMax is the largest rentity_id the schema accepts (Sri Lanka
	// 2.0: three digits); 0 for no limit.
	RentityIDMax int `yaml:"rentity_id_max"`
	// IDPatterns restricts where the party's identity document number is
	// written: element (ssn, id_number) → regular expression the number must
	// match. A number that does not match is said in the comments instead.
	IDPatterns map[string]string `yaml:"id_patterns"`
	idPatterns map[string]*regexp.Regexp

	BranchRequired              bool `yaml:"branch_required"`
	LocationRequired            bool `yaml:"location_required"`
	TransactionLocationRequired bool `yaml:"transaction_location_required"`

	FundsCode        map[string]string `yaml:"funds_code"`        // vigil channel → funds code; "default"
	TransmodeCode    map[string]string `yaml:"transmode_code"`    // vigil channel → conduction code; "default"
	TransmodeComment string            `yaml:"transmode_comment"` // written when set
	Gender           map[string]string `yaml:"gender"`            // F, M, X → gender code

	PhoneContactType       string `yaml:"phone_contact_type"`
	PhoneCommunicationType string `yaml:"phone_communication_type"`
	AddressType            string `yaml:"address_type"`

	PersonFields         []string          `yaml:"person_fields"`   // reported client's elements in schema order
	PersonRequired       []string          `yaml:"person_required"` // those the schema requires
	PhonePrefixRequired  bool              `yaml:"phone_prefix_required"`
	IdentificationTypes  map[string]string `yaml:"identification_types"` // document kind → code; "default"
	AddressStateRequired bool              `yaml:"address_state_required"`

	// IndicatorsRequired: the schema requires report_indicators.
	IndicatorsRequired bool `yaml:"indicators_required"`
	// Indicators maps vigil indicator codes and typologies to the FIU's
	// indicator codes; DefaultIndicators are reported when none maps.
	Indicators        map[string]string `yaml:"indicators"`
	DefaultIndicators []string          `yaml:"default_indicators"`
}

// Profiles returns the names of the embedded profiles, sorted.
func Profiles() []string {
	ents, _ := fs.ReadDir(profileFS, "profiles")
	var names []string
	for _, e := range ents {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// LoadProfile returns the embedded profile with the given name, or reads a
// profile file when name is a path to a .yaml file. The empty name is the
// default profile.
func LoadProfile(name string) (*Profile, error) {
	if name == "" {
		name = DefaultProfile
	}
	var b []byte
	var err error
	if strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") {
		b, err = os.ReadFile(name)
		if err != nil {
			return nil, vigil.Errorf(vigil.EINVALID, "goAML profile %s: %v", name, err)
		}
	} else if b, err = profileFS.ReadFile("profiles/" + name + ".yaml"); err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "no goAML profile %q; embedded profiles: %s", name, strings.Join(Profiles(), ", "))
	}
	return ParseProfile(b, name)
}

// ParseProfile parses and checks a profile; name is used in errors.
func ParseProfile(b []byte, name string) (*Profile, error) {
	var p Profile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "goAML profile %s: %v", name, err)
	}
	switch {
	case p.Name == "":
		return nil, vigil.Errorf(vigil.EINVALID, "goAML profile %s: name is required", name)
	case p.ReportCode == "" || p.Submission == "":
		return nil, vigil.Errorf(vigil.EINVALID, "goAML profile %s: report_code and submission_code are required", name)
	case p.DateElement != "report_date" && p.DateElement != "submission_date":
		return nil, vigil.Errorf(vigil.EINVALID, "goAML profile %s: date_element must be report_date or submission_date", name)
	case p.FundsCode["default"] == "" || p.TransmodeCode["default"] == "":
		return nil, vigil.Errorf(vigil.EINVALID, "goAML profile %s: funds_code and transmode_code need a default", name)
	case len(p.DefaultIndicators) == 0 && p.IndicatorsRequired:
		return nil, vigil.Errorf(vigil.EINVALID, "goAML profile %s: report_indicators are required: default_indicators must list at least one code", name)
	}
	for field, expr := range p.IDPatterns {
		if field != "ssn" && field != "id_number" {
			return nil, vigil.Errorf(vigil.EINVALID, "goAML profile %s: id_patterns: %q is not ssn or id_number", name, field)
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, vigil.Errorf(vigil.EINVALID, "goAML profile %s: id_patterns %s: %v", name, field, err)
		}
		if p.idPatterns == nil {
			p.idPatterns = map[string]*regexp.Regexp{}
		}
		p.idPatterns[field] = re
	}
	if p.RentityIDMax < 0 || p.MaxText < 0 {
		return nil, vigil.Errorf(vigil.EINVALID, "goAML profile %s: rentity_id_max and max_text must not be negative", name)
	}
	for _, f := range p.PersonRequired {
		if !slices.Contains(p.PersonFields, f) {
			return nil, vigil.Errorf(vigil.EINVALID, "goAML profile %s: required person field %q is not in person_fields", name, f)
		}
	}
	for _, f := range p.PersonFields {
		if !slices.Contains(personFieldNames, f) {
			return nil, vigil.Errorf(vigil.EINVALID, "goAML profile %s: unknown person field %q (known: %s)", name, f, strings.Join(personFieldNames, ", "))
		}
	}
	return &p, nil
}

var personFieldNames = []string{"gender", "first_name", "last_name", "birthdate", "birth_place", "ssn", "id_number", "nationality1", "residence", "phones", "addresses", "email", "occupation", "identification", "tax_reg_number", "source_of_wealth", "comments"}

func (p *Profile) required(field string) bool { return slices.Contains(p.PersonRequired, field) }

func (p *Profile) code(m map[string]string, key string) string {
	if c, ok := m[key]; ok && c != "" {
		return c
	}
	return m["default"]
}

// idFits reports whether the identity number may be written in field.
func (p *Profile) idFits(field, number string) bool {
	re := p.idPatterns[field]
	return re == nil || re.MatchString(number)
}
