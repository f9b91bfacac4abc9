// Package uncertainty propagates the input uncertainties of a scenario
// (roof area and pitch, weather year, system performance, price escalation)
// to the yield and NPV of PV installations by Monte Carlo, and holds
// gisement's one quantile definition (Quantile). The distributions are
// Params (YAML key "uncertainty" of a scenario); the economics are package
// econ's.
package uncertainty
