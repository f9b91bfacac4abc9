package uncertainty

import "math"

// z90 is the standard normal quantile of 0.9 (P90 = mean − z90·σ).
const z90 = 1.2815515655446004

// YieldSpread is the one-year uncertainty of a defined PV system's yield
// per kWp (kWh/kWp): three independent normal terms, combined in
// quadrature,
//
//	σ² = σ_weather² + σ_model² + (b · d/100 km)²
//
// with σ_weather the inter-annual variability of the annual irradiation
// (WeatherSigmaPct), σ_model the model and system error
// (PerformanceSigmaPct: transposition, module rating, soiling, losses;
// Thevenard & Pelland 2013, Solar Energy 91, doi:10.1016/j.solener.2011.05.006)
// and a resource bias growing with the distance d between the weather
// station and the territory (ResourceBiasPctPer100Km). The usable area is
// NOT a term: it changes the size of the potential, not the yield of a
// defined system, and is reported as a separate range (AreaRange).
//
// P50 is the deterministic yield (normal, symmetric); P90 = (1 − z·σ),
// P10 = (1 + z·σ), z = 1.2816, as ratios to P50 (PV-finance convention:
// P90 is exceeded with 90 % probability).
type YieldSpread struct {
	WeatherPct, ModelPct, BiasPct, DistanceKm float64
	// SigmaPct is the combined 1σ, %.
	SigmaPct float64
	// P90, P10: ratios to P50.
	P90, P10 float64
}

// YieldSpreadOf returns the spread for a weather station distanceKm from
// the territory.
func YieldSpreadOf(u *Params, distanceKm float64) YieldSpread {
	d := math.Max(0, distanceKm)
	if math.IsNaN(d) {
		d = 0
	}
	s := YieldSpread{WeatherPct: u.WeatherSigmaPct.Value, ModelPct: u.PerformanceSigmaPct.Value,
		BiasPct: u.ResourceBiasPctPer100Km.Value * d / 100, DistanceKm: d}
	s.SigmaPct = math.Sqrt(s.WeatherPct*s.WeatherPct + s.ModelPct*s.ModelPct + s.BiasPct*s.BiasPct)
	s.P90 = math.Max(0, 1-z90*s.SigmaPct/100)
	s.P10 = 1 + z90*s.SigmaPct/100
	return s
}

// AreaRange returns the low and high factors of the usable area (and so of
// a potential's kWp and kWh): the 10th and 90th percentiles of a normal
// with relative σ UsableAreaRelSigma, reported as a potential range.
func AreaRange(u *Params) (low, high float64) {
	s := u.UsableAreaRelSigma.Value
	return math.Max(0, 1-z90*s), 1 + z90*s
}

// WithResourceBias returns a copy of m whose model-error term also carries
// the resource bias (1σ, %) of a distant weather station (YieldSpread's
// BiasPct): σ_perf' = √(σ_perf² + σ_bias²), both being one draw per
// territory. The pre-drawn inputs are shared (read-only).
func (m *MonteCarlo) WithResourceBias(biasPct float64) *MonteCarlo {
	c := *m
	b := biasPct / 100
	c.sigPerf = math.Sqrt(m.sigPerf*m.sigPerf + b*b)
	return &c
}
