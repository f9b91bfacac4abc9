package api

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/geo"
)

// This file bounds what one request may cost: the zone and study-area
// geometry (vertex cap, clipping to Lambert-93's domain, edge densification),
// the number of heavy requests computed at once (zones, bbox listings,
// exports, study submissions), and the coverage of /v1/pvcalc.

// lambert93Domain is the area of use of EPSG:2154 (RGF93 v1 / Lambert-93),
// lon/lat degrees: "France - onshore and offshore, mainland and Corsica"
// (EPSG Geodetic Parameter Dataset, extent code 1096: 41.15–51.56 °N,
// 9.86 °W–10.38 °E). Zones and study areas are clipped to it in lon/lat
// before being projected; outside it the projection's scale error grows
// without bound (and the poles have no image).
var lambert93Domain = orb.Bound{Min: orb.Point{-9.86, 41.15}, Max: orb.Point{10.38, 51.56}}

// densifyStepDeg is the longest zone edge (degrees) projected as a straight
// segment: a straight lon/lat edge is curved in Lambert-93, and projecting
// only its ends would cut the curve by its sagitta, L²/(8R) with R the
// radius of the projected parallel (≥ 5,000 km over France): ≈ 0.4 m for a
// 0.05° (≈ 4 to 5.5 km) edge, below the accuracy of cadastral outlines.
const densifyStepDeg = 0.05

// maxDensifiedVertices bounds the zone after densification: a zone whose
// edges are so long in total that the 0.05° step would exceed it is
// densified with a longer step (the sagitta grows as the square of the step,
// but such zones span the whole country, where it stays under 10 m).
const maxDensifiedVertices = 200_000

// prepareArea clips a lon/lat zone or study area to Lambert-93's domain and
// densifies its edges, so that projecting it vertex by vertex gives the
// right area: a whole-world polygon becomes the domain (every parcel of a
// French study is inside it) instead of five projected corners enclosing
// nothing. A zone entirely outside the domain is a 422 naming the domain.
func prepareArea(g orb.Geometry, field string) (orb.Geometry, error) {
	var mp orb.MultiPolygon
	switch x := g.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{x}
	case orb.MultiPolygon:
		mp = x
	default:
		return g, nil
	}
	b := mp.Bound()
	if !b.Intersects(lambert93Domain) {
		return nil, problem(http.StatusUnprocessableEntity, "Zone outside the served territory",
			fmt.Sprintf("%s: bounds [%g, %g, %g, %g] are outside Lambert-93's domain (EPSG:2154: lon %g to %g, lat %g to %g): no French study covers it",
				field, b.Min[0], b.Min[1], b.Max[0], b.Max[1], lambert93Domain.Min[0], lambert93Domain.Max[0], lambert93Domain.Min[1], lambert93Domain.Max[1]))
	}
	if !contains(lambert93Domain, b) {
		mp = clipPolygons(lambert93Domain, mp)
		if len(mp) == 0 {
			return nil, problem(http.StatusUnprocessableEntity, "Zone outside the served territory",
				fmt.Sprintf("%s: no part of the zone is inside Lambert-93's domain (lon %g to %g, lat %g to %g)",
					field, lambert93Domain.Min[0], lambert93Domain.Max[0], lambert93Domain.Min[1], lambert93Domain.Max[1]))
		}
	}
	mp = densify(mp)
	if _, ok := g.(orb.Polygon); ok && len(mp) == 1 {
		return mp[0], nil
	}
	return mp, nil
}

func contains(outer, inner orb.Bound) bool {
	return inner.Min[0] >= outer.Min[0] && inner.Min[1] >= outer.Min[1] && inner.Max[0] <= outer.Max[0] && inner.Max[1] <= outer.Max[1]
}

// clipPolygons clips every polygon to the box with orb/clip (Sutherland–
// Hodgman against the box edges) and drops rings left with no area.
func clipPolygons(b orb.Bound, mp orb.MultiPolygon) orb.MultiPolygon {
	var out orb.MultiPolygon
	for _, p := range clip.MultiPolygon(b, mp.Clone()) {
		var q orb.Polygon
		for i, r := range p {
			if len(r) < 4 || math.Abs(planarArea(r)) == 0 {
				if i == 0 {
					break // the outer ring vanished: so does the polygon
				}
				continue
			}
			if r[0] != r[len(r)-1] {
				r = append(r, r[0])
			}
			q = append(q, r)
		}
		if len(q) > 0 {
			out = append(out, q)
		}
	}
	return out
}

// planarArea is the shoelace area of a ring in its own units (only its
// sign and nullity are used here).
func planarArea(r orb.Ring) float64 {
	var a float64
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a / 2
}

// densify inserts points along edges longer than the step (linear in
// lon/lat), the step being densifyStepDeg or longer for huge zones
// (maxDensifiedVertices).
func densify(mp orb.MultiPolygon) orb.MultiPolygon {
	n, extra := 0, 0.0
	for _, p := range mp {
		for _, r := range p {
			n += len(r)
			for i := 0; i+1 < len(r); i++ {
				extra += math.Floor(edgeLen(r[i], r[i+1]) / densifyStepDeg)
			}
		}
	}
	if extra == 0 {
		return mp
	}
	step := densifyStepDeg
	if budget := float64(maxDensifiedVertices - n); extra > budget {
		step *= extra / math.Max(budget, 1)
	}
	out := make(orb.MultiPolygon, len(mp))
	for pi, p := range mp {
		out[pi] = make(orb.Polygon, len(p))
		for ri, r := range p {
			d := make(orb.Ring, 0, len(r))
			for i := 0; i+1 < len(r); i++ {
				a, b := r[i], r[i+1]
				d = append(d, a)
				if k := int(edgeLen(a, b) / step); k > 0 {
					for j := 1; j <= k; j++ {
						t := float64(j) / float64(k+1)
						d = append(d, orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])})
					}
				}
			}
			out[pi][ri] = append(d, r[len(r)-1])
		}
	}
	return out
}

