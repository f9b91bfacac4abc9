package study

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/model/econ"
	"github.com/gisement/gisement/model/heat"
	"github.com/gisement/gisement/model/pv"
	"github.com/gisement/gisement/model/uncertainty"
	"github.com/gisement/gisement/solar"
)

// pvEconCase is one synthetic building for the owner-economics benchmark
// and reference test.
type pvEconCase struct {
	b     geo.Building
	br    BuildingResult
	roofs []pv.RoofPV
}

// testPVEconomics returns the study's owner economics under the default
// scenario with its self-consumption curves filled from a synthetic
// clear-sky-like PV shape (no weather year needed: both the code under
// test and the reference read the same curves), and n buildings drawn
// with a fixed seed: houses, flats, businesses, public buildings, farms,
// annexes; 1–4 planes on the curves' orientation bins.
func testPVEconomics(tb testing.TB, n int, seed uint64) (*pvEconomics, []pvEconCase) {
	tb.Helper()
	sc := econ.Defaults()
	u := uncertainty.Defaults()
	p, err := newPVEconomics(&sc, &u, uncertainty.YieldSpreadOf(&u, 40), nil, solar.System{})
	if err != nil {
		tb.Fatal(err)
	}
	tilts := []float64{0, 15, 30, 45}
	azs := []float64{90, 135, 180, 225, 270}
	for _, kind := range []econ.ProfileKind{econ.ProfileH25, econ.ProfileG25, econ.ProfileL25} {
		load, err := p.unitLoad(kind)
		if err != nil {
			tb.Fatal(err)
		}
		for _, tilt := range tilts {
			for _, az := range azs {
				shape := make([]float64, len(load))
				for h := range shape {
					day, hr := float64(h/24), float64(h%24)
					s := math.Sin(math.Pi*(hr-6)/12) * (1 + 0.4*math.Cos(2*math.Pi*(day-172)/365))
					s *= 1 + 0.002*tilt*math.Cos((az-180)*math.Pi/180)*math.Cos(math.Pi*(hr-12)/12)
					shape[h] = math.Max(0, s)
				}
				c, err := econ.NewSelfConsumptionCurve(shape, load)
				if err != nil {
					tb.Fatal(err)
				}
				e := &curveEntry{}
				e.once.Do(func() { e.c = c })
				p.crv[curveKey{tilt: int(tilt), az: int(az), kind: kind}] = e
			}
		}
	}
	rng := rand.New(rand.NewPCG(seed, 99))
	uses := []struct {
		use string
		seg econ.Segment
	}{{"Résidentiel", econ.SegmentResidential}, {"Résidentiel", econ.SegmentResidential}, {"Résidentiel", econ.SegmentResidential},
		{"Commercial et services", econ.SegmentTertiary}, {"Enseignement", econ.SegmentTertiary}, {"Industriel", econ.SegmentIndustrial},
		{"Agricole", econ.SegmentAgricultural}}
	out := make([]pvEconCase, n)
	for i := range out {
		u := uses[rng.IntN(len(uses))]
		c := pvEconCase{b: geo.Building{Use: u.use, FootprintM2: 40 + 800*rng.Float64()*rng.Float64(), Levels: 1 + rng.IntN(5)}}
		c.br.Segment, c.br.Heated = u.seg, rng.IntN(10) > 0
		c.br.Heat.FloorAreaM2 = c.b.FootprintM2 * float64(c.b.Levels)
		if u.seg == econ.SegmentResidential && c.b.Levels >= 3 {
			c.br.Heat.Kind = heat.MultiFamily
		}
		np := 1 + rng.IntN(4)
		for k := 0; k < np; k++ {
			kwp := c.b.FootprintM2 * (0.02 + 0.1*rng.Float64())
			c.roofs = append(c.roofs, pv.RoofPV{Kept: rng.IntN(8) > 0, KWp: kwp, SpecificYieldKWhKWp: 600 + 700*rng.Float64(),
				TiltDeg: tilts[rng.IntN(len(tilts))], AzimuthDeg: azs[rng.IntN(len(azs))]})
		}
		out[i] = c
	}
	return p, out
}

