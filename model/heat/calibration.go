package heat

import (
	"fmt"
	"math"
)

// Consumption-like demand. The TABULA standard need (model/tabula_fr.go,
// "conventional need") is the heat a building needs at 20 °C in every room
// all season. Measured consumption of poorly insulated buildings is far
// lower (partial heating, lower set points, partial renovation): the
// "prebound effect" (Sunikka-Blank & Galvin 2012, "Introducing the prebound
// effect: the gap between performance and actual energy consumption",
// Building Research & Information 40(3):260–273,
// doi:10.1080/09613218.2012.690952). TABULA provides for calibrating the
// calculated energy use "to the typical level of measured consumption"
// (Loga, Stein & Diefenbach 2016, "TABULA building typologies in 20
// European countries — Making energy-related features of residential
// building stocks comparable", Energy and Buildings 132:4–12,
// doi:10.1016/j.enbuild.2016.06.094), with a factor that falls with the
// calculated energy rating.
//
// We use the log-linear form ratio = a − b·ln(q) (measured / calculated,
// q the calculated final-energy rating for heating, kWh/m²·yr) fitted
// through two points of Sunikka-Blank & Galvin's data on some 3,400 German
// dwellings, as summarised by Delghust (2015, PhD thesis, Ghent University,
// "Improving the predictive power of simplified residential space heating
// demand models", §6.1.2): prebound ≈ 17 % at q = 150 and ≈ 60 % at q = 500
// (ratio 0.83 and 0.40). The same source places the crossing to
// under-estimation ("rebound") near 100 kWh/m²·yr, which the fit reproduces
// without being fitted to it (ratio 0.97 at 100, tested).
const (
	PreboundSource = "Sunikka-Blank & Galvin 2012 doi:10.1080/09613218.2012.690952 (prebound 17 % at 150, 60 % at 500 kWh/m2.yr, via Delghust 2015 §6.1.2); TABULA calibration principle Loga, Stein & Diefenbach 2016 doi:10.1016/j.enbuild.2016.06.094"
	// PreboundA, PreboundB: ratio = A − B·ln(q).
	PreboundA = 2.61955
	PreboundB = 0.35715
	// PreboundRatioMin / Max bound the ratio outside the data (q > ~650 or
	// < ~60 kWh/m²·yr). Assumption: 0.35 (beyond the 500 kWh/m²·yr anchor)
	// and 1.15 (moderate rebound of very efficient buildings).
	PreboundRatioMin = 0.35
	PreboundRatioMax = 1.15
	// RatingEfficiency converts the TABULA need (useful heat) into the
	// final-energy rating the prebound data is expressed in. Assumption:
	// 0.80 (range 0.70–0.90: seasonal efficiency of the boiler systems of
	// the rated stock, generation × distribution × emission).
	RatingEfficiency = 0.80
)

// CalibrationParams are the settings of the consumption-like calibration
// (defaults: the constants above, DefaultCalibrationParams).
type CalibrationParams struct {
	// PreboundA, PreboundB: ratio = A − B·ln(rating); RatioMin/Max bound it.
	PreboundA, PreboundB, RatioMin, RatioMax float64
	// RatingEfficiency: need → final-energy rating.
	RatingEfficiency float64
	// ScaleMin/Max: observed/model scales outside are flagged, not applied.
	ScaleMin, ScaleMax float64
	// GasHeatShare, GasBoilerEfficiency: observed gas → heat.
	GasHeatShare, GasBoilerEfficiency float64
}

// DefaultCalibrationParams returns the documented defaults.
func DefaultCalibrationParams() CalibrationParams {
	return CalibrationParams{PreboundA: PreboundA, PreboundB: PreboundB, RatioMin: PreboundRatioMin, RatioMax: PreboundRatioMax,
		RatingEfficiency: RatingEfficiency, ScaleMin: ObservedScaleMin, ScaleMax: ObservedScaleMax,
		GasHeatShare: GasHeatShareResidential, GasBoilerEfficiency: GasBoilerEfficiency}
}

// Validate reports the first out-of-range setting.
func (p CalibrationParams) Validate() error {
	return checkFieldRanges("calibration", []rangeCheck{
		{"prebound_a", p.PreboundA, 0, 10}, {"prebound_b", p.PreboundB, 0, 5},
		{"ratio_min", p.RatioMin, 0.05, 1}, {"ratio_max", p.RatioMax, 1, 3},
		{"rating_efficiency", p.RatingEfficiency, 0.3, 1.2},
		{"scale_min", p.ScaleMin, 0.01, 1}, {"scale_max", p.ScaleMax, 1, 100},
		{"gas_heat_share", p.GasHeatShare, 0.5, 1}, {"gas_boiler_efficiency", p.GasBoilerEfficiency, 0.5, 1.1},
	})
}

