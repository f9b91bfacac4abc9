package heat

import (
	"fmt"
	"math"
	"testing"
)

// Hand-worked hour: outdoor 2 °C (daily mean 2 °C), hplib Generic_average
// group 1 (p1_COP 60.028194595, p2 −0.092476978, p3 7.321629938,
// p4 −59.879149997), T_amb = T_in.
// Floor curve (35 °C at −15 °C, n 1.1): T_f = 20 + (18/35)^(1/1.1)·15 =
// 28.19502 °C; COP = (p1+p4)·2 + p2·28.19502 + p3 = 5.01233.
// Low-temperature radiators (55 °C, n 1.3): T_f = 20 + (18/35)^(1/1.3)·35 =
// 40.98542 °C; COP = 3.82951.
func TestASHPHandWorkedHour(t *testing.T) {
	row, err := GenericHPLib("Generic_average", 1)
	if err != nil {
		t.Fatal(err)
	}
	p := DefaultASHPParams()
	for _, c := range []struct {
		curve         HeatingCurve
		flow, wantCOP float64
	}{
		{p.Floor, 28.19502, 5.01233},
		{p.LowTempRadiator, 40.98542, 3.82951},
	} {
		f := FlowTempC(c.curve, p.IndoorC.Value, p.CurveDesignC.Value, 2)
		cop, _, _ := row.Simulate(2, f, 2)
		if math.Abs(f-c.flow) > 1e-4 || math.Abs(cop-c.wantCOP) > 1e-4 {
			t.Errorf("flow %.5f (want %.5f), COP %.5f (want %.5f)", f, c.flow, cop, c.wantCOP)
		}
	}
}

// COP falls with colder air and from floor heating to radiators.
func TestASHPCOPMonotonic(t *testing.T) {
	row, _ := GenericHPLib("Generic_average", 1)
	p := DefaultASHPParams()
	curves := []HeatingCurve{p.Floor, p.LowTempRadiator, p.Radiator}
	for _, temp := range []float64{-10, -5, 0, 5, 10} {
		prev := math.Inf(1)
		for _, c := range curves {
			cop, _, _ := row.Simulate(temp, FlowTempC(c, p.IndoorC.Value, p.CurveDesignC.Value, temp), temp)
			if cop >= prev {
				t.Errorf("T %.0f: COP %.3f not below the lower-temperature emitter's %.3f", temp, cop, prev)
			}
			prev = cop
		}
	}
	for _, c := range curves {
		prev := math.Inf(1)
		for temp := 15.0; temp >= -15; temp -= 5 {
			cop, _, _ := row.Simulate(temp, FlowTempC(c, p.IndoorC.Value, p.CurveDesignC.Value, temp), temp)
			// COP 1 = hplib's heating-rod fallback (COP ≤ 1): equal allowed there.
			if cop > prev || (cop == prev && prev > 1) {
				t.Errorf("curve %v: COP %.3f at %.0f °C not below %.3f at %.0f °C", c, cop, temp, prev, temp+5)
			}
			prev = cop
		}
	}
	for dt := 10.0; dt < 60; dt += 10 {
		if When2HeatCOP(dt, 0.85) <= When2HeatCOP(dt+10, 0.85) {
			t.Errorf("When2Heat COP not decreasing at ΔT %.0f", dt)
		}
	}
}

func typicalHouse(t testing.TB, c *HeatClimate) HeatDemand {
	d, err := EstimateHeatDemand(BuildingHeatInput{FootprintM2: 100, Levels: 1, Year: 1985, Kind: SingleHouse}, c.HDD, c.Params.Demand)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// La Rochelle TMYx: the seasonal performance of a typical house (1985,
// 80 m² heated, space + DHW) must fall in the field range of existing
// houses, SPF 2.6–5.4 (Fraunhofer ISE field test "WP Monitor"), for
// radiator systems. Floor heating with hplib's generic model exceeds that
// range (measured 5.9 building SCOP: the model has no cycling, stand-by or
// defrost-control losses beyond KEYMARK's and an ideal heating curve); the
// test records it and checks it stays physically plausible (< 7).
func TestASHPSCOPLaRochelle(t *testing.T) {
	temps, step := laRochelleTemps(t)
	for _, model := range []COPModel{COPHPLib, COPWhen2Heat} {
		p := Defaults()
		p.ASHP.Model = model
		c, err := NewHeatClimate(temps, step, p)
		if err != nil {
			t.Fatal(err)
		}
		d := typicalHouse(t, c)
		for _, e := range Emitters {
			r, err := c.ASHP(d, e)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s %s: heat %.0f kWh, elec %.0f kWh, SCOP %.2f (space %.2f), capacity %.1f kW, backup %.4f",
				model, e, r.HeatKWh, r.ElecKWh, r.SCOP, r.SCOPSpace, r.DesignCapacityKW, r.BackupShare)
			hi := 5.4
			if e == EmitterFloor && model == COPHPLib {
				hi = 7
			}
			if r.SCOP < 2.6 || r.SCOP > hi {
				t.Errorf("%s %s: SCOP %.2f outside [2.6, %.1f]", model, e, r.SCOP, hi)
			}
			if math.Abs(r.HeatKWh/r.ElecKWh-r.SCOP) > 1e-9 || r.BackupShare != 0 {
				t.Errorf("%s %s: inconsistent result %+v (La Rochelle min −3.1 °C > design −5 °C: no backup)", model, e, r)
			}
		}
	}
}

