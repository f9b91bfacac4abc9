package crs

import (
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestToLambert93KnownPoints(t *testing.T) {
	to, err := ToLambert93(EPSG4326)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		lon, lat float64
		e, n     float64
		tolM     float64
	}{
		// Projection origin: EPSG:2154 definition (lat0 46.5°, lon0 3°, FE 700000, FN 6600000): exact.
		{"origin", 3, 46.5, 700000, 6600000, 0.001},
		// Expected values from PROJ 9.1.1 (Debian proj-data), command:
		// printf 'lon lat\n' | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:2154 -output_xy
		{"Paris", 2.3499, 48.8530, 652296.973146007, 6861636.3585152, 0.01},
		{"Périgueux", 0.7218, 45.1847, 521095.927345596, 6456513.19566047, 0.01},
		{"Nice", 7.2620, 43.7102, 1043410.15972234, 6299400.04297283, 0.01},
		{"Brest", -4.4860, 48.3904, 146640.348294778, 6836261.62586308, 0.01},
		{"Strasbourg", 7.7521, 48.5734, 1050362.69535793, 6840899.64718803, 0.01},
		{"Corsica", 9.45, 42.3, 1232176.76636602, 6155071.37630375, 0.01},
	}
	from, _ := FromLambert93(EPSG4326)
	for _, c := range cases {
		p := to(orb.Point{c.lon, c.lat})
		if d := math.Hypot(p[0]-c.e, p[1]-c.n); d > c.tolM {
			t.Errorf("%s: got %.4f %.4f, want %.4f %.4f (%.4f m)", c.name, p[0], p[1], c.e, c.n, d)
		}
		back := from(p)
		if math.Abs(back[0]-c.lon) > 1e-9 || math.Abs(back[1]-c.lat) > 1e-9 {
			t.Errorf("%s: round trip %v", c.name, back)
		}
	}
	// Web Mercator → Lambert-93, PROJ 9.1.1: gdaltransform -s_srs EPSG:3857 -t_srs EPSG:2154.
	wm, err := ToLambert93(EPSG3857)
	if err != nil {
		t.Fatal(err)
	}
	p := wm(orb.Point{261593.5, 6250500.25})
	if d := math.Hypot(p[0]-652302.445430027, p[1]-6861994.49997851); d > 0.01 {
		t.Errorf("3857: %v (%.4f m)", p, d)
	}
	if _, err := ToLambert93(27572); !errors.Is(err, ErrUnsupported) {
		t.Errorf("27572: %v", err)
	}
}

func TestDetectAndCheckBounds(t *testing.T) {
	deg := orb.Bound{Min: orb.Point{0.675, 45.17}, Max: orb.Point{0.746, 45.21}}
	l93 := orb.Bound{Min: orb.Point{517357, 6455314.5}, Max: orb.Point{523088.5, 6459818.1}}
	wm := orb.Bound{Min: orb.Point{-600000, 5000000}, Max: orb.Point{-500000, 5100000}} // Spain in Web Mercator
	if c, ok := Detect(deg); !ok || c != 4326 {
		t.Errorf("degrees → %d %v", c, ok)
	}
	if c, ok := Detect(l93); !ok || c != 2154 {
		t.Errorf("l93 → %d %v", c, ok)
	}
	if _, ok := Detect(wm); ok {
		t.Error("Web Mercator outside Lambert-93 domain should not be guessed")
	}
	for _, c := range []struct {
		epsg int
		b    orb.Bound
		want error
	}{
		{2154, deg, ErrMismatch}, {2154, l93, nil}, {4326, l93, ErrMismatch}, {4326, deg, nil},
		{3857, deg, ErrMismatch}, {3857, wm, nil}, {27572, l93, ErrUnsupported},
		{4326, orb.Bound{Min: orb.Point{math.NaN(), 0}, Max: orb.Point{1, 1}}, ErrMismatch},
	} {
		if err := CheckBounds(c.epsg, c.b); !errors.Is(err, c.want) || (c.want == nil && err != nil) {
			t.Errorf("CheckBounds(%d, %v) = %v, want %v", c.epsg, c.b, err, c.want)
		}
	}
}

