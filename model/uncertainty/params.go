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
	// ResourceBiasPctPer100Km: 1σ of the bias of the weather file's
	// irradiation at the territory, growing with the distance between the
	// station and the territory (see YieldSpread).
	ResourceBiasPctPer100Km scenario.Param `json:"resource_bias_pct_per_100km" yaml:"resource_bias_pct_per_100km"`
	EscalationSigmaPct      scenario.Param `json:"escalation_sigma_pct" yaml:"escalation_sigma_pct"`
	Draws                   scenario.Param `json:"draws" yaml:"draws"`
	Seed                    scenario.Param `json:"seed" yaml:"seed"`
}

// Defaults returns the built-in distributions.
func Defaults() Params {
	p := scenario.P
	return Params{
		UsableAreaRelSigma:      p(0.12, "fraction (1σ)", "from the roof obstruction factor 0.15 ± 0.1 (pv.roof.obstruction_factor) taken as 1σ: 0.1/0.85 ≈ 0.12 of usable area"),
		PitchSigmaDeg:           p(10, "deg (1σ)", "our assumption, taken as 1σ (range 5–15°): real roof pitches scatter around the modelled one (pv.roof.pitch: the regional typical pitch of the roof covering, else pv.roof.pitch_deg)"),
		WeatherSigmaPct:         p(5, "% (1σ)", "inter-annual σ of annual irradiation, 4–6 % in France; PVsyst default after Ineichen 2011 (Univ. Geneva) year-to-year study; Thevenard & Pelland 2013 found 3.9 % (Toronto)"),
		PerformanceSigmaPct:     p(5, "% (1σ)", "our assumption, after Thevenard & Pelland 2013 (Solar Energy 91, doi:10.1016/j.solener.2011.05.006): plane-of-array 3 %, module rating 3 %, soiling 2 %, other 5 %"),
		EscalationSigmaPct:      p(1.0, "%/yr (1σ)", "our assumption"),
		ResourceBiasPctPer100Km: p(2, "% per 100 km (1σ)", "our assumption, range 1–4: annual irradiation varies by ≈ 10–15 % over 500 km across western France (PVGIS-SARAH maps: Brittany ≈ 1,150 vs Gironde ≈ 1,350 kWh/m²·yr on the horizontal), ≈ 2–3 % per 100 km; half of the gradient is taken as 1σ because the direction of the offset is unknown"),
		Draws:                   p(500, "draws", "our assumption"),
		Seed:                    p(1, "", "our assumption: fixed seed for reproducible results"),
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
		{Key: "resource_bias_pct_per_100km", P: p.ResourceBiasPctPer100Km, Lo: 0, Hi: 50},
		{Key: "escalation_sigma_pct", P: p.EscalationSigmaPct, Lo: 0, Hi: 20},
		{Key: "draws", P: p.Draws, Lo: 1, Hi: 1e6, Whole: true},
		{Key: "seed", P: p.Seed, Lo: 0, Hi: 1 << 53, Whole: true},
	}); err != nil {
		return err
	}
	return nil
}
