package heat

import (
	"fmt"
	"math"
	"strings"
)

// NF X10-970 (AFNOR, 2011, "Forage d'eau et de géothermie — Sonde
// géothermique verticale") requires at least 10 m between two vertical
// probes; it is the French drilling standard the GMI arrêtés refer to.
const (
	NFX10970SpacingM = 10.0
	NFX10970Source   = "AFNOR NF X10-970:2011 (sonde géothermique verticale): at least 10 m between two probes"
)

// VDI 4640 part 2 simplified dimensioning of borehole heat exchangers
// (specific heat extraction per metre of probe) is valid only for small
// single systems: heating (and hot water) only, heat-pump heating capacity
// up to 30 kW, probes 40–100 m long, 5 m (40–50 m) / 6 m (> 50 m) minimum
// spacing, full-load hours 1,800–2,400 h/yr (the two columns of the table).
// Source: VDI 4640 Blatt 2 (2001, §5.2 table 2; 2019 edition §7.1.2
// "Einzelanlagen mit Heizleistung bis zu 30 kW"), conditions as reproduced
// by the Landesamt für Geologie und Bergwesen Sachsen-Anhalt.
const (
	VDISource       = "VDI 4640 Blatt 2 (2001 table; 2019 §7.1.2): heating only, <= 30 kW, probes 40-100 m, 1,800-2,400 full-load h/yr"
	VDIMaxHeatingKW = 30.0
	VDIMinDepthM    = 40.0
	VDIMaxDepthM    = 100.0
	VDIMinHours     = 1800.0
	VDIMaxHours     = 2400.0
	// VDIMaxProbes: beyond this many probes mutual thermal interaction makes
	// the per-metre table unsafe. Assumption: 5 (the guideline's table is for
	// single small systems, "Einzelanlagen"; we did not read a numeric limit
	// in the guideline itself).
	VDIMaxProbes       = 5
	VDIMaxProbesSource = "assumption: 5 probes (VDI 4640-2 table is for small single systems, 'Einzelanlagen'; no numeric limit read)"
)

// vdiRates is the VDI 4640 part 2 table of specific heat extraction, W/m, at
// 1,800 and 2,400 full-load hours: poor ground (dry sediment, λ < 1.5
// W/m·K) 25 / 20; normal (solid rock or water-saturated sediment, λ 1.5–3.0)
// 60 / 50; high conductivity rock (λ > 3.0) 84 / 70.
var vdiRates = map[string][2]float64{
	"poor":   {25, 20},
	"normal": {60, 50},
	"high":   {84, 70},
}

// VDIRateWm returns the VDI 4640 specific extraction, W/m, for a ground
// class (poor, normal, high) and full-load hours, linearly interpolated
// between 1,800 and 2,400 h and held at the end values outside (the second
// result says whether the hours were inside the table).
func VDIRateWm(ground string, fullLoadHours float64) (float64, bool, error) {
	r, ok := vdiRates[strings.ToLower(strings.TrimSpace(ground))]
	if !ok {
		return math.NaN(), false, fmt.Errorf("%w: ground class %q: want poor, normal or high", ErrFieldInput, ground)
	}
	if math.IsNaN(fullLoadHours) || fullLoadHours < 0 {
		return math.NaN(), false, fmt.Errorf("%w: full-load hours %g", ErrFieldInput, fullLoadHours)
	}
	in := fullLoadHours >= VDIMinHours && fullLoadHours <= VDIMaxHours
	h := math.Min(VDIMaxHours, math.Max(VDIMinHours, fullLoadHours))
	return r[0] + (h-VDIMinHours)/(VDIMaxHours-VDIMinHours)*(r[1]-r[0]), in, nil
}

// Borefield sizing methods.
const (
	MethodVDISimplified = "vdi4640_simplified"
	// MethodNeedsTRT: beyond the VDI table's validity: the count given is
	// indicative only; the field needs a thermal response test and a
	// simulation (EED, g-functions) before any figure is relied on.
	MethodNeedsTRT = "needs_trt_simulation"
)

// BorefieldInput describes one ground-source project (a building or a
// parcel's group of buildings).
type BorefieldInput struct {
	// DesignLoadKW is the heat-pump capacity needed (design load at the base
	// temperature × sizing), kW; AnnualHeatKWh the heat it delivers per year
	// (space + hot water), kWh.
	DesignLoadKW, AnnualHeatKWh float64
	// COPDesign is the heat pump's COP at the design point (brine ≈ 0 °C,
	// design flow): the ground supplies capacity × (COP − 1)/COP.
	COPDesign float64
	// Ground class (poor, normal, high) and probe depth, m.
	Ground string
	DepthM float64
	// PossibleBoreholes is how many probes fit on the parcel at SpacingM
	// (placement is the caller's; 0 when no room).
	PossibleBoreholes int
	// SpacingM is the spacing the possible count was computed with; below
	// NF X10-970's 10 m it is an error.
	SpacingM float64
	// GMIZone as read from the regulatory map, "" if unknown.
	GMIZone string
	// RatesWm, when not zero, replaces the VDI 4640 table row of Ground:
	// specific extraction at 1,800 and 2,400 full-load hours, W/m (the
	// scenario's heat.gshp.extraction values).
	RatesWm [2]float64
}

