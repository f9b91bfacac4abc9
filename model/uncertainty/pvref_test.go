package uncertainty

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gisement/gisement/model/econ"
)

// pvRef is MonteCarlo.PV before issue 16's speed-up, kept as the
// reference: premium annuity and inverter cost looked up per draw, the
// quantiles of the fully sorted draws (Quantile).
func (m *MonteCarlo) pvRef(in PVUncertaintyInput) (Quantiles, error) {
	o := in.Econ
	if !(o.KWp >= 0) || math.IsInf(o.KWp, 0) || !(o.YieldKWhYr1 >= 0) || math.IsInf(o.YieldKWhYr1, 0) {
		return Quantiles{}, fmt.Errorf("%w: kWp %g and yield %g kWh/yr must be finite and ≥ 0", econ.ErrEconomics, o.KWp, o.YieldKWhYr1)
	}
	if s := o.SelfConsumptionShare; s != nil && !(*s >= 0 && *s <= 1) {
		return Quantiles{}, fmt.Errorf("%w: self-consumption share %g must be in [0, 1]", econ.ErrEconomics, *s)
	}
	ys, npvs := make([]float64, m.n), make([]float64, m.n)
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
	var sum, sum2 float64
	for j := 0; j < m.n; j++ {
		a := clamp0(1 + sigA*m.zArea[j])
		dp := m.sigPitch * m.zPitch[j]
		p := clamp0(1 + s1*dp + 0.5*s2*dp*dp)
		perf := clamp0(1 + m.sigPerf*m.zPerf[j])
		common := o.YieldKWhYr1 * a * p * perf
		y := common * clamp0(1+m.sigW*m.zWeather[j])
		ylife := common * clamp0(1+m.sigWLife*m.zWeather[j])
		kWp := o.KWp * a
		t := &base
		if !(kWp > lo && kWp <= hi) {
			other, _ = econ.ResolvePV(m.sc, &o, kWp)
			t = &other
		}
		ys[j] = y
		pa, ok := m.premiumAnn[t.PremiumYears()]
		if !ok {
			pa = m.ann[j].PremiumAnnuity(t.PremiumYears())
		}
		npvs[j] = t.NPVWith(&m.ann[j], pa, t.InverterPerKWp(m.sc), kWp, ylife)
		sum += y
		sum2 += y * y
	}
	n := float64(m.n)
	mean := sum / n
	qy, qn := refQuantiles(ys), refQuantiles(npvs)
	q := Quantiles{
		YieldP90KWh: qy[0], YieldP50KWh: qy[1], YieldP10KWh: qy[2],
		NPVP90EUR: qn[0], NPVP50EUR: qn[1], NPVP10EUR: qn[2],
		YieldMeanKWh: mean,
	}
	if m.n > 1 {
		q.YieldStdKWh = math.Sqrt(math.Max(0, (sum2-n*mean*mean)/(n-1)))
	}
	return q, nil
}

// refQuantiles: P90/P50/P10 (the 10th, 50th, 90th percentiles) of the
// fully sorted x, NaN when x holds a NaN (QuantilesUnsorted's contract).
func refQuantiles(x []float64) [3]float64 {
	if slices.ContainsFunc(x, math.IsNaN) {
		return [3]float64{math.NaN(), math.NaN(), math.NaN()}
	}
	slices.Sort(x)
	return [3]float64{Quantile(0.10, x), Quantile(0.50, x), Quantile(0.90, x)}
}

// TestMonteCarloPVMatchesReference: PV returns the reference's quantiles,
// mean and standard deviation bit for bit on 3,000 random installations
// (fixed seed): the study's parcels (known area) and installations whose
// drawn area crosses S21 classes, every segment, kind and sale mode,
// given shares, pitch sensitivities, zero yields, yields overflowing to
// infinity (NaN NPVs), 50–2,000 draws, with and without a resource bias;
// and the same errors.
func TestMonteCarloPVMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 5))
	sc := defaultScenario()
	mcs := []*MonteCarlo{newMC(sc, 500, 1), newMC(sc, 50, 2), newMC(sc, 2000, 3), newMC(sc, 500, 4).WithResourceBias(3)}
	segs := []econ.Segment{econ.SegmentResidential, econ.SegmentTertiary, econ.SegmentIndustrial, econ.SegmentAgricultural, "", "bogus"}
	kinds := []econ.PVKind{econ.PVRooftop, econ.PVRooftop, econ.PVGround, econ.PVCarport}
	sales := []econ.SaleMode{econ.SaleAuto, econ.SaleAuto, econ.SaleSurplus, econ.SaleFull}
	buf := []float64(nil)
	for i := 0; i < 3000; i++ {
		m := mcs[i%len(mcs)]
		kwp := 0.5 + 900*math.Pow(rng.Float64(), 3)
		in := PVUncertaintyInput{Econ: econ.PVEconomicsOptions{Kind: kinds[rng.IntN(len(kinds))], Segment: segs[rng.IntN(len(segs))],
			Sale: sales[rng.IntN(len(sales))], KWp: kwp, YieldKWhYr1: kwp * (700 + 700*rng.Float64())}, FixedArea: rng.IntN(2) == 0}
		switch rng.IntN(4) {
		case 0:
			in.Econ.SelfConsumptionShare = new(float64)
		case 1:
			s := rng.Float64()
			in.Econ.SelfConsumptionShare = &s
		case 2:
			if i%40 == 2 {
				s := 1.5
				in.Econ.SelfConsumptionShare = &s
			}
		}
		if rng.IntN(3) > 0 {
			in.PitchSensitivityPerDeg, in.PitchCurvaturePerDeg2 = 0.004*rng.Float64()-0.002, -0.0003*rng.Float64()
		}
		if i%97 == 0 {
			in.Econ.YieldKWhYr1 = 0
		}
		if i%131 == 0 {
			in.Econ.KWp = math.NaN()
		}
		if i%53 == 0 { // draws overflow to +Inf, NPVs to ±Inf or NaN: the scanning path
			in.Econ.YieldKWhYr1 = 1.7e308
		}
		if i%3 == 0 {
			buf = nil // PV's own buffer
		} else if len(buf) < 2*m.N() {
			buf = make([]float64, 2*m.N())
		}
		got, gerr := m.PV(in, buf)
		want, werr := m.pvRef(in)
		if fmt.Sprint(gerr) != fmt.Sprint(werr) || fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
			t.Fatalf("case %d %+v: got %+v (%v)\nwant %+v (%v)", i, in, got, gerr, want, werr)
		}
	}
}
