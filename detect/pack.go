package detect

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/vigilfiu/vigil"
	"gopkg.in/yaml.v3"
)

//go:embed catalogue.yaml
var catalogueYAML []byte

//go:embed rules/default.yaml
var defaultPackYAML []byte

// Definition is one catalogue entry: the published indicator and the
// engine measure that computes it.
type Definition struct {
	vigil.Indicator `yaml:",inline"`
	// Measure names the engine function that computes the indicator's
	// value in [0,1] from a sender's state.
	Measure string `yaml:"measure"`
}

// Catalogue returns the indicator catalogue shipped with vigil, in its
// documented order.
func Catalogue() ([]Definition, error) {
	defs, err := catalogue()
	return append([]Definition(nil), defs...), err
}

// catalogue parses the embedded catalogue once; it is read-only after.
var catalogue = sync.OnceValues(func() ([]Definition, error) {
	var defs []Definition
	dec := yaml.NewDecoder(bytes.NewReader(catalogueYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&defs); err != nil {
		return nil, vigil.Errorf(vigil.EINTERNAL, "indicator catalogue: %v", err)
	}
	seen := map[string]bool{}
	for _, d := range defs {
		if seen[d.Code] {
			return nil, vigil.Errorf(vigil.EINTERNAL, "indicator catalogue: duplicate code %s", d.Code)
		}
		seen[d.Code] = true
		if _, ok := measures[d.Measure]; !ok {
			return nil, vigil.Errorf(vigil.EINTERNAL, "indicator catalogue: %s: unknown measure %q", d.Code, d.Measure)
		}
	}
	return defs, nil
})

// PackIndicator is an indicator's setting in a rule pack: its weight
// (log-odds added per unit of the indicator's value) and parameter
// overrides.
type PackIndicator struct {
	Weight float64            `yaml:"weight"`
	Params map[string]float64 `yaml:"params,omitempty"`
}

// Pack is a rule pack: the weights and settings that turn indicator values
// into a score. It is a versioned YAML file that a compliance team can read
// and edit; every alert names the pack and version that scored it.
type Pack struct {
	Name                 string         `yaml:"name"`
	Version              string         `yaml:"version"`
	Typology             vigil.Typology `yaml:"typology"`
	Intercept            float64        `yaml:"intercept"`
	Threshold            float64        `yaml:"threshold"`
	PropagationThreshold float64        `yaml:"propagation_threshold"`
	LowValueEUR          float64        `yaml:"low_value_eur"`
	RoundUnit            float64        `yaml:"round_unit"`
	LateFromHour         int            `yaml:"late_from_hour"`
	LateToHour           int            `yaml:"late_to_hour"`
	Corridors            []string       `yaml:"corridors"`
	// PrimaryCorridors are the corridors the sources name as the main
	// destination (LSC-PRIMARY-CORRIDOR); each must be in Corridors.
	PrimaryCorridors  []string                 `yaml:"primary_corridors,omitempty"`
	CoverWords        []string                 `yaml:"cover_words"`
	OrganisationWords []string                 `yaml:"organisation_words"`
	Indicators        map[string]PackIndicator `yaml:"indicators"`
	// Fit records how the weights were obtained (written by vigil train).
	Fit *FitReport `yaml:"fit,omitempty"`
}

// Label returns "name version", as written in alerts.
func (p *Pack) Label() string { return p.Name + " " + p.Version }

// DefaultPack returns the rule pack shipped with vigil.
func DefaultPack() (*Pack, error) {
	p, err := ParsePack(defaultPackYAML, "detect/rules/default.yaml")
	if err != nil {
		return nil, vigil.Errorf(vigil.EINTERNAL, "default rule pack: %s", vigil.ErrorMessage(err))
	}
	return p, nil
}

// LoadPack reads and validates a rule pack file.
func LoadPack(path string) (*Pack, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "rule pack %s: %v", path, err)
	}
	return ParsePack(b, path)
}

