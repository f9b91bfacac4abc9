package surface

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/crs"
	"github.com/gisement/gisement/geo/raster"
	"github.com/gisement/gisement/internal/rankstat"
	"github.com/gisement/gisement/solar"
	"github.com/gisement/gisement/solar/spa"
	"github.com/gisement/gisement/solar/weather"
)

// Settings of testdata/rsun/rsun_benchmark.py (GRASS r.sun run).
const (
	rsunLinke  = 3.0
	rsunAlbedo = 0.2
)

// rsunDays are the days of year r.sun was run for: every 14th from day 4.
func rsunDays() []int {
	var d []int
	for j := 4; j <= 365; j += 14 {
		d = append(d, j)
	}
	return d
}

// esraClearSky returns the ESRA clear-sky beam normal and diffuse horizontal
// irradiance (W/m²) that r.sun computes (Rigollier, Bauer & Wald 2000,
// "On the clear sky model of the ESRA", Solar Energy 68(1):33–48,
// doi:10.1016/S0038-092X(99)00055-9; as implemented in r.sun, Šúri &
// Hofierka 2004, Transactions in GIS 8(2):175–190): day of year doy, solar
// altitude h0 (degrees, without refraction), site elevation z (m), Linke
// turbidity tl (air mass 2).
func esraClearSky(doy int, h0Deg, z, tl float64) (bn, dh float64) {
	if h0Deg <= 0 {
		return 0, 0
	}
	g0 := 1367 * (1 + 0.03344*math.Cos(2*math.Pi*float64(doy)/365.25-0.048869))
	h0 := h0Deg * math.Pi / 180
	dRef := 0.061359 * (0.1594 + 1.123*h0 + 0.065656*h0*h0) / (1 + 28.9344*h0 + 277.3971*h0*h0)
	h0r := h0 + dRef
	m := math.Exp(-z/8434.5) / (math.Sin(h0r) + 0.50572*math.Pow(h0r*180/math.Pi+6.07995, -1.6364))
	var dR float64
	if m <= 20 {
		dR = 1 / (6.6296 + 1.7513*m - 0.1202*m*m + 0.0065*m*m*m - 0.00013*m*m*m*m)
	} else {
		dR = 1 / (10.4 + 0.718*m)
	}
	bn = g0 * math.Exp(-0.8662*tl*m*dR)
	tn := -0.015843 + 0.030543*tl + 0.0003797*tl*tl
	a1 := 0.26463 - 0.061581*tl + 0.0031408*tl*tl
	if a1*tn < 0.0022 {
		a1 = 0.0022 / tn
	}
	a2 := 2.04020 + 0.018945*tl - 0.011161*tl*tl
	a3 := -1.3025 + 0.039231*tl + 0.0085079*tl*tl
	s := math.Sin(h0)
	dh = g0 * tn * (a1 + a2*s + a3*s*s)
	return bn, math.Max(dh, 0)
}

// clearSkySeries builds an hourly weather series of the r.sun days with the
// ESRA clear sky at (lon, lat), elevation z, at r.sun's time steps: r.sun's
// time is apparent (true) solar time, hour angle (t − 12)·15°, and the
// script runs t = h + 0.5; the UTC instant of that solar time is
// t − lon/15 h − the equation of time (SPA, at the day's solar noon).
func clearSkySeries(lon, lat, z float64) *weather.Series {
	s := &weather.Series{Source: "ESRA clear sky (r.sun settings)", Format: "generic", LatDeg: lat, LonDeg: lon, ElevationM: z,
		StepH: 1, IrradianceTimeOffsetH: 0.5, PlaneTiltDeg: math.NaN(), PlaneAzimuthDeg: math.NaN()}
	hours := func(h float64) time.Duration { return time.Duration(h * float64(time.Hour)) }
	for _, d := range rsunDays() {
		day := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d-1)
		eot := spa.Position(day.Add(hours(12-lon/15)), lat, lon, spa.Options{ElevationM: z}).EquationOfTimeMin
		for h := 0; h < 24; h++ {
			sun := day.Add(hours(float64(h) + 0.5 - lon/15 - eot/60))
			st := sun.Add(-30 * time.Minute)
			p := spa.Position(sun, lat, lon, spa.Options{ElevationM: z})
			bn, dh := esraClearSky(d, p.ElevationDeg, z, rsunLinke)
			bh := bn * math.Max(0, math.Sin(p.ElevationDeg*math.Pi/180))
			nan := math.NaN()
			s.Records = append(s.Records, weather.Record{Start: st, Sun: sun, GHIWm2: bh + dh, DNIWm2: bn, DHIWm2: dh,
				TempAirC: 20, WindMS: 1, PressureHPa: nan, POAGlobalWm2: nan, POABeamWm2: nan, POADiffuseWm2: nan,
				POAGroundWm2: nan, SunHeightDeg: nan, PowerW: nan, CellTempC: nan, DCW: nan, ACW: nan})
		}
	}
	return s
}

type rsunRow struct {
	cells                                      int
	globShaded, globOpen, beamShaded, beamOpen float64
}

