package geo

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"math"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/gisement/gisement/geo/crs"
	"github.com/gisement/gisement/geo/vector"
)

// Height plausibility bounds: a height ≤ MinHeightM or > MaxHeightM is
// treated as unknown (the fallback chain is used and the case is counted in
// LoadReport.Warnings["height_out_of_range"]); the feature is kept. 300 m is
// above the tallest building in France (Tour First, 231 m).
const (
	MinHeightM = 0.0
	MaxHeightM = 300.0
)

// Height fallbacks (LoadOptions defaults).
const (
	// DefaultStoreyHeightM converts a number of storeys to a height: 3 m per
	// storey, the usual rule of thumb (floor-to-floor 2.7–3.0 m in French
	// housing plus roof structure); assumption, uncertainty ±0.5 m/storey.
	DefaultStoreyHeightM = 3.0
	// DefaultBuildingHeightM is used when neither height nor levels are known:
	// 6 m ≈ a two-storey house, close to the Périgueux BDNB median of 7.6 m
	// (SOURCES.md); assumption, uncertainty ±3 m.
	DefaultBuildingHeightM = 6.0
)

// Height sources (Building.HeightSource).
const (
	HeightFromAttribute = "attribute"
	HeightFromLevels    = "levels"
	HeightFromDefault   = "default"
)

// LoadOptions control LoadBuildings and LoadParcels.
type LoadOptions struct {
	// EPSG overrides the file's CRS (0 = declared or detected; see geo/vector).
	EPSG int
	// Layer selects a GeoPackage table ("" = the only/first one).
	Layer string
	// FS, when not nil, holds the file: the path is a name in FS (GeoJSON
	// only, see vector.OpenOptions.FS).
	FS fs.FS
	// Attributes maps the source's field names; zero value = DefaultAttributeMap().
	Attributes *AttributeMap
	// MinAreaM2 is the smallest footprint/parcel area accepted; smaller
	// polygons are rejected as zero_area. Default 0.01 m².
	MinAreaM2 float64
	// StoreyHeightM and DefaultHeightM are the height fallbacks (defaults
	// DefaultStoreyHeightM and DefaultBuildingHeightM).
	StoreyHeightM, DefaultHeightM float64
	// MaxRejections caps LoadReport.Rejections (the counts are always
	// complete). Default 10,000; negative = no cap.
	MaxRejections int
}

func (o LoadOptions) withDefaults() LoadOptions {
	if o.Attributes == nil {
		m := DefaultAttributeMap()
		o.Attributes = &m
	}
	if o.MinAreaM2 <= 0 {
		o.MinAreaM2 = 0.01
	}
	if o.StoreyHeightM <= 0 {
		o.StoreyHeightM = DefaultStoreyHeightM
	}
	if o.DefaultHeightM <= 0 {
		o.DefaultHeightM = DefaultBuildingHeightM
	}
	if o.MaxRejections == 0 {
		o.MaxRejections = 10_000
	}
	return o
}

// Rejection describes one feature that was not kept.
type Rejection struct {
	Index  int    // 0-based feature index in the file
	ID     string // feature id when known
	Reason string // one of the Reason* constants
	Detail string
}

// LoadReport accounts for every feature of a file: Read = Kept + Rejected.
type LoadReport struct {
	File string
	// EPSG of the file and how it was obtained (vector.LayerInfo.CRSSource).
	EPSG      int
	CRSSource string
	Read      int // features read (including those the reader rejected)
	Kept      int
	Repaired  int // kept features whose geometry was repaired (counted once per feature)
	Rejected  int
	// ByReason counts rejections by reason; RepairsByKind counts repairs by kind
	// (a feature may have several kinds).
	ByReason      map[string]int
	RepairsByKind map[string]int
	// Rejections lists the rejected features (capped by LoadOptions.MaxRejections).
	Rejections []Rejection
	// HeightSources counts kept buildings by height source (attribute, levels,
	// default).
	HeightSources map[string]int
	// Warnings counts kept features with a questionable attribute:
	// "height_out_of_range", "levels_out_of_range", "fictive_geometry",
	// "missing_id" (an id was generated), "missing_parcel_id" (parcels).
	Warnings map[string]int
}

func newReport(path string) *LoadReport {
	return &LoadReport{File: path, ByReason: map[string]int{}, RepairsByKind: map[string]int{},
		HeightSources: map[string]int{}, Warnings: map[string]int{}}
}

func (r *LoadReport) reject(o LoadOptions, idx int, id, reason, detail string) {
	r.Rejected++
	r.ByReason[reason]++
	if o.MaxRejections < 0 || len(r.Rejections) < o.MaxRejections {
		r.Rejections = append(r.Rejections, Rejection{Index: idx, ID: id, Reason: reason, Detail: detail})
	}
}

