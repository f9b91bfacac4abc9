package pv

import (
	"fmt"
	"time"

	"github.com/gisement/gisement/solar"
)

// cet is French standard time (UTC+1), the time base of the BDEW load
// profiles (econ.BDEWProfile.HourlyLoad).
var cet = time.FixedZone("CET", 3600)

// HourlyProfileCET simulates 1 kWp of sys on a plane (tilt from
// horizontal, azimuth clockwise from north, degrees) over the weather
// year of sky, without horizon, and returns its AC output in kWh per hour
// indexed by hours since 1 January 00:00 CET (UTC+1) of the record's year
// (8,760 values; a leap year's 31 December is dropped): the PV shape that
// econ.NewSelfConsumptionCurve matches against a load profile.
func HourlyProfileCET(sky *solar.Sky, sys solar.System, tiltDeg, azDeg float64) ([]float64, error) {
	sys.PeakPowerKW, sys.Hourly = 1, true
	res := sky.Annual(solar.Plane{TiltDeg: tiltDeg, AzimuthDeg: azDeg}, nil, sys)
	pv := make([]float64, 8760)
	stepH := 1.0
	if n := len(res.Hourly); n > 1 {
		stepH = res.Hourly[1].Start.Sub(res.Hourly[0].Start).Hours()
	}
	for _, st := range res.Hourly {
		ref := time.Date(st.Start.In(cet).Year(), 1, 1, 0, 0, 0, 0, cet)
		i := int(st.Start.Sub(ref).Hours())
		if i < 0 || i >= 8760 {
			continue
		}
		pv[i] += st.ACW * stepH / 1000
	}
	if !(res.EnergyKWh > 0) {
		return nil, fmt.Errorf("%w: no PV production on tilt %g°, azimuth %g°", ErrPVInput, tiltDeg, azDeg)
	}
	return pv, nil
}
