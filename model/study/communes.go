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
	ca := newCommuneAssigner(outlines)
	for i := range t.Buildings {
		ca.building(&t.Buildings[i])
	}
	for i := range t.Parcels {
		c, _ := planar.CentroidArea(t.Parcels[i].Geometry)
		ca.parcel(&t.Parcels[i], c)
	}
	return ca.kept()
}

// communeAssigner applies the rules of assignCommunes one building or
// parcel at a time (the streaming study runs it over the whole territory in
// its plan, and on each chunk's features).
type communeAssigner struct {
	a        CommuneAssignment
	outlines []Commune
	isArr    map[string]bool
	used     []bool
	ix       *geo.Index
}

func newCommuneAssigner(outlines []Commune) *communeAssigner {
	ca := &communeAssigner{outlines: outlines, isArr: map[string]bool{}, used: make([]bool, len(outlines))}
	ca.a.OutlinesRead = len(outlines)
	for _, o := range outlines {
		if insee.IsArrondissement(o.INSEE) {
			ca.isArr[insee.Parent(o.INSEE)] = true
		}
	}
	if len(outlines) > 0 {
		bounds := make([]orb.Bound, len(outlines))
		for k := range outlines {
			bounds[k] = outlines[k].Geometry.Bound()
		}
		ca.ix = geo.NewIndex(len(outlines), func(k int) orb.Bound { return bounds[k] })
	}
	return ca
}

func (ca *communeAssigner) needs(code string) bool {
	return code == "" || (insee.HasArrondissements(code) && ca.isArr[code])
}

func (ca *communeAssigner) locate(p orb.Point) int {
	found := -1
	if ca.ix == nil {
		return found
	}
	ca.ix.Search(orb.Bound{Min: p, Max: p}, func(k int) bool {
		if planar.MultiPolygonContains(ca.outlines[k].Geometry, p) {
			found = k
			return false
		}
		return true
	})
	return found
}

// building applies rule 1 (parcel reference), then rule 2 (outline).
func (ca *communeAssigner) building(b *geo.Building) {
	a := &ca.a
	code := b.CommuneINSEE
	ref := b.CommuneRef
	if geo.IsIDU(b.ParcelRef) {
		ref = b.ParcelRef[:5]
	}
	done := false
	if (code == "" || insee.HasArrondissements(code)) && ref != "" {
		if (code == "" && ref != "") || (insee.IsArrondissement(ref) && insee.Parent(ref) == code) {
			b.CommuneINSEE = ref
			a.FromParcelRef++
			done = true
		}
	}
	if !done && code != "" {
		a.FromAttribute++
	}
	k := ca.locate(b.Centroid)
	if k >= 0 {
		ca.used[k] = true
		if ca.needs(b.CommuneINSEE) {
			b.CommuneINSEE = ca.outlines[k].INSEE
			a.BuildingsFromBoundaries++
		}
	}
	if b.CommuneINSEE == "" {
		a.Unknown++
	}
}

// parcel applies rule 2 to a parcel (c: its centroid).
func (ca *communeAssigner) parcel(p *geo.Parcel, c orb.Point) {
	k := ca.locate(c)
	if k < 0 {
		return
	}
	ca.used[k] = true
	if ca.needs(p.CommuneINSEE) {
		p.CommuneINSEE = ca.outlines[k].INSEE
		ca.a.ParcelsFromBoundaries++
	}
}

// keptIndexes returns the indexes of the outlines holding a building or
// parcel.
func (ca *communeAssigner) keptIndexes() []int {
	var out []int
	for k, u := range ca.used {
		if u {
			out = append(out, k)
		}
	}
	return out
}

// kept returns the outlines holding a building or parcel and the report.
func (ca *communeAssigner) kept() ([]Commune, CommuneAssignment) {
	kept := ca.outlines[:0:0]
	for _, k := range ca.keptIndexes() {
		kept = append(kept, ca.outlines[k])
	}
	a := ca.a
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
