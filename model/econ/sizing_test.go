package econ

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// bestSizeRef is bestSize before the fast NPV (issue 16), kept as the
// reference: EvaluateNPV per size, FilledYield per size.
func (m *OwnerEconomics) bestSizeRef(in SystemInput, minKWp, maxKWp, stepKWp float64, yieldAt func(kWp float64) (float64, error)) (SystemResult, error) {
	if !(maxKWp > 0) || math.IsInf(maxKWp, 0) || !(stepKWp > 0) || !(minKWp >= 0) {
		return SystemResult{}, fmt.Errorf("%w: sizing range %g–%g kWp by %g: need 0 ≤ min, 0 < max, step > 0", ErrSystemInput, minKWp, maxKWp, stepKWp)
	}
	lo := math.Max(minKWp, stepKWp)
	if maxKWp < lo {
		lo = maxKWp
	}
	var best SystemResult
	bestIn := in
	found := false
	for i := 0; ; i++ {
		k := lo + float64(i)*stepKWp
		last := k >= maxKWp-1e-9
		if last {
			k = maxKWp
		}
		y, err := yieldAt(k)
		if err != nil {
			return SystemResult{}, err
		}
		in.KWp, in.SpecificYield = k, y
		r, err := m.EvaluateNPV(in)
		if err != nil {
			return SystemResult{}, err
		}
		if !found || r.NPVEUR > best.NPVEUR {
			best, bestIn, found = r, in, true
		}
		if last {
			break
		}
	}
	return m.Evaluate(bestIn)
}

func (m *OwnerEconomics) bestSizeOnPlanesRef(in SystemInput, planes []PlaneCapacity, minKWp, maxKWp, stepKWp float64) (SystemResult, error) {
	total := 0.0
	for _, p := range planes {
		total += p.KWp
	}
	if !(total > 0) {
		return SystemResult{}, fmt.Errorf("%w: the planes hold %g kWp", ErrSystemInput, total)
	}
	return m.bestSizeRef(in, minKWp, math.Min(maxKWp, total), stepKWp, func(k float64) (float64, error) { return FilledYield(planes, k) })
}

// exact formats a result with every float64 to its shortest exact
// representation (%v), NaN and −0 included: equal strings = equal bits.
func exact(v any) string { return fmt.Sprintf("%+v", v) }

