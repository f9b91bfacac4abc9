// Package solar holds the irradiance and PV-performance physics of gisement:
// extraterrestrial irradiance and airmass, transposition of horizontal
// irradiance onto tilted planes (isotropic, Hay–Davies, Perez 1990), the Erbs
// decomposition, incidence-angle modifiers, cell-temperature models, the
// PVWatts (NREL) and PVGIS (JRC, Huld 2011) power models, horizon shading, and
// a fast annual simulation (Sky, prepared once per weather year, then
// Sky.Annual per roof plane).
//
// Conventions used throughout (as pvlib and NREL SPA):
//   - azimuth in degrees clockwise from north (0 N, 90 E, 180 S, 270 W);
//   - tilt in degrees from horizontal (0 flat, 90 vertical);
//   - zenith in degrees from the vertical;
//   - irradiance in W/m², irradiation in kWh/m², temperature in °C,
//     wind in m/s at 10 m, power in W (or kW where named).
//
// Each formula's doc comment names its source and the tool it matches; the
// tests check them against pvlib's own test vectors and NREL PVWatts output.
package solar
