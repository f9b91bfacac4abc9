package econ

import (
	"fmt"
	"math"
)

// SelfConsumptionResult is the hourly match of a PV production against a
// load, kWh per year.
type SelfConsumptionResult struct {
	ProductionKWh   float64 `json:"production_kwh"`
	LoadKWh         float64 `json:"load_kwh"`
	SelfConsumedKWh float64 `json:"self_consumed_kwh"`
	ExportedKWh     float64 `json:"exported_kwh"`
	// SelfConsumptionShare = self-consumed / production ("taux
	// d'autoconsommation"); NaN without production.
	SelfConsumptionShare float64 `json:"self_consumption_share"`
	// SelfSufficiencyShare = self-consumed / load ("taux
	// d'autoproduction"); NaN without load.
	SelfSufficiencyShare float64 `json:"self_sufficiency_share"`
}

// MatchHourly returns the self-consumption of a PV system of kWp whose
// production per kWp is pvPerKWp[h] (kWh/kWp in hour h) against the load
// load[h] (kWh), both on the same hourly time base:
//
//	self = Σ_h min(kWp · pv_h, load_h)
//
// without storage, hour by hour: the self-consumed energy never exceeds the
// load of any hour (nor the annual load), and it is a continuous,
// non-decreasing, concave function of kWp. Hourly matching overstates
// self-consumption against quarter-hourly or minute data by a few points
// (sub-hourly load peaks are averaged out), a known bias of hourly models.
func MatchHourly(pvPerKWp, load []float64, kWp float64) (SelfConsumptionResult, error) {
	if len(pvPerKWp) != len(load) {
		return SelfConsumptionResult{}, fmt.Errorf("self-consumption: PV profile has %d hours, load %d: they must cover the same hours", len(pvPerKWp), len(load))
	}
	if !(kWp >= 0) || math.IsInf(kWp, 0) {
		return SelfConsumptionResult{}, fmt.Errorf("self-consumption: kWp %g must be finite and ≥ 0", kWp)
	}
	var r SelfConsumptionResult
	for h, e := range pvPerKWp {
		l := load[h]
		if !(e >= 0) || !(l >= 0) || math.IsInf(e, 0) || math.IsInf(l, 0) {
			return SelfConsumptionResult{}, fmt.Errorf("self-consumption: hour %d: PV %g kWh/kWp and load %g kWh must be finite and ≥ 0", h, e, l)
		}
		p := kWp * e
		r.ProductionKWh += p
		r.LoadKWh += l
		r.SelfConsumedKWh += math.Min(p, l)
	}
	r.ExportedKWh = r.ProductionKWh - r.SelfConsumedKWh
	r.SelfConsumptionShare, r.SelfSufficiencyShare = math.NaN(), math.NaN()
	if r.ProductionKWh > 0 {
		r.SelfConsumptionShare = r.SelfConsumedKWh / r.ProductionKWh
	}
	if r.LoadKWh > 0 {
		r.SelfSufficiencyShare = r.SelfConsumedKWh / r.LoadKWh
	}
	return r, nil
}

// NormalizePVProfile scales an hourly PV production series (any unit,
// e.g. the AC output of a 1 kWp simulation) so that it sums to
// specificYield kWh/kWp: the shape comes from the weather year and plane,
// the level from the building's own specific yield.
func NormalizePVProfile(hourly []float64, specificYield float64) ([]float64, error) {
	if !(specificYield >= 0) || math.IsInf(specificYield, 0) {
		return nil, fmt.Errorf("specific yield %g kWh/kWp: must be finite and ≥ 0", specificYield)
	}
	s := 0.0
	for h, v := range hourly {
		if !(v >= 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("PV profile hour %d: %g must be finite and ≥ 0", h, v)
		}
		s += v
	}
	if s <= 0 {
		return nil, fmt.Errorf("PV profile of %d hours has no production: cannot scale to %g kWh/kWp", len(hourly), specificYield)
	}
	out := make([]float64, len(hourly))
	k := specificYield / s
	for h, v := range hourly {
		out[h] = v * k
	}
	return out, nil
}
