package pv

import (
	"errors"
	"math"
	"testing"

	"github.com/gisement/gisement/solar"
)

// constField is a SYNTHETIC irradiation field: at for the point, site
// elsewhere.
type constField struct{ lon, at, site float64 }

func (f constField) IrradiationAt(lon, _ float64) float64 {
	if lon == f.lon {
		return f.at
	}
	return f.site
}

// PointCalc is the hourly model of package solar (checked against PVGIS by
// the API parity test) plus a linear field scaling: checked here against a
// direct solar.Sky.Annual call.
func TestPointCalc(t *testing.T) {
	sky, _ := laRochelleSky(t)
	in := PointInput{LatDeg: 45.18, LonDeg: 0.72, PeakPowerKW: 3, LossPct: 14, TiltDeg: 30, AzimuthDeg: 180, Mounting: solar.MountFree}
	sys := solar.DefaultSystem(solar.ModelPVGIS, solar.MountFree)
	sys.PeakPowerKW, sys.LossPct = 3, 14
	want := sky.Annual(solar.Plane{TiltDeg: 30, AzimuthDeg: 180}, nil, sys)
	got, err := PointCalc(sky, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Scale != 1 || got.EnergyKWh != want.EnergyKWh || got.POAKWhM2 != want.POAKWhM2 || got.Monthly[6].EnergyKWh != want.Monthly[6].EnergyKWh {
		t.Errorf("unscaled %+v, want %g kWh %g kWh/m²", got, want.EnergyKWh, want.POAKWhM2)
	}
	if l := (want.EnergyKWh/(want.POAKWhM2*3) - 1) * 100; math.Abs(got.TotalLossPct-l) > 1e-9 || l >= 0 {
		t.Errorf("total loss %g, want %g", got.TotalLossPct, l)
	}
	// Month factors: 1.04 everywhere gives the annual factor 1.04.
	for m := range in.MonthScale {
		in.MonthScale[m] = 1300.0 / 1250
	}
	scaled, err := PointCalc(sky, in)
	if err != nil {
		t.Fatal(err)
	}
	if r := 1300.0 / 1250; math.Abs(scaled.Scale-r) > 1e-12 || math.Abs(scaled.EnergyKWh-want.EnergyKWh*r) > 1e-6 ||
		math.Abs(scaled.TotalLossPct-got.TotalLossPct) > 1e-9 {
		t.Errorf("scaled %+v", scaled)
	}
	if _, err := PointCalc(sky, PointInput{PeakPowerKW: 1, LossPct: 150}); !errors.Is(err, ErrPVInput) {
		t.Errorf("loss 150 %%: %v", err)
	}
}

// MonthScales divides the field at the point by the weather year's OWN
// annual irradiation (not the field at the weather site), and refuses a
// point outside the field.
func TestMonthScales(t *testing.T) {
	_, w := laRochelleSky(t)
	hw := w.PeriodSumsKWhM2(1)[0]
	ms, note, err := MonthScales(constField{lon: 0.72, at: 1300, site: 1250}, w, 45.18, 0.72)
	if err != nil {
		t.Fatal(err)
	}
	for m, f := range ms {
		if math.Abs(f-1300/hw) > 1e-12 {
			t.Errorf("month %d factor %g, want %g (1300 / the weather year's %g)", m+1, f, 1300/hw, hw)
		}
	}
	if note == "" {
		t.Error("no scale note")
	}
	if _, _, err := MonthScales(constField{lon: 0.72, at: math.NaN(), site: 1250}, w, 45.18, 0.72); !errors.Is(err, ErrNoIrradiance) {
		t.Errorf("point outside the field: %v, want ErrNoIrradiance", err)
	}
}
