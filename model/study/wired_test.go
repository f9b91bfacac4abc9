package study

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/model"
	"github.com/gisement/gisement/model/heat"
	"github.com/gisement/gisement/model/scenario"
)

// Every setting is wired: for each leaf of the default scenario (listed by
// reflection, scenario.Leaves — not by hand), a perturbed value that the
// scenario's Validate accepts must change some output of a small real
// fixture study, unless the leaf is listed below as reporting-only (then
// no perturbation may change any output).
//
// Fixture (testdata/README.md): 120 real Périgueux BDNB buildings of an
// industrial zone and a residential street, with use, construction year and
// storeys ADDED to some (MODIFIED_wired_buildings.geojson: the sample has
// none, and the tertiary, industrial, agricultural, construction-period and
// no-height paths need them), their 170 real parcels, two SYNTHETIC car
// parks, and the embedded La Rochelle weather year.

// reportingOnly lists the leaves that legitimately change no output, with
// the reason.
var reportingOnly = map[string]string{
	"name":                     "labels the scenario in reports and storage",
	"description":              "describes the scenario in reports",
	"price_date":               "reference date of the prices as a whole, reported; each price carries its own date",
	"heat.ashp.curve_design_c": "curve design point of the lab model heat.HeatClimate; the study's field model ties the heating curve to the territory's design temperature (heat.CurveFlowC, issue 11)",
	"heat.gshp.curve_design_c": "curve design point of the lab model heat.HeatClimate; the study's field model ties the heating curve to the territory's design temperature (heat.CurveFlowC, issue 11)",
}

// notExercised lists the leaves whose code path the study pipeline cannot
// reach with any input it reads today, with the reason. They are not
// reporting-only: they drive a model function the pipeline does not call
// that way. The test fails if one of them does change an output (then it
// is wired: remove it from here).
var notExercised = map[string]string{
	"heat.demand.dpe_primary_factor":         "DPE override of heat.EstimateHeatDemand: the study's building inputs carry no DPE class (geo.Building has none)",
	"heat.demand.dpe_system_efficiency":      "DPE override of heat.EstimateHeatDemand: the study's building inputs carry no DPE class (geo.Building has none)",
	"heat.demand.dpe_heat_share":             "DPE override of heat.EstimateHeatDemand: the study's building inputs carry no DPE class (geo.Building has none)",
	"heat.demand.rel_uncertainty_dpe":        "DPE override of heat.EstimateHeatDemand: the study's building inputs carry no DPE class (geo.Building has none)",
	"heat.calibration.scale_min":             "observed-consumption scaling (heat.CalibrationParams.ScaleToObserved): the pipeline reads no SDES/ORE local-energy file yet",
	"heat.calibration.scale_max":             "observed-consumption scaling (heat.CalibrationParams.ScaleToObserved): the pipeline reads no SDES/ORE local-energy file yet",
	"heat.calibration.gas_heat_share_res":    "observed-consumption scaling (heat.CalibrationParams.ObservedHeat): the pipeline reads no SDES/ORE local-energy file yet",
	"heat.calibration.gas_boiler_efficiency": "observed-consumption scaling (heat.CalibrationParams.ObservedHeat): the pipeline reads no SDES/ORE local-energy file yet",
	"heat.usage.multi_family_min_dwellings":  "dwelling-count rule of heat.UsageParams.Resolve: geo.Building carries no dwelling count (BD TOPO NB_LOGTS / BDNB nb_log are not read yet)",
}

// condition is a setting a leaf only acts under (a choice made elsewhere in
// the scenario): it is applied to both the reference and the perturbed
// runs of that leaf, with the reason.
type condition struct {
	match  func(path string) bool
	set    func(sc *model.Scenario)
	reason string
}

// emitterConditions give the study's heat emitter (Options.Emitter) a leaf
// acts under, with the reason.
var emitterConditions = []struct {
	match   func(path string) bool
	emitter heat.Emitter
	reason  string
}{
	{func(s string) bool {
		return strings.HasSuffix(s, ".floor.flow_max_c") || strings.HasSuffix(s, ".floor.exponent")
	},
		heat.EmitterFloor, "the floor-heating curve applies when the study's emitter is floor heating (Options.Emitter)"},
	{func(s string) bool { return strings.Contains(s, ".low_temp_radiator.") },
		heat.EmitterLowTempRadiator, "the low-temperature radiator curve applies when the study's emitter is low-temperature radiators (Options.Emitter)"},
}