func readRSun(t *testing.T) map[string]rsunRow {
	f, err := os.Open("testdata/rsun/montpellier_rsun_buildings.csv")
	if err != nil {
		t.Skipf("r.sun reference not generated (testdata/rsun/rsun_benchmark.py): %v", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]rsunRow{}
	for i, row := range rows[1:] {
		var v [5]float64
		for j := 1; j < 6; j++ {
			if v[j-1], err = strconv.ParseFloat(row[j], 64); err != nil {
				t.Fatalf("r.sun CSV row %d field %d: %v", i+2, j+1, err)
			}
		}
		out[row[0]] = rsunRow{int(v[0]), v[1], v[2], v[3], v[4]}
	}
	return out
}

// readRSunCells reads r.sun's per-cell annual global irradiation on the
// roof cells (shaded, unshaded), or skips.
func readRSunCells(t *testing.T) (shaded, open *raster.Grid) {
	var err error
	if shaded, err = raster.ReadGeoTIFF("testdata/rsun/montpellier_rsun_glob_shaded.tif"); err != nil {
		t.Skipf("r.sun per-cell reference not generated (testdata/rsun/rsun_benchmark.py): %v", err)
	}
	if open, err = raster.ReadGeoTIFF("testdata/rsun/montpellier_rsun_glob_unshaded.tif"); err != nil {
		t.Skipf("r.sun per-cell reference not generated (testdata/rsun/rsun_benchmark.py): %v", err)
	}
	return shaded, open
}

// TestShadingAgainstRSun compares, per building of the Montpellier block, the
// annual roof irradiation of this package's facets and DSM horizons (solar.Sky,
// Perez transposition, driven by the same ESRA clear sky as r.sun at r.sun's
// time steps) with GRASS r.sun run on the same DSM (testdata/rsun; mode 1
// summed hourly, see the script for why not mode 2). Ours is the mean over
// the usable facets (weighted by horizontal area) of each facet's mean
// irradiation over its horizon profiles (= over its sample points). It must
// agree within 10 % with r.sun's mean over the SAME cells (the pixels of the
// usable facets, read from r.sun's per-cell rasters), and within 10 % with
// r.sun's mean over all the footprint's roof cells (slope < 60°, the
// per-building CSV). Ranking rule for "the tree-shaded roofs ranked as
// such": with the shading loss 1 − shaded/unshaded per building (same
// cells), r.sun's three most shaded roofs must be our three most shaded
// (same set), and the Spearman rank correlation of the ten losses must be
// at least 0.8 (p < 0.01 for n = 10).
func TestShadingAgainstRSun(t *testing.T) {
	ref := readRSun(t)
	rsShaded, rsOpen := readRSunCells(t)
	_, roofs := analyseMontpellier(t, true)
	ll := crs.Lambert93ToLonLat(orb.Point{770575, 6277550})
	sky, err := solar.PrepareSky(clearSkySeries(ll[0], ll[1], 25), solar.SkyOptions{Albedo: rsunAlbedo, AlbedoKnown: true})
	if err != nil {
		t.Fatal(err)
	}
	scale := 365.0 / float64(len(rsunDays()))
	poa := make([]solar.POA, sky.Len())
	type res struct {
		id                   string
		ours, oursOpen       float64 // kWh/m², usable facets
		cells, cellsOpen     float64 // r.sun on the same cells
		rs, rsO              float64 // r.sun over the footprint's roof cells
		nCells, nCellsMissed int
	}
	var all []res
	for _, r := range roofs {
		rr, ok := ref[r.ID]
		if !ok {
			t.Errorf("%s: not in the r.sun reference", r.ID)
			continue
		}
		x := res{id: r.ID, rs: rr.globShaded, rsO: rr.globOpen}
		var w, beam, beamOpen float64 // W/m² × h summed (ratios only)
		for _, f := range r.Facets {
			if f.Excluded != "" {
				continue
			}
			p := solar.Plane{TiltDeg: f.TiltDeg, AzimuthDeg: f.AzimuthDeg}
			w += f.HorizontalM2
			x.oursOpen += f.HorizontalM2 * sky.AnnualPOA(p, nil) * scale
			// The facet's irradiation: mean over its horizon profiles.
			for _, hp := range f.HorizonProfiles {
				k := f.HorizontalM2 * scale / float64(len(f.HorizonProfiles))
				x.ours += k * sky.AnnualPOA(p, &solar.Horizon{ElevationDeg: hp})
				n := sky.PlaneIrradiance(p, &solar.Horizon{ElevationDeg: hp}, poa)
				for _, q := range poa[:n] {
					beam += k * q.Beam
				}
			}
			n := sky.PlaneIrradiance(p, nil, poa)
			for _, q := range poa[:n] {
				beamOpen += f.HorizontalM2 * scale * q.Beam
			}
		}
		if w == 0 {
			t.Errorf("%s: no usable facet", r.ID)
			continue
		}
		x.ours, x.oursOpen = x.ours/w, x.oursOpen/w
		// r.sun on the usable cells of the usable facets (the cells our
		// sample points are drawn from: inside the setback, Options.SetbackM).
		g := r.labels
		sb := int(math.Ceil(DefaultOptions().SetbackM/g.p - 1e-9))
		usable := func(i, j, l int) bool {
			for dj := -sb; dj <= sb; dj++ {
				for di := -sb; di <= sb; di++ {
					ii, jj := i+di, j+dj
					if ii < 0 || jj < 0 || ii >= g.w || jj >= g.h || g.l[jj*g.w+ii] != l {
						return false
					}
				}
			}
			return true
		}
		for j := 0; j < g.h; j++ {
			for i := 0; i < g.w; i++ {
				l := g.l[j*g.w+i]
				if l < 0 || r.Facets[l].Excluded != "" || !usable(i, j, l) {
					continue
				}
				c, rw, ok := rsShaded.CellOf(g.x0+(float64(i)+0.5)*g.p, g.y0-(float64(j)+0.5)*g.p)
				vs, ok1 := rsShaded.At(c, rw)
				vo, ok2 := rsOpen.At(c, rw)
				if !ok || !ok1 || !ok2 {
					x.nCellsMissed++ // r.sun's cell slope ≥ 60° (an edge) or outside its footprint raster
					continue
				}
				x.cells += vs
				x.cellsOpen += vo
				x.nCells++
			}
		}
		if x.nCells == 0 {
			t.Errorf("%s: no r.sun cell under the usable facets", r.ID)
			continue
		}
		x.cells, x.cellsOpen = x.cells/float64(x.nCells), x.cellsOpen/float64(x.nCells)
		all = append(all, x)
		d, dAll := (x.ours-x.cells)/x.cells, (x.ours-x.rs)/x.rs
		t.Logf("%s: ours %.0f kWh/m² (unshaded %.0f, loss %.1f %%); r.sun same %d cells (%d without value) %.0f (unshaded %.0f, loss %.1f %%): %+.1f %%; r.sun all roof cells %.0f (unshaded %.0f, loss %.1f %%): %+.1f %%",
			x.id, x.ours, x.oursOpen, 100*(1-x.ours/x.oursOpen), x.nCells, x.nCellsMissed, x.cells, x.cellsOpen, 100*(1-x.cells/x.cellsOpen), 100*d,
			x.rs, x.rsO, 100*(1-x.rs/x.rsO), 100*dAll)
		// The split (r.sun's over all its roof cells, from the CSV): beam
		// losses of the same order (ours 3–29 %, r.sun 5–29 %); r.sun's
		// diffuse + reflected loses 0.3–7 % where ours loses 4–35 % (Perez
		// circumsolar shaded with the beam, isotropic part reduced by the
		// sky-view factor): r.sun does not reduce the diffuse for the sky
		// the obstacles hide, the main source of the remaining differences.
		t.Logf("%s: beam loss ours %.1f %%, r.sun %.1f %%; diffuse+reflected loss ours %.1f %%, r.sun %.1f %%", x.id,
			100*(1-beam/beamOpen), 100*(1-rr.beamShaded/rr.beamOpen),
			100*(1-(x.ours*w-beam*sky.StepH/1000)/(x.oursOpen*w-beamOpen*sky.StepH/1000)), 100*(1-(rr.globShaded-rr.beamShaded)/(rr.globOpen-rr.beamOpen)))
		if math.Abs(d) > 0.10 {
			t.Errorf("%s: roof irradiation %.0f kWh/m², r.sun on the same cells %.0f (%+.1f %%, limit 10 %%)", x.id, x.ours, x.cells, 100*d)
		}
		if math.Abs(dAll) > 0.10 {
			t.Errorf("%s: roof irradiation %.0f kWh/m², r.sun over the roof cells %.0f (%+.1f %%, limit 10 %%)", x.id, x.ours, x.rs, 100*dAll)
		}
	}
	// Ranking of the shading losses (same cells).
	lossOurs, lossRS := make([]float64, len(all)), make([]float64, len(all))
	for i, x := range all {
		lossOurs[i], lossRS[i] = 1-x.ours/x.oursOpen, 1-x.cells/x.cellsOpen
	}
	ro, rs := rankstat.Ranks(lossOurs), rankstat.Ranks(lossRS)
	for i := range ro { // 1 = most shaded
		ro[i], rs[i] = float64(len(ro)+1)-ro[i], float64(len(rs)+1)-rs[i]
	}
	rho := rankstat.Spearman(lossOurs, lossRS)
	var top []string
	for i, x := range all {
		t.Logf("%s: shading loss rank r.sun #%.0f, ours #%.0f", x.id, rs[i], ro[i])
		if rs[i] <= 3 {
			top = append(top, x.id)
			if ro[i] > 3 {
				t.Errorf("%s is r.sun's #%.0f most shaded roof but ranks #%.0f here", x.id, rs[i], ro[i])
			}
		}
	}
	t.Logf("r.sun's three most shaded roofs %v; Spearman rank correlation of the losses %.3f (n = %d)", top, rho, len(all))
	if len(all) >= 5 && !(rho >= 0.8) {
		t.Errorf("Spearman rank correlation of the shading losses %.3f, want ≥ 0.8", rho)
	}
}
