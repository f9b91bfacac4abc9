// Package heat estimates the heat demand of buildings and what air-source
// and ground-source heat pumps would deliver, for a weather year.
//
// It works in three steps. A HeatClimate is prepared once per
// weather file: heating degree-days (base 18 °C, the French "DJU"
// convention) and, per heat emitter (floor heating, low-temperature
// radiators, radiators), the seasonal electricity-per-heat ratios of a
// generic air/water and brine/water heat pump (hplib, FZJ-IEK3-VSA, fitted
// on Heat Pump KEYMARK / EN 14825 data) over the year's hours. Each building
// then gets a heat demand (heated floor area × specific need by construction
// period and building type, corrected by the weather's degree-days, plus
// domestic hot water) and a design heat load; the air-source and
// ground-source results follow in O(1) per building. Boreholes are placed on
// the parcel's free land by package land (siting rules in land.Params); their
// extraction rate follows VDI 4640 part 2 (here).
//
// Every assumption is a field of Params (YAML key "heat" of a scenario),
// a scenario.Param with its unit and source.
//
// Units: energies kWh/yr, powers kW (W where named), temperatures °C,
// lengths m in Lambert-93 (EPSG:2154) coordinates, areas m².
package heat
