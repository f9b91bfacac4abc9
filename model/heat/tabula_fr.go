package heat

// TABULA/EPISCOPE residential building typology of France, existing state
// ("as built", variant .001 of the generic types FR.N.<size>.<period>.Gen).
//
// Source: TABULA/EPISCOPE, IWU Darmstadt (episcope.eu), CC BY 4.0 — IEE
// projects TABULA + EPISCOPE, French typology by Pouget Consultants for
// ADEME. Transcribed by hand (numbers only, no code) from the export of the
// TABULA calculator ("tabula-calculator.xlsx") redistributed by
// github.com/FZJ-IEK3-VSA/HiSim, path
// hisim/inputs/housing/data_processed/episcope-tabula.csv, commit
// 33e9c70931ec998ac06b8fecd56b65cba399c118 (licence CC BY 4.0 and source as
// stated in hisim/inputs/housing/readme.md and data_raw/source.txt, commit
// 166b6f3db4345600e3bfdf82d3fbc73a124cf02b). Rows
// FR.N.<SFH|TH|MFH|AB>.<01..10>.Gen.ReEx.001.001.
//
// Conventions of the file (TABULA common calculation procedure):
//   - reference area A_C_Ref: conditioned floor area, internal dimensions;
//     where only the living area (surface habitable) is given TABULA FR
//     estimates A_C_Ref = 1.1 × living area (e.g. FR.N.AB.01: 1,557 m² →
//     1,712.7 m²). All kWh/m² values are per m² of A_C_Ref.
//   - climate FR.N "National": 208.67 heating days (days with a daily mean
//     below Theta_e_Base = 12 °C), mean outdoor temperature over them
//     Theta_e = 7.1 °C, indoor theta_i = 20 °C, so
//     Sum_DeltaT_for_HeatingDays = (20 − 7.1) × 208.67 = 2,692 K·d.
//   - boundary conditions EU.SUH (SFH, TH: q_w_nd = 10 kWh/m²·yr) and
//     EU.MUH (MFH, AB: q_w_nd = 15 kWh/m²·yr).
//   - q_h_nd, energy need for space heating, kWh/m²·yr. The export holds two
//     q_h_nd columns: the one named q_h_nd and an unnamed last column. They
//     agree on 33 of the 40 rows. On the 7 rows of classes .09/.10 flagged
//     "Variation" (SFH.09, SFH.10, TH.09, TH.10, MFH.09, AB.09, AB.10) the
//     named column was computed with the thermal-bridge surcharge
//     delta_U_ThermalBridging = 0 although the row's Code_ThermalBridging is
//     Low/Medium; the last column includes it (check on FR.N.SFH.09: adding
//     ΔU = 0.05 W/m²K over the 316.8 m² envelope to h_Transmission 0.94 W/m²K
//     raises 58.2 to ≈ 66 kWh/m²·yr; the last column says 65.6). We use the
//     last column (QhNdKWhM2) and keep the other (QhNdNamedKWhM2) for
//     traceability.

// TabulaSize is a TABULA building size class.
type TabulaSize string

const (
	TabulaSFH TabulaSize = "SFH" // single-family house (detached)
	TabulaTH  TabulaSize = "TH"  // terraced house
	TabulaMFH TabulaSize = "MFH" // multi-family house
	TabulaAB  TabulaSize = "AB"  // apartment block
)

// TabulaBuilding is one TABULA FR example building, existing state.
type TabulaBuilding struct {
	// Code is the TABULA building code, e.g. "FR.N.SFH.01.Gen".
	Code string
	Size TabulaSize
	// Period is the construction-year class FR.01 … FR.10, FromYear/ToYear
	// its bounds (Year1_Building, Year2_Building; 0 and 9999 are open ends).
	Period           string
	FromYear, ToYear int
	// ACRefM2 is the reference (conditioned) floor area A_C_Ref, m²;
	// Storeys n_Storey; GroundFloorM2 the envelope floor area A_Floor_1 +
	// A_Floor_2, m² (floor to ground or cellar; close to the footprint
	// except where a storey overhangs or is partial).
	ACRefM2, GroundFloorM2 float64
	Storeys                int
	// QhNdKWhM2 is the energy need for space heating (last column of the
	// export, see the file comment), QhNdNamedKWhM2 the column named q_h_nd;
	// QwNdKWhM2 the hot-water need q_w_nd. kWh/m²·yr of A_C_Ref, climate
	// FR.N.
	QhNdKWhM2, QhNdNamedKWhM2, QwNdKWhM2 float64
}

