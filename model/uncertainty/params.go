package uncertainty

import "github.com/gisement/gisement/model/scenario"

// Params are the Monte Carlo input distributions of a scenario (YAML key
// "uncertainty"): independent normals, 1σ values (see MonteCarlo), the
// number of draws and the seed.
type Params struct {
	UsableAreaRelSigma  scenario.Param `json:"usable_area_rel_sigma" yaml:"usable_area_rel_sigma"`
	PitchSigmaDeg       scenario.Param `json:"pitch_sigma_deg" yaml:"pitch_sigma_deg"`
	WeatherSigmaPct     scenario.Param `json:"weather_sigma_pct" yaml:"weather_sigma_pct"`
	PerformanceSigmaPct scenario.Param `json:"performance_sigma_pct" yaml:"performance_sigma_pct"`
	EscalationSigmaPct  scenario.Param `json:"escalation_sigma_pct" yaml:"escalation_sigma_pct"`
	Draws               scenario.Param `json:"draws" yaml:"draws"`
	Seed                scenario.Param `json:"seed" yaml:"seed"`
}

// Defaults returns the built-in distributions.
func Defaults() Params {
	p := scenario.P
	return Params{
		UsableAreaRelSigma:  p(0.12, "fraction (1σ)", "from the roof obstruction factor 0.15 ± 0.1 (pv.roof.obstruction_factor) taken as 1σ: 0.1/0.85 ≈ 0.12 of usable area"),
		PitchSigmaDeg:       p(10, "deg (1σ)", "roof pitch 30° ± 10° (pv.roof.pitch_deg; our assumption, taken as 1σ)"),
		WeatherSigmaPct:     p(5, "% (1σ)", "inter-annual σ of annual irradiation, 4–6 % in France; PVsyst default after Ineichen 2011 (Univ. Geneva) year-to-year study; Thevenard & Pelland 2013 found 3.9 % (Toronto)"),
		PerformanceSigmaPct: p(5, "% (1σ)", "our assumption, after Thevenard & Pelland 2013 (Solar Energy 91, doi:10.1016/j.solener.2011.05.006): plane-of-array 3 %, module rating 3 %, soiling 2 %, other 5 %"),
		EscalationSigmaPct:  p(1.0, "%/yr (1σ)", "our assumption"),
		Draws:               p(500, "draws", "our assumption"),
		Seed:                p(1, "", "our assumption: fixed seed for reproducible results"),
	}
}

// Validate checks every value against its allowed range; errors are
// *scenario.Error with the key path below "uncertainty".
func (p Params) Validate() error {
	if err := scenario.CheckRanges([]scenario.Range{
		{Key: "usable_area_rel_sigma", P: p.UsableAreaRelSigma, Lo: 0, Hi: 1},
		{Key: "pitch_sigma_deg", P: p.PitchSigmaDeg, Lo: 0, Hi: 45},
		{Key: "weather_sigma_pct", P: p.WeatherSigmaPct, Lo: 0, Hi: 50},
		{Key: "performance_sigma_pct", P: p.PerformanceSigmaPct, Lo: 0, Hi: 50},
		{Key: "escalation_sigma_pct", P: p.EscalationSigmaPct, Lo: 0, Hi: 20},
		{Key: "draws", P: p.Draws, Lo: 1, Hi: 1e6, Whole: true},
		{Key: "seed", P: p.Seed, Lo: 0, Hi: 1 << 53, Whole: true},
	}); err != nil {
		return err
	}
	return nil
}
