package geo

import (
	"os"
	"path/filepath"
	"testing"
)

// BD TOPO (shapefile and GeoPackage names) and BDNB open-data attribute
// names are read without renaming (issue 13).
func TestLoadBuildingsBDTOPOAndBDNBNames(t *testing.T) {
	ring := `[[[2.37,48.86],[2.3702,48.86],[2.3702,48.8601],[2.37,48.8601],[2.37,48.86]]]`
	cases := []struct {
		name, props string
		want        Building
	}{
		{"BD TOPO shapefile", `{"ID":"BATIMENT0000000001","HAUTEUR":12.5,"NB_ETAGES":4,"USAGE1":"Résidentiel","USAGE2":"Commercial et services","NB_LOGTS":8,"DATE_APP":"1962-01-01","Z_MIN_SOL":51.2}`,
			Building{ID: "BATIMENT0000000001", HeightM: 12.5, Levels: 4, Use: "Résidentiel", Usage2: "Commercial et services", Dwellings: 8, Year: 1962, GroundAltM: 51.2}},
		{"BD TOPO GeoPackage", `{"cleabs":"BATIMENT0000000002","hauteur":9,"nombre_d_etages":3,"usage_1":"Résidentiel","usage_2":"Annexe","nombre_de_logements":2,"date_d_apparition":"1930-01-01","altitude_minimale_sol":40}`,
			Building{ID: "BATIMENT0000000002", HeightM: 9, Levels: 3, Use: "Résidentiel", Usage2: "Annexe", Dwellings: 2, Year: 1930, GroundAltM: 40}},
		{"BDNB open data", `{"batiment_construction_id":"bdnb-bc-T1KX-L8SH-B4SH","batiment_groupe_id":"bdnb-bg-1112-SNV7-M611","code_commune_insee":"75111","code_iris":"751114101","hauteur":15.1,"altitude_sol":45.5,"fictive_geom_cstr":0,"nb_niveau":5,"annee_construction":1880,"usage_niveau_1_txt":"Résidentiel collectif","nb_log":14}`,
			Building{ID: "bdnb-bc-T1KX-L8SH-B4SH", HeightM: 15.1, Levels: 5, Use: "Résidentiel collectif", Dwellings: 14, Year: 1880, GroundAltM: 45.5, CommuneINSEE: "75111", IRIS: "751114101"}},
	}
	dir := t.TempDir()
	for _, c := range cases {
		p := filepath.Join(dir, "b.geojson")
		fc := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":` + c.props + `,"geometry":{"type":"Polygon","coordinates":` + ring + `}}]}`
		if err := os.WriteFile(p, []byte(fc), 0o644); err != nil {
			t.Fatal(err)
		}
		bs, _, err := LoadBuildings(p, LoadOptions{})
		if err != nil || len(bs) != 1 {
			t.Fatalf("%s: %v (%d buildings)", c.name, err, len(bs))
		}
		b, w := bs[0], c.want
		if b.ID != w.ID || b.HeightM != w.HeightM || b.HeightSource != HeightFromAttribute || b.Levels != w.Levels || b.Use != w.Use || b.Usage2 != w.Usage2 ||
			b.Dwellings != w.Dwellings || b.Year != w.Year || b.GroundAltM != w.GroundAltM || b.CommuneINSEE != w.CommuneINSEE || b.IRIS != w.IRIS {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, b, w)
		}
	}
}
