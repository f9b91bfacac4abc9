package vector

import (
	"archive/zip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	geom "github.com/twpayne/go-geom"
	shapefile "github.com/twpayne/go-shapefile"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"

	"github.com/gisement/gisement/geo/crs"
)

// shapefileSource streams an ESRI shapefile (plain .shp with its siblings,
// or a .zip holding one shapefile, possibly in a subfolder) record by
// record with go-shapefile's ScannerSHP and ScannerDBF.
//
// Attribute text: go-shapefile decodes DBF text through WHATWG charset
// names only (no true ISO-8859-1, no DOS code pages), so this reader asks it
// for "x-user-defined" — which maps every byte 0x80-0xFF to U+F780-U+F7FF,
// losslessly — and decodes the original bytes itself with the encoding
// chosen as GDAL does: the .cpg file if present, else the DBF language
// driver id (byte 29), else ISO-8859-1.
type shapefileSource struct {
	path    string
	closers []io.Closer
	shp     *shapefile.ScannerSHP
	dbf     *shapefile.ScannerDBF
	fields  []*shapefile.DBFFieldDescriptor
	dbfLeft int // DBF records not read yet
	dec     *encoding.Decoder
	utf8    bool
	index   int
	done    bool
}

type shpFiles struct {
	open  func(ext string) (io.ReadCloser, int64, error) // ext like ".dbf"; os.ErrNotExist if absent
	name  string
	close func() error
}

func openShapefile(r *Reader, p string, o OpenOptions) error {
	var files shpFiles
	var err error
	if zr, zerr := zip.OpenReader(p); zerr == nil {
		files, err = zipShapefile(zr, p, o.Layer)
		if err != nil {
			zr.Close()
			return err
		}
	} else if strings.EqualFold(filepath.Ext(p), ".zip") {
		return fmt.Errorf("%s: %v: %w", p, zerr, ErrMalformed)
	} else {
		files = plainShapefile(p)
	}
	s := &shapefileSource{path: p}
	r.src = s
	if files.close != nil {
		s.closers = append(s.closers, closerFunc(files.close))
	}
	r.info = LayerInfo{Path: p, Format: FormatShapefile, Layer: files.name, Count: -1}

	// .shp header bounds (bytes 36..67), then the record scanner.
	shpRC, shpSize, err := files.open(".shp")
	if err != nil {
		return fmt.Errorf("%s: .shp: %w", p, err)
	}
	hdr := make([]byte, 100)
	_, herr := io.ReadFull(shpRC, hdr)
	shpRC.Close()
	if herr != nil || binary.BigEndian.Uint32(hdr[0:4]) != 9994 {
		return fmt.Errorf("%s: .shp header is not a shapefile header: %w", p, ErrMalformed)
	}
	le := binary.LittleEndian
	b := orb.Bound{
		Min: orb.Point{math.Float64frombits(le.Uint64(hdr[36:])), math.Float64frombits(le.Uint64(hdr[44:]))},
		Max: orb.Point{math.Float64frombits(le.Uint64(hdr[52:])), math.Float64frombits(le.Uint64(hdr[60:]))},
	}
	if shpRC, shpSize, err = files.open(".shp"); err != nil {
		return fmt.Errorf("%s: .shp: %w", p, err)
	}
	s.closers = append(s.closers, shpRC)
	s.shp, err = shapefile.NewScannerSHP(shpRC, shpSize, &shapefile.ReadSHPOptions{MaxRecordSize: int(min(shpSize, 1<<30))})
	if err != nil {
		return fmt.Errorf("%s: .shp: %v: %w", p, err, ErrMalformed)
	}

	// Encoding, then DBF.
	enc, encName, err := dbfEncoding(files, p)
	if err != nil {
		return err
	}
	if enc == nil {
		s.utf8 = true
	} else {
		s.dec = enc.NewDecoder()
	}
	if dbfRC, _, err := files.open(".dbf"); err == nil {
		s.closers = append(s.closers, dbfRC)
		s.dbf, err = shapefile.NewScannerDBF(dbfRC, &shapefile.ReadDBFOptions{Charset: "x-user-defined"})
		if err != nil {
			return fmt.Errorf("%s: .dbf: %v: %w", p, err, ErrMalformed)
		}
		s.fields = s.dbf.FieldDescriptors()
		// The header is not exposed by ScannerDBF; read the record count again.
		if rc, _, err := files.open(".dbf"); err == nil {
			h := make([]byte, 32)
			_, herr := io.ReadFull(rc, h)
			rc.Close()
			if herr == nil {
				s.dbfLeft = int(le.Uint32(h[4:8]))
				r.info.Count = s.dbfLeft
			}
		}
		for _, fd := range s.fields {
			r.info.Fields = append(r.info.Fields, fd.Name)
		}
		r.info.Encoding = encName
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s: .dbf: %w", p, err)
	}

	// CRS: flag, .prj, else bounds.
	prj := ""
	if rc, _, err := files.open(".prj"); err == nil {
		data, rerr := io.ReadAll(io.LimitReader(rc, 1<<20))
		rc.Close()
		if rerr != nil {
			return fmt.Errorf("%s: .prj: %w", p, rerr)
		}
		prj = strings.TrimSpace(string(data))
	}
	switch {
	case o.EPSG != 0:
		r.info.EPSG, r.info.CRSSource = o.EPSG, CRSFromFlag
		if prj != "" {
			_, r.info.CRSName, _ = crs.ParsePRJ(prj)
		}
	case prj != "":
		code, name, err := crs.ParsePRJ(prj)
		r.info.CRSName = name
		if err != nil {
			return fmt.Errorf("%s: .prj: %w", p, err)
		}
		r.info.EPSG, r.info.CRSSource = code, CRSDeclared
	default:
		code, ok := crs.Detect(b)
		if !ok {
			return fmt.Errorf("%s: no .prj and bounds [%g %g, %g %g] match no known CRS; give the EPSG code: %w",
				p, b.Min[0], b.Min[1], b.Max[0], b.Max[1], ErrUnsupportedCRS)
		}
		r.info.EPSG, r.info.CRSSource = code, CRSFromBounds
	}
	if !crs.Supported(r.info.EPSG) {
		return fmt.Errorf("%s: EPSG:%d: %w", p, r.info.EPSG, ErrUnsupportedCRS)
	}
	if b.Max[0] >= b.Min[0] { // an empty shapefile may have a zero or inverted header box
		return r.checkCRS(b, ".shp header bounds")
	}
	return nil
}

