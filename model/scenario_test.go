package model

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gisement/gisement/geo"
)

func writeScenario(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestScenarioDefaultValid(t *testing.T) {
	sc := DefaultScenario()
	if err := sc.Validate(); err != nil {
		t.Fatalf("default scenario invalid: %v", err)
	}
	as := sc.Assumptions()
	if len(as) < 80 {
		t.Fatalf("only %d assumptions listed", len(as))
	}
	keys := map[string]bool{}
	for _, a := range as {
		if keys[a.Key] {
			t.Errorf("duplicate assumption key %q", a.Key)
		}
		keys[a.Key] = true
		if a.Source == "" {
			t.Errorf("%s: no source", a.Key)
		}
		if a.Unit == "" && !strings.HasSuffix(a.Key, "seed") {
			t.Errorf("%s: no unit", a.Key)
		}
		// Every price and tariff carries its date.
		if (strings.HasPrefix(a.Key, "econ.prices.") && !strings.HasSuffix(a.Key, "_pct")) || strings.HasPrefix(a.Key, "econ.tariffs.s21") {
			if a.Date == "" {
				t.Errorf("%s: price/tariff without a date", a.Key)
			}
		}
	}
	// The roof section gives geo.DefaultRoofOptions.
	if got, want := sc.PV.RoofOptions(), geo.DefaultRoofOptions(); got != want {
		t.Errorf("RoofOptions = %+v", got)
	}
}

func TestScenarioHash(t *testing.T) {
	a, b := DefaultScenario(), DefaultScenario()
	if a.Hash() != b.Hash() || len(a.Hash()) != 12 {
		t.Fatalf("hash not stable: %q %q", a.Hash(), b.Hash())
	}
	b.Econ.Finance.DiscountRatePct.Value = 5
	if a.Hash() == b.Hash() {
		t.Fatal("hash unchanged after a value change")
	}
}

func TestScenarioLoadPartialMerge(t *testing.T) {
	p := writeScenario(t, "mine.yaml", `
name: commune-test
econ:
  finance:
    discount_rate_pct: 5
  prices:
    gas: {value: 0.11, source: "supplier offer", date: "2025-11"}
  tariffs:
    s21:
      - {max_kwp: 9, surplus_eur_per_kwh: 0.04, premium_eur_per_kwp: 80, premium_years: 1, source: "CRE T15", date: "2025-10"}
      - {max_kwp: 100, surplus_eur_per_kwh: 0.0647, premium_eur_per_kwp: 80, premium_years: 5, full_sale_eur_per_kwh: 0.0912, source: "CRE T15", date: "2025-10"}
heat:
  gshp:
    probe_depth_m: 120
`)
	sc, err := LoadScenario(p)
	if err != nil {
		t.Fatal(err)
	}
	def := DefaultScenario()
	if sc.Name != "commune-test" || sc.Econ.Finance.DiscountRatePct.Value != 5 || sc.Heat.GSHP.ProbeDepthM.Value != 120 {
		t.Errorf("overrides not applied: %+v", sc.Econ.Finance)
	}
	if got := sc.Econ.Finance.DiscountRatePct; got.Unit != "%/yr" || got.Source != "set in "+p {
		t.Errorf("bare override: unit %q source %q", got.Unit, got.Source)
	}
	if got := sc.Econ.Prices.Gas; got.Value != 0.11 || got.Source != "supplier offer" || got.Date != "2025-11" || got.Unit != "€/kWh" {
		t.Errorf("mapping override: %+v", got)
	}
	if len(sc.Econ.Tariffs.S21) != 2 || sc.Econ.Tariffs.S21[1].FullSaleEURPerKWh != 0.0912 {
		t.Errorf("s21 list not replaced: %+v", sc.Econ.Tariffs.S21)
	}
	// Untouched values keep their defaults.
	if sc.PV.SystemLossPct != def.PV.SystemLossPct || sc.Econ.Prices.FuelOil != def.Econ.Prices.FuelOil || sc.Heat.ASHP != def.Heat.ASHP || sc.Land != def.Land {
		t.Error("defaults lost in merge")
	}
	if sc.Hash() == def.Hash() {
		t.Error("hash did not change")
	}
}

func TestScenarioLoadJSON(t *testing.T) {
	p := writeScenario(t, "mine.json", `{"econ": {"pv": {"degradation_pct_yr": 0.4, "self_consumption": {"tertiary": {"value": 0.5}}}}}`)
	sc, err := LoadScenario(p)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Econ.PV.DegradationPctYr.Value != 0.4 || sc.Econ.PV.SelfConsumption.Tertiary.Value != 0.5 {
		t.Errorf("JSON overrides not applied")
	}
	if !strings.HasPrefix(sc.Econ.PV.SelfConsumption.Tertiary.Source, "set in ") {
		t.Errorf("source %q", sc.Econ.PV.SelfConsumption.Tertiary.Source)
	}
}

func TestScenarioLoadRejects(t *testing.T) {
	cases := []struct {
		name, content, key, contains string
		line                         int
	}{
		{"typo", "econ:\n  finance:\n    discount_rate: 5\n", "econ.finance.discount_rate", `did you mean "discount_rate_`, 3},
		{"top-level typo", "prise_date: 2025-10\n", "prise_date", `did you mean "price_date"`, 0},
		{"moved key", "pv:\n  capex_ground: 700\n", "pv.capex_ground", "unknown key", 2},
		{"param key typo", "econ:\n  prices:\n    gas: {valeu: 0.1}\n", "", `unknown key "valeu"`, 0},
		{"unit mismatch", "econ:\n  prices:\n    gas: {value: 10, unit: c€/kWh}\n", "", `differs from the built-in unit`, 0},
		{"out of range", "pv:\n  system_loss_pct: 80\n", "pv.system_loss_pct", "out of range", 0},
		{"not a number", "pv:\n  system_loss_pct: lots\n", "", "want a number", 0},
		{"whole number", "econ:\n  pv:\n    lifetime_yr: 20.5\n", "econ.pv.lifetime_yr", "whole number", 0},
		{"NaN", "econ:\n  finance:\n    discount_rate_pct: .nan\n", "econ.finance.discount_rate_pct", "out of range", 0},
		{"heat param", "heat:\n  gshp:\n    probe_depth_m: 250\n", "heat.gshp.probe_depth_m", "GMI", 0},
		{"heat typo", "heat:\n  gshp:\n    probe_depth: 100\n", "heat.gshp.probe_depth", "did you mean", 3},
		{"land param", "land:\n  boreholes:\n    layout: triangle\n", "land.boreholes.layout", "square or hex", 0},
		{"list item typo", "econ:\n  tariffs:\n    s21:\n      - {max_kwp: 9, surplus: 0.04, date: 2025-10}\n", "econ.tariffs.s21[0].surplus", "unknown key", 4},
		{"class order", "econ:\n  tariffs:\n    s21:\n      - {max_kwp: 9, surplus_eur_per_kwh: 0.04, premium_years: 1, date: 2025-10}\n      - {max_kwp: 3, surplus_eur_per_kwh: 0.04, premium_years: 1, date: 2025-10}\n", "econ.tariffs.s21[1].max_kwp", "above the previous", 0},
		{"capex points", "econ:\n  pv:\n    capex_rooftop_points:\n      - {kwp: 9, eur_per_wp_ht: 1.5}\n", "econ.pv.capex_rooftop_points", "at least 2", 0},
		{"tariff date", "econ:\n  tariffs:\n    s21:\n      - {max_kwp: 9, surplus_eur_per_kwh: 0.04, premium_years: 1}\n", "econ.tariffs.s21[0].date", "date", 0},
		{"baseline", "econ:\n  heat_pumps:\n    baseline: coal\n", "econ.heat_pumps.baseline", "want", 0},
		{"not a mapping", "- a\n- b\n", "", "mapping", 0},
		{"bad yaml", "pv: [\n", "", "not valid YAML", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeScenario(t, "bad.yaml", c.content)
			_, err := LoadScenario(p)
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, ErrScenario) {
				t.Errorf("error %v does not wrap ErrScenario", err)
			}
			var se *ScenarioError
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not a *ScenarioError", err)
			}
			if se.File != p || !strings.Contains(err.Error(), p) {
				t.Errorf("error %q does not name the file", err)
			}
			if c.line > 0 && (se.Line != c.line || !strings.Contains(err.Error(), fmt.Sprintf("line %d", c.line))) {
				t.Errorf("error %q: line %d, want %d", err, se.Line, c.line)
			}
			if c.key != "" && se.Key != c.key {
				t.Errorf("key %q, want %q (%v)", se.Key, c.key, err)
			}
			if !strings.Contains(err.Error(), c.contains) {
				t.Errorf("error %q does not contain %q", err, c.contains)
			}
		})
	}
	if _, err := LoadScenario(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestScenarioEmptyFileIsDefault(t *testing.T) {
	sc, err := LoadScenario(writeScenario(t, "empty.yaml", "# nothing\n"))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Hash() != DefaultScenario().Hash() {
		t.Error("empty file differs from the defaults")
	}
}

// TestScenarioDefaultFile checks that scenarios/default.yaml is the
// built-in default written out, and that it loads back to the same hash.
// Regenerate with GISEMENT_UPDATE_SCENARIO=1 go test ./model -run TestScenarioDefaultFile.
func TestScenarioDefaultFile(t *testing.T) {
	var buf bytes.Buffer
	buf.WriteString("# gisement built-in scenario, generated from model.DefaultScenario() (do not edit;\n# copy the keys you want to change into your own file: it is merged over these defaults).\n")
	if err := DefaultScenario().WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	const path = "scenarios/default.yaml"
	if os.Getenv("GISEMENT_UPDATE_SCENARIO") == "1" {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (regenerate with GISEMENT_UPDATE_SCENARIO=1)", err)
	}
	if !bytes.Equal(got, buf.Bytes()) {
		t.Fatalf("%s is out of date: regenerate with GISEMENT_UPDATE_SCENARIO=1 go test ./model -run TestScenarioDefaultFile", path)
	}
	sc, err := LoadScenario(path)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Hash() != DefaultScenario().Hash() {
		t.Errorf("round trip changed the scenario: %s vs %s", sc.Hash(), DefaultScenario().Hash())
	}
}

func FuzzReadScenario(f *testing.F) {
	f.Add([]byte("econ:\n  finance:\n    discount_rate_pct: 5\n"))
	f.Add([]byte("econ:\n  prices:\n    gas: {value: 0.1, source: x, date: 2025-01}\n"))
	f.Add([]byte("econ:\n  tariffs:\n    s21:\n      - {max_kwp: 9, date: x, premium_years: 1}\n"))
	f.Add([]byte("heat:\n  gshp:\n    extraction:\n      poor: {at_1800h_w_m: 20, at_2400h_w_m: 18}\n"))
	f.Add([]byte("{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := ReadScenario(bytes.NewReader(data), "fuzz.yaml")
		if err != nil {
			if !errors.Is(err, ErrScenario) && !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("error without file name or ErrScenario: %v", err)
			}
			return
		}
		if err := sc.Validate(); err != nil {
			t.Fatalf("accepted an invalid scenario: %v", err)
		}
		_ = sc.Hash()
	})
}

func ExampleScenario_Assumptions() {
	for _, a := range DefaultScenario().Assumptions() {
		switch a.Key {
		case "pv.module_power_density_wp_m2", "econ.prices.electricity_residential", "econ.co2.gas":
			fmt.Printf("%s = %g %s (%s)\n", a.Key, a.Value, a.Unit, a.Date)
		}
	}
	// Output:
	// pv.module_power_density_wp_m2 = 225 Wp/m² ()
	// econ.prices.electricity_residential = 0.2016 €/kWh (2025-02)
	// econ.co2.gas = 0.227 kgCO2e/kWh (2021)
}