// ParsePack parses and validates a rule pack; file names it in errors.
func ParsePack(b []byte, file string) (*Pack, error) {
	var p Pack
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "rule pack %s: %v", file, err)
	}
	if err := p.Validate(); err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "rule pack %s: %s", file, vigil.ErrorMessage(err))
	}
	return &p, nil
}

// Validate checks that the pack names only catalogued indicators and known
// parameters and that its settings are in range.
func (p *Pack) Validate() error {
	defs, err := Catalogue()
	if err != nil {
		return err
	}
	byCode := map[string]Definition{}
	for _, d := range defs {
		byCode[d.Code] = d
	}
	switch {
	case p.Name == "" || p.Version == "":
		return vigil.Errorf(vigil.EINVALID, "name and version are required")
	case p.Threshold <= 0 || p.Threshold >= 1:
		return vigil.Errorf(vigil.EINVALID, "threshold must be between 0 and 1, got %g", p.Threshold)
	case p.PropagationThreshold <= 0 || p.PropagationThreshold >= 1:
		return vigil.Errorf(vigil.EINVALID, "propagation_threshold must be between 0 and 1, got %g", p.PropagationThreshold)
	case p.LowValueEUR <= 0:
		return vigil.Errorf(vigil.EINVALID, "low_value_eur must be positive")
	case p.RoundUnit <= 0:
		return vigil.Errorf(vigil.EINVALID, "round_unit must be positive")
	case p.LateFromHour < 0 || p.LateFromHour > 23 || p.LateToHour < 0 || p.LateToHour > 23:
		return vigil.Errorf(vigil.EINVALID, "late_from_hour and late_to_hour must be hours 0-23")
	case len(p.Indicators) == 0:
		return vigil.Errorf(vigil.EINVALID, "no indicators")
	}
	for _, c := range p.Corridors {
		if !vigil.IsCountryCode(c) {
			return vigil.Errorf(vigil.EINVALID, "corridors: %q is not an ISO 3166-1 alpha-2 code", c)
		}
	}
	for _, c := range p.PrimaryCorridors {
		found := false
		for _, k := range p.Corridors {
			found = found || k == c
		}
		if !found {
			return vigil.Errorf(vigil.EINVALID, "primary_corridors: %q is not one of the corridors", c)
		}
	}
	codes := make([]string, 0, len(p.Indicators))
	for c := range p.Indicators {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		d, ok := byCode[c]
		if !ok {
			return vigil.Errorf(vigil.EINVALID, "indicator %s is not in the catalogue", c)
		}
		for k := range p.Indicators[c].Params {
			if _, ok := d.Params[k]; !ok {
				return vigil.Errorf(vigil.EINVALID, "indicator %s has no parameter %q (known: %s)", c, k, strings.Join(paramNames(d), ", "))
			}
		}
	}
	return nil
}

func paramNames(d Definition) []string {
	var out []string
	for k := range d.Params {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Marshal writes the pack as YAML with a header comment.
func (p *Pack) Marshal() ([]byte, error) {
	b, err := yaml.Marshal(p)
	if err != nil {
		return nil, err
	}
	head := fmt.Sprintf("# vigil rule pack %s.\n# score = 1/(1+exp(-(intercept + sum of weight*value))); see docs/typologies.md.\n", p.Label())
	return append([]byte(head), b...), nil
}

// indicator is a catalogue entry compiled against a pack.
type indicator struct {
	def     Definition
	weight  float64
	params  map[string]float64
	measure measure
}

// compile returns the pack's indicators in catalogue order with their
// parameters resolved.
func (p *Pack) compile() ([]indicator, error) {
	defs, err := Catalogue()
	if err != nil {
		return nil, err
	}
	var out []indicator
	for _, d := range defs {
		pi, ok := p.Indicators[d.Code]
		if !ok {
			continue
		}
		params := map[string]float64{}
		for k, v := range d.Params {
			params[k] = v
		}
		for k, v := range pi.Params {
			params[k] = v
		}
		out = append(out, indicator{def: d, weight: pi.Weight, params: params, measure: measures[d.Measure]})
	}
	return out, nil
}
