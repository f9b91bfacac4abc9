package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// TestPlaneFootprint: the two planes of a pitched 20 m × 10 m building
// cover each half of the footprint, on the side they face; a flat roof
// covers it all; an L-shaped (concave) footprint is split with its area kept.
func TestPlaneFootprint(t *testing.T) {
	o := DefaultRoofOptions()
	for _, fp := range []orb.MultiPolygon{
		{{{{520000, 6450000}, {520020, 6450000}, {520020, 6450010}, {520000, 6450010}, {520000, 6450000}}}},
		{{{{520000, 6450000}, {520030, 6450000}, {520030, 6450010}, {520010, 6450010}, {520010, 6450030}, {520000, 6450030}, {520000, 6450000}}}},
	} {
		c0, _ := planar.CentroidArea(fp)
		b := &Building{Footprint: fp, FootprintM2: planar.Area(fp), Centroid: c0, RoofType: RoofPitched, RoofTypeSource: RoofTypeFromAttribute}
		planes := RoofPlanes(b, 0, o)
		if len(planes) != 2 {
			t.Fatalf("%d planes, want 2", len(planes))
		}
		sum := 0.0
		for _, p := range planes {
			part := PlaneFootprint(b, p)
			a := planar.Area(part)
			sum += a
			if a <= 0 || a >= b.FootprintM2 {
				t.Errorf("plane az %.0f: part %.1f m² of %.1f", p.AzimuthDeg, a, b.FootprintM2)
			}
			// The part lies on the side the plane faces: its centroid is
			// displaced from the building's in the facing direction.
			c, _ := planar.CentroidArea(part)
			az := (p.AzimuthDeg) * math.Pi / 180
			if d := (c[0]-b.Centroid[0])*math.Sin(az) + (c[1]-b.Centroid[1])*math.Cos(az); d <= 0 {
				t.Errorf("plane az %.0f: part centroid %v not on its side of %v", p.AzimuthDeg, c, b.Centroid)
			}
		}
		if math.Abs(sum-b.FootprintM2) > 1e-6*b.FootprintM2 {
			t.Errorf("parts sum to %.3f m², footprint %.3f", sum, b.FootprintM2)
		}
	}
	flat := &Building{Footprint: orb.MultiPolygon{{{{0, 0}, {40, 0}, {40, 30}, {0, 30}, {0, 0}}}}, RoofType: RoofFlat}
	if got := PlaneFootprint(flat, RoofPlane{}); planar.Area(got) != 1200 {
		t.Errorf("flat roof part %.1f m², want the whole 1200", planar.Area(got))
	}
}
