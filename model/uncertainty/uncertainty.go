package uncertainty

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat"

	"github.com/gisement/gisement/model/econ"
	"gonum.org/v1/gonum/stat/distuv"
)

// MonteCarlo propagates the scenario's input uncertainties to the annual
// yield and the NPV of PV installations.
//
// Design for speed: NewMonteCarlo draws, once per run, one shared matrix of
// standard-normal variates (N draws × 5 inputs, gonum distuv.Normal on a
// math/rand/v2 PCG source with a fixed seed: reproducible), and the
// discount annuities of each draw's price escalation. Each installation is
// then a cheap function of the draws (yield = base × product of factors,
// NPV in closed form), so a parcel costs O(N) plus two selections of
// three quantiles among N values (QuantilesUnsorted),
// with no allocation when the caller passes a buffer. Using the same draws
// for every parcel (common random numbers) keeps comparisons between
// parcels free of sampling noise; totals over parcels must not be formed
// from per-parcel quantiles (quantiles do not add).
//
// Uncertain inputs (independent normals, 1σ from the scenario's
// uncertainty section; factors clamped at 0):
//   - usable-area fraction (roof-rule uncertainty): area and kWp × (1 + σa·z1);
//   - roof pitch: Δβ = σβ·z2 degrees; yield × (1 + S1·Δβ + ½·S2·Δβ²), with
//     S1, S2 the relative first and second derivatives of the yield with
//     respect to pitch supplied by the caller (see PitchSensitivity);
//   - weather year: annual yield × (1 + σw·z3) (inter-annual variability);
//     over the lifetime the mean of L independent years has σw/√L, used for
//     the NPV;
//   - module/system performance: × (1 + σm·z4);
//   - electricity price escalation: e + σe·z5 (%/yr), through the NPV.
//
// Convention (PV finance industry): P90 is the value exceeded with 90 %
// probability, i.e. the 10th percentile of the distribution; P10 the 90th
// percentile. So P90 ≤ P50 ≤ P10 for both yield and NPV.
type MonteCarlo struct {
	sc                                *econ.Params
	n                                 int
	zArea, zPitch, zWeather, zPerf    []float64
	ann                               []econ.PVAnnuities // per draw (escalation)
	sigArea, sigPitch, sigW, sigWLife float64
	sigPerf                           float64
	premiumAnn                        map[int]float64
	lifetimeYr                        int
	escalationPct, escalationSigmaPct float64
}

// NewMonteCarlo pre-draws n sets of inputs (n ≤ 0: the scenario's draws)
// with the given seed. The result is read-only and safe for concurrent use.
func NewMonteCarlo(u *Params, sc *econ.Params, n int, seed uint64) *MonteCarlo {
	if n <= 0 {
		n = int(u.Draws.Value)
	}
	if n <= 0 {
		n = 500
	}
	norm := distuv.Normal{Mu: 0, Sigma: 1, Src: rand.NewPCG(seed, 0x9e3779b97f4a7c15)}
	draw := func() []float64 {
		z := make([]float64, n)
		for i := range z {
			z[i] = norm.Rand()
		}
		return z
	}
	L := int(sc.PV.LifetimeYr.Value)
	m := &MonteCarlo{
		sc: sc, n: n,
		zArea: draw(), zPitch: draw(), zWeather: draw(), zPerf: draw(),
		sigArea:            u.UsableAreaRelSigma.Value,
		sigPitch:           u.PitchSigmaDeg.Value,
		sigW:               u.WeatherSigmaPct.Value / 100,
		sigWLife:           u.WeatherSigmaPct.Value / 100 / math.Sqrt(float64(max(L, 1))),
		sigPerf:            u.PerformanceSigmaPct.Value / 100,
		lifetimeYr:         L,
		escalationPct:      sc.Prices.ElectricityEscalationPct.Value,
		escalationSigmaPct: u.EscalationSigmaPct.Value,
		premiumAnn:         map[int]float64{},
	}
	zEsc := draw()
	m.ann = make([]econ.PVAnnuities, n)
	for j := range m.ann {
		m.ann[j] = econ.NewPVAnnuities(sc, m.escalationPct+m.escalationSigmaPct*zEsc[j])
	}
	for _, c := range sc.Tariffs.S21 {
		if _, ok := m.premiumAnn[c.PremiumYears]; !ok {
			m.premiumAnn[c.PremiumYears] = m.ann[0].PremiumAnnuity(c.PremiumYears)
		}
	}
	m.premiumAnn[1] = m.ann[0].PremiumAnnuity(1)
	return m
}

