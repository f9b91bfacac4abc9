package heat

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"testing"
)

// TABULA FR energy need q_h_nd (kWh/m²·yr, existing state .001, climate
// FR.N), transcribed from FZJ-IEK3-VSA/HiSim
// hisim/inputs/housing/data_processed/episcope-tabula.csv @33e9c709 (last
// column, see tabula_fr.go); exact match required.
var tabulaExpected = []struct {
	code string
	qhNd float64
}{
	{"FR.N.SFH.01.Gen", 313.8}, {"FR.N.SFH.02.Gen", 406.2}, {"FR.N.SFH.03.Gen", 311.8}, {"FR.N.SFH.04.Gen", 340.4},
	{"FR.N.SFH.05.Gen", 121.8}, {"FR.N.SFH.06.Gen", 78.3}, {"FR.N.SFH.07.Gen", 98.1}, {"FR.N.SFH.08.Gen", 75.8},
	{"FR.N.SFH.09.Gen", 65.6}, {"FR.N.SFH.10.Gen", 54.4},
	{"FR.N.TH.01.Gen", 213.0}, {"FR.N.TH.02.Gen", 246.8}, {"FR.N.TH.03.Gen", 287.7}, {"FR.N.TH.04.Gen", 241.6},
	{"FR.N.TH.05.Gen", 196.2}, {"FR.N.TH.06.Gen", 77.1}, {"FR.N.TH.07.Gen", 47.1}, {"FR.N.TH.08.Gen", 63.7},
	{"FR.N.TH.09.Gen", 83.7}, {"FR.N.TH.10.Gen", 49.1},
	{"FR.N.MFH.01.Gen", 245.1}, {"FR.N.MFH.02.Gen", 199.7}, {"FR.N.MFH.03.Gen", 243.7}, {"FR.N.MFH.04.Gen", 158.3},
	{"FR.N.MFH.05.Gen", 115.5}, {"FR.N.MFH.06.Gen", 87.9}, {"FR.N.MFH.07.Gen", 77.2}, {"FR.N.MFH.08.Gen", 64.1},
	{"FR.N.MFH.09.Gen", 58.4}, {"FR.N.MFH.10.Gen", 40.4},
	{"FR.N.AB.01.Gen", 203.1}, {"FR.N.AB.02.Gen", 242.4}, {"FR.N.AB.03.Gen", 166.5}, {"FR.N.AB.04.Gen", 132.6},
	{"FR.N.AB.05.Gen", 115.7}, {"FR.N.AB.06.Gen", 73.2}, {"FR.N.AB.07.Gen", 75.0}, {"FR.N.AB.08.Gen", 54.1},
	{"FR.N.AB.09.Gen", 47.0}, {"FR.N.AB.10.Gen", 32.9},
}

func TestTabulaFRTable(t *testing.T) {
	if len(TabulaFR) != len(tabulaExpected) {
		t.Fatalf("%d TABULA rows, want %d", len(TabulaFR), len(tabulaExpected))
	}
	for _, w := range tabulaExpected {
		var got *TabulaBuilding
		for i := range TabulaFR {
			if TabulaFR[i].Code == w.code {
				got = &TabulaFR[i]
			}
		}
		if got == nil {
			t.Errorf("%s missing", w.code)
			continue
		}
		if got.QhNdKWhM2 != w.qhNd {
			t.Errorf("%s q_h_nd = %g, want %g", w.code, got.QhNdKWhM2, w.qhNd)
		}
		// The code must agree with the size and period fields; q_w_nd is 10
		// for EU.SUH (SFH, TH), 15 for EU.MUH (MFH, AB).
		if want := "FR.N." + string(got.Size) + "." + got.Period[3:] + ".Gen"; got.Code != want {
			t.Errorf("%s: size/period fields say %s", got.Code, want)
		}
		if wq := map[TabulaSize]float64{TabulaSFH: 10, TabulaTH: 10, TabulaMFH: 15, TabulaAB: 15}[got.Size]; got.QwNdKWhM2 != wq {
			t.Errorf("%s q_w_nd = %g, want %g", got.Code, got.QwNdKWhM2, wq)
		}
		// The two q_h_nd columns differ only on the 7 "Variation" rows of
		// classes 09/10, where the export's named column lacks the thermal
		// bridges: there the published value must be the larger one.
		if got.QhNdKWhM2 < got.QhNdNamedKWhM2 || (got.QhNdKWhM2 != got.QhNdNamedKWhM2 && got.Period != "FR.09" && got.Period != "FR.10") {
			t.Errorf("%s: q_h_nd columns %g / %g", got.Code, got.QhNdKWhM2, got.QhNdNamedKWhM2)
		}
	}
	// The period table: 10 contiguous classes, each with the four sizes.
	if len(ConstructionPeriods) != 10 {
		t.Fatalf("%d periods", len(ConstructionPeriods))
	}
	for i, per := range ConstructionPeriods {
		if i > 0 && per.FromYear != ConstructionPeriods[i-1].ToYear+1 {
			t.Errorf("%s starts %d, previous ends %d", per.Code, per.FromYear, ConstructionPeriods[i-1].ToYear)
		}
		for _, v := range []float64{per.SFHKWhM2, per.THKWhM2, per.MFHKWhM2, per.ABKWhM2} {
			if v <= 0 {
				t.Errorf("%s has an empty size: %+v", per.Code, per)
			}
		}
	}
	// Spot check of the assembled row FR.04 (1968–1974).
	if p := ConstructionPeriods[3]; p.Code != "FR.04" || p.SFHKWhM2 != 340.4 || p.THKWhM2 != 241.6 || p.MFHKWhM2 != 158.3 || p.ABKWhM2 != 132.6 {
		t.Errorf("FR.04 row: %+v", p)
	}
}

