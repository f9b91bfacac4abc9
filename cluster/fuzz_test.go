package cluster

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/model/study"
)

// FuzzSpecOptions: a stored Spec (JSON read back from the database) either
// rebuilds study options whose scenario has the stored hash, or is
// refused with an error; never a panic.
func FuzzSpecOptions(f *testing.F) {
	spec, err := NewSpec(study.Options{FS: sample.FS, BuildingsPath: sample.Buildings, WeatherPath: sample.Weather}, nil, nil)
	if err != nil {
		f.Fatal(err)
	}
	js, _ := json.Marshal(spec)
	f.Add(js)
	f.Add([]byte(`{"scenario":{"pv":{"loss_pct":-3}},"scenario_hash":"x"}`))
	f.Add([]byte(`{"scenario":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var s Spec
		if json.Unmarshal(b, &s) != nil {
			return
		}
		o, err := s.Options()
		if err != nil {
			return
		}
		if o.Scenario == nil || o.Scenario.Hash() != s.ScenarioHash {
			t.Fatalf("options accepted with scenario hash %v, stored %q", o.Scenario, s.ScenarioHash)
		}
	})
}

// TestSpecEmbeddedWeather: a study on the user's files with the default
// weather year (copies of embedded files in the planner's user cache)
// stores "embedded:" names, which a worker turns into its own copies.
func TestSpecEmbeddedWeather(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	w, err := sample.Cached(sample.Weather)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := NewSpec(study.Options{BuildingsPath: "b.geojson", WeatherPath: w}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if spec.WeatherPath != embeddedPrefix+sample.Weather || !filepath.IsAbs(spec.BuildingsPath) {
		t.Fatalf("stored paths: weather %q, buildings %q", spec.WeatherPath, spec.BuildingsPath)
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // another machine
	o, err := spec.Options()
	if err != nil {
		t.Fatal(err)
	}
	if o.WeatherPath != sample.CachePath(sample.Weather) || o.WeatherPath == w {
		t.Fatalf("worker weather path %q (planner's %q)", o.WeatherPath, w)
	}
	if st, err := os.Stat(o.WeatherPath); err != nil || st.Size() == 0 {
		t.Fatalf("worker copy: %v", err)
	}
}
