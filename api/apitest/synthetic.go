// Package apitest builds a SYNTHETIC result store for the HTTP API's tests,
// benchmarks and load tests: a regular grid of square parcels, each holding
// a few square buildings, near Périgueux (0.72° E, 45.18° N) in Lambert-93,
// with the layer schema the study pipeline writes (parcels, buildings,
// roof_planes, communes). Every value is made up from a fixed seed; this is
// NOT real data and is labelled so in the study name and layer descriptions.
package apitest

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/data"
	"github.com/gisement/gisement/data/gpkg"
	"github.com/gisement/gisement/model/study"
)

// Origin is the south-west corner of the synthetic grid, Lambert-93 (m):
// about 0.713° E, 45.177° N, in Périgueux.
var Origin = orb.Point{519000, 6456000}

// Grid geometry.
const (
	ParcelSideM   = 40.0 // side of a square parcel, m
	BuildingSideM = 12.0 // side of a square building, m
	StudyID       = "synthetic-perigueux"
	CommuneINSEE  = "24322"
	ScenarioHash  = "synthetic-scenario-0001"
)

// Scenario is the synthetic scenario JSON stored in the study.
const Scenario = `{"name":"synthetic","pv":{"model":"pvgis","loss_pct":14,"module_efficiency":0.2},"economics":{"discount_rate_pct":4,"lifetime_yr":25,"electricity_price_eur_kwh":0.2},"note":"SYNTHETIC scenario for API tests"}`

// pick returns the schema of a layer the study writes (model/study.Schema:
// units, labels, flags) restricted to the named columns, in that order, with
// a SYNTHETIC description. It panics on a name the study does not write.
func pick(layer, description string, names ...string) data.Layer {
	l, ok := study.Schema().Layer(layer)
	if !ok {
		panic("apitest: the study writes no layer " + layer)
	}
	out := l
	out.Description, out.Columns = description, make([]data.Column, len(names))
	for i, n := range names {
		c, err := l.Column(n)
		if err != nil {
			panic("apitest: " + err.Error())
		}
		out.Columns[i] = c
	}
	return out
}

// ParcelsLayer is the pipeline's parcels schema (SYNTHETIC content).
var ParcelsLayer = pick(study.LayerParcels, "SYNTHETIC parcels (not real data)",
	"parcel_id", "commune_insee", "section", "area_m2", "building_count",
	"pv_kwp", "pv_kwh_yr", "pv_specific_yield_kwh_kwp", "pv_shading_loss_pct", "pv_class", "pv_monthly_kwh",
	"pv_kwh_yr_p90", "pv_kwh_yr_p10", "heat_demand_kwh_yr", "ashp_scop", "ashp_kw", "ashp_siting_ok",
	"gshp_boreholes", "gshp_kw", "gshp_coverage_pct", "ground_pv_kwp", "ground_pv_kwh_yr",
	"npv_eur", "npv_eur_p90", "npv_eur_p10", "irr_pct", "payback_yr", "lcoe_eur_kwh", "co2_avoided_kg_yr",
	"scenario_hash")

// BuildingsLayer is the pipeline's buildings schema (SYNTHETIC content).
var BuildingsLayer = pick(study.LayerBuildings, "SYNTHETIC buildings (not real data)",
	"building_id", "parcel_id", "commune_insee", "height_m", "footprint_m2", "roof_type",
	"pv_kwp", "pv_kwh_yr", "pv_specific_yield_kwh_kwp", "pv_shading_loss_pct", "pv_monthly_kwh",
	"heat_demand_kwh_yr", "ashp_scop", "scenario_hash")

// RoofPlanesLayer is a minimal roof-plane schema (SYNTHETIC content): the
// planes' parts of the footprints, as the study writes them.
var RoofPlanesLayer = pick(study.LayerRoofPlanes, "SYNTHETIC roof planes (not real data)",
	"plane_id", "building_id", "tilt_deg", "azimuth_deg", "pv_kwh_yr")

// CommunesLayer holds per-commune totals (SYNTHETIC content).
var CommunesLayer = pick(study.LayerCommunes, "SYNTHETIC commune totals (not real data)",
	"commune_insee", "name", "parcels", "buildings", "pv_kwp", "pv_kwh_yr", "heat_demand_kwh_yr")

func square(x0, y0, side float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}, {x0, y0}}}}
}

// ParcelID returns the id of the synthetic parcel at grid cell (i, j).
func ParcelID(i, j int) string { return fmt.Sprintf("24322000SY%03d%03d", i, j) }

