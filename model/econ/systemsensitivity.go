package econ

import (
	"math"
	"strconv"
	"strings"
)

// SensitivityRow is the result of one what-if on an installation.
type SensitivityRow struct {
	// Factor: lifetime, om, vat, self_consumption, escalation,
	// discount_rate, capex, or "base".
	Factor string `json:"factor"`
	// Case describes the change in French (e.g. "durée de vie 25 ans").
	Case                 string  `json:"case"`
	NPVEUR               float64 `json:"npv_eur"`
	IRRPct               float64 `json:"irr_pct"`
	LCOEEURPerKWh        float64 `json:"lcoe_eur_per_kwh"`
	SimplePaybackYr      float64 `json:"simple_payback_yr"`
	SelfConsumptionShare float64 `json:"self_consumption_share"`
	Option               string  `json:"option"`
}

// Sensitivity evaluates the installation under the base parameters and
// one-at-a-time changes of lifetime (20, 25, 30 yr), O&M (0.5 and 2 %/yr
// of the investment), VAT (household: reduced-rate conditions met or not),
// self-consumption (share ∓ 10 points), electricity price escalation (0 and
// 4 %/yr), discount rate (± 2 points) and capex (± 20 %). Cases equal to
// the base are skipped.
func (m *OwnerEconomics) Sensitivity(in SystemInput) ([]SensitivityRow, error) {
	base, err := m.Evaluate(in)
	if err != nil {
		return nil, err
	}
	row := func(f, c string, r SystemResult) SensitivityRow {
		return SensitivityRow{Factor: f, Case: c, NPVEUR: r.NPVEUR, IRRPct: r.IRRPct, LCOEEURPerKWh: r.LCOEEURPerKWh,
			SimplePaybackYr: r.SimplePaybackYr, SelfConsumptionShare: r.SelfConsumptionShare, Option: r.Option}
	}
	rows := []SensitivityRow{row("base", "hypothèses de base", base)}
	withParams := func(f, c string, edit func(p *SystemParams)) error {
		p := m.P
		p.S21 = append([]S21Band(nil), m.P.S21...)
		edit(&p)
		mm := &OwnerEconomics{P: p, Curve: m.Curve}
		if err := p.CheckSystem(); err != nil {
			return err
		}
		r, err := mm.Evaluate(in)
		if err != nil {
			return err
		}
		rows = append(rows, row(f, c, r))
		return nil
	}
	withInput := func(f, c string, edit func(in *SystemInput)) error {
		in2 := in
		edit(&in2)
		r, err := m.Evaluate(in2)
		if err != nil {
			return err
		}
		rows = append(rows, row(f, c, r))
		return nil
	}
	for _, L := range []float64{20, 25, 30} {
		if L == m.P.LifetimeYr.Value {
			continue
		}
		L := L
		if err := withParams("lifetime", "durée de vie "+fmtNum(L)+" ans", func(p *SystemParams) { p.LifetimeYr.Value = L }); err != nil {
			return nil, err
		}
	}
	for _, om := range []float64{0.5, 2} {
		om := om
		if om == m.P.OMPctCapexYr.Value {
			continue
		}
		if err := withParams("om", "exploitation-maintenance "+fmtNum(om)+" %/an", func(p *SystemParams) { p.OMPctCapexYr.Value = om }); err != nil {
			return nil, err
		}
	}
	if in.Owner == OwnerHousehold || in.Owner == "" {
		alt := 1 - m.P.HouseholdReducedVATEligible.Value
		c := "TVA 5,5 % (conditions remplies)"
		if alt == 0 {
			c = "TVA 10 %/20 % (conditions 5,5 % non remplies)"
		}
		if err := withParams("vat", c, func(p *SystemParams) { p.HouseholdReducedVATEligible.Value = alt }); err != nil {
			return nil, err
		}
	}
	for _, ds := range []float64{-0.10, 0.10} {
		s := math.Min(1, math.Max(0, base.SelfConsumptionShare+ds))
		if base.Option == "full_sale" {
			// full sale: take the surplus option's own share
			continue
		}
		c := "autoconsommation " + fmtNum(math.Round(100*s)) + " %"
		if err := withInput("self_consumption", c, func(in *SystemInput) { in.SelfConsumptionShare = &s }); err != nil {
			return nil, err
		}
	}
	for _, e := range []float64{0, 4} {
		e := e
		if e == m.P.PriceEscalationPct.Value {
			continue
		}
		if err := withParams("escalation", "hausse du prix de l'électricité "+fmtNum(e)+" %/an", func(p *SystemParams) { p.PriceEscalationPct.Value = e }); err != nil {
			return nil, err
		}
	}
	for _, dd := range []float64{-2, 2} {
		dd := dd
		c := "taux d'actualisation " + fmtNum(base.DiscountRatePct+dd) + " %"
		if err := withParams("discount_rate", c, func(p *SystemParams) {
			p.DiscountRateHousehold.Value += dd
			p.DiscountRateBusiness.Value += dd
			p.DiscountRateCommunity.Value += dd
		}); err != nil {
			return nil, err
		}
	}
	for _, k := range []float64{0.8, 1.2} {
		k := k
		c := "investissement −" + fmtNum(math.Round(100*(1-k))) + " %"
		if k > 1 {
			c = "investissement +" + fmtNum(math.Round(100*(k-1))) + " %"
		}
		if err := withInput("capex", c, func(in2 *SystemInput) { in2.CapexEURPerKWpHT = k * base.CapexHTEUR / in.KWp }); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// fmtNum prints a number with a French decimal comma and no trailing zeros.
func fmtNum(x float64) string {
	return strings.ReplaceAll(strconv.FormatFloat(x, 'f', -1, 64), ".", ",")
}
