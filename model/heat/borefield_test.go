package heat

import (
	"errors"
	"math"
	"testing"
)

// TestNFX10970Spacing: AFNOR NF X10-970:2011 requires at least 10 m between
// two vertical probes; a field placed at the old 6 m VDI spacing is refused.
func TestNFX10970Spacing(t *testing.T) {
	if NFX10970SpacingM != 10 {
		t.Fatalf("NF X10-970 spacing %g m, want 10", NFX10970SpacingM)
	}
	in := BorefieldInput{DesignLoadKW: 8, AnnualHeatKWh: 16000, COPDesign: 4, Ground: "normal", DepthM: 100,
		PossibleBoreholes: 4, SpacingM: 6, GMIZone: "green"}
	if _, err := SizeBorefield(in); !errors.Is(err, ErrFieldInput) {
		t.Fatalf("6 m spacing accepted: %v", err)
	}
	in.SpacingM = 10
	if _, err := SizeBorefield(in); err != nil {
		t.Fatal(err)
	}
}

// TestVDI4640Table: VDI 4640 Blatt 2 specific extraction, W/m: poor 25/20,
// normal 60/50, high 84/70 at 1,800/2,400 full-load hours.
func TestVDI4640Table(t *testing.T) {
	for _, c := range []struct {
		g       string
		h, want float64
		in      bool
	}{
		{"poor", 1800, 25, true}, {"poor", 2400, 20, true},
		{"normal", 1800, 60, true}, {"normal", 2400, 50, true}, {"normal", 2100, 55, true},
		{"high", 1800, 84, true}, {"high", 2400, 70, true},
		{"normal", 1500, 60, false}, {"normal", 3000, 50, false},
	} {
		got, in, err := VDIRateWm(c.g, c.h)
		if err != nil || math.Abs(got-c.want) > 1e-9 || in != c.in {
			t.Errorf("VDIRateWm(%s, %g) = %g, %v, %v; want %g, %v", c.g, c.h, got, in, err, c.want, c.in)
		}
	}
	if _, _, err := VDIRateWm("granite", 2000); err == nil {
		t.Fatal("unknown ground class accepted")
	}
}

// TestGMILimits: décret n° 2015-15: closed loops deeper than 10 m and
// shallower than 200 m, below 500 kW exchanged with the ground; zones
// green (declaration), orange (expert), red (outside); unknown: to verify,
// not feasible.
func TestGMILimits(t *testing.T) {
	if GMIMaxPowerKW != 500 || GMIMinDepthM != 10 || GMIMaxDepthM != 200 {
		t.Fatalf("GMI limits %g kW, %g–%g m; want 500 kW, 10–200 m", GMIMaxPowerKW, GMIMinDepthM, GMIMaxDepthM)
	}
	for _, c := range []struct {
		zone   string
		depth  float64
		kw     float64
		status GMIRegime
		ok     bool
	}{
		{"green", 100, 499.9, GMIDeclaration, true},
		{"vert", 199, 10, GMIDeclaration, true},
		{"orange", 100, 10, GMIExpert, true},
		{"green", 100, 500, GMIOutside, false},
		{"green", 200, 10, GMIOutside, false},
		{"green", 10, 10, GMIOutside, false},
		{"rouge", 100, 10, GMIOutside, false},
		{"", 100, 10, GMIToVerify, false},
	} {
		g, err := CheckGMI(c.zone, c.depth, c.kw)
		if err != nil || g.Status != c.status || g.Feasible != c.ok || g.Reason == "" {
			t.Errorf("CheckGMI(%q, %g m, %g kW) = %+v, %v; want %s feasible=%v", c.zone, c.depth, c.kw, g, err, c.status, c.ok)
		}
	}
	if _, err := CheckGMI("purple", 100, 10); err == nil {
		t.Fatal("unknown zone accepted")
	}
}

