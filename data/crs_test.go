package data

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// TestToFromWGS84: round trip of a Lambert-93 parcel through lon/lat, the
// SRID checks, and the densified bbox conversion.
func TestToFromWGS84(t *testing.T) {
	sq := orb.Polygon{{{521000, 6456000}, {521100, 6456000}, {521100, 6456100}, {521000, 6456100}, {521000, 6456000}}}
	ll, err := ToWGS84(sq, SRIDLambert93)
	if err != nil {
		t.Fatal(err)
	}
	back, err := FromWGS84(ll, SRIDLambert93)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range back.(orb.Polygon)[0] {
		if d := math.Hypot(p[0]-sq[0][i][0], p[1]-sq[0][i][1]); d > 1e-6 {
			t.Errorf("vertex %d: round trip off by %g m", i, d)
		}
	}
	if sq[0][0][0] != 521000 {
		t.Error("ToWGS84 modified its input")
	}
	if _, err := ToWGS84(sq, 3857); err == nil {
		t.Error("SRID 3857 accepted")
	}
	b, err := BoundFromWGS84(ll.Bound(), SRIDLambert93)
	if err != nil || !b.Contains(sq.Bound().Min) || !b.Contains(sq.Bound().Max) || b.Max[0]-b.Min[0] > 106 { // 100·(cos γ + sin γ)², γ = −1.65°
		t.Errorf("bbox %v, %v", b, err)
	}
	if _, err := BoundFromWGS84(orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{0, 0}}, SRIDLambert93); err == nil {
		t.Error("inverted bbox accepted")
	}
}

func BenchmarkToWGS84(b *testing.B) {
	sq := orb.Polygon{{{521000, 6456000}, {521100, 6456000}, {521100, 6456100}, {521000, 6456100}, {521000, 6456000}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ToWGS84(sq, SRIDLambert93); err != nil {
			b.Fatal(err)
		}
	}
}
