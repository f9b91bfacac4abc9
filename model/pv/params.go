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
	// KeepMinPOAKWhM2: planes whose annual in-plane irradiation (with
	// shading) is below it are not counted in the building/parcel potential
	// (0 keeps every plane).
	KeepMinPOAKWhM2 scenario.Param `json:"keep_min_poa_kwh_m2" yaml:"keep_min_poa_kwh_m2"`
	// MinUsableM2: planes with less usable area are not counted.
	MinUsableM2 scenario.Param `json:"min_usable_m2" yaml:"min_usable_m2"`
	// Roof: how roof planes are derived from footprints (geo.RoofOptions).
	Roof RoofParams `json:"roof" yaml:"roof"`
}

// RoofParams are the roof-plane rules of geo.RoofOptions (meaning and
// uncertainty of each in geo/roof.go), with units and sources.
type RoofParams struct {
	PitchDeg          scenario.Param `json:"pitch_deg" yaml:"pitch_deg"`
	FlatAboveM2       scenario.Param `json:"flat_above_m2" yaml:"flat_above_m2"`
	FlatTiltDeg       scenario.Param `json:"flat_tilt_deg" yaml:"flat_tilt_deg"`
	FlatRackCoverage  scenario.Param `json:"flat_rack_coverage" yaml:"flat_rack_coverage"`
	SetbackM          scenario.Param `json:"setback_m" yaml:"setback_m"`
	ObstructionFactor scenario.Param `json:"obstruction_factor" yaml:"obstruction_factor"`
}

// Defaults returns the built-in PV assumptions.
func Defaults() Params {
	ro := geo.DefaultRoofOptions()
	p := scenario.P
	return Params{
		ModulePowerDensityWpM2: p(225, "Wp/m²", "today's modules 200–230 Wp/m² (e.g. 430 Wp on 1.95 m²); Data For Good school-roof study '13_potentiel_solaire' took 225; photovoltaique.info (Hespul) 2024: about 220 Wc/m²"),
		SystemLossPct:          p(solar.DefaultPVGISLossPct, "%", "PVGIS default system loss (JRC)"),
		Mounting:               "free",
		KeepMinPOAKWhM2:        p(900, "kWh/m²·yr", "Data For Good school-roof study '13_potentiel_solaire': roof segments kept above 900 kWh/m²·yr"),
		MinUsableM2:            p(5, "m²", "our assumption (≈1 kWp, smallest sensible installation)"),
		Roof: RoofParams{
			PitchDeg:          p(ro.PitchDeg, "deg", "our assumption, mid-range of French pitched roofs, ±10°"),
			FlatAboveM2:       p(ro.FlatAboveM2, "m²", "our assumption (no published rule found)"),
			FlatTiltDeg:       p(ro.FlatTiltDeg, "deg", "modules flat on flat roofs (our assumption)"),
			FlatRackCoverage:  p(ro.FlatRackCoverage, "fraction", "typical GCR of 10–15° racks (our assumption, ±0.15)"),
			SetbackM:          p(ro.SetbackM, "m", "our assumption (installers use 0.3–1 m)"),
			ObstructionFactor: p(ro.ObstructionFactor, "fraction", "our assumption (±0.1)"),
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
		{Key: "keep_min_poa_kwh_m2", P: p.KeepMinPOAKWhM2, Lo: 0, Hi: 2999},
		{Key: "min_usable_m2", P: p.MinUsableM2, Lo: 0, Hi: 1e6},
		{Key: "roof.pitch_deg", P: r.PitchDeg, Lo: 0, Hi: 70},
		{Key: "roof.flat_above_m2", P: r.FlatAboveM2, Lo: 0, Hi: 1e6},
		{Key: "roof.flat_tilt_deg", P: r.FlatTiltDeg, Lo: 0, Hi: 60},
		{Key: "roof.flat_rack_coverage", P: r.FlatRackCoverage, Lo: 0.05, Hi: 1},
		{Key: "roof.setback_m", P: r.SetbackM, Lo: 0, Hi: 10},
		{Key: "roof.obstruction_factor", P: r.ObstructionFactor, Lo: 0, Hi: 0.95},
	}); err != nil {
		return err
	}
	if _, err := solar.ParseMounting(p.Mounting); err != nil || (p.Mounting != "free" && p.Mounting != "roof") {
		return &scenario.Error{Key: "mounting", Problem: fmt.Sprintf("%q: want free or roof", p.Mounting)}
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
		FlatRackCoverage: r.FlatRackCoverage.Value, SetbackM: r.SetbackM.Value, ObstructionFactor: r.ObstructionFactor.Value,
	}
}