func prefix(p string) func(string) bool {
	return func(s string) bool { return strings.HasPrefix(s, p) }
}

var conditions = []condition{
	{prefix("heat.demand.design_outdoor_c"), func(sc *model.Scenario) { sc.Heat.Field.DesignTemperature = "scenario" },
		"the scenario's design temperature applies when heat.field.design_temperature is 'scenario' (else the département's, from the commune code)"},
	{prefix("heat.ashp.when2heat_correction"), func(sc *model.Scenario) { sc.Heat.ASHP.Model = "when2heat" },
		"used by the When2Heat COP model only (heat.ashp.model: when2heat)"},
	{prefix("heat.gshp.extraction.poor."), func(sc *model.Scenario) { sc.Heat.GSHP.Ground = "poor" },
		"rates of the ground class in use (heat.gshp.ground)"},
	{prefix("heat.gshp.extraction.high."), func(sc *model.Scenario) { sc.Heat.GSHP.Ground = "high" },
		"rates of the ground class in use (heat.gshp.ground)"},
	{func(s string) bool {
		return s == "econ.prices.fuel_oil" || s == "econ.prices.fuel_oil_escalation_pct" || s == "econ.co2.fuel_oil" || s == "econ.heat_pumps.oil_boiler_efficiency"
	}, func(sc *model.Scenario) { sc.Econ.HeatPumps.Baseline = "fuel_oil" },
		"fuel-oil figures apply when the heat pump replaces an oil boiler (econ.heat_pumps.baseline: fuel_oil)"},
	{prefix("pv.roof.pitch_deg"), func(sc *model.Scenario) { sc.PV.Roof.Pitch = "scenario" },
		"the scenario's pitch applies when pv.roof.pitch is 'scenario' (else the département's default, from the commune code; pitch_deg is then only the fallback for buildings of unknown département, and the fixture's all have one)"},
	{prefix("pv.roof.flat_rack_coverage"), func(sc *model.Scenario) { sc.PV.Roof.FlatTiltDeg.Value = 10 },
		"rack coverage applies to racked flat roofs (pv.roof.flat_tilt_deg > 0)"},
	{prefix("land.boreholes.spacing_short_m"), func(sc *model.Scenario) { sc.Heat.GSHP.ProbeDepthM.Value = 45 },
		"VDI 4640 short spacing applies to probes of 50 m or less (heat.gshp.probe_depth_m)"},
	{prefix("pv.roof.flat_east_west_coverage"), func(sc *model.Scenario) { sc.PV.Roof.FlatLayout = "east_west" },
		"the east–west coverage applies to east–west flat-roof layouts (pv.roof.flat_layout: east_west)"},
	{prefix("econ.pv.residential_max_kwp"), func(sc *model.Scenario) { sc.Econ.Tariffs.S21[0].SurplusEURPerKWh = 0.2 },
		"the household ceiling binds when a larger system pays more than a smaller one (here a ≤ 9 kWc surplus tariff near the retail price); with the fixture's small roofs and the default 0.04 €/kWh the best household size stays below every tried ceiling"},
	{func(s string) bool { return strings.HasPrefix(s, "econ.vat.intermediate_") },
		func(sc *model.Scenario) { sc.Econ.VAT.HouseholdReducedEligible.Value = 0 },
		"the 10 % VAT and its 3 kWc ceiling apply to households whose system does not meet the 5.5 % conditions (econ.vat.household_reduced_eligible: 0)"},
}

// structural lists the leaves that no valid perturbation exists for.
var structural = map[string]string{
	"econ.tariffs.s21[3].max_kwp": "0 marks the last S21 class (tenders) as unbounded; any bound must exceed the previous class's 100 kWp, and no candidate value does",
}

