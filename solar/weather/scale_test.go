package weather_test

import (
	"errors"
	"math"
	"testing"

	"github.com/gisement/gisement/internal/shareddata"
	"github.com/gisement/gisement/solar/spa"
	"github.com/gisement/gisement/solar/weather"
)

func laRochelle(t *testing.T) *weather.Series {
	t.Helper()
	ws, err := weather.Read(shareddata.Path(t, "weather/FRA_AC_La.Rochelle.Intl.AP.073160_TMYx.epw.gz"), weather.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// Quarterly targets whose shares differ from the file's: every quarter's sum
// is met, each hour keeps its diffuse fraction, the file is not modified.
func TestScaleToPeriodsQuarters(t *testing.T) {
	ws := laRochelle(t)
	before := ws.PeriodSumsKWhM2(4)
	// Périgueux quarters of the derived France grid (SOURCES.md §8).
	target := []float64{208.3, 486.6, 493.9, 169.9}
	c := ws.Clone()
	rep, err := weather.ScaleToPeriods(c, target, weather.ScaleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("La Rochelle quarters %.1f → %.1f (targets %.1f), factors %.4f, capped hours %d", before, rep.AfterKWhM2, target, rep.Factors, rep.CappedHours)
	for q := range 4 {
		if math.Abs(rep.AfterKWhM2[q]/target[q]-1) > 0.001 {
			t.Errorf("Q%d: %.2f, target %.2f", q+1, rep.AfterKWhM2[q], target[q])
		}
	}
	if got := ws.PeriodSumsKWhM2(4); got[0] != before[0] {
		t.Error("Clone shares records with the original")
	}
	for i := range c.Records {
		a, b := &ws.Records[i], &c.Records[i]
		if a.GHIWm2 > 50 && math.Abs(a.DHIWm2/a.GHIWm2-b.DHIWm2/b.GHIWm2) > 1e-9 {
			t.Fatalf("record %d: diffuse fraction %.4f → %.4f", i, a.DHIWm2/a.GHIWm2, b.DHIWm2/b.GHIWm2)
		}
	}
}

// An impossible target (3 × the file's summer) is refused, and no scaled
// hour exceeds the extraterrestrial horizontal irradiance.
func TestScaleToPeriodsBounded(t *testing.T) {
	ws := laRochelle(t)
	b := ws.PeriodSumsKWhM2(4)
	c := ws.Clone()
	rep, err := weather.ScaleToPeriods(c, []float64{b[0], 3 * b[1], b[2], b[3]}, weather.ScaleOptions{})
	if err == nil || !errors.Is(err, weather.ErrScale) {
		t.Fatalf("3× Q2 accepted: %v", err)
	}
	t.Log(err)
	if rep.CappedHours == 0 {
		t.Error("no capped hour")
	}
	for i := range c.Records {
		r, o := &c.Records[i], &ws.Records[i]
		if r.GHIWm2 <= o.GHIWm2 {
			continue
		}
		z := spa.Position(r.Sun, c.LatDeg, c.LonDeg, spa.Options{ElevationM: c.ElevationM}).ZenithDeg
		g0 := 1414 * math.Max(math.Cos(z*math.Pi/180), 0.065) // E0 ≤ 1414 W/m² (perihelion)
		if r.GHIWm2 > g0+1e-6 {
			t.Fatalf("record %d: scaled GHI %.1f W/m² above the extraterrestrial horizontal %.1f", i, r.GHIWm2, g0)
		}
	}
}

// A single annual target is the plain linear factor when no hour reaches
// the bound.
func TestScaleToPeriodsAnnualIsLinear(t *testing.T) {
	ws := laRochelle(t)
	a := ws.PeriodSumsKWhM2(1)[0]
	c := ws.Clone()
	rep, err := weather.ScaleToPeriods(c, []float64{0.95 * a}, weather.ScaleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.CappedHours != 0 || math.Abs(rep.Factors[0]-0.95) > 1e-9 {
		t.Errorf("factor %.6f, capped %d", rep.Factors[0], rep.CappedHours)
	}
	for i := range c.Records {
		if math.Abs(c.Records[i].DNIWm2-0.95*ws.Records[i].DNIWm2) > 1e-9 {
			t.Fatalf("record %d: DNI not scaled linearly", i)
		}
	}
}
