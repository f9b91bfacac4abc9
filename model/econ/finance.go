package econ

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/mat"
)

// ErrNoIRR is returned when a cash-flow series has no internal rate of
// return (no sign change, or no real rate above −100 %).
var ErrNoIRR = errors.New("no internal rate of return")

// NPV returns the net present value (€) of yearly cash flows cf (€), cf[0]
// at t = 0 (undiscounted, usually −investment), cf[t] at the end of year t,
// discounted at rate (fraction per year, e.g. 0.04):
//
//	NPV = Σ_t cf[t] / (1+rate)^t
//
// Convention as numpy-financial's npv and Excel's NPV shifted by one period
// (i.e. cf[0] is not discounted).
func NPV(rate float64, cf []float64) float64 {
	v := 0.0
	d := 1.0
	k := 1 / (1 + rate)
	for _, c := range cf {
		v += c * d
		d *= k
	}
	return v
}

// IRR returns the internal rate of return (fraction per year) of yearly cash
// flows cf, the rate r at which NPV(r, cf) = 0.
//
// Method: NPV is a polynomial in x = 1/(1+r): Σ cf[t]·x^t. For conventional
// flows (exactly one sign change), Descartes' rule of signs guarantees a
// single positive root x, which is bracketed and refined by bisection with
// secant steps (Brent-like, about 1 µs for 20 years — fast enough for every
// parcel of a territory). Otherwise all roots are computed as the eigenvalues
// of the polynomial's companion matrix with gonum's mat.Eigen — the method of
// numpy-financial's irr (numpy.roots) — and, as numpy-financial does, the real
// root with x > 0 whose rate is closest to zero is returned. gonum v0.17 has
// no scalar root finder (optimize.Bisection is a line searcher), hence the
// small hand-written bracketing solver.
func IRR(cf []float64) (float64, error) {
	changes := signChanges(cf)
	if changes == 0 {
		return math.NaN(), fmt.Errorf("%w: cash flows never change sign", ErrNoIRR)
	}
	if changes == 1 {
		return irrBracketed(cf)
	}
	// Several sign changes (e.g. an inverter replacement mid-life): scan the
	// NPV over plausible rates; when it changes sign exactly once there, the
	// root is unique in that range and is refined by bracketing (≈ 2 µs);
	// otherwise fall back to all the polynomial's roots (≈ 50 µs).
	if r, ok := irrScan(cf); ok {
		return r, nil
	}
	return irrCompanion(cf)
}

// irrScanRates are the rates (fraction/yr) at which irrScan samples the NPV.
var irrScanRates = func() []float64 {
	var rs []float64
	for r := -0.95; r < 1.0; r += 0.05 {
		rs = append(rs, r)
	}
	for r := 1.0; r <= 100; r *= 1.5 {
		rs = append(rs, r)
	}
	return rs
}()

// irrScan looks for exactly one sign change of NPV(r) over irrScanRates and
// refines it by bisection; ok is false when there is none or several.
func irrScan(cf []float64) (float64, bool) {
	n := 0
	var lo, hi, flo float64
	prevR, prevF := irrScanRates[0], NPV(irrScanRates[0], cf)
	for _, r := range irrScanRates[1:] {
		f := NPV(r, cf)
		if (f > 0) != (prevF > 0) {
			n++
			lo, hi, flo = prevR, r, prevF
		}
		prevR, prevF = r, f
	}
	if n != 1 {
		return math.NaN(), false
	}
	for i := 0; i < 100 && hi-lo > 1e-13*math.Max(1, math.Abs(hi)); i++ {
		m := 0.5 * (lo + hi)
		if fm := NPV(m, cf); (fm > 0) == (flo > 0) {
			lo, flo = m, fm
		} else {
			hi = m
		}
	}
	return 0.5 * (lo + hi), true
}

func signChanges(cf []float64) (n int) {
	prev := 0.0
	for _, c := range cf {
		if c == 0 {
			continue
		}
		s := math.Copysign(1, c)
		if prev != 0 && s != prev {
			n++
		}
		prev = s
	}
	return n
}

// irrBracketed solves Σ cf[t] x^t = 0 for x in (0, ∞) when there is exactly
// one sign change, then returns r = 1/x − 1.
func irrBracketed(cf []float64) (float64, error) {
	f := func(x float64) float64 {
		v, p := 0.0, 1.0
		for _, c := range cf {
			v += c * p
			p *= x
		}
		return v
	}
	// Rates from −99.99 % (x = 10000) down to +10000 % (x ≈ 1e-4).
	lo, hi := 1e-4, 1.0
	flo, fhi := f(lo), f(hi)
	for k := 0; flo*fhi > 0 && k < 60; k++ {
		hi *= 2
		if hi > 1e4 {
			break
		}
		fhi = f(hi)
	}
	if flo*fhi > 0 {
		return math.NaN(), fmt.Errorf("%w: no rate between −99.99 %% and +10000 %%", ErrNoIRR)
	}
	// Illinois (modified regula falsi): a and b always bracket the root.
	a, fa, b, fb := lo, flo, hi, fhi
	for i := 0; i < 200 && math.Abs(b-a) > 1e-15*math.Abs(b); i++ {
		x := b - fb*(b-a)/(fb-fa)
		fx := f(x)
		if fx == 0 {
			a, b = x, x
			break
		}
		if fx*fb < 0 {
			a, fa = b, fb
		} else {
			fa /= 2
		}
		b, fb = x, fx
	}
	lo, hi = a, b
	x := 0.5 * (lo + hi)
	return 1/x - 1, nil
}

