package pv

import (
	"context"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"

	"github.com/gisement/gisement/internal/shareddata"
	"github.com/gisement/gisement/solar"
	"github.com/gisement/gisement/solar/weather"
)

const laRochelleEPW = "weather/FRA_AC_La.Rochelle.Intl.AP.073160_TMYx.epw.gz"

var (
	pvSkyOnce sync.Once
	pvSky     *solar.Sky
	pvSeries  *weather.Series
	pvSkyErr  error
	pvFPOnce  sync.Once
	pvFP      *FastPath
	pvFPErr   error
)

// laRochelleSky prepares the La Rochelle TMYx sky once per test binary.
func laRochelleSky(tb testing.TB) (*solar.Sky, *weather.Series) {
	tb.Helper()
	p := shareddata.Path(tb, laRochelleEPW)
	pvSkyOnce.Do(func() {
		pvSeries, pvSkyErr = weather.Read(p, weather.Options{})
		if pvSkyErr == nil {
			pvSky, pvSkyErr = solar.PrepareSky(pvSeries, solar.SkyOptions{})
		}
	})
	if pvSkyErr != nil {
		tb.Fatal(pvSkyErr)
	}
	return pvSky, pvSeries
}

// laRochelleFastPath builds the default-roof-system fast path once.
func laRochelleFastPath(tb testing.TB) (*FastPath, *solar.Sky) {
	tb.Helper()
	sky, s := laRochelleSky(tb)
	pvFPOnce.Do(func() {
		pvFP, pvFPErr = NewFastPath(context.Background(), sky, s, testPV().System(), FastPathOptions{})
	})
	if pvFPErr != nil {
		tb.Fatal(pvFPErr)
	}
	return pvFP, sky
}

// syntheticHorizons returns SYNTHETIC 48-sector horizon profiles of varied
// shapes (labelled by name): uniform, southern wall, urban canyons, single
// tall neighbours, random smooth skylines.
func syntheticHorizons(rng *rand.Rand, nRandom int) (names []string, hs []*solar.Horizon) {
	add := func(name string, f func(az float64) float64) {
		e := make([]float64, 48)
		for i := range e {
			e[i] = math.Max(0, f(float64(i)*7.5))
		}
		names = append(names, name)
		hs = append(hs, &solar.Horizon{ElevationDeg: e})
	}
	for _, u := range []float64{2, 5, 10, 20, 35} {
		add("uniform", func(float64) float64 { return u })
	}
	add("south30", func(az float64) float64 {
		if az >= 90 && az <= 270 {
			return 30
		}
		return 0
	})
	add("canyonEW25", func(az float64) float64 { return 25 * math.Abs(math.Sin(az*math.Pi/180)) })
	add("canyonNS25", func(az float64) float64 { return 25 * math.Abs(math.Cos(az*math.Pi/180)) })
	add("tallSE", func(az float64) float64 {
		if math.Abs(az-135) <= 15 {
			return 40
		}
		return 3
	})
	add("tallSW", func(az float64) float64 {
		if math.Abs(az-225) <= 10 {
			return 50
		}
		return 0
	})
	add("west20", func(az float64) float64 {
		if az >= 200 && az <= 320 {
			return 20
		}
		return 0
	})
	for r := 0; r < nRandom; r++ {
		// Random skyline: a few Gaussian bumps on a low base.
		base := rng.Float64() * 6
		type bump struct{ az, w, h float64 }
		var bs []bump
		for k := 0; k < 1+rng.IntN(4); k++ {
			bs = append(bs, bump{rng.Float64() * 360, 5 + rng.Float64()*40, rng.Float64() * 35})
		}
		add("random", func(az float64) float64 {
			v := base
			for _, b := range bs {
				d := math.Abs(math.Mod(az-b.az+540, 360) - 180)
				v += b.h * math.Exp(-d*d/(2*b.w*b.w))
			}
			return v
		})
	}
	return names, hs
}

