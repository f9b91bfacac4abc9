package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
)

func execEconomics(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newEconomicsCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

func economicsJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	out, err := execEconomics(t, append(args, "--json")...)
	if err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	return got
}

func econNum(t *testing.T, m map[string]any, k string) float64 {
	t.Helper()
	v, ok := m[k].(float64)
	if !ok {
		t.Fatalf("%s missing or not a number: %v", k, m[k])
	}
	return v
}

// Issue 12: the old model's cliffs (same yield: NPV −7,552 € at 9.0 kWp vs
// +4,300 € at 9.1 kWp; +4,404 € at 36.0 vs +17,926 € at 36.1) are gone
// from the CLI: across 9.0→9.1 and 36.0→36.1 the NPV moves by less than
// 5 % of the investment for a business, the change being the cited S21
// band switch (premium, surplus tariff); the 0.1 kWp sweep over 2–120 kWp
// is in model/econ (TestSweepContinuousExceptAtCitedBoundaries).
func TestEconomicsCLINoCliffs(t *testing.T) {
	for _, edge := range []float64{9, 36} {
		var npv [2]float64
		var inv float64
		for i, k := range []float64{edge, edge + 0.1} {
			res := economicsJSON(t, "--kwp", strconv.FormatFloat(k, 'f', -1, 64), "--specific-yield", "1150", "--owner", "business", "--annual-use", "40000")["result"].(map[string]any)
			npv[i], inv = econNum(t, res, "npv_eur"), econNum(t, res, "investment_eur")
			if self, load := econNum(t, res, "self_consumed_kwh_yr1"), econNum(t, res, "load_kwh_yr"); self > load {
				t.Fatalf("%g kWp: self-consumed %g kWh above the load %g", k, self, load)
			}
		}
		t.Logf("business, 40 MWh/yr, 1,150 kWh/kWp: NPV %.0f € at %g kWp, %.0f € at %g kWp", npv[0], edge, npv[1], edge+0.1)
		if d := math.Abs(npv[1] - npv[0]); d > 0.05*inv {
			t.Errorf("%g → %g kWp: NPV jumps by %.0f € (> 5 %% of the %.0f € investment)", edge, edge+0.1, d, inv)
		}
	}
}

func TestEconomicsCLIHouseholdTable(t *testing.T) {
	out, err := execEconomics(t, "--kwp", "4.5", "--specific-yield", "1200")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"propriétaire : ménage", "profil BDEW H25", "TVA 5,5 %", "tranche 0–9 kWc", "VAN", "TRI", "LCOE", "durée de vie 25 ans", "TVA 10 %/20 %", "autoconsommation", "hausse du prix de l'électricité 0 %/an"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	// A fixed self-consumption share is used as given.
	res := economicsJSON(t, "--kwp", "4.5", "--specific-yield", "1200", "--self-consumption", "40")["result"].(map[string]any)
	if s := econNum(t, res, "self_consumption_share"); s != 0.4 || res["self_consumption_method"] != "given" || res["load_kwh_yr"] != nil {
		t.Errorf("--self-consumption 40: share %v method %v load %v; want 0.4, given, null", s, res["self_consumption_method"], res["load_kwh_yr"])
	}
	// --capex replaces the curve.
	res = economicsJSON(t, "--kwp", "4.5", "--specific-yield", "1200", "--capex", "1500")["result"].(map[string]any)
	if c := econNum(t, res, "capex_ht_eur"); math.Abs(c-6750) > 1e-9 {
		t.Errorf("--capex 1500 at 4.5 kWp: capex %g € HT, want 6750", c)
	}
}

func TestEconomicsCLIBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--specific-yield", "1200"}, "--kwp is required"},
		{[]string{"--kwp", "6"}, "--specific-yield is required"},
		{[]string{"--kwp", "-1", "--specific-yield", "1200"}, "--kwp -1"},
		{[]string{"--kwp", "6", "--specific-yield", "5000"}, "--specific-yield 5000"},
		{[]string{"--kwp", "6", "--specific-yield", "1200", "--owner", "landlord"}, "--owner"},
		{[]string{"--kwp", "6", "--specific-yield", "1200", "--self-consumption", "120"}, "--self-consumption"},
		{[]string{"--kwp", "6", "--specific-yield", "1200", "--owner", "business"}, "--annual-use is required"},
		{[]string{"--kwp", "6", "--specific-yield", "1200", "--capex", "0"}, "--capex 0"},
		{[]string{"--kwp", "6", "--specific-yield", "1200", "--weather", "/nonexistent.epw"}, "--weather"},
	} {
		_, err := execEconomics(t, c.args...)
		var ie inputError
		if err == nil || !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want an input error containing %q", c.args, err, c.want)
		}
	}
}
