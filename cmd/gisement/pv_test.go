package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gisement/gisement/internal/shareddata"
)

func execPV(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newPVCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

// TestPVWattsRoofMountCLI: NREL PVWatts 8760 output (Denver, 4 kW, tilt 20,
// azimuth 180, roof mount; pvlib-python tests/data) through the CLI: annual
// POA within 0.5 % and annual AC within 3 % of the file's totals
// (1930.894 kWh/m², 5938.05 kWh from the file's Totals row).
func TestPVWattsRoofMountCLI(t *testing.T) {
	p := shareddata.Path(t, "reference/pvwatts/pvwatts_8760_roofmount.csv.gz")
	out, err := execPV(t, "--weather", p, "--tilt", "20", "--azimuth", "180", "--model", "pvwatts",
		"--mounting", "roof", "--peak-power", "4", "--dc-ac-ratio", "1.2", "--inverter-efficiency", "96", "--json")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var r struct {
		POA     float64 `json:"poa_kwh_m2"`
		Energy  float64 `json:"energy_kwh"`
		Yield   float64 `json:"specific_yield_kwh_kwp"`
		Monthly []struct {
			Month  int
			POA    float64 `json:"poa_kwh_m2"`
			Energy float64 `json:"energy_kwh"`
		}
		Losses map[string]float64
		Inputs map[string]any
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	const filePOA, fileAC = 1930.893574, 5938.052618
	dPOA, dAC := 100*(r.POA-filePOA)/filePOA, 100*(r.Energy-fileAC)/fileAC
	t.Logf("CLI: POA %.2f kWh/m² (%+.3f %%), AC %.2f kWh (%+.3f %%), losses %v", r.POA, dPOA, r.Energy, dAC, r.Losses)
	if math.Abs(dPOA) > 0.5 || math.Abs(dAC) > 3 {
		t.Errorf("POA %+.3f %% (tol 0.5), AC %+.3f %% (tol 3)", dPOA, dAC)
	}
	if len(r.Monthly) != 12 || math.Abs(r.Yield-r.Energy/4) > 1e-9 {
		t.Errorf("monthly %d, yield %g", len(r.Monthly), r.Yield)
	}
	sum := 0.0
	for _, m := range r.Monthly {
		sum += m.Energy
	}
	if math.Abs(sum-r.Energy) > 1e-6*r.Energy {
		t.Errorf("monthly energy sums to %g, annual %g", sum, r.Energy)
	}
	if r.Inputs["weather_format"] != "pvwatts-csv" || r.Inputs["loss_pct"].(float64) != 14.08 || r.Inputs["mounting"] != "roof" {
		t.Errorf("inputs %v", r.Inputs)
	}
	for _, k := range []string{"horizon_shading_pct", "iam_pct", "temperature_pct", "system_pct", "inverter_pct", "clipping_pct"} {
		if _, ok := r.Losses[k]; !ok {
			t.Errorf("loss %s missing", k)
		}
	}
	// Table output.
	txt, err := execPV(t, "--weather", p, "--tilt", "20", "--azimuth", "180", "--model", "pvwatts", "--mounting", "roof", "--peak-power", "4")
	if err != nil || !strings.Contains(txt, "specific yield") || !strings.Contains(txt, "clipping") {
		t.Errorf("table output: %v\n%s", err, txt)
	}
}

func TestPVBadInput(t *testing.T) {
	p := shareddata.Path(t, "reference/pvwatts/pvwatts_8760_roofmount.csv.gz")
	// Truncated copy of the real file (first 200 lines).
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := io.ReadAll(gz)
	f.Close()
	lines := strings.SplitAfter(string(all), "\n")
	trunc := filepath.Join(t.TempDir(), "truncated_pvwatts.csv")
	if err := os.WriteFile(trunc, []byte(strings.Join(lines[:200], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"truncated", []string{"--weather", trunc, "--tilt", "20"}, "--weather"},
		{"lat 95", []string{"--weather", p, "--tilt", "20", "--lat", "95"}, "--lat"},
		{"tilt 100", []string{"--weather", p, "--tilt", "100"}, "--tilt"},
		{"azimuth", []string{"--weather", p, "--tilt", "20", "--azimuth", "-5"}, "--azimuth"},
		{"loss", []string{"--weather", p, "--tilt", "20", "--loss", "100"}, "--loss"},
		{"model", []string{"--weather", p, "--tilt", "20", "--model", "sam"}, "--model"},
		{"missing file", []string{"--weather", "/nonexistent.epw", "--tilt", "20"}, "--weather"},
		{"no tilt", []string{"--weather", p}, "--tilt"},
	}
	for _, c := range cases {
		_, err := execPV(t, c.args...)
		var ie inputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an input error naming %s", c.name, err, c.want)
		}
	}
}