type closerFunc func() error

func (c closerFunc) Close() error { return c() }

func plainShapefile(p string) shpFiles {
	base := strings.TrimSuffix(p, filepath.Ext(p))
	return shpFiles{
		name: filepath.Base(base),
		open: func(ext string) (io.ReadCloser, int64, error) {
			for _, e := range []string{ext, strings.ToUpper(ext)} {
				f, err := os.Open(base + e)
				if err != nil {
					continue
				}
				st, err := f.Stat()
				if err != nil {
					f.Close()
					return nil, 0, err
				}
				return f, st.Size(), nil
			}
			return nil, 0, os.ErrNotExist
		},
	}
}

// zipShapefile finds the shapefile in a zip: the only .shp (anywhere in
// the archive, __MACOSX ignored), or the one whose base name is layer.
func zipShapefile(zr *zip.ReadCloser, p, layer string) (shpFiles, error) {
	var shps []string
	byName := map[string]*zip.File{}
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "__MACOSX/") || strings.Contains(f.Name, "/__MACOSX/") {
			continue
		}
		byName[strings.ToLower(f.Name)] = f
		if strings.EqualFold(path.Ext(f.Name), ".shp") {
			shps = append(shps, f.Name)
		}
	}
	sort.Strings(shps)
	var chosen string
	switch {
	case layer != "":
		for _, s := range shps {
			if strings.EqualFold(strings.TrimSuffix(path.Base(s), path.Ext(s)), layer) {
				chosen = s
			}
		}
		if chosen == "" {
			return shpFiles{}, fmt.Errorf("%s: no shapefile %q in the zip (found %v): %w", p, layer, shps, ErrNoLayer)
		}
	case len(shps) == 1:
		chosen = shps[0]
	case len(shps) == 0:
		return shpFiles{}, fmt.Errorf("%s: no .shp in the zip: %w", p, ErrNoLayer)
	default:
		return shpFiles{}, fmt.Errorf("%s: %d shapefiles in the zip (%v); choose one with the layer option: %w", p, len(shps), shps, ErrNoLayer)
	}
	base := strings.ToLower(strings.TrimSuffix(chosen, path.Ext(chosen)))
	return shpFiles{
		name:  path.Base(strings.TrimSuffix(chosen, path.Ext(chosen))),
		close: zr.Close,
		open: func(ext string) (io.ReadCloser, int64, error) {
			f, ok := byName[base+ext]
			if !ok {
				return nil, 0, os.ErrNotExist
			}
			rc, err := f.Open()
			if err != nil {
				return nil, 0, fmt.Errorf("%s: %v: %w", f.Name, err, ErrMalformed)
			}
			return rc, int64(f.UncompressedSize64), nil
		},
	}, nil
}

