package raster

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/gisement/gisement/internal/shareddata"
)

// Périgueux (centre of the BDNB building extract) and Paris 11e.
const (
	perigueuxLon, perigueuxLat = 0.7208, 45.1932
	paris11Lon, paris11Lat     = 2.3800, 48.8590
)

const sharedGrid = "irradiance/france_irradiation_grid_0p05_derived.tif"

func TestClimateGridSharedFrance(t *testing.T) {
	g, err := ReadClimateGrid(shareddata.Path(t, sharedGrid), ClimateGridOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(g.Describe())
	if g.Seasons != 4 || g.TempPeriods != 4 || g.annual != 0 || len(g.Bands) != 9 {
		t.Fatalf("seasons %d, temperature periods %d, annual band index %d, %d bands; want 4, 4, 0, 9", g.Seasons, g.TempPeriods, g.annual, len(g.Bands))
	}
	if g.Bands[0].Unit != UnitKWhM2Year || g.Bands[1].Unit != UnitKWhM2Period || g.Bands[0].UnitFrom != "metadata" {
		t.Errorf("units %s (%s) / %s, want kWh/m2/yr from metadata and kWh/m2", g.Bands[0].Unit, g.Bands[0].UnitFrom, g.Bands[1].Unit)
	}
	// SOURCES.md: at (0.72 E, 45.18 N) 1,358.5 kWh/m²·yr; Q1–Q4 208.3 /
	// 486.6 / 493.9 / 169.9; temperatures 6.6 / 15.6 / 20.2 / 9.8 °C.
	s, err := g.At(0.72, 45.18)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{208.3, 486.6, 493.9, 169.9}
	wantT := []float64{6.6, 15.6, 20.2, 9.8}
	if math.Abs(s.AnnualKWhM2-1358.5) > 2 {
		t.Errorf("annual %.1f, SOURCES.md says 1358.5", s.AnnualKWhM2)
	}
	for q := range 4 {
		if math.Abs(s.SeasonalKWhM2[q]-want[q]) > 1 || math.Abs(s.TempC[q]-wantT[q]) > 0.2 {
			t.Errorf("Q%d: %.1f kWh/m², %.1f °C; want %.1f, %.1f", q+1, s.SeasonalKWhM2[q], s.TempC[q], want[q], wantT[q])
		}
	}
	// Lambert-93 sampling gives the same value.
	x, y := lonLatToLambert93(0.72, 45.18)
	s2, err := g.AtLambert93(x, y)
	if err != nil || math.Abs(s2.AnnualKWhM2-s.AnnualKWhM2) > 1e-6 {
		t.Errorf("Lambert-93 sample %.3f (%v), lon/lat sample %.3f", s2.AnnualKWhM2, err, s.AnnualKWhM2)
	}
	// Sea: no data is an error naming the point and the band, never 0.
	_, err = g.At(-4.5, 45.0)
	if err == nil || !errors.Is(err, ErrClimateGrid) || !strings.Contains(err.Error(), "lat 45.00000, lon -4.50000") || !strings.Contains(err.Error(), "band ") {
		t.Errorf("sea point: %v", err)
	}
}

// The check: raster grid and point CSV give the same annual
// irradiation at Périgueux (hence the same factor against one weather file)
// within 0.5 %; the CSV path is exactly the IDW field used before.
func TestClimateGridRasterVersusPointsPerigueux(t *testing.T) {
	rg, err := ReadClimateGrid(shareddata.Path(t, sharedGrid), ClimateGridOptions{})
	if err != nil {
		t.Fatal(err)
	}
	csv := shareddata.Path(t, "irradiance/solairesimple_irradiation_communes_2025-10.csv.gz")
	pg, err := ReadClimateGrid(csv, ClimateGridOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pts, err := ReadIrradiationPoints(csv)
	if err != nil {
		t.Fatal(err)
	}
	field, err := NewIrradiationField(pts, IDWOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		name     string
		lon, lat float64
	}{{"Périgueux", perigueuxLon, perigueuxLat}, {"Paris 11e", paris11Lon, paris11Lat}} {
		r, err := rg.At(p.lon, p.lat)
		if err != nil {
			t.Fatal(err)
		}
		c, err := pg.At(p.lon, p.lat)
		if err != nil {
			t.Fatal(err)
		}
		if old := field.IrradiationAt(p.lon, p.lat); c.AnnualKWhM2 != old {
			t.Errorf("%s: point grid %.4f differs from IrradiationField.IrradiationAt %.4f", p.name, c.AnnualKWhM2, old)
		}
		d := r.AnnualKWhM2/c.AnnualKWhM2 - 1
		t.Logf("%s: raster %.1f kWh/m²·yr, points %.1f (%.2f %%); quarters raster %.0f, points %.0f",
			p.name, r.AnnualKWhM2, c.AnnualKWhM2, 100*d, r.SeasonalKWhM2, c.SeasonalKWhM2)
		if math.Abs(d) > 0.005 {
			t.Errorf("%s: raster and points differ by %.2f %% (> 0.5 %%)", p.name, 100*d)
		}
		for q := range 4 {
			if dq := r.SeasonalKWhM2[q]/c.SeasonalKWhM2[q] - 1; math.Abs(dq) > 0.02 {
				t.Errorf("%s Q%d: raster %.1f vs points %.1f", p.name, q+1, r.SeasonalKWhM2[q], c.SeasonalKWhM2[q])
			}
		}
	}
}

func TestClimateGridLayouts(t *testing.T) {
	ref, err := ReadClimateGrid("testdata/climate_perigueux_9band_pixel.tif", ClimateGridOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := ref.At(perigueuxLon, perigueuxLat)
	if err != nil {
		t.Fatal(err)
	}
	// Same bands, planar (INTERLEAVE=BAND) and LZW.
	pl, err := ReadClimateGrid("testdata/climate_perigueux_9band_planar.tif", ClimateGridOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := pl.At(perigueuxLon, perigueuxLat)
	if err != nil {
		t.Fatal(err)
	}
	if got.AnnualKWhM2 != want.AnnualKWhM2 || got.TempC[2] != want.TempC[2] || got.SeasonalKWhM2[3] != want.SeasonalKWhM2[3] {
		t.Errorf("planar %+v, pixel %+v", got, want)
	}
	// Quarters only, Int16 with horizontal predictor: annual = Σ quarters.
	qg, err := ReadClimateGrid("testdata/climate_perigueux_quarters_int16.tif", ClimateGridOptions{})
	if err != nil {
		t.Fatal(err)
	}
	q, err := qg.At(perigueuxLon, perigueuxLat)
	if err != nil {
		t.Fatal(err)
	}
	if qg.annual != -1 || qg.Seasons != 4 || math.Abs(q.AnnualKWhM2/want.AnnualKWhM2-1) > 0.003 {
		t.Errorf("quarters-only grid: annual %.1f (Σ of Int16 quarters), want ≈ %.1f", q.AnnualKWhM2, want.AnnualKWhM2)
	}
	// Global Solar Atlas-like day sums declared kWh/m2/day: × 365.
	gsa, err := ReadClimateGrid("testdata/ghi_daysums_gsa_like.tif", ClimateGridOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := gsa.At(perigueuxLon, perigueuxLat)
	if err != nil {
		t.Fatal(err)
	}
	if gsa.Bands[0].Unit != UnitKWhM2Day || math.Abs(d.AnnualKWhM2/want.AnnualKWhM2-1) > 1e-5 {
		t.Errorf("GSA-like day sums: unit %s, annual %.2f, want %.2f", gsa.Bands[0].Unit, d.AnnualKWhM2, want.AnnualKWhM2)
	}
	// ESRI ASCII grid in Lambert-93 (.prj), no metadata: annual GHI by
	// default, unit inferred from the magnitude.
	asc, err := ReadClimateGrid("testdata/ghi_annual_lambert93.asc", ClimateGridOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := asc.At(perigueuxLon, perigueuxLat)
	if err != nil {
		t.Fatal(err)
	}
	if asc.EPSG != 2154 || asc.Bands[0].UnitFrom != "magnitude" || math.Abs(a.AnnualKWhM2/want.AnnualKWhM2-1) > 0.005 {
		t.Errorf("Lambert-93 ASCII grid: EPSG %d, unit %s (%s), annual %.1f, want ≈ %.1f", asc.EPSG, asc.Bands[0].Unit, asc.Bands[0].UnitFrom, a.AnnualKWhM2, want.AnnualKWhM2)
	}
	// Explicit roles override the metadata.
	ex, err := ReadClimateGrid("testdata/climate_perigueux_9band_pixel.tif", ClimateGridOptions{
		Roles: []string{"ghi", "-", "-", "-", "-", "-", "-", "-", "-"}})
	if err != nil || ex.Seasons != 0 || ex.TempPeriods != 0 {
		t.Errorf("explicit roles: %v, seasons %d", err, ex.Seasons)
	}
}

// The check: a day-sum GeoTIFF passed as yearly is refused with a
// message naming the file, the band and the expected magnitude.
func TestClimateGridRefusesDaySumsDeclaredYearly(t *testing.T) {
	const file = "testdata/ghi_daysums_declared_yearly.tif"
	for _, o := range []ClimateGridOptions{{}, {Unit: "kWh/m2/yr"}} {
		_, err := ReadClimateGrid(file, o)
		if err == nil {
			t.Fatalf("options %+v: day sums (≈ 3.7) accepted as kWh/m²·yr", o)
		}
		msg := err.Error()
		t.Log(msg)
		for _, want := range []string{file, "band 1", "500–3000 kWh/m2/yr", "fit kWh/m2/day"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message lacks %q: %s", want, msg)
			}
		}
		if !errors.Is(err, ErrClimateGrid) {
			t.Errorf("error does not wrap ErrClimateGrid")
		}
	}
	// Declared correctly it is accepted.
	if _, err := ReadClimateGrid(file, ClimateGridOptions{Unit: "kWh/m2/day"}); err != nil {
		t.Error(err)
	}
	// W/m² declared for day sums: refused too.
	if _, err := ReadClimateGrid(file, ClimateGridOptions{Unit: "W/m2"}); err == nil {
		t.Error("day sums accepted as W/m²")
	}
}

func TestParseIrradiationUnit(t *testing.T) {
	for s, want := range map[string]IrradiationUnit{
		"kWh/m2/yr": UnitKWhM2Year, "kWh/m²·an": UnitKWhM2Year, "kWh m-2 year-1": UnitKWhM2Year, "kWh/m2/a": UnitKWhM2Year,
		"kWh/m2/day": UnitKWhM2Day, "kWh/m²/jour": UnitKWhM2Day, "kWh m-2 day-1": UnitKWhM2Day,
		"kWh/m2": UnitKWhM2Period, "kWh/m²": UnitKWhM2Period, "W/m2": UnitWM2, "W m-2": UnitWM2, "W/m²": UnitWM2,
		"": "", "MJ/m2": "", "Wh/m2": "",
	} {
		got, ok := ParseIrradiationUnit(s)
		if got != want || ok != (want != "") {
			t.Errorf("%q → %q %v, want %q", s, got, ok, want)
		}
	}
}

func TestBandRoles(t *testing.T) {
	for s, want := range map[string]string{"ghi": "ghi", "GHI_Q3": "ghi_q3", "ghi_m07": "ghi_m07", "temp_q1": "temp_q1", "t_m12": "temp_m12"} {
		r, err := ParseBandRole(s)
		if err != nil || r.String() != want {
			t.Errorf("%q → %v %v", s, r, err)
		}
	}
	for _, s := range []string{"dni", "ghi_q5", "ghi_m13", "ghi_x"} {
		if _, err := ParseBandRole(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	for label, want := range map[string]string{
		"annual global horizontal irradiation kWh/m2/yr": "ghi", "Q2 irradiation kWh/m2": "ghi_q2",
		"Q4 mean air temperature C": "temp_q4", "GHI July": "ghi_m07", "GHI_M03": "ghi_m03", "irradiation décembre": "ghi_m12",
		"DNI": "", "PVOUT": "",
	} {
		r, ok := roleFromLabel(label)
		if ok != (want != "") || ok && r.String() != want {
			t.Errorf("%q → %v %v, want %q", label, r, ok, want)
		}
	}
}

func TestParseGDALMetadata(t *testing.T) {
	md, err := ParseGDALMetadata(`<GDALMetadata>
  <Item name="BAND_1">annual GHI kWh/m2/yr</Item>
  <Item name="DESCRIPTION" sample="1" role="description">Q1 GHI</Item>
  <Item name="UNITTYPE" sample="1" role="unittype">kWh/m2</Item>
  <Item name="SCALE" sample="1" role="scale">0.1</Item>
  <Item name="X" domain="IMAGE_STRUCTURE">y</Item>
</GDALMetadata>`)
	if err != nil {
		t.Fatal(err)
	}
	b := md.Band(1)
	if md.Dataset["BAND_1"] != "annual GHI kWh/m2/yr" || b.Description != "Q1 GHI" || b.Unit != "kWh/m2" || b.Scale != 0.1 || !b.HasScale || md.Dataset["X"] != "" {
		t.Errorf("%+v", md)
	}
	if _, err := ParseGDALMetadata(`<GDALMetadata><Item name="a" sample="-1">x</Item></GDALMetadata>`); err == nil {
		t.Error("negative sample accepted")
	}
}