// Hand-worked: single house, 100 m² footprint, 2 levels, built 1970
// (FR.04: FR.N.SFH.04.Gen 340.4 and FR.N.TH.04.Gen 241.6 kWh/m²·yr, mixed
// 50/50 = 291.0), climate HDD 2,000 vs reference 2,720.
// Area = 100·2·0.8 = 160 m²; space = 291.0·(2000/2720)·160 = 34,235.3 kWh;
// DHW = 10·160 = 1,600 kWh (q_w_nd EU.SUH); design load =
// 34,235.3/(2000·24)·(18+5) = 16.405 kW.
func TestHeatDemandHandWorked(t *testing.T) {
	p := DefaultDemandParams()
	d, err := EstimateHeatDemand(BuildingHeatInput{FootprintM2: 100, Levels: 2, Year: 1970, Kind: SingleHouse}, 2000, p)
	if err != nil {
		t.Fatal(err)
	}
	space := 291.0 * 2000.0 / 2720 * 160
	want := []struct {
		name      string
		got, want float64
	}{
		{"area", d.FloorAreaM2, 160},
		{"space", d.SpaceKWh, space},
		{"dhw", d.DHWKWh, 1600},
		{"design", d.DesignLoadKW, space / (2000 * 24) * 23},
	}
	for _, w := range want {
		if math.Abs(w.got-w.want) > 1e-9*math.Max(1, w.want) {
			t.Errorf("%s = %g, want %g", w.name, w.got, w.want)
		}
	}
	if d.Period != "FR.04" || d.Typology != "SFH+TH" || d.LevelsSource != "levels" || d.RelUncertainty != p.RelUncertaintyKnown.Value {
		t.Errorf("period %s, typology %s, levels source %s, uncertainty %g", d.Period, d.Typology, d.LevelsSource, d.RelUncertainty)
	}
}

// Multi-family buildings: AB example from 5 storeys (FR.N.AB.04.Gen 132.6),
// MFH below (FR.N.MFH.04.Gen 158.3); DHW 15 kWh/m² (q_w_nd EU.MUH); at the
// reference climate the need is the table value.
func TestHeatDemandMultiFamily(t *testing.T) {
	p := DefaultDemandParams()
	for _, c := range []struct {
		levels int
		typ    string
		want   float64
	}{{6, "AB", 132.6}, {5, "AB", 132.6}, {4, "MFH", 158.3}, {3, "MFH", 158.3}} {
		d, err := EstimateHeatDemand(BuildingHeatInput{FootprintM2: 400, Levels: c.levels, Year: 1972, Kind: MultiFamily}, p.ReferenceHDD.Value, p)
		if err != nil {
			t.Fatal(err)
		}
		if d.Typology != c.typ || math.Abs(d.SpecificSpaceKWhM2-c.want) > 1e-9 || math.Abs(d.DHWKWh-15*d.FloorAreaM2) > 1e-9 {
			t.Errorf("%d levels: typology %s, %g kWh/m², DHW %g; want %s, %g", c.levels, d.Typology, d.SpecificSpaceKWhM2, d.DHWKWh, c.typ, c.want)
		}
	}
	// TerracedShare 1 selects FR.N.TH.02.Gen (246.8), 0 FR.N.SFH.02.Gen
	// (406.2); MeasuredToCalculated scales the table value.
	for _, c := range []struct{ share, cal, want float64 }{{1, 1, 246.8}, {0, 1, 406.2}, {0, 0.6, 0.6 * 406.2}} {
		q := p
		q.TerracedShare.Value, q.MeasuredToCalculated.Value = c.share, c.cal
		d, _ := EstimateHeatDemand(BuildingHeatInput{FootprintM2: 80, Levels: 2, Year: 1930, Kind: SingleHouse}, q.ReferenceHDD.Value, q)
		if math.Abs(d.SpecificSpaceKWhM2-c.want) > 1e-9 {
			t.Errorf("terraced share %g, calibration %g: %g kWh/m², want %g", c.share, c.cal, d.SpecificSpaceKWhM2, c.want)
		}
	}
}

