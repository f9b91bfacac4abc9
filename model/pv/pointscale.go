package pv

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/gisement/gisement/geo/raster"
	"github.com/gisement/gisement/solar/weather"
)

// ErrNoIrradiance marks a point where the irradiation field or grid has no
// value (outside its coverage): callers answer it as a client error naming
// the point, never with a silent factor of 1.
var ErrNoIrradiance = errors.New("no irradiation at this point")

// MonthScales returns the per-month factors PointCalc applies for a
// per-commune irradiation field: H_field(lat, lon) / H_weather, where
// H_weather is the weather year's OWN annual horizontal irradiation
// (kWh/m²), not the field at the weather site — so a typical year that is
// sunnier or darker than the field's long-term mean at its own site is
// corrected too (issue 12: the field ratio at the station was 2.4 % off for
// La Rochelle). Every month takes the annual factor.
func MonthScales(f IrradiationField, w *weather.Series, latDeg, lonDeg float64) ([12]float64, string, error) {
	var ms [12]float64
	at := f.IrradiationAt(lonDeg, latDeg)
	if !(at > 0) || math.IsNaN(at) {
		return ms, "", fmt.Errorf("%w: (lat %g, lon %g) is outside the irradiation field", ErrNoIrradiance, latDeg, lonDeg)
	}
	hw := w.PeriodSumsKWhM2(1)[0]
	if !(hw > 0) {
		return ms, "", fmt.Errorf("%w: weather year %s has no irradiation", ErrPVInput, w.Source)
	}
	for m := range ms {
		ms[m] = at / hw
	}
	note := fmt.Sprintf("energies and irradiations scaled by %.4f = irradiation field %.1f kWh/m²·yr at (lat, lon) / the weather year's own %.1f kWh/m²·yr", at/hw, at, hw)
	return ms, note, nil
}

// GridMonthScales returns the per-month factors for an irradiance grid:
// f = H_grid(lat, lon) / H_weather, where H_weather is the weather year's
// own horizontal irradiation — per quarter or month when the grid has
// seasonal bands (each month takes its season's factor), else the annual
// sum for every month.
func GridMonthScales(g *raster.ClimateGrid, w *weather.Series, latDeg, lonDeg float64) ([12]float64, string, error) {
	var ms [12]float64
	s, err := g.At(lonDeg, latDeg)
	if err != nil {
		return ms, "", fmt.Errorf("%w: %w", ErrNoIrradiance, err)
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
	total := 0.0
	for p := range n {
		if !(hw[p] > 0) {
			return ms, "", fmt.Errorf("%w: weather year %s has no irradiation in period %d of %d", ErrPVInput, w.Source, p+1, n)
		}
		fs[p] = fmt.Sprintf("%.4f", target[p]/hw[p])
		total += hw[p]
	}
	for m := range 12 {
		p := m * n / 12
		ms[m] = target[p] / hw[p]
	}
	what := map[int]string{1: "annual", 4: "quarterly", 12: "monthly"}[n]
	note := fmt.Sprintf("energies and irradiations scaled by the irradiance grid %s: %s factor(s) %s = grid horizontal irradiation at (lat, lon) / the weather year's own (%.1f kWh/m²·yr at the grid, %.1f in the weather year)",
		filepath.Base(g.Source), what, strings.Join(fs, "/"), s.AnnualKWhM2, total)
	return ms, note, nil
}