// dbfEncoding picks the DBF text encoding like GDAL: .cpg, else the
// language driver id, else ISO-8859-1. A nil Encoding means UTF-8.
func dbfEncoding(files shpFiles, p string) (encoding.Encoding, string, error) {
	if rc, _, err := files.open(".cpg"); err == nil {
		data, err := io.ReadAll(io.LimitReader(rc, 256))
		rc.Close()
		if err != nil {
			return nil, "", fmt.Errorf("%s: .cpg: %w", p, err)
		}
		cpg := strings.TrimSpace(string(data))
		enc, name, ok := cpgEncoding(cpg)
		if !ok {
			return nil, "", fmt.Errorf("%s: .cpg names an unknown encoding %q: %w", p, cpg, ErrMalformed)
		}
		return enc, name + " (.cpg)", nil
	}
	rc, _, err := files.open(".dbf")
	if err != nil {
		return charmap.ISO8859_1, "ISO-8859-1 (default)", nil
	}
	h := make([]byte, 32)
	_, err = io.ReadFull(rc, h)
	rc.Close()
	if err != nil {
		return charmap.ISO8859_1, "ISO-8859-1 (default)", nil
	}
	ldid := h[29]
	// Language driver ids as mapped by GDAL (ogr/ogrsf_frmts/shape, CPLGetCodepageFromLDID subset).
	byLDID := map[byte]struct {
		enc  encoding.Encoding
		name string
	}{
		0x01: {charmap.CodePage437, "CP437"}, 0x02: {charmap.CodePage850, "CP850"},
		0x03: {charmap.Windows1252, "windows-1252"}, 0x57: {charmap.ISO8859_1, "ISO-8859-1"},
		0x64: {charmap.CodePage852, "CP852"}, 0x26: {charmap.CodePage866, "CP866"},
		0xC8: {charmap.Windows1250, "windows-1250"}, 0xC9: {charmap.Windows1251, "windows-1251"},
	}
	if e, ok := byLDID[ldid]; ok {
		return e.enc, fmt.Sprintf("%s (DBF language driver 0x%02X)", e.name, ldid), nil
	}
	return charmap.ISO8859_1, "ISO-8859-1 (default)", nil
}

// cpgEncoding maps the content of a .cpg file (as written by ArcGIS, QGIS
// and GDAL) to an encoding; nil means UTF-8.
func cpgEncoding(cpg string) (encoding.Encoding, string, bool) {
	n := normName(cpg)
	switch n {
	case "utf8", "65001":
		return nil, "UTF-8", true
	case "iso88591", "88591", "latin1", "28591", "l1":
		return charmap.ISO8859_1, "ISO-8859-1", true
	case "iso885915", "885915", "latin9", "28605":
		return charmap.ISO8859_15, "ISO-8859-15", true
	case "1252", "cp1252", "windows1252", "ansi1252", "ansi":
		return charmap.Windows1252, "windows-1252", true
	case "1250", "cp1250", "windows1250", "ansi1250":
		return charmap.Windows1250, "windows-1250", true
	case "437", "cp437", "oem437":
		return charmap.CodePage437, "CP437", true
	case "850", "cp850", "oem850":
		return charmap.CodePage850, "CP850", true
	}
	return nil, "", false
}

func (s *shapefileSource) next() (Feature, error) {
	for {
		if s.done {
			return Feature{}, io.EOF
		}
		rec, err := s.shp.Scan()
		if err == io.EOF {
			s.done = true
			if s.dbf != nil && s.dbfLeft > 0 {
				return Feature{}, fmt.Errorf("%s: .dbf has %d more records than the .shp: %w", s.path, s.dbfLeft, ErrMalformed)
			}
			return Feature{}, io.EOF
		}
		if err != nil {
			s.done = true
			return Feature{}, fmt.Errorf("%s: .shp feature %d: %v: %w", s.path, s.index, err, ErrMalformed)
		}
		idx := s.index
		s.index++
		f := Feature{Index: idx}
		deleted := false
		if s.dbf != nil {
			if s.dbfLeft <= 0 {
				return f, &FeatureError{File: s.path, Index: idx, Field: "dbf",
					Err: fmt.Errorf("%w: no .dbf record for this .shp record", ErrInvalidProperty)}
			}
			s.dbfLeft--
			row, err := s.dbf.Scan()
			if err != nil {
				s.done = true
				return Feature{}, fmt.Errorf("%s: .dbf record %d: %v: %w", s.path, idx, err, ErrMalformed)
			}
			if row == nil {
				deleted = true // '*' flag: deleted record, skipped as GDAL does
			} else {
				f.Props = make(map[string]any, len(row))
				for i, v := range row {
					if i >= len(s.fields) {
						break
					}
					f.Props[s.fields[i].Name] = s.value(v)
				}
			}
		}
		if deleted {
			continue
		}
		if rec.Geom != nil {
			g, err := geomToOrb(rec.Geom)
			if err != nil {
				return f, &FeatureError{File: s.path, Index: idx, Field: "geometry", Err: fmt.Errorf("%w: %v", ErrInvalidGeometry, err)}
			}
			f.Geometry = g
		}
		return f, nil
	}
}

