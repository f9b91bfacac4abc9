package uncertainty

import (
	"github.com/gisement/gisement/model/econ"
	"math/rand/v2"
	"testing"
)

// BenchmarkQuantilesUnsorted: P90/P50/P10 of 500 normal draws (fixed
// seed), the Monte Carlo's per-parcel selection; the copy of the draws
// into the scratch slice is included.
func BenchmarkQuantilesUnsorted(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	src := make([]float64, 500)
	for i := range src {
		src[i] = 7200 * (1 + 0.05*rng.NormFloat64())
	}
	x := make([]float64, len(src))
	ps := []float64{0.10, 0.50, 0.90}
	var out [3]float64
	b.ReportAllocs()
	for b.Loop() {
		copy(x, src)
		QuantilesUnsorted(ps, x, out[:])
	}
}

// studyParcels are 64 parcels as the study passes them to PV (fixed seed):
// rooftop, the segment's self-consumption share replaced by 0 (the owners'
// hourly economics are kept apart), known area (FixedArea), 2–300 kWp at
// 900–1,300 kWh/kWp, pitch sensitivities of pitched and flat roofs.
func studyParcels() []PVUncertaintyInput {
	rng := rand.New(rand.NewPCG(3, 4))
	segs := []econ.Segment{econ.SegmentResidential, econ.SegmentResidential, econ.SegmentTertiary, econ.SegmentIndustrial, econ.SegmentAgricultural}
	out := make([]PVUncertaintyInput, 64)
	for i := range out {
		kwp := 2 + 298*rng.Float64()*rng.Float64()
		in := PVUncertaintyInput{Econ: econ.PVEconomicsOptions{Kind: econ.PVRooftop, Segment: segs[rng.IntN(len(segs))],
			KWp: kwp, YieldKWhYr1: kwp * (900 + 400*rng.Float64()), SelfConsumptionShare: new(float64)}, FixedArea: true}
		if rng.IntN(4) > 0 {
			in.PitchSensitivityPerDeg, in.PitchCurvaturePerDeg2 = 0.004*rng.Float64()-0.002, -0.0003*rng.Float64()
		}
		out[i] = in
	}
	return out
}

// BenchmarkMonteCarloStudyParcels runs the 64 studyParcels (500 draws):
// ns/op is per 64 parcels.
func BenchmarkMonteCarloStudyParcels(b *testing.B) {
	sc := defaultScenario()
	m := newMC(sc, 500, 1)
	buf := make([]float64, 2*m.N())
	ps := studyParcels()
	b.ReportAllocs()
	for b.Loop() {
		for _, in := range ps {
			if _, err := m.PV(in, buf); err != nil {
				b.Fatal(err)
			}
		}
	}
}
