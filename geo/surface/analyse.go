package surface

import (
	"golang.org/x/sync/errgroup"
	"math"
	"runtime"
	"sort"

	"github.com/gisement/gisement/geo/raster"
)

// Stats summarises an Analyse run.
type Stats struct {
	Footprints, Observed int
	// Chunks is the number of chunk windows read; MaxWindowCells the largest
	// DSM window (cells) held at once, the memory bound (8 bytes per cell,
	// plus the DTM window of the chunk's footprints).
	Chunks         int
	MaxWindowCells int
}

// Source is a surface or terrain model read window by window: *Mosaic, or
// *Grid for a model already in memory.
type Source interface {
	// Window returns the cells covering b (NaN where no data), nil when b
	// misses the model entirely.
	Window(b raster.Bounds) (*raster.Grid, error)
}

// Grid adapts an in-memory raster.Grid (Lambert-93, square north-up cells)
// to Source; windows share its cells (no copy).
type Grid struct{ G *raster.Grid }

// Window returns the whole grid when it intersects b (the caller only reads
// the cells it needs; no copy is made), nil otherwise.
func (g Grid) Window(b raster.Bounds) (*raster.Grid, error) {
	gb := g.G.Bounds()
	if b.MaxX <= gb.MinX || b.MinX >= gb.MaxX || b.MaxY <= gb.MinY || b.MinY >= gb.MaxY {
		return nil, nil
	}
	return g.G, nil
}

// Analyse segments the roofs of fps on the surface model dsm (dtm optional,
// nil without) and calls emit(i, roof) for every footprint i, sequentially,
// chunk after chunk (not in input order). Footprints are grouped by the
// TileM × TileM chunk holding their bounding-box centre; per chunk, one DSM
// window covering its footprints plus HorizonRadiusM is read, the roofs are
// processed by Workers goroutines, emitted and the window released. With
// horizons false the facets' horizons are not computed (and the halo not
// read). A footprint outside the DSM is emitted with Observed false.
func Analyse(dsm, dtm Source, fps []Footprint, o Options, horizons bool, emit func(i int, r Roof)) (Stats, error) {
	o = o.withDefaults()
	st := Stats{Footprints: len(fps)}
	type key [2]int64
	chunks := map[key][]int{}
	for i, fp := range fps {
		b := fp.Geometry.Bound()
		c := b.Center()
		k := key{int64(math.Floor(c[0] / o.TileM)), int64(math.Floor(c[1] / o.TileM))}
		chunks[k] = append(chunks[k], i)
	}
	keys := make([]key, 0, len(chunks))
	for k := range chunks {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		return keys[a][1] > keys[b][1] || keys[a][1] == keys[b][1] && keys[a][0] < keys[b][0]
	})
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	halo := 0.0
	if horizons {
		halo = o.HorizonRadiusM
	}
	for _, k := range keys {
		idx := chunks[k]
		fb := raster.Bounds{MinX: math.Inf(1), MinY: math.Inf(1), MaxX: math.Inf(-1), MaxY: math.Inf(-1)}
		for _, i := range idx {
			b := fps[i].Geometry.Bound()
			fb.MinX, fb.MinY = math.Min(fb.MinX, b.Min[0]), math.Min(fb.MinY, b.Min[1])
			fb.MaxX, fb.MaxY = math.Max(fb.MaxX, b.Max[0]), math.Max(fb.MaxY, b.Max[1])
		}
		win, err := dsm.Window(raster.Bounds{MinX: fb.MinX - halo - 1, MinY: fb.MinY - halo - 1, MaxX: fb.MaxX + halo + 1, MaxY: fb.MaxY + halo + 1})
		if err != nil {
			return st, err
		}
		var gwin *raster.Grid
		if win != nil && dtm != nil {
			if gwin, err = dtm.Window(raster.Bounds{MinX: fb.MinX - 1, MinY: fb.MinY - 1, MaxX: fb.MaxX + 1, MaxY: fb.MaxY + 1}); err != nil {
				return st, err
			}
		}
		roofs := make([]Roof, len(idx))
		if win == nil {
			for j, i := range idx {
				roofs[j] = Roof{ID: fps[i].ID, HeightM: math.NaN(), GroundM: math.NaN(), Reason: "outside the DSM"}
			}
		} else {
			st.Chunks++
			st.MaxWindowCells = max(st.MaxWindowCells, win.Width*win.Height)
			// The one bounded pool (errgroup.SetLimit), one footprint a task.
			var g errgroup.Group
			g.SetLimit(workers)
			for j := range idx {
				g.Go(func() error {
					roofs[j] = segmentRoof(win, gwin, fps[idx[j]], o, horizons)
					return nil
				})
			}
			_ = g.Wait() // the tasks return no error
		}
		for j, i := range idx {
			if roofs[j].Observed {
				st.Observed++
			}
			emit(i, roofs[j])
		}
	}
	return st, nil
}