// N returns the number of draws.
func (m *MonteCarlo) N() int { return m.n }

// PVUncertaintyInput is one PV installation for the Monte Carlo.
type PVUncertaintyInput struct {
	// Econ is the deterministic case (kWp, year-1 yield, kind, segment,
	// self-consumption, sale mode).
	Econ econ.PVEconomicsOptions
	// PitchSensitivityPerDeg (1/deg) and PitchCurvaturePerDeg2 (1/deg²):
	// relative derivatives of the yield with respect to the roof pitch at the
	// assumed pitch (PitchSensitivity). Zero for flat roofs and ground PV:
	// no pitch uncertainty.
	PitchSensitivityPerDeg, PitchCurvaturePerDeg2 float64
	// FixedArea: the usable area and kWp are known (existing or designed
	// system): no roof-rule uncertainty.
	FixedArea bool
}

// Quantiles are P90/P50/P10 of the year-1 yield (kWh/yr) and of the NPV (€)
// in the PV-finance convention: P90 is exceeded with 90 % probability (the
// 10th percentile), P10 with 10 % (the 90th percentile). YieldMean and
// YieldStd are the sample mean and standard deviation of the yield.
type Quantiles struct {
	YieldP90KWh, YieldP50KWh, YieldP10KWh float64
	NPVP90EUR, NPVP50EUR, NPVP10EUR       float64
	YieldMeanKWh, YieldStdKWh             float64
}

// PitchSensitivity returns the relative first and second derivatives of a
// yield function f(pitchDeg) at pitchDeg by central differences with step
// stepDeg: S1 = (f(β+h) − f(β−h)) / (2h·f(β)), S2 = (f(β+h) − 2f(β) +
// f(β−h)) / (h²·f(β)). Call it once per roof plane (3 evaluations of f);
// zero when f(β) = 0. Pitches below 0 are clamped to 0 (f is evaluated at
// 0 and β+h then, one-sided).
func PitchSensitivity(f func(pitchDeg float64) float64, pitchDeg, stepDeg float64) (s1PerDeg, s2PerDeg2 float64) {
	if stepDeg <= 0 {
		stepDeg = 1
	}
	y0 := f(pitchDeg)
	if y0 == 0 || math.IsNaN(y0) {
		return 0, 0
	}
	lo := pitchDeg - stepDeg
	if lo < 0 { // one-sided forward differences
		y1, y2 := f(pitchDeg+stepDeg), f(pitchDeg+2*stepDeg)
		return (y1 - y0) / (stepDeg * y0), (y2 - 2*y1 + y0) / (stepDeg * stepDeg * y0)
	}
	yp, ym := f(pitchDeg+stepDeg), f(lo)
	return (yp - ym) / (2 * stepDeg * y0), (yp - 2*y0 + ym) / (stepDeg * stepDeg * y0)
}

