package api

import (
	"fmt"
	"math"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/gisement/gisement/geo/raster"
	"github.com/gisement/gisement/solar/weather"
)

// gridMonthScales returns the factors /v1/pvcalc applies to each month's
// energy and irradiation when an irradiance grid is configured
// (Options.Climate): f = H_grid(lat, lon) / H_weather, where H_weather is the
// weather year's OWN horizontal irradiation — per quarter or month when the
// grid has seasonal bands (each month takes its season's factor), else the
// annual sum for every month. Like the annual ratio before it, this is a
// linear scaling that keeps the weather site's sun geometry, temperatures
// and diffuse fraction (stated in meta.approximation). A point where the
// grid has no data is a 422 problem naming it, never a silent factor of 1.
func gridMonthScales(g *raster.ClimateGrid, w *weather.Series, latDeg, lonDeg float64) ([12]float64, string, error) {
	var ms [12]float64
	s, err := g.At(lonDeg, latDeg)
	if err != nil {
		return ms, "", problem(http.StatusUnprocessableEntity, "No irradiance at this point", err.Error())
	}
	n := len(s.SeasonalKWhM2)
	if n == 0 {
		n = 1
	}
	hw := w.PeriodSumsKWhM2(n)
	target := s.SeasonalKWhM2
	if target == nil {
		target = []float64{s.AnnualKWhM2}
	}
	fs := make([]string, n)
	for p := range n {
		if !(hw[p] > 0) {
			return ms, "", problem(http.StatusServiceUnavailable, "PVcalc unavailable", fmt.Sprintf("weather year %s has no irradiation in period %d of %d", w.Source, p+1, n))
		}
		fs[p] = fmt.Sprintf("%.4f", target[p]/hw[p])
	}
	for m := range 12 {
		p := m * n / 12
		ms[m] = target[p] / hw[p]
	}
	what := map[int]string{1: "annual", 4: "quarterly", 12: "monthly"}[n]
	note := fmt.Sprintf("energies and irradiations scaled by the irradiance grid %s: %s factor(s) %s = grid horizontal irradiation at (lat, lon) / the weather year's own (%.1f kWh/m²·yr at the grid, %.1f in the weather year)",
		filepath.Base(g.Source), what, strings.Join(fs, "/"), s.AnnualKWhM2, sum(hw))
	return ms, note, nil
}

func sum(v []float64) float64 {
	t := 0.0
	for _, x := range v {
		if !math.IsNaN(x) {
			t += x
		}
	}
	return t
}
