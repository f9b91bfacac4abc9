package model

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// Hand-worked: single house, 100 m² footprint, 2 levels, built 1970
// (FR.04: 280 kWh/m²·yr in our table), climate HDD 2,000 vs reference 2,400.
// Area = 100·2·0.8 = 160 m²; space = 280·(2000/2400)·160 = 37,333.3 kWh;
// DHW = 12.5·160 = 2,000 kWh; design load = 37,333.3/(2000·24)·(18+5) =
// 17.889 kW.
func TestHeatDemandHandWorked(t *testing.T) {
	p := DefaultHeatDemandParams()
	d, err := EstimateHeatDemand(BuildingHeatInput{FootprintM2: 100, Levels: 2, Year: 1970, Kind: SingleHouse}, 2000, p)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name      string
		got, want float64
	}{
		{"area", d.FloorAreaM2, 160},
		{"space", d.SpaceKWh, 280 * 2000.0 / 2400 * 160},
		{"dhw", d.DHWKWh, 2000},
		{"design", d.DesignLoadKW, 280 * 2000.0 / 2400 * 160 / (2000 * 24) * 23},
	}
	for _, w := range want {
		if math.Abs(w.got-w.want) > 1e-9*math.Max(1, w.want) {
			t.Errorf("%s = %g, want %g", w.name, w.got, w.want)
		}
	}
	if d.Period != "FR.04" || d.LevelsSource != "levels" || d.RelUncertainty != p.RelUncertaintyKnown {
		t.Errorf("period %s, levels source %s, uncertainty %g", d.Period, d.LevelsSource, d.RelUncertainty)
	}
}

func TestHeatDemandFallbacks(t *testing.T) {
	p := DefaultHeatDemandParams()
	// Height 9.4 m → round(9.4/3) = 3 levels → multi-family by GuessKind.
	d, err := EstimateHeatDemand(BuildingHeatInput{FootprintM2: 200, HeightM: 9.4, Year: 0}, 2400, p)
	if err != nil {
		t.Fatal(err)
	}
	if d.LevelsUsed != 3 || d.LevelsSource != "height" || d.Kind != MultiFamily || d.Period != "unknown" ||
		d.SpecificSpaceKWhM2 != p.UnknownPeriodSpaceKWhM2 || d.RelUncertainty != p.RelUncertaintyUnknown {
		t.Errorf("fallbacks: %+v", d)
	}
	d, _ = EstimateHeatDemand(BuildingHeatInput{FootprintM2: 80, HeightM: math.NaN()}, 2400, p)
	if d.LevelsUsed != 1 || d.LevelsSource != "default" {
		t.Errorf("no height: %+v", d)
	}
	// Newer buildings need less; multi-family less than single houses.
	prev := math.Inf(1)
	for _, per := range ConstructionPeriods[3:] {
		if per.SingleKWhM2 >= prev || per.MultiKWhM2 >= per.SingleKWhM2 {
			t.Errorf("table not decreasing after 1968 at %s", per.Code)
		}
		prev = per.SingleKWhM2
	}
	// DPE class D: 215/1.0·0.85·0.9 = 164.475 kWh/m² heat, minus DHW 12.5.
	d, _ = EstimateHeatDemand(BuildingHeatInput{FootprintM2: 100, Levels: 1, DPEClass: "d"}, 1000, p)
	if math.Abs(d.SpecificSpaceKWhM2-(215*0.85*0.9-12.5)) > 1e-9 || d.Period != "DPE:D" {
		t.Errorf("DPE D: %+v", d)
	}
	// Tertiary: factor 0.8 on space, 5 kWh/m² DHW.
	d, _ = EstimateHeatDemand(BuildingHeatInput{FootprintM2: 100, Levels: 1, Year: 2015, Kind: SingleHouse, Use: UseTertiary}, 2400, p)
	if math.Abs(d.SpecificSpaceKWhM2-45*0.8) > 1e-9 || d.DHWKWh != 5*80 {
		t.Errorf("tertiary: %+v", d)
	}
}

func TestHeatDemandRejects(t *testing.T) {
	p := DefaultHeatDemandParams()
	for _, in := range []BuildingHeatInput{
		{FootprintM2: 0}, {FootprintM2: math.NaN()}, {FootprintM2: 50, Levels: -1},
		{FootprintM2: 50, DPEClass: "H"}, {FootprintM2: 50, Use: "industry"}, {FootprintM2: 50, Kind: "castle"},
	} {
		if _, err := EstimateHeatDemand(in, 2000, p); !errors.Is(err, ErrHeatInput) {
			t.Errorf("%+v: err = %v", in, err)
		}
	}
	bad := p
	bad.NetToGross = 2
	if err := bad.Validate(); !errors.Is(err, ErrHeatParam) {
		t.Errorf("net_to_gross 2: %v", err)
	}
}

func ExampleEstimateHeatDemand() {
	d, _ := EstimateHeatDemand(BuildingHeatInput{FootprintM2: 100, Levels: 2, Year: 1970, Kind: SingleHouse}, 2000, DefaultHeatDemandParams())
	fmt.Printf("floor %.0f m², space %.0f kWh/yr, DHW %.0f kWh/yr, design load %.1f kW\n", d.FloorAreaM2, d.SpaceKWh, d.DHWKWh, d.DesignLoadKW)
	// Output: floor 160 m², space 37333 kWh/yr, DHW 2000 kWh/yr, design load 17.9 kW
}
