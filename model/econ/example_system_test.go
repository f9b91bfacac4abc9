package econ_test

import (
	"fmt"

	"github.com/gisement/gisement/model/econ"
)

// A 6 kWp household system at 1,150 kWh/kWp with 35 % of its production
// self-consumed, under the built-in assumptions (S21 tariffs of the first
// quarter of 2026, 5.5 % VAT, 30-year life).
func ExampleOwnerEconomics_Evaluate() {
	m, err := econ.NewOwnerEconomics(econ.DefaultSystemParams())
	if err != nil {
		panic(err)
	}
	share := 0.35
	r, err := m.Evaluate(econ.SystemInput{Owner: econ.OwnerHousehold, KWp: 6, SpecificYield: 1150, SelfConsumptionShare: &share})
	if err != nil {
		panic(err)
	}
	fmt.Printf("band %s, %s at %.4f €/kWh, premium %.0f €\n", r.Band, r.Option, r.TariffEURPerKWh, r.PremiumEUR)
	fmt.Printf("VAT %.1f %%, investment %.0f € TTC\n", r.VATPct, r.InvestmentEUR)
	fmt.Printf("NPV %.0f €, IRR %.1f %%, LCOE %.3f €/kWh, payback %.1f yr\n", r.NPVEUR, r.IRRPct, r.LCOEEURPerKWh, r.SimplePaybackYr)
	// Output:
	// band 0–9 kWc, surplus at 0.0400 €/kWh, premium 480 €
	// VAT 5.5 %, investment 11385 € TTC
	// NPV -351 €, IRR 3.8 %, LCOE 0.125 €/kWh, payback 19.4 yr
}

// Hourly self-consumption of a 4 kWp PV profile against a household's
// BDEW H25 load scaled to 4,700 kWh/yr.
func ExampleMatchHourly() {
	p, err := econ.EmbeddedBDEWProfile(econ.ProfileH25)
	if err != nil {
		panic(err)
	}
	load, err := p.HourlyLoad(2025, 4700)
	if err != nil {
		panic(err)
	}
	// A crude bell-shaped day of PV, 6:00–18:00, repeated all year.
	pv := make([]float64, len(load))
	for h := range pv {
		if x := h%24 - 12; x > -6 && x < 6 {
			pv[h] = float64(36 - x*x)
		}
	}
	pv, _ = econ.NormalizePVProfile(pv, 1100)
	r, err := econ.MatchHourly(pv, load, 4)
	if err != nil {
		panic(err)
	}
	fmt.Printf("production %.0f kWh, self-consumed %.0f kWh (%.0f %%), load covered %.0f %%\n",
		r.ProductionKWh, r.SelfConsumedKWh, 100*r.SelfConsumptionShare, 100*r.SelfSufficiencyShare)
	// Output:
	// production 4400 kWh, self-consumed 2219 kWh (50 %), load covered 47 %
}
