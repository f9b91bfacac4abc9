package heat

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// ErrHeatInput marks invalid input to the heat model (building data,
// temperature series, geometry); ErrHeatParam an invalid parameter.
var (
	ErrHeatInput = errors.New("invalid heat-model input")
	ErrHeatParam = errors.New("invalid heat-model parameter")
)

// BuildingKind is the TABULA size class used by the demand table.
type BuildingKind string

const (
	SingleHouse BuildingKind = "single_house" // TABULA SFH (and TH, terraced)
	MultiFamily BuildingKind = "multi_family" // TABULA MFH and AB (apartment block)
)

// BuildingUse separates residential from tertiary buildings.
type BuildingUse string

const (
	UseResidential BuildingUse = "residential"
	UseTertiary    BuildingUse = "tertiary"
)

// ConstructionPeriod is one row of the specific space-heating table: a
// TABULA France construction-year class with the energy need for space
// heating of its four example buildings (existing state, TABULA climate
// FR.N, see TabulaFR and tabula_fr.go).
type ConstructionPeriod struct {
	// Code is the TABULA France construction-year class (FR.01 … FR.10).
	Code string
	// FromYear, ToYear bound the class (inclusive); 0 / 9999 are open ends.
	FromYear, ToYear int
	// SFHKWhM2, THKWhM2, MFHKWhM2, ABKWhM2: energy need for space heating
	// q_h_nd of the TABULA example buildings FR.N.<size>.<nn>.Gen (single
	// family, terraced, multi-family, apartment block), kWh per m² of
	// reference floor area A_C_Ref per year, climate FR.N (2,692 K·d at
	// 20/12 °C ≈ ReferenceHDD).
	SFHKWhM2, THKWhM2, MFHKWhM2, ABKWhM2 float64
	// Source names the TABULA codes of the row.
	Source string
}

// ConstructionPeriods is the specific space-heating table, ordered by year,
// built from TabulaFR.
var ConstructionPeriods = buildConstructionPeriods()

func buildConstructionPeriods() []ConstructionPeriod {
	var out []ConstructionPeriod
	for _, sfh := range TabulaFR {
		if sfh.Size != TabulaSFH {
			continue
		}
		th, _ := tabulaFR(TabulaTH, sfh.Period)
		mfh, _ := tabulaFR(TabulaMFH, sfh.Period)
		ab, _ := tabulaFR(TabulaAB, sfh.Period)
		out = append(out, ConstructionPeriod{
			Code: sfh.Period, FromYear: sfh.FromYear, ToYear: sfh.ToYear,
			SFHKWhM2: sfh.QhNdKWhM2, THKWhM2: th.QhNdKWhM2, MFHKWhM2: mfh.QhNdKWhM2, ABKWhM2: ab.QhNdKWhM2,
			Source: "TABULA/EPISCOPE, IWU Darmstadt (episcope.eu), CC BY 4.0: q_h_nd of " +
				sfh.Code + ", " + th.Code + ", " + mfh.Code + ", " + ab.Code + " (existing state .001)",
		})
	}
	return out
}

// SpaceKWhM2 returns the period's space-heating need for a building of the
// given kind, kWh/m²·yr (reference area, climate FR.N): single houses mix
// the SFH and TH example buildings with weight p.TerracedShare.Value on TH;
// multi-family buildings use the AB example from p.ApartmentBlockMinLevels.Int()
// storeys up, else MFH. The second result names the TABULA size used.
func (c ConstructionPeriod) SpaceKWhM2(kind BuildingKind, levels int, p DemandParams) (float64, string) {
	if kind == MultiFamily {
		if levels >= p.ApartmentBlockMinLevels.Int() {
			return c.ABKWhM2, string(TabulaAB)
		}
		return c.MFHKWhM2, string(TabulaMFH)
	}
	return (1-p.TerracedShare.Value)*c.SFHKWhM2 + p.TerracedShare.Value*c.THKWhM2, "SFH+TH"
}

// PeriodFor returns the construction period holding year, or false when the
// year is unknown (≤ 0).
func PeriodFor(year int) (ConstructionPeriod, bool) {
	if year <= 0 {
		return ConstructionPeriod{}, false
	}
	for _, p := range ConstructionPeriods {
		if year >= p.FromYear && year <= p.ToYear {
			return p, true
		}
	}
	return ConstructionPeriods[len(ConstructionPeriods)-1], true
}

// DPEBand is a primary-energy band of the French DPE (energy performance
// certificate, arrêté du 31 mars 2021), kWh_EP per m² per year, 5 uses.
type DPEBand struct {
	Class    string
	LoKWhM2  float64 // inclusive lower bound
	HiKWhM2  float64 // upper bound (Inf for G)
	MidKWhM2 float64 // value used: band middle; A and G open ends are assumptions
}

