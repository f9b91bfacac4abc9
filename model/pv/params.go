package pv

import (
	"fmt"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/model/scenario"
	"github.com/gisement/gisement/solar"
)

// Params are the rooftop PV assumptions of a scenario (YAML key "pv"):
// module power density, system loss, thermal mounting, which roof planes
// count, and how roof planes are derived from footprints (Roof, passed to
// geo.Territory.ComputePlanes by the pipeline through RoofOptions). Every
// value carries its unit and source.
type Params struct {
	// ModulePowerDensityWpM2: nameplate power per m² of module;
	// kWp = usable m² × this / 1000.
	ModulePowerDensityWpM2 scenario.Param `json:"module_power_density_wp_m2" yaml:"module_power_density_wp_m2"`
	// SystemLossPct: one system loss (cables, inverter, soiling, mismatch).
	SystemLossPct scenario.Param `json:"system_loss_pct" yaml:"system_loss_pct"`
	// Mounting: the thermal mounting of the modules, "free" (PVGIS
	// free-standing Faiman coefficients) or "roof" (PVGIS
	// building-integrated: unventilated). Default "free": rooftop modules in
	// France are mostly mounted over the tiles with an air gap
	// (surimposition), which PVGIS users model as free-standing; the
	// building-integrated option would cost about 10 % of the yield. Our
	// choice, stated in the README.
	Mounting string `json:"mounting" yaml:"mounting"`
	// TechnicalMinShareOfOptimum defines the technical potential: a plane
	// counts when its specific yield with shading is at least this share of
	// the local optimum (the unshaded specific yield of the best
	// orientation, computed from the weather year: PlaneEvaluator.Optimum).
	// 0 keeps every plane.
	TechnicalMinShareOfOptimum scenario.Param `json:"technical_min_share_of_optimum" yaml:"technical_min_share_of_optimum"`
	// ShadingImpactFactor (SIF ≥ 1): the partial-shading mismatch of
	// modules in series: the beam lost to partial shading counts SIF times
	// (see RoofPVOf).
	ShadingImpactFactor scenario.Param `json:"shading_impact_factor" yaml:"shading_impact_factor"`
	// MinUsableM2: planes with less usable area are not counted.
	MinUsableM2 scenario.Param `json:"min_usable_m2" yaml:"min_usable_m2"`
	// Roof: how roof planes are derived from footprints (geo.RoofOptions).
	Roof RoofParams `json:"roof" yaml:"roof"`
}

// RoofParams are the roof-plane rules of geo.RoofOptions (meaning and
// uncertainty of each in geo/roof.go), with units and sources.
type RoofParams struct {
	// Pitch chooses the modelled pitch of pitched roofs that no surface
	// model covers and whose source gives no pitch: "regional" (default: the
	// default of the building's département, geo/surface.ModelledPitch, from
	// its commune code; PitchDeg where the département is unknown) or
	// "scenario" (PitchDeg everywhere).
	Pitch            string         `json:"pitch" yaml:"pitch"`
	PitchDeg         scenario.Param `json:"pitch_deg" yaml:"pitch_deg"`
	FlatAboveM2      scenario.Param `json:"flat_above_m2" yaml:"flat_above_m2"`
	FlatTiltDeg      scenario.Param `json:"flat_tilt_deg" yaml:"flat_tilt_deg"`
	FlatRackCoverage scenario.Param `json:"flat_rack_coverage" yaml:"flat_rack_coverage"`
	// FlatLayout: "south" (racks facing south, FlatRackCoverage) or
	// "east_west" (back-to-back east/west rows, FlatEastWestCoverage).
	FlatLayout           string         `json:"flat_layout" yaml:"flat_layout"`
	FlatEastWestCoverage scenario.Param `json:"flat_east_west_coverage" yaml:"flat_east_west_coverage"`
	SetbackM             scenario.Param `json:"setback_m" yaml:"setback_m"`
	ObstructionFactor    scenario.Param `json:"obstruction_factor" yaml:"obstruction_factor"`
}

// Values of RoofParams.Pitch.
const (
	PitchRegional = "regional"
	PitchScenario = "scenario"
)

