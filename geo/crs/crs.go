package crs

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
	"github.com/wroge/wgs84"
)

// EPSG codes of the coordinate reference systems the vector readers accept
// (Supported) and Detect/CheckBounds know the coordinate domain of.
const (
	EPSG4326 = 4326 // WGS84 longitude/latitude, degrees (orb points are [lon, lat])
	EPSG4171 = 4171 // RGF93 longitude/latitude, degrees (same as WGS84 to a few cm)
	EPSG2154 = 2154 // RGF93 / Lambert-93, metres (metropolitan France)
	EPSG3857 = 3857 // Web Mercator, metres
)

// Sentinel errors, for errors.Is.
var (
	// ErrUnsupported: the CRS is declared but is not one this package handles.
	ErrUnsupported = errors.New("unsupported coordinate reference system")
	// ErrMismatch: coordinates do not fit the declared (or flagged) CRS.
	ErrMismatch = errors.New("coordinates do not fit the coordinate reference system")
)

// Coordinate domains used by Detect and CheckBounds.
var (
	// Degrees: the whole lon/lat range.
	degreesDomain = orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}
	// Lambert-93 projected bounds of its area of use (metropolitan France and
	// Corsica, EPSG registry: x -378305.81..1212610.74, y 6093283.21..7186901.68)
	// widened by ~100 km so that border data and offshore features still fit.
	lambert93Domain = orb.Bound{Min: orb.Point{-480000, 5990000}, Max: orb.Point{1320000, 7290000}}
	// Web Mercator: the square ±20037508.34 m.
	webMercatorDomain = orb.Bound{Min: orb.Point{-20037508.35, -20037508.35}, Max: orb.Point{20037508.35, 20037508.35}}
)

// Supported reports whether epsg is one of the four CRSs whose coordinate
// domain this package knows (EPSG4326, EPSG4171, EPSG2154, EPSG3857): the
// ones the vector readers accept. Transform handles more (any code of
// github.com/wroge/wgs84's registry, e.g. UTM zones for DEMs).
func Supported(epsg int) bool {
	switch epsg {
	case EPSG4326, EPSG4171, EPSG2154, EPSG3857:
		return true
	}
	return false
}

// Detect guesses the CRS from coordinate ranges: bounds inside
// ±180°/±90° are EPSG:4326 (longitude/latitude degrees); bounds inside the
// Lambert-93 domain (metropolitan France, metres) are EPSG:2154. Anything
// else returns (0, false): in particular Web Mercator is never guessed,
// because French Web Mercator coordinates overlap the Lambert-93 domain and
// the two cannot be told apart by range alone — such files must declare
// their CRS or be opened with OpenOptions.EPSG. An empty (zero) bound
// returns (0, false).
func Detect(bounds orb.Bound) (int, bool) {
	if !boundFinite(bounds) || (bounds.Min == orb.Point{} && bounds.Max == orb.Point{}) {
		return 0, false
	}
	switch {
	case inside(bounds, degreesDomain):
		return EPSG4326, true
	case inside(bounds, lambert93Domain):
		return EPSG2154, true
	}
	return 0, false
}

