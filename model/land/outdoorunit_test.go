package land

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func rect(x0, y0, x1, y1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
}

// A 20 m × 20 m parcel with a 10 m × 10 m house in the middle: shrunk by 3 m
// the parcel is 14 × 14 = 196 m², minus the house 100 m² → 96 m².
// A 5 m × 5 m parcel shrunk by 3 m is empty.
func TestSiteOutdoorUnit(t *testing.T) {
	s, err := SiteOutdoorUnit(rect(0, 0, 20, 20), []orb.MultiPolygon{rect(5, 5, 15, 15)}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !s.OK || math.Abs(s.CandidateAreaM2-96) > 1e-6 {
		t.Errorf("20×20: %+v, want 96 m²", s)
	}
	s, err = SiteOutdoorUnit(rect(0, 0, 5, 5), nil, 3)
	if err != nil || s.OK {
		t.Errorf("5×5: %+v %v, want not OK", s, err)
	}
	// House filling the shrunk parcel: no room.
	s, _ = SiteOutdoorUnit(rect(0, 0, 20, 20), []orb.MultiPolygon{rect(2, 2, 18, 18)}, 3)
	if s.OK {
		t.Errorf("house filling the parcel: %+v", s)
	}
	bow := orb.MultiPolygon{{{{0, 0}, {10, 10}, {10, 0}, {0, 10}, {0, 0}}}}
	if _, err := SiteOutdoorUnit(bow, nil, 1); err == nil {
		t.Error("self-intersecting parcel accepted")
	}
}