// TestBestSizeOnPlanesMatchesReference: the fast scan picks the same size
// and returns the same SystemResult, bit for bit, as the former scan, on
// 3,000 random buildings (fixed seed; households, businesses,
// communities, farms; 1–4 planes), under the default parameters and under
// parameters that exercise the other paths (no 5.5 % VAT, inverter life
// dividing the lifetime, no contract, a 12-year premium, capex override).
func TestBestSizeOnPlanesMatchesReference(t *testing.T) {
	params := []func(*SystemParams){
		func(*SystemParams) {},
		func(p *SystemParams) {
			p.HouseholdReducedVATEligible.Value = 0
			p.InverterLifeYr.Value = 10
			p.PriceEscalationPct.Value = 3.7
			p.DegradationPctYr.Value = 0.8
		},
		func(p *SystemParams) {
			p.ContractYears.Value = 0
			p.LifetimeYr.Value = 25
			p.InverterLifeYr.Value = 0
		},
	}
	cases := sizingCases(t, 1000, 11)
	n := 0
	for pi, f := range params {
		sp := DefaultSystemParams()
		f(&sp)
		m, err := NewOwnerEconomics(sp)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range cases {
			in := c.in
			if i%7 == 3 {
				in.CapexEURPerKWpHT = 900 + float64(i%5)*100
			}
			got, gerr := m.BestSizeOnPlanes(in, c.planes, c.min, c.max, c.step)
			want, werr := m.bestSizeOnPlanesRef(in, c.planes, c.min, c.max, c.step)
			if fmt.Sprint(gerr) != fmt.Sprint(werr) || exact(got) != exact(want) {
				t.Fatalf("params %d case %d (%s): got %v %s\nwant %v %s", pi, i, c.description, gerr, exact(got), werr, exact(want))
			}
			n++
		}
	}
	// Errors: invalid planes, a range above the last band, bad ranges.
	m := mustEcon(t)
	c := cases[0]
	for _, bad := range []struct {
		planes             []PlaneCapacity
		min, max, step     float64
		selfShare          float64
		owner              OwnerType
		description, useIn string
	}{
		{[]PlaneCapacity{{KWp: 5, SpecificYield: math.Inf(1)}}, 3, 9, 0.5, -1, OwnerHousehold, "infinite yield", ""},
		{[]PlaneCapacity{{KWp: 5, SpecificYield: 1000}, {KWp: -1, SpecificYield: 900}}, 3, 9, 0.5, -1, OwnerHousehold, "negative plane", ""},
		{[]PlaneCapacity{{KWp: 5000, SpecificYield: 1000}}, 3, 1e9, 100, 0.2, OwnerFarm, "above the last band", ""},
		{[]PlaneCapacity{{KWp: 5, SpecificYield: 1000}}, 3, 9, 0, -1, OwnerHousehold, "zero step", ""},
		{[]PlaneCapacity{{KWp: 5, SpecificYield: 1000}}, 3, 9, 0.5, 1.5, OwnerFarm, "share above 1", ""},
		{[]PlaneCapacity{{KWp: 5, SpecificYield: 4000}}, 3, 9, 0.5, -1, OwnerHousehold, "yield above 3000", ""},
		{[]PlaneCapacity{{KWp: 5, SpecificYield: 1000}}, 3, 9, 0.5, -1, "landlord", "unknown owner", ""},
	} {
		in := c.in
		in.Owner = bad.owner
		if bad.selfShare >= 0 {
			s := bad.selfShare
			in.SelfConsumptionShare, in.Curve = &s, nil
		}
		got, gerr := m.BestSizeOnPlanes(in, bad.planes, bad.min, bad.max, bad.step)
		want, werr := m.bestSizeOnPlanesRef(in, bad.planes, bad.min, bad.max, bad.step)
		if fmt.Sprint(gerr) != fmt.Sprint(werr) || exact(got) != exact(want) {
			t.Errorf("%s: got %v %s\nwant %v %s", bad.description, gerr, exact(got), werr, exact(want))
		}
		n++
	}
	t.Logf("%d sizings identical to the reference", n)
}

// TestNPVFastMatchesEvaluate: NPVOf equals EvaluateNPV's NPVEUR bit for
// bit (and its error) on 20,000 random systems (fixed seed): every owner,
// 0.1–800 kWp across all bands and both sale options, curves, given
// shares, hourly profiles (evaluate's path), capex overrides and invalid
// inputs.
func TestNPVFastMatchesEvaluate(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	shape := samplePVShape(t)
	h25, err := NewSelfConsumptionCurve(shape, mustLoad(t, ProfileH25, 1))
	if err != nil {
		t.Fatal(err)
	}
	g25, err := NewSelfConsumptionCurve(shape, mustLoad(t, ProfileG25, 1))
	if err != nil {
		t.Fatal(err)
	}
	load := mustLoad(t, ProfileH25, 4700)
	sp := DefaultSystemParams()
	sp.InverterLifeYr.Value = 10
	alt, err := NewOwnerEconomics(sp)
	if err != nil {
		t.Fatal(err)
	}
	ms := []*OwnerEconomics{mustEcon(t), alt}
	owners := []OwnerType{OwnerHousehold, OwnerBusiness, OwnerCommunity, OwnerFarm, "", "landlord"}
	for i := 0; i < 20000; i++ {
		m := ms[i%2]
		in := SystemInput{Owner: owners[rng.IntN(len(owners))], KWp: 0.1 + 800*math.Pow(rng.Float64(), 3), SpecificYield: 500 + 1000*rng.Float64()}
		switch rng.IntN(6) {
		case 0:
			s := rng.Float64()
			in.SelfConsumptionShare = &s
		case 1:
			in.Curve = h25.WithLoadScale(1000 + 20000*rng.Float64())
		case 2:
			in.Curve = g25.WithLoadScale(1000 + 500000*rng.Float64())
		case 3:
			if i%50 == 0 {
				in.PVProfile, in.Load = shape, load
			} else {
				in.Curve = h25.WithLoadScale(4700)
			}
		case 4:
			in.Curve = g25.WithLoadScale(50000)
			in.CapexEURPerKWpHT = 700 + 800*rng.Float64()
		default: // invalid or edge inputs
			s := 0.3
			in.SelfConsumptionShare = &s
			switch rng.IntN(6) {
			case 0:
				in.KWp = -1
			case 1:
				in.SpecificYield = math.NaN()
			case 2:
				in.SpecificYield = 0
			case 3:
				in.CapexEURPerKWpHT = math.Inf(1)
			case 4:
				s = 1.2
			default:
				in.SelfConsumptionShare = nil
			}
		}
		r, werr := m.EvaluateNPV(in)
		got, gerr := m.NPVOf(in)
		if fmt.Sprint(gerr) != fmt.Sprint(werr) || math.Float64bits(got) != math.Float64bits(r.NPVEUR) {
			t.Fatalf("case %d %+v: NPVOf %v (%v), EvaluateNPV %v (%v)", i, in, got, gerr, r.NPVEUR, werr)
		}
	}
}