// String summarises the report in one line.
func (r *LoadReport) String() string {
	return fmt.Sprintf("%s: read %d, kept %d (repaired %d), rejected %d %v", r.File, r.Read, r.Kept, r.Repaired, r.Rejected, r.ByReason)
}

// streamFeatures opens path with geo/vector, projects every geometry to
// Lambert-93 and calls fn with the cleaned footprint; rejections (reader or
// geometry) are recorded in rep. fn returns a rejection reason ("" = kept).
// The file is decoded on a second goroutine (readAhead), in file order.
func streamFeatures(path string, o LoadOptions, rep *LoadReport,
	fn func(f vector.Feature, mp orb.MultiPolygon, repairs []string) (reason, detail string)) error {
	r, err := vector.Open(path, vector.OpenOptions{EPSG: o.EPSG, Layer: o.Layer, FS: o.FS})
	if err != nil {
		return fmt.Errorf("geo: open %s: %w", path, err)
	}
	defer r.Close()
	info := r.Info()
	rep.EPSG, rep.CRSSource = info.EPSG, info.CRSSource
	proj, err := crs.ToLambert93(info.EPSG) // closed form for EPSG:4326/4171
	if err != nil {
		return fmt.Errorf("geo: %s: %w", path, err)
	}
	geographic := info.EPSG == crs.EPSG4326 || info.EPSG == crs.EPSG4171
	feats, stop := readAhead(r)
	defer stop()
	for {
		f, err := feats()
		if err == io.EOF {
			break
		}
		if err != nil {
			if vector.IsFeatureError(err) {
				rep.Read++
				rep.reject(o, f.Index, f.ID, ReasonReader, err.Error())
				continue
			}
			return fmt.Errorf("geo: read %s: %w", path, err)
		}
		rep.Read++
		if f.Geometry == nil {
			rep.reject(o, f.Index, f.ID, ReasonNoGeometry, "feature has no geometry")
			continue
		}
		switch f.Geometry.(type) {
		case orb.Polygon, orb.MultiPolygon:
		default:
			rep.reject(o, f.Index, f.ID, ReasonNotPolygonal, "geometry type "+f.Geometry.GeoJSONType())
			continue
		}
		if err := checkCoordinates(f.Geometry, geographic); err != nil {
			e, _ := asErrGeom(err)
			rep.reject(o, f.Index, f.ID, e.reason, e.detail)
			continue
		}
		// CRS sanity on every feature (the reader checks the first one): a
		// misfit on the first feature is the file's CRS error (fatal,
		// ErrCRSMismatch); later misfits reject that feature only.
		fb := f.Geometry.Bound()
		if err := crs.CheckBounds(info.EPSG, fb); err != nil {
			if errors.Is(err, crs.ErrMismatch) && rep.Read <= 1 {
				return fmt.Errorf("geo: %s: %w", path, err)
			}
			rep.reject(o, f.Index, f.ID, ReasonBadCoordinate, err.Error())
			continue
		}
		pg := crs.Project(f.Geometry, proj)
		pb := pg.Bound()
		if pb.Min[0] < l93MinX || pb.Max[0] > l93MaxX || pb.Min[1] < l93MinY || pb.Max[1] > l93MaxY {
			rep.reject(o, f.Index, f.ID, ReasonOutsideDomain, fmt.Sprintf("projected bounds %v outside the Lambert-93 domain", pb))
			continue
		}
		mp, repairs, err := cleanPolygons(pg, o.MinAreaM2)
		if err != nil {
			e, ok := asErrGeom(err)
			if !ok {
				e = &errGeom{ReasonSelfIntersect, err.Error()}
			}
			rep.reject(o, f.Index, f.ID, e.reason, e.detail)
			continue
		}
		reason, detail := fn(f, mp, repairs)
		if reason != "" {
			rep.reject(o, f.Index, f.ID, reason, detail)
			continue
		}
		rep.Kept++
		if len(repairs) > 0 {
			rep.Repaired++
			for _, k := range repairs {
				rep.RepairsByKind[k]++
			}
		}
	}
	return nil
}

// readAhead reads r on its own goroutine, in batches, so that decoding the
// file (geo/vector) runs on one core while the caller validates, projects
// and maps the features on another. next returns the features and errors
// in file order, exactly as r.Next would (io.EOF at the end; after a fatal
// error, the same error again); stop ends the reading goroutine and waits
// for it (call it before closing r). At most readAheadBatches batches of
// readAheadBatch features are held.
func readAhead(r *vector.Reader) (next func() (vector.Feature, error), stop func()) {
	type item struct {
		f   vector.Feature
		err error
	}
	batches := make(chan []item, readAheadBatches)
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(batches)
		for {
			b := make([]item, 0, readAheadBatch)
			last := false
			for len(b) < readAheadBatch {
				f, err := r.Next()
				b = append(b, item{f, err})
				if err != nil && !vector.IsFeatureError(err) { // io.EOF or fatal: r returns it again
					last = true
					break
				}
			}
			select {
			case batches <- b:
			case <-quit:
				return
			}
			if last {
				return
			}
		}
	}()
	var cur []item
	var end item
	next = func() (vector.Feature, error) {
		if len(cur) == 0 {
			b, ok := <-batches
			if !ok {
				return vector.Feature{}, end.err
			}
			cur = b
		}
		it := cur[0]
		cur = cur[1:]
		if it.err != nil && !vector.IsFeatureError(it.err) {
			end = it
		}
		return it.f, it.err
	}
	stop = func() {
		close(quit)
		<-done
	}
	return next, stop
}

