package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	sf "github.com/peterstace/simplefeatures/geom"

	"github.com/gisement/gisement/geo/crs"
)

// All tests in this file use SYNTHETIC geometries placed on the Lambert-93
// central meridian (E = 700 000 m, 3° E), where grid north = true north
// (crs.Lambert93ConvergenceDeg = 0), so expected azimuths need no convergence correction.

const x0, y0 = 700000.0, 6600000.0

func rectFootprint(cx, cy, length, width, axisAzDeg float64) orb.MultiPolygon {
	a := axisAzDeg * math.Pi / 180
	ux, uy := math.Sin(a), math.Cos(a)  // along the long side
	vx, vy := math.Cos(a), -math.Sin(a) // perpendicular
	l, w := length/2, width/2
	r := orb.Ring{
		{cx - l*ux - w*vx, cy - l*uy - w*vy},
		{cx + l*ux - w*vx, cy + l*uy - w*vy},
		{cx + l*ux + w*vx, cy + l*uy + w*vy},
		{cx - l*ux + w*vx, cy - l*uy + w*vy},
	}
	r = append(r, r[0])
	return orb.MultiPolygon{{r}}
}

func synthBuilding(id string, mp orb.MultiPolygon, heightM float64) Building {
	return Building{ID: id, Footprint: mp, FootprintM2: mpArea(mp), Centroid: footprintCentroid(mp),
		HeightM: heightM, HeightSource: HeightFromAttribute, GroundAltM: math.NaN()}
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestConvergenceZeroOnCentralMeridian(t *testing.T) {
	if g := crs.Lambert93ConvergenceDeg(orb.Point{x0, 6500000}); math.Abs(g) > 1e-9 {
		t.Errorf("convergence on 3°E = %v, want 0", g)
	}
	// Périgueux, 0.72° E: γ = n(λ−3°) with n = sin(46.519°) ≈ 0.7256 (EPSG:2154), ≈ −1.65°.
	g := crs.Lambert93ConvergenceDeg(crs.LonLatToLambert93(orb.Point{0.72, 45.19}))
	if !near(g, 0.72562*(0.72-3), 0.01) {
		t.Errorf("convergence at Périgueux = %.4f°, want %.4f°", g, 0.72562*(0.72-3))
	}
}

func TestMinAreaRectangleRotated(t *testing.T) { // synthetic
	for _, az := range []float64{0, 30, 90, 135, 170} {
		r, ok := MinAreaRectangle(rectFootprint(x0, y0, 20, 10, az))
		if !ok {
			t.Fatal("no rectangle")
		}
		if !near(r.LengthM, 20, 1e-6) || !near(r.WidthM, 10, 1e-6) {
			t.Errorf("az %v: %v×%v, want 20×10", az, r.LengthM, r.WidthM)
		}
		want := math.Mod(az, 180)
		if d := math.Abs(r.AxisAzimuthDeg - want); d > 1e-6 && math.Abs(d-180) > 1e-6 {
			t.Errorf("axis %v, want %v", r.AxisAzimuthDeg, want)
		}
	}
}

func TestRoofPlanesPitchedEastWestRidge(t *testing.T) { // synthetic
	b := synthBuilding("a", rectFootprint(x0, y0, 20, 10, 90), 6) // ridge east–west
	o := DefaultRoofOptions()
	pl := RoofPlanes(&b, 0, o)
	if len(pl) != 2 || b.RoofType != RoofPitched || b.RoofTypeSource != RoofTypeFromRule {
		t.Fatalf("planes %d, roof %q/%q", len(pl), b.RoofType, b.RoofTypeSource)
	}
	cos30 := math.Cos(30 * math.Pi / 180)
	wantArea := 200.0 / 2 / cos30
	rise := 5 * math.Tan(30*math.Pi/180)
	azs := map[float64]bool{}
	for _, p := range pl {
		azs[math.Round(p.AzimuthDeg)] = true
		if !near(p.AreaM2, wantArea, 1e-6) || !near(p.TiltDeg, 30, 0) || !near(p.HeightM, 6+rise/2, 1e-9) {
			t.Errorf("plane %+v: want area %.3f, tilt 30, height %.3f", p, wantArea, 6+rise/2)
		}
		// setback 0.5 m on a 20 m × (5/cos30) m plane, then ×0.85
		slope := 5 / cos30
		wantU := wantArea * (19 * (slope - 1)) / (20 * slope) * 0.85
		if !near(p.UsableM2, wantU, 1e-6) {
			t.Errorf("usable %.3f, want %.3f", p.UsableM2, wantU)
		}
	}
	if !azs[180] || !azs[0] {
		t.Errorf("azimuths %v, want 180 (south) and 0 (north)", azs)
	}
	// The south plane's reference point is 2.5 m south of the ridge.
	for _, p := range pl {
		if math.Round(p.AzimuthDeg) == 180 && !near(p.Centroid[1], y0-2.5, 1e-6) {
			t.Errorf("south plane centroid %v, want y = %v", p.Centroid, y0-2.5)
		}
	}
}

func TestRoofPlanesFlatLarge(t *testing.T) { // synthetic
	b := synthBuilding("big", rectFootprint(x0, y0, 30, 30, 0), 9) // 900 m² > 500 m²
	pl := RoofPlanes(&b, 0, DefaultRoofOptions())
	if len(pl) != 1 || b.RoofType != RoofFlat {
		t.Fatalf("got %d planes, roof %q", len(pl), b.RoofType)
	}
	// Racks at the default 10° tilt: setback, obstructions, then the
	// ground coverage ratio 0.6.
	want := 900 * (29.0 * 29 / 900) * 0.85 * 0.6
	if !near(pl[0].UsableM2, want, 1e-6) || pl[0].TiltDeg != 10 || pl[0].AzimuthDeg != 180 || !near(pl[0].AreaM2, 900, 1e-6) {
		t.Errorf("flat plane %+v, want usable %.2f", pl[0], want)
	}
	// An attribute overrides the size rule.
	b2 := synthBuilding("big2", rectFootprint(x0, y0, 30, 30, 0), 9)
	b2.RoofType, b2.RoofTypeSource = RoofPitched, RoofTypeFromAttribute
	if n := len(RoofPlanes(&b2, 0, DefaultRoofOptions())); n != 2 {
		t.Errorf("pitched attribute: %d planes, want 2", n)
	}
}

func TestRoofPlanesLShape(t *testing.T) { // synthetic
	// L: 20×8 east–west bar plus an 8×12 wing going north from its west end.
	r := orb.Ring{{x0, y0}, {x0 + 20, y0}, {x0 + 20, y0 + 8}, {x0 + 8, y0 + 8}, {x0 + 8, y0 + 20}, {x0, y0 + 20}, {x0, y0}}
	b := synthBuilding("L", orb.MultiPolygon{{r}}, 6)
	if !near(b.FootprintM2, 160+96, 1e-9) {
		t.Fatalf("area %v", b.FootprintM2)
	}
	pl := RoofPlanes(&b, 0, DefaultRoofOptions())
	if len(pl) != 2 {
		t.Fatalf("%d planes", len(pl))
	}
	sum := pl[0].AreaM2 + pl[1].AreaM2
	if !near(sum, 256/math.Cos(30*math.Pi/180), 1e-6) {
		t.Errorf("inclined area %v", sum)
	}
	for _, p := range pl {
		if p.UsableM2 <= 0 || p.UsableM2 >= p.AreaM2 {
			t.Errorf("usable %v of %v", p.UsableM2, p.AreaM2)
		}
	}
}

func TestHorizonTallNeighbourDueSouth(t *testing.T) { // synthetic
	// Observer: flat 10×10 m roof at 5 m (plane reference point = centroid,
	// height 5 m). Neighbour: 10×10 m, 15 m high, whose north wall is 15 m
	// south of the observer's centroid. Expected: atan(10/15) = 33.69° in the
	// sector centred on 180° (index 24 of 48) and 0° in the northern half.
	obs := synthBuilding("obs", rectFootprint(x0, y0, 10, 10, 0), 5)
	nb := synthBuilding("nb", rectFootprint(x0, y0-20, 10, 10, 0), 15)
	bs := []Building{obs, nb}
	ix := IndexBuildings(bs)
	pl := RoofPlane{BuildingIdx: 0, Centroid: obs.Centroid, HeightM: 5}
	h := NeighbourHorizon(bs, ix, 0, &pl, DefaultHorizonOptions())
	want := math.Atan2(10, 15) * 180 / math.Pi
	if !near(h[24], want, 1e-9) {
		t.Errorf("south sector %.4f°, want %.4f°", h[24], want)
	}
	// The wall spans ±18.4° around south: sectors 22..26 (165..195°) see it.
	for k := 22; k <= 26; k++ {
		if h[k] <= 0 {
			t.Errorf("sector %d (%v°) empty", k, float64(k)*7.5)
		}
	}
	for k := 0; k < 48; k++ {
		if (k < 20 || k > 28) && h[k] != 0 {
			t.Errorf("sector %d (%v°) = %v, want 0", k, float64(k)*7.5, h[k])
		}
	}
	// A lower neighbour casts nothing.
	bs[1].HeightM = 4
	h = NeighbourHorizon(bs, ix, 0, &pl, DefaultHorizonOptions())
	for k, v := range h {
		if v != 0 {
			t.Errorf("lower neighbour: sector %d = %v", k, v)
		}
	}
	// Beyond the radius: nothing.
	bs[1].HeightM = 15
	o := DefaultHorizonOptions()
	o.RadiusM = 10
	h = NeighbourHorizon(bs, ix, 0, &pl, o)
	if h[24] != 0 {
		t.Errorf("radius 10 m: south sector %v, want 0", h[24])
	}
}

func TestHorizonLongWallBetweenVertices(t *testing.T) { // synthetic
	// A 200 m long, 20 m high wall 10 m east of the observer: the centre ray
	// of every sector between 7.5° and 172.5° ... only those within the radius
	// see it; the east sector (90°) must get atan(15/10) although the wall's
	// vertices are 100 m away.
	obs := synthBuilding("obs", rectFootprint(x0, y0, 4, 4, 0), 5)
	wall := synthBuilding("wall", rectFootprint(x0+12, y0, 200, 4, 0), 20)
	bs := []Building{obs, wall}
	pl := RoofPlane{BuildingIdx: 0, Centroid: obs.Centroid, HeightM: 5}
	h := NeighbourHorizon(bs, IndexBuildings(bs), 0, &pl, DefaultHorizonOptions())
	if want := math.Atan2(15, 10) * 180 / math.Pi; !near(h[12], want, 1e-9) {
		t.Errorf("east sector %.3f, want %.3f", h[12], want)
	}
	// Sector centred on 45°: ray hits x = 10 at distance 10/sin45.
	if want := math.Atan2(15, 10/math.Sin(math.Pi/4)) * 180 / math.Pi; !near(h[6], want, 1e-9) {
		t.Errorf("45° sector %.3f, want %.3f", h[6], want)
	}
}

func TestOverlapAreaMatchesOverlay(t *testing.T) { // synthetic
	sq := func(x, y, s float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}}}
	}
	L := orb.MultiPolygon{{{{0, 0}, {20, 0}, {20, 8}, {8, 8}, {8, 20}, {0, 20}, {0, 0}}}}
	holed := orb.MultiPolygon{{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {{4, 4}, {4, 6}, {6, 6}, {6, 4}, {4, 4}}}}
	cases := []struct {
		name string
		a, b orb.MultiPolygon
		want float64
	}{
		{"squares quarter", sq(0, 0, 10), sq(5, 5, 10), 25},
		{"disjoint", sq(0, 0, 10), sq(20, 0, 5), 0},
		{"contained", sq(0, 0, 10), sq(2, 2, 3), 9},
		{"concave L vs square", L, sq(5, 5, 10), 10*3 + 3*7},
		{"square vs concave L", sq(5, 5, 10), L, 10*3 + 3*7},
		{"hole", holed, sq(3, 3, 4), 16 - 4},
		{"shared edge", sq(0, 0, 10), sq(10, 0, 10), 0},
	}
	var buf [2][]orb.Point
	for _, c := range cases {
		var got float64
		got, buf = overlapArea(c.a, c.b, buf)
		a, _ := toSF(c.a, false)
		b, _ := toSF(c.b, false)
		in, err := sf.Intersection(a, b)
		if err != nil {
			t.Fatal(err)
		}
		if !near(got, c.want, 1e-9) || !near(in.Area(), c.want, 1e-9) {
			t.Errorf("%s: got %v, overlay %v, want %v", c.name, got, in.Area(), c.want)
		}
	}
}

