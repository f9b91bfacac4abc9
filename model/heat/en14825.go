package heat

import (
	"fmt"
	"math"
)

// EN 14825 "average" reference heating season (Strasbourg): hours per
// outdoor temperature bin T_j = −10 … +15 °C, 4,910 h in total (EN
// 14825:2018 average reference heating season, also in Commission
// Communication 2014/C 207/02 for Regulation (EU) No 813/2013; reference
// design temperature −10 °C, heating limit 16 °C).
var en14825AverageHours = [26]float64{1, 25, 23, 24, 27, 68, 91, 89, 165, 173, 240, 280, 320, 357, 356, 303, 330, 326,
	348, 335, 315, 215, 169, 151, 105, 74}

// en14825Outlet: variable outlet temperatures of the EN 14825 test points
// (−10 / −7 / +2 / +7 / +12 °C) for the low-temperature (35 °C) and
// medium-temperature (55 °C) applications, linearly interpolated between
// the points and held beyond them.
var en14825Outlet = map[bool][5]float64{
	true:  {35, 34, 30, 27, 24},
	false: {55, 52, 42, 36, 30},
}

var en14825Points = [5]float64{-10, -7, 2, 7, 12}

// EN14825SCOPOn returns the seasonal COP in active mode of a COP model over
// the EN 14825 average heating season: part load (T_j − 16)/(−10 − 16),
// variable outlet temperature of the low- (lowTemp) or medium-temperature
// application, Σ h·P / Σ h·P/COP. Cycling degradation, the backup heater
// below the bivalent point and the off modes are left out, so it sits a
// few per cent above a declared SCOP. It checks a lab COP model against
// the SCOPs declared in the Heat Pump KEYMARK.
func EN14825SCOPOn(cop COPFunc, lowTemp bool) (float64, error) {
	if cop == nil {
		return math.NaN(), fmt.Errorf("%w: no COP model", ErrFieldInput)
	}
	out := en14825Outlet[lowTemp]
	var q, e float64
	for j, h := range en14825AverageHours {
		tj := float64(j - 10)
		flow := out[len(out)-1]
		switch {
		case tj <= en14825Points[0]:
			flow = out[0]
		case tj < en14825Points[4]:
			for k := 1; k < 5; k++ {
				if tj <= en14825Points[k] {
					f := (tj - en14825Points[k-1]) / (en14825Points[k] - en14825Points[k-1])
					flow = out[k-1] + f*(out[k]-out[k-1])
					break
				}
			}
		}
		load := (tj - 16) / (-10 - 16)
		c := math.Max(1, cop(tj, flow))
		q += h * load
		e += h * load / c
	}
	return q / e, nil
}
