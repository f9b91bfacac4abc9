package cluster_test

import (
	"encoding/json"
	"fmt"

	"github.com/gisement/gisement/cluster"
	"github.com/gisement/gisement/data/sample"
	"github.com/gisement/gisement/model/study"
)

// A distributed study stores its options as a Spec (JSON, in the database);
// every worker rebuilds the same study options from it, the scenario
// checked by its hash.
func ExampleNewSpec() {
	spec, err := cluster.NewSpec(study.Options{FS: sample.FS, BuildingsPath: sample.Buildings, ParcelsPath: sample.Parcels,
		WeatherPath: sample.Weather, MonteCarloDraws: 200}, nil, nil)
	if err != nil {
		panic(err)
	}
	stored, _ := json.Marshal(spec)
	var back cluster.Spec
	if err := json.Unmarshal(stored, &back); err != nil {
		panic(err)
	}
	o, err := back.Options()
	if err != nil {
		panic(err)
	}
	fmt.Println(back.Sample, o.BuildingsPath, o.MonteCarloDraws, o.Scenario.Hash() == spec.ScenarioHash)
	// Output: true perigueux_24322_bdnb_buildings.geojson.gz 200 true
}