// choiceAlternatives are the other valid values tried for choice (string)
// leaves.
var choiceAlternatives = map[string][]string{
	"pv.mounting":                   {"roof"},
	"pv.roof.flat_layout":           {"east_west"},
	"pv.roof.pitch":                 {"scenario"},
	"heat.ashp.model":               {"when2heat"},
	"heat.ashp.hplib_title":         {"Generic_top", "Generic_bottom"},
	"heat.gshp.hplib_title":         {"Generic_top", "Generic_bottom"},
	"heat.gshp.ground":              {"poor", "high"},
	"heat.field.design_temperature": {"scenario"},
	"land.boreholes.layout":         {"hex"},
	"econ.heat_pumps.baseline":      {"fuel_oil"},
	"name":                          {"other"},
	"description":                   {"other"},
	"price_date":                    {"2026-01"},
}

func wiredOptions(tb testing.TB, sc *model.Scenario, cache *Cache, emitter heat.Emitter) Options {
	return Options{Emitter: emitter,
		BuildingsPath: filepath.Join("testdata", "MODIFIED_wired_buildings.geojson"),
		ParcelsPath:   filepath.Join("testdata", "wired_parcels.geojson"),
		CarParksPath:  filepath.Join("testdata", "SYNTHETIC_carparks.geojson"),
		WeatherPath:   samplePath(tb, sample.Weather),
		Scenario:      sc, Cache: cache, Workers: 2,
	}
}

// fingerprint hashes every per-plane, per-building, per-parcel and
// per-car-park result and the totals (not the scenario, its hash or
// timings).
func fingerprint(r *Result) [32]byte {
	h := sha256.New()
	fmt.Fprintf(h, "%v|%v|%v|%v|%v|%v|%d", r.PV.Roofs, r.Buildings, r.Parcels, r.CarParks, r.CarParkEcon, r.Totals, len(r.Territory.Planes))
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// candidates are the perturbed values tried for a numeric leaf, in order.
func candidates(v float64) []float64 {
	out := []float64{v * 1.1, v * 0.9, v * 1.5, v * 0.5, v * 2, v + 1, v - 1, v + 10, v + 100, 0}
	if v == 0 {
		out = []float64{0.05, 0.5, 1, 5, 10, 100}
	}
	return out
}

func leafByPath(sc *model.Scenario, path string) scenario.Leaf {
	for _, l := range scenario.Leaves(sc) {
		if l.Path == path {
			return l
		}
	}
	panic("no leaf " + path)
}

func TestEverySettingIsWired(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the fixture study once per scenario leaf")
	}
	start := time.Now()
	cache := &Cache{}
	run := func(sc *model.Scenario, em heat.Emitter) ([32]byte, error) {
		r, err := Run(context.Background(), wiredOptions(t, sc, cache, em))
		if err != nil {
			return [32]byte{}, err
		}
		return fingerprint(r), nil
	}
	ref := map[string][32]byte{} // reference fingerprint per condition set
	refFor := func(conds []condition, em heat.Emitter) [32]byte {
		key := string(em) + ";"
		for _, c := range conds {
			key += c.reason + ";"
		}
		if f, ok := ref[key]; ok {
			return f
		}
		sc := model.DefaultScenario()
		for _, c := range conds {
			c.set(sc)
		}
		if err := sc.Validate(); err != nil {
			t.Fatalf("condition %q: %v", key, err)
		}
		f, err := run(sc, em)
		if err != nil {
			t.Fatal(err)
		}
		ref[key] = f
		return f
	}
	leaves := scenario.Leaves(model.DefaultScenario())
	if len(leaves) < 120 {
		t.Fatalf("only %d leaves listed", len(leaves))
	}
	runs := 0
	var wired, unwired []string
	for _, leaf := range leaves {
		var conds []condition
		for _, c := range conditions {
			if c.match(leaf.Path) {
				conds = append(conds, c)
			}
		}
		var em heat.Emitter
		for _, c := range emitterConditions {
			if c.match(leaf.Path) {
				em = c.emitter
			}
		}
		base := refFor(conds, em)
		changed, tried := false, 0
		var values []string
		try := func(set func(l scenario.Leaf)) {
			sc := model.DefaultScenario()
			for _, c := range conds {
				c.set(sc)
			}
			set(leafByPath(sc, leaf.Path))
			if sc.Validate() != nil {
				return
			}
			tried++
			runs++
			f, err := run(sc, em)
			if err != nil {
				t.Errorf("%s: %v", leaf.Path, err)
				return
			}
			if f != base {
				changed = true
			}
		}
		switch leaf.Kind {
		case "choice":
			alts, ok := choiceAlternatives[leaf.Path]
			if !ok {
				t.Errorf("%s: a choice with no alternative listed in choiceAlternatives", leaf.Path)
				continue
			}
			for _, a := range alts {
				values = append(values, a)
				try(func(l scenario.Leaf) { l.Value.SetString(a) })
				if changed && reportingOnly[leaf.Path] == "" {
					break
				}
			}
		default:
			v := leaf.Float()
			for _, c := range candidates(v) {
				if c == v || math.IsNaN(c) {
					continue
				}
				values = append(values, fmt.Sprint(c))
				try(func(l scenario.Leaf) { l.SetFloat(c) })
				if changed && reportingOnly[leaf.Path] == "" && notExercised[leaf.Path] == "" {
					break
				}
				if tried >= 3 && (reportingOnly[leaf.Path] != "" || notExercised[leaf.Path] != "") {
					break // three valid values changed nothing: enough
				}
			}
		}
		if tried == 0 && structural[leaf.Path] != "" {
			continue
		}
		if tried == 0 {
			t.Errorf("%s: no perturbation of %v is accepted by Validate (tried %v)", leaf.Path, leaf.Float(), values)
			continue
		}
		_, rep := reportingOnly[leaf.Path]
		_, nex := notExercised[leaf.Path]
		switch {
		case (rep || nex) && changed:
			t.Errorf("%s is listed as reporting-only or not exercised but changes the results", leaf.Path)
		case !rep && !nex && !changed:
			unwired = append(unwired, leaf.Path)
			t.Errorf("%s is not wired: %d valid perturbations (%s) change no output", leaf.Path, tried, strings.Join(values, ", "))
		case changed:
			wired = append(wired, leaf.Path)
		}
	}
	t.Logf("%d leaves, %d wired, %d reporting-only, %d not exercised, %d unwired; %d fixture runs in %.1f s",
		len(leaves), len(wired), len(reportingOnly), len(notExercised), len(unwired), runs, time.Since(start).Seconds())
	for k, v := range reportingOnly {
		t.Logf("reporting-only %s: %s", k, v)
	}
	for k, v := range notExercised {
		t.Logf("not exercised %s: %s", k, v)
	}
	for k, v := range structural {
		t.Logf("structural %s: %s", k, v)
	}
	for _, c := range conditions {
		t.Logf("condition: %s", c.reason)
	}
	for _, c := range emitterConditions {
		t.Logf("condition: %s", c.reason)
	}
}

