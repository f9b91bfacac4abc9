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
		PitchSigmaDeg:           p(10, "deg (1σ)", "roof pitch 30° ± 10° (pv.roof.pitch_deg; our assumption, taken as 1σ)"),
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
	for _, c := range []struct {
		key    string
		p      scenario.Param
		lo, hi float64
		whole  bool
	}{
		{"usable_area_rel_sigma", p.UsableAreaRelSigma, 0, 1, false},
		{"pitch_sigma_deg", p.PitchSigmaDeg, 0, 45, false},
		{"weather_sigma_pct", p.WeatherSigmaPct, 0, 50, false},
		{"performance_sigma_pct", p.PerformanceSigmaPct, 0, 50, false},
		{"resource_bias_pct_per_100km", p.ResourceBiasPctPer100Km, 0, 50, false},
		{"escalation_sigma_pct", p.EscalationSigmaPct, 0, 20, false},
		{"draws", p.Draws, 1, 1e6, true},
		{"seed", p.Seed, 0, 1 << 53, true},
	} {
		if err := scenario.Check(c.key, c.p, c.lo, c.hi, c.whole); err != nil {
			return err
		}
	}
	return nil
}
