package study

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/geo/raster"
	"github.com/gisement/gisement/internal/shareddata"
	"github.com/gisement/gisement/solar"
	"github.com/gisement/gisement/solar/weather"
)

const (
	gridTIF     = "irradiance/france_irradiation_grid_0p05_derived.tif"
	gridCSV     = "irradiance/solairesimple_irradiation_communes_2025-10.csv.gz"
	laRochelle  = "weather/FRA_AC_La.Rochelle.Intl.AP.073160_TMYx.epw.gz"
	perigueuxBD = "buildings/perigueux_24322_bdnb_buildings.geojson.gz"
	paris11BD   = "buildings/paris11_75111_bdnb_buildings.geojson.gz"
)

// concatGeoJSON writes the features of several GeoJSON(.gz) files into one
// FeatureCollection (both inputs are BDNB extracts with the same properties).
func concatGeoJSON(t *testing.T, out string, paths ...string) {
	t.Helper()
	var all []json.RawMessage
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var fc struct {
			Features []json.RawMessage `json:"features"`
		}
		if err := json.Unmarshal(b, &fc); err != nil {
			t.Fatal(err)
		}
		all = append(all, fc.Features...)
	}
	b, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": all})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func box(lon0, lat0, lon1, lat1 float64) orb.Polygon {
	return orb.Polygon{{{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}}}
}

// The check: one study over Périgueux and Paris 11e buildings
// together (the two real BDNB files concatenated), one La Rochelle weather
// year and the France irradiance grid: each place gets its own factor and
// the ratio of median specific yields Paris/Périgueux is within 0.82–0.92
// (PVGIS gives about 0.87 for equal roofs).
func TestStudyTwoPlacesOwnFactors(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a two-district study")
	}
	dir := t.TempDir()
	both := filepath.Join(dir, "perigueux_plus_paris11.geojson")
	concatGeoJSON(t, both, shareddata.Path(t, perigueuxBD), shareddata.Path(t, paris11BD))
	// Two boxes (the town centre of Périgueux, the middle of Paris 11e) keep
	// the test to about two thousand buildings.
	area := orb.MultiPolygon{box(0.712, 45.180, 0.728, 45.190), box(2.370, 48.855, 2.386, 48.863)}
	r, err := Run(context.Background(), Options{BuildingsPath: both, WeatherPath: shareddata.Path(t, laRochelle),
		IrradiancePath: shareddata.Path(t, gridTIF), AreaWGS84: area})
	if err != nil {
		t.Fatal(err)
	}
	ps := r.PlaceScaling
	if ps == nil {
		t.Fatal("no place scaling reported")
	}
	t.Logf("place scaling: %+v", *ps)
	var warned bool
	for _, w := range r.Warnings {
		if len(w) > 16 && w[:16] == "irradiance grid " {
			warned = true
			t.Log(w)
		}
	}
	if !warned || ps.Groups < 2 || ps.Seasons != 4 {
		t.Errorf("warning %v, groups %d, seasons %d: want a warning, ≥ 2 groups, quarterly scaling", warned, ps.Groups, ps.Seasons)
	}
	// Specific yields (kWh/kWc) split by place (Lambert-93 northing: Paris
	// ≈ 6.86e6 m, Périgueux ≈ 6.46e6 m). "Equal roofs" as in the PVGIS
	// comparison: kept pitched planes facing south ± 45° with less than 5 %
	// shading loss, and kept flat roofs (modules on the same south racks at
	// both places).
	// The median over every building is logged, not asserted: it mixes the
	// two towns' roof stocks (Paris has more flat roofs and more shading)
	// and the keep threshold on absolute in-plane irradiation drops more
	// poor planes in the darker place.
	median := func(v []float64) float64 { sort.Float64s(v); return v[len(v)/2] }
	isParis := func(bi int) int {
		if r.Territory.Buildings[bi].Centroid.Y() > 6.7e6 {
			return 1
		}
		return 0
	}
	var south, flat, bld [2][]float64
	for _, rf := range r.PV.Roofs {
		if !rf.Kept {
			continue
		}
		k := isParis(rf.BuildingIdx)
		switch {
		case r.Territory.Buildings[rf.BuildingIdx].RoofType == "flat":
			flat[k] = append(flat[k], rf.SpecificYieldKWhKWp)
		case rf.AzimuthDeg >= 135 && rf.AzimuthDeg <= 225 && rf.ShadingLossPct < 5:
			south[k] = append(south[k], rf.SpecificYieldKWhKWp)
		}
	}
	for i, b := range r.Buildings {
		if b.PV.KWp > 0 {
			bld[isParis(i)] = append(bld[isParis(i)], b.PV.KWhYr/b.PV.KWp)
		}
	}
	for _, set := range []struct {
		name   string
		v      [2][]float64
		assert bool
	}{{"south-facing pitched planes, shading < 5 %", south, true}, {"flat roofs", flat, true}, {"all buildings", bld, false}} {
		if len(set.v[0]) < 50 || len(set.v[1]) < 50 {
			t.Fatalf("%s: %d Périgueux and %d Paris values", set.name, len(set.v[0]), len(set.v[1]))
		}
		mp, mx := median(set.v[0]), median(set.v[1])
		t.Logf("%s: Périgueux %d, median %.0f kWh/kWc; Paris 11e %d, median %.0f kWh/kWc; ratio Paris/Périgueux %.3f",
			set.name, len(set.v[0]), mp, len(set.v[1]), mx, mx/mp)
		if set.assert && (mx/mp < 0.82 || mx/mp > 0.92) {
			t.Errorf("%s: median specific yield Paris/Périgueux = %.3f, want 0.82–0.92 (PVGIS ≈ 0.87)", set.name, mx/mp)
		}
	}
	// Each place's own factor: grid / weather file's own annual sum.
	g, err := raster.ReadClimateGrid(shareddata.Path(t, gridTIF), raster.ClimateGridOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sp, _ := g.At(0.72, 45.185)
	sx, _ := g.At(2.378, 48.859)
	fp, fx := sp.AnnualKWhM2/ps.WeatherAnnualKWhM2, sx.AnnualKWhM2/ps.WeatherAnnualKWhM2
	t.Logf("factor Périgueux %.3f, Paris 11e %.3f", fp, fx)
	if math.Abs(ps.FactorMax-fp) > 0.01 || math.Abs(ps.FactorMin-fx) > 0.01 {
		t.Errorf("factor spread %.3f–%.3f, want about Paris %.3f … Périgueux %.3f", ps.FactorMin, ps.FactorMax, fx, fp)
	}
}