func irrCompanion(cf []float64) (float64, error) {
	// Trim leading/trailing zeros: trailing zeros (highest degree) reduce the
	// degree, leading zeros are roots at x = 0 (r = ∞) and are irrelevant.
	hiDeg := len(cf) - 1
	for hiDeg > 0 && cf[hiDeg] == 0 {
		hiDeg--
	}
	loDeg := 0
	for loDeg < hiDeg && cf[loDeg] == 0 {
		loDeg++
	}
	c := cf[loDeg : hiDeg+1]
	n := len(c) - 1
	if n < 1 {
		return math.NaN(), ErrNoIRR
	}
	// Companion matrix of p(x) = Σ c[t] x^t, monic after division by c[n].
	m := mat.NewDense(n, n, nil)
	for i := 1; i < n; i++ {
		m.Set(i, i-1, 1)
	}
	for i := 0; i < n; i++ {
		m.Set(i, n-1, -c[i]/c[n])
	}
	var eig mat.Eigen
	if !eig.Factorize(m, mat.EigenNone) {
		return math.NaN(), fmt.Errorf("%w: eigenvalue decomposition failed", ErrNoIRR)
	}
	best := math.NaN()
	for _, z := range eig.Values(nil) {
		if math.Abs(imag(z)) > 1e-9*math.Max(1, cmplx.Abs(z)) || real(z) <= 0 {
			continue
		}
		r := 1/real(z) - 1
		if math.IsNaN(best) || math.Abs(r) < math.Abs(best) {
			best = r
		}
	}
	if math.IsNaN(best) {
		return best, fmt.Errorf("%w: no real positive root", ErrNoIRR)
	}
	return best, nil
}

// LCOEOptions are the inputs of a levelised cost of energy.
type LCOEOptions struct {
	InvestmentEUR   float64 // up-front cost at t = 0, €
	OpexEURPerYr    float64 // fixed yearly operating cost, € (constant real terms)
	EnergyKWhYr1    float64 // energy of the first year, kWh
	DegradationPct  float64 // yearly output decline, %/yr (e.g. 0.5)
	DiscountRatePct float64 // real discount rate, %/yr
	LifetimeYr      int
}

// LCOE returns the levelised cost of energy (€/kWh): discounted lifetime
// costs over discounted lifetime energy,
//
//	LCOE = (I + Σ_{t=1..N} O/(1+d)^t) / Σ_{t=1..N} E1·(1−δ)^(t−1)/(1+d)^t
//
// (NREL, "Simple Levelized Cost of Energy (LCOE) Calculator Documentation";
// IEA/NEA "Projected Costs of Generating Electricity" method). Returns NaN
// when there is no energy.
func LCOE(o LCOEOptions) float64 {
	d := o.DiscountRatePct / 100
	deg := o.DegradationPct / 100
	cost := o.InvestmentEUR
	energy := 0.0
	disc := 1.0
	out := o.EnergyKWhYr1
	for t := 1; t <= o.LifetimeYr; t++ {
		disc /= 1 + d
		cost += o.OpexEURPerYr * disc
		energy += out * disc
		out *= 1 - deg
	}
	if energy <= 0 {
		return math.NaN()
	}
	return cost / energy
}

// Payback returns the simple payback (years, undiscounted) and the
// discounted payback at rate (fraction/yr) of cash flows cf (cf[0] the
// investment, negative). The year is interpolated linearly within the year in
// which the cumulative flow turns non-negative. +Inf when never paid back.
func Payback(cf []float64, rate float64) (simpleYr, discountedYr float64) {
	return paybackAt(cf, 0), paybackAt(cf, rate)
}

func paybackAt(cf []float64, rate float64) float64 {
	if len(cf) == 0 {
		return math.Inf(1)
	}
	cum := cf[0]
	if cum >= 0 {
		return 0
	}
	d := 1.0
	for t := 1; t < len(cf); t++ {
		d /= 1 + rate
		v := cf[t] * d
		if cum+v >= 0 && v > 0 {
			return float64(t-1) + (-cum)/v
		}
		cum += v
	}
	return math.Inf(1)
}