// CheckBounds returns an error wrapping ErrMismatch when bounds cannot be
// coordinates of epsg: outside ±180/±90 for degrees, outside the Lambert-93
// domain for EPSG:2154 (this catches degrees declared as Lambert-93), outside
// the Web Mercator square — or entirely within ±180 — for EPSG:3857 (a layer
// a few hundred metres wide around 0°N 0°E would be falsely flagged; not a
// concern for French data). Unsupported codes give ErrUnsupported. A zero
// bound (no geometry) passes.
func CheckBounds(epsg int, bounds orb.Bound) error {
	if !Supported(epsg) {
		return fmt.Errorf("EPSG:%d: %w", epsg, ErrUnsupported)
	}
	if bounds.Min == (orb.Point{}) && bounds.Max == (orb.Point{}) {
		return nil
	}
	if !boundFinite(bounds) {
		return fmt.Errorf("bounds %v are not finite: %w", bounds, ErrMismatch)
	}
	var ok bool
	var want string
	switch epsg {
	case EPSG4326, EPSG4171:
		ok, want = inside(bounds, degreesDomain), "longitude/latitude degrees within ±180/±90"
	case EPSG2154:
		ok, want = inside(bounds, lambert93Domain), "Lambert-93 metres (x -480000..1320000, y 5990000..7290000)"
	case EPSG3857:
		ok = inside(bounds, webMercatorDomain) && !inside(bounds, degreesDomain)
		want = "Web Mercator metres (not degrees)"
	}
	if ok {
		return nil
	}
	hint := ""
	if d, found := Detect(bounds); found {
		hint = fmt.Sprintf("; they look like EPSG:%d", d)
	}
	return fmt.Errorf("EPSG:%d declared but bounds [%.6g %.6g, %.6g %.6g] are not %s%s: %w",
		epsg, bounds.Min[0], bounds.Min[1], bounds.Max[0], bounds.Max[1], want, hint, ErrMismatch)
}

func inside(b, domain orb.Bound) bool {
	return b.Min[0] >= domain.Min[0] && b.Min[1] >= domain.Min[1] &&
		b.Max[0] <= domain.Max[0] && b.Max[1] <= domain.Max[1]
}

func boundFinite(b orb.Bound) bool {
	for _, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// ToLambert93 returns the projection from epsg to Lambert-93 (EPSG:2154):
// Transform(epsg, EPSG2154). Input points are [x, y] in epsg's axis order
// as read by orb (degrees: [lon, lat]); output [easting, northing] in metres.
func ToLambert93(epsg int) (orb.Projection, error) {
	return Transform(epsg, EPSG2154)
}

// FromLambert93 returns the projection from Lambert-93 to epsg:
// Transform(EPSG2154, epsg).
func FromLambert93(epsg int) (orb.Projection, error) {
	return Transform(EPSG2154, epsg)
}

// Transform returns the projection from EPSG:from to EPSG:to, the one
// coordinate conversion path of the code base:
//   - the identity when from == to;
//   - the closed-form Lambert-93 (LonLatToLambert93, Lambert93ToLonLat; see
//     lambert93.go) between EPSG:4326 or EPSG:4171 and EPSG:2154;
//   - otherwise github.com/wroge/wgs84 v1.1.7 for any pair of codes in its
//     registry (EPSG:3857, EPSG:4258, UTM 326xx/327xx, ...).
//
// RGF93 and WGS84 are taken as the same datum (they differ by a few
// centimetres, as PROJ does for EPSG:4326→2154 without a grid). Codes
// outside the registry wrap ErrUnsupported.
func Transform(from, to int) (orb.Projection, error) {
	if from == to {
		if registry.Code(from) == nil {
			return nil, fmt.Errorf("EPSG:%d: %w", from, ErrUnsupported)
		}
		return func(p orb.Point) orb.Point { return p }, nil
	}
	geographic := func(c int) bool { return c == EPSG4326 || c == EPSG4171 }
	switch {
	case geographic(from) && to == EPSG2154:
		return LonLatToLambert93, nil
	case from == EPSG2154 && geographic(to):
		return Lambert93ToLonLat, nil
	}
	for _, c := range []int{from, to} {
		if registry.Code(c) == nil {
			return nil, fmt.Errorf("EPSG:%d: %w", c, ErrUnsupported)
		}
	}
	return libraryTransform(from, to), nil
}

// registry is wroge/wgs84's EPSG registry, built once and never modified
// (its Code lookups are then safe for concurrent use).
var registry = wgs84.EPSG()

// libraryTransform is the wroge/wgs84 transform between two codes of its
// registry, without the closed-form shortcut (for tests and benchmarks that
// compare the two).
func libraryTransform(from, to int) orb.Projection {
	f := registry.Transform(from, to)
	return func(p orb.Point) orb.Point {
		x, y, _ := f(p[0], p[1], 0)
		return orb.Point{x, y}
	}
}

// Project returns g projected with p (a copy; g is not modified). nil stays
// nil.
func Project(g orb.Geometry, p orb.Projection) orb.Geometry {
	if g == nil {
		return nil
	}
	return project.Geometry(orb.Clone(g), p)
}

// ProjectBound returns the envelope of the image of b under p. The edges
// are densified (16 points each, plus the corners) because a straight edge
// in one CRS is curved in another: in Lambert-93 a parallel is an arc
// concave to the north, so a lon/lat box straddling 3° E dips below its
// corners (by 125 m for a 1° × 0.6° box, TestProjectBound).
func ProjectBound(b orb.Bound, p orb.Projection) orb.Bound {
	const n = 16
	out := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for i := range n {
		t := float64(i) / n
		dx, dy := b.Min[0]+t*(b.Max[0]-b.Min[0]), b.Min[1]+t*(b.Max[1]-b.Min[1])
		for _, q := range [4]orb.Point{{dx, b.Min[1]}, {dx, b.Max[1]}, {b.Min[0], dy}, {b.Max[0], dy}} {
			out = out.Extend(p(q))
		}
	}
	return out.Extend(p(b.Max))
}

// --- CRS names ---------------------------------------------------------

var reCRSCode = regexp.MustCompile(`(?i)epsg[:/]+(?:[0-9.]*[:/]+)?([0-9]+)\s*$`)

// ParseName maps a GeoJSON crs name to an EPSG code: "EPSG:2154",
// "urn:ogc:def:crs:EPSG::2154", "urn:ogc:def:crs:EPSG:6.6:2154",
// "http://www.opengis.net/def/crs/EPSG/0/2154", "urn:ogc:def:crs:OGC:1.3:CRS84"
// / "CRS84" (→ 4326). Unknown or unsupported codes give ErrUnsupported.
func ParseName(name string) (int, error) {
	s := strings.TrimSpace(name)
	up := strings.ToUpper(s)
	if strings.HasSuffix(up, "CRS84") || strings.HasSuffix(up, "CRS:84") {
		return EPSG4326, nil
	}
	m := reCRSCode.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("crs name %q: %w", name, ErrUnsupported)
	}
	code, err := strconv.Atoi(m[1])
	if err != nil || !Supported(code) {
		return 0, fmt.Errorf("crs name %q: %w", name, ErrUnsupported)
	}
	return code, nil
}

