package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestHelperMain runs main() with the arguments after "--" when
// GISEMENT_RUN_MAIN is set: the subprocess tests below use it to check the
// real exit codes of the binary.
func TestHelperMain(t *testing.T) {
	if os.Getenv("GISEMENT_RUN_MAIN") != "1" {
		t.Skip("helper process for the exit-code tests")
	}
	for i, a := range os.Args {
		if a == "--" {
			os.Args = append([]string{"gisement"}, os.Args[i+1:]...)
			break
		}
	}
	main()
	os.Exit(0)
}

// runMain runs the binary's main in a subprocess and returns its exit code
// and stderr.
func runMain(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestHelperMain$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "GISEMENT_RUN_MAIN=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

// Bad weather files (committed fixtures cut from the real EPW/PVGIS files,
// see solar/weather/testdata/README.md) end with exit code 2 and a message
// naming the file and the problem — never a panic (exit 2 from the Go
// runtime would carry "panic:" on stderr).
func TestPVBadWeatherExitCode(t *testing.T) {
	td := filepath.Join("..", "..", "solar", "weather", "testdata")
	cases := []struct {
		name, file string
		want       []string
	}{
		{"truncated", "epw_truncated.epw", []string{"epw_truncated.epw", "truncated"}},
		{"missing column", "pvgis_tmy_missing_column.csv", []string{"pvgis_tmy_missing_column.csv", "missing column"}},
		{"NaN", "epw_nan_ghi.epw", []string{"epw_nan_ghi.epw", "line 11", `"GHI"`, "not a number"}},
		{"non-monotonic time", "epw_nonmonotonic.epw", []string{"epw_nonmonotonic.epw", "line 21", "not increasing"}},
		{"lat outside ±90", "epw_lat95.epw", []string{"epw_lat95.epw", `"latitude"`, "out of range"}},
	}
	for _, c := range cases {
		code, stderr := runMain(t, "pv", "--weather", filepath.Join(td, c.file), "--tilt", "30", "--azimuth", "180")
		if code != 2 || strings.Contains(stderr, "panic") {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 without panic", c.name, code, stderr)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: stderr %q does not name %q", c.name, strings.TrimSpace(stderr), w)
			}
		}
	}
	// A good file exits 0.
	if code, stderr := runMain(t, "pv", "--weather", filepath.Join(td, "epw_larochelle_2days.epw"), "--tilt", "30", "--json"); code != 0 {
		t.Errorf("good 2-day EPW: exit %d, %s", code, stderr)
	}
	// Unknown flag and unknown command: usage errors, exit 2.
	if code, _ := runMain(t, "pv", "--no-such-flag"); code != 2 {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
	if code, _ := runMain(t, "no-such-command"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
}