// value converts a go-shapefile DBF value: strings are re-decoded from
// x-user-defined to the DBF's real encoding; float64 N fields that are
// integral and fit are returned as int64 when the field has no decimals.
func (s *shapefileSource) value(v any) any {
	switch t := v.(type) {
	case string:
		return s.text(t)
	case shapefile.DBFMemo:
		return s.text(string(t))
	case int:
		return int64(t)
	}
	if t, ok := v.(interface{ Format(string) string }); ok { // time.Time (D fields)
		return t.Format("2006-01-02")
	}
	return v
}

func (s *shapefileSource) text(xud string) string {
	raw := make([]byte, 0, len(xud))
	for _, r := range xud {
		if r >= 0xF780 && r <= 0xF7FF {
			raw = append(raw, byte(r-0xF700))
		} else {
			raw = utf8.AppendRune(raw, r)
		}
	}
	if s.utf8 {
		return strings.ToValidUTF8(string(raw), "\uFFFD")
	}
	out, err := s.dec.Bytes(raw)
	if err != nil {
		return string(raw)
	}
	return string(out)
}

func (s *shapefileSource) close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i].Close())
	}
	return errors.Join(errs...)
}

// geomToOrb converts a go-geom geometry to orb, dropping Z and M. A
// shapefile polygon (always a go-geom MultiPolygon) with one part becomes an
// orb.Polygon, a polyline with one part an orb.LineString, as GDAL reads
// them. Ring orientation is kept as in the file.
func geomToOrb(g geom.T) (orb.Geometry, error) {
	pts := func(flat []float64, stride int) []orb.Point {
		out := make([]orb.Point, 0, len(flat)/stride)
		for i := 0; i+1 < len(flat); i += stride {
			out = append(out, orb.Point{flat[i], flat[i+1]})
		}
		return out
	}
	poly := func(p *geom.Polygon) orb.Polygon {
		out := make(orb.Polygon, 0, p.NumLinearRings())
		for i := 0; i < p.NumLinearRings(); i++ {
			r := p.LinearRing(i)
			out = append(out, orb.Ring(pts(r.FlatCoords(), r.Stride())))
		}
		return out
	}
	switch t := g.(type) {
	case *geom.Point:
		if t.Empty() {
			return nil, nil
		}
		return orb.Point{t.X(), t.Y()}, nil
	case *geom.MultiPoint:
		return orb.MultiPoint(pts(t.FlatCoords(), t.Stride())), nil
	case *geom.LineString:
		return orb.LineString(pts(t.FlatCoords(), t.Stride())), nil
	case *geom.MultiLineString:
		if t.NumLineStrings() == 1 {
			ls := t.LineString(0)
			return orb.LineString(pts(ls.FlatCoords(), ls.Stride())), nil
		}
		out := make(orb.MultiLineString, 0, t.NumLineStrings())
		for i := 0; i < t.NumLineStrings(); i++ {
			ls := t.LineString(i)
			out = append(out, orb.LineString(pts(ls.FlatCoords(), ls.Stride())))
		}
		return out, nil
	case *geom.Polygon:
		return poly(t), nil
	case *geom.MultiPolygon:
		if t.NumPolygons() == 1 {
			return poly(t.Polygon(0)), nil
		}
		out := make(orb.MultiPolygon, 0, t.NumPolygons())
		for i := 0; i < t.NumPolygons(); i++ {
			out = append(out, poly(t.Polygon(i)))
		}
		return out, nil
	case *geom.GeometryCollection:
		out := make(orb.Collection, 0, t.NumGeoms())
		for i := 0; i < t.NumGeoms(); i++ {
			c, err := geomToOrb(t.Geom(i))
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported geometry type %T", g)
}