// PV returns the quantiles of one installation. buf is scratch space of at
// least 2·N floats (reused across calls: no allocation); a shorter buf is
// replaced by a new one. Not safe for concurrent use of the same buf.
func (m *MonteCarlo) PV(in PVUncertaintyInput, buf []float64) (Quantiles, error) {
	o := in.Econ
	if !(o.KWp >= 0) || math.IsInf(o.KWp, 0) || !(o.YieldKWhYr1 >= 0) || math.IsInf(o.YieldKWhYr1, 0) {
		return Quantiles{}, fmt.Errorf("%w: kWp %g and yield %g kWh/yr must be finite and ≥ 0", econ.ErrEconomics, o.KWp, o.YieldKWhYr1)
	}
	if s := o.SelfConsumptionShare; s != nil && !(*s >= 0 && *s <= 1) {
		return Quantiles{}, fmt.Errorf("%w: self-consumption share %g must be in [0, 1]", econ.ErrEconomics, *s)
	}
	if len(buf) < 2*m.n {
		buf = make([]float64, 2*m.n)
	}
	ys, npvs := buf[:m.n], buf[m.n:2*m.n]
	base, err := econ.ResolvePV(m.sc, &o, o.KWp)
	if err != nil {
		return Quantiles{}, err
	}
	lo, hi := econ.ClassBounds(m.sc, o.KWp)
	var other econ.PVTerms
	sigA := m.sigArea
	if in.FixedArea {
		sigA = 0
	}
	s1, s2 := in.PitchSensitivityPerDeg, in.PitchCurvaturePerDeg2
	// The base terms' premium annuity and inverter cost, looked up once
	// (the same values the loop would look up per draw).
	basePA, baseHasPA := m.premiumAnn[base.PremiumYears()]
	baseInv := base.InverterPerKWp(m.sc)
	var sum, sum2 float64
	// Ranges of the draws for the quantile selection, exact when the sums
	// of the draws are finite (a NaN or an infinity among them would make
	// the sum NaN or infinite: then QuantilesUnsorted scans them itself).
	yLo, yHi, nLo, nHi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	var sumNPV float64
	for j := 0; j < m.n; j++ {
		a := clamp0(1 + sigA*m.zArea[j])
		dp := m.sigPitch * m.zPitch[j]
		p := clamp0(1 + s1*dp + 0.5*s2*dp*dp)
		perf := clamp0(1 + m.sigPerf*m.zPerf[j])
		common := o.YieldKWhYr1 * a * p * perf
		y := common * clamp0(1+m.sigW*m.zWeather[j])
		ylife := common * clamp0(1+m.sigWLife*m.zWeather[j])
		kWp := o.KWp * a
		t, pa, ok, inv := &base, basePA, baseHasPA, baseInv
		if !(kWp > lo && kWp <= hi) {
			// another size class: resolvePV does not allocate
			other, _ = econ.ResolvePV(m.sc, &o, kWp)
			t = &other
			pa, ok = m.premiumAnn[t.PremiumYears()]
			inv = t.InverterPerKWp(m.sc)
		}
		ys[j] = y
		if !ok {
			pa = m.ann[j].PremiumAnnuity(t.PremiumYears())
		}
		v := t.NPVWith(&m.ann[j], pa, inv, kWp, ylife)
		npvs[j] = v
		if y < yLo {
			yLo = y
		}
		if y > yHi {
			yHi = y
		}
		if v < nLo {
			nLo = v
		}
		if v > nHi {
			nHi = v
		}
		sumNPV += v
		sum += y
		sum2 += y * y
	}
	n := float64(m.n)
	mean := sum / n
	var qy, qn [3]float64
	ps := []float64{0.10, 0.50, 0.90}
	// = Quantile of the sorted draws
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	if finite(sum) {
		quantilesInRange(ps, ys, qy[:], yLo, yHi)
	} else {
		QuantilesUnsorted(ps, ys, qy[:])
	}
	if finite(sumNPV) {
		quantilesInRange(ps, npvs, qn[:], nLo, nHi)
	} else {
		QuantilesUnsorted(ps, npvs, qn[:])
	}
	q := Quantiles{
		YieldP90KWh:  qy[0],
		YieldP50KWh:  qy[1],
		YieldP10KWh:  qy[2],
		NPVP90EUR:    qn[0],
		NPVP50EUR:    qn[1],
		NPVP10EUR:    qn[2],
		YieldMeanKWh: mean,
	}
	if m.n > 1 {
		q.YieldStdKWh = math.Sqrt(math.Max(0, (sum2-n*mean*mean)/(n-1)))
	}
	return q, nil
}

// clamp0 is max(0, x) for finite x (math.Max also handles NaN and −0,
// which cost a third of the Monte Carlo loop).
func clamp0(x float64) float64 {
	if x < 0 {
		return 0
	}
	return x
}

// Quantile is gisement's one quantile definition: the p-quantile (0 ≤ p ≤
// 1) of the ascending-sorted values x, by gonum's stat.Quantile with the
// stat.LinInterp estimator (linear interpolation of the empirical
// distribution between sample values, flat outside; Hyndman & Fan 1996,
// "Sample quantiles in statistical packages", The American Statistician
// 50(4), definition 4). NaN for an empty x.
func Quantile(p float64, x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	return stat.Quantile(p, stat.LinInterp, x, nil)
}
