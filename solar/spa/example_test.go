package spa_test

import (
	"fmt"
	"time"

	"github.com/gisement/gisement/solar/spa"
)

// The worked example of the SPA report (Golden, Colorado, 2003-10-17
// 12:30:30 UTC−7, 1830.14 m, 820 hPa, 11 °C, ΔT = 67 s).
func ExamplePosition() {
	t := time.Date(2003, 10, 17, 12, 30, 30, 0, time.FixedZone("MST", -7*3600))
	r := spa.Position(t, 39.742476, -105.1786, spa.Options{
		ElevationM: 1830.14, PressureHPa: 820, TempC: 11, DeltaTS: 67, DeltaTKnown: true,
	})
	fmt.Printf("apparent zenith %.6f°\n", r.ApparentZenithDeg)
	fmt.Printf("azimuth %.6f° (clockwise from north)\n", r.AzimuthDeg)
	fmt.Printf("incidence on slope 30°, rotation −10°: %.6f°\n", spa.Incidence(r, 30, -10))
	fmt.Printf("equation of time %.2f min\n", r.EquationOfTimeMin)
	// Output:
	// apparent zenith 50.111622°
	// azimuth 194.340241° (clockwise from north)
	// incidence on slope 30°, rotation −10°: 25.187000°
	// equation of time 14.64 min
}

func ExampleDeltaT() {
	fmt.Printf("ΔT mid-2023 ≈ %.1f s\n", spa.DeltaT(2023, 7))
	// Output:
	// ΔT mid-2023 ≈ 73.6 s
}

// Hourly positions for a year, allocation-free into a reused slice.
func ExamplePositions() {
	times := make([]time.Time, 24)
	for i := range times {
		times[i] = time.Date(2023, 6, 21, i, 30, 0, 0, time.UTC)
	}
	out := make([]spa.Result, len(times))
	spa.Positions(times, 45.184, 0.7218, spa.Options{}, out) // Périgueux
	r := out[11]
	fmt.Printf("%s elevation %.2f°, azimuth %.2f°\n", times[11].Format("15:04Z"), r.ApparentElevationDeg, r.AzimuthDeg)
	// Output:
	// 11:30Z elevation 67.48°, azimuth 162.48°
}

// Sunrise, transit and sunset at Périgueux on the June solstice 2023, in
// local time (Europe/Paris is UTC+2 in summer; a fixed zone keeps the example
// independent of the tz database).
func ExampleRiseTransitSet() {
	paris := time.FixedZone("CEST", 2*3600)
	ev := spa.RiseTransitSet(time.Date(2023, 6, 21, 0, 0, 0, 0, paris), 45.184, 0.7218, spa.Options{})
	fmt.Println("sunrise", ev.Sunrise.Format("15:04:05"))
	fmt.Println("transit", ev.Transit.Format("15:04:05"), fmt.Sprintf("(elevation %.2f°)", ev.TransitElevationDeg))
	fmt.Println("sunset ", ev.Sunset.Format("15:04:05"))
	// Output:
	// sunrise 06:09:34
	// transit 13:58:53 (elevation 68.25°)
	// sunset  21:48:12
}
