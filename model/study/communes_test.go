package study

import (
	"testing"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo"
)

func square(x0, y0, s float64) orb.MultiPolygon {
	return orb.MultiPolygon{orb.Bound{Min: orb.Point{x0, y0}, Max: orb.Point{x0 + s, y0 + s}}.ToPolygon()}
}

func TestAssignCommunes(t *testing.T) {
	tr := &geo.Territory{Buildings: []geo.Building{
		{ID: "a", CommuneINSEE: "75056", ParcelRef: "75111000AB0012", Centroid: orb.Point{5, 5}},   // arrondissement from the BDNB reference
		{ID: "b", CommuneINSEE: "75056", ParcelRef: "uf7511100000", Centroid: orb.Point{15, 5}},    // no IDU: outline (arrondissement layer)
		{ID: "c", Centroid: orb.Point{25, 5}},                                                      // no code, no outline: unknown
		{ID: "d", CommuneINSEE: "24322", ParcelRef: "24322000AE0037", Centroid: orb.Point{500, 5}}, // plain commune kept
		{ID: "e", Centroid: orb.Point{5, 6}},                                                       // no code: outline
		{ID: "f", CommuneINSEE: "75056", CommuneRef: "75103", Centroid: orb.Point{500, 5}},         // unité foncière uf75103…
	}, Parcels: []geo.Parcel{{ID: "G1", Geometry: square(1, 1, 2)}}}
	outlines := []Commune{{INSEE: "75111", Geometry: square(0, 0, 10)}, {INSEE: "75112", Geometry: square(10, 0, 10)}, {INSEE: "99999", Geometry: square(100, 100, 10)}}
	kept, a := assignCommunes(tr, outlines)
	want := []string{"75111", "75112", "", "24322", "75111", "75103"}
	for i, w := range want {
		if got := tr.Buildings[i].CommuneINSEE; got != w {
			t.Errorf("building %s: commune %q, want %q", tr.Buildings[i].ID, got, w)
		}
	}
	if tr.Parcels[0].CommuneINSEE != "75111" {
		t.Errorf("parcel commune %q, want 75111", tr.Parcels[0].CommuneINSEE)
	}
	if len(kept) != 2 || a.OutlinesRead != 3 || a.OutlinesKept != 2 {
		t.Errorf("kept %d outlines (report %+v), want the 2 holding buildings", len(kept), a)
	}
	if a.FromParcelRef != 2 || a.BuildingsFromBoundaries != 2 || a.Unknown != 1 || a.ParcelsFromBoundaries != 1 {
		t.Errorf("report %+v", a)
	}
	cs := []CommuneResult{{INSEE: "75111"}, {INSEE: "75056"}, {INSEE: "24322", Name: "Périgueux"}}
	nameCommunes(cs)
	if cs[0].Name != "Paris 11e Arrondissement" || cs[1].Name != "Paris" || cs[2].Name != "Périgueux" {
		t.Errorf("names %q %q %q", cs[0].Name, cs[1].Name, cs[2].Name)
	}
}
