package geo

import (
	"context"
	"fmt"
	"hash/fnv"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// AssignReport summarises the building→parcel join and the parcel-id recovery.
type AssignReport struct {
	Buildings int // buildings considered
	Assigned  int // buildings assigned to a parcel
	// ByShortcut were assigned without an intersection (single candidate
	// containing the centroid, or a candidate containing every vertex);
	// ByOverlap by the largest intersection area among several candidates.
	ByShortcut, ByOverlap int
	// Parcels: total; with at least one building; ids by source.
	Parcels, ParcelsWithBuildings                   int
	IDsFromAttribute, IDsRecovered, IDsFromGeometry int
	// Conflicts counts recovered parcels whose buildings carried more than one
	// distinct ParcelRef (majority taken); DuplicateRecovered those whose
	// majority ref was already used by another parcel (they get a geometry id).
	Conflicts, DuplicateRecovered int
	// RefAgree / RefCompared: assigned buildings with a ParcelRef whose parcel
	// id (after recovery) equals it.
	RefAgree, RefCompared int
}

// Rate is the share of buildings assigned to a parcel.
func (r *AssignReport) Rate() float64 {
	if r.Buildings == 0 {
		return 0
	}
	return float64(r.Assigned) / float64(r.Buildings)
}

// AssignBuildings assigns every building to the parcel it overlaps most and
// fills Building.ParcelID and Parcel.BuildingIdx. Parcels without an id get
// one from the majority ParcelRef of their buildings, else GeometryID.
//
// Method: candidates come from the parcel R-tree (bounding boxes). Shortcuts
// avoid the polygon overlay in the common cases: a single candidate whose
// polygon contains the building centroid, or a candidate whose box contains
// the building's box and whose polygon contains every building vertex (the
// building then lies inside it, except for exotic concave parcels whose
// boundary re-enters the building between two vertices — accepted error).
// Otherwise the intersection area with each candidate is computed with
// overlapArea (exact signed-triangle fan + Sutherland–Hodgman, see clip.go;
// simplefeatures' overlay was measured too slow) and the largest wins; zero overlap
// everywhere leaves the building unassigned. Buildings are processed by a
// worker pool (read-only on the index); cost is linear in the number of
// buildings for a bounded number of candidates per building.
func AssignBuildings(bs []Building, ps []Parcel, pix *Index) *AssignReport {
	rep, _ := AssignBuildingsContext(context.Background(), bs, ps, pix, 0) // only ctx errors
	return rep
}

// AssignBuildingsContext is AssignBuildings on at most workers goroutines
// (≤ 0: GOMAXPROCS). When ctx is done it returns ctx.Err() and a nil report,
// with bs and ps unchanged.
func AssignBuildingsContext(ctx context.Context, bs []Building, ps []Parcel, pix *Index, workers int) (*AssignReport, error) {
	rep := &AssignReport{Buildings: len(bs), Parcels: len(ps)}
	assigned := make([]int, len(bs))
	method := make([]uint8, len(bs)) // 0 none, 1 shortcut, 2 overlap
	err := forChunks(ctx, len(bs), 256, workers, func(lo, hi int) error {
		var cands []int
		for i := lo; i < hi; i++ {
			assigned[i], method[i], cands = assignOne(&bs[i], ps, pix, cands[:0])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range ps {
		ps[i].BuildingIdx = ps[i].BuildingIdx[:0]
	}
	for i, p := range assigned {
		if p < 0 {
			continue
		}
		rep.Assigned++
		if method[i] == 1 {
			rep.ByShortcut++
		} else {
			rep.ByOverlap++
		}
		ps[p].BuildingIdx = append(ps[p].BuildingIdx, i)
	}
	recoverParcelIDs(bs, ps, rep)
	for i, p := range assigned {
		if p < 0 {
			bs[i].ParcelID = ""
			continue
		}
		bs[i].ParcelID = ps[p].ID
		if bs[i].ParcelRef != "" {
			rep.RefCompared++
			if bs[i].ParcelRef == ps[p].ID {
				rep.RefAgree++
			}
		}
	}
	return rep, nil
}

// assignOne returns the parcel index (-1 if none) and the method.
func assignOne(b *Building, ps []Parcel, pix *Index, cands []int) (int, uint8, []int) {
	bb := b.Footprint.Bound()
	pix.Search(bb, func(i int) bool { cands = append(cands, i); return true })
	if len(cands) == 0 {
		return -1, 0, cands
	}
	if len(cands) == 1 && planar.MultiPolygonContains(ps[cands[0]].Geometry, b.Centroid) {
		return cands[0], 1, cands
	}
	sort.Ints(cands) // deterministic tie-breaking
	tb := bb.Pad(-vertexTolM)
	for _, c := range cands {
		pb := ps[c].Geometry.Bound()
		if pb.Contains(tb.Min) && pb.Contains(tb.Max) && allVerticesInside(b.Footprint, ps[c].Geometry) {
			return c, 1, cands
		}
	}
	best, bestA := -1, 0.0
	var buf [2][]orb.Point
	for _, c := range cands {
		var a float64
		a, buf = overlapArea(b.Footprint, ps[c].Geometry, buf)
		if a > bestA {
			best, bestA = c, a
		}
	}
	if best < 0 {
		return -1, 0, cands
	}
	return best, 2, cands
}

// vertexTolM is the distance within which a building vertex lying just
// outside a parcel counts as on its boundary: BDNB footprints are cut along
// parcel boundaries, so their vertices sit on the parcel edge up to rounding
// (1e-8° ≈ 1 mm in the source files).
const vertexTolM = 0.05

// allVerticesInside reports whether every exterior vertex of b lies inside p
// or within vertexTolM of its boundary.
func allVerticesInside(b, p orb.MultiPolygon) bool {
	for _, pg := range b {
		for _, pt := range pg[0] {
			if !planar.MultiPolygonContains(p, pt) && !nearBoundary(p, pt, vertexTolM) {
				return false
			}
		}
	}
	return true
}

func nearBoundary(mp orb.MultiPolygon, pt orb.Point, tol float64) bool {
	t2 := tol * tol
	for _, pg := range mp {
		for _, r := range pg {
			for i := 1; i < len(r); i++ {
				if planar.DistanceFromSegmentSquared(r[i-1], r[i], pt) <= t2 {
					return true
				}
			}
		}
	}
	return false
}

// recoverParcelIDs gives ids to parcels lacking one: the majority ParcelRef of
// their assigned buildings (ties broken by the lexically smallest ref), else
// GeometryID. A recovered id already used (by an attribute id, or by a
// parcel with more votes — processed first) is not reused: that parcel gets a
// geometry id and is counted in DuplicateRecovered.
func recoverParcelIDs(bs []Building, ps []Parcel, rep *AssignReport) {
	used := make(map[string]struct{}, len(ps))
	type cand struct {
		p, votes int
		ref      string
	}
	var cs []cand
	for i := range ps {
		if len(ps[i].BuildingIdx) > 0 {
			rep.ParcelsWithBuildings++
		}
		if ps[i].ID != "" && ps[i].IDSource == IDFromAttribute {
			used[ps[i].ID] = struct{}{}
			rep.IDsFromAttribute++
			continue
		}
		ps[i].ID, ps[i].IDSource = "", ""
		votes := map[string]int{}
		for _, bi := range ps[i].BuildingIdx {
			if r := bs[bi].ParcelRef; r != "" {
				votes[r]++
			}
		}
		if len(votes) == 0 {
			continue
		}
		if len(votes) > 1 {
			rep.Conflicts++
		}
		best, bv := "", 0
		for r, v := range votes {
			if v > bv || (v == bv && r < best) {
				best, bv = r, v
			}
		}
		cs = append(cs, cand{i, bv, best})
	}
	sort.Slice(cs, func(a, b int) bool {
		if cs[a].votes != cs[b].votes {
			return cs[a].votes > cs[b].votes
		}
		return cs[a].p < cs[b].p
	})
	for _, c := range cs {
		if _, dup := used[c.ref]; dup {
			rep.DuplicateRecovered++
			continue
		}
		used[c.ref] = struct{}{}
		ps[c.p].ID, ps[c.p].IDSource = c.ref, IDFromBuildings
		rep.IDsRecovered++
		if ps[c.p].CommuneINSEE == "" {
			ps[c.p].CommuneINSEE = c.ref[:5]
		}
		if ps[c.p].Section == "" && len(c.ref) == 14 {
			s := c.ref[8:10]
			if s[0] == '0' {
				s = s[1:]
			}
			ps[c.p].Section = s
		}
	}
	for i := range ps {
		if ps[i].ID != "" {
			continue
		}
		id := GeometryID(ps[i].Geometry)
		for k := 2; ; k++ {
			if _, dup := used[id]; !dup {
				break
			}
			id = fmt.Sprintf("%s-%d", GeometryID(ps[i].Geometry), k)
		}
		used[id] = struct{}{}
		ps[i].ID, ps[i].IDSource = id, IDFromGeometry
		rep.IDsFromGeometry++
	}
}

// GeometryID is a stable identifier derived from a polygon: "G" followed by
// 12 hex digits of the FNV-1a hash of its centroid rounded to 0.1 m and its
// area rounded to 1 m² (Lambert-93). The same geometry always gets the same
// id, independent of file order; identical geometries collide and are
// suffixed "-2", "-3"… by the caller.
func GeometryID(mp orb.MultiPolygon) string {
	c, a := planar.CentroidArea(mp)
	if a < 0 {
		a = -a
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%.1f,%.1f,%.0f", c[0], c[1], a)
	return fmt.Sprintf("G%012x", h.Sum64()&0xffffffffffff)
}
