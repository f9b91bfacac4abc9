package econ

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
)

// CapexCurve is a continuous turnkey price of rooftop PV, VAT excluded:
//
//	c(P) = A · P^B   (€ HT per Wp, P in kWp; B < 0: economies of scale)
//	capex(P) = 1000 · P · c(P)   (€ HT)
//
// It replaces size classes, whose steps created artificial cliffs in the
// NPV (9.0 vs 9.1 kWp, 36.0 vs 36.1 kWp in issue 12).
type CapexCurve struct {
	// A: € HT/Wp at 1 kWp; B: elasticity of the unit price to size.
	A float64 `json:"a_eur_per_wp_ht"`
	B float64 `json:"b_elasticity"`
	// MinKWp, MaxKWp: range of the price points the curve was fitted on;
	// outside it the curve is an extrapolation (reported, not refused).
	MinKWp float64 `json:"fitted_min_kwp"`
	MaxKWp float64 `json:"fitted_max_kwp"`
	// RMSLog: root mean square of the log residuals of the fit (≈ relative
	// error of the curve at the price points).
	RMSLog float64 `json:"rms_log_residual"`
}

// FitCapexCurve fits c(P) = A·P^B through the price points by ordinary
// least squares on ln c = ln A + B ln P (gonum stat.LinearRegression), each
// point weighted equally. It needs at least two distinct sizes.
func FitCapexCurve(pts []CapexPricePoint) (CapexCurve, error) {
	if len(pts) < 2 {
		return CapexCurve{}, fmt.Errorf("%w: capex curve: need ≥ 2 price points, have %d", ErrSystemParams, len(pts))
	}
	x := make([]float64, len(pts))
	y := make([]float64, len(pts))
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, p := range pts {
		if !(p.KWp > 0) || !(p.EURPerWpHT > 0) || math.IsInf(p.KWp, 0) || math.IsInf(p.EURPerWpHT, 0) {
			return CapexCurve{}, fmt.Errorf("%w: capex point %d: %g kWp at %g €/Wp: both must be finite and > 0", ErrSystemParams, i, p.KWp, p.EURPerWpHT)
		}
		x[i], y[i] = math.Log(p.KWp), math.Log(p.EURPerWpHT)
		lo, hi = math.Min(lo, p.KWp), math.Max(hi, p.KWp)
	}
	if lo == hi {
		return CapexCurve{}, fmt.Errorf("%w: capex curve: all price points at %g kWp; need two sizes", ErrSystemParams, lo)
	}
	alpha, beta := stat.LinearRegression(x, y, nil, false)
	c := CapexCurve{A: math.Exp(alpha), B: beta, MinKWp: lo, MaxKWp: hi}
	ss := 0.0
	for i := range x {
		r := y[i] - (alpha + beta*x[i])
		ss += r * r
	}
	c.RMSLog = math.Sqrt(ss / float64(len(x)))
	return c, nil
}

// EURPerWpHT returns the unit price at kWp, € HT/Wp (NaN for kWp ≤ 0).
func (c CapexCurve) EURPerWpHT(kWp float64) float64 {
	if !(kWp > 0) {
		return math.NaN()
	}
	return c.A * math.Pow(kWp, c.B)
}

// CapexHT returns the turnkey investment of a kWp system, € HT (0 for 0 kWp).
func (c CapexCurve) CapexHT(kWp float64) float64 {
	if kWp == 0 {
		return 0
	}
	return 1000 * kWp * c.EURPerWpHT(kWp)
}
