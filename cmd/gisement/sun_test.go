package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

func execSun(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newSunCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

// TestSunWorkedExampleJSON runs the NREL SPA report worked example
// (Reda & Andreas, NREL/TP-560-34302, Appendix A.5: Golden CO,
// 2003-10-17 12:30:30 UTC−7) through the CLI. Expected (spa_tester output):
// zenith 50.111622° (SPA's topocentric zenith, i.e. our apparent_zenith),
// azimuth 194.340241°, e0 39.872046°; tolerance 1e-5°.
func TestSunWorkedExampleJSON(t *testing.T) {
	out, err := execSun(t, "--time", "2003-10-17T12:30:30-07:00", "--lat", "39.742476", "--lon", "-105.1786",
		"--elevation", "1830.14", "--pressure", "820", "--temperature", "11", "--delta-t", "67", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	for _, c := range []struct {
		key  string
		want float64
	}{
		{"apparent_zenith", 50.111622},
		{"azimuth", 194.340241},
		{"elevation", 39.872046},
		{"zenith", 90 - 39.872046},
		{"delta_t", 67},
	} {
		v, ok := got[c.key].(float64)
		if !ok {
			t.Errorf("key %q missing or not a number in %s", c.key, out)
			continue
		}
		if math.Abs(v-c.want) > 1e-5 {
			t.Errorf("%s = %.8f, want %.6f ± 1e-5", c.key, v, c.want)
		}
	}
	in, _ := got["inputs"].(map[string]any)
	if in["time_utc"] != "2003-10-17T19:30:30Z" || in["delta_t_source"] != "given" {
		t.Errorf("inputs not echoed as expected: %v", in)
	}
}

func TestSunTableAndDefaults(t *testing.T) {
	out, err := execSun(t, "--time", "2023-06-21T12:00:00Z", "--lat", "45.184", "--lon", "0.7218")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"apparent zenith", "azimuth", "1013.25 hPa, 12.0 °C", "estimated"} {
		if !strings.Contains(out, want) {
			t.Errorf("table output lacks %q:\n%s", want, out)
		}
	}
}

func TestSunBadInput(t *testing.T) {
	base := []string{"--time", "2023-06-21T12:00:00Z", "--lat", "45", "--lon", "0.7"}
	with := func(flag, val string) []string {
		a := append([]string(nil), base...)
		for i := 0; i < len(a); i += 2 {
			if a[i] == flag {
				a[i+1] = val
				return a
			}
		}
		return append(a, flag, val)
	}
	cases := []struct {
		name string
		args []string
		msg  string // the error must name the flag
	}{
		{"lat 95", with("--lat", "95"), "--lat"},
		{"lat NaN", with("--lat", "NaN"), "--lat"},
		{"lon -181", with("--lon", "-181"), "--lon"},
		{"bad time", with("--time", "2023-06-21 12:00"), "--time"},
		{"time without offset", with("--time", "2023-06-21T12:00:00"), "--time"},
		{"pressure 0", with("--pressure", "0"), "--pressure"},
		{"pressure Inf", with("--pressure", "Inf"), "--pressure"},
		{"missing lat", []string{"--time", "2023-06-21T12:00:00Z", "--lon", "0.7"}, "--lat"},
		{"missing time", []string{"--lat", "45", "--lon", "0.7"}, "--time"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := execSun(t, c.args...)
			if err == nil {
				t.Fatal("want an error")
			}
			var ie inputError
			if !errors.As(err, &ie) {
				t.Errorf("error %v is not an inputError (exit code 2)", err)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q does not name %s", err, c.msg)
			}
		})
	}
}
