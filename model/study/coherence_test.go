package study

import (
	"strings"
	"testing"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/internal/shareddata"
)

// The "looks like building polygons" heuristic stays quiet on the real
// Etalab cadastre of a dense city (Paris 18e) and of a suburban commune
// (Épinay-sur-Orge), even against the large Paris 11e footprints, and
// fires on the Périgueux polygons that are the cadastre's building layer.
func TestCheckParcelLayerRealData(t *testing.T) {
	bs, _, err := geo.LoadBuildings(shareddata.Path(t, "buildings/paris11_75111_bdnb_buildings.geojson.gz"), geo.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"parcels/cadastre-75118-parcelles.json.gz", "parcels/cadastre-91216-parcelles.json.gz"} {
		ps, _, err := geo.LoadParcels(shareddata.Path(t, f), geo.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if w := checkParcelLayer(&geo.Territory{Buildings: bs, Parcels: ps}); w != "" {
			t.Errorf("%s: real Etalab parcels flagged: %s", f, w)
		}
		t.Logf("%s: %d parcels cover %.0f %% of their extent", f, len(ps), 100*parcelCover(ps))
	}
	pb, _, err := geo.LoadBuildings(shareddata.Path(t, "buildings/perigueux_24322_bdnb_buildings.geojson.gz"), geo.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pp, _, err := geo.LoadParcels(shareddata.Path(t, "parcels/perigueux_24322_parcel_geometries_noattr.geojson.gz"), geo.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if w := checkParcelLayer(&geo.Territory{Buildings: pb, Parcels: pp}); !strings.Contains(w, "looks like building polygons") {
		t.Errorf("Périgueux footprint-like parcels not flagged (%q)", w)
	}
}

// A low building→parcel overlap stops the study with a CoherenceError
// (ErrInput) naming both files, unless AllowLowOverlap.
func TestCheckCoherenceOverlap(t *testing.T) {
	tr := &geo.Territory{Assignment: &geo.AssignReport{Buildings: 100, Assigned: 10}, BuildingReport: &geo.LoadReport{Kept: 100}}
	o := &Options{BuildingsPath: "/x/b.geojson", ParcelsPath: "/y/p.json"}
	err := checkCoherence(o, tr, &Result{})
	ce, ok := err.(*CoherenceError)
	if !ok || !strings.Contains(err.Error(), "b.geojson") || !strings.Contains(err.Error(), "p.json") || !strings.Contains(err.Error(), "10 of 100") || ce.Flag != "--allow-low-overlap" {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "/x/") {
		t.Errorf("message shows a directory: %v", err)
	}
	o.AllowLowOverlap = true
	r := &Result{}
	if err := checkCoherence(o, tr, r); err != nil || len(r.Warnings) != 1 {
		t.Fatalf("with AllowLowOverlap: %v, warnings %v", err, r.Warnings)
	}
	tr.Assignment.Assigned = 60
	if err := checkCoherence(&Options{BuildingsPath: "b", ParcelsPath: "p"}, tr, &Result{}); err != nil {
		t.Fatalf("60 %% overlap: %v", err)
	}
}