func TestAssignAndRecoverIDs(t *testing.T) { // synthetic
	p1 := Parcel{Geometry: orb.MultiPolygon{{{{0, 0}, {20, 0}, {20, 20}, {0, 20}, {0, 0}}}}}
	p2 := Parcel{Geometry: orb.MultiPolygon{{{{20, 0}, {40, 0}, {40, 20}, {20, 20}, {20, 0}}}}}
	p3 := Parcel{Geometry: orb.MultiPolygon{{{{100, 0}, {120, 0}, {120, 20}, {100, 20}, {100, 0}}}}}
	shift := func(mp orb.MultiPolygon) orb.MultiPolygon {
		for _, pg := range mp {
			for _, r := range pg {
				for i := range r {
					r[i][0] += x0
					r[i][1] += y0
				}
			}
		}
		return mp
	}
	ps := []Parcel{p1, p2, p3}
	for i := range ps {
		ps[i].Geometry = shift(ps[i].Geometry)
	}
	// b0 straddles, 3/4 in p2; b1 inside p1; b2 inside p1 with another ref; b3 outside all.
	bs := []Building{
		synthBuilding("b0", rectFootprint(x0+25, y0+10, 20, 4, 90), 5),
		synthBuilding("b1", rectFootprint(x0+5, y0+5, 4, 4, 0), 5),
		synthBuilding("b2", rectFootprint(x0+12, y0+12, 4, 4, 0), 5),
		synthBuilding("b3", rectFootprint(x0+60, y0+60, 4, 4, 0), 5),
	}
	bs[0].ParcelRef, bs[1].ParcelRef, bs[2].ParcelRef = "24322000AB0002", "24322000AB0001", "24322000AB0001"
	rep := AssignBuildings(bs, ps, IndexParcels(ps))
	if bs[0].ParcelID != "24322000AB0002" || bs[1].ParcelID != "24322000AB0001" || bs[3].ParcelID != "" {
		t.Errorf("assignment %q %q %q %q", bs[0].ParcelID, bs[1].ParcelID, bs[2].ParcelID, bs[3].ParcelID)
	}
	if rep.Assigned != 3 || rep.IDsRecovered != 2 || rep.IDsFromGeometry != 1 || rep.Conflicts != 0 {
		t.Errorf("report %+v", rep)
	}
	if ps[2].IDSource != IDFromGeometry || ps[2].ID != GeometryID(ps[2].Geometry) || ps[2].ID[0] != 'G' {
		t.Errorf("geometry id %q (%s)", ps[2].ID, ps[2].IDSource)
	}
}