// inseeRP2008 holds the French main residences built before 2006 by period
// of completion (Insee, RP2008 exploitation principale, table PRINC6,
// France entière, https://www.insee.fr/fr/statistiques/2014418?geo=FE-1):
// before 1949, 1949–1974, 1975–1981, 1982–1989, 1990–1998, 1999–2005. The
// INSEE classes map onto TABULA FR.01+FR.02, FR.03+FR.04, FR.05, FR.06,
// FR.07 (1990–1999), FR.08 (2000–2005); classes merged by INSEE get equal
// weights (assumption).
var (
	inseeAll    = []float64{7887822, 7794717, 3481155, 2650717, 2540608, 2100155}
	inseeHouses = []float64{5001019, 3337444, 1998254, 1792189, 1428372, 1393555}
)

// stockMix returns the dwelling-weighted mean TABULA need, kWh/m²·yr, of
// the houses, of the apartments, and of all, for a given house weight
// (1 = per dwelling; a floor-area weighting gives houses more weight).
func stockMix(p DemandParams, houseWeight float64) (single, multi, all float64) {
	group := func(kind BuildingKind, levels int) []float64 {
		v := make([]float64, 10)
		for i, per := range ConstructionPeriods {
			v[i], _ = per.SpaceKWhM2(kind, levels, p)
		}
		return []float64{(v[0] + v[1]) / 2, (v[2] + v[3]) / 2, v[4], v[5], v[6], v[7]}
	}
	s := group(SingleHouse, 1)
	mfh, ab := group(MultiFamily, 1), group(MultiFamily, p.ApartmentBlockMinLevels.Int())
	var ns, ds, nm, dm float64
	for i := range s {
		apts := inseeAll[i] - inseeHouses[i]
		ns += inseeHouses[i] * s[i]
		ds += inseeHouses[i]
		nm += apts * (mfh[i] + ab[i]) / 2
		dm += apts
	}
	return ns / ds, nm / dm, (houseWeight*ns + nm) / (houseWeight*ds + dm)
}

// The unknown-year defaults are the INSEE-weighted stock mix of the table
// (rounded to 1 kWh/m²).
func TestHeatDemandUnknownYearDefault(t *testing.T) {
	p := DefaultDemandParams()
	single, multi, _ := stockMix(p, 1)
	if math.Abs(p.UnknownPeriodSpaceKWhM2.Value-single) > 0.5 || math.Abs(p.UnknownPeriodMultiKWhM2.Value-multi) > 0.5 {
		t.Errorf("unknown-year defaults %g / %g, stock mix %.1f / %.1f", p.UnknownPeriodSpaceKWhM2.Value, p.UnknownPeriodMultiKWhM2.Value, single, multi)
	}
	for _, c := range []struct {
		in   BuildingHeatInput
		want float64
	}{
		{BuildingHeatInput{FootprintM2: 90, Levels: 2}, p.UnknownPeriodSpaceKWhM2.Value},
		{BuildingHeatInput{FootprintM2: 300, Levels: 4}, p.UnknownPeriodMultiKWhM2.Value},
	} {
		d, _ := EstimateHeatDemand(c.in, p.ReferenceHDD.Value, p)
		if d.Period != "unknown" || d.SpecificSpaceKWhM2 != c.want || d.RelUncertainty != p.RelUncertaintyUnknown.Value {
			t.Errorf("%+v: %+v", c.in, d)
		}
	}
}

