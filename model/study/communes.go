package study

// Commune assignment of buildings and parcels (issue 13). Kept in its own
// file: the pipeline calls assignCommunes once after loading the territory
// and nameCommunes once after the aggregation.

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/geo/insee"
)

// CommuneAssignment reports how the buildings' and parcels' communes were
// obtained (stored in the study summary).
type CommuneAssignment struct {
	// FromAttribute: buildings whose source gave a usable code.
	FromAttribute int `json:"from_attribute"`
	// FromParcelRef: buildings moved from Paris/Lyon/Marseille (or from no
	// code) to the arrondissement of their BDNB parcel reference (IDU prefix).
	FromParcelRef int `json:"from_parcel_ref"`
	// FromBoundaries: buildings and parcels located by point-in-polygon in
	// the --boundaries outlines.
	BuildingsFromBoundaries int `json:"buildings_from_boundaries"`
	ParcelsFromBoundaries   int `json:"parcels_from_boundaries"`
	// Unknown: buildings left without a commune.
	Unknown int `json:"unknown"`
	// OutlinesRead and OutlinesKept: boundaries read and kept (those holding
	// at least one building or parcel of the study: the layer is clipped to
	// the study area).
	OutlinesRead int `json:"outlines_read"`
	OutlinesKept int `json:"outlines_kept"`
}

// assignCommunes gives every building and parcel a commune code where the
// source lacks one:
//  1. a building whose code is missing or is Paris, Lyon or Marseille takes
//     the arrondissement of its parcel reference (BDNB batiment_groupe_id
//     prefix, e.g. 75111…, or the code of a unité foncière "uf75111…") when
//     that reference lies in the same commune;
//  2. with outlines, the buildings (centroid) and parcels (centroid) still
//     without a code — or with a parent commune while the outlines are
//     arrondissements — take the outline containing them (R-tree over the
//     outline bounds, then exact point-in-polygon).
//
// It returns the outlines that hold at least one building or parcel
// (boundaries clipped to the study area: a département file gives the
// study's communes only).
func assignCommunes(t *geo.Territory, outlines []Commune) ([]Commune, CommuneAssignment) {
	var a CommuneAssignment
	a.OutlinesRead = len(outlines)
	isArr := map[string]bool{}
	for _, o := range outlines {
		if insee.IsArrondissement(o.INSEE) {
			isArr[insee.Parent(o.INSEE)] = true
		}
	}
	needs := func(code string) bool {
		return code == "" || (insee.HasArrondissements(code) && isArr[code])
	}
	for i := range t.Buildings {
		b := &t.Buildings[i]
		code := b.CommuneINSEE
		ref := b.CommuneRef
		if geo.IsIDU(b.ParcelRef) {
			ref = b.ParcelRef[:5]
		}
		if (code == "" || insee.HasArrondissements(code)) && ref != "" {
			if (code == "" && ref != "") || (insee.IsArrondissement(ref) && insee.Parent(ref) == code) {
				b.CommuneINSEE = ref
				a.FromParcelRef++
				continue
			}
		}
		if code != "" {
			a.FromAttribute++
		}
	}
	used := make([]bool, len(outlines))
	var ix *geo.Index
	bounds := make([]orb.Bound, len(outlines))
	if len(outlines) > 0 {
		for k := range outlines {
			bounds[k] = outlines[k].Geometry.Bound()
		}
		ix = geo.NewIndex(len(outlines), func(k int) orb.Bound { return bounds[k] })
	}
	locate := func(p orb.Point) int {
		found := -1
		if ix == nil {
			return found
		}
		ix.Search(orb.Bound{Min: p, Max: p}, func(k int) bool {
			if planar.MultiPolygonContains(outlines[k].Geometry, p) {
				found = k
				return false
			}
			return true
		})
		return found
	}
	for i := range t.Buildings {
		b := &t.Buildings[i]
		k := locate(b.Centroid)
		if k >= 0 {
			used[k] = true
			if needs(b.CommuneINSEE) {
				b.CommuneINSEE = outlines[k].INSEE
				a.BuildingsFromBoundaries++
			}
		}
		if b.CommuneINSEE == "" {
			a.Unknown++
		}
	}
	for i := range t.Parcels {
		p := &t.Parcels[i]
		c, _ := planar.CentroidArea(p.Geometry)
		k := locate(c)
		if k < 0 {
			continue
		}
		used[k] = true
		if needs(p.CommuneINSEE) {
			p.CommuneINSEE = outlines[k].INSEE
			a.ParcelsFromBoundaries++
		}
	}
	kept := outlines[:0:0]
	for k, o := range outlines {
		if used[k] {
			kept = append(kept, o)
		}
	}
	a.OutlinesKept = len(kept)
	return kept, a
}

// nameCommunes fills the names the outlines did not give, from the
// commune code (insee.Name), and names the "unknown" row.
func nameCommunes(cs []CommuneResult) {
	for i := range cs {
		if cs[i].Name == "" {
			cs[i].Name = insee.Name(cs[i].INSEE)
		}
		if cs[i].Name == "" {
			cs[i].Name = fmt.Sprintf("commune %s", cs[i].INSEE)
		}
	}
}