func TestTerrainCombinedByMax(t *testing.T) { // synthetic terrain function
	obs := synthBuilding("obs", rectFootprint(x0+100, y0+100, 10, 10, 0), 5)
	nb := synthBuilding("nb", rectFootprint(x0+100, y0+80, 10, 10, 0), 15)
	tr := &Territory{Buildings: []Building{obs, nb}}
	calls := 0
	ho := DefaultHorizonOptions()
	ho.Terrain = func(x, y float64) []float64 {
		calls++
		h := make([]float64, 48)
		for k := range h {
			h[k] = 5 // a uniform 5° terrain skyline
		}
		return h
	}
	tr.ComputePlanes(DefaultRoofOptions(), ho)
	for _, p := range tr.BuildingPlanes(0) {
		if p.Horizon.ElevationDeg[0] != 5 || p.Horizon.ElevationDeg[24] <= 5 {
			t.Errorf("plane %v: north %v south %v", p.AzimuthDeg, p.Horizon.ElevationDeg[0], p.Horizon.ElevationDeg[24])
		}
	}
	if calls != 1 { // both buildings in one 250 m cell
		t.Errorf("terrain called %d times, want 1 (cached per cell)", calls)
	}
}

func TestIsIDU(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"24322000AE0037", true},  // SOURCES.md example (Périgueux, section AE)
		{"91216000AC0389", true},  // Etalab 91216 parcel
		{"2A004000B01234", true},  // Corsica (2A004), prefix 000, section "B0", number 1234
		{"2A0040000B1234", true},  // Corsica département code with section "0B"
		{"uf243220171178", false}, // BDNB unité foncière group id
		{"24322000AE003", false},  // 13 characters
		{"24322000ae0037", false}, // lower-case section
	} {
		if got := IsIDU(c.s); got != c.want {
			t.Errorf("IsIDU(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

// TestRoofPlanesBuildingPitch: a building's own pitch (a study's regional
// default, or an attribute) replaces RoofOptions.PitchDeg, in the planes and
// in the ridge height its neighbours see; PitchSource records which.
func TestRoofPlanesBuildingPitch(t *testing.T) { // synthetic
	o := DefaultRoofOptions()
	b := synthBuilding("a", rectFootprint(x0, y0, 20, 10, 90), 6)
	for _, p := range RoofPlanes(&b, 0, o) {
		if p.TiltDeg != o.PitchDeg || p.PitchSource != PitchFromOptions {
			t.Errorf("no pitch of its own: tilt %v source %q, want %v %q", p.TiltDeg, p.PitchSource, o.PitchDeg, PitchFromOptions)
		}
	}
	b.RoofPitchDeg, b.RoofPitchSource = 20, PitchRegional
	cos20 := math.Cos(20 * math.Pi / 180)
	for _, p := range RoofPlanes(&b, 0, o) {
		if p.TiltDeg != 20 || p.PitchSource != PitchRegional || !near(p.AreaM2, 100/cos20, 1e-9) ||
			!near(p.HeightM, 6+5*math.Tan(20*math.Pi/180)/2, 1e-9) {
			t.Errorf("regional 20°: %+v", p)
		}
	}
	if top := roofTopOf(&b, o); !near(top.ridgeH, 6+5*math.Tan(20*math.Pi/180), 1e-9) {
		t.Errorf("ridge height %.3f, want %.3f", top.ridgeH, 6+5*math.Tan(20*math.Pi/180))
	}
	f := synthBuilding("f", rectFootprint(x0, y0, 40, 30, 0), 6) // 1,200 m² > FlatAboveM2: flat
	f.RoofPitchDeg, f.RoofPitchSource = 20, PitchRegional
	for _, p := range RoofPlanes(&f, 0, o) {
		if p.TiltDeg != o.FlatTiltDeg || p.PitchSource != PitchFlat {
			t.Errorf("flat roof: tilt %v source %q, want the rack tilt %v, %q", p.TiltDeg, p.PitchSource, o.FlatTiltDeg, PitchFlat)
		}
	}
}