// TabulaFRClimate is the TABULA FR.N "National" climate of the table.
var TabulaFRClimate = struct {
	HeatingDays, ThetaEBaseC, ThetaEC, ThetaIC, DegreeDaysKd float64
}{HeatingDays: 208.6666667, ThetaEBaseC: 12, ThetaEC: 7.1, ThetaIC: 20, DegreeDaysKd: 2692}

// TabulaFR is the French typology, existing state; see the file comment.
var TabulaFR = []TabulaBuilding{
	{"FR.N.SFH.01.Gen", TabulaSFH, "FR.01", 0, 1914, 88.3, 61.0, 2, 313.8, 313.8, 10},
	{"FR.N.SFH.02.Gen", TabulaSFH, "FR.02", 1915, 1948, 86.0, 60.9, 2, 406.2, 406.2, 10},
	{"FR.N.SFH.03.Gen", TabulaSFH, "FR.03", 1949, 1967, 78.7, 89.1, 2, 311.8, 311.8, 10},
	{"FR.N.SFH.04.Gen", TabulaSFH, "FR.04", 1968, 1974, 93.7, 100.8, 2, 340.4, 340.4, 10},
	{"FR.N.SFH.05.Gen", TabulaSFH, "FR.05", 1975, 1981, 130.3, 97.0, 2, 121.8, 121.8, 10},
	{"FR.N.SFH.06.Gen", TabulaSFH, "FR.06", 1982, 1989, 143.9, 70.0, 3, 78.3, 78.3, 10},
	{"FR.N.SFH.07.Gen", TabulaSFH, "FR.07", 1990, 1999, 106.8, 107.0, 1, 98.1, 98.1, 10},
	{"FR.N.SFH.08.Gen", TabulaSFH, "FR.08", 2000, 2005, 122.1, 51.45, 1, 75.8, 75.8, 10},
	{"FR.N.SFH.09.Gen", TabulaSFH, "FR.09", 2006, 2012, 104.5, 57.0, 1, 65.6, 58.2, 10},
	{"FR.N.SFH.10.Gen", TabulaSFH, "FR.10", 2013, 9999, 103.4, 69.7, 2, 54.4, 47.7, 10},

	{"FR.N.TH.01.Gen", TabulaTH, "FR.01", 0, 1914, 143.9, 69.305, 3, 213.0, 213.0, 10},
	{"FR.N.TH.02.Gen", TabulaTH, "FR.02", 1915, 1948, 96.5, 76.9, 2, 246.8, 246.8, 10},
	{"FR.N.TH.03.Gen", TabulaTH, "FR.03", 1949, 1967, 87.1, 60.22, 2, 287.7, 287.7, 10},
	{"FR.N.TH.04.Gen", TabulaTH, "FR.04", 1968, 1974, 115.5, 63.0, 2, 241.6, 241.6, 10},
	{"FR.N.TH.05.Gen", TabulaTH, "FR.05", 1975, 1981, 82.5, 80.7, 1, 196.2, 196.2, 10},
	{"FR.N.TH.06.Gen", TabulaTH, "FR.06", 1982, 1989, 89.1, 49.86, 2, 77.1, 77.1, 10},
	{"FR.N.TH.07.Gen", TabulaTH, "FR.07", 1990, 1999, 170.9, 66.0, 3, 47.1, 47.1, 10},
	{"FR.N.TH.08.Gen", TabulaTH, "FR.08", 2000, 2005, 68.5, 39.95, 2, 63.7, 63.7, 10},
	{"FR.N.TH.09.Gen", TabulaTH, "FR.09", 2006, 2012, 73.7, 80.0, 1, 83.7, 72.6, 10},
	{"FR.N.TH.10.Gen", TabulaTH, "FR.10", 2013, 9999, 93.0, 110.0, 1, 49.1, 46.0, 10},

	{"FR.N.MFH.01.Gen", TabulaMFH, "FR.01", 0, 1914, 213.4, 123.9, 3, 245.1, 245.1, 15},
	{"FR.N.MFH.02.Gen", TabulaMFH, "FR.02", 1915, 1948, 393.8, 125.7, 4, 199.7, 199.7, 15},
	{"FR.N.MFH.03.Gen", TabulaMFH, "FR.03", 1949, 1967, 397.3, 133.6, 4, 243.7, 243.7, 15},
	{"FR.N.MFH.04.Gen", TabulaMFH, "FR.04", 1968, 1974, 459.8, 130.0, 4, 158.3, 158.3, 15},
	{"FR.N.MFH.05.Gen", TabulaMFH, "FR.05", 1975, 1981, 178.5, 126.0, 2, 115.5, 115.5, 15},
	{"FR.N.MFH.06.Gen", TabulaMFH, "FR.06", 1982, 1989, 851.4, 245.9, 4, 87.9, 87.9, 15},
	{"FR.N.MFH.07.Gen", TabulaMFH, "FR.07", 1990, 1999, 682.0, 302.9, 4, 77.2, 77.2, 15},
	{"FR.N.MFH.08.Gen", TabulaMFH, "FR.08", 2000, 2005, 497.2, 150.7, 1, 64.1, 64.1, 15},
	{"FR.N.MFH.09.Gen", TabulaMFH, "FR.09", 2006, 2012, 594.0, 206.6, 3, 58.4, 48.4, 15},
	{"FR.N.MFH.10.Gen", TabulaMFH, "FR.10", 2013, 9999, 539.0, 228.3, 3, 40.4, 40.4, 15},

	{"FR.N.AB.01.Gen", TabulaAB, "FR.01", 0, 1914, 1712.7, 570.0, 7, 203.1, 203.1, 15},
	{"FR.N.AB.02.Gen", TabulaAB, "FR.02", 1915, 1948, 753.5, 139.4, 7, 242.4, 242.4, 15},
	{"FR.N.AB.03.Gen", TabulaAB, "FR.03", 1949, 1967, 1981.1, 240.0, 10, 166.5, 166.5, 15},
	{"FR.N.AB.04.Gen", TabulaAB, "FR.04", 1968, 1974, 4296.8, 1010.0, 6, 132.6, 132.6, 15},
	{"FR.N.AB.05.Gen", TabulaAB, "FR.05", 1975, 1981, 1226.5, 298.0, 7, 115.7, 115.7, 15},
	{"FR.N.AB.06.Gen", TabulaAB, "FR.06", 1982, 1989, 3348.4, 724.4, 5, 73.2, 73.2, 15},
	{"FR.N.AB.07.Gen", TabulaAB, "FR.07", 1990, 1999, 4889.5, 654.0, 8, 75.0, 75.0, 15},
	{"FR.N.AB.08.Gen", TabulaAB, "FR.08", 2000, 2005, 2344.1, 575.4, 7, 54.1, 54.1, 15},
	{"FR.N.AB.09.Gen", TabulaAB, "FR.09", 2006, 2012, 4660.4, 1319.7, 6, 47.0, 39.7, 15},
	{"FR.N.AB.10.Gen", TabulaAB, "FR.10", 2013, 9999, 2210.0, 445.6, 6, 32.9, 31.6, 15},
}

// tabulaFR returns the example building of a size class and period code.
func tabulaFR(size TabulaSize, period string) (TabulaBuilding, bool) {
	for _, b := range TabulaFR {
		if b.Size == size && b.Period == period {
			return b, true
		}
	}
	return TabulaBuilding{}, false
}