// Borefield is a probe field sized to the need.
type Borefield struct {
	FullLoadHours float64
	RateWm        float64
	// Needed probes to cover DesignLoadKW; Installed = min(Needed,
	// Possible): a territory total sums Installed, never Possible.
	Needed, Possible, Installed int
	// CapacityKW is the heat-pump capacity the installed probes support,
	// capped at the design load (never more than the building needs);
	// PossibleCapacityKW what all possible probes would support (information
	// only, not a potential); Coverage = CapacityKW / DesignLoadKW.
	CapacityKW, PossibleCapacityKW, Coverage float64
	// GroundKW is the power exchanged with the ground by the installed
	// field, kW (what the GMI 500 kW limit applies to).
	GroundKW float64
	// Method is MethodVDISimplified inside the table's validity, else
	// MethodNeedsTRT; Notes list every validity condition that failed.
	Method string
	Notes  []string
	GMI    GMICheck
	// Feasible: GMI feasible (green/orange, inside limits) and at least one
	// probe installed. A "needs TRT" field can be feasible but its count is
	// indicative.
	Feasible bool
}

// SizeBorefield sizes the probe field of one project: per-probe heat-pump
// capacity = depth × VDI rate × COP/(COP − 1); Needed = ceil(design load /
// per-probe capacity); Installed = min(Needed, Possible); capacity capped at
// the design load. The VDI validity (≤ 30 kW, 40–100 m, ≤ VDIMaxProbes
// probes, 1,800–2,400 full-load hours) decides the method; the GMI check
// uses the installed field's ground power.
func SizeBorefield(in BorefieldInput) (Borefield, error) {
	if math.IsNaN(in.DesignLoadKW) || in.DesignLoadKW < 0 || math.IsNaN(in.AnnualHeatKWh) || in.AnnualHeatKWh < 0 {
		return Borefield{}, fmt.Errorf("%w: design load %g kW, annual heat %g kWh", ErrFieldInput, in.DesignLoadKW, in.AnnualHeatKWh)
	}
	if !(in.COPDesign > 1 && in.COPDesign < 15) {
		return Borefield{}, fmt.Errorf("%w: design COP %g must be in (1, 15)", ErrFieldInput, in.COPDesign)
	}
	if !(in.DepthM > 0 && in.DepthM < 1000) {
		return Borefield{}, fmt.Errorf("%w: probe depth %g m", ErrFieldInput, in.DepthM)
	}
	if in.PossibleBoreholes < 0 {
		return Borefield{}, fmt.Errorf("%w: possible boreholes %d < 0", ErrFieldInput, in.PossibleBoreholes)
	}
	if in.PossibleBoreholes > 0 && !(in.SpacingM >= NFX10970SpacingM) {
		return Borefield{}, fmt.Errorf("%w: probe spacing %g m below the NF X10-970 minimum of %g m", ErrFieldInput, in.SpacingM, NFX10970SpacingM)
	}
	b := Borefield{Possible: in.PossibleBoreholes, Method: MethodVDISimplified}
	if in.DesignLoadKW > 0 {
		b.FullLoadHours = in.AnnualHeatKWh / in.DesignLoadKW
	}
	rate, inTable, err := VDIRateWm(in.Ground, b.FullLoadHours)
	if err != nil {
		return Borefield{}, err
	}
	if r := in.RatesWm; r != [2]float64{} {
		if !(r[0] > 0 && r[1] > 0 && r[0] < 200 && r[1] < 200) {
			return Borefield{}, fmt.Errorf("%w: extraction rates %v W/m must be in (0, 200)", ErrFieldInput, r)
		}
		h := math.Min(VDIMaxHours, math.Max(VDIMinHours, b.FullLoadHours))
		rate = r[0] + (h-VDIMinHours)/(VDIMaxHours-VDIMinHours)*(r[1]-r[0])
	}
	b.RateWm = rate
	gain := in.COPDesign / (in.COPDesign - 1)
	perProbe := in.DepthM * rate / 1000 * gain // kW of heat-pump capacity per probe
	if in.DesignLoadKW > 0 {
		b.Needed = int(math.Ceil(in.DesignLoadKW/perProbe - 1e-9))
	}
	b.Installed = min(b.Needed, b.Possible)
	b.CapacityKW = math.Min(in.DesignLoadKW, float64(b.Installed)*perProbe)
	b.PossibleCapacityKW = float64(b.Possible) * perProbe
	if in.DesignLoadKW > 0 {
		b.Coverage = b.CapacityKW / in.DesignLoadKW
	}
	b.GroundKW = b.CapacityKW / gain

	if in.DesignLoadKW > VDIMaxHeatingKW {
		b.Notes = append(b.Notes, fmt.Sprintf("puissance %.1f kW > 30 kW (VDI 4640 : petites installations)", in.DesignLoadKW))
	}
	if in.DepthM < VDIMinDepthM || in.DepthM > VDIMaxDepthM {
		b.Notes = append(b.Notes, fmt.Sprintf("sondes de %.0f m hors 40–100 m", in.DepthM))
	}
	if b.Needed > VDIMaxProbes {
		b.Notes = append(b.Notes, fmt.Sprintf("%d sondes > %d : interaction thermique entre sondes", b.Needed, VDIMaxProbes))
	}
	if b.Needed > 0 && !inTable {
		b.Notes = append(b.Notes, fmt.Sprintf("%.0f h pleine charge hors 1 800–2 400 h", b.FullLoadHours))
	}
	if len(b.Notes) > 0 {
		b.Method = MethodNeedsTRT
	}
	if b.GMI, err = CheckGMI(in.GMIZone, in.DepthM, b.GroundKW); err != nil {
		return Borefield{}, err
	}
	b.Feasible = b.GMI.Feasible && b.Installed > 0
	return b, nil
}