// Layers returns the synthetic layers for an n×n parcel grid (fixed seed).
// Every parcel holds 1–3 buildings; NULLs appear in pv_kwh_yr for 5 % of
// parcels (parcels without a usable roof).
func Layers(n int, seed uint64) []data.LayerData {
	r := rand.New(rand.NewPCG(seed, 7))
	var parcels, buildings, planes []data.Feature
	var totKWp, totKWh, totHeat float64
	for i := range n {
		for j := range n {
			x0, y0 := Origin[0]+float64(i)*ParcelSideM, Origin[1]+float64(j)*ParcelSideM
			pid := ParcelID(i, j)
			nb := 1 + r.IntN(3)
			var pKWp, pKWh, pHeat float64
			for b := range nb {
				bx, by := x0+2+float64(b)*BuildingSideM, y0+2+float64(b%2)*(BuildingSideM+2)
				kwp := 2 + r.Float64()*10
				sy := 1000 + r.Float64()*300
				kwh := kwp * sy
				heat := 8000 + r.Float64()*20000
				pKWp, pKWh, pHeat = pKWp+kwp, pKWh+kwh, pHeat+heat
				bid := fmt.Sprintf("%s-B%d", pid, b)
				buildings = append(buildings, data.Feature{Geom: square(bx, by, BuildingSideM), Values: []any{
					bid, pid, CommuneINSEE, 3 + r.Float64()*12, BuildingSideM * BuildingSideM, []string{"flat", "gable", "hip"}[r.IntN(3)],
					kwp, kwh, sy, r.Float64() * 15, monthly(kwh), heat, 2.5 + r.Float64(), ScenarioHash,
				}})
				// The south-facing half of the building (a roof plane's
				// part of the footprint, as the study writes it).
				south := orb.MultiPolygon{{{{bx, by}, {bx + BuildingSideM, by}, {bx + BuildingSideM, by + BuildingSideM/2}, {bx, by + BuildingSideM/2}, {bx, by}}}}
				planes = append(planes, data.Feature{Geom: south, Values: []any{
					bid + "-P0", bid, 30.0, 180.0, kwh,
				}})
			}
			var kwhVal any = pKWh
			if r.Float64() < 0.05 {
				kwhVal = nil
			}
			classes := []string{"A", "B", "C", "D"}
			parcels = append(parcels, data.Feature{Geom: square(x0, y0, ParcelSideM), Values: []any{
				pid, CommuneINSEE, "SY", ParcelSideM * ParcelSideM, int64(nb),
				pKWp, kwhVal, pKWh / pKWp, r.Float64() * 15, classes[r.IntN(4)], monthly(pKWh),
				pKWh * 0.92, pKWh * 1.08, pHeat, 2.8 + r.Float64(), pHeat / 2500,
				int64(r.IntN(2)), int64(r.IntN(4)), r.Float64() * 20, r.Float64() * 100,
				0.0, 0.0, -5000 + r.Float64()*20000, -8000 + r.Float64()*15000, r.Float64() * 25000,
				r.Float64() * 12, 5 + r.Float64()*20, 0.06 + r.Float64()*0.1, pKWh * 0.05, ScenarioHash,
			}})
			totKWp, totKWh, totHeat = totKWp+pKWp, totKWh+pKWh, totHeat+pHeat
		}
	}
	side := float64(n) * ParcelSideM
	communes := []data.Feature{{Geom: square(Origin[0], Origin[1], side), Values: []any{
		CommuneINSEE, "Périgueux (SYNTHETIC grid)", int64(len(parcels)), int64(len(buildings)), totKWp, totKWh, totHeat,
	}}}
	return []data.LayerData{
		{Layer: ParcelsLayer, Features: data.SliceFeatures(parcels)},
		{Layer: BuildingsLayer, Features: data.SliceFeatures(buildings)},
		{Layer: RoofPlanesLayer, Features: data.SliceFeatures(planes)},
		{Layer: CommunesLayer, Features: data.SliceFeatures(communes)},
	}
}

// monthly spreads an annual yield over 12 months with a fixed seasonal shape
// (SYNTHETIC), as a JSON array of kWh.
func monthly(annualKWh float64) json.RawMessage {
	var w [12]float64
	var sum float64
	for m := range 12 {
		w[m] = 1 + 0.8*math.Cos(2*math.Pi*(float64(m)-5.5)/12)
		sum += w[m]
	}
	out := make([]float64, 12)
	for m := range 12 {
		out[m] = math.Round(annualKWh*w[m]/sum*10) / 10
	}
	b, _ := json.Marshal(out)
	return b
}

// Write creates (or replaces) the synthetic study in the GeoPackage at path,
// with an n×n parcel grid, and returns the opened store.
func Write(ctx context.Context, path string, n int) (*gpkg.Store, error) {
	s, err := gpkg.Open(path)
	if err != nil {
		return nil, err
	}
	if err := WriteStore(ctx, s, n); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// WriteStore writes (or replaces) the synthetic study, with an n×n parcel
// grid, into any store (e.g. PostGIS).
func WriteStore(ctx context.Context, s data.Store, n int) error {
	st := data.Study{
		ID: StudyID, Name: "SYNTHETIC grid near Périgueux (not real data)", ScenarioHash: ScenarioHash,
		Scenario: json.RawMessage(Scenario), Summary: json.RawMessage(`{"synthetic":true}`),
	}
	if err := s.WriteStudy(ctx, st, Layers(n, 42)); err != nil {
		return fmt.Errorf("apitest: write synthetic study: %w", err)
	}
	return nil
}
