package econ

import (
	"math/rand/v2"
	"testing"
)

// sizingCase is one building of the sizing benchmark and of the
// fast-versus-reference comparison: an owner, its self-consumption (a
// curve, or a share for farms) and its roof planes.
type sizingCase struct {
	in          SystemInput
	planes      []PlaneCapacity
	min, max    float64
	step        float64
	description string
}

// sizingCases draws n buildings with a fixed seed: households (3–9 kWp on
// 1–4 planes), businesses and communities (up to a few hundred kWp),
// farms (a given share), yields 600–1,400 kWh/kWp, the study's step rule
// (sizeSteps = 40, at least 0.5 kWp).
func sizingCases(tb testing.TB, n int, seed uint64) []sizingCase {
	tb.Helper()
	shape := samplePVShape(tb)
	curves := map[ProfileKind]*SelfConsumptionCurve{}
	for _, k := range []ProfileKind{ProfileH25, ProfileG25, ProfileL25} {
		c, err := NewSelfConsumptionCurve(shape, mustLoad(tb, k, 1))
		if err != nil {
			tb.Fatal(err)
		}
		curves[k] = c
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	owners := []OwnerType{OwnerHousehold, OwnerHousehold, OwnerHousehold, OwnerBusiness, OwnerCommunity, OwnerFarm}
	out := make([]sizingCase, n)
	for i := range out {
		o := owners[rng.IntN(len(owners))]
		c := sizingCase{in: SystemInput{Owner: o}, min: 3, max: 1e9}
		np := 1 + rng.IntN(4)
		scale := 2 + 8*rng.Float64()
		if o != OwnerHousehold {
			scale = 5 + 150*rng.Float64()
		}
		for k := 0; k < np; k++ {
			c.planes = append(c.planes, PlaneCapacity{KWp: scale * (0.2 + rng.Float64()), SpecificYield: 600 + 800*rng.Float64()})
		}
		switch o {
		case OwnerHousehold:
			dw := 1 + rng.IntN(3)
			c.in.Curve = curves[ProfileH25].WithLoadScale(float64(dw) * 4700)
			c.max = 9 * float64(dw)
		case OwnerFarm:
			s := 0.1 + 0.3*rng.Float64()
			c.in.SelfConsumptionShare = &s
		default:
			c.in.Curve = curves[ProfileG25].WithLoadScale(1000 + 200000*rng.Float64())
		}
		total := 0.0
		for _, p := range c.planes {
			total += p.KWp
		}
		hi := min(c.max, total)
		c.step = max(0.5, (hi-c.min)/40)
		c.description = string(o)
		out[i] = c
	}
	return out
}

// BenchmarkBestSizeOnPlanes sizes 200 buildings (fixed seed) per
// iteration, as pvEconomics.building does: ns/op is per 200 buildings.
func BenchmarkBestSizeOnPlanes(b *testing.B) {
	m := mustEcon(b)
	cases := sizingCases(b, 200, 1)
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cases {
			if _, err := m.BestSizeOnPlanes(c.in, c.planes, c.min, c.max, c.step); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkEvaluateNPV is one NPV-only evaluation (a household 6 kWp).
func BenchmarkEvaluateNPV(b *testing.B) {
	m := mustEcon(b)
	c, err := NewSelfConsumptionCurve(samplePVShape(b), mustLoad(b, ProfileH25, 4700))
	if err != nil {
		b.Fatal(err)
	}
	in := SystemInput{Owner: OwnerHousehold, KWp: 6, SpecificYield: 1150, Curve: c}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.EvaluateNPV(in); err != nil {
			b.Fatal(err)
		}
	}
}