// NetToGross (footprint × levels → TABULA A_C_Ref) against the TABULA FR
// example buildings: A_C_Ref / (envelope floor area × n_Storey), median over
// the 40 rows, must be within ±0.05 of the parameter (measured 0.78).
func TestNetToGrossAgainstTabula(t *testing.T) {
	r := make([]float64, len(TabulaFR))
	for i, b := range TabulaFR {
		r[i] = b.ACRefM2 / (b.GroundFloorM2 * float64(b.Storeys))
	}
	sort.Float64s(r)
	med := (r[len(r)/2-1] + r[len(r)/2]) / 2
	if p := DefaultDemandParams(); math.Abs(med-p.NetToGross.Value) > 0.05 {
		t.Errorf("TABULA A_C_Ref/(floor·storeys) median %.3f vs net_to_gross %.2f", med, p.NetToGross.Value)
	}
	t.Logf("TABULA FR A_C_Ref / (floor × storeys): median %.3f, range %.2f–%.2f", med, r[0], r[len(r)-1])
}

// ReferenceHDD against the TABULA FR.N climate: on each French TMYx year
// our hourly base-18 HDD is within 2 % of TABULA's degree-days (20 °C
// indoor, days with a daily mean below 12 °C) from the same hours, and
// ReferenceHDD = 2,692 K·d (TabulaFRClimate) × the mean ratio within 1 %.
func TestReferenceHDDMatchesTabulaClimate(t *testing.T) {
	var sum float64
	files := []string{
		"weather/FRA_AC_La.Rochelle.Intl.AP.073160_TMYx.epw.gz",
		"weather/FRA_AR_Grenoble.074850_TMYx.epw.gz",
		"weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw.gz",
	}
	for _, f := range files {
		temps, step := readTemps(t, f)
		hdd, err := HDDHourly(temps, step, 18)
		if err != nil {
			t.Fatal(err)
		}
		per := int(math.Round(24 / step))
		var tab float64
		for d := 0; d+per <= len(temps); d += per {
			m := 0.0
			for _, v := range temps[d : d+per] {
				m += v / float64(per)
			}
			if m < TabulaFRClimate.ThetaEBaseC {
				tab += TabulaFRClimate.ThetaIC - m
			}
		}
		ratio := hdd / tab
		if ratio < 0.98 || ratio > 1.02 {
			t.Errorf("%s: HDD18 %.0f / TABULA 20/12 %.0f = %.3f", f, hdd, tab, ratio)
		}
		t.Logf("%s: HDD18 hourly %.0f, TABULA 20/12 degree-days %.0f, ratio %.3f", f, hdd, tab, ratio)
		sum += ratio
	}
	want := TabulaFRClimate.DegreeDaysKd * sum / float64(len(files))
	if p := DefaultDemandParams(); math.Abs(p.ReferenceHDD.Value/want-1) > 0.01 {
		t.Errorf("reference_hdd %g, TABULA FR.N equivalent %.0f", p.ReferenceHDD.Value, want)
	}
}

// National plausibility. Published figure: the average final-energy use
// for space heating of French dwellings is 135 kWh/m²·yr (The Shifters,
// "Le chauffage", https://theshifters.org/sobriete/le-chauffage/, from
// ~440 TWh/yr residential use, 68 % for heating; per m² of living area).
// Useful heat = 135 × 0.8 (mean seasonal efficiency of the heating mix:
// assumption; direct electric ≈ 1, boilers 0.6–0.9 per ADEME Base Carbone
// "Chauffage") = 108 kWh/m² living area = 108 / 1.1 = 98 kWh/m² of TABULA
// reference area (A_C_Ref = 1.1 × living area in TABULA FR).
//
// Our estimate: the TABULA FR as-built stock mix weighted by INSEE RP2008
// dwellings (stockMix), at the TABULA reference climate. It must EXCEED
// the measured figure — TABULA's is the standard need of the as-built
// state at 20 °C everywhere, while the real stock has been partly
// renovated and under-heats poor dwellings (the "prebound effect":
// Sunikka-Blank & Galvin 2012, doi:10.1080/09613218.2012.690952, German
// dwellings use ~30 % less than calculated, the gap growing with the
// calculated need) — and by at most a factor 2.2 (measured ≈ 0.45 × the
// calculated need in the worst classes of that study). The FR.N climate
// (≈ 2,720 K·d) is also somewhat colder than the national average. So the
// tolerance is the ratio band [1.2, 2.2]: wide, but an area-basis or unit
// error (× 1.1, × 0.8, kWh vs MWh) or a table of refurbished variants
// (≈ 40–60 kWh/m²) would leave it.
func TestHeatDemandNationalPlausibility(t *testing.T) {
	p := DefaultDemandParams()
	measuredUseful := 135 * 0.8 / 1.1
	for _, w := range []float64{1, 1.6} { // per dwelling; ~ per floor area (houses ≈ 1.6 × apartments)
		_, _, all := stockMix(p, w)
		ratio := all / measuredUseful
		t.Logf("house weight %.1f: TABULA as-built stock mix %.1f kWh/m²·yr (A_C_Ref) vs %.1f from national consumption: ratio %.2f", w, all, measuredUseful, ratio)
		if ratio < 1.2 || ratio > 2.2 {
			t.Errorf("stock mix %.1f vs national %.1f kWh/m²·yr: ratio %.2f outside [1.2, 2.2]", all, measuredUseful, ratio)
		}
	}
}