// Read-ahead bounds (readAhead): features per batch and batches queued.
const (
	readAheadBatch   = 1024
	readAheadBatches = 4
)

// LoadBuildings reads building footprints from path (any format geo/vector
// reads), projects them to Lambert-93, validates and repairs them (see
// cleanPolygons) and maps their attributes. Every feature is accounted for in
// the report. Rules:
//   - duplicate ids: the first feature is kept, later ones are rejected
//     (duplicate_id); features without an id get "<file index>" prefixed by
//     "F" and are counted in Warnings["missing_id"];
//   - height: attribute if in (0, 300] m, else levels × StoreyHeightM, else
//     DefaultHeightM; the source is in Building.HeightSource and counted;
//   - BDNB fictive_ge = 1: kept, Building.Fictive set, counted in
//     Warnings["fictive_geometry"];
//   - roof type: attribute when present (RoofTypeSource "attribute"), else
//     left empty for RoofPlanes to apply its rule.
//
// A fatal read error (malformed file, CRS mismatch: errors.Is(err,
// crs.ErrMismatch)) is returned with a nil slice.
func LoadBuildings(path string, o LoadOptions) ([]Building, *LoadReport, error) {
	var out []Building
	rep, err := ScanBuildings(path, o, func(b Building) error {
		out = append(out, b)
		return nil
	})
	if err != nil {
		return nil, rep, err
	}
	return out, rep, nil
}

// ScanBuildings is LoadBuildings in callback form: fn receives every kept
// building in file order, and the buildings are not held (the streaming
// study plans territories larger than memory with it). Duplicate ids are
// detected with a set of 64-bit FNV-1a hashes of the ids (8 bytes per
// building instead of the id string): two distinct ids colliding would
// reject the second as a duplicate, with probability about n²/2⁶⁵
// (3·10⁻⁸ for 1 M buildings). An error from fn stops the scan and is
// returned.
func ScanBuildings(path string, o LoadOptions, fn func(Building) error) (*LoadReport, error) {
	o = o.withDefaults()
	am := o.Attributes
	rep := newReport(path)
	seen := map[uint64]struct{}{}
	var fnErr error
	err := streamFeatures(path, o, rep, func(f vector.Feature, mp orb.MultiPolygon, _ []string) (string, string) {
		id := lookupString(f.Props, am.ID)
		if id == "" {
			id = f.ID
		}
		missingID := id == ""
		if missingID {
			id = fmt.Sprintf("F%d", f.Index)
		}
		if fnErr != nil {
			return "", ""
		}
		if _, dup := seen[idHash(id)]; dup {
			return ReasonDuplicateID, "id " + id + " already used by an earlier feature"
		}
		seen[idHash(id)] = struct{}{}
		if missingID {
			rep.Warnings["missing_id"]++
		}
		b := Building{ID: id, Footprint: mp, FootprintM2: mpArea(mp), GroundAltM: math.NaN()}
		b.Centroid = footprintCentroid(mp)
		if h, ok := lookupFloat(f.Props, am.Height); ok {
			if h > MinHeightM && h <= MaxHeightM && !math.IsNaN(h) {
				b.HeightM, b.HeightSource = h, HeightFromAttribute
			} else {
				rep.Warnings["height_out_of_range"]++
			}
		}
		if lv, ok := lookupFloat(f.Props, am.Levels); ok {
			if lv >= 1 && lv <= 100 {
				b.Levels = int(math.Round(lv))
			} else if lv != 0 {
				rep.Warnings["levels_out_of_range"]++
			}
		}
		if b.HeightSource == "" {
			if b.Levels > 0 {
				b.HeightM, b.HeightSource = float64(b.Levels)*o.StoreyHeightM, HeightFromLevels
			} else {
				b.HeightM, b.HeightSource = o.DefaultHeightM, HeightFromDefault
			}
		}
		rep.HeightSources[b.HeightSource]++
		b.Year = lookupYear(f.Props, am.Year)
		b.Use = lookupString(f.Props, am.Use)
		b.Usage2 = lookupString(f.Props, am.Use2)
		if n, ok := lookupFloat(f.Props, am.Dwellings); ok && n >= 0 && n < 1e5 && n == math.Trunc(n) {
			b.Dwellings = int(n)
		} else if ok {
			rep.Warnings["dwellings_out_of_range"]++
		}
		if ref := lookupString(f.Props, am.ParcelRef); len(ref) >= 14 && IsIDU(ref[:14]) {
			b.ParcelRef = ref[:14]
		} else if ref != "" {
			rep.Warnings["parcel_ref_not_idu"]++
			// BDNB unités foncières ("uf" + INSEE code + …) still name
			// their commune (or municipal arrondissement).
			if len(ref) >= 7 && strings.HasPrefix(ref, "uf") && inseeCode.MatchString(ref[2:7]) {
				b.CommuneRef = ref[2:7]
			}
		}
		if alt, ok := lookupFloat(f.Props, am.GroundAlt); ok && alt > -500 && alt < 5000 {
			b.GroundAltM = alt
		}
		b.CommuneINSEE = lookupString(f.Props, am.Commune)
		b.IRIS = lookupString(f.Props, am.IRIS)
		if rt := roofTypeFromAttribute(lookupString(f.Props, am.RoofType)); rt != "" {
			b.RoofType, b.RoofTypeSource = rt, RoofTypeFromAttribute
		}
		if fv, ok := lookupFloat(f.Props, am.Fictive); ok && fv == 1 {
			b.Fictive = true
			rep.Warnings["fictive_geometry"]++
		}
		fnErr = fn(b)
		return "", ""
	})
	if err == nil {
		err = fnErr
	}
	return rep, err
}

