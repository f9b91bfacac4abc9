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
	assigned, method, err := assignAll(ctx, bs, ps, pix, workers)
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

// assignAll returns the parcel of every building (-1: none) and the
// method (0 none, 1 shortcut, 2 overlap).
func assignAll(ctx context.Context, bs []Building, ps []Parcel, pix *Index, workers int) ([]int, []uint8, error) {
	assigned := make([]int, len(bs))
	method := make([]uint8, len(bs))
	err := forChunks(ctx, len(bs), 256, workers, func(lo, hi int) error {
		var cands []int
		for i := lo; i < hi; i++ {
			assigned[i], method[i], cands = assignOne(&bs[i], ps, pix, cands[:0])
		}
		return nil
	})
	return assigned, method, err
}

// AssignOnly is the geometric part of AssignBuildingsContext: the parcel
// (index into ps, -1 for none) each building overlaps most, and whether a
// shortcut decided it (see AssignBuildings), without touching bs or ps and
// without the id recovery. The streaming study assigns chunk by chunk with
// it and recovers the ids over the whole territory (RecoverIDs).
func AssignOnly(ctx context.Context, bs []Building, ps []Parcel, pix *Index, workers int) (parcel []int, shortcut []bool, err error) {
	assigned, method, err := assignAll(ctx, bs, ps, pix, workers)
	if err != nil {
		return nil, nil, err
	}
	shortcut = make([]bool, len(bs))
	for i, m := range method {
		shortcut[i] = m == 1
	}
	return assigned, shortcut, nil
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

// IDRecovery is what the parcel-id recovery (RecoverIDs) reads and
// writes: the parcels of a territory, in order, with the ParcelRefs of the
// buildings assigned to each.
type IDRecovery interface {
	// Parcels is the number of parcels.
	Parcels() int
	// AttributeID is the id read from the file ("" if none).
	AttributeID(p int) string
	// HasBuildings reports whether a building is assigned to p.
	HasBuildings(p int) bool
	// Refs calls fn with the ParcelRef of each building assigned to p, in
	// building order ("" included).
	Refs(p int, fn func(ref string))
	// GeometryID is GeometryID of the parcel's geometry.
	GeometryID(p int) string
	// SetID gives p its final id (source IDFromBuildings or
	// IDFromGeometry); parcels with an attribute id are not set.
	SetID(p int, id, source string)
}

// MajorityRef returns the most frequent non-empty ref that refs yields
// (ties: the lexically smallest), its count, and whether refs held more
// than one distinct value; votes 0 when there is none.
func MajorityRef(refs func(fn func(ref string))) (best string, votes int, conflict bool) {
	count := map[string]int{}
	refs(func(r string) {
		if r != "" {
			count[r]++
		}
	})
	for r, v := range count {
		if v > votes || (v == votes && r < best) {
			best, votes = r, v
		}
	}
	return best, votes, len(count) > 1
}

// SetParcelID gives p the id and its source; a recovered id (source
// IDFromBuildings) also gives the commune and section the parcel lacks.
func SetParcelID(p *Parcel, id, source string) {
	p.ID, p.IDSource = id, source
	if source != IDFromBuildings {
		return
	}
	if p.CommuneINSEE == "" {
		p.CommuneINSEE = id[:5]
	}
	if p.Section == "" && len(id) == 14 {
		s := id[8:10]
		if s[0] == '0' {
			s = s[1:]
		}
		p.Section = s
	}
}

// recoverParcelIDs gives ids to parcels lacking one (RecoverIDs over the
// loaded buildings and parcels).
func recoverParcelIDs(bs []Building, ps []Parcel, rep *AssignReport) {
	RecoverIDs(loadedRecovery{bs, ps}, rep)
}

type loadedRecovery struct {
	bs []Building
	ps []Parcel
}

func (l loadedRecovery) Parcels() int { return len(l.ps) }
func (l loadedRecovery) AttributeID(p int) string {
	if l.ps[p].IDSource == IDFromAttribute {
		return l.ps[p].ID
	}
	return ""
}
func (l loadedRecovery) HasBuildings(p int) bool { return len(l.ps[p].BuildingIdx) > 0 }
func (l loadedRecovery) Refs(p int, fn func(string)) {
	for _, bi := range l.ps[p].BuildingIdx {
		fn(l.bs[bi].ParcelRef)
	}
}
func (l loadedRecovery) GeometryID(p int) string { return GeometryID(l.ps[p].Geometry) }
func (l loadedRecovery) SetID(p int, id, source string) {
	if source == "" {
		l.ps[p].ID, l.ps[p].IDSource = "", ""
		return
	}
	SetParcelID(&l.ps[p], id, source)
}

// RecoverIDs gives ids to parcels lacking one: the majority ParcelRef of
// their assigned buildings (MajorityRef), else GeometryID. A recovered id
// already used (by an attribute id, or by a parcel with more votes —
// processed first) is not reused: that parcel gets a geometry id and is
// counted in DuplicateRecovered; identical geometry ids get "-2", "-3"….
// Used ids are kept as 64-bit FNV-1a hashes (8 bytes per parcel, so that
// a département's parcels fit): two distinct ids colliding would give the
// second a geometry id, with probability about n²/2⁶⁵.
func RecoverIDs(pr IDRecovery, rep *AssignReport) {
	n := pr.Parcels()
	used := make(map[uint64]struct{}, n)
	type cand struct {
		p, votes int
		ref      string
	}
	var cs []cand
	missing := make([]bool, n)
	for i := 0; i < n; i++ {
		if pr.HasBuildings(i) {
			rep.ParcelsWithBuildings++
		}
		if id := pr.AttributeID(i); id != "" {
			used[idHash(id)] = struct{}{}
			rep.IDsFromAttribute++
			continue
		}
		missing[i] = true
		best, bv, conflict := MajorityRef(func(fn func(string)) { pr.Refs(i, fn) })
		if bv == 0 {
			continue
		}
		if conflict {
			rep.Conflicts++
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
		if _, dup := used[idHash(c.ref)]; dup {
			rep.DuplicateRecovered++
			continue
		}
		used[idHash(c.ref)] = struct{}{}
		missing[c.p] = false
		pr.SetID(c.p, c.ref, IDFromBuildings)
		rep.IDsRecovered++
	}
	for i := 0; i < n; i++ {
		if !missing[i] {
			continue
		}
		g := pr.GeometryID(i)
		id := g
		for k := 2; ; k++ {
			if _, dup := used[idHash(id)]; !dup {
				break
			}
			id = fmt.Sprintf("%s-%d", g, k)
		}
		used[idHash(id)] = struct{}{}
		pr.SetID(i, id, IDFromGeometry)
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