var (
	reWKTTop       = regexp.MustCompile(`^\s*([A-Za-z_]+)\s*\[\s*"([^"]*)"`)
	reWKTAuthority = regexp.MustCompile(`(?i)(?:AUTHORITY|ID)\s*\[\s*"EPSG"\s*,\s*"?([0-9]+)"?\s*\]`)
	reWKTParam     = regexp.MustCompile(`(?i)PARAMETER\s*\[\s*"([^"]+)"\s*,\s*([-+0-9.eE]+)`)
)

// ParsePRJ recognises the CRS of an ESRI .prj (WKT1, ESRI or OGC flavour;
// WKT2 ID[] also accepted). It returns the EPSG code and the CRS name as
// written. Recognised: the top-level EPSG authority when present; Lambert-93
// by name (RGF93 / Lambert-93, RGF93_Lambert_93, RGF_1993_Lambert_93, ...)
// or by its Lambert conformal conic parameters (standard parallels 49/44°,
// latitude of origin 46.5°, central meridian 3°, false easting 700000 m,
// false northing 6600000 m); Web Mercator by name (Pseudo-Mercator,
// Web_Mercator, Mercator_Auxiliary_Sphere); geographic CRSs on the WGS84
// datum (→ 4326, including ESRI "GCS_unknown" with D_WGS_1984) or RGF93
// (→ 4171). Anything else wraps ErrUnsupported.
func ParsePRJ(wkt string) (int, string, error) {
	m := reWKTTop.FindStringSubmatch(wkt)
	if m == nil {
		return 0, "", fmt.Errorf("prj is not WKT: %q: %w", truncate(wkt, 60), ErrUnsupported)
	}
	kind, name := strings.ToUpper(m[1]), m[2]
	projected := strings.HasPrefix(kind, "PROJ")
	geographic := strings.HasPrefix(kind, "GEOG")
	if !projected && !geographic {
		return 0, name, fmt.Errorf("prj %s[%q]: %w", kind, name, ErrUnsupported)
	}
	// The top-level authority is the last one in the text.
	if all := reWKTAuthority.FindAllStringSubmatch(wkt, -1); len(all) > 0 {
		code, _ := strconv.Atoi(all[len(all)-1][1])
		if Supported(code) && (projected == (code == EPSG2154 || code == EPSG3857)) {
			return code, name, nil
		}
	}
	norm := normName(wkt)
	if projected {
		nn := normName(name)
		switch {
		case strings.Contains(nn, "lambert93"):
			return EPSG2154, name, nil
		case strings.Contains(nn, "pseudomercator"), strings.Contains(nn, "webmercator"),
			strings.Contains(nn, "mercatorauxiliarysphere"), strings.Contains(norm, "mercatorauxiliarysphere"):
			return EPSG3857, name, nil
		}
		if isLambert93Params(wkt) {
			return EPSG2154, name, nil
		}
		return 0, name, fmt.Errorf("prj PROJCS[%q]: %w", name, ErrUnsupported)
	}
	switch {
	case strings.Contains(norm, "wgs1984"), strings.Contains(norm, "wgs84"):
		return EPSG4326, name, nil
	case strings.Contains(norm, "rgf1993"), strings.Contains(norm, "rgf93"),
		strings.Contains(norm, "reseaugeodesiquefrancais1993"):
		return EPSG4171, name, nil
	}
	return 0, name, fmt.Errorf("prj GEOGCS[%q]: %w", name, ErrUnsupported)
}

