package model

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

// ConstructionPeriod is one row of the specific space-heating table.
type ConstructionPeriod struct {
	// Code is the TABULA France construction-year class (FR.01 … FR.10).
	Code string
	// FromYear, ToYear bound the class (inclusive); 0 / 9999 are open ends.
	FromYear, ToYear int
	// SingleKWhM2, MultiKWhM2: specific space-heating need, kWh per m² of
	// heated floor per year, national-average climate (ReferenceHDD).
	SingleKWhM2, MultiKWhM2 float64
	// Source of the row.
	Source string
}

// tabulaPeriodsSource documents the table. The year classes are TABULA
// France's (FR.01–FR.10, IEE projects TABULA + EPISCOPE, www.episcope.eu;
// French typology by Pouget Consultants for ADEME, 2015). The kWh/m² values
// are OUR ASSUMPTION, not TABULA's archetype results (which we could not
// retrieve): they follow the ranges in REFERENCES.md ("roughly 250–350
// kWh/m²·yr before 1975, under 50 after RT2012") and the steps of the
// French thermal regulations (RT 1974, 1982, 1988, 2000, 2005, 2012);
// multi-family values are lower (compactness). Replace them with the TABULA
// FR "energy need for heating" values when available.
const tabulaPeriodsSource = "TABULA FR year classes; kWh/m² = gisement assumption (see tabulaPeriodsSource)"

// ConstructionPeriods is the specific space-heating table, ordered by year.
var ConstructionPeriods = []ConstructionPeriod{
	{"FR.01", 0, 1914, 250, 200, tabulaPeriodsSource + "; pre-1915 masonry"},
	{"FR.02", 1915, 1948, 280, 220, tabulaPeriodsSource + "; inter-war"},
	{"FR.03", 1949, 1967, 300, 230, tabulaPeriodsSource + "; post-war, no insulation"},
	{"FR.04", 1968, 1974, 280, 200, tabulaPeriodsSource + "; before the first regulation"},
	{"FR.05", 1975, 1981, 200, 150, tabulaPeriodsSource + "; RT 1974"},
	{"FR.06", 1982, 1989, 150, 120, tabulaPeriodsSource + "; RT 1982"},
	{"FR.07", 1990, 1999, 120, 100, tabulaPeriodsSource + "; RT 1988"},
	{"FR.08", 2000, 2005, 100, 80, tabulaPeriodsSource + "; RT 2000"},
	{"FR.09", 2006, 2012, 80, 65, tabulaPeriodsSource + "; RT 2005"},
	{"FR.10", 2013, 9999, 45, 40, tabulaPeriodsSource + "; RT 2012 / RE 2020"},
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
	// Period is the TABULA class code, "unknown" or "DPE:<class>".
	Period string
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
// of hdd heating degree-days per year (K·day/yr, base p.BaseTempC; from
// HeatClimate.HDD).
//
// Heated floor area = footprint × levels × p.NetToGross; levels come from
// the data, else round(height / p.StoreyHeightM) (at least 1), else
// p.DefaultLevels. Specific space need: the DPE band when a DPE class is
// given (see HeatDemandParams), else the period table for the kind (×
// p.TertiarySpaceFactor for tertiary), else p.UnknownPeriodSpaceKWhM2;
// corrected by hdd / p.ReferenceHDD (not for a DPE, which is already a
// measurement of this building in its climate: the DPE convention uses the
// local climate). DHW = p.DHWKWhM2 (p.TertiaryDHWKWhM2 for tertiary) ×
// area, not climate-corrected.
func EstimateHeatDemand(in BuildingHeatInput, hdd float64, p HeatDemandParams) (HeatDemand, error) {
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
		d.LevelsUsed, d.LevelsSource = max(1, int(math.Round(in.HeightM/p.StoreyHeightM))), "height"
	default:
		d.LevelsUsed, d.LevelsSource = p.DefaultLevels, "default"
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
	d.FloorAreaM2 = in.FootprintM2 * float64(d.LevelsUsed) * p.NetToGross
	d.ClimateFactor = hdd / p.ReferenceHDD

	dhw := p.DHWKWhM2
	if d.Use == UseTertiary {
		dhw = p.TertiaryDHWKWhM2
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
		heat := band.MidKWhM2 / p.DPEPrimaryFactor * p.DPESystemEfficiency * p.DPEHeatShare
		d.SpecificSpaceKWhM2 = max(0, heat-dhw)
		d.Period = "DPE:" + cls
		d.RelUncertainty = p.RelUncertaintyDPE
	} else {
		per, ok := PeriodFor(in.Year)
		var base float64
		if ok {
			base = per.SingleKWhM2
			if d.Kind == MultiFamily {
				base = per.MultiKWhM2
			}
			d.Period = per.Code
			d.RelUncertainty = p.RelUncertaintyKnown
		} else {
			base = p.UnknownPeriodSpaceKWhM2
			d.Period = "unknown"
			d.RelUncertainty = p.RelUncertaintyUnknown
		}
		if d.Use == UseTertiary {
			base *= p.TertiarySpaceFactor
		}
		d.SpecificSpaceKWhM2 = base * d.ClimateFactor
	}
	d.SpaceKWh = d.SpecificSpaceKWhM2 * d.FloorAreaM2
	d.DHWKWh = dhw * d.FloorAreaM2
	d.TotalKWh = d.SpaceKWh + d.DHWKWh
	d.DesignLoadKW = DesignLoadKW(d.SpaceKWh, hdd, p.BaseTempC, p.DesignOutdoorC)
	return d, nil
}
