package raster

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gisement/gisement/geo/crs"
)

// ErrASCIIGrid is wrapped by errors about ESRI ASCII grid content.
var ErrASCIIGrid = errors.New("invalid ESRI ASCII grid")

// ReadASCIIGrid reads an ESRI ASCII grid (.asc, or gzip-compressed .asc.gz).
//
// Header keys (case-insensitive, any order, GDAL AAIGrid/ESRI conventions):
// ncols, nrows, xllcorner or xllcenter, yllcorner or yllcenter, cellsize (or
// dx and dy), optional NODATA_value. The y of the lower-left is the bottom
// edge (…corner) or the bottom cell centre (…center). Values follow, nrows
// rows of ncols numbers, north first, separated by any white space. The CRS
// is taken from a .prj beside the file (name.prj, with .asc/.asc.gz
// stripped), else from ReadOptions.EPSG.
func ReadASCIIGrid(path string, opts ...ReadOptions) (*Grid, error) {
	var o ReadOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, &FormatError{File: path, Where: "gzip header", Err: ErrASCIIGrid, Msg: err.Error()}
		}
		defer zr.Close()
		r = zr
	}
	g, err := ReadASCIIGridFrom(r, path, o)
	if err != nil {
		return nil, err
	}
	if epsg := epsgFromPRJFile(path); epsg != 0 {
		g.EPSG = epsg
	}
	return g, nil
}

// ReadASCIIGridFrom reads an ESRI ASCII grid from r; name is used in errors.
func ReadASCIIGridFrom(r io.Reader, name string, o ReadOptions) (*Grid, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 64*1024*1024)
	line := 0
	fail := func(where, format string, args ...any) error {
		return &FormatError{File: name, Where: where, Err: ErrASCIIGrid, Msg: fmt.Sprintf(format, args...)}
	}
	hdr := map[string]float64{}
	hdrLine := map[string]int{}
	var pending [][]byte // first data line, already read
	for sc.Scan() {
		line++
		fields := bytes.Fields(sc.Bytes())
		if len(fields) == 0 {
			continue
		}
		key := strings.ToLower(string(fields[0]))
		if c := key[0]; c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9') {
			pending = fields
			break
		}
		if len(fields) != 2 {
			return nil, fail(fmt.Sprintf("line %d", line), "header line %q must be \"key value\"", sc.Text())
		}
		switch key {
		case "ncols", "nrows", "xllcorner", "xllcenter", "yllcorner", "yllcenter", "cellsize", "dx", "dy", "nodata_value":
		default:
			return nil, fail(fmt.Sprintf("line %d field 1", line), "unknown header key %q", fields[0])
		}
		if _, dup := hdr[key]; dup {
			return nil, fail(fmt.Sprintf("line %d field 1", line), "header key %q repeated (first on line %d)", key, hdrLine[key])
		}
		v, err := strconv.ParseFloat(string(fields[1]), 64)
		if err != nil || math.IsInf(v, 0) || (math.IsNaN(v) && key != "nodata_value") {
			return nil, fail(fmt.Sprintf("line %d field 2", line), "%s value %q is not a finite number", key, fields[1])
		}
		hdr[key], hdrLine[key] = v, line
	}
	if err := sc.Err(); err != nil {
		return nil, fail(fmt.Sprintf("line %d", line+1), "%v", err)
	}
	need := func(k string) (float64, error) {
		v, ok := hdr[k]
		if !ok {
			return 0, fail("header", "missing %s", k)
		}
		return v, nil
	}
	nc, err := need("ncols")
	if err != nil {
		return nil, err
	}
	nr, err := need("nrows")
	if err != nil {
		return nil, err
	}
	if nc != math.Trunc(nc) || nr != math.Trunc(nr) || nc < 1 || nr < 1 {
		return nil, fail(fmt.Sprintf("line %d", hdrLine["ncols"]), "ncols %g and nrows %g must be positive integers", nc, nr)
	}
	if nc*nr > float64(o.maxPixels()) {
		return nil, &FormatError{File: name, Where: "header", Err: ErrTooLarge, Msg: fmt.Sprintf("%g×%g cells exceeds the limit of %d", nc, nr, o.maxPixels())}
	}
	dx, dy := hdr["cellsize"], hdr["cellsize"]
	if _, ok := hdr["cellsize"]; !ok {
		var e1, e2 error
		dx, e1 = need("dx")
		dy, e2 = need("dy")
		if e1 != nil || e2 != nil {
			return nil, fail("header", "missing cellsize (or dx and dy)")
		}
	}
	if !(dx > 0) || !(dy > 0) {
		return nil, fail("header", "cell size %g×%g must be positive", dx, dy)
	}
	var x0, y0 float64
	_, xc := hdr["xllcorner"]
	_, xm := hdr["xllcenter"]
	_, yc := hdr["yllcorner"]
	_, ym := hdr["yllcenter"]
	switch {
	case xc && !xm:
		x0 = hdr["xllcorner"]
	case xm && !xc:
		x0 = hdr["xllcenter"] - dx/2
	default:
		return nil, fail("header", "need exactly one of xllcorner, xllcenter")
	}
	switch {
	case yc && !ym:
		y0 = hdr["yllcorner"]
	case ym && !yc:
		y0 = hdr["yllcenter"] - dy/2
	default:
		return nil, fail("header", "need exactly one of yllcorner, yllcenter")
	}
	w, h := int(nc), int(nr)
	g := &Grid{Width: w, Height: h, OriginX: x0, OriginY: y0 + float64(h)*dy,
		PixelSizeX: dx, PixelSizeY: -dy, EPSG: o.EPSG}
	if v, ok := hdr["nodata_value"]; ok {
		g.NoData, g.HasNoData = v, true
	}
	if err := g.checkGeometry(); err != nil {
		return nil, fail("header", "%v", err)
	}
	// Values: grow the slice as they come, so a lying header cannot make us
	// allocate more than the file holds.
	total := w * h
	g.Data = make([]float64, 0, min(total, 1<<20))
	rowStart := line
	consume := func(fields [][]byte) error {
		for i, f := range fields {
			if len(g.Data) >= total {
				return fail(fmt.Sprintf("line %d field %d", line, i+1), "more than ncols×nrows = %d values", total)
			}
			v, err := strconv.ParseFloat(string(f), 64)
			if err != nil {
				return fail(fmt.Sprintf("line %d field %d", line, i+1), "value %q is not a number", f)
			}
			g.Data = append(g.Data, v)
		}
		return nil
	}
	if pending != nil {
		if err := consume(pending); err != nil {
			return nil, err
		}
	}
	for sc.Scan() {
		line++
		if err := consume(bytes.Fields(sc.Bytes())); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fail(fmt.Sprintf("line %d", line+1), "%v", err)
	}
	if len(g.Data) != total {
		return nil, fail(fmt.Sprintf("lines %d–%d", rowStart, line), "%d values, ncols×nrows = %d×%d = %d expected", len(g.Data), w, h, total)
	}
	return g, nil
}