type errStats struct {
	n             int
	maxAbs, mean  float64
	p95           float64
	worst         string
	meanSigned    float64
	maxShadingPct float64
}

func summarise(errs []float64, labels []string) errStats {
	st := errStats{n: len(errs)}
	abs := make([]float64, len(errs))
	for i, e := range errs {
		abs[i] = math.Abs(e)
		st.mean += abs[i]
		st.meanSigned += e
		if abs[i] > st.maxAbs {
			st.maxAbs, st.worst = abs[i], labels[i]
		}
	}
	st.mean /= float64(len(errs))
	st.meanSigned /= float64(len(errs))
	sort.Float64s(abs)
	st.p95 = abs[int(0.95*float64(len(abs)-1))]
	return st
}

// TestFastPathGridVsHourly: without horizon the fast path is the bilinear
// interpolation of hourly results; off-grid planes must agree with the
// hourly model within 0.5 % of annual energy (and POA).
func TestFastPathGridVsHourly(t *testing.T) {
	fp, sky := laRochelleFastPath(t)
	rng := rand.New(rand.NewPCG(1, 2))
	sys := fp.System()
	var errs []float64
	var labels []string
	for i := 0; i < 60; i++ {
		tilt, az := rng.Float64()*90, rng.Float64()*360
		want := sky.Annual(solar.Plane{TiltDeg: tilt, AzimuthDeg: az}, nil, sys)
		got := fp.Plane(tilt, az, nil)
		errs = append(errs, 100*(got.SpecificYieldKWhKWp/want.SpecificYieldKWhKWp-1))
		labels = append(labels, "grid")
		if d := math.Abs(got.POAKWhM2/want.POAKWhM2 - 1); d > 0.005 {
			t.Errorf("tilt %.1f az %.1f: POA %.1f vs hourly %.1f kWh/m²", tilt, az, got.POAKWhM2, want.POAKWhM2)
		}
	}
	st := summarise(errs, labels)
	t.Logf("grid interpolation, %d planes: energy error max %.3f %%, mean |err| %.3f %%, p95 %.3f %%", st.n, st.maxAbs, st.mean, st.p95)
	if st.maxAbs > 0.5 {
		t.Errorf("max energy error %.3f %% > 0.5 %%", st.maxAbs)
	}
}

// TestFastPathVsHourly is the acceptance test of the fast path: planes of
// random tilt/azimuth under SYNTHETIC horizons of varied shapes, annual
// energy within 0.5 % of the full hourly simulation (solar.Sky.Annual with
// the horizon).
func TestFastPathVsHourly(t *testing.T) {
	fp, sky := laRochelleFastPath(t)
	rng := rand.New(rand.NewPCG(7, 11))
	names, hs := syntheticHorizons(rng, 40)
	sys := fp.System()
	var errs, poaErrs, monthErrs []float64
	var labels []string
	maxShade := 0.0
	for k, h := range hs {
		for j := 0; j < 6; j++ {
			tilt := rng.Float64() * 60
			az := rng.Float64() * 360
			if j == 0 {
				tilt, az = 30, 180
			}
			want := sky.Annual(solar.Plane{TiltDeg: tilt, AzimuthDeg: az}, h, sys)
			got := fp.Plane(tilt, az, h)
			e := 100 * (got.SpecificYieldKWhKWp/want.SpecificYieldKWhKWp - 1)
			errs = append(errs, e)
			poaErrs = append(poaErrs, 100*(got.POAKWhM2/want.POAKWhM2-1))
			labels = append(labels, names[k])
			shade := 100 * (1 - want.SpecificYieldKWhKWp/got.UnshadedYieldKWhKWp)
			maxShade = math.Max(maxShade, shade)
			// Monthly: absolute error relative to the annual energy.
			for m := range 12 {
				monthErrs = append(monthErrs, 100*(got.MonthlyKWhKWp[m]-want.Monthly[m].EnergyKWh)/want.SpecificYieldKWhKWp)
			}
			if math.Abs(e) > 0.5 {
				t.Errorf("%s tilt %.1f az %.1f: fast %.1f vs hourly %.1f kWh/kWp (%.2f %%, energy shading loss %.1f %%)",
					names[k], tilt, az, got.SpecificYieldKWhKWp, want.SpecificYieldKWhKWp, e, shade)
			}
		}
	}
	st := summarise(errs, labels)
	sp := summarise(poaErrs, labels)
	sm := summarise(monthErrs, make([]string, len(monthErrs)))
	t.Logf("fast vs hourly, %d planes × horizons (energy shading loss up to %.1f %%): annual energy error max %.3f %% (%s), mean |err| %.3f %%, p95 %.3f %%, mean signed %+.3f %%",
		st.n, maxShade, st.maxAbs, st.worst, st.mean, st.p95, st.meanSigned)
	t.Logf("annual POA error max %.3f %%, mean |err| %.3f %%; monthly energy error (share of annual) max %.3f %%, mean %.3f %%",
		sp.maxAbs, sp.mean, sm.maxAbs, sm.mean)
}

