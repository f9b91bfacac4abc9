package solar

import (
	"math"
	"testing"
	"time"

	"github.com/gisement/gisement/solar/spa"
	"github.com/gisement/gisement/solar/weather"
)

// syntheticClearDay builds a SYNTHETIC series (not measured data): one day
// at lat 45° N, lon 0°, 10-minute steps, irradiance a function of the sun
// zenith only (DNI = 950·exp(−0.14/cos z), DHI = 80·cos z^0.5), so that any
// asymmetry between east and west planes can only come from the model.
func syntheticClearDay(days int) *weather.Series {
	s := &weather.Series{Source: "synthetic", Format: "synthetic", LatDeg: 45, LonDeg: 0, ElevationM: 0, StepH: 1.0 / 6}
	// Align the steps on solar transit so that samples are symmetric about
	// solar noon (transit found to the second by scanning SPA elevation).
	noon := time.Date(2021, 3, 20, 11, 30, 0, 0, time.UTC)
	best := -90.0
	var transit time.Time
	for d := 0; d < 5400; d++ {
		tt := noon.Add(time.Duration(d) * time.Second)
		if e := spa.Position(tt, 45, 0, spa.Options{}).ElevationDeg; e > best {
			best, transit = e, tt
		}
	}
	t0 := transit.Add(-12*time.Hour - 5*time.Minute)
	for i := 0; i < days*144; i++ {
		st := t0.Add(time.Duration(i) * 10 * time.Minute)
		sun := st.Add(5 * time.Minute)
		p := spa.Position(sun, 45, 0, spa.Options{})
		cz := math.Cos(p.ApparentZenithDeg * deg2rad)
		r := weather.Record{Start: st, Sun: sun, TempAirC: 15, WindMS: 2, PressureHPa: math.NaN(),
			GHIWm2: math.NaN(), DNIWm2: 0, DHIWm2: 0}
		if cz > 0 {
			r.DNIWm2 = 950 * math.Exp(-0.14/cz)
			r.DHIWm2 = 80 * math.Sqrt(cz)
		}
		s.Records = append(s.Records, r)
	}
	return s
}

// East- and west-facing roofs (a known complaint about diffuse bugs on E/W
// roofs, open-pv #248): with a day symmetric about solar noon, the daily POA
// of an east plane must equal that of the mirrored west plane, for every
// transposition model, and the east plane must receive more in the morning.
func TestEastWestSymmetry(t *testing.T) {
	s := syntheticClearDay(1)
	for _, tr := range []Transposition{Perez, HayDavies, Isotropic} {
		k, err := PrepareSky(s, SkyOptions{Transposition: tr})
		if err != nil {
			t.Fatal(err)
		}
		for _, tilt := range []float64{15, 35, 60, 90} {
			e := k.AnnualPOA(Plane{tilt, 90}, nil)
			w := k.AnnualPOA(Plane{tilt, 270}, nil)
			if d := 100 * math.Abs(e-w) / w; d > 0.5 {
				t.Errorf("%v tilt %g: east %.4f vs west %.4f kWh/m² differ by %.3f %%", tr, tilt, e, w, d)
			}
			// Morning/afternoon split.
			out := make([]POA, k.Len())
			k.PlaneIrradiance(Plane{tilt, 90}, nil, out)
			var am, pm float64
			for i, p := range out {
				if k.azDeg[i] < 180 {
					am += p.Global
				} else {
					pm += p.Global
				}
			}
			if !(am > pm) {
				t.Errorf("%v tilt %g: east plane morning %.1f not above afternoon %.1f", tr, tilt, am, pm)
			}
			// Diffuse alone must also be symmetric.
			var de, dw float64
			k.PlaneIrradiance(Plane{tilt, 90}, nil, out)
			for _, p := range out {
				de += p.SkyDiffuse
			}
			k.PlaneIrradiance(Plane{tilt, 270}, nil, out)
			for _, p := range out {
				dw += p.SkyDiffuse
			}
			if d := 100 * math.Abs(de-dw) / dw; d > 0.5 {
				t.Errorf("%v tilt %g: sky diffuse east %.1f vs west %.1f differ by %.3f %%", tr, tilt, de, dw, d)
			}
		}
	}
}

