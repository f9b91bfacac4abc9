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

// gridSamples picks a facet's observer points on a regular grid of its
// pixels: the pixels whose window column and row are multiples of a step of
// round(spacingM / cell) cells (at least 1), the step being enlarged until
// at most maxN points remain, so the cost per facet is bounded whatever its
// size. A facet too thin or irregular for the grid (no pixel on it) falls
// back on every ⌈n/maxN⌉-th of its pixels. px holds the facet's pixels as
// window (column, row) pairs, pts their centres, in the same order.
func gridSamples(pts []orb.Point, px [][2]int, cellM, spacingM float64, maxN int) []orb.Point {
	if len(pts) == 0 {
		return nil
	}
	s := max(1, int(math.Round(spacingM/cellM)))
	count := func(s int) int {
		n := 0
		for _, q := range px {
			if q[0]%s == 0 && q[1]%s == 0 {
				n++
			}
		}
		return n
	}
	n := count(s)
	for n > maxN {
		s++
		n = count(s)
	}
	if n == 0 {
		st := (len(pts) + maxN - 1) / maxN
		out := make([]orb.Point, 0, maxN)
		for i := 0; i < len(pts); i += st {
			out = append(out, pts[i])
		}
		return out
	}
	out := make([]orb.Point, 0, n)
	for i, q := range px {
		if q[0]%s == 0 && q[1]%s == 0 {
			out = append(out, pts[i])
		}
	}
	return out
}

// horizonProfiles compresses the horizons hs of N sample points (each of
// n sectors) into k equal-weight profiles whose mean irradiation equals the
// mean of the points' irradiation: in each sector the N elevations are
// sorted and cut into k consecutive groups of N/k points (fractional
// weights at the cuts), profile q holding the mean of group q. Why this
// keeps the irradiation: at a time step the beam (and circumsolar) reaching
// a point depends only on its horizon in the sun's sector, so the fraction
// of the facet in shadow is the share of points whose elevation there
// exceeds the sun's — a property of the per-sector distribution, not of
// which point holds which value; the isotropic sky-view loss is likewise a
// sum over sectors. Sorting sector by sector therefore changes nothing but
// the pairing of neighbouring sectors (which the horizon's linear
// interpolation between sector centres mixes), and the k groups quantise
// the distribution (k = N is exact). With k ≥ N the sorted horizons are
// returned as they are.
func horizonProfiles(hs [][]float64, k int) [][]float64 {
	N := len(hs)
	if N == 0 {
		return nil
	}
	n := len(hs[0])
	k = min(k, N)
	out := make([][]float64, k)
	for q := range out {
		out[q] = make([]float64, n)
	}
	col := make([]float64, N)
	w := float64(N) / float64(k) // points per profile
	for i := 0; i < n; i++ {
		for j := range hs {
			col[j] = hs[j][i]
		}
		sort.Float64s(col)
		for q := 0; q < k; q++ {
			lo, hi := float64(q)*w, float64(q+1)*w
			sum := 0.0
			for j := int(lo); j < N && float64(j) < hi; j++ {
				// overlap of point j's unit interval [j, j+1) with [lo, hi)
				ov := math.Min(hi, float64(j+1)) - math.Max(lo, float64(j))
				if ov > 0 {
					sum += ov * col[j]
				}
			}
			out[q][i] = sum / w
		}
	}
	return out
}

// facetHorizon fills f.Samples (gridSamples of pix, the facet's usable
// pixels: every SampleSpacingM, at most SamplesPerFacet points), f.HorizonProfiles (horizonProfiles of the points'
// horizons, HorizonProfiles of them), f.Horizon (the per-sector mean) and
// f.HorizonMin (the per-sector minimum: the sky blocked at every point,
// which pv.RoofPVOf compares with the mean for the mismatch loss of
// partial shading, as for modelled planes).
// Each point's horizon is HorizonAt from the fitted plane + ObserverOffsetM
// at the point. The facet's irradiation is the MEAN of the irradiation under
// each profile, i.e. of the points' irradiation, as GRASS r.sun's mean over a
// roof's cells; the irradiation under the mean horizon is not the same:
// a tree over one end of a roof shades that end deeply and the rest not at
// all, which the mean elevation smears into a shallow skyline over the
// whole roof.
func facetHorizon(dsm *raster.Grid, f *Facet, pix []orb.Point, px [][2]int, o Options) {
	f.Samples = gridSamples(pix, px, dsm.PixelSizeX, o.SampleSpacingM, o.SamplesPerFacet)
	n := o.Sectors
	f.Horizon = make([]float64, n)
	f.HorizonMin = make([]float64, n)
	hs := make([][]float64, len(f.Samples))
	for j, q := range f.Samples {
		z0 := f.a*q[0] + f.b*q[1] + f.c + o.ObserverOffsetM
		hs[j] = make([]float64, n)
		horizonInto(hs[j], dsm, q[0], q[1], z0, o.HorizonRadiusM)
		for i, v := range hs[j] {
			f.Horizon[i] += v / float64(len(f.Samples))
			if j == 0 || v < f.HorizonMin[i] {
				f.HorizonMin[i] = v
			}
		}
	}
	f.HorizonProfiles = horizonProfiles(hs, o.HorizonProfiles)
}