// idHash is the 64-bit FNV-1a hash of an id (duplicate detection).
func idHash(id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()
}

// LoadParcels reads cadastral parcels from path. The parcel id is the IDU
// attribute when present (Etalab "id"), else assembled from commune + prefixe
// + section + numero (section padded to 2 characters with leading "0",
// numero to 4 digits), else left empty (IDSource "") for LoadTerritory to
// recover; missing ids are counted in Warnings["missing_parcel_id"].
// Duplicate non-empty ids: first kept, later ones rejected (duplicate_id).
func LoadParcels(path string, o LoadOptions) ([]Parcel, *LoadReport, error) {
	var out []Parcel
	rep, err := ScanParcels(path, o, func(p Parcel) error {
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, rep, err
	}
	return out, rep, nil
}

// ScanParcels is LoadParcels in callback form (see ScanBuildings, same
// duplicate detection).
func ScanParcels(path string, o LoadOptions, fn func(Parcel) error) (*LoadReport, error) {
	o = o.withDefaults()
	am := o.Attributes
	rep := newReport(path)
	seen := map[uint64]struct{}{}
	var fnErr error
	err := streamFeatures(path, o, rep, func(f vector.Feature, mp orb.MultiPolygon, _ []string) (string, string) {
		if fnErr != nil {
			return "", ""
		}
		p := Parcel{Geometry: mp, AreaM2: mpArea(mp), SourceIndex: f.Index}
		p.CommuneINSEE = lookupString(f.Props, am.Commune)
		p.Section = lookupString(f.Props, am.Section)
		id := lookupString(f.Props, am.ParcelID)
		if id == "" {
			id = f.ID
		}
		if len(id) != 14 {
			id = ""
		}
		if id == "" {
			pre, num := lookupString(f.Props, am.Prefixe), lookupString(f.Props, am.Numero)
			if len(p.CommuneINSEE) == 5 && p.Section != "" && num != "" {
				if pre == "" {
					pre = "000"
				}
				id = p.CommuneINSEE + leftPad(pre, 3, '0') + leftPad(p.Section, 2, '0') + leftPad(num, 4, '0')
				if len(id) != 14 {
					id = ""
				}
			}
		}
		if id != "" {
			if _, dup := seen[idHash(id)]; dup {
				return ReasonDuplicateID, "parcel id " + id + " already used by an earlier feature"
			}
			seen[idHash(id)] = struct{}{}
			p.ID, p.IDSource = id, IDFromAttribute
			if p.CommuneINSEE == "" {
				p.CommuneINSEE = id[:5]
			}
			if p.Section == "" {
				p.Section = strings.TrimLeft(id[8:10], "0")
			}
		} else {
			rep.Warnings["missing_parcel_id"]++
		}
		fnErr = fn(p)
		return "", ""
	})
	if err == nil {
		err = fnErr
	}
	return rep, err
}

func leftPad(s string, n int, c byte) string {
	for len(s) < n {
		s = string(c) + s
	}
	return s
}

// footprintCentroid is the area-weighted centroid of a multipolygon.
func footprintCentroid(mp orb.MultiPolygon) orb.Point {
	c, _ := planar.CentroidArea(mp)
	return c
}