func TestPrepareSkyCompletesGHI(t *testing.T) {
	s := syntheticClearDay(1)
	k, err := PrepareSky(s, SkyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if k.Completed == 0 || k.Len() == 0 {
		t.Fatalf("completed %d, kept %d", k.Completed, k.Len())
	}
	for i := range k.rec {
		want := k.dni[i]*k.sz[i] + k.dhi[i]
		if math.Abs(k.ghi[i]-want) > 1e-9 {
			t.Fatalf("closure GHI = DNI cos z + DHI broken at %d: %g vs %g", i, k.ghi[i], want)
		}
	}
	n, err := Complete(s)
	if err != nil || n != len(s.Records) {
		t.Fatalf("Complete changed %d of %d, err %v", n, len(s.Records), err)
	}
}

func TestIAMTable(t *testing.T) {
	for _, f := range []func(float64) float64{IAMPVWatts, func(a float64) float64 { return IAMMartinRuiz(a, 0.16) }} {
		tab := newIAMTable(f)
		for a := 0.0; a < 89.9; a += 0.37 {
			c := math.Cos(a * deg2rad)
			if d := math.Abs(tab.at(c) - f(a)); d > 1e-4 {
				t.Fatalf("table error %g at %g°", d, a)
			}
		}
	}
}

func TestHorizonShading(t *testing.T) {
	s := syntheticClearDay(1)
	k, _ := PrepareSky(s, SkyOptions{})
	flat := k.AnnualPOA(Plane{30, 180}, nil)
	// A 90° wall all around blocks all beam and isotropic diffuse.
	wall := &Horizon{ElevationDeg: []float64{89.9, 89.9, 89.9, 89.9}}
	if r := wall.SkyViewReduction(0, 180); r > 0.01 {
		t.Errorf("sky view under a full wall = %g", r)
	}
	low := &Horizon{ElevationDeg: make([]float64, 48)}
	for i := range low.ElevationDeg {
		low.ElevationDeg[i] = 10
	}
	// Horizontal plane, uniform 10° skyline: isotropic view 1 − sin²(10°).
	want := 1 - math.Pow(math.Sin(10*deg2rad), 2)
	if r := low.SkyViewReduction(0, 180); math.Abs(r-want) > 2e-3 {
		t.Errorf("sky view reduction flat plane = %g, want %g", r, want)
	}
	shaded := k.AnnualPOA(Plane{30, 180}, low)
	if !(shaded < flat) {
		t.Errorf("10° horizon did not reduce POA: %g vs %g", shaded, flat)
	}
	sys := DefaultSystem(ModelPVGIS, MountFree)
	res := k.Annual(Plane{30, 180}, low, sys)
	if !(res.Losses.HorizonPct > 0) || math.Abs(res.POAKWhM2-shaded) > 1e-9 {
		t.Errorf("Annual horizon loss %g, POA %g vs %g", res.Losses.HorizonPct, res.POAKWhM2, shaded)
	}
	if !low.Blocked(180, 9) || low.Blocked(180, 11) {
		t.Error("Blocked wrong around a 10° skyline")
	}
}

func TestPVGISModelSanity(t *testing.T) {
	s := syntheticClearDay(1)
	k, _ := PrepareSky(s, SkyOptions{})
	sys := DefaultSystem(ModelPVGIS, MountFree)
	res := k.Annual(Plane{35, 180}, nil, sys)
	if !(res.EnergyKWh > 0) || !(res.EnergyKWh < res.POAKWhM2) {
		t.Fatalf("energy %g kWh for POA %g kWh/m² (1 kWp)", res.EnergyKWh, res.POAKWhM2)
	}
	if res.Losses.SystemPct != 14 || res.Losses.IAMPct <= 0 {
		t.Errorf("losses %+v", res.Losses)
	}
	roof := k.Annual(Plane{35, 180}, nil, DefaultSystem(ModelPVGIS, MountRoof))
	if !(roof.EnergyKWh < res.EnergyKWh) {
		t.Errorf("roof mount (hotter) gives %g ≥ free %g", roof.EnergyKWh, res.EnergyKWh)
	}
}
