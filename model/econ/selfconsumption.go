package econ

import (
	"fmt"
	"math"
	"sort"
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

// SelfConsumptionCurve answers MatchHourly's self-consumption for any kWp
// in O(log n) after an O(n log n) build, for sizing loops (the study
// evaluates tens of sizes per building). With r_h = load_h / pv_h:
//
//	self(k) = Σ_{r_h > k} k·pv_h + Σ_{r_h ≤ k} load_h
//
// so sorting hours by r_h and keeping prefix sums of pv and load gives
// self(k) from one binary search. Hours without PV contribute nothing.
type SelfConsumptionCurve struct {
	ratio  []float64 // ascending load/pv of the hours with pv > 0
	cumPV  []float64 // cumPV[i] = Σ pv of hours i.. (suffix sums, len n+1)
	cumLd  []float64 // cumLd[i] = Σ load of hours ..i-1 (prefix sums, len n+1)
	totPV  float64   // Σ pv (kWh/kWp)
	totLd  float64   // Σ load (kWh)
	nHours int
	// scale multiplies the load (0 = 1): WithLoadScale shares the arrays.
	scale float64
}

// WithLoadScale returns the curve of the same PV shape against the load
// multiplied by a (> 0), sharing c's arrays: Σ_h min(k·pv_h, a·load_h) =
// a·Σ_h min((k/a)·pv_h, load_h). A study builds one curve per load profile
// and PV shape for a unit annual use and scales it per building.
func (c *SelfConsumptionCurve) WithLoadScale(a float64) *SelfConsumptionCurve {
	d := *c
	d.scale = a * c.loadScale()
	return &d
}

func (c *SelfConsumptionCurve) loadScale() float64 {
	if c.scale == 0 {
		return 1
	}
	return c.scale
}

// NewSelfConsumptionCurve builds the curve of a PV profile per kWp against a
// load (same validation as MatchHourly).
func NewSelfConsumptionCurve(pvPerKWp, load []float64) (*SelfConsumptionCurve, error) {
	if _, err := MatchHourly(pvPerKWp, load, 0); err != nil {
		return nil, err
	}
	type hr struct{ r, pv, ld float64 }
	hs := make([]hr, 0, len(pvPerKWp))
	c := &SelfConsumptionCurve{nHours: len(load)}
	for h, e := range pvPerKWp {
		c.totLd += load[h]
		if e > 0 {
			hs = append(hs, hr{load[h] / e, e, load[h]})
			c.totPV += e
		}
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].r < hs[j].r })
	n := len(hs)
	c.ratio = make([]float64, n)
	c.cumPV = make([]float64, n+1)
	c.cumLd = make([]float64, n+1)
	for i, h := range hs {
		c.ratio[i] = h.r
		c.cumLd[i+1] = c.cumLd[i] + h.ld
	}
	for i := n - 1; i >= 0; i-- {
		c.cumPV[i] = c.cumPV[i+1] + hs[i].pv
	}
	return c, nil
}

// SelfConsumed returns Σ_h min(kWp·pv_h, load_h), kWh (kWp ≥ 0).
func (c *SelfConsumptionCurve) SelfConsumed(kWp float64) float64 {
	a := c.loadScale()
	k := kWp / a
	// First hour with r ≥ k: sort.SearchFloat64s's binary search written
	// out (the same predicate, so the same index, NaN included), without
	// its closure call per step (sizing scans call this per size).
	i, j := 0, len(c.ratio)
	for i < j {
		h := int(uint(i+j) >> 1)
		if !(c.ratio[h] >= k) {
			i = h + 1
		} else {
			j = h
		}
	}
	// hours [0, i): r < k → load-limited; [i, n): r ≥ k → PV-limited
	return a * (c.cumLd[i] + k*c.cumPV[i])
}

// ProductionPerKWp returns Σ pv_h, kWh/kWp; LoadKWh Σ load_h.
func (c *SelfConsumptionCurve) ProductionPerKWp() float64 { return c.totPV }

// LoadKWh returns the annual load, kWh.
func (c *SelfConsumptionCurve) LoadKWh() float64 { return c.loadScale() * c.totLd }