// DPEBands holds the energy thresholds of the 2021 DPE (A ≤ 70, B ≤ 110,
// C ≤ 180, D ≤ 250, E ≤ 330, F ≤ 420, G > 420 kWh_EP/m²·yr; the GHG
// thresholds of the double label are not used). Mid values of A (50) and
// G (480) are assumptions.
var DPEBands = []DPEBand{
	{"A", 0, 70, 50},
	{"B", 70, 110, 90},
	{"C", 110, 180, 145},
	{"D", 180, 250, 215},
	{"E", 250, 330, 290},
	{"F", 330, 420, 375},
	{"G", 420, math.Inf(1), 480},
}

// BuildingHeatInput is what the demand model needs to know of a building.
type BuildingHeatInput struct {
	FootprintM2 float64      // planimetric footprint, m²
	Levels      int          // storeys above ground, 0 if unknown
	HeightM     float64      // height, m; 0 or NaN if unknown
	Year        int          // construction year, 0 if unknown
	Kind        BuildingKind // "" → GuessKind
	Use         BuildingUse  // "" → residential
	DPEClass    string       // "A".."G", "" if none
}

// HeatDemand is a building's heat demand.
type HeatDemand struct {
	// FloorAreaM2 is the heated floor area, m²; LevelsUsed the storeys used and
	// LevelsSource "levels", "height" or "default".
	FloorAreaM2  float64
	LevelsUsed   int
	LevelsSource string
	Kind         BuildingKind
	Use          BuildingUse
	// Period is the TABULA class code, "unknown" or "DPE:<class>";
	// Typology the TABULA size class used ("SFH+TH", "MFH", "AB"), empty
	// for a DPE.
	Period, Typology string
	// SpecificSpaceKWhM2 is the space-heating need after climate
	// correction, kWh/m²·yr; ClimateFactor = HDD / ReferenceHDD.
	SpecificSpaceKWhM2 float64
	ClimateFactor      float64
	// SpaceKWh, DHWKWh, TotalKWh: annual heat needs, kWh/yr.
	SpaceKWh, DHWKWh, TotalKWh float64
	// DesignLoadKW is the space-heating load at the design outdoor
	// temperature, kW (see DesignLoadKW).
	DesignLoadKW float64
	// RelUncertainty is the relative uncertainty (±) of SpaceKWh.
	RelUncertainty float64
}

// GuessKind returns MultiFamily for residential buildings of 3 storeys or
// more or of footprint above 250 m², else SingleHouse. Assumption (no
// dwelling count in the footprint data).
func GuessKind(footprintM2 float64, levels int) BuildingKind {
	if levels >= 3 || footprintM2 > 250 {
		return MultiFamily
	}
	return SingleHouse
}

// DesignLoadKW returns the design space-heating load, kW, consistent with
// the degree-hour demand profile used by the heat-pump models: the load is
// proportional to (base − T), so
//
//	P = Q_space / (HDD · 24 h) · (T_base − T_design)
//
// with Q_space in kWh/yr, HDD in K·day/yr (hourly method, same base). This
// "demand / degree-hours × ΔT" estimate is standard for pre-studies; it is
// lower than an EN 12831 heat-loss calculation at 20 °C indoor because the
// 18 °C base already nets internal and solar gains.
func DesignLoadKW(spaceKWh, hdd, baseC, designC float64) float64 {
	if hdd <= 0 || spaceKWh <= 0 || designC >= baseC {
		return 0
	}
	return spaceKWh / (hdd * 24) * (baseC - designC)
}

