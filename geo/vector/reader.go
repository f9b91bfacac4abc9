package vector

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/crs"
)

// OpenOptions selects how a layer is opened.
type OpenOptions struct {
	// EPSG overrides the file's CRS (0 = use the declared CRS, else detect).
	EPSG int
	// Layer is the GeoPackage table to read; "" = the only (or first, by
	// table name) feature layer. Ignored for other formats.
	Layer string
	// FS, when not nil, holds the file: the path is a name in FS (io/fs
	// rules, e.g. an embedded sample). Only GeoJSON (optionally gzipped)
	// is read from an FS; Shapefile and GeoPackage need a real file.
	FS fs.FS

	// slowJSON reads GeoJSON features with encoding/json only (the
	// reference path the fast path is tested against).
	slowJSON bool
}

// openFile opens path in fsys, or on disk when fsys is nil.
func openFile(fsys fs.FS, path string) (io.ReadCloser, error) {
	if fsys != nil {
		return fsys.Open(path)
	}
	return os.Open(path)
}

// Format names returned in LayerInfo.Format.
const (
	FormatGeoJSON   = "geojson"
	FormatShapefile = "shapefile"
	FormatGPKG      = "gpkg"
)

// How the layer CRS was obtained (LayerInfo.CRSSource).
const (
	CRSFromFlag    = "flag"                 // OpenOptions.EPSG
	CRSDeclared    = "declared"             // crs member, .prj, gpkg_spatial_ref_sys
	CRSAssumed7946 = "assumed-rfc7946"      // GeoJSON without crs member: EPSG:4326
	CRSFromBounds  = "detected-from-bounds" // crs.Detect on the layer bounds
)

// LayerInfo describes an opened layer.
type LayerInfo struct {
	Path      string
	Format    string // FormatGeoJSON, FormatShapefile or FormatGPKG
	Layer     string // GeoPackage table name, shapefile base name, "" for GeoJSON
	EPSG      int
	CRSSource string   // CRSFromFlag, CRSDeclared, CRSAssumed7946 or CRSFromBounds
	CRSName   string   // the CRS as written in the file (crs name, PRJ WKT name, srs_name), "" if none
	Fields    []string // attribute names in file order (GeoJSON: those of the first feature)
	Count     int      // number of features when known before reading, else -1
	Encoding  string   // shapefile DBF character set actually used, else ""
}

// source is one format's streaming reader.
type source interface {
	next() (Feature, error)
	close() error
}

// Reader streams the features of one layer. It is not safe for concurrent use.
type Reader struct {
	info  LayerInfo
	src   source
	queue []pending // features read ahead by Open (CRS check), returned first
	err   error     // sticky fatal error
}

// Open opens a vector file. The format is chosen by content (gzip magic,
// zip magic, SQLite header, '{') and extension: .geojson, .json (optionally
// .gz), .shp, .zip (zipped shapefile), .gpkg.
func Open(path string, o OpenOptions) (*Reader, error) {
	format, err := sniff(o.FS, path)
	if err != nil {
		return nil, err
	}
	if o.FS != nil && format != FormatGeoJSON {
		return nil, fmt.Errorf("vector: %s: %w: only GeoJSON is read from an fs.FS", path, ErrUnsupportedFormat)
	}
	r := &Reader{}
	switch format {
	case FormatGeoJSON:
		err = openGeoJSON(r, path, o)
	case FormatShapefile:
		err = openShapefile(r, path, o)
	case FormatGPKG:
		err = openGPKG(r, path, o)
	}
	if err != nil {
		if r.src != nil {
			_ = r.src.close()
		}
		return nil, err
	}
	return r, nil
}

// Info describes the layer. Fields that the reader only learns while
// reading (GeoJSON field names) are filled after the first Next.
func (r *Reader) Info() LayerInfo { return r.info }

// Next returns the next feature, io.EOF after the last one. A *FeatureError
// is non-fatal (the feature was rejected; call Next again); any other error
// is fatal and sticky. See the package documentation.
func (r *Reader) Next() (Feature, error) {
	if r.err != nil {
		return Feature{}, r.err
	}
	var f Feature
	var err error
	if len(r.queue) > 0 {
		f, err = r.queue[0].f, r.queue[0].err
		r.queue = r.queue[1:]
	} else {
		f, err = r.src.next()
	}
	if err != nil && !IsFeatureError(err) {
		r.err = err
	}
	return f, err
}

type pending struct {
	f   Feature
	err error
}

// maxReadAhead bounds how many features Open reads looking for a geometry
// to check the CRS against.
const maxReadAhead = 64

