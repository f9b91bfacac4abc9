package heat

import (
	"math"
	"testing"
)

// fieldRefSPF runs the WP-QS reference case (fieldstudy.go) with losses l
// and returns the system SPF (space + hot water).
func fieldRefSPF(t *testing.T, temps []float64, step, design float64, cop COPFunc, src func(float64, float64) float64, l FieldLosses) FieldHP {
	t.Helper()
	e, err := EmitterByName(FieldRefEmitterName)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewSeasonalPerf(SeasonalInput{TempC: temps, StepH: step, HeatingLimitC: DefaultHeatingLimitC, IndoorC: DefaultIndoorC,
		DesignC: design, Emitter: e, COP: cop, SourceC: src, Losses: l})
	if err != nil {
		t.Fatal(err)
	}
	space := FieldRefSpaceKWhM2 * FieldRefAreaM2
	load := space / p.DegreeHoursKh * (DefaultHeatingLimitC - design)
	b, err := p.Building(space, FieldRefDHWKWhM2*FieldRefAreaM2, load, 1)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestResidualFactorReproducesFieldSPF: source Fraunhofer ISE "WP-QS im
// Bestand" (2025): air/water field mean SPF 3.4 (FieldSPFAirMean). The
// residual factor that makes the chain (hplib Generic_average air/water
// COP + EN 14825 cycling + KEYMARK standby + pumps + 812/2013 tank loss)
// give 3.4 on the reference case is re-derived here by bisection and must
// equal DefaultResidualFactor to 0.005.
func TestResidualFactorReproducesFieldSPF(t *testing.T) {
	temps, step, elev := fieldTemps(t, epwGrenoble)
	design, err := BaseTemperatureC(FieldRefDept, elev)
	if err != nil {
		t.Fatal(err)
	}
	l := DefaultFieldLosses()
	lo, hi := 0.5, 1.2
	for i := 0; i < 50; i++ {
		l.ResidualFactor = (lo + hi) / 2
		if fieldRefSPF(t, temps, step, design, hplibAirCOP, nil, l).SCOPSystem > FieldSPFAirMean {
			hi = l.ResidualFactor
		} else {
			lo = l.ResidualFactor
		}
	}
	derived := (lo + hi) / 2
	l.ResidualFactor = 1
	noRes := fieldRefSPF(t, temps, step, design, hplibAirCOP, nil, l)
	t.Logf("WP-QS reference case (%s, design %.1f °C): system SPF without residual %.3f; residual factor for SPF %.1f: %.4f (constant %.2f)",
		FieldRefClimateLabel, design, noRes.SCOPSystem, FieldSPFAirMean, derived, DefaultResidualFactor)
	if math.Abs(derived-DefaultResidualFactor) > 0.005 {
		t.Fatalf("derived residual factor %.4f, DefaultResidualFactor %.2f: update the constant and its documentation", derived, DefaultResidualFactor)
	}
	got := fieldRefSPF(t, temps, step, design, hplibAirCOP, nil, DefaultFieldLosses()).SCOPSystem
	if math.Abs(got-FieldSPFAirMean) > 0.02 {
		t.Fatalf("reference case SPF %.3f with defaults, field mean %.1f", got, FieldSPFAirMean)
	}
}

// TestGroundSourceAgainstFieldMean is the out-of-sample check of the
// calibration: the same reference house with hplib's Generic_average
// brine/water unit (brine temperature from hplib's calc_brine_temp) and the
// residual factor fitted on air/water units. Source: Fraunhofer ISE WP-QS
// im Bestand (2025), ground-source field mean SPF 4.3, range 2.6–5.4.
func TestGroundSourceAgainstFieldMean(t *testing.T) {
	temps, step, elev := fieldTemps(t, epwGrenoble)
	design, err := BaseTemperatureC(FieldRefDept, elev)
	if err != nil {
		t.Fatal(err)
	}
	b := fieldRefSPF(t, temps, step, design, hplibBrineCOP, brineTempC, DefaultFieldLosses())
	t.Logf("ground-source reference case: system SPF %.2f (space %.2f), field mean %.1f", b.SCOPSystem, b.SCOPSpace, FieldSPFGroundMean)
	if b.SCOPSystem < FieldSPFMin || b.SCOPSystem > FieldSPFMax {
		t.Fatalf("ground-source SPF %.2f outside the field range %.1f–%.1f", b.SCOPSystem, FieldSPFMin, FieldSPFMax)
	}
	if math.Abs(b.SCOPSystem-FieldSPFGroundMean) > 0.5 {
		t.Fatalf("ground-source SPF %.2f more than 0.5 from the field mean %.1f", b.SCOPSystem, FieldSPFGroundMean)
	}
}

// seasonal builds the season of one case with the default field losses.
func fieldSeason(t *testing.T, epw, dept string, e EmitterClass, cop COPFunc, src func(float64, float64) float64) (*SeasonalPerf, float64) {
	t.Helper()
	temps, step, elev := fieldTemps(t, epw)
	design, err := BaseTemperatureC(dept, elev)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewSeasonalPerf(SeasonalInput{TempC: temps, StepH: step, HeatingLimitC: DefaultHeatingLimitC, IndoorC: DefaultIndoorC,
		DesignC: design, Emitter: e, COP: cop, SourceC: src, Losses: DefaultFieldLosses()})
	if err != nil {
		t.Fatal(err)
	}
	return p, design
}

// TestNewBuildFloorReachesSCOP4: a new house (TABULA FR.10 single-family
// need 54.4 kWh/m²·yr, 103 m²; hot water 10 kWh/m²·yr) with low-temperature
// floor heating in Charente-Maritime (La Rochelle TMYx, 3CL base −6.5 °C),
// air/water heat pump (hplib Generic_average) with the field losses:
// seasonal performance of space heating ≥ 4.
func TestNewBuildFloorReachesSCOP4(t *testing.T) {
	p, design := fieldSeason(t, epwLaRochelle, "17", EmitterFloorLT, hplibAirCOP, nil)
	area := 103.4
	space := 54.4 * area
	b, err := p.Building(space, 10*area, space/p.DegreeHoursKh*(DefaultHeatingLimitC-design), 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("new build, floor 35 °C, La Rochelle: SCOP space %.2f, system incl. hot water %.2f (hot water COP %.2f, lab space %.2f)",
		b.SCOPSpace, b.SCOPSystem, b.DHWCOP, p.SCOPLabSpace)
	if !(b.SCOPSpace >= 4) {
		t.Fatalf("new-build low-temperature SCOP space %.2f < 4", b.SCOPSpace)
	}
	if !(b.SCOPSystem < b.SCOPSpace) {
		t.Fatalf("system SCOP %.2f should be below space SCOP %.2f (hot water at 55 °C)", b.SCOPSystem, b.SCOPSpace)
	}
}

// TestOldHouseHighTempRadiatorsBelow3: a 1930s house (TABULA FR.02
// single-family, 86 m², standard need 406 kWh/m²·yr) with high-temperature
// radiators (70 °C design flow, heat pump capped at 60 °C, backup above) in
// Isère (Grenoble TMYx, H1c, 3CL base −9.5 °C): system SCOP below 3.
func TestOldHouseHighTempRadiatorsBelow3(t *testing.T) {
	p, design := fieldSeason(t, epwGrenoble, "38", EmitterRadiatorHT, hplibAirCOP, nil)
	area := 86.0
	space := 406.2 * area
	b, err := p.Building(space, 10*area, space/p.DegreeHoursKh*(DefaultHeatingLimitC-design), 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("1930s house, radiators 70 °C, Grenoble: SCOP space %.2f, system %.2f, backup share %.3f (flow cap %.3f), max flow asked %.1f °C",
		b.SCOPSpace, b.SCOPSystem, p.BackupShare, p.FlowCapShare, p.MaxFlowC)
	if !(b.SCOPSystem < 3) {
		t.Fatalf("old house with high-temperature radiators: system SCOP %.2f ≥ 3", b.SCOPSystem)
	}
	if !(p.FlowCapShare > 0) {
		t.Fatalf("a 70 °C emitter under a 60 °C cap must need some backup")
	}
}

// TestEN16147TankCOPClass: an air-source heat pump charging a 200 L class B
// tank (Reg. (EU) 812/2013 loss bound), lab COP from hplib Generic_average
// at the EN 16147 air point A7 and the 55 °C mean charging flow, under the
// EN 16147 tapping profiles M and L, lies in the 2.5–3.2 class of tank
// systems (EN16147COPMin/Max).
func TestEN16147TankCOPClass(t *testing.T) {
	loss, err := TankStandbyLossW(DefaultTankClass, DefaultTankVolumeL)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(loss-61.4) > 0.1 {
		t.Fatalf("class B 200 L standby loss %.2f W, want 12 + 5.93·200^0.4 = 61.4 W", loss)
	}
	cop := hplibAirCOP(EN16147AirC, DefaultDHWFlowC)
	for _, prof := range []float64{EN16147ProfileMKWhDay, EN16147ProfileLKWhDay} {
		c, err := TankDHWCOP(cop, prof, loss)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("profile %.3f kWh/day: COP_DHW %.2f (heat-pump COP %.2f at A7/W55)", prof, c, cop)
		if c < EN16147COPMin || c > EN16147COPMax {
			t.Fatalf("COP_DHW %.2f outside the EN 16147 tank class %.1f–%.1f", c, EN16147COPMin, EN16147COPMax)
		}
	}
	if _, err := TankDHWCOP(0.5, 5, 50); err == nil {
		t.Fatal("COP below 1 accepted")
	}
}

func TestEmitterCurveAndCap(t *testing.T) {
	e := EmitterRadiatorHT
	if got := CurveFlowC(e, 20, -9.5, -9.5); math.Abs(got-70) > 1e-9 {
		t.Fatalf("flow at the design temperature %.2f, want the design flow 70", got)
	}
	if got := CurveFlowC(e, 20, -9.5, -15); math.Abs(got-70) > 1e-9 {
		t.Fatalf("flow below the design temperature %.2f, want it held at 70", got)
	}
	if got := CurveFlowC(e, 20, -9.5, 21); got != 20 {
		t.Fatalf("flow above indoor %.2f, want 20", got)
	}
	if a, b := CurveFlowC(e, 20, -9.5, 0), CurveFlowC(e, 20, -9.5, 5); !(a > b) {
		t.Fatalf("curve not decreasing: %.1f at 0 °C, %.1f at 5 °C", a, b)
	}
	if got, want := CappedShare(e, 20, 70, 60), math.Pow(40.0/50, 1.3); math.Abs(got-want) > 1e-12 {
		t.Fatalf("capped share %.4f, want %.4f", got, want)
	}
	if CappedShare(e, 20, 50, 60) != 1 {
		t.Fatal("no cap effect expected below the cap")
	}
	if _, err := EmitterByName("nope"); err == nil {
		t.Fatal("unknown emitter accepted")
	}
}

func TestSeasonalPerfValidation(t *testing.T) {
	temps := make([]float64, 48)
	for i := range temps {
		temps[i] = 5
	}
	base := SeasonalInput{TempC: temps, StepH: 1, HeatingLimitC: 18, IndoorC: 20, DesignC: -5, Emitter: EmitterRadiator55,
		COP: hplibAirCOP, Losses: DefaultFieldLosses()}
	if _, err := NewSeasonalPerf(base); err != nil {
		t.Fatal(err)
	}
	bad := base
	bad.COP = nil
	if _, err := NewSeasonalPerf(bad); err == nil {
		t.Fatal("nil COP accepted")
	}
	bad = base
	bad.TempC = append([]float64{math.NaN()}, temps...)
	if _, err := NewSeasonalPerf(bad); err == nil {
		t.Fatal("NaN temperature accepted")
	}
	bad = base
	bad.Losses.FlowCapC = math.NaN()
	if _, err := NewSeasonalPerf(bad); err == nil {
		t.Fatal("NaN flow cap accepted")
	}
	bad = base
	bad.DesignC = 19
	if _, err := NewSeasonalPerf(bad); err == nil {
		t.Fatal("design above the heating limit accepted")
	}
	p, _ := NewSeasonalPerf(base)
	if _, err := p.Building(-1, 0, 0, 1); err == nil {
		t.Fatal("negative demand accepted")
	}
	r, err := p.Building(0, 0, 0, 1)
	if err != nil || !math.IsNaN(r.SCOPSystem) || !math.IsNaN(r.SCOPSpace) {
		t.Fatalf("no demand: SCOP must be NaN (not computed), got %+v, %v", r, err)
	}
}

func TestEmitterForYear(t *testing.T) {
	for y, want := range map[int]string{-1: "radiator_ht", 1930: "radiator_ht", 1974: "radiator_ht", 1975: "radiator_55", 2012: "radiator_55", 2013: "floor_lt"} {
		if e, _ := EmitterForYear(y); e.Name != want {
			t.Errorf("EmitterForYear(%d) = %s, want %s", y, e.Name, want)
		}
	}
}

func TestEnergyCoverage(t *testing.T) {
	p, _ := fieldSeason(t, epwLaRochelle, "17", EmitterRadiator55, hplibAirCOP, nil)
	full, half, none := p.EnergyCoverage(1.5), p.EnergyCoverage(0.5), p.EnergyCoverage(0)
	t.Logf("La Rochelle: capacity 50 %% of design load covers %.1f %% of the space heat", 100*half)
	if full != 1 || none != 0 || !(half > 0.5 && half < 1) {
		t.Fatalf("coverage full %.3f half %.3f none %.3f", full, half, none)
	}
	if c6 := p.EnergyCoverage(0.6); !(c6 > half) {
		t.Fatalf("coverage not increasing: %.3f at 0.6, %.3f at 0.5", c6, half)
	}
}