// EstimateHeatDemand returns the heat demand of one building for a climate
// of hdd heating degree-days per year (K·day/yr, base p.BaseTempC.Value; from
// HeatClimate.HDD).
//
// Heated floor area = footprint × levels × p.NetToGross.Value (≈ TABULA's
// reference area A_C_Ref, see DemandParams.NetToGross.Value); levels come
// from the data, else round(height / p.StoreyHeightM.Value) (at least 1), else
// p.DefaultLevels. Specific space need: the DPE band when a DPE class is
// given (see DemandParams), else the TABULA FR energy need of the
// construction period for the kind (ConstructionPeriod.SpaceKWhM2), else
// the unknown-year default of the kind (p.UnknownPeriodSpaceKWhM2.Value or
// p.UnknownPeriodMultiKWhM2.Value); table values are multiplied by
// p.MeasuredToCalculated.Value and p.TertiarySpaceFactor.Value (tertiary) and corrected
// by hdd / p.ReferenceHDD.Value (not for a DPE, which is already a measurement of
// this building in its climate: the DPE convention uses the local
// climate). DHW = p.DHWKWhM2.Value (single houses), p.DHWMultiKWhM2.Value
// (multi-family) or p.TertiaryDHWKWhM2.Value (tertiary) × area, not
// climate-corrected.
func EstimateHeatDemand(in BuildingHeatInput, hdd float64, p DemandParams) (HeatDemand, error) {
	if math.IsNaN(in.FootprintM2) || in.FootprintM2 <= 0 || in.FootprintM2 > 1e6 {
		return HeatDemand{}, fmt.Errorf("%w: footprint %g m² must be in (0, 1e6]", ErrHeatInput, in.FootprintM2)
	}
	if math.IsNaN(hdd) || hdd < 0 || hdd > 10000 {
		return HeatDemand{}, fmt.Errorf("%w: HDD %g K·d/yr out of range", ErrHeatInput, hdd)
	}
	if in.Levels < 0 || in.Levels > 200 {
		return HeatDemand{}, fmt.Errorf("%w: levels %d out of range", ErrHeatInput, in.Levels)
	}
	d := HeatDemand{Kind: in.Kind, Use: in.Use}
	switch {
	case in.Levels > 0:
		d.LevelsUsed, d.LevelsSource = in.Levels, "levels"
	case in.HeightM > 0 && !math.IsNaN(in.HeightM) && in.HeightM < 1000:
		d.LevelsUsed, d.LevelsSource = max(1, int(math.Round(in.HeightM/p.StoreyHeightM.Value))), "height"
	default:
		d.LevelsUsed, d.LevelsSource = p.DefaultLevels.Int(), "default"
	}
	if d.Use == "" {
		d.Use = UseResidential
	}
	if d.Use != UseResidential && d.Use != UseTertiary {
		return HeatDemand{}, fmt.Errorf("%w: use %q: want %q or %q", ErrHeatInput, d.Use, UseResidential, UseTertiary)
	}
	if d.Kind == "" {
		d.Kind = GuessKind(in.FootprintM2, d.LevelsUsed)
	}
	if d.Kind != SingleHouse && d.Kind != MultiFamily {
		return HeatDemand{}, fmt.Errorf("%w: building kind %q: want %q or %q", ErrHeatInput, d.Kind, SingleHouse, MultiFamily)
	}
	d.FloorAreaM2 = in.FootprintM2 * float64(d.LevelsUsed) * p.NetToGross.Value
	d.ClimateFactor = hdd / p.ReferenceHDD.Value

	dhw := p.DHWKWhM2.Value
	if d.Kind == MultiFamily {
		dhw = p.DHWMultiKWhM2.Value
	}
	if d.Use == UseTertiary {
		dhw = p.TertiaryDHWKWhM2.Value
	}
	if cls := strings.ToUpper(strings.TrimSpace(in.DPEClass)); cls != "" {
		var band *DPEBand
		for i := range DPEBands {
			if DPEBands[i].Class == cls {
				band = &DPEBands[i]
			}
		}
		if band == nil {
			return HeatDemand{}, fmt.Errorf("%w: DPE class %q: want A to G", ErrHeatInput, in.DPEClass)
		}
		heat := band.MidKWhM2 / p.DPEPrimaryFactor.Value * p.DPESystemEfficiency.Value * p.DPEHeatShare.Value
		d.SpecificSpaceKWhM2 = max(0, heat-dhw)
		d.Period = "DPE:" + cls
		d.RelUncertainty = p.RelUncertaintyDPE.Value
	} else {
		per, ok := PeriodFor(in.Year)
		var base float64
		if ok {
			base, d.Typology = per.SpaceKWhM2(d.Kind, d.LevelsUsed, p)
			d.Period = per.Code
			d.RelUncertainty = p.RelUncertaintyKnown.Value
		} else {
			base, d.Typology = p.UnknownPeriodSpaceKWhM2.Value, "SFH+TH"
			if d.Kind == MultiFamily {
				base, d.Typology = p.UnknownPeriodMultiKWhM2.Value, "MFH+AB"
			}
			d.Period = "unknown"
			d.RelUncertainty = p.RelUncertaintyUnknown.Value
		}
		base *= p.MeasuredToCalculated.Value
		if d.Use == UseTertiary {
			base *= p.TertiarySpaceFactor.Value
		}
		d.SpecificSpaceKWhM2 = base * d.ClimateFactor
	}
	d.SpaceKWh = d.SpecificSpaceKWhM2 * d.FloorAreaM2
	d.DHWKWh = dhw * d.FloorAreaM2
	d.TotalKWh = d.SpaceKWh + d.DHWKWh
	d.DesignLoadKW = DesignLoadKW(d.SpaceKWh, hdd, p.BaseTempC.Value, p.DesignOutdoorC.Value)
	return d, nil
}
