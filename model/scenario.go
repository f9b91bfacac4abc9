package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"

	"go.yaml.in/yaml/v3"

	"github.com/gisement/gisement/model/econ"
	"github.com/gisement/gisement/model/heat"
	"github.com/gisement/gisement/model/land"
	"github.com/gisement/gisement/model/pv"
	"github.com/gisement/gisement/model/scenario"
	"github.com/gisement/gisement/model/uncertainty"
)

// Scenario gathers every assumption of a study: the Params of each domain
// (rooftop PV, heat, land, economics, uncertainty). Every number is a
// scenario.Param carrying its unit, its source and, for prices and
// tariffs, the date it applies to; "our assumption" in a Source marks a
// value that is ours, not a published one. The pipeline (model/study)
// passes each domain its own Params.
//
// A scenario is built from DefaultScenario() and, optionally, a user's
// partial YAML (or JSON, which is YAML) file merged over it by
// LoadScenario. Hash() identifies the assumptions behind a result;
// Assumptions() lists them for reports.
type Scenario struct {
	Name        string `json:"name" yaml:"name"`
	Description string `json:"description" yaml:"description"`
	// PriceDate is the reference date (YYYY-MM) of the prices and tariffs
	// as a whole; each price also carries its own Date.
	PriceDate string `json:"price_date" yaml:"price_date"`

	PV          pv.Params          `json:"pv" yaml:"pv"`
	Heat        heat.Params        `json:"heat" yaml:"heat"`
	Land        land.Params        `json:"land" yaml:"land"`
	Econ        econ.Params        `json:"econ" yaml:"econ"`
	Uncertainty uncertainty.Params `json:"uncertainty" yaml:"uncertainty"`
}

// DefaultScenario returns the built-in assumptions (prices and tariffs of
// 2025, dated individually).
func DefaultScenario() *Scenario {
	return &Scenario{
		Name:        "default",
		Description: "gisement built-in defaults (France, 2025 prices and S21 tariffs)",
		PriceDate:   "2025-04",
		PV:          pv.Defaults(),
		Heat:        heat.Defaults(),
		Land:        land.Defaults(),
		Econ:        econ.Defaults(),
		Uncertainty: uncertainty.Defaults(),
	}
}

// ErrScenario marks an invalid scenario (unknown key, bad value).
var ErrScenario = scenario.ErrInvalid

// ScenarioError locates a scenario problem: file, line, key path, problem.
type ScenarioError = scenario.Error

// Assumption is one line of the assumptions table of a report.
type Assumption = scenario.Assumption

// LoadScenario reads a YAML (or JSON) scenario file and merges it over
// DefaultScenario(): keys present in the file replace the defaults, others
// keep them (lists such as econ.pv.capex_rooftop and econ.tariffs.s21 are
// replaced as a whole). Unknown keys (typos) and invalid values are
// rejected with a *ScenarioError naming the file, line, key path and
// problem.
func LoadScenario(path string) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	defer f.Close()
	return ReadScenario(f, path)
}

// ReadScenario is LoadScenario on a reader; name labels errors.
func ReadScenario(r io.Reader, name string) (*Scenario, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", name, err)
	}
	sc := DefaultScenario()
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &ScenarioError{File: name, Problem: "not valid YAML/JSON: " + err.Error()}
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return sc, sc.validate(name) // empty file: defaults
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil, &ScenarioError{File: name, Line: doc.Line, Problem: "top level must be a mapping of keys"}
	}
	if err := scenario.CheckKeys(doc, reflect.TypeOf(Scenario{}), "", name); err != nil {
		return nil, err
	}
	if err := doc.Decode(sc); err != nil {
		return nil, &ScenarioError{File: name, Problem: err.Error()}
	}
	scenario.MarkUserSources(sc, "set in "+name)
	return sc, sc.validate(name)
}

// Validate checks every value against its allowed range (each domain's
// Validate); the error is a *ScenarioError with the full key path.
func (s *Scenario) Validate() error { return s.validate("") }

func (s *Scenario) validate(file string) error {
	for _, d := range []struct {
		key string
		err error
	}{
		{"pv", s.PV.Validate()},
		{"heat", s.Heat.Validate()},
		{"land", s.Land.Validate()},
		{"econ", s.Econ.Validate()},
		{"uncertainty", s.Uncertainty.Validate()},
	} {
		if d.err != nil {
			return scenario.Prefix(d.err, d.key, file)
		}
	}
	// Cross-domain: the probe spacing of a study's borehole fields must
	// meet the French drilling standard (heat.SizeBorefield refuses less).
	for _, c := range []struct {
		key string
		v   scenario.Param
	}{{"boreholes.spacing_short_m", s.Land.Boreholes.SpacingShortM}, {"boreholes.spacing_long_m", s.Land.Boreholes.SpacingLongM}} {
		if c.v.Value < heat.NFX10970SpacingM {
			return scenario.Prefix(&scenario.Error{Key: c.key, Problem: fmt.Sprintf("%g m is below the %g m of %s", c.v.Value, heat.NFX10970SpacingM, heat.NFX10970Source)}, "land", file)
		}
	}
	return nil
}

// CanonicalJSON is the scenario's canonical encoding: encoding/json of the
// struct (fields in declaration order, map keys sorted).
func (s *Scenario) CanonicalJSON() ([]byte, error) { return json.Marshal(s) }

// Hash returns the first 12 hex digits of the SHA-256 of CanonicalJSON:
// results carry it so that every number traces to its assumptions (sources
// and dates included: changing a source changes the hash).
func (s *Scenario) Hash() string {
	b, err := s.CanonicalJSON()
	if err != nil { // only NaN/Inf values, which Validate rejects
		b = fmt.Appendf(nil, "%#v", s)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])[:12]
}

// WriteYAML writes the whole scenario (every value with unit, source and
// date).
func (s *Scenario) WriteYAML(w io.Writer) error {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(s); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Assumptions lists every numeric assumption with its key path (YAML
// keys), unit, source and date, in declaration order, one line per Param
// and per value of the size-class tables (scenario.Assumptions).
func (s *Scenario) Assumptions() []Assumption { return scenario.Assumptions(s, "") }
