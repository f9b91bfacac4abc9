package cluster

import (
	"encoding/json"
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