// TestBorefieldSizedToNeed: the parcel (78 possible boreholes for a
// 3.4 kW load) installs what the load needs and never reports more
// capacity than the design load; the possible capacity is kept apart.
func TestBorefieldSizedToNeed(t *testing.T) {
	b, err := SizeBorefield(BorefieldInput{DesignLoadKW: 3.4, AnnualHeatKWh: 3.4 * 2100, COPDesign: 4.2, Ground: "normal",
		DepthM: 100, PossibleBoreholes: 78, SpacingM: 10, GMIZone: "green"})
	if err != nil {
		t.Fatal(err)
	}
	if b.Needed != 1 || b.Installed != 1 || b.Possible != 78 {
		t.Fatalf("needed %d installed %d possible %d, want 1, 1, 78", b.Needed, b.Installed, b.Possible)
	}
	if b.CapacityKW > 3.4+1e-9 || b.Coverage != 1 {
		t.Fatalf("capacity %.2f kW for a 3.4 kW load (coverage %.2f)", b.CapacityKW, b.Coverage)
	}
	if !(b.PossibleCapacityKW > 100) || b.Method != MethodVDISimplified || !b.Feasible {
		t.Fatalf("possible capacity %.1f kW, method %s, feasible %v", b.PossibleCapacityKW, b.Method, b.Feasible)
	}
	// Per probe: 100 m × 55 W/m × 4.2/3.2 = 7.22 kW; 12 kW needs 2.
	b, _ = SizeBorefield(BorefieldInput{DesignLoadKW: 12, AnnualHeatKWh: 12 * 2100, COPDesign: 4.2, Ground: "normal",
		DepthM: 100, PossibleBoreholes: 1, SpacingM: 10, GMIZone: "green"})
	if b.Needed != 2 || b.Installed != 1 || math.Abs(b.CapacityKW-7.21875) > 1e-3 || math.Abs(b.Coverage-b.CapacityKW/12) > 1e-12 {
		t.Fatalf("12 kW on one possible probe: %+v", b)
	}
}

// TestBorefieldValidity: beyond VDI 4640's small-system table the method is
// "needs TRT / simulation"; unknown GMI zone is to verify and not feasible;
// a field above 500 kW of ground power is outside GMI.
func TestBorefieldValidity(t *testing.T) {
	b, err := SizeBorefield(BorefieldInput{DesignLoadKW: 40, AnnualHeatKWh: 40 * 2000, COPDesign: 4, Ground: "normal",
		DepthM: 100, PossibleBoreholes: 20, SpacingM: 10})
	if err != nil {
		t.Fatal(err)
	}
	if b.Method != MethodNeedsTRT || len(b.Notes) < 2 {
		t.Fatalf("40 kW, %d probes: method %s notes %v", b.Needed, b.Method, b.Notes)
	}
	if b.GMI.Status != GMIToVerify || b.Feasible {
		t.Fatalf("unknown zone: %+v feasible %v", b.GMI, b.Feasible)
	}
	b, _ = SizeBorefield(BorefieldInput{DesignLoadKW: 900, AnnualHeatKWh: 900 * 2000, COPDesign: 4, Ground: "high",
		DepthM: 150, PossibleBoreholes: 200, SpacingM: 10, GMIZone: "green"})
	if !(b.GroundKW >= 500) || b.GMI.Status != GMIOutside || b.Feasible {
		t.Fatalf("900 kW field: ground %.0f kW, %+v", b.GroundKW, b.GMI)
	}
	for _, in := range []BorefieldInput{
		{DesignLoadKW: math.NaN(), COPDesign: 4, Ground: "normal", DepthM: 100},
		{DesignLoadKW: 5, COPDesign: 1, Ground: "normal", DepthM: 100},
		{DesignLoadKW: 5, COPDesign: 4, Ground: "normal", DepthM: 0},
		{DesignLoadKW: 5, COPDesign: 4, Ground: "normal", DepthM: 100, PossibleBoreholes: -1},
	} {
		if _, err := SizeBorefield(in); err == nil {
			t.Errorf("bad input accepted: %+v", in)
		}
	}
}