func TestHeatDemandFallbacks(t *testing.T) {
	p := DefaultDemandParams()
	// Height 9.4 m → round(9.4/3) = 3 levels → multi-family by GuessKind.
	d, err := EstimateHeatDemand(BuildingHeatInput{FootprintM2: 200, HeightM: 9.4, Year: 0}, p.ReferenceHDD.Value, p)
	if err != nil {
		t.Fatal(err)
	}
	if d.LevelsUsed != 3 || d.LevelsSource != "height" || d.Kind != MultiFamily || d.Period != "unknown" ||
		d.SpecificSpaceKWhM2 != p.UnknownPeriodMultiKWhM2.Value || d.RelUncertainty != p.RelUncertaintyUnknown.Value {
		t.Errorf("fallbacks: %+v", d)
	}
	d, _ = EstimateHeatDemand(BuildingHeatInput{FootprintM2: 80, HeightM: math.NaN()}, p.ReferenceHDD.Value, p)
	if d.LevelsUsed != 1 || d.LevelsSource != "default" {
		t.Errorf("no height: %+v", d)
	}
	// DPE class D: 215/1.0·0.85·0.9 = 164.475 kWh/m² heat, minus DHW 10
	// (single house).
	d, _ = EstimateHeatDemand(BuildingHeatInput{FootprintM2: 100, Levels: 1, DPEClass: "d"}, 1000, p)
	if math.Abs(d.SpecificSpaceKWhM2-(215*0.85*0.9-10)) > 1e-9 || d.Period != "DPE:D" {
		t.Errorf("DPE D: %+v", d)
	}
	// Tertiary: factor 0.8 on space (FR.10 SFH/TH mean (54.4+49.1)/2 =
	// 51.75), 5 kWh/m² DHW.
	d, _ = EstimateHeatDemand(BuildingHeatInput{FootprintM2: 100, Levels: 1, Year: 2015, Kind: SingleHouse, Use: UseTertiary}, p.ReferenceHDD.Value, p)
	if math.Abs(d.SpecificSpaceKWhM2-51.75*0.8) > 1e-9 || d.DHWKWh != 5*80 {
		t.Errorf("tertiary: %+v", d)
	}
}

func TestHeatDemandRejects(t *testing.T) {
	p := DefaultDemandParams()
	for _, in := range []BuildingHeatInput{
		{FootprintM2: 0}, {FootprintM2: math.NaN()}, {FootprintM2: 50, Levels: -1},
		{FootprintM2: 50, DPEClass: "H"}, {FootprintM2: 50, Use: "industry"}, {FootprintM2: 50, Kind: "castle"},
	} {
		if _, err := EstimateHeatDemand(in, 2000, p); !errors.Is(err, ErrHeatInput) {
			t.Errorf("%+v: err = %v", in, err)
		}
	}
	for _, mut := range []func(*DemandParams){
		func(q *DemandParams) { q.NetToGross.Value = 2 },
		func(q *DemandParams) { q.TerracedShare.Value = 1.5 },
		func(q *DemandParams) { q.ApartmentBlockMinLevels.Value = 0 },
		func(q *DemandParams) { q.MeasuredToCalculated.Value = 0 },
		func(q *DemandParams) { q.UnknownPeriodMultiKWhM2.Value = -1 },
	} {
		bad := p
		mut(&bad)
		if err := bad.Validate(); !errors.Is(err, ErrHeatParam) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

func ExampleEstimateHeatDemand() {
	d, _ := EstimateHeatDemand(BuildingHeatInput{FootprintM2: 100, Levels: 2, Year: 1970, Kind: SingleHouse}, 2000, DefaultDemandParams())
	fmt.Printf("floor %.0f m², space %.0f kWh/yr, DHW %.0f kWh/yr, design load %.1f kW\n", d.FloorAreaM2, d.SpaceKWh, d.DHWKWh, d.DesignLoadKW)
	// Output: floor 160 m², space 34235 kWh/yr, DHW 1600 kWh/yr, design load 16.4 kW
}
