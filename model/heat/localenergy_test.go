package heat

import (
	"bytes"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
)

// The fixtures under testdata are SYNTHETIC (made-up numbers, operator
// "SYNTHETIC") with the real column layouts: the SDES "données locales de
// consommation d'énergie" IRIS file (ID;OPERATEUR;ANNEE;IRIS_CODE;
// IRIS_LIBELLE;FILIERE;CODE_GRAND_SECTEUR;CONSO;PDL, ';', decimal comma)
// and the Agence ORE IRIS file (lower-case names with thermor/partr, ',').
// No real file of this kind is in the shared data.

func readFixture(t *testing.T, name string) []LocalEnergyRow {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := ReadLocalEnergy(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestReadLocalEnergySDES(t *testing.T) {
	rows := readFixture(t, "localenergy_sdes_iris_SYNTHETIC.csv")
	if len(rows) != 7 {
		t.Fatalf("%d rows, want 7", len(rows))
	}
	r := rows[0]
	if r.Year != 2022 || r.Carrier != CarrierElec || r.Sector != SectorResidential || r.Zone != "243220111" ||
		r.ConsoMWh != 5230.5 || r.Points != 1840 || !math.IsNaN(r.ThermoMWh) || r.Line != 2 {
		t.Fatalf("row 1: %+v", r)
	}
	if !rows[3].Secret || !math.IsNaN(rows[3].ConsoMWh) || rows[3].Points != -1 {
		t.Fatalf("secret row: %+v", rows[3])
	}
	if rows[4].Sector != SectorIndustry || rows[4].ConsoMWh != 410.25 {
		t.Fatalf("row 5: %+v", rows[4])
	}
	// Gas only for the residential sector: heat = 9,800 MWh × 0.93 × 0.85.
	o, err := ObservedHeatFrom(rows, "243220111", 2022, SectorResidential)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(o.GasHeatKWh-9800e3*GasHeatShareResidential*GasBoilerEfficiency) > 1e-6 {
		t.Fatalf("gas heat %.0f kWh", o.GasHeatKWh)
	}
	if o.ElecThermoKnown || !math.IsNaN(o.HeatKWh) {
		t.Fatalf("electricity without thermosensitive share must leave the total not computed: %+v", o)
	}
	o, _ = ObservedHeatFrom(rows, "243220111", 2022, SectorTertiary)
	if o.SecretRows != 1 {
		t.Fatalf("tertiary secret rows %d, want 1", o.SecretRows)
	}
	if _, err := ObservedHeatFrom(rows, "999999999", 2022, SectorResidential); err == nil {
		t.Fatal("unknown zone gave a value")
	}
}

func TestReadLocalEnergyORE(t *testing.T) {
	rows := readFixture(t, "localenergy_ore_iris_SYNTHETIC.csv")
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4", len(rows))
	}
	if rows[0].ThermoMWh != 1569.15 || rows[1].ThermoMWh != 1210*0.20 || rows[3].Sector != SectorUnknown || rows[0].Zone != "243220111" {
		t.Fatalf("rows: %+v", rows)
	}
	o, err := ObservedHeatFrom(rows, "243220111", 2022, SectorResidential, SectorTertiary)
	if err != nil {
		t.Fatal(err)
	}
	want := 9800e3*GasHeatShareResidential*GasBoilerEfficiency + 1569.15e3 + 242e3
	if !o.ElecThermoKnown || math.Abs(o.HeatKWh-want) > 1e-3 {
		t.Fatalf("observed heat %.1f kWh, want %.1f (%+v)", o.HeatKWh, want, o)
	}
}

func TestReadLocalEnergyErrors(t *testing.T) {
	head := "ANNEE;FILIERE;CODE_GRAND_SECTEUR;CONSO;IRIS_CODE\n"
	for _, c := range []struct{ body, field string }{
		{"20x2;E;R;1;243220111\n", "ANNEE"},
		{"2022;W;R;1;243220111\n", "FILIERE"},
		{"2022;E;R;-5;243220111\n", "CONSO"},
		{"2022;E;R;abc;243220111\n", "CONSO"},
		{"2022;E;R;1;\n", "IRIS_CODE"},
	} {
		_, err := ReadLocalEnergy(strings.NewReader(head+c.body), "f.csv")
		var le *LocalEnergyError
		if !errors.As(err, &le) || le.Line != 2 || le.Field != c.field || !errors.Is(err, ErrFieldInput) {
			t.Errorf("%q: error %v, want line 2 field %s", c.body, err, c.field)
		}
	}
	_, err := ReadLocalEnergy(strings.NewReader("ANNEE;FILIERE;CONSO;IRIS_CODE\n2022;E;1;x\n"), "f.csv")
	var le *LocalEnergyError
	if !errors.As(err, &le) || le.Field != "CODE_GRAND_SECTEUR" {
		t.Fatalf("missing column: %v", err)
	}
}

func FuzzReadLocalEnergy(f *testing.F) {
	for _, name := range []string{"localenergy_sdes_iris_SYNTHETIC.csv", "localenergy_ore_iris_SYNTHETIC.csv"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("ANNEE,FILIERE,CODE_GRAND_SECTEUR,CONSO,CODE_COMMUNE\n2022,G,R,\"1 234,5\",24322\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ReadLocalEnergy(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			if !errors.Is(err, ErrFieldInput) {
				t.Fatalf("error not wrapping ErrFieldInput: %v", err)
			}
			return
		}
		for _, r := range rows {
			if r.Secret != math.IsNaN(r.ConsoMWh) {
				t.Fatalf("secret flag and NaN disagree: %+v", r)
			}
			if !r.Secret && (r.ConsoMWh < 0 || math.IsInf(r.ConsoMWh, 0)) {
				t.Fatalf("bad consumption: %+v", r)
			}
			if !math.IsNaN(r.ThermoMWh) && (r.ThermoMWh < 0 || math.IsInf(r.ThermoMWh, 0)) {
				t.Fatalf("bad thermosensitive part: %+v", r)
			}
			if r.Zone == "" || r.Year < 1990 || (r.Carrier != CarrierElec && r.Carrier != CarrierGas) {
				t.Fatalf("invalid row accepted: %+v", r)
			}
		}
	})
}
