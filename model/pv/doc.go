// Package pv computes the rooftop photovoltaic potential of a territory:
// the yield of every roof plane under its horizon (the FastPath, a
// tabulated form of the hourly PVGIS-type model of package solar, or the
// HourlyEvaluator), which planes count, the Sonnendach suitability class,
// and the sums per building and parcel; PointCalc answers a single system
// at a point (the /v1/pvcalc endpoint).
//
// Conventions: azimuth clockwise from north (180 = south), tilt from
// horizontal; energies kWh, powers kWp, areas m². Every assumption is a
// field of Params (YAML key "pv" of a scenario).
package pv
