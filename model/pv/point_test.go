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
	got, err := PointCalc(sky, nil, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Scale != 1 || got.EnergyKWh != want.EnergyKWh || got.POAKWhM2 != want.POAKWhM2 || got.Monthly[6].EnergyKWh != want.Monthly[6].EnergyKWh {
		t.Errorf("unscaled %+v, want %g kWh %g kWh/m²", got, want.EnergyKWh, want.POAKWhM2)
	}
	if l := (want.EnergyKWh/(want.POAKWhM2*3) - 1) * 100; math.Abs(got.TotalLossPct-l) > 1e-9 || l >= 0 {
		t.Errorf("total loss %g, want %g", got.TotalLossPct, l)
	}
	scaled, err := PointCalc(sky, constField{lon: 0.72, at: 1300, site: 1250}, in)
	if err != nil {
		t.Fatal(err)
	}
	if r := 1300.0 / 1250; math.Abs(scaled.Scale-r) > 1e-12 || math.Abs(scaled.EnergyKWh-want.EnergyKWh*r) > 1e-6 ||
		math.Abs(scaled.TotalLossPct-got.TotalLossPct) > 1e-9 {
		t.Errorf("scaled %+v", scaled)
	}
	if _, err := PointCalc(sky, nil, PointInput{PeakPowerKW: 1, LossPct: 150}); !errors.Is(err, ErrPVInput) {
		t.Errorf("loss 150 %%: %v", err)
	}
}