// readAheadAndCheck reads features until one has a geometry (at most
// maxReadAhead), queues them for Next, and checks that geometry's bounds
// against the layer CRS. For a GeoJSON whose CRS was only assumed (RFC 7946)
// and whose coordinates are Lambert-93 metres, it switches to EPSG:2154
// ("detected-from-bounds").
func (r *Reader) readAheadAndCheck() error {
	for len(r.queue) < maxReadAhead {
		f, err := r.src.next()
		if err == io.EOF {
			break
		}
		r.queue = append(r.queue, pending{f, err})
		if err != nil && !IsFeatureError(err) {
			return nil // delivered by Next after the features before it
		}
		if f.Geometry != nil {
			return r.checkCRS(f.Geometry.Bound(), fmt.Sprintf("feature %d", f.Index))
		}
	}
	return nil
}

// checkCRS checks sample bounds against r.info.EPSG (see readAheadAndCheck).
func (r *Reader) checkCRS(b orb.Bound, what string) error {
	err := crs.CheckBounds(r.info.EPSG, b)
	if err == nil {
		return nil
	}
	if r.info.CRSSource == CRSAssumed7946 {
		if code, ok := crs.Detect(b); ok && code != r.info.EPSG {
			r.info.EPSG, r.info.CRSSource = code, CRSFromBounds
			return nil
		}
	}
	return fmt.Errorf("%s: %s (CRS %s): %w", r.info.Path, what, r.info.CRSSource, err)
}

// Close releases the file.
func (r *Reader) Close() error {
	if r.src == nil {
		return nil
	}
	err := r.src.close()
	r.src = nil
	if r.err == nil {
		r.err = errors.New("vector: reader closed")
	}
	return err
}

// ReadAll opens path and calls fn for every feature that was read without
// error. Rejected features (*FeatureError) are NOT passed to fn: ReadAll stops
// at the first error of any kind, fatal or not, and returns it; callers that
// want to count and skip rejected features use Open and Next.
func ReadAll(path string, o OpenOptions, fn func(Feature) error) (LayerInfo, error) {
	r, err := Open(path, o)
	if err != nil {
		return LayerInfo{}, err
	}
	defer r.Close()
	for {
		f, err := r.Next()
		if err == io.EOF {
			return r.Info(), nil
		}
		if err != nil {
			return r.Info(), err
		}
		if err := fn(f); err != nil {
			return r.Info(), err
		}
	}
}

var (
	magicGzip   = []byte{0x1f, 0x8b}
	magicZip    = []byte("PK\x03\x04")
	magicSQLite = []byte("SQLite format 3\x00")
)

// sniff returns the format of path from its first bytes and extension.
func sniff(fsys fs.FS, path string) (string, error) {
	f, err := openFile(fsys, path)
	if err != nil {
		return "", fmt.Errorf("vector: %w", err)
	}
	defer f.Close()
	head := make([]byte, 16)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", fmt.Errorf("vector: %s: %w", path, err)
	}
	head = head[:n]
	lower := strings.ToLower(path)
	ext := filepath.Ext(lower)
	switch {
	case bytes.HasPrefix(head, magicSQLite):
		return FormatGPKG, nil
	case bytes.HasPrefix(head, magicZip):
		return FormatShapefile, nil
	case bytes.HasPrefix(head, magicGzip):
		return FormatGeoJSON, nil
	case ext == ".shp":
		return FormatShapefile, nil
	case ext == ".gpkg":
		return FormatGPKG, nil
	case ext == ".zip":
		return "", fmt.Errorf("vector: %s: %w: .zip without zip signature", path, ErrMalformed)
	}
	// Text: GeoJSON if the first non-space byte is '{'.
	if c, ok := firstNonSpace(fsys, path); ok && c == '{' {
		return FormatGeoJSON, nil
	}
	if ext == ".geojson" || ext == ".json" || ext == ".gz" {
		return FormatGeoJSON, nil // the JSON reader reports what is wrong
	}
	return "", fmt.Errorf("vector: %s: %w (expected .geojson, .json[.gz], .shp, .zip or .gpkg)", path, ErrUnsupportedFormat)
}

func firstNonSpace(fsys fs.FS, path string) (byte, bool) {
	f, err := openFile(fsys, path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	br := bufio.NewReader(f)
	for {
		c, err := br.ReadByte()
		if err != nil {
			return 0, false
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case 0xEF: // UTF-8 BOM
			continue
		case 0xBB, 0xBF:
			continue
		}
		return c, true
	}
}