// Consistency with EN 14825 (not an outside value for the generic row,
// which has no declared SCOP): the median declared SCOP of the 5,983 group-1
// rows of hplib's database with a SCOP (EN 14825 average climate,
// low-temperature 35 °C application) is 4.56 (measured: python median over
// the shared CSV). Our floor-heating (35 °C) space SCOP with the EN 14825
// average-climate design temperature (−10 °C) on the Grenoble TMYx (HDD
// 2,915, close to the average climate's Strasbourg) must be within 25 %:
// EN 14825 counts cycling degradation (Cd 0.9) and off-mode power that the
// hplib fit omits (hplib COP MAPE ≈ 9.8 %).
func TestASHPSCOPNearEN14825Average(t *testing.T) {
	temps, step := readTemps(t, "weather/FRA_AR_Grenoble.074850_TMYx.epw.gz")
	p := Defaults()
	p.Demand.DesignOutdoorC.Value = -10
	p.ASHP.CurveDesignC.Value = -10
	c, err := NewHeatClimate(temps, step, p)
	if err != nil {
		t.Fatal(err)
	}
	scop, _ := c.SCOP(EmitterFloor, false)
	t.Logf("Grenoble floor heating space SCOP %.2f vs KEYMARK median 4.56", scop)
	if math.Abs(scop-4.56)/4.56 > 0.25 {
		t.Errorf("SCOP %.2f more than 25 %% from 4.56", scop)
	}
}

// Synthetic year (no shared data): colder design → backup share > 0 when
// the pump is undersized; SizingFactor 0.5 puts a visible share on the
// backup heater and lowers the SCOP.
func TestASHPSizing(t *testing.T) {
	temps := syntheticYear()
	p := Defaults()
	c1, err := NewHeatClimate(temps, 1, p)
	if err != nil {
		t.Fatal(err)
	}
	p.ASHP.SizingFactor.Value = 0.5
	c2, _ := NewHeatClimate(temps, 1, p)
	d := typicalHouse(t, c1)
	r1, _ := c1.ASHP(d, EmitterLowTempRadiator)
	r2, _ := c2.ASHP(d, EmitterLowTempRadiator)
	if !(r2.BackupShare > 0.01 && r2.SCOP < r1.SCOP && r2.DesignCapacityKW == 0.5*r1.DesignCapacityKW) {
		t.Errorf("undersized: %+v vs %+v", r2, r1)
	}
	if _, err := c1.ASHP(d, "stove"); err == nil {
		t.Error("unknown emitter accepted")
	}
}

func ExampleHeatClimate_ASHP() {
	c, _ := NewHeatClimate(syntheticYear(), 1, Defaults())
	d, _ := EstimateHeatDemand(BuildingHeatInput{FootprintM2: 100, Levels: 1, Year: 1985, Kind: SingleHouse}, c.HDD, c.Params.Demand)
	r, _ := c.ASHP(d, EmitterLowTempRadiator)
	fmt.Printf("HDD %.0f K·d, heat %.0f kWh/yr, electricity %.0f kWh/yr, SCOP %.2f, capacity %.1f kW\n", c.HDD, r.HeatKWh, r.ElecKWh, r.SCOP, r.DesignCapacityKW)
	// Output: HDD 2397 K·d, heat 6278 kWh/yr, electricity 1331 kWh/yr, SCOP 4.71, capacity 2.2 kW
}
