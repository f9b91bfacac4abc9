package econ

import (
	"encoding/json"
	"math"
	"strconv"
)

// jsonNum is a float64 that encodes NaN and ±Inf as JSON null ("not
// computed", never 0): encoding/json rejects non-finite numbers.
type jsonNum float64

func (x jsonNum) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// MarshalJSON writes the result with null for the values that were not
// computed (no load given, no IRR, never paid back).
func (r SystemResult) MarshalJSON() ([]byte, error) {
	type plain SystemResult
	return json.Marshal(struct {
		plain
		LoadKWhYr           jsonNum `json:"load_kwh_yr"`
		IRRPct              jsonNum `json:"irr_pct"`
		LCOEEURPerKWh       jsonNum `json:"lcoe_eur_per_kwh"`
		SimplePaybackYr     jsonNum `json:"simple_payback_yr"`
		DiscountedPaybackYr jsonNum `json:"discounted_payback_yr"`
	}{plain(r), jsonNum(r.LoadKWhYr), jsonNum(r.IRRPct), jsonNum(r.LCOEEURPerKWh), jsonNum(r.SimplePaybackYr), jsonNum(r.DiscountedPaybackYr)})
}

// MarshalJSON writes null for an IRR, LCOE or payback not computed.
func (r SensitivityRow) MarshalJSON() ([]byte, error) {
	type plain SensitivityRow
	return json.Marshal(struct {
		plain
		IRRPct          jsonNum `json:"irr_pct"`
		LCOEEURPerKWh   jsonNum `json:"lcoe_eur_per_kwh"`
		SimplePaybackYr jsonNum `json:"simple_payback_yr"`
	}{plain(r), jsonNum(r.IRRPct), jsonNum(r.LCOEEURPerKWh), jsonNum(r.SimplePaybackYr)})
}

// MarshalJSON writes an open-ended band's max_kwp as null.
func (b S21Band) MarshalJSON() ([]byte, error) {
	type plain S21Band
	return json.Marshal(struct {
		plain
		MaxKWp jsonNum `json:"max_kwp"`
	}{plain(b), jsonNum(b.MaxKWp)})
}

// MarshalJSON writes the shares as null when there is no production or load.
func (r SelfConsumptionResult) MarshalJSON() ([]byte, error) {
	type plain SelfConsumptionResult
	return json.Marshal(struct {
		plain
		SelfConsumptionShare jsonNum `json:"self_consumption_share"`
		SelfSufficiencyShare jsonNum `json:"self_sufficiency_share"`
	}{plain(r), jsonNum(r.SelfConsumptionShare), jsonNum(r.SelfSufficiencyShare)})
}