// EPSGFromWKT returns the EPSG code of a WKT CRS (e.g. a raster's .prj),
// whatever the code: the top-level AUTHORITY/ID (the last one in the text,
// for WKT1 and WKT2 alike) when present, else what ParsePRJ recognises by
// name or parameters, else ETRS89 geographic by name (EPSG:4258); 0 when
// unknown. Unlike ParsePRJ it also returns codes outside Supported (UTM
// zones, ETRS89), which Transform may still handle.
func EPSGFromWKT(wkt string) int {
	wkt = strings.TrimSpace(wkt)
	if all := reWKTAuthority.FindAllStringSubmatch(wkt, -1); len(all) > 0 {
		if code, err := strconv.Atoi(all[len(all)-1][1]); err == nil {
			return code
		}
	}
	if code, _, err := ParsePRJ(wkt); err == nil {
		return code
	}
	if m := reWKTTop.FindStringSubmatch(wkt); m != nil && strings.HasPrefix(strings.ToUpper(m[1]), "GEOG") {
		if n := normName(wkt); strings.Contains(n, "etrs1989") || strings.Contains(n, "etrs89") {
			return 4258
		}
	}
	return 0
}

func isLambert93Params(wkt string) bool {
	want := map[string]float64{
		"standardparallel1": 49, "standardparallel2": 44, "latitudeoforigin": 46.5,
		"centralmeridian": 3, "falseeasting": 700000, "falsenorthing": 6600000,
	}
	got := map[string]float64{}
	for _, m := range reWKTParam.FindAllStringSubmatch(wkt, -1) {
		v, err := strconv.ParseFloat(m[2], 64)
		if err == nil {
			got[normName(m[1])] = v
		}
	}
	sp := []float64{got["standardparallel1"], got["standardparallel2"]}
	if sp[0] == 44 && sp[1] == 49 { // order does not matter for a 2SP LCC
		got["standardparallel1"], got["standardparallel2"] = 49, 44
	}
	for k, v := range want {
		g, ok := got[k]
		if !ok || math.Abs(g-v) > 1e-6*math.Max(1, math.Abs(v)) {
			return false
		}
	}
	return strings.Contains(normName(wkt), "lambertconformalconic")
}

// normName lower-cases s and keeps only ASCII letters and digits.
func normName(s string) string { return strings.Map(alnum, strings.ToLower(s)) }

func alnum(r rune) rune {
	if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
		return r
	}
	return -1
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
