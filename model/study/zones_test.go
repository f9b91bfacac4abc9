package study

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/gisement/gisement/geo/crs"
	"github.com/gisement/gisement/model/heat"
)

func lonLatBox(lon0, lat0, lon1, lat1 float64) orb.Polygon {
	return orb.Polygon{{{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}}}
}

func writeFC(t *testing.T, path string, feats []string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(`{"type":"FeatureCollection","features":[`+strings.Join(feats, ",")+`]}`), 0o644); err != nil {
		t.Fatal(err)
	}
}

func boxFeature(props string, p orb.Polygon) string {
	var pts []string
	for _, q := range p[0] {
		pts = append(pts, fmt.Sprintf("[%.6f,%.6f]", q[0], q[1]))
	}
	return fmt.Sprintf(`{"type":"Feature","properties":%s,"geometry":{"type":"Polygon","coordinates":[[%s]]}}`, props, strings.Join(pts, ","))
}

// zonesOptions: the sample with the SYNTHETIC zones (an acceleration zone
// and a GMI red perimeter) and car parks (one over and one under the APER
// 1,500 m² threshold) written in a temporary folder, a study area that
// clips the east of the commune, and 50 Monte Carlo draws.
func zonesOptions(t *testing.T, id string) Options {
	t.Helper()
	dir := t.TempDir()
	zones := filepath.Join(dir, "SYNTHETIC_zones.geojson")
	writeFC(t, zones, []string{
		boxFeature(`{"name":"ZAER est","kind":"acceleration"}`, lonLatBox(0.7150, 45.1800, 0.7215, 45.1880)),
		boxFeature(`{"name":"Périmètre rouge","kind":"gmi red"}`, lonLatBox(0.7220, 45.1820, 0.7250, 45.1850)),
	})
	carparks := filepath.Join(dir, "SYNTHETIC_carparks.geojson")
	writeFC(t, carparks, []string{
		boxFeature(`{"id":"P-big"}`, lonLatBox(0.7232, 45.1843, 0.7238, 45.1847)),
		boxFeature(`{"id":"P-small"}`, lonLatBox(0.7260, 45.1860, 0.7264, 45.1863)),
	})
	o := sampleOptions(t)
	o.ID, o.ZonesPath, o.CarParksPath, o.AreaWGS84 = id, zones, carparks, lonLatBox(0.7150, 45.1800, 0.7280, 45.1880)
	o.MonteCarloDraws = 50
	return o
}

// TestZonesCarParksAndArea runs the sample study on a small area of
// Périgueux with SYNTHETIC planning layers (an acceleration zone, a GMI red
// zone, two car parks of ≈ 2,070 m² and ≈ 1,040 m² — hand-drawn, not real
// data) and checks the zone totals against an independent sum over the
// parcels, the GMI flag, the APER threshold and the area clip.
func TestZonesCarParksAndArea(t *testing.T) {
	if testing.Short() {
		t.Skip("study run skipped in -short mode")
	}
	o := zonesOptions(t, "zones-test")
	area := o.AreaWGS84.(orb.Polygon)
	r, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}

	// Area clip: every building kept has its centroid in the area, and the
	// clip is reported.
	toL93, _ := crs.ToLambert93(crs.EPSG4326)
	areaL93 := crs.Project(orb.MultiPolygon{area}, toL93).(orb.MultiPolygon)
	for _, b := range r.Territory.Buildings {
		if !planar.MultiPolygonContains(areaL93, b.Centroid) {
			t.Fatalf("building %s outside the study area", b.ID)
		}
	}
	if len(r.Territory.Buildings) < 100 || len(r.Territory.Buildings) > 5000 {
		t.Errorf("%d buildings in a ~1 km² central area: implausible", len(r.Territory.Buildings))
	}
	found := false
	for _, w := range r.Warnings {
		found = found || strings.HasPrefix(w, "study area: kept")
	}
	if !found {
		t.Errorf("no study-area warning in %q", r.Warnings)
	}

	// Zones: totals equal an independent sum over parcels with their centroid inside.
	if len(r.Zones) != 2 {
		t.Fatalf("%d zones, want 2", len(r.Zones))
	}
	for k, z := range r.Zones {
		var n int
		var kwh float64
		for i := range r.Parcels {
			c, _ := planar.CentroidArea(r.Territory.Parcels[i].Geometry)
			if planar.MultiPolygonContains(z.Geometry, c) {
				n++
				kwh += r.Parcels[i].PV.KWhYr
			}
		}
		if n == 0 || z.Totals.Parcels != n || abs(z.Totals.PVKWhYr-kwh) > 1e-6*kwh {
			t.Errorf("zone %d %q: %d parcels, %.0f kWh/yr; independent sum %d, %.0f", k, z.Name, z.Totals.Parcels, z.Totals.PVKWhYr, n, kwh)
		}
	}
	// GMI red zone: parcels inside are flagged red and get no ground-source economics.
	red := 0
	for i := range r.Parcels {
		p := &r.Parcels[i]
		if p.GMIZone == string(heat.GMIRed) {
			red++
			if p.GSHPEconOK || p.GSHP.GMI.Feasible {
				t.Errorf("parcel %s in the red GMI zone has a feasible ground-source system", r.Territory.Parcels[i].ID)
			}
		}
	}
	if red == 0 || red != r.Zones[1].Totals.Parcels {
		t.Errorf("%d parcels flagged red, zone holds %d", red, r.Zones[1].Totals.Parcels)
	}

	// Car parks: the APER law applies above 1,500 m² (loi n° 2023-175, art. 40).
	if len(r.CarParks) != 2 {
		t.Fatalf("%d car parks, want 2", len(r.CarParks))
	}
	for _, c := range r.CarParks {
		wantAPER := c.ID == "P-big"
		if c.APERObligated != wantAPER || (c.AreaM2 > 1500) != wantAPER {
			t.Errorf("car park %s: %.0f m², APER %v", c.ID, c.AreaM2, c.APERObligated)
		}
		if c.KWp <= 0 || c.KWhYr <= 0 {
			t.Errorf("car park %s: no canopy potential (%.1f kWp)", c.ID, c.KWp)
		}
	}

	// Storage: the zones and carparks layers are written.
	_, layers, err := Layers(r)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, l := range layers {
		names[l.Layer.Name] = true
	}
	if !names[LayerZones] || !names[LayerCarParks] {
		t.Errorf("layers %v lack zones or carparks", names)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
