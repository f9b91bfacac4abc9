// Package econ values installations over their lifetime: PV under the
// French support schemes (arrêté S21 classes, tenders), heat pumps against
// the fossil boiler they replace, with NPV, IRR, LCOE, paybacks and CO₂
// avoided, in nominal euros discounted at the scenario's rate.
//
// Every price, tariff and cost is a field of Params (YAML key "econ" of a
// scenario) with its unit, source and date; energies and powers come from
// the other domains through the options of each call.
package econ
