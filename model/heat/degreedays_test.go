package heat

import (
	"errors"
	"math"
	"testing"
)

// Hand-worked: a synthetic day (24 h) of 8 h at 10 °C, 8 h at 14 °C and 8 h
// at 20 °C. Hourly: (8·8 + 8·4 + 0)/24 = 4 K·d for the day → ×365 per year.
// Daily DJU: Tmin 10, Tmax 20, mean 15 → 3 K·d → ×365.
func TestHDDHandWorked(t *testing.T) {
	day := make([]float64, 24)
	for i := range day {
		switch {
		case i < 8:
			day[i] = 10
		case i < 16:
			day[i] = 14
		default:
			day[i] = 20
		}
	}
	h, err := HDDHourly(day, 1, 18)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(h-4*365) > 1e-9 {
		t.Errorf("hourly HDD = %g, want %g", h, 4.0*365)
	}
	d, err := HDDDaily(day, 1, 18)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(d-3*365) > 1e-9 {
		t.Errorf("daily HDD = %g, want %g", d, 3.0*365)
	}
}

func TestHDDRejects(t *testing.T) {
	if _, err := HDDHourly([]float64{1, math.NaN()}, 1, 18); !errors.Is(err, ErrHeatInput) {
		t.Errorf("NaN: err = %v", err)
	}
	if _, err := HDDHourly([]float64{1}, 0.7, 18); !errors.Is(err, ErrHeatInput) {
		t.Errorf("step 0.7: err = %v", err)
	}
	if _, err := HDDDaily([]float64{1, 2}, 1, 18); !errors.Is(err, ErrHeatInput) {
		t.Errorf("short: err = %v", err)
	}
}

// La Rochelle TMYx (shared data): ADEME Base Carbone gives 1,400–3,800 DJU
// across France; La Rochelle (zone H2, Atlantic coast) must fall in
// 1,600–2,400. Measured: hourly 2,034, daily 1,967.
func TestHDDLaRochelle(t *testing.T) {
	temps, step := laRochelleTemps(t)
	h, err := HDDHourly(temps, step, 18)
	if err != nil {
		t.Fatal(err)
	}
	d, err := HDDDaily(temps, step, 18)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("La Rochelle HDD base 18: hourly %.0f, daily (DJU) %.0f K·d/yr", h, d)
	if h < 1600 || h > 2400 || d < 1600 || d > 2400 {
		t.Errorf("HDD hourly %.0f / daily %.0f outside 1,600–2,400", h, d)
	}
	if math.Abs(h-d)/d > 0.1 {
		t.Errorf("hourly and daily methods differ by more than 10%%: %.0f vs %.0f", h, d)
	}
}