// PreboundRatio returns measured / calculated space-heating consumption for
// a calculated final-energy rating ratingKWhM2 (kWh/m²·yr > 0), bounded to
// [RatioMin, RatioMax].
func (p CalibrationParams) PreboundRatio(ratingKWhM2 float64) (float64, error) {
	if math.IsNaN(ratingKWhM2) || ratingKWhM2 <= 0 || ratingKWhM2 > 5000 {
		return math.NaN(), fmt.Errorf("%w: energy rating %g kWh/m²·yr", ErrFieldInput, ratingKWhM2)
	}
	r := p.PreboundA - p.PreboundB*math.Log(ratingKWhM2)
	return math.Min(p.RatioMax, math.Max(p.RatioMin, r)), nil
}

// PreboundRatio is CalibrationParams.PreboundRatio with the defaults.
func PreboundRatio(ratingKWhM2 float64) (float64, error) {
	return DefaultCalibrationParams().PreboundRatio(ratingKWhM2)
}

// ConsumptionLike is a building's heat in both conventions.
type ConsumptionLike struct {
	// Conventional (TABULA standard) space need and hot-water need,
	// kWh/m²·yr, as given.
	StdSpaceKWhM2, DHWKWhM2 float64
	// RatingKWhM2 = (space + DHW) / RatingEfficiency: the final-energy rating
	// the prebound ratio is read at.
	RatingKWhM2 float64
	// Ratio = measured / calculated (PreboundRatio), applied to space
	// heating only (hot water follows occupancy, not the envelope).
	Ratio float64
	// SpaceKWhM2 = StdSpaceKWhM2 × Ratio: the consumption-like space heat.
	SpaceKWhM2 float64
}

// ConsumptionLikeDemand is CalibrationParams.ConsumptionLike with the
// defaults.
func ConsumptionLikeDemand(stdSpaceKWhM2, dhwKWhM2 float64) (ConsumptionLike, error) {
	return DefaultCalibrationParams().ConsumptionLike(stdSpaceKWhM2, dhwKWhM2)
}

// ConsumptionLike turns a building's conventional specific needs (space and
// hot water, kWh/m²·yr of heated area, already climate-corrected) into a
// consumption-like space-heating demand.
func (p CalibrationParams) ConsumptionLike(stdSpaceKWhM2, dhwKWhM2 float64) (ConsumptionLike, error) {
	if math.IsNaN(stdSpaceKWhM2) || stdSpaceKWhM2 < 0 || math.IsNaN(dhwKWhM2) || dhwKWhM2 < 0 {
		return ConsumptionLike{}, fmt.Errorf("%w: specific needs %g / %g kWh/m²·yr", ErrFieldInput, stdSpaceKWhM2, dhwKWhM2)
	}
	c := ConsumptionLike{StdSpaceKWhM2: stdSpaceKWhM2, DHWKWhM2: dhwKWhM2}
	c.RatingKWhM2 = (stdSpaceKWhM2 + dhwKWhM2) / p.RatingEfficiency
	if stdSpaceKWhM2 == 0 {
		c.Ratio = 1
		return c, nil
	}
	r, err := p.PreboundRatio(c.RatingKWhM2)
	if err != nil {
		return ConsumptionLike{}, err
	}
	c.Ratio = r
	c.SpaceKWhM2 = stdSpaceKWhM2 * r
	return c, nil
}

// Observed-consumption scaling.
const (
	// ObservedScaleMin / Max: a scale observed / modelled outside this range
	// points at a data problem (wrong zone, missing fuels, unit error) rather
	// than a calibration; it is reported and not applied. Assumption.
	ObservedScaleMin = 0.3
	ObservedScaleMax = 2.0
	// GasHeatShareResidential: share of residential gas used for space
	// heating and hot water (the rest is cooking). Assumption 0.93 (range
	// 0.88–0.97: cooking is a few per cent of residential gas in French
	// energy balances, SDES/Ceren).
	GasHeatShareResidential = 0.93
	// GasBoilerEfficiency: seasonal efficiency turning gas (final energy,
	// PCI) into delivered heat. Assumption 0.85 (range 0.75–0.95: stock mix
	// of standard and condensing boilers).
	GasBoilerEfficiency = 0.85
	GasShareSource      = "assumption (see calibration.go): gas heat share 0.93 (0.88-0.97), boiler seasonal efficiency 0.85 (0.75-0.95)"
)

// ObservedHeat is the heat implied by observed gas and electricity
// consumption of one zone and sector set.
type ObservedHeat struct {
	// GasHeatKWh = gas × GasHeatShare × GasBoilerEfficiency; ElecHeatKWh =
	// thermosensitive electricity (direct electric heating, efficiency 1).
	GasHeatKWh, ElecHeatKWh float64
	// ElecThermoKnown is false when the electricity rows carried no
	// thermosensitive share: electricity heat is then not computed (NaN
	// HeatKWh), never counted as 0.
	ElecThermoKnown bool
	// SecretRows: rows whose consumption is secret (statistical
	// confidentiality): the observed total is a lower bound when > 0.
	SecretRows int
	HeatKWh    float64
}