// buildingRef is pvEconomics.building before issue 16: the NPV quantiles
// by EvaluateNPV. The sizing is econ.BestSizeOnPlanes, itself checked bit
// for bit against the former scan in econ
// (TestBestSizeOnPlanesMatchesReference).
func (p *pvEconomics) buildingRef(b *geo.Building, br *BuildingResult, roofs []pv.RoofPV) BuildingPVEcon {
	var out BuildingPVEcon
	planes := make([]econ.PlaneCapacity, 0, len(roofs))
	best := -1
	for k := range roofs {
		r := &roofs[k]
		if !r.Kept || r.KWp <= 0 {
			continue
		}
		planes = append(planes, econ.PlaneCapacity{KWp: r.KWp, SpecificYield: r.SpecificYieldKWhKWp})
		if best < 0 || r.SpecificYieldKWhKWp > roofs[best].SpecificYieldKWhKWp {
			best = k
		}
	}
	if best < 0 {
		out.Reason = "no technical potential"
		return out
	}
	sc := &p.sc.PV
	out.Owner = ownerOf(b, br.Segment)
	floor := br.Heat.FloorAreaM2
	if !(floor > 0) {
		floor = b.FootprintM2 * math.Max(1, float64(b.Levels))
	}
	in := econ.SystemInput{Owner: out.Owner}
	minKWp, maxKWp := sc.ResidentialMinKWp.Value, math.Inf(1)
	switch out.Owner {
	case econ.OwnerHousehold:
		if !br.Heated {
			out.Reason = "unheated annex: no electricity use of its own"
			return out
		}
		out.Dwellings = 1
		if br.Heat.Kind == heat.MultiFamily {
			out.Dwellings = max(1, int(math.Round(floor/sc.FlatFloorAreaM2.Value)))
		}
		out.AnnualUseKWh = float64(out.Dwellings) * sc.HouseholdAnnualUseKWh.Value
		maxKWp = float64(out.Dwellings) * sc.ResidentialMaxKWp.Value
	case econ.OwnerFarm:
		share := p.sc.PV.SelfConsumption.Agricultural.Value
		in.SelfConsumptionShare = &share
		out.AnnualUseKWh = math.NaN()
	default:
		out.AnnualUseKWh = sc.NonResidentialElecKWhM2.Value * floor
	}
	if in.SelfConsumptionShare == nil {
		if !(out.AnnualUseKWh > 0) {
			out.Reason = "no electricity use"
			return out
		}
		c, err := p.curve(roofs[best].TiltDeg, roofs[best].AzimuthDeg, out.Owner.LoadProfileKind())
		if err != nil {
			out.Reason = "self-consumption curve: " + err.Error()
			return out
		}
		in.Curve = c.WithLoadScale(out.AnnualUseKWh)
	}
	total := 0.0
	for _, pl := range planes {
		total += pl.KWp
	}
	hi := math.Min(maxKWp, total)
	step := math.Max(0.5, (hi-minKWp)/sizeSteps)
	res, err := p.m.BestSizeOnPlanes(in, planes, minKWp, hi, step)
	if err != nil {
		out.Reason = fmt.Sprintf("sizing: %v", err)
		return out
	}
	out.OK, out.Best, out.Economic = true, res, res.NPVEUR >= 0
	// npvQuantiles with EvaluateNPV.
	const h = 0.01
	in.KWp = res.KWp
	y0 := res.SpecificYield
	at := func(m *econ.OwnerEconomics, f float64) float64 {
		in.SpecificYield = y0 * f
		r, err := m.EvaluateNPV(in)
		if err != nil {
			return math.NaN()
		}
		return r.NPVEUR
	}
	a := (at(p.m, 1+h) - at(p.m, 1-h)) / (2 * h)
	bb := (at(p.escHi, 1) - at(p.escLo, 1)) / 2
	sy := p.spread.SigmaPct / 100
	s := math.Sqrt(a*a*sy*sy + bb*bb)
	const z = 1.2815515655446004
	out.NPVP90EUR, out.NPVP10EUR = res.NPVEUR-z*s, res.NPVEUR+z*s
	return out
}

// TestPVEconBuildingMatchesReference: pvEconomics.building returns the
// former code's BuildingPVEcon bit for bit (every field, NaN included)
// on 3,000 synthetic buildings (fixed seed).
func TestPVEconBuildingMatchesReference(t *testing.T) {
	p, cases := testPVEconomics(t, 3000, 5)
	ok := 0
	for i := range cases {
		c := &cases[i]
		got := p.building(&c.b, &c.br, c.roofs)
		want := p.buildingRef(&c.b, &c.br, c.roofs)
		if g, w := fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", want); g != w {
			t.Fatalf("building %d: got\n%s\nwant\n%s", i, g, w)
		}
		if got.OK {
			ok++
		}
	}
	if ok < 1500 {
		t.Fatalf("only %d of %d buildings computed: the test does not exercise the sizing", ok, len(cases))
	}
	t.Logf("%d buildings (%d computed) identical to the reference", len(cases), ok)
}

// BenchmarkPVEconBuilding: the owner economics of 200 synthetic buildings
// (fixed seed; curves cached as in a running study): ns/op per 200
// buildings.
func BenchmarkPVEconBuilding(b *testing.B) {
	p, cases := testPVEconomics(b, 200, 1)
	b.ReportAllocs()
	for b.Loop() {
		for i := range cases {
			c := &cases[i]
			p.building(&c.b, &c.br, c.roofs)
		}
	}
}
