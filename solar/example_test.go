package solar_test

import (
	"fmt"

	"github.com/gisement/gisement/solar"
)

// Transpose one hour of irradiance onto a 40° south-facing plane with Perez
// (pvlib's test_perez_scalar inputs: Tucson, 2014-06-24 12:00).
func ExamplePerezSky() {
	sky := solar.PerezSky(40, 180, 118.45831879, 939.95469881, 1321.1655834833093,
		10.56413562, 144.76567754, 1.01688136)
	fmt.Printf("sky diffuse on plane: %.2f W/m²\n", sky)
	// Output: sky diffuse on plane: 109.08 W/m²
}

// PVWatts DC and inverter for a 4 kW array at 800 W/m², 45 °C cell.
func ExamplePVWattsInverter() {
	dc := solar.PVWattsDC(800, 45, 4000, -0.0047, solar.PVWattsDCOptions{}) * (1 - 0.1408)
	ac := solar.PVWattsInverter(dc, 4000/1.2/0.96, 0.96)
	fmt.Printf("DC %.0f W, AC %.0f W\n", dc, ac)
	// Output: DC 2491 W, AC 2397 W
}