// TestFastPathSkyView compares the closed-form sky-view integral with
// solar.Horizon.SkyViewReduction (numerical, 360 × 0.25°).
func TestFastPathSkyView(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	_, hs := syntheticHorizons(rng, 10)
	worst := 0.0
	for _, h := range hs {
		for _, p := range []solar.Plane{{TiltDeg: 0, AzimuthDeg: 180}, {TiltDeg: 30, AzimuthDeg: 180}, {TiltDeg: 45, AzimuthDeg: 90}, {TiltDeg: 60, AzimuthDeg: 0}, {TiltDeg: 90, AzimuthDeg: 270}, {TiltDeg: 20, AzimuthDeg: 225}} {
			want := h.SkyViewReduction(p.TiltDeg, p.AzimuthDeg)
			sb, cb := math.Sincos(p.TiltDeg * math.Pi / 180)
			sg, cg := math.Sincos(p.AzimuthDeg * math.Pi / 180)
			grid := &skyGrid{n: len(h.ElevationDeg)}
			grid.setSkyView(4)
			got := skyView(h.ElevationDeg, grid, sb, cb, sg, cg)
			worst = math.Max(worst, math.Abs(got-want))
			if math.Abs(got-want) > 0.005 {
				t.Errorf("tilt %g az %g: sky view %.4f, solar.SkyViewReduction %.4f", p.TiltDeg, p.AzimuthDeg, got, want)
			}
		}
	}
	t.Logf("sky-view reduction: max |closed form − numerical| = %.5f", worst)
}

func BenchmarkFastPathBuild(b *testing.B) {
	sky, s := laRochelleSky(b)
	sys := testPV().System()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewFastPath(context.Background(), sky, s, sys, FastPathOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchHorizon() *solar.Horizon {
	_, hs := syntheticHorizons(rand.New(rand.NewPCG(5, 6)), 1)
	return hs[len(hs)-1] // a random 48-sector skyline
}

func BenchmarkFastPathPlane(b *testing.B) {
	fp, _ := laRochelleFastPath(b)
	benchPlane(b, fp)
}

// benchPlane evaluates one plane (32°, azimuth 200°) under benchHorizon
// per op.
func benchPlane(b *testing.B, e PlaneEvaluator) {
	h := benchHorizon()
	b.ReportAllocs()
	defer reportCPU(b)()
	var sink float64
	for b.Loop() {
		sink += e.Plane(32, 200, h).SpecificYieldKWhKWp
	}
	_ = sink
}

func BenchmarkHourlyPlane(b *testing.B) {
	fp, sky := laRochelleFastPath(b)
	h := benchHorizon()
	sys := fp.System()
	b.ReportAllocs()
	var sink float64
	for b.Loop() {
		sink += sky.Annual(solar.Plane{TiltDeg: 32, AzimuthDeg: 200}, h, sys).SpecificYieldKWhKWp
	}
	_ = sink
}
