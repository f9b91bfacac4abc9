// Package storetest holds the conformance suite that every data.Store
// implementation must pass, and a SYNTHETIC study generator (random
// squares near Périgueux in Lambert-93; not real data) used by it and by
// benchmarks.
package storetest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gisement/gisement/data"
	"github.com/paulmach/orb"
)

// BuildingsLayer is the schema of the synthetic "buildings" layer.
var BuildingsLayer = data.Layer{
	Name:        "buildings",
	Title:       "Synthetic buildings",
	Description: "SYNTHETIC test features (random squares), not real data",
	GeomType:    data.GeomMultiPolygon,
	SRID:        data.SRIDLambert93,
	Key:         "building_id",
	Columns: []data.Column{
		{Name: "building_id", Type: data.Text, Doc: "synthetic id"},
		{Name: "pv_kwh_yr", Type: data.Real, Unit: "kWh/yr", Doc: "synthetic PV yield (NULL for 10 %)"},
		{Name: "roof_area_m2", Type: data.Real, Unit: "m2", Doc: "footprint area"},
		{Name: "n_planes", Type: data.Integer, Doc: "synthetic roof plane count"},
		{Name: "label", Type: data.Text, Doc: "one of a few labels (collation test)"},
		{Name: "details", Type: data.JSON, Doc: "free JSON document"},
	},
}

// SitesLayer is the schema of the synthetic "sites" point layer.
var SitesLayer = data.Layer{
	Name:     "sites",
	Title:    "Synthetic sites",
	GeomType: data.GeomPoint,
	SRID:     data.SRIDLambert93,
	Key:      "site_id",
	Columns: []data.Column{
		{Name: "site_id", Type: data.Integer},
		{Name: "depth_m", Type: data.Real, Unit: "m"},
	},
}

// Origin is the south-west corner of the synthetic area (Lambert-93, m),
// in Périgueux.
var Origin = orb.Point{518000, 6455500}

// SideM is the side of the synthetic square area, m.
const SideM = 3000.0

var labels = []string{"a", "b", "B", "Z", "é", "ab"}

// Buildings returns n synthetic building features (fixed seed).
func Buildings(n int, seed uint64) []data.Feature {
	r := rand.New(rand.NewPCG(seed, 1))
	fs := make([]data.Feature, n)
	for i := range fs {
		fs[i] = Building(r, i)
	}
	return fs
}

// Building returns the i-th synthetic building drawn from r.
func Building(r *rand.Rand, i int) data.Feature {
	x := Origin[0] + r.Float64()*SideM
	y := Origin[1] + r.Float64()*SideM
	s := 5 + r.Float64()*15
	sq := func(x, y, s float64) orb.Polygon {
		return orb.Polygon{{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}}
	}
	mp := orb.MultiPolygon{sq(x, y, s)}
	area := s * s
	if r.IntN(10) == 0 {
		mp = append(mp, sq(x+s+2, y, s/2))
		area += s * s / 4
	}
	var pv any
	if r.IntN(10) != 0 {
		pv = area * (80 + 100*r.Float64())
	}
	var details any
	if r.IntN(3) == 0 {
		details = json.RawMessage(fmt.Sprintf(`{"seed":%d,"tags":["x","y"]}`, i))
	}
	return data.Feature{
		Geom: mp,
		Values: []any{
			fmt.Sprintf("B%06d", i), pv, area, int64(1 + r.IntN(6)), labels[r.IntN(len(labels))], details,
		},
	}
}

// Sites returns n synthetic point features (fixed seed).
func Sites(n int, seed uint64) []data.Feature {
	r := rand.New(rand.NewPCG(seed, 2))
	fs := make([]data.Feature, n)
	for i := range fs {
		fs[i] = data.Feature{
			Geom:   orb.Point{Origin[0] + r.Float64()*SideM, Origin[1] + r.Float64()*SideM},
			Values: []any{int64(1000 - i*3), float64(r.IntN(200))},
		}
	}
	return fs
}

// Study returns a synthetic study record.
func Study(id string, created time.Time) data.Study {
	return data.Study{
		ID:           id,
		Name:         "synthetic study " + id,
		ScenarioHash: "sha256:synthetic",
		Scenario:     json.RawMessage(`{"synthetic":true,"pv":{"loss_pct":14}}`),
		CreatedAt:    created,
		Summary:      json.RawMessage(`{"buildings":300}`),
		Inputs:       map[string]string{"buildings": "synthetic", "weather": "none"},
	}
}
