package geo

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/gisement/gisement/geo/crs"
)

func writeFile(t *testing.T, name, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// SYNTHETIC features around Périgueux, one per validation case.
const validationGeoJSON = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"batiment_c":"ok","hauteur":7.5,"batiment_g":"24322000AE0037_x","altitude_s":100,"code_commu":"24322","fictive_ge":0},"geometry":{"type":"Polygon","coordinates":[[[0.7,45.2],[0.7001,45.2],[0.7001,45.2001],[0.7,45.2001],[0.7,45.2]]]}},
{"type":"Feature","properties":{"batiment_c":"unclosed","hauteur":0},"geometry":{"type":"Polygon","coordinates":[[[0.701,45.2],[0.7011,45.2],[0.7011,45.2001],[0.701,45.2001]]]}},
{"type":"Feature","properties":{"batiment_c":"ok","hauteur":5},"geometry":{"type":"Polygon","coordinates":[[[0.702,45.2],[0.7021,45.2],[0.7021,45.2001],[0.702,45.2]]]}},
{"type":"Feature","properties":{"batiment_c":"twopoints","hauteur":5},"geometry":{"type":"Polygon","coordinates":[[[0.703,45.2],[0.7031,45.2],[0.703,45.2]]]}},
{"type":"Feature","properties":{"batiment_c":"flat","hauteur":5},"geometry":{"type":"Polygon","coordinates":[[[0.704,45.2],[0.7041,45.2],[0.7042,45.2],[0.704,45.2]]]}},
{"type":"Feature","properties":{"batiment_c":"line","hauteur":5},"geometry":{"type":"LineString","coordinates":[[0.705,45.2],[0.7051,45.2]]}},
{"type":"Feature","properties":{"batiment_c":"spike","NB_ETAGES":3,"hauteur":999},"geometry":{"type":"Polygon","coordinates":[[[0.706,45.2],[0.7061,45.2],[0.7061,45.2001],[0.70605,45.2001],[0.70605,45.2003],[0.70605,45.2001],[0.706,45.2001],[0.706,45.2]]]}},
{"type":"Feature","properties":{"batiment_c":"bowtie"},"geometry":{"type":"Polygon","coordinates":[[[0.707,45.2],[0.7071,45.2001],[0.7071,45.2],[0.707,45.2001],[0.707,45.2]]]}},
{"type":"Feature","properties":{"batiment_c":"fictive","hauteur":4,"fictive_ge":1,"roof:shape":"flat"},"geometry":{"type":"Polygon","coordinates":[[[0.708,45.2],[0.7081,45.2],[0.7081,45.2001],[0.708,45.2001],[0.708,45.2]]]}},
{"type":"Feature","properties":{"hauteur":4},"geometry":{"type":"Polygon","coordinates":[[[0.709,45.2],[0.7091,45.2],[0.7091,45.2001],[0.709,45.2001],[0.709,45.2]]]}},
{"type":"Feature","properties":{"batiment_c":"nogeom"},"geometry":null}
]}`

func TestLoadBuildingsValidation(t *testing.T) { // synthetic file
	p := writeFile(t, "v.geojson", validationGeoJSON)
	bs, rep, err := LoadBuildings(p, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v repairs %v warnings %v heights %v", rep, rep.RepairsByKind, rep.Warnings, rep.HeightSources)
	for _, r := range rep.Rejections {
		t.Logf("rejected %+v", r)
	}
	if rep.Read != 11 || rep.Kept+rep.Rejected != rep.Read {
		t.Fatalf("read %d kept %d rejected %d", rep.Read, rep.Kept, rep.Rejected)
	}
	wantReasons := map[string]int{ReasonDuplicateID: 1, ReasonDegenerateRing: 1, ReasonZeroArea: 1, ReasonNotPolygonal: 1, ReasonNoGeometry: 1, ReasonSelfIntersect: 1}
	for k, v := range wantReasons {
		if rep.ByReason[k] != v {
			t.Errorf("ByReason[%s] = %d, want %d (all: %v)", k, rep.ByReason[k], v, rep.ByReason)
		}
	}
	byID := map[string]Building{}
	for _, b := range bs {
		byID[b.ID] = b
	}
	if _, kept := byID["bowtie"]; kept {
		t.Error("bow-tie kept")
	}
	if _, kept := byID["spike"]; !kept || rep.RepairsByKind[RepairMadeValid] != 1 {
		t.Errorf("spike not repaired: %v", rep.RepairsByKind)
	}
	if rep.RepairsByKind[RepairClosedRing] != 1 {
		t.Errorf("closed-ring repairs %d, want 1", rep.RepairsByKind[RepairClosedRing])
	}
	// Height 0 → unknown → default; 999 → unknown → 3 levels × 3 m.
	if b := byID["unclosed"]; b.HeightSource != HeightFromDefault || b.HeightM != DefaultBuildingHeightM {
		t.Errorf("unclosed: height %v (%s)", b.HeightM, b.HeightSource)
	}
	if b, ok := byID["spike"]; ok && (b.HeightSource != HeightFromLevels || b.HeightM != 9) {
		t.Errorf("spike: height %v (%s)", b.HeightM, b.HeightSource)
	}
	if rep.Warnings["height_out_of_range"] != 2 {
		t.Errorf("height_out_of_range %d, want 2", rep.Warnings["height_out_of_range"])
	}
	if b := byID["fictive"]; !b.Fictive || b.RoofType != RoofFlat || b.RoofTypeSource != RoofTypeFromAttribute {
		t.Errorf("fictive: %+v", b)
	}
	if rep.Warnings["fictive_geometry"] != 1 || rep.Warnings["missing_id"] != 1 {
		t.Errorf("warnings %v", rep.Warnings)
	}
	if b := byID["F9"]; b.HeightM != 4 {
		t.Errorf("generated id F9 missing: %v", byID)
	}
	ok := byID["ok"]
	if ok.ParcelRef != "24322000AE0037" || ok.GroundAltM != 100 || ok.CommuneINSEE != "24322" {
		t.Errorf("attributes %+v", ok)
	}
	// ~7.9 m × 11.1 m at 45.2° N
	if ok.FootprintM2 < 80 || ok.FootprintM2 > 95 {
		t.Errorf("area %v m²", ok.FootprintM2)
	}
	// The bow-tie is either repaired (made_valid) or rejected as
	// self_intersection; the spike (a zero-width appendix) must be repaired
	// or rejected too, never kept invalid.
	for _, id := range []string{"bowtie", "spike"} {
		if b, kept := byID[id]; kept {
			if _, err := toSF(b.Footprint, true); err != nil {
				t.Errorf("%s kept but invalid: %v", id, err)
			}
		}
	}
}

func TestLoadCRSMismatch(t *testing.T) { // synthetic: degrees declared as Lambert-93
	s := `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:2154"}},"features":[
{"type":"Feature","properties":{"ID":"a"},"geometry":{"type":"Polygon","coordinates":[[[0.7,45.2],[0.7001,45.2],[0.7001,45.2001],[0.7,45.2]]]}}]}`
	_, _, err := LoadBuildings(writeFile(t, "crs.geojson", s), LoadOptions{})
	if !errors.Is(err, crs.ErrMismatch) {
		t.Fatalf("err = %v, want ErrCRSMismatch", err)
	}
}

func TestAttributeMappingBDTopoOSM(t *testing.T) { // synthetic attributes
	s := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"ID":"BATIMENT01","HAUTEUR":null,"NB_ETAGES":4,"USAGE1":"Résidentiel","DATE_APP":"1962-01-01"},"geometry":{"type":"Polygon","coordinates":[[[0.7,45.2],[0.7001,45.2],[0.7001,45.2001],[0.7,45.2]]]}},
{"type":"Feature","properties":{"osm_id":"123","height":"12.5 m","building:levels":"3","building":"yes","roof:shape":"gabled"},"geometry":{"type":"Polygon","coordinates":[[[0.71,45.2],[0.7101,45.2],[0.7101,45.2001],[0.71,45.2]]]}},
{"type":"Feature","properties":{"Hauteur":"7,5"},"geometry":{"type":"Polygon","coordinates":[[[0.72,45.2],[0.7201,45.2],[0.7201,45.2001],[0.72,45.2]]]}}
]}`
	bs, rep, err := LoadBuildings(writeFile(t, "a.geojson", s), LoadOptions{})
	if err != nil || len(bs) != 3 {
		t.Fatalf("%v %v", err, rep)
	}
	if b := bs[0]; b.ID != "BATIMENT01" || b.HeightM != 12 || b.HeightSource != HeightFromLevels || b.Use != "Résidentiel" || b.Year != 1962 {
		t.Errorf("BD TOPO: %+v", b)
	}
	if b := bs[1]; b.ID != "123" || b.HeightM != 12.5 || b.Levels != 3 || b.RoofType != RoofPitched {
		t.Errorf("OSM: %+v", b)
	}
	if b := bs[2]; b.HeightM != 7.5 { // case-insensitive, decimal comma
		t.Errorf("case-insensitive: %+v", b)
	}
	// Caller-configured mapping.
	am := DefaultAttributeMap()
	am.Height = []string{"nothing"}
	bs, _, _ = LoadBuildings(writeFile(t, "b.geojson", s), LoadOptions{Attributes: &am, DefaultHeightM: 4})
	if bs[1].HeightSource != HeightFromLevels || bs[2].HeightM != 4 {
		t.Errorf("custom map: %+v %+v", bs[1], bs[2])
	}
}

func TestLoadParcelsEtalabAssembledID(t *testing.T) { // synthetic
	s := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"commune":"91216","prefixe":"000","section":"B","numero":"37"},"geometry":{"type":"Polygon","coordinates":[[[2.3,48.66],[2.3001,48.66],[2.3001,48.6601],[2.3,48.66]]]}},
{"type":"Feature","id":"91216000AB0037","properties":{"id":"91216000AB0037"},"geometry":{"type":"Polygon","coordinates":[[[2.31,48.66],[2.3101,48.66],[2.3101,48.6601],[2.31,48.66]]]}},
{"type":"Feature","properties":{"id":"91216000AB0037"},"geometry":{"type":"Polygon","coordinates":[[[2.32,48.66],[2.3201,48.66],[2.3201,48.6601],[2.32,48.66]]]}}
]}`
	ps, rep, err := LoadParcels(writeFile(t, "p.geojson", s), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].ID != "912160000B0037" || ps[1].ID != "91216000AB0037" || rep.ByReason[ReasonDuplicateID] != 1 {
		t.Errorf("parcels %+v report %v", ps, rep)
	}
}