// Defaults returns the built-in PV assumptions.
func Defaults() Params {
	ro := geo.DefaultRoofOptions()
	p := scenario.P
	return Params{
		ModulePowerDensityWpM2:     p(225, "Wp/m²", "today's modules 200–230 Wp/m² (e.g. 430 Wp on 1.95 m²); Data For Good school-roof study '13_potentiel_solaire' took 225; photovoltaique.info (Hespul) 2024: about 220 Wc/m²"),
		SystemLossPct:              p(solar.DefaultPVGISLossPct, "%", "PVGIS default system loss (JRC)"),
		Mounting:                   "free",
		TechnicalMinShareOfOptimum: p(0.8, "fraction", "share of the local optimum's specific yield; NREL rooftop technical potential (Gagnon et al. 2016, 'Rooftop Solar Photovoltaic Technical Potential in the United States', NREL/TP-6A20-65298, suitability criteria): a roof plane is suitable when it receives at least 80 % of the annual insolation of an unshaded, optimally oriented surface at the same location; applied here to the specific yield (kWh/kWp). German and Swiss solar cadastres likewise count only their 'good' classes and above (e.g. sonnendach.ch 'gut' ≥ 1,000 kWh/m² where the optimum is ≈ 1,300–1,400)"),
		ShadingImpactFactor:        p(1.6, "factor", "shading impact factor of CSE (California Simulation Engine, PVARRAY pvSIF, after Deline et al. 2013, 'A simplified model of uniform shading in large photovoltaic arrays', Solar Energy 96): effective beam = beam·(1 − SIF·shaded fraction); 1.2 with module-level power electronics, ≈ 2.0 with string inverters; French rooftops mix micro-inverters and string inverters: 1.6 (our assumption, range 1.2–2.0)"),
		MinUsableM2:                p(5, "m²", "our assumption (≈1 kWp, smallest sensible installation)"),
		Roof: RoofParams{
			Pitch:                PitchRegional,
			PitchDeg:             p(ro.PitchDeg, "deg", "our assumption, mid-range of French pitched roofs, ±10°; applies with pv.roof.pitch: scenario, and where the building's département is unknown"),
			FlatAboveM2:          p(ro.FlatAboveM2, "m²", "our assumption (no published rule found)"),
			FlatTiltDeg:          p(ro.FlatTiltDeg, "deg", "flat roofs are fitted with low-tilt ballasted racks facing south, 10–15° (NREL rooftop technical potential, Gagnon et al. 2016 NREL/TP-6A20-65298: flat roofs modelled with modules tilted 15° facing south; French flat-roof ballast systems are sold at 10–15°); our choice 10°, range 5–15°"),
			FlatRackCoverage:     p(ro.FlatRackCoverage, "fraction", "ground coverage ratio (module area / roof area) of south-facing racks: the row pitch that avoids row-to-row shading at solar noon of the winter solstice at 45° N (sun 21.6° high) gives GCR = 1/(cos β + sin β / tan 21.6°) = 0.70 at β = 10°; minus maintenance aisles, 0.6 (our assumption, ±0.1)"),
			FlatLayout:           "south",
			FlatEastWestCoverage: p(ro.FlatEastWestCoverage, "fraction", "ground coverage ratio of east–west flat-roof systems (back-to-back rows, no row-to-row shading gap, maintenance aisles only): 0.8–0.9 in manufacturers' layouts; our assumption 0.85, ±0.05"),
			SetbackM:             p(ro.SetbackM, "m", "our assumption (installers use 0.3–1 m)"),
			ObstructionFactor:    p(ro.ObstructionFactor, "fraction", "our assumption (±0.1)"),
		},
	}
}

// Validate checks every value against its allowed range; errors are
// *scenario.Error with the key path below "pv".
func (p Params) Validate() error {
	r := &p.Roof
	if err := scenario.CheckRanges([]scenario.Range{
		{Key: "module_power_density_wp_m2", P: p.ModulePowerDensityWpM2, Lo: 50.000001, Hi: 400},
		{Key: "system_loss_pct", P: p.SystemLossPct, Lo: 0, Hi: 50},
		{Key: "technical_min_share_of_optimum", P: p.TechnicalMinShareOfOptimum, Lo: 0, Hi: 1},
		{Key: "min_usable_m2", P: p.MinUsableM2, Lo: 0, Hi: 1e6},
		{Key: "shading_impact_factor", P: p.ShadingImpactFactor, Lo: 1, Hi: 3},
		{Key: "roof.pitch_deg", P: r.PitchDeg, Lo: 0, Hi: 70},
		{Key: "roof.flat_above_m2", P: r.FlatAboveM2, Lo: 0, Hi: 1e6},
		{Key: "roof.flat_tilt_deg", P: r.FlatTiltDeg, Lo: 0, Hi: 60},
		{Key: "roof.flat_rack_coverage", P: r.FlatRackCoverage, Lo: 0.05, Hi: 1},
		{Key: "roof.flat_east_west_coverage", P: r.FlatEastWestCoverage, Lo: 0.05, Hi: 1},
		{Key: "roof.setback_m", P: r.SetbackM, Lo: 0, Hi: 10},
		{Key: "roof.obstruction_factor", P: r.ObstructionFactor, Lo: 0, Hi: 0.95},
	}); err != nil {
		return err
	}
	if _, err := solar.ParseMounting(p.Mounting); err != nil || (p.Mounting != "free" && p.Mounting != "roof") {
		return &scenario.Error{Key: "mounting", Problem: fmt.Sprintf("%q: want free or roof", p.Mounting)}
	}
	if r.Pitch != PitchRegional && r.Pitch != PitchScenario {
		return &scenario.Error{Key: "roof.pitch", Problem: fmt.Sprintf("%q: want %s or %s", r.Pitch, PitchRegional, PitchScenario)}
	}
	if r.FlatLayout != "south" && r.FlatLayout != "east_west" {
		return &scenario.Error{Key: "roof.flat_layout", Problem: fmt.Sprintf("%q: want south or east_west", r.FlatLayout)}
	}
	if err := p.System().Validate(); err != nil {
		return &scenario.Error{Key: "system_loss_pct", Problem: err.Error()}
	}
	return nil
}

// System returns the 1 kWp solar.System of these parameters: PVGIS's
// performance model (Huld et al. 2011 power, Faiman temperature,
// Martin & Ruiz IAM) with the mounting and system loss.
func (p Params) System() solar.System {
	m, _ := solar.ParseMounting(p.Mounting)
	s := solar.DefaultSystem(solar.ModelPVGIS, m)
	s.LossPct = p.SystemLossPct.Value
	return s
}

// RoofOptions returns the roof rules in geo's form (geo.ComputePlanes).
func (p Params) RoofOptions() geo.RoofOptions {
	r := &p.Roof
	return geo.RoofOptions{
		PitchDeg: r.PitchDeg.Value, FlatAboveM2: r.FlatAboveM2.Value, FlatTiltDeg: r.FlatTiltDeg.Value,
		FlatRackCoverage: r.FlatRackCoverage.Value, FlatEastWest: r.FlatLayout == "east_west", FlatEastWestCoverage: r.FlatEastWestCoverage.Value, SetbackM: r.SetbackM.Value, ObstructionFactor: r.ObstructionFactor.Value,
	}
}
