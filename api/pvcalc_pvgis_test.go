package api

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/geo/raster"
	"github.com/gisement/gisement/internal/shareddata"
)

// /v1/pvcalc against PVGIS's own output (issue 12): PVGIS seriescalc,
// PVGIS-SARAH3, year 2022, 1 kWp horizontal, loss 0, free-standing c-Si, at
// Brest and Montpellier (shared data, EU JRC). /v1/pvcalc simulates the
// embedded La Rochelle typical year scaled by the embedded per-commune
// irradiation field at the point over the weather year's own irradiation.
// Band: within 6 %. The remaining difference is the weather year, not the
// model: PVGIS here simulates the single year 2022, sunnier than normal over
// most of France (Météo-France, Bilan climatique 2022), while the field is
// a multi-year mean, so the typical-year answer sits below 2022 in the
// west; the La Rochelle year's sun geometry and diffuse fraction also stand
// in for the Mediterranean's.
func TestPVCalcAgainstPVGIS2022(t *testing.T) {
	path := shareddata.Path(t, "weather/pvgis_seriescalc_2022_brest_montpellier_1kWp_horizontal.csv.gz")
	pvgis := readSeriescalcAnnual(t, path)
	pts, err := raster.ReadIrradiationPointsFS(sample.FS, sample.Irradiation)
	if err != nil {
		t.Fatal(err)
	}
	f, err := raster.NewIrradiationField(pts, raster.IDWOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := pvServer(t, f)
	for _, c := range []struct {
		name     string
		lon, lat float64
	}{{"Brest", -4.48333, 48.400002}, {"Montpellier", 3.862038, 43.62505}} {
		r := do(t, s, "GET", fmt.Sprintf("/v1/pvcalc?lat=%g&lon=%g&peakpower=1&loss=0&angle=0&outputformat=json", c.lat, c.lon), "")
		if r.Code != 200 {
			t.Fatalf("%s: %d %s", c.name, r.Code, r.Body)
		}
		var got PVCalcResponse
		if err := json.Unmarshal(r.Body, &got); err != nil {
			t.Fatal(err)
		}
		want := pvgis[c.lon]
		ratio := got.Outputs.Totals.Fixed.Ey / want
		t.Logf("%s: /v1/pvcalc %.1f kWh/kWp, PVGIS 2022 %.1f kWh/kWp, ratio %.3f (scale %v)", c.name, got.Outputs.Totals.Fixed.Ey, want, ratio, got.Meta["scale_factor"])
		if ratio < 0.94 || ratio > 1.06 {
			t.Errorf("%s: ratio to PVGIS 2022 %.3f, want within 6 %%", c.name, ratio)
		}
	}
}

// readSeriescalcAnnual sums PV_power (W for 1 kWp, hourly) per longitude of
// the two-site PVGIS seriescalc CSV: kWh/kWp per year.
func readSeriescalcAnnual(t *testing.T, path string) map[float64]float64 {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	gz, err := gzip.NewReader(fh)
	if err != nil {
		t.Fatal(err)
	}
	out := map[float64]float64{}
	sc := bufio.NewScanner(gz)
	for line := 0; sc.Scan(); line++ {
		if line == 0 {
			continue
		}
		f := strings.Split(sc.Text(), ",")
		if len(f) < 7 {
			t.Fatalf("%s line %d: %d fields", path, line+1, len(f))
		}
		lon, err1 := strconv.ParseFloat(f[0], 64)
		p, err2 := strconv.ParseFloat(f[6], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s line %d: %v %v", path, line+1, err1, err2)
		}
		out[lon] += p / 1000
	}
	return out
}
