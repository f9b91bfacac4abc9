package study

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/model/heat"
)

// TestSampleHeatBands runs the embedded sample (Périgueux, INSEE 24322,
// BDNB buildings without use, year or storeys; La Rochelle TMYx weather)
// with the default scenario and checks the heat figures of issue 11
// against outside references:
//
//   - consumption-like heat demand 200–380 GWh/yr. Périgueux has 20,766
//     dwellings of which 17,357 main residences (INSEE, census 2022,
//     dossier complet 24322); French main residences use on average
//     15.1 MWh/yr of final energy, about two thirds for space heating and a
//     tenth for hot water (SDES, tableau de bord de la rénovation
//     énergétique, 2022): 17,357 × 15.1 MWh × ~0.77 ≈ 200 GWh/yr of
//     residential heat, plus the tertiary buildings of a prefecture town
//     (schools, hospital, offices, shops: of the order of a third to a half
//     of the residential heat): 250–350 GWh/yr; 200–380 leaves room for the
//     model's known biases (footprint × storeys floor area);
//   - the conventional (TABULA) need is stored beside it and is larger
//     (the prebound effect);
//   - median air-source SCOP of existing residential buildings with
//     radiators, system including hot water, 2.8–3.8: Fraunhofer ISE
//     "WP-QS im Bestand" (final results 2025: 77 heat pumps in existing
//     houses over four years, air/water mean SPF 3.4, range 2.6–5.4);
//   - ground source: boreholes to drill ≤ boreholes needed in the totals
//     and per parcel, and no parcel's GSHP capacity above its design load;
//     probes at least 10 m apart (AFNOR NF X10-970); the sample has no GMI
//     zone layer, so every field is "to verify" and none is feasible.
func TestSampleHeatBands(t *testing.T) {
	r := sampleStudy(t)
	tt := r.Totals
	hs := r.Heat
	if hs == nil {
		t.Fatal("no heat summary")
	}
	t.Logf("heat demand: consumption-like %.1f GWh/yr, conventional %.1f GWh/yr; territory %.0f m (station %.0f m), shift %+.2f K, HDD %.0f → %.0f, design %v °C",
		tt.HeatDemandKWhYr/1e6, tt.HeatNeedConvKWhYr/1e6, hs.TerritoryAltitudeM, hs.StationAltitudeM, hs.ShiftK, hs.StationHDD, hs.TerritoryHDD, hs.DesignC)
	if g := tt.HeatDemandKWhYr / 1e6; !(g >= 200 && g <= 380) {
		t.Errorf("consumption-like heat demand %.1f GWh/yr outside 200–380", g)
	}
	if !(tt.HeatNeedConvKWhYr > tt.HeatDemandKWhYr) {
		t.Errorf("conventional need %.1f GWh/yr not above the consumption-like demand %.1f", tt.HeatNeedConvKWhYr/1e6, tt.HeatDemandKWhYr/1e6)
	}

	// Territory climate: 3CL-DPE base temperature of the Dordogne (H2c)
	// below 400 m is −6.5 °C; the territory is above the station (18 m),
	// so it is colder.
	want, err := heat.BaseTemperatureC(sample.INSEE, hs.TerritoryAltitudeM)
	if err != nil {
		t.Fatal(err)
	}
	if got := hs.DesignC[sample.INSEE]; got != want || want != -6.5 {
		t.Errorf("design temperature %.1f °C, want %.1f (3CL-DPE 2021, H2c < 400 m: −6.5)", got, want)
	}
	if !(hs.TerritoryAltitudeM > hs.StationAltitudeM && hs.ShiftK < 0 && hs.TerritoryHDD > hs.StationHDD) {
		t.Errorf("territory climate not shifted: %+v", *hs)
	}
	// Every building's use is counted exactly once.
	var uses int64
	for _, k := range []string{"use_usage1", "use_usage2", "use_dwellings", "fallback_annex_small", "fallback_annex_low", "fallback_annex_row",
		"fallback_hall", "fallback_large", "fallback_default_residential"} {
		uses += hs.UseSources[k]
	}
	if int(uses) != len(r.Buildings) {
		t.Errorf("use sources count %d buildings, study has %d", uses, len(r.Buildings))
	}

	// Air source: existing residential buildings with radiators.
	var scop []float64
	for i := range r.Buildings {
		b := &r.Buildings[i]
		if b.Heated && b.Field.Use.Use == heat.UseClassResidential && b.Field.Emitter != heat.EmitterFloorLT.Name && b.Field.HP.SpaceKWh > 0 {
			scop = append(scop, b.Field.HP.SCOPSystem)
		}
		if b.Heated && !(b.Heat.TotalKWh <= b.Field.Conventional.TotalKWh*1.15+1e-6) {
			t.Fatalf("building %d: consumption-like %.0f kWh above 1.15 × conventional %.0f", i, b.Heat.TotalKWh, b.Field.Conventional.TotalKWh)
		}
	}
	if len(scop) < 1000 {
		t.Fatalf("only %d residential buildings with radiators", len(scop))
	}
	med := quantiles(scop, 0.5)[0]
	t.Logf("median air-source SCOP (system incl. hot water) of %d residential buildings with radiators: %.2f; space heating alone (all heated): %.2f", len(scop), med, hs.MedianSCOPSpace)
	if !(med >= 2.8 && med <= 3.8) {
		t.Errorf("median SCOP %.2f outside 2.8–3.8 (Fraunhofer ISE WP-QS air/water field mean 3.4)", med)
	}

	// Ground source.
	t.Logf("ground source: %d parcels, %d boreholes to drill, %d needed, %d possible, %.0f kW; GMI to verify %d, outside %d; beyond VDI 4640 simplified %d",
		tt.GSHPParcels, tt.Boreholes, tt.BoreholesNeeded, tt.BoreholesPossible, tt.GSHPKW, tt.GSHPToVerifyParcels, tt.GSHPOutsideParcels, tt.GSHPNeedsSimulationParcels)
	if tt.Boreholes > tt.BoreholesNeeded || tt.Boreholes > tt.BoreholesPossible || tt.BoreholesPossible == 0 {
		t.Errorf("totals: %d boreholes to drill, %d needed, %d possible", tt.Boreholes, tt.BoreholesNeeded, tt.BoreholesPossible)
	}
	sizing := r.Scenario.Heat.ASHP.SizingFactor.Value
	for i := range r.Parcels {
		p := &r.Parcels[i]
		f := &p.Field
		if n := len(p.Boreholes.Points); n > 0 && p.Boreholes.SpacingM < heat.NFX10970SpacingM {
			t.Fatalf("parcel %d: probes %.1f m apart, below NF X10-970's 10 m", i, p.Boreholes.SpacingM)
		}
		if !f.BoreOK {
			continue
		}
		if f.Bore.Installed > f.Bore.Needed || f.Bore.Installed > f.Bore.Possible {
			t.Fatalf("parcel %d: %d boreholes to drill, %d needed, %d possible", i, f.Bore.Installed, f.Bore.Needed, f.Bore.Possible)
		}
		if f.Bore.CapacityKW > sizing*p.Heat.DesignLoadKW+1e-9 {
			t.Fatalf("parcel %d: GSHP %.2f kW above its design load %.2f kW", i, f.Bore.CapacityKW, p.Heat.DesignLoadKW)
		}
		if f.Bore.Possible > 0 && (f.Bore.GMI.Status != heat.GMIToVerify || f.Bore.Feasible) {
			t.Fatalf("parcel %d without GMI zone: status %s, feasible %v", i, f.Bore.GMI.Status, f.Bore.Feasible)
		}
	}
	if tt.GSHPToVerifyParcels == 0 {
		t.Error("no parcel flagged GMI 'to verify' on a sample without GMI zones")
	}
}

// The equivalent rectangle of a 40 × 5 m rectangle is itself (elongation
// 8); a square gives 1; a shape more compact than a square (a regular
// octagon) has no equivalent rectangle (NaN, the annex-row rule is then
// skipped).
func TestElongation(t *testing.T) {
	rect := func(w, h float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{0, 0}, {w, 0}, {w, h}, {0, h}, {0, 0}}}}
	}
	if e := elongation(rect(40, 5), 200); math.Abs(e-8) > 1e-9 {
		t.Errorf("40 × 5 m: %g, want 8", e)
	}
	if e := elongation(rect(10, 10), 100); math.Abs(e-1) > 1e-6 {
		t.Errorf("square: %g, want 1", e)
	}
	var oct orb.Ring
	for k := 0; k <= 8; k++ {
		a := float64(k) * math.Pi / 4
		oct = append(oct, orb.Point{10 * math.Cos(a), 10 * math.Sin(a)})
	}
	if e := elongation(orb.MultiPolygon{{oct}}, planar.Area(oct)); !math.IsNaN(e) {
		t.Errorf("octagon: %g, want NaN", e)
	}
}
