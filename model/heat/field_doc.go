// Package heat holds the building heat side of gisement: heat demand,
// degree-days, the TABULA typology, air-source and ground-source heat pumps
// and borehole fields.
//
// The files named after a concept (basetemp.go, emitters.go, hpfield.go,
// calibration.go, localenergy.go, usage.go, borefield.go, gmi.go) add the
// "field-grade" layer an energy engineer checks a pre-study against:
//
//   - territory climate: the French base (design) outdoor temperature per
//     département and altitude, and degree-days moved from the weather
//     station to the territory by an altitude lapse rate or a temperature
//     field (basetemp.go);
//   - consumption-like demand: the TABULA standard need is what a building
//     would use heated to 20 °C everywhere; measured consumption of poor
//     buildings is much lower (the "prebound effect"). calibration.go turns
//     the standard need into a consumption-like demand and scales a
//     territory to observed gas and electricity consumption read from the
//     SDES / Agence ORE "données locales de l'énergie" files
//     (localenergy.go);
//   - use and size of a building from BD TOPO / BDNB attributes with counted
//     fallbacks (usage.go);
//   - air-source heat pumps as measured in the field: a heating curve that
//     reaches its design flow at the local design temperature, emitter
//     classes with the heat pump's flow cap and a backup heater above it,
//     cycling, standby, pumps and hot-water storage losses on top of a lab
//     COP (hpfield.go, emitters.go). The lab COP is a callback, so any COP
//     model (hplib, When2Heat) plugs in;
//   - ground source: boreholes sized to the need, never more capacity than
//     the design load, the VDI 4640 simplified table only inside its
//     validity, NF X10-970 spacing and the French GMI regime (borefield.go,
//     gmi.go).
//
// Every default of this layer is listed, with unit, source and date, by
// the scenario parameters heat.field, heat.calibration and heat.usage
// (FieldParams, CalibrationSettings, UsageSettings). Units: temperatures °C, powers kW unless a name says W,
// energies kWh per year, specific needs kWh per m² of heated (reference)
// floor area per year.
package heat