// The issue's scenario: raising pv.min_usable_m2 to 500 and
// pv.technical_min_share_of_optimum to 0.95 (it replaced
// pv.keep_min_poa_kwh_m2, issue 12) must change the kept roof planes of the
// sample (they were silently ignored before the split).
func TestIssueScenarioChangesKeptPlanes(t *testing.T) {
	base := sampleStudy(t)
	sc, err := model.ReadScenario(strings.NewReader("pv:\n  min_usable_m2: 500\n  technical_min_share_of_optimum: 0.95\n"), "issue10.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := sc.PV.MinUsableM2; got.Value != 500 || got.Source != "set in issue10.yaml" {
		t.Errorf("min_usable_m2 = %+v", got)
	}
	o := sampleOptions(t)
	o.Scenario = sc
	r, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("kept roof planes: default %d, issue scenario %d (of %d)", base.Totals.RoofPlanesKept, r.Totals.RoofPlanesKept, r.Totals.RoofPlanes)
	if r.Totals.RoofPlanesKept >= base.Totals.RoofPlanesKept || r.Totals.RoofPlanes != base.Totals.RoofPlanes {
		t.Errorf("kept planes %d (of %d) with the issue scenario, %d (of %d) with the defaults", r.Totals.RoofPlanesKept, r.Totals.RoofPlanes,
			base.Totals.RoofPlanesKept, base.Totals.RoofPlanes)
	}
	for i := range r.PV.Roofs {
		if rf := &r.PV.Roofs[i]; rf.Kept && (rf.UsableM2 < 500 || rf.POAKWhM2 < 1400) {
			t.Fatalf("plane %d kept with %.0f m², %.0f kWh/m²", i, rf.UsableM2, rf.POAKWhM2)
		}
	}
}