// Read reads a grid, choosing the reader from the file extension: .tif,
// .tiff (GeoTIFF), .asc, .asc.gz (ESRI ASCII grid).
func Read(path string, opts ...ReadOptions) (*Grid, error) {
	l := strings.ToLower(path)
	switch {
	case strings.HasSuffix(l, ".tif"), strings.HasSuffix(l, ".tiff"):
		return ReadGeoTIFF(path, opts...)
	case strings.HasSuffix(l, ".asc"), strings.HasSuffix(l, ".asc.gz"):
		return ReadASCIIGrid(path, opts...)
	}
	return nil, &FormatError{File: path, Err: ErrUnsupported, Msg: "unknown raster extension; expected .tif, .tiff, .asc or .asc.gz"}
}

// epsgFromPRJFile looks for name.prj beside path (stripping .gz, .asc,
// .tif, .tiff) and returns its EPSG code, 0 when absent or unknown.
func epsgFromPRJFile(path string) int {
	base := path
	for _, ext := range []string{".gz", ".asc", ".tiff", ".tif"} {
		if strings.HasSuffix(strings.ToLower(base), ext) {
			base = base[:len(base)-len(ext)]
		}
	}
	for _, ext := range []string{".prj", ".PRJ"} {
		b, err := os.ReadFile(filepath.Clean(base + ext))
		if err == nil && len(b) < 1<<20 {
			return crs.EPSGFromWKT(string(b))
		}
	}
	return 0
}
