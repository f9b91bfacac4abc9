package heat

import (
	"fmt"
	"math"
)

// EmitterClass is a heat-distribution class of a wet heating system: the
// flow temperature it needs at the design outdoor temperature and its heat
// output characteristic.
type EmitterClass struct {
	// Name: "floor_lt", "radiator_55", "radiator_ht".
	Name string
	// DesignFlowC is the flow temperature needed at the design (base)
	// outdoor temperature, °C.
	DesignFlowC float64
	// Exponent n of the emitter characteristic Q ∝ ΔT^n (EN 442-1 / EN 1264:
	// radiators 1.3, floor heating 1.1); also the heating-curve exponent.
	Exponent float64
}

// Emitter classes (defaults). Design flow temperatures: low-temperature
// floor heating 35 °C (EN 1264 design practice, RE2020 new builds);
// radiators sized for 55 °C (post-1980 or oversized radiators, the
// "moyenne température" class of French heat-pump practice, NF DTU 65.16);
// high-temperature radiators 70 °C (pre-1975 systems designed for a 90/70
// or 70/50 boiler regime; 65–70 °C is the range of the brief, we take the
// upper end: such buildings were designed for a boiler).
var (
	EmitterFloorLT    = EmitterClass{Name: "floor_lt", DesignFlowC: 35, Exponent: 1.1}
	EmitterRadiator55 = EmitterClass{Name: "radiator_55", DesignFlowC: 55, Exponent: 1.3}
	EmitterRadiatorHT = EmitterClass{Name: "radiator_ht", DesignFlowC: 70, Exponent: 1.3}
)

// EmitterClasses lists the default classes in a fixed order.
var EmitterClasses = []EmitterClass{EmitterFloorLT, EmitterRadiator55, EmitterRadiatorHT}

// EmitterByName returns the default class with that name.
func EmitterByName(name string) (EmitterClass, error) {
	for _, e := range EmitterClasses {
		if e.Name == name {
			return e, nil
		}
	}
	return EmitterClass{}, fmt.Errorf("%w: emitter class %q: want floor_lt, radiator_55 or radiator_ht", ErrFieldInput, name)
}

// Validate checks a class against an indoor temperature.
func (e EmitterClass) Validate(indoorC float64) error {
	if !(e.DesignFlowC > indoorC && e.DesignFlowC <= 90) || !(e.Exponent >= 0.8 && e.Exponent <= 2) {
		return fmt.Errorf("%w: emitter %q: design flow %.1f °C must be in (indoor, 90] and exponent %.2f in [0.8, 2]",
			ErrFieldInput, e.Name, e.DesignFlowC, e.Exponent)
	}
	return nil
}

// CurveFlowC returns the flow temperature, °C, the emitters need at a daily
// mean outdoor temperature dailyMeanC, for a heating curve tied to the
// site's design outdoor temperature designC (°C, e.g. BaseTemperatureC):
//
//	T_f = T_i + ((T_i − T_d)/(T_i − T_design))^(1/n) · (T_f,design − T_i)   for T_d < T_i,
//
// the DIN V 4701-10 curve implemented by hplib (HeatingSystem.
// calc_heating_dist_temp) with its design point moved from a fixed −15 °C
// to the local design temperature: the design flow is reached exactly where
// the heat pump and the emitters are sized. Below designC the flow stays at
// the design flow (a heating curve's maximum); above indoorC it is indoorC.
func CurveFlowC(e EmitterClass, indoorC, designC, dailyMeanC float64) float64 {
	if dailyMeanC >= indoorC {
		return indoorC
	}
	x := math.Min(1, (indoorC-dailyMeanC)/(indoorC-designC))
	return indoorC + math.Pow(x, 1/e.Exponent)*(e.DesignFlowC-indoorC)
}

// CappedShare returns the share of the emitters' heat demand a heat pump
// limited to flow capC can deliver when the emitters need flowC (°C, both
// above indoorC), by the emitter characteristic Q ∝ (T_f − T_i)^n: at a
// lower flow the emitters give out ((cap − T_i)/(T_f − T_i))^n of the
// heat; the rest is the backup heater's (in series, raising the flow to
// the need). 1 when flowC ≤ capC.
func CappedShare(e EmitterClass, indoorC, flowC, capC float64) float64 {
	if flowC <= capC {
		return 1
	}
	if capC <= indoorC {
		return 0
	}
	return math.Pow((capC-indoorC)/(flowC-indoorC), e.Exponent)
}

// EmitterForYear returns the default emitter class of an existing building
// by construction year (−1 unknown) when the data do not say: before 1975
// (no thermal regulation; systems designed for boilers) high-temperature
// radiators; 1975–2012 radiators sized for 55 °C; from 2013 (RT 2012)
// low-temperature floor heating. Unknown year: high-temperature radiators,
// the class of the majority — 59 % of French dwellings were built before
// 1975 (INSEE RP2008, table PRINC6, France entière: 15.68 of 26.45 million
// main residences). The period boundaries are our assumption (RT 1974 /
// RT 2012 milestones); the second result names the rule used.
func EmitterForYear(year int) (EmitterClass, string) {
	switch {
	case year <= 0:
		return EmitterRadiatorHT, "unknown_year_majority"
	case year < 1975:
		return EmitterRadiatorHT, "before_1975"
	case year < 2013:
		return EmitterRadiator55, "1975_2012"
	default:
		return EmitterFloorLT, "rt2012_and_later"
	}
}
