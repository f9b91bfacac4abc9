package weather_test

import (
	"fmt"

	"github.com/gisement/gisement/solar/weather"
)

// Read an EPW file (48 real rows of the La Rochelle TMYx) and sum its
// global horizontal irradiation.
func ExampleRead() {
	s, err := weather.Read("testdata/epw_larochelle_2days.epw", weather.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	var ghiWh float64
	for _, r := range s.Records {
		ghiWh += r.GHIWm2 * s.StepH
	}
	fmt.Printf("%s %s: lat %.4f°, lon %.4f°, %d hourly records\n", s.Format, s.Site, s.LatDeg, s.LonDeg, len(s.Records))
	fmt.Printf("first interval starts %s, sun at %s\n", s.Records[0].Start.Format("2006-01-02 15:04Z"), s.Records[0].Sun.Format("15:04Z"))
	fmt.Printf("GHI over 2 days: %.2f kWh/m²\n", ghiWh/1000)
	// Output:
	// epw La Rochelle Intl AP: lat 46.1781°, lon -1.1931°, 48 hourly records
	// first interval starts 2004-12-31 23:00Z, sun at 23:30Z
	// GHI over 2 days: 1.54 kWh/m²
}

// A bad value is reported with file, line and field.
func ExampleParseError() {
	_, err := weather.Read("testdata/epw_nan_ghi.epw", weather.Options{})
	fmt.Println(err)
	// Output:
	// testdata/epw_nan_ghi.epw: line 11: field "GHI": not a number "NaN"
}
