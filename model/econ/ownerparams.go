package econ

import (
	"fmt"
	"math"
	"sync"
)

// s21Classes converts the owner economics' S21 bands into the scenario's
// class list (an open-ended band has MaxKWp 0, the scenario's "unbounded").
func s21Classes(bands []S21Band) []S21Class {
	out := make([]S21Class, len(bands))
	for i, b := range bands {
		m := b.MaxKWp
		if math.IsInf(m, 1) {
			m = 0
		}
		out[i] = S21Class{MaxKWp: m, SurplusEURPerKWh: b.SurplusEURPerKWh, PremiumEURPerKWp: b.PremiumEURPerKWp,
			PremiumYears: b.PremiumYears, FullSaleEURPerKWh: b.FullSaleEURPerKWh, Source: b.Scheme + " — " + b.Source, Date: b.Date}
	}
	return out
}

// SystemParams returns the owner economics' parameters (NewOwnerEconomics)
// of the scenario: ONE parameter system, the scenario's values. The S21
// classes become bands tiling the power axis (each from the previous
// class's bound; the unbounded last class up to +Inf).
func (p *Params) SystemParams() SystemParams {
	bands := make([]S21Band, len(p.Tariffs.S21))
	prev := 0.0
	for i, c := range p.Tariffs.S21 {
		hi := c.MaxKWp
		if hi == 0 {
			hi = math.Inf(1)
		}
		scheme := fmt.Sprintf("S21 %g–%g kWc", prev, hi)
		if math.IsInf(hi, 1) {
			scheme = fmt.Sprintf("au-delà de %g kWc", prev)
		}
		bands[i] = S21Band{MinKWp: prev, MaxKWp: hi, SurplusEURPerKWh: c.SurplusEURPerKWh, PremiumEURPerKWp: c.PremiumEURPerKWp,
			PremiumYears: c.PremiumYears, FullSaleEURPerKWh: c.FullSaleEURPerKWh, Scheme: scheme, Source: c.Source, Date: c.Date}
		prev = hi
	}
	return SystemParams{
		CapexPoints:                 p.PV.CapexRooftopPoints,
		VATStandardPct:              p.VAT.StandardPct,
		VATReducedPct:               p.VAT.ReducedPct,
		VATIntermediatePct:          p.VAT.IntermediatePct,
		VATReducedMaxKWp:            p.VAT.ReducedMaxKWp,
		VATIntermMaxKWp:             p.VAT.IntermMaxKWp,
		HouseholdReducedVATEligible: p.VAT.HouseholdReducedEligible,
		S21:                         bands,
		ContractYears:               p.Tariffs.ContractYears,
		PostContractEURPerKWh:       p.Tariffs.PostContractEURPerKWh,
		PriceHouseholdEURPerKWh:     p.Prices.ElectricityResidential,
		PriceBusinessEURPerKWh:      p.Prices.ElectricityNonResidential,
		PriceEscalationPct:          p.Prices.ElectricityEscalationPct,
		LifetimeYr:                  p.PV.LifetimeYr,
		DegradationPctYr:            p.PV.DegradationPctYr,
		OMPctCapexYr:                p.PV.OpexPctCapexYr,
		InverterLifeYr:              p.PV.InverterReplacementYr,
		InverterCostPctCapex:        p.PV.InverterCostPctCapex,
		DiscountRateHousehold:       p.Finance.DiscountRatePct,
		DiscountRateBusiness:        p.Finance.DiscountRateBusinessPct,
		DiscountRateCommunity:       p.Finance.DiscountRateCommunityPct,
		HouseholdAnnualUseKWh:       p.PV.HouseholdAnnualUseKWh,
		ResidentialMinKWp:           p.PV.ResidentialMinKWp,
		ResidentialMaxKWp:           p.PV.ResidentialMaxKWp,
	}
}

// capexCurves caches the fitted curve per price-point list (scenarios are
// few; fitting per call would cost a least-squares fit per installation,
// and the Monte Carlo must not allocate). Keyed by the list's first
// element and length; the cached copy of the points is compared so that a
// list edited in place is refitted.
var capexCurves sync.Map // capexKey → *capexFit

type capexKey struct {
	first *CapexPricePoint
	n     int
}

type capexFit struct {
	pts []CapexPricePoint
	c   CapexCurve
	err error
}

// cachedCapexCurve returns FitCapexCurve(pts), fitted once per distinct list.
func cachedCapexCurve(pts []CapexPricePoint) (CapexCurve, error) {
	if len(pts) == 0 {
		return FitCapexCurve(pts)
	}
	k := capexKey{&pts[0], len(pts)}
	if v, ok := capexCurves.Load(k); ok {
		f := v.(*capexFit)
		same := true
		for i := range pts {
			if pts[i].KWp != f.pts[i].KWp || pts[i].EURPerWpHT != f.pts[i].EURPerWpHT {
				same = false
				break
			}
		}
		if same {
			return f.c, f.err
		}
	}
	c, err := FitCapexCurve(pts)
	capexCurves.Store(k, &capexFit{append([]CapexPricePoint(nil), pts...), c, err})
	return c, err
}
