package heat

import (
	"math"
	"testing"

	"github.com/gisement/gisement/internal/shareddata"
	"github.com/gisement/gisement/solar/weather"
)

func readTemps(tb testing.TB, rel string) ([]float64, float64) {
	tb.Helper()
	s, err := weather.Read(shareddata.Path(tb, rel), weather.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	temps := make([]float64, len(s.Records))
	for i, r := range s.Records {
		temps[i] = r.TempAirC
	}
	return temps, s.StepH
}

func laRochelleTemps(tb testing.TB) ([]float64, float64) {
	return readTemps(tb, "weather/FRA_AC_La.Rochelle.Intl.AP.073160_TMYx.epw.gz")
}

// syntheticYear is a SYNTHETIC hourly year (no shared data needed):
// T = 12 − 8·cos(2π(d−15)/365) − 4·cos(2π(h−3)/24) °C.
func syntheticYear() []float64 {
	out := make([]float64, 8760)
	for i := range out {
		d, h := float64(i/24), float64(i%24)
		out[i] = 12 - 8*cosTurn((d-15)/365) - 4*cosTurn((h-3)/24)
	}
	return out
}

func cosTurn(x float64) float64 { return math.Cos(2 * math.Pi * x) }