func edgeLen(a, b orb.Point) float64 { return math.Hypot(b[0]-a[0], b[1]-a[1]) }

// areaKm2 is the geodesic (spherical) area of a lon/lat polygon or
// multipolygon, km² (orb/geo.Area, WGS 84 mean radius).
func areaKm2(g orb.Geometry) float64 { return math.Abs(geo.Area(g)) / 1e6 }

// heavyLimiter bounds the requests of one class computed at once: a request
// waits at most wait for a slot, with at most queue requests waiting;
// beyond, it is refused at once with 503 and Retry-After, so that cheap
// requests (cached parcel lookups, tiles) keep their cores.
type heavyLimiter struct {
	name  string
	slots chan struct{}
	queue chan struct{}
	wait  time.Duration
}

func newHeavyLimiter(name string, slots int, wait time.Duration) *heavyLimiter {
	slots = max(slots, 1)
	return &heavyLimiter{name: name, slots: make(chan struct{}, slots), queue: make(chan struct{}, 2*slots), wait: wait}
}

// acquire takes a slot or returns the 503 problem; release must be called
// after a nil error.
func (h *heavyLimiter) acquire(ctx context.Context, c *echo.Context) (func(), error) {
	select {
	case h.slots <- struct{}{}:
		return func() { <-h.slots }, nil
	default:
	}
	select {
	case h.queue <- struct{}{}:
	default:
		return nil, h.busy(c)
	}
	defer func() { <-h.queue }()
	t := time.NewTimer(h.wait)
	defer t.Stop()
	select {
	case h.slots <- struct{}{}:
		return func() { <-h.slots }, nil
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, h.busy(c)
}

func (h *heavyLimiter) busy(c *echo.Context) error {
	c.Response().Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(h.wait.Seconds())))))
	return problem(http.StatusServiceUnavailable, "Busy",
		fmt.Sprintf("%d %s requests are already being computed (the server's limit, which keeps lookups fast); retry after the delay in Retry-After", cap(h.slots), h.name))
}

// DefaultHeavyConcurrency is the default number of heavy requests (zone
// summaries, exports, study submissions) computed at once: half the
// processors, at least one, so that the other half answers lookups and tiles.
func DefaultHeavyConcurrency() int { return max(1, runtime.GOMAXPROCS(0)/2) }

// limitHeavy is the middleware of the heavy request classes: POST
// /v1/zones/summary, POST /v1/studies and GeoPackage exports share the heavy
// limiter; bbox listings of GET /v1/parcels and /v1/buildings have their own, wider one.
func (s *Server) limitHeavy(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		var l *heavyLimiter
		switch c.Path() {
		case "/v1/zones/summary", "/v1/studies":
			if c.Request().Method == http.MethodPost {
				l = s.heavy
			}
		case "/v1/parcels", "/v1/buildings":
			switch {
			case wantsGPKG(c):
				l = s.heavy
			case c.QueryParam("bbox") != "":
				l = s.bbox
			}
		}
		if l == nil {
			return next(c)
		}
		release, err := l.acquire(c.Request().Context(), c)
		if err != nil {
			return err
		}
		defer release()
		return runNiced(func() error { return next(c) }) // nice_linux.go
	}
}

// maxPVCalcDistanceM is how far from the nearest point of the irradiation
// field (a commune centre) /v1/pvcalc answers: communes of metropolitan
// France are about 4 km apart on average (≈ 35,000 communes over
// 550,000 km²), so 20 km is well inside the field along coasts and borders,
// and beyond it the inverse-distance field would extrapolate.
const maxPVCalcDistanceKm = 20

// checkPVCalcCoverage refuses (422) a point outside the coverage of the
// irradiation field scaling /v1/pvcalc: outside Lambert-93's domain (where
// the field's distances are not defined) or farther than
// maxPVCalcDistanceKm from the nearest field point. Without a field there
// is nothing to check.
func (s *Server) checkPVCalcCoverage(latDeg, lonDeg float64) error {
	f := s.o.Irradiation
	if f == nil {
		return nil
	}
	pt := orb.Point{lonDeg, latDeg}
	if !lambert93Domain.Contains(pt) {
		return problem(http.StatusUnprocessableEntity, "Outside coverage",
			fmt.Sprintf("lat %g, lon %g is outside the irradiation field's coverage (metropolitan France: lat %g to %g, lon %g to %g)",
				latDeg, lonDeg, lambert93Domain.Min[1], lambert93Domain.Max[1], lambert93Domain.Min[0], lambert93Domain.Max[0]))
	}
	nb := f.Neighbours(lonDeg, latDeg, 1)
	if len(nb) == 0 || !(nb[0].DistanceKm <= maxPVCalcDistanceKm) {
		d := math.Inf(1)
		if len(nb) > 0 {
			d = nb[0].DistanceKm
		}
		return problem(http.StatusUnprocessableEntity, "Outside coverage",
			fmt.Sprintf("lat %g, lon %g is %.0f km from the nearest point of the irradiation field (limit %d km): outside its coverage",
				latDeg, lonDeg, d, maxPVCalcDistanceKm))
	}
	return nil
}
