package surface

import (
	"math"
	"sort"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/crs"
	"github.com/gisement/gisement/geo/raster"
)

// HorizonAt returns the horizon seen from the Lambert-93 point (x, y) at
// altitude z0 (NGF m) over the DSM window: for each of n sectors (centre
// azimuth i·360/n clockwise from TRUE north; the grid direction is the true
// azimuth minus the meridian convergence at the point) the largest
// elevation atan((z(d) − z0)/d) of the DSM cells met along the sector's
// central ray for one cell ≤ d ≤ radiusM, floored at 0° (degrees).
//
// Marching: step = half a cell up to 20 m, then 2.5 % of the distance (the
// angular footprint of a step stays under 1.5°, finer than a 7.5° sector),
// nearest-cell sampling of the surface model (the maximum-height DSM
// already holds the obstacle tops). Cells off the window or without data
// stop nothing and count as open sky. Earth curvature is neglected (0.8 mm
// at 100 m). This is the horizon form of r.horizon / the shadow test of
// r.sun (Hofierka & Šúri 2002, "The solar radiation model for Open source
// GIS: implementation and applications", Proc. Open source GIS – GRASS users
// conference, Trento) on the surface model.
func HorizonAt(dsm *raster.Grid, x, y, z0 float64, n int, radiusM float64) []float64 {
	out := make([]float64, n)
	horizonInto(out, dsm, x, y, z0, radiusM)
	return out
}

func horizonInto(out []float64, dsm *raster.Grid, x, y, z0, radiusM float64) {
	n := len(out)
	p := dsm.PixelSizeX
	conv := crs.Lambert93ConvergenceDeg(orb.Point{x, y})
	fc := (x - dsm.OriginX) / p
	fr := (dsm.OriginY - y) / p
	for i := 0; i < n; i++ {
		th := (float64(i)*360/float64(n) - conv) * math.Pi / 180
		sx, sy := math.Sin(th), math.Cos(th)
		best := 0.0
		d := p
		for d <= radiusM {
			c := int(math.Floor(fc + d*sx/p))
			r := int(math.Floor(fr - d*sy/p))
			if c < 0 || r < 0 || c >= dsm.Width || r >= dsm.Height {
				break
			}
			if zz := dsm.Data[r*dsm.Width+c]; zz == zz { // not NaN
				if t := (zz - z0) / d; t > best {
					best = t
				}
			}
			if d < 20 {
				d += p / 2
			} else {
				d += d * 0.025
			}
		}
		out[i] = math.Atan(best) * 180 / math.Pi
	}
}

// samplePoints picks up to k observer points on a facet: the facet pixel
// nearest its centroid, then, around the centroid split into k−1 equal
// angular wedges, the pixel at the median distance in each wedge (so the
// points spread over the facet without sitting on its edge).
func samplePoints(pts []orb.Point, centroid orb.Point, k int) []orb.Point {
	if len(pts) == 0 {
		return nil
	}
	best, bd := 0, math.Inf(1)
	for i, q := range pts {
		if d := math.Hypot(q[0]-centroid[0], q[1]-centroid[1]); d < bd {
			best, bd = i, d
		}
	}
	out := []orb.Point{pts[best]}
	if k <= 1 {
		return out
	}
	m := k - 1
	type pd struct {
		i int
		d float64
	}
	wedges := make([][]pd, m)
	for i, q := range pts {
		if i == best {
			continue
		}
		dx, dy := q[0]-centroid[0], q[1]-centroid[1]
		a := math.Atan2(dx, dy)
		if a < 0 {
			a += 2 * math.Pi
		}
		wk := min(m-1, int(a/(2*math.Pi)*float64(m)))
		wedges[wk] = append(wedges[wk], pd{i, math.Hypot(dx, dy)})
	}
	for _, wg := range wedges {
		if len(wg) == 0 {
			continue
		}
		sort.Slice(wg, func(x, y int) bool { return wg[x].d < wg[y].d || wg[x].d == wg[y].d && wg[x].i < wg[y].i })
		out = append(out, pts[wg[len(wg)/2].i])
	}
	return out
}

// facetHorizon fills f.Samples and f.Horizon (per-sector mean over the
// sample points of HorizonAt from the fitted plane + ObserverOffsetM).
// Averaging elevation angles over the points approximates averaging their
// shading; the points' spread is what captures a tree over one end of a roof.
func facetHorizon(dsm *raster.Grid, f *Facet, pix []orb.Point, o Options) {
	f.Samples = samplePoints(pix, f.Centroid, o.SamplesPerFacet)
	n := o.Sectors
	f.Horizon = make([]float64, n)
	tmp := make([]float64, n)
	for _, q := range f.Samples {
		z0 := f.a*q[0] + f.b*q[1] + f.c + o.ObserverOffsetM
		horizonInto(tmp, dsm, q[0], q[1], z0, o.HorizonRadiusM)
		for i := range tmp {
			f.Horizon[i] += tmp[i]
		}
	}
	for i := range f.Horizon {
		f.Horizon[i] /= float64(len(f.Samples))
	}
}
