package econ

import (
	"fmt"
	"testing"
)

func TestExplore(t *testing.T) {
	m := mustEcon(t)
	fmt.Printf("curve A=%.4f B=%.4f rms=%.4f\n", m.Curve.A, m.Curve.B, m.Curve.RMSLog)
	for _, pt := range m.P.CapexPoints {
		fmt.Printf("  %g kWp: point %.3f curve %.3f\n", pt.KWp, pt.EURPerWpHT, m.Curve.EURPerWpHT(pt.KWp))
	}
	pv := samplePVShape(t)
	s := 0.0
	for _, v := range pv {
		s += v
	}
	fmt.Printf("pv shape sum %.1f kWh/kWp\n", s)
	load := mustLoad(t, ProfileH25, 4700)
	for _, kwp := range []float64{3, 4.5, 6, 9, 9.1, 12, 36, 36.1, 50, 100, 100.1} {
		r, err := m.Evaluate(SystemInput{Owner: OwnerHousehold, KWp: kwp, SpecificYield: 1200, PVProfile: pv, Load: load})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("HH %5.1f kWp sc=%.2f inv=%.0f npv=%.0f npv/kWp=%.0f irr=%.1f lcoe=%.3f pb=%.1f %s %s\n", kwp, r.SelfConsumptionShare, r.InvestmentEUR, r.NPVEUR, r.NPVPerKWp, r.IRRPct, r.LCOEEURPerKWh, r.SimplePaybackYr, r.Band, r.Option)
	}
	loadG := mustLoad(t, ProfileG25, 50000)
	for _, kwp := range []float64{3, 9, 9.1, 20, 36, 36.1, 50, 100, 100.1, 120} {
		r, err := m.Evaluate(SystemInput{Owner: OwnerBusiness, KWp: kwp, SpecificYield: 1200, PVProfile: pv, Load: loadG})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("BU %5.1f kWp sc=%.2f inv=%.0f npv=%.0f npv/kWp=%.0f irr=%.1f lcoe=%.3f pb=%.1f %s %s %v\n", kwp, r.SelfConsumptionShare, r.InvestmentEUR, r.NPVEUR, r.NPVPerKWp, r.IRRPct, r.LCOEEURPerKWh, r.SimplePaybackYr, r.Band, r.Option, r.Options)
	}
}
