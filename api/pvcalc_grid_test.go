package api

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/gisement/gisement/geo/raster"
	"github.com/gisement/gisement/internal/shareddata"
	"github.com/gisement/gisement/solar"
)

// TestAPIPVCalcClimateGrid: with a quarterly irradiance grid, each month is
// the weather site's month times grid(quarter at lat, lon) / the weather
// year's own quarter; a point where the grid has no data is a 422 naming it.
func TestAPIPVCalcClimateGrid(t *testing.T) {
	g, err := raster.ReadClimateGrid(shareddata.Path(t, "irradiance/france_irradiation_grid_0p05_derived.tif"), raster.ClimateGridOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ws := sampleWeather(t)
	s := newServer(t, func(o *Options) { o.Weather, o.Climate = ws, g })
	lat, lon := 48.859, 2.378 // Paris 11e
	r := do(t, s, "GET", fmt.Sprintf("/v1/pvcalc?lat=%g&lon=%g&peakpower=1&loss=14&angle=35&outputformat=json", lat, lon), "")
	var got PVCalcResponse
	if err := json.Unmarshal(r.Body, &got); err != nil {
		t.Fatalf("%v: %s", err, r.Body)
	}
	smp, err := g.At(lon, lat)
	if err != nil {
		t.Fatal(err)
	}
	hw := ws.PeriodSumsKWhM2(4)
	want := direct(t, ws, 35, 180, 1, 14, solar.MountFree)
	var ey float64
	for m := range 12 {
		k := smp.SeasonalKWhM2[m/3] / hw[m/3]
		em := want.Monthly[m].EnergyKWh * k
		ey += em
		if gm := got.Outputs.Monthly.Fixed[m].Em; math.Abs(gm-em) > 0.006 {
			t.Errorf("month %d: E_m %.2f, want %.2f × %.4f = %.2f", m+1, gm, want.Monthly[m].EnergyKWh, k, em)
		}
	}
	t.Logf("Paris 11e, 35° south, 1 kWc: E_y %.1f kWh (weather site %.1f), %s", got.Outputs.Totals.Fixed.Ey, want.EnergyKWh, got.Meta["approximation"])
	if math.Abs(got.Outputs.Totals.Fixed.Ey-ey) > 0.006 {
		t.Errorf("E_y %.2f, want Σ months %.2f", got.Outputs.Totals.Fixed.Ey, ey)
	}
	// At sea the grid has no data: an error naming the point, never a
	// silent factor of 1.
	r = do(t, s, "GET", "/v1/pvcalc?lat=45&lon=-4.5&peakpower=1&loss=14&outputformat=json", "")
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "lat 45.00000, lon -4.50000") {
		t.Errorf("sea point: %d %s", r.Code, r.Body)
	}
}