func TestParseName(t *testing.T) {
	for name, want := range map[string]int{
		"urn:ogc:def:crs:EPSG::2154": 2154, "urn:ogc:def:crs:EPSG:6.6:2154": 2154, "EPSG:2154": 2154,
		"epsg:4326": 4326, "urn:ogc:def:crs:OGC:1.3:CRS84": 4326, "urn:ogc:def:crs:OGC::CRS84": 4326,
		"http://www.opengis.net/def/crs/EPSG/0/3857": 3857, "EPSG:4171": 4171,
	} {
		if got, err := ParseName(name); err != nil || got != want {
			t.Errorf("%s → %d, %v", name, got, err)
		}
	}
	for _, bad := range []string{"EPSG:27572", "urn:ogc:def:crs:EPSG::32631", "", "Lambert 93"} {
		if _, err := ParseName(bad); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestParsePRJ(t *testing.T) {
	cases := []struct {
		wkt  string
		want int
	}{
		// ESRI WKT as written by GDAL 3.6 for EPSG:2154 (testdata/*.prj).
		{`PROJCS["RGF_1993_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",49.0],PARAMETER["Standard_Parallel_2",44.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]`, 2154},
		// Same parameters under another name: recognised by parameters.
		{`PROJCS["my_france",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]]],PROJECTION["Lambert_Conformal_Conic_2SP"],PARAMETER["false_easting",700000],PARAMETER["false_northing",6600000],PARAMETER["central_meridian",3],PARAMETER["standard_parallel_1",44],PARAMETER["standard_parallel_2",49],PARAMETER["latitude_of_origin",46.5]]`, 2154},
		{`GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`, 4326},
		{`GEOGCS["GCS_unknown",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`, 4326},
		{`PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]],PROJECTION["Mercator_Auxiliary_Sphere"]]`, 3857},
		{`PROJCS["RGF93 / Lambert-93",GEOGCS["RGF93",AUTHORITY["EPSG","4171"]],AUTHORITY["EPSG","2154"]]`, 2154},
	}
	for _, c := range cases {
		if got, _, err := ParsePRJ(c.wkt); err != nil || got != c.want {
			t.Errorf("%.40s → %d, %v; want %d", c.wkt, got, err, c.want)
		}
	}
	for _, bad := range []string{
		`PROJCS["NTF_Paris_Lambert_II_etendu",GEOGCS["GCS_NTF_Paris",DATUM["D_NTF"]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",600000.0]]`,
		"not wkt", "",
	} {
		if _, _, err := ParsePRJ(bad); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func BenchmarkToLambert93(b *testing.B) {
	for _, epsg := range []int{EPSG4326, EPSG3857} {
		to, _ := ToLambert93(epsg)
		p := orb.Point{0.7218, 45.1847}
		if epsg == EPSG3857 {
			p = orb.Point{80350, 5650000}
		}
		b.Run(map[int]string{4326: "from4326", 3857: "from3857"}[epsg], func(b *testing.B) {
			b.ReportAllocs()
			var sink orb.Point
			for i := 0; b.Loop(); i++ {
				sink = to(orb.Point{p[0] + float64(i%1000)*1e-6, p[1]})
			}
			_ = sink
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "points/s")
		})
	}
}

// TestLambert93MatchesLibrary: the closed form used by Transform for
// EPSG:4326 ↔ 2154 agrees with github.com/wroge/wgs84 to < 0.2 mm (forward;
// 0.105 mm measured) and < 2e-9° (inverse; 9.4e-10° measured) over
// metropolitan France, and round-trips to 1e-10°.
func TestLambert93MatchesLibrary(t *testing.T) {
	fwd, inv := libraryTransform(EPSG4326, EPSG2154), libraryTransform(EPSG2154, EPSG4326)
	maxM, maxDeg, maxRT := 0.0, 0.0, 0.0
	for lon := -5.0; lon <= 9.5; lon += 0.5 {
		for lat := 41.5; lat <= 51.0; lat += 0.5 {
			p := orb.Point{lon, lat}
			a, b := LonLatToLambert93(p), fwd(p)
			maxM = math.Max(maxM, math.Hypot(a[0]-b[0], a[1]-b[1]))
			q, r := Lambert93ToLonLat(b), inv(b)
			maxDeg = math.Max(maxDeg, math.Max(math.Abs(q[0]-r[0]), math.Abs(q[1]-r[1])))
			rt := Lambert93ToLonLat(a)
			maxRT = math.Max(maxRT, math.Max(math.Abs(rt[0]-lon), math.Abs(rt[1]-lat)))
		}
	}
	t.Logf("closed form vs wroge/wgs84: forward max %.2e m, inverse max %.2e°, round trip %.2e°", maxM, maxDeg, maxRT)
	if maxM > 2e-4 || maxDeg > 2e-9 || maxRT > 1e-10 {
		t.Errorf("forward %.2e m (want < 2e-4), inverse %.2e° (want < 2e-9), round trip %.2e° (want < 1e-10)", maxM, maxDeg, maxRT)
	}
}

// TestTransformLibrary checks the library-backed path on codes outside the
// closed form: UTM zone 31N (EPSG:32631) on its central meridian 3° E,
// where E = 500,000 m and N = k0·M(φ) with k0 = 0.9996 and M(45°) =
// 4,984,944.378 m the WGS84 meridian arc (Snyder 1987, "Map Projections —
// A Working Manual", USGS PP 1395, eq. 3-21); PROJ 9 agrees:
// echo "3 45" | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:32631 -output_xy
// → 500000.000 4982950.400. Then the round trip through Web Mercator.
func TestTransformLibrary(t *testing.T) {
	to, err := Transform(EPSG4326, 32631)
	if err != nil {
		t.Fatal(err)
	}
	p := to(orb.Point{3, 45})
	if d := math.Hypot(p[0]-500000, p[1]-0.9996*4984944.378); d > 0.01 {
		t.Errorf("UTM 31N (3°E, 45°N) = %.3f %.3f, %.3f m off", p[0], p[1], d)
	}
	fwd, _ := Transform(EPSG2154, EPSG3857)
	inv, _ := Transform(EPSG3857, EPSG2154)
	q := orb.Point{521095.93, 6456513.20}
	if r := inv(fwd(q)); math.Hypot(r[0]-q[0], r[1]-q[1]) > 1e-3 {
		t.Errorf("2154 → 3857 → 2154: %v → %v", q, r)
	}
	for _, c := range [][2]int{{27572, 2154}, {2154, 27572}, {27572, 27572}} {
		if _, err := Transform(c[0], c[1]); !errors.Is(err, ErrUnsupported) {
			t.Errorf("Transform(%d, %d): %v, want ErrUnsupported", c[0], c[1], err)
		}
	}
	id, err := Transform(EPSG2154, EPSG2154)
	if err != nil || id(q) != q {
		t.Errorf("identity: %v", err)
	}
}

// TestProjectBound: the densified envelope of a lon/lat box in Lambert-93
// holds every projected edge point and matches a 1,000-points-per-edge
// envelope to 1 cm.
func TestProjectBound(t *testing.T) {
	// Across the central meridian 3° E: the parallels are arcs concave to
	// the north, so the southern edge dips below its corners there.
	b := orb.Bound{Min: orb.Point{2.5, 44.9}, Max: orb.Point{3.5, 45.5}}
	got := ProjectBound(b, LonLatToLambert93)
	want := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	const n = 1000
	for i := 0; i <= n; i++ {
		f := float64(i) / n
		x, y := b.Min[0]+f*(b.Max[0]-b.Min[0]), b.Min[1]+f*(b.Max[1]-b.Min[1])
		for _, q := range []orb.Point{{x, b.Min[1]}, {x, b.Max[1]}, {b.Min[0], y}, {b.Max[0], y}} {
			want = want.Extend(LonLatToLambert93(q))
		}
	}
	for i, d := range []float64{got.Min[0] - want.Min[0], got.Min[1] - want.Min[1], got.Max[0] - want.Max[0], got.Max[1] - want.Max[1]} {
		if math.Abs(d) > 0.01 {
			t.Errorf("edge %d: densified envelope off by %.4f m (%v vs %v)", i, d, got, want)
		}
	}
	// The corners alone miss the dip of the southern edge.
	corners := orb.Bound{Min: LonLatToLambert93(b.Min), Max: LonLatToLambert93(b.Min)}.
		Extend(LonLatToLambert93(b.Max)).Extend(LonLatToLambert93(orb.Point{b.Min[0], b.Max[1]})).
		Extend(LonLatToLambert93(orb.Point{b.Max[0], b.Min[1]}))
	dip := corners.Min[1] - want.Min[1]
	t.Logf("southern edge dip below the corners: %.1f m", dip)
	if dip < 1 {
		t.Errorf("test box should exercise the densification (dip %.2f m)", dip)
	}
}

// TestConvergence: γ is 0 on the central meridian, equals n·(λ − 3°) (EPSG
// GN 7-2 §3.2.1.1) with the cone constant n computed from φ1, φ2 (≈ 0.7256
// for Lambert-93), and is east-positive: about −1.65° at Périgueux, −5.4°
// at Brest, +3.4° at Strasbourg.
func TestConvergence(t *testing.T) {
	if g := Lambert93ConvergenceDeg(orb.Point{700000, 6500000}); math.Abs(g) > 1e-12 {
		t.Errorf("central meridian: %g", g)
	}
	for _, c := range []struct{ lon, lat, want float64 }{
		{0.72, 45.19, -1.654}, {-4.49, 48.39, -5.435}, {7.75, 48.57, 3.447},
	} {
		g := Lambert93ConvergenceDeg(LonLatToLambert93(orb.Point{c.lon, c.lat}))
		if want := l93.n * (c.lon - 3); math.Abs(g-want) > 1e-9 {
			t.Errorf("(%g, %g): γ %.6f ≠ n·Δλ %.6f", c.lon, c.lat, g, want)
		}
		if math.Abs(g-c.want) > 0.002 {
			t.Errorf("(%g, %g): γ %.4f, want %.3f", c.lon, c.lat, g, c.want)
		}
	}
}

// TestEPSGFromWKT: raster .prj files (GDAL's AAIGrid and GTiff drivers
// write ESRI or OGC WKT1; WKT2 uses ID[]).
func TestEPSGFromWKT(t *testing.T) {
	for _, c := range []struct {
		wkt  string
		want int
	}{
		{`PROJCS["RGF_1993_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]]],PROJECTION["Lambert_Conformal_Conic"]]`, 2154},
		{`GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]]`, 4326},
		{`GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]]]`, 4171},
		{`GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]]]`, 4258},
		{`PROJCS["WGS 84 / UTM zone 31N",GEOGCS["WGS 84",AUTHORITY["EPSG","4326"]],PROJECTION["Transverse_Mercator"],AUTHORITY["EPSG","32631"]]`, 32631},
		{`PROJCRS["RGF93 v1 / Lambert-93",BASEGEOGCRS["RGF93 v1",ID["EPSG",4171]],ID["EPSG",2154]]`, 2154},
		{"  \n" + `GEOGCS["WGS 84",AUTHORITY["EPSG","4326"]]`, 4326},
		{`PROJCS["NTF_Paris_Lambert_II_etendu",GEOGCS["GCS_NTF_Paris"]]`, 0},
		{"not wkt", 0},
	} {
		if got := EPSGFromWKT(c.wkt); got != c.want {
			t.Errorf("%.50s → %d, want %d", c.wkt, got, c.want)
		}
	}
}
