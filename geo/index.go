package geo

import (
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Index is an R-tree (github.com/tidwall/rtree) over the bounding boxes of a
// slice of geometries; items are the slice indexes. Safe for concurrent
// searches once built.
type Index struct {
	tr rtree.RTreeG[int]
}

// NewIndex indexes the bounds of n items given by bound(i).
func NewIndex(n int, bound func(i int) orb.Bound) *Index {
	ix := &Index{}
	for i := 0; i < n; i++ {
		b := bound(i)
		ix.tr.Insert(b.Min, b.Max, i)
	}
	return ix
}

// Search calls fn for every item whose box intersects b; fn returns false to stop.
func (ix *Index) Search(b orb.Bound, fn func(i int) bool) {
	ix.tr.Search(b.Min, b.Max, func(_, _ [2]float64, i int) bool { return fn(i) })
}

// SearchBounds is Search giving each item's indexed bounds too.
func (ix *Index) SearchBounds(b orb.Bound, fn func(i int, box orb.Bound) bool) {
	ix.tr.Search(b.Min, b.Max, func(min, max [2]float64, i int) bool {
		return fn(i, orb.Bound{Min: min, Max: max})
	})
}

// Len is the number of indexed items.
func (ix *Index) Len() int { return ix.tr.Len() }

// IndexBuildings indexes building footprints.
func IndexBuildings(bs []Building) *Index {
	return NewIndex(len(bs), func(i int) orb.Bound { return bs[i].Footprint.Bound() })
}

// IndexParcels indexes parcel geometries.
func IndexParcels(ps []Parcel) *Index {
	return NewIndex(len(ps), func(i int) orb.Bound { return ps[i].Geometry.Bound() })
}