// ObservedHeatFrom is CalibrationParams.ObservedHeat with the defaults.
func ObservedHeatFrom(rows []LocalEnergyRow, zone string, year int, sectors ...Sector) (ObservedHeat, error) {
	return DefaultCalibrationParams().ObservedHeat(rows, zone, year, sectors...)
}

// ObservedHeat computes the observed heat of zone (IRIS or commune code)
// and year from parsed local-energy rows for the given sectors (e.g.
// SectorResidential, SectorTertiary).
func (p CalibrationParams) ObservedHeat(rows []LocalEnergyRow, zone string, year int, sectors ...Sector) (ObservedHeat, error) {
	if len(sectors) == 0 {
		return ObservedHeat{}, fmt.Errorf("%w: no sector given", ErrFieldInput)
	}
	want := map[Sector]bool{}
	for _, s := range sectors {
		want[s] = true
	}
	var o ObservedHeat
	var gas, elecRows, elecThermoRows int
	for _, r := range rows {
		if r.Zone != zone || r.Year != year || !want[r.Sector] {
			continue
		}
		if r.Secret {
			o.SecretRows++
			continue
		}
		switch r.Carrier {
		case CarrierGas:
			gas++
			o.GasHeatKWh += r.ConsoMWh * 1000 * p.GasHeatShare * p.GasBoilerEfficiency
		case CarrierElec:
			elecRows++
			if !math.IsNaN(r.ThermoMWh) {
				elecThermoRows++
				o.ElecHeatKWh += r.ThermoMWh * 1000
			}
		}
	}
	if gas+elecRows == 0 && o.SecretRows == 0 {
		return o, fmt.Errorf("%w: no consumption row for zone %q, year %d", ErrFieldInput, zone, year)
	}
	o.ElecThermoKnown = elecRows == 0 || elecThermoRows == elecRows
	o.HeatKWh = o.GasHeatKWh + o.ElecHeatKWh
	if !o.ElecThermoKnown {
		o.HeatKWh = math.NaN()
	}
	return o, nil
}

// ObservedScale is the factor applied to a zone's consumption-like demand.
type ObservedScale struct {
	// Scale = observed heat / (modelled heat × coverage); Applied is false
	// when it falls outside [ObservedScaleMin, ObservedScaleMax] or could not
	// be computed (then use 1 and report Reason).
	Scale   float64
	Applied bool
	Reason  string
}

// ScaleToObserved compares observed heat (ObservedHeat.HeatKWh) with the
// modelled consumption-like heat of the same zone and sectors. coverage is
// the share of the modelled heat supplied by gas and electricity (the
// fuels the local-energy files report; e.g. from INSEE census "combustible
// principal" of main residences), in (0, 1]. Fuel oil, wood and district
// heat are not in the files: without a coverage the scale would be biased
// low.
func ScaleToObserved(observedKWh, modelledKWh, coverage float64) (ObservedScale, error) {
	return DefaultCalibrationParams().ScaleToObserved(observedKWh, modelledKWh, coverage)
}

// ScaleToObserved: see the package-level ScaleToObserved.
func (p CalibrationParams) ScaleToObserved(observedKWh, modelledKWh, coverage float64) (ObservedScale, error) {
	if !(coverage > 0 && coverage <= 1) {
		return ObservedScale{}, fmt.Errorf("%w: coverage %g must be in (0, 1]", ErrFieldInput, coverage)
	}
	if math.IsNaN(observedKWh) || observedKWh < 0 {
		return ObservedScale{Scale: 1, Reason: "consommation observée incomplète (part thermosensible inconnue) : pas de recalage"}, nil
	}
	if !(modelledKWh > 0) {
		return ObservedScale{}, fmt.Errorf("%w: modelled heat %g kWh must be > 0", ErrFieldInput, modelledKWh)
	}
	s := observedKWh / (modelledKWh * coverage)
	if s < p.ScaleMin || s > p.ScaleMax {
		return ObservedScale{Scale: s, Reason: fmt.Sprintf("rapport observé/modèle %.2f hors [%.1f, %.1f] : non appliqué, vérifier les données", s, p.ScaleMin, p.ScaleMax)}, nil
	}
	return ObservedScale{Scale: s, Applied: true, Reason: fmt.Sprintf("recalé sur la consommation observée (×%.2f)", s)}, nil
}

// OccupiedShare returns the share of a territory's dwellings that are main
// residences (INSEE census "Logement" table: P_RP / P_LOG), the factor on
// the residential heat of a model that heats every dwelling: vacant
// dwellings and second homes are taken as unheated (assumption: frost
// protection and occasional use are neglected; their heat is 0–20 % of a
// main residence's). Example: Périgueux (INSEE 24322), census 2022, 17,357
// main residences of 20,766 dwellings: 0.836.
func OccupiedShare(mainResidences, dwellings int) (float64, error) {
	if dwellings <= 0 || mainResidences < 0 || mainResidences > dwellings {
		return math.NaN(), fmt.Errorf("%w: %d main residences of %d dwellings", ErrFieldInput, mainResidences, dwellings)
	}
	return float64(mainResidences) / float64(dwellings), nil
}