// The check: the raster grid and the point CSV give the same annual
// factor for the Périgueux buildings within 0.5 %.
func TestPlaceFactorsRasterVersusCSV(t *testing.T) {
	ws, err := weather.Read(shareddata.Path(t, laRochelle), weather.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := geo.LoadTerritory(geo.TerritoryOptions{BuildingsPath: shareddata.Path(t, perigueuxBD), SkipPlanes: true})
	if err != nil {
		t.Fatal(err)
	}
	var rep [2]PlaceScaling
	for k, path := range []string{gridTIF, gridCSV} {
		p, err := scaleByPlace(ws, &Options{IrradiancePath: shareddata.Path(t, path)}, tr)
		if err != nil {
			t.Fatal(err)
		}
		rep[k] = p.report
		t.Logf("%s: %d buildings, factors %.4f / %.4f / %.4f, %d groups (weather %.1f kWh/m²·yr)", path, len(tr.Buildings),
			p.report.FactorMin, p.report.FactorMedian, p.report.FactorMax, p.report.Groups, p.report.WeatherAnnualKWhM2)
	}
	if d := rep[0].FactorMedian/rep[1].FactorMedian - 1; math.Abs(d) > 0.005 {
		t.Errorf("median factor raster %.4f vs CSV %.4f (%.2f %%)", rep[0].FactorMedian, rep[1].FactorMedian, 100*d)
	}
	// The point CSV with the pre-grid reference (grid at the station) gives
	// the factor the pipeline used before place scaling: the field's ratio
	// territory centre / weather station, within rounding.
	csv := shareddata.Path(t, gridCSV)
	pts, err := raster.ReadIrradiationPoints(csv)
	if err != nil {
		t.Fatal(err)
	}
	field, err := raster.NewIrradiationField(pts, raster.IDWOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := territoryCentreWGS84(tr)
	old := field.IrradiationAt(c.Lon(), c.Lat()) / field.IrradiationAt(ws.LonDeg, ws.LatDeg)
	p, err := scaleByPlace(ws, &Options{IrradiancePath: csv, IrradianceVsStation: true}, tr)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("CSV, factors against the grid at the station: %.4f / %.4f / %.4f; former territory-centre factor %.4f; against the weather file's own %.1f kWh/m²·yr: %.4f",
		p.report.FactorMin, p.report.FactorMedian, p.report.FactorMax, old, rep[1].WeatherAnnualKWhM2, rep[1].FactorMedian)
	if math.Abs(p.report.FactorMedian/old-1) > 0.001 {
		t.Errorf("median factor %.4f, former territory-centre factor %.4f", p.report.FactorMedian, old)
	}
}

// The check: with seasonal scaling, each quarter's in-plane
// irradiation of a south 35° plane at Périgueux moves toward the grid's
// quarterly share (La Rochelle's year has a sunnier Q2 and darker Q1/Q4
// than the grid gives Périgueux).
func TestSeasonalScalingMovesQuarterPOA(t *testing.T) {
	ws, err := weather.Read(shareddata.Path(t, laRochelle), weather.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g, err := raster.ReadClimateGrid(shareddata.Path(t, gridTIF), raster.ClimateGridOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := g.At(0.7208, 45.1932)
	if err != nil {
		t.Fatal(err)
	}
	poaQuarters := func(w *weather.Series) [4]float64 {
		sky, err := solar.PrepareSky(w, solar.SkyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sys := solar.DefaultSystem(solar.ModelPVGIS, solar.MountFree)
		res := sky.Annual(solar.Plane{TiltDeg: 35, AzimuthDeg: 180}, nil, sys)
		var q [4]float64
		for m, mo := range res.Monthly {
			q[m/3] += mo.POAKWhM2
		}
		return q
	}
	annual, seasonal := ws.Clone(), ws.Clone()
	if _, err := weather.ScaleToPeriods(annual, []float64{s.AnnualKWhM2}, weather.ScaleOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := weather.ScaleToPeriods(seasonal, s.SeasonalKWhM2, weather.ScaleOptions{}); err != nil {
		t.Fatal(err)
	}
	before, after := poaQuarters(annual), poaQuarters(seasonal)
	ghiW := ws.PeriodSumsKWhM2(4)
	// Σ quarters of the grid vs its annual band (1 within 0.05 %).
	sumRatio := (s.SeasonalKWhM2[0] + s.SeasonalKWhM2[1] + s.SeasonalKWhM2[2] + s.SeasonalKWhM2[3]) / s.AnnualKWhM2
	share := func(v []float64, q int) float64 { return v[q] / (v[0] + v[1] + v[2] + v[3]) }
	for q := range 4 {
		gridShare, wShare := share(s.SeasonalKWhM2, q), share(ghiW, q)
		bShare, aShare := share(before[:], q), share(after[:], q)
		t.Logf("Q%d: GHI share weather %.3f → grid %.3f; POA 35° S %.1f → %.1f kWh/m² (share %.3f → %.3f)",
			q+1, wShare, gridShare, before[q], after[q], bShare, aShare)
		// Each quarter's in-plane irradiation changes by the ratio of the
		// grid's GHI share to the weather's (the transposition of one
		// quarter is linear in that quarter's scaling), within 0.5 %...
		want := gridShare / wShare * sumRatio
		if got := after[q] / before[q]; math.Abs(got/want-1) > 0.005 {
			t.Errorf("Q%d: POA × %.4f, want × %.4f (GHI share %.4f → %.4f)", q+1, got, want, wShare, gridShare)
		}
		// ...so where the grid's share differs by more than 1 %, the
		// quarter's POA share moves the same way.
		if math.Abs(gridShare/wShare-1) > 0.01 && math.Copysign(1, aShare-bShare) != math.Copysign(1, gridShare-wShare) {
			t.Errorf("Q%d: POA share %.4f → %.4f, but the grid moves the GHI share %.4f → %.4f", q+1, bShare, aShare, wShare, gridShare)
		}
	}
	ta, tb := before[0]+before[1]+before[2]+before[3], after[0]+after[1]+after[2]+after[3]
	t.Logf("annual POA %.1f (annual factor) vs %.1f (quarterly factors): %+.2f %%", ta, tb, 100*(tb/ta-1))
}