// TestNPVOfNoAlloc: NPVOf with a curve allocates nothing.
func TestNPVOfNoAlloc(t *testing.T) {
	m := mustEcon(t)
	c, err := NewSelfConsumptionCurve(samplePVShape(t), mustLoad(t, ProfileH25, 4700))
	if err != nil {
		t.Fatal(err)
	}
	in := SystemInput{Owner: OwnerHousehold, KWp: 6, SpecificYield: 1150, Curve: c}
	if a := testing.AllocsPerRun(100, func() {
		if _, err := m.NPVOf(in); err != nil {
			t.Fatal(err)
		}
	}); a != 0 {
		t.Errorf("%g allocations per NPVOf, want 0", a)
	}
}

// TestSystemIRRLengths: systemIRR equals the full scan for cash flows of
// 2–80 years (beyond irrTableYears the grid is discounted directly).
func TestSystemIRRLengths(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 1))
	for n := 0; n < 4000; n++ {
		cf := make([]float64, 2+rng.IntN(79))
		cf[0] = -(1000 + 20000*rng.Float64())
		for y := 1; y < len(cf); y++ {
			cf[y] = -cf[0] * (0.01 + 0.2*rng.Float64())
			if n%3 == 0 && rng.IntN(8) == 0 {
				cf[y] = -cf[y] * 3
			}
		}
		got, want := systemIRR(cf), fullScanIRR(cf)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("cash flow %d (%d years): IRR %v, full scan %v", n, len(cf)-1, got, want)
		}
	}
}

// TestSelfConsumedSearchMatchesSort: SelfConsumed's binary search finds
// sort.SearchFloat64s's index for random, boundary, zero, infinite and NaN
// sizes, so the self-consumption is the former one bit for bit.
func TestSelfConsumedSearchMatchesSort(t *testing.T) {
	c, err := NewSelfConsumptionCurve(samplePVShape(t), mustLoad(t, ProfileH25, 4700))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(8, 8))
	ks := []float64{0, math.Inf(1), math.NaN(), c.ratio[0], c.ratio[len(c.ratio)-1], math.Nextafter(c.ratio[10], 0)}
	for i := 0; i < 20000; i++ {
		ks = append(ks, c.ratio[rng.IntN(len(c.ratio))], 100*rng.Float64())
	}
	for _, kWp := range ks {
		for _, cc := range []*SelfConsumptionCurve{c, c.WithLoadScale(3.7)} {
			a := cc.loadScale()
			k := kWp / a
			i := sort.SearchFloat64s(cc.ratio, k)
			want := a * (cc.cumLd[i] + k*cc.cumPV[i])
			if got := cc.SelfConsumed(kWp); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("kWp %v: %v, with sort.SearchFloat64s %v", kWp, got, want)
			}
		}
	}
}
