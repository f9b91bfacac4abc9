package heat_test

import (
	"fmt"

	"github.com/gisement/gisement/model/heat"
)

// A 6 kW house in Dordogne (Périgueux, 90 m): the design temperature of the
// site, then a ground-source field sized to the need on a parcel with room
// for 12 probes at the NF X10-970 spacing, in a green GMI zone.
func ExampleSizeBorefield() {
	design, _ := heat.BaseTemperatureC("24", 90)
	b, _ := heat.SizeBorefield(heat.BorefieldInput{DesignLoadKW: 6, AnnualHeatKWh: 6 * 2100, COPDesign: 4.2,
		Ground: "normal", DepthM: 100, PossibleBoreholes: 12, SpacingM: heat.NFX10970SpacingM, GMIZone: "vert"})
	fmt.Printf("design %.1f °C: %d probe(s) needed, %d installed of %d possible, %.1f kW, %s, %s\n",
		design, b.Needed, b.Installed, b.Possible, b.CapacityKW, b.Method, b.GMI.Status)
	// Output:
	// design -6.5 °C: 1 probe(s) needed, 1 installed of 12 possible, 6.0 kW, vdi4640_simplified, gmi_declaration
}

// Consumption-like demand of a pre-1914 house (TABULA FR.01 standard need
// 313.8 kWh/m²·yr, hot water 10).
func ExampleConsumptionLikeDemand() {
	c, _ := heat.ConsumptionLikeDemand(313.8, 10)
	fmt.Printf("rating %.0f kWh/m²·yr, measured/calculated %.2f, space %.0f kWh/m²·yr\n", c.RatingKWhM2, c.Ratio, c.SpaceKWhM2)
	// Output:
	// rating 405 kWh/m²·yr, measured/calculated 0.48, space 149 kWh/m²·yr
}
