package heat

import (
	"math"
	"testing"
)

// TestBaseTemperature3CL: 3CL-DPE 2021 §18.1 (arrêté du 31 mars 2021): H1
// −9.5/−11.5/−13.5, H2 −6.5/−8.5/−10.5, H3 −3.5/−5.5/−7.5 °C below 400 m,
// 400–800 m, above 800 m; zones from the RT 2012 annex I.
func TestBaseTemperature3CL(t *testing.T) {
	for _, c := range []struct {
		dept string
		alt  float64
		want float64
	}{
		{"24", 90, -6.5},     // Dordogne H2c, Périgueux
		{"24322", 90, -6.5},  // commune code
		{"38", 212, -9.5},    // Isère H1c
		{"38", 900, -13.5},   // Isère, mountain
		{"13", 50, -3.5},     // Bouches-du-Rhône H3
		{"06", 600, -5.5},    // Alpes-Maritimes H3, 400–800 m
		{"2A", 10, -3.5},     // Corse-du-Sud
		{"75", 35, -9.5},     // Paris H1a
		{"17", 400, -8.5},    // Charente-Maritime H2b, boundary 400 m
		{"17", 800, -8.5},    // boundary 800 m
		{"5", 1200, -13.5},   // Hautes-Alpes, one-digit code
		{"29", 100, -6.5},    // Finistère H2a
		{"67", 150, -9.5},    // Bas-Rhin H1b
		{"84", 100, -6.5},    // Vaucluse H2d
		{"83", 100, -3.5},    // Var H3
		{"90", 400.5, -11.5}, // Territoire de Belfort H1b
	} {
		got, err := BaseTemperatureC(c.dept, c.alt)
		if err != nil || got != c.want {
			t.Errorf("BaseTemperatureC(%s, %g) = %g, %v; want %g", c.dept, c.alt, got, err, c.want)
		}
	}
	if len(climateZoneByDept) != 96 {
		t.Fatalf("%d départements, want 96 (01–95 with 2A/2B, no 20)", len(climateZoneByDept))
	}
	for _, bad := range []string{"20", "97", "971", "", "XX"} {
		if _, err := BaseTemperatureC(bad, 100); err == nil {
			t.Errorf("département %q accepted", bad)
		}
	}
	if _, err := BaseTemperatureC("24", math.NaN()); err == nil {
		t.Fatal("unknown altitude accepted")
	}
}

func TestTerritoryShiftAndDegreeHours(t *testing.T) {
	d, err := TerritoryShiftK(18, 518, DefaultLapseRateKPerM)
	if err != nil || math.Abs(d+2.5) > 1e-12 {
		t.Fatalf("500 m above the station: shift %g, %v; want −2.5 K", d, err)
	}
	if _, err := TerritoryShiftK(math.NaN(), 100, DefaultLapseRateKPerM); err == nil {
		t.Fatal("unknown station altitude accepted")
	}
	temps := make([]float64, 8760)
	for i := range temps {
		temps[i] = 10 + 8*math.Sin(2*math.Pi*float64(i)/8760) // SYNTHETIC year, min 2 °C
	}
	dh, err := DegreeHours(temps, 1, 18)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(dh-8*8760) > 1 { // mean 10, never above 18: Σ(18 − T) = 8 K × 8760 h
		t.Fatalf("degree-hours %.0f, want %.0f", dh, 8.0*8760)
	}
	dh2, _ := DegreeHours(ShiftTemperatures(temps, d), 1, 18)
	if math.Abs(dh2-dh-2.5*8760) > 1 {
		t.Fatalf("shifted degree-hours %.0f, want %.0f", dh2, dh+2.5*8760)
	}
	if _, err := DegreeHours([]float64{1, math.NaN()}, 1, 18); err == nil {
		t.Fatal("NaN temperature accepted")
	}
}

func TestTerritoryAltitude(t *testing.T) {
	a, miss, err := TerritoryAltitudeM([]float64{100, math.NaN(), 300, 200}, []float64{1, 5, 1, 3})
	if err != nil || a != 200 || miss != 1 {
		t.Fatalf("weighted median %g, missing %d, %v; want 200, 1", a, miss, err)
	}
	if _, _, err := TerritoryAltitudeM([]float64{math.NaN()}, []float64{1}); err == nil {
		t.Fatal("no altitude accepted")
	}
}
