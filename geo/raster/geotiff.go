package raster

// GeoTIFF reader, written by hand: golang.org/x/image/tiff decodes only to
// image.Image (8/16-bit integer colour models, no float32/float64 samples, no
// GeoTIFF tags, no floating-point predictor), and no maintained pure-Go
// GeoTIFF reader for float rasters is available to us (cgo GDAL bindings are
// ruled out by the pure-Go build). We reuse the TIFF-flavoured LZW decoder
// golang.org/x/image/tiff/lzw and compress/zlib for Deflate.
//
// Scope: classic TIFF and BigTIFF, both byte orders, first IFD only, one band
// (SamplesPerPixel 1, PlanarConfiguration 1), strips or tiles, compression
// none/LZW/Deflate, predictors 1, 2 and 3, sample formats uint/int 8/16/32 and
// float 32/64, ModelPixelScale + ModelTiepoint or a rotation-free
// ModelTransformation, GeoKeys (EPSG, PixelIsArea/PixelIsPoint), GDAL_NODATA.

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"golang.org/x/image/tiff/lzw"
)

// DefaultMaxPixels is the default cap on Width·Height accepted by readers
// (8 bytes per cell: 1e9 cells = 8 GB; lower it with ReadOptions.MaxPixels).
const DefaultMaxPixels = 1_000_000_000

// maxExpansion caps the declared uncompressed size of a compressed file
// relative to its size: Deflate cannot expand more than 1032:1 and TIFF LZW
// (12-bit codes, each adding at most one byte to the previous string) about
// 2730:1 in the best case, so a larger claim is a malformed or hostile file and
// is refused before any allocation.
const maxExpansion = 4096

// Sentinel errors wrapped by *FormatError.
var (
	ErrNotTIFF     = errors.New("not a TIFF file")
	ErrMalformed   = errors.New("malformed file")
	ErrUnsupported = errors.New("unsupported feature")
	ErrTooLarge    = errors.New("raster too large")
)

// FormatError reports a problem in a raster file: which file, which TIFF tag
// (or ASCII grid line/field) and what is wrong. It wraps one of ErrNotTIFF,
// ErrMalformed, ErrUnsupported, ErrTooLarge or an I/O error.
type FormatError struct {
	File  string // file name as given
	Where string // e.g. "tag 259 (Compression)", "line 7 field 3"
	Err   error
	Msg   string
}

func (e *FormatError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Where != "" {
		b.WriteString(": ")
		b.WriteString(e.Where)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	return b.String()
}

func (e *FormatError) Unwrap() error { return e.Err }

// ReadOptions tunes the readers.
type ReadOptions struct {
	// MaxPixels caps Width·Height (default DefaultMaxPixels).
	MaxPixels int64
	// EPSG is used when the file does not carry a CRS (ASCII grid without
	// .prj, GeoTIFF without GeoKeys). A CRS found in the file wins.
	EPSG int
	// headerOnly stops after the header (window.go: OpenGeoTIFF).
	headerOnly bool
}

func (o ReadOptions) maxPixels() int64 {
	if o.MaxPixels <= 0 {
		return DefaultMaxPixels
	}
	return o.MaxPixels
}

// TIFF tag numbers used here.
const (
	tagImageWidth      = 256
	tagImageLength     = 257
	tagBitsPerSample   = 258
	tagCompression     = 259
	tagStripOffsets    = 273
	tagSamplesPerPixel = 277
	tagRowsPerStrip    = 278
	tagStripByteCounts = 279
	tagPlanarConfig    = 284
	tagPredictor       = 317
	tagTileWidth       = 322
	tagTileLength      = 323
	tagTileOffsets     = 324
	tagTileByteCounts  = 325
	tagSampleFormat    = 339
	tagModelPixelScale = 33550
	tagModelTiepoint   = 33922
	tagModelTransform  = 34264
	tagGeoKeyDirectory = 34735
	tagGeoDoubleParams = 34736
	tagGDALNoData      = 42113
)

var tagNames = map[uint16]string{
	tagImageWidth: "ImageWidth", tagImageLength: "ImageLength", tagBitsPerSample: "BitsPerSample",
	tagCompression: "Compression", tagStripOffsets: "StripOffsets", tagSamplesPerPixel: "SamplesPerPixel",
	tagRowsPerStrip: "RowsPerStrip", tagStripByteCounts: "StripByteCounts", tagPlanarConfig: "PlanarConfiguration",
	tagPredictor: "Predictor", tagTileWidth: "TileWidth", tagTileLength: "TileLength", tagTileOffsets: "TileOffsets",
	tagTileByteCounts: "TileByteCounts", tagSampleFormat: "SampleFormat", tagModelPixelScale: "ModelPixelScale",
	tagModelTiepoint: "ModelTiepoint", tagModelTransform: "ModelTransformation", tagGeoKeyDirectory: "GeoKeyDirectory",
	tagGeoDoubleParams: "GeoDoubleParams", tagGDALNoData: "GDAL_NODATA",
}

func tagWhere(tag uint16) string {
	if n, ok := tagNames[tag]; ok {
		return fmt.Sprintf("tag %d (%s)", tag, n)
	}
	return fmt.Sprintf("tag %d", tag)
}

// ifdEntry is one raw IFD entry.
type ifdEntry struct {
	tag, typ uint16
	count    uint64
	// value holds the inline bytes when they fit, else nil and offset is set.
	inline []byte
	offset uint64
}

// tiffReader carries the state of one decode.
type tiffReader struct {
	r       io.ReaderAt
	size    int64
	name    string
	bo      binary.ByteOrder
	big     bool
	entries map[uint16]ifdEntry
	layout  *tiffLayout // set by a header-only read (window.go)
}

func (t *tiffReader) errf(sentinel error, where, format string, args ...any) error {
	return &FormatError{File: t.name, Where: where, Err: sentinel, Msg: fmt.Sprintf(format, args...)}
}

// readAt reads n bytes at off, bounds-checked against the file size.
func (t *tiffReader) readAt(off, n uint64, where string) ([]byte, error) {
	if off > uint64(t.size) || n > uint64(t.size)-off {
		return nil, t.errf(ErrMalformed, where, "%d bytes at offset %d run past the end of the file (%d bytes)", n, off, t.size)
	}
	buf := make([]byte, n)
	if _, err := t.r.ReadAt(buf, int64(off)); err != nil && !(errors.Is(err, io.EOF) && n == 0) {
		if errors.Is(err, io.EOF) {
			return nil, t.errf(ErrMalformed, where, "file truncated at offset %d", off)
		}
		return nil, &FormatError{File: t.name, Where: where, Err: err}
	}
	return buf, nil
}

// ReadGeoTIFF reads the first image of a GeoTIFF file.
func ReadGeoTIFF(path string, opts ...ReadOptions) (*Grid, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	g, err := ReadGeoTIFFFrom(f, st.Size(), path, opts...)
	if err != nil {
		return nil, err
	}
	if g.EPSG == 0 {
		g.EPSG = epsgFromPRJFile(path)
	}
	if g.EPSG == 0 && len(opts) > 0 {
		g.EPSG = opts[0].EPSG
	}
	return g, nil
}

// ReadGeoTIFFFrom reads a GeoTIFF of size bytes from r; name is used in
// error messages only.
func ReadGeoTIFFFrom(r io.ReaderAt, size int64, name string, opts ...ReadOptions) (*Grid, error) {
	var o ReadOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	t := &tiffReader{r: r, size: size, name: name}
	g, err := t.decode(o)
	if err != nil {
		return nil, err
	}
	if g.EPSG == 0 {
		g.EPSG = o.EPSG
	}
	return g, nil
}

func (t *tiffReader) decode(o ReadOptions) (*Grid, error) {
	if err := t.open(); err != nil {
		return nil, err
	}
	return t.image(o)
}

// open reads the header and the first IFD.
func (t *tiffReader) open() error {
	hdr, err := t.readAt(0, 8, "header")
	if err != nil {
		if errors.Is(err, ErrMalformed) {
			return t.errf(ErrNotTIFF, "header", "file shorter than a TIFF header (%d bytes)", t.size)
		}
		return err
	}
	switch string(hdr[:2]) {
	case "II":
		t.bo = binary.LittleEndian
	case "MM":
		t.bo = binary.BigEndian
	default:
		return t.errf(ErrNotTIFF, "header", "byte-order mark %q is neither II nor MM", hdr[:2])
	}
	var ifdOff uint64
	switch magic := t.bo.Uint16(hdr[2:4]); magic {
	case 42:
		ifdOff = uint64(t.bo.Uint32(hdr[4:8]))
	case 43:
		t.big = true
		h2, err := t.readAt(4, 12, "BigTIFF header")
		if err != nil {
			return err
		}
		if t.bo.Uint16(h2[0:2]) != 8 || t.bo.Uint16(h2[2:4]) != 0 {
			return t.errf(ErrMalformed, "BigTIFF header", "offset byte size %d, expected 8", t.bo.Uint16(h2[0:2]))
		}
		ifdOff = t.bo.Uint64(h2[4:12])
	default:
		return t.errf(ErrNotTIFF, "header", "magic number %d is neither 42 (TIFF) nor 43 (BigTIFF)", magic)
	}
	return t.readIFD(ifdOff)
}

var typeSizes = map[uint16]uint64{1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8, 17: 8, 18: 8}

func (t *tiffReader) readIFD(off uint64) error {
	cntSize, entSize, valSize := uint64(2), uint64(12), uint64(4)
	if t.big {
		cntSize, entSize, valSize = 8, 20, 8
	}
	cb, err := t.readAt(off, cntSize, "IFD")
	if err != nil {
		return err
	}
	var n uint64
	if t.big {
		n = t.bo.Uint64(cb)
	} else {
		n = uint64(t.bo.Uint16(cb))
	}
	if n == 0 || n > 4096 {
		return t.errf(ErrMalformed, "IFD", "%d entries (expected 1…4096)", n)
	}
	raw, err := t.readAt(off+cntSize, n*entSize, "IFD")
	if err != nil {
		return err
	}
	t.entries = make(map[uint16]ifdEntry, n)
	for i := uint64(0); i < n; i++ {
		e := raw[i*entSize : (i+1)*entSize]
		var ent ifdEntry
		ent.tag = t.bo.Uint16(e[0:2])
		ent.typ = t.bo.Uint16(e[2:4])
		var val []byte
		if t.big {
			ent.count = t.bo.Uint64(e[4:12])
			val = e[12:20]
		} else {
			ent.count = uint64(t.bo.Uint32(e[4:8]))
			val = e[8:12]
		}
		ts, ok := typeSizes[ent.typ]
		if !ok {
			// Unknown field types must be ignored (TIFF 6.0 §2); we only
			// fail if we need that tag, in value().
			t.entries[ent.tag] = ent
			continue
		}
		if ent.count > uint64(t.size) {
			return t.errf(ErrMalformed, tagWhere(ent.tag), "count %d larger than the file", ent.count)
		}
		if ent.count*ts <= valSize {
			ent.inline = val[:ent.count*ts]
		} else if t.big {
			ent.offset = t.bo.Uint64(val)
		} else {
			ent.offset = uint64(t.bo.Uint32(val))
		}
		t.entries[ent.tag] = ent
	}
	return nil
}

// raw returns the value bytes of an entry (bounds-checked).
func (t *tiffReader) raw(ent ifdEntry) ([]byte, error) {
	ts, ok := typeSizes[ent.typ]
	if !ok {
		return nil, t.errf(ErrMalformed, tagWhere(ent.tag), "unknown field type %d", ent.typ)
	}
	if ent.inline != nil {
		return ent.inline, nil
	}
	return t.readAt(ent.offset, ent.count*ts, tagWhere(ent.tag))
}

// tagValues decodes every value of tag with conv, which reads value i of
// field type typ from b and reports false for a type it does not accept
// (an error naming want). ok is false when the tag is absent.
func tagValues[T any](t *tiffReader, tag uint16, want string, conv func(typ uint16, b []byte, i int) (T, bool)) (_ []T, ok bool, _ error) {
	ent, ok := t.entries[tag]
	if !ok {
		return nil, false, nil
	}
	b, err := t.raw(ent)
	if err != nil {
		return nil, true, err
	}
	out := make([]T, ent.count)
	for i := range out {
		v, ok := conv(ent.typ, b, i)
		if !ok {
			return nil, true, t.errf(ErrMalformed, tagWhere(tag), "field type %d is not %s", ent.typ, want)
		}
		out[i] = v
	}
	return out, true, nil
}

// uints returns an integer tag's values (BYTE, SHORT, LONG, LONG8, IFD8).
func (t *tiffReader) uints(tag uint16) ([]uint64, bool, error) {
	return tagValues(t, tag, "an unsigned integer type", func(typ uint16, b []byte, i int) (uint64, bool) {
		switch typ {
		case 1:
			return uint64(b[i]), true
		case 3:
			return uint64(t.bo.Uint16(b[2*i:])), true
		case 4:
			return uint64(t.bo.Uint32(b[4*i:])), true
		case 16, 18:
			return t.bo.Uint64(b[8*i:]), true
		}
		return 0, false
	})
}

// uint1 returns a single-valued integer tag, def when absent.
func (t *tiffReader) uint1(tag uint16, def uint64) (uint64, error) {
	v, ok, err := t.uints(tag)
	if err != nil {
		return 0, err
	}
	if !ok {
		return def, nil
	}
	if len(v) == 0 {
		return 0, t.errf(ErrMalformed, tagWhere(tag), "no value")
	}
	// Per-sample tags (BitsPerSample, SampleFormat) repeat the value.
	for _, x := range v[1:] {
		if x != v[0] {
			return 0, t.errf(ErrUnsupported, tagWhere(tag), "differing per-sample values %v", v)
		}
	}
	return v[0], nil
}

// doubles returns a DOUBLE (or FLOAT) tag's values.
func (t *tiffReader) doubles(tag uint16) ([]float64, bool, error) {
	return tagValues(t, tag, "DOUBLE", func(typ uint16, b []byte, i int) (float64, bool) {
		switch typ {
		case 12:
			return math.Float64frombits(t.bo.Uint64(b[8*i:])), true
		case 11:
			return float64(math.Float32frombits(t.bo.Uint32(b[4*i:]))), true
		}
		return 0, false
	})
}

func (t *tiffReader) ascii(tag uint16) (string, bool, error) {
	ent, ok := t.entries[tag]
	if !ok {
		return "", false, nil
	}
	if ent.typ != 2 {
		return "", true, t.errf(ErrMalformed, tagWhere(tag), "field type %d is not ASCII", ent.typ)
	}
	b, err := t.raw(ent)
	if err != nil {
		return "", true, err
	}
	return strings.TrimRight(string(b), "\x00 "), true, nil
}

// sampleKind describes the pixel encoding.
type sampleKind struct {
	bytes  int    // 1, 2, 4 or 8
	format uint64 // 1 uint, 2 int, 3 float
}

func (k sampleKind) decode(bo binary.ByteOrder, b []byte) float64 {
	switch k.format {
	case 1:
		switch k.bytes {
		case 1:
			return float64(b[0])
		case 2:
			return float64(bo.Uint16(b))
		case 4:
			return float64(bo.Uint32(b))
		}
	case 2:
		switch k.bytes {
		case 1:
			return float64(int8(b[0]))
		case 2:
			return float64(int16(bo.Uint16(b)))
		case 4:
			return float64(int32(bo.Uint32(b)))
		}
	case 3:
		switch k.bytes {
		case 4:
			return float64(math.Float32frombits(bo.Uint32(b)))
		case 8:
			return math.Float64frombits(bo.Uint64(b))
		}
	}
	return math.NaN()
}

// decompress fills dst exactly from src.
func (t *tiffReader) decompress(comp uint64, src, dst []byte, where string) error {
	var rd io.Reader
	switch comp {
	case 1:
		if len(src) < len(dst) {
			return t.errf(ErrMalformed, where, "uncompressed block holds %d bytes, %d expected", len(src), len(dst))
		}
		copy(dst, src)
		return nil
	case 5:
		rc := lzw.NewReader(bytes.NewReader(src), lzw.MSB, 8)
		defer rc.Close()
		rd = rc
	case 8, 32946:
		zr, err := zlib.NewReader(bytes.NewReader(src))
		if err != nil {
			return t.errf(ErrMalformed, where, "deflate: %v", err)
		}
		defer zr.Close()
		rd = zr
	}
	n, err := io.ReadFull(rd, dst)
	if err != nil {
		name := map[uint64]string{5: "LZW", 8: "deflate", 32946: "deflate"}[comp]
		return t.errf(ErrMalformed, where, "%s: decoded %d of %d bytes: %v", name, n, len(dst), err)
	}
	return nil
}

// GeoKey IDs (GeoTIFF 1.0 §6.2).
const (
	keyModelType      = 1024
	keyRasterType     = 1025
	keyGeographicType = 2048
	keyProjectedType  = 3072
	rasterPixelIsArea = 1
	rasterPixelPoint  = 2
	userDefined       = 32767
)

// georef sets the geotransform and EPSG code from the GeoTIFF tags.
func (t *tiffReader) georef(g *Grid) error {
	rasterType := uint64(rasterPixelIsArea)
	if keys, ok, err := t.uints(tagGeoKeyDirectory); err != nil {
		return err
	} else if ok {
		if len(keys) < 4 {
			return t.errf(ErrMalformed, tagWhere(tagGeoKeyDirectory), "%d values, header needs 4", len(keys))
		}
		n := keys[3]
		if uint64(len(keys)) < 4+4*n {
			return t.errf(ErrMalformed, tagWhere(tagGeoKeyDirectory), "%d keys declared, room for %d", n, (len(keys)-4)/4)
		}
		var geog, proj uint64
		for i := uint64(0); i < n; i++ {
			k := keys[4+4*i : 8+4*i]
			if k[1] != 0 { // value stored in another tag: not needed here
				continue
			}
			switch k[0] {
			case keyRasterType:
				rasterType = k[3]
			case keyGeographicType:
				geog = k[3]
			case keyProjectedType:
				proj = k[3]
			}
		}
		switch {
		case proj != 0 && proj != userDefined:
			g.EPSG = int(proj)
		case geog != 0 && geog != userDefined:
			g.EPSG = int(geog)
		}
	}
	scale, hasScale, err := t.doubles(tagModelPixelScale)
	if err != nil {
		return err
	}
	tie, hasTie, err := t.doubles(tagModelTiepoint)
	if err != nil {
		return err
	}
	mt, hasMT, err := t.doubles(tagModelTransform)
	if err != nil {
		return err
	}
	switch {
	case hasScale && hasTie:
		if len(scale) < 2 {
			return t.errf(ErrMalformed, tagWhere(tagModelPixelScale), "%d values, need at least 2", len(scale))
		}
		if len(tie) < 6 {
			return t.errf(ErrMalformed, tagWhere(tagModelTiepoint), "%d values, need 6", len(tie))
		}
		if len(tie) > 6 {
			return t.errf(ErrUnsupported, tagWhere(tagModelTiepoint), "%d tie points (ground control points); only one tie point with ModelPixelScale is supported", len(tie)/6)
		}
		g.PixelSizeX = scale[0]
		g.PixelSizeY = -scale[1]
		g.OriginX = tie[3] - tie[0]*g.PixelSizeX
		g.OriginY = tie[4] - tie[1]*g.PixelSizeY
	case hasMT:
		if len(mt) != 16 {
			return t.errf(ErrMalformed, tagWhere(tagModelTransform), "%d values, need 16", len(mt))
		}
		if mt[1] != 0 || mt[4] != 0 {
			return t.errf(ErrUnsupported, tagWhere(tagModelTransform), "rotated or sheared grid (terms %g, %g); resample it north-up first (gdalwarp)", mt[1], mt[4])
		}
		g.PixelSizeX, g.OriginX = mt[0], mt[3]
		g.PixelSizeY, g.OriginY = mt[5], mt[7]
	default:
		return t.errf(ErrMalformed, tagWhere(tagModelPixelScale), "no georeferencing (ModelPixelScale+ModelTiepoint or ModelTransformation)")
	}
	if rasterType == rasterPixelPoint {
		// PixelIsPoint: the tie point refers to the centre of the pixel,
		// shift by half a pixel to the corner (as GDAL does by default).
		g.OriginX -= 0.5 * g.PixelSizeX
		g.OriginY -= 0.5 * g.PixelSizeY
	}
	if g.PixelSizeX < 0 {
		return t.errf(ErrUnsupported, tagWhere(tagModelPixelScale), "negative x pixel size %g (mirrored grid)", g.PixelSizeX)
	}
	if err := g.checkGeometry(); err != nil {
		return t.errf(ErrMalformed, tagWhere(tagModelPixelScale), "%v", err)
	}
	return nil
}

func (t *tiffReader) nodata(g *Grid, k sampleKind) error {
	s, ok, err := t.ascii(tagGDALNoData)
	if err != nil || !ok {
		return err
	}
	s = strings.TrimSpace(s)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if strings.EqualFold(s, "nan") {
			v = math.NaN()
		} else {
			return t.errf(ErrMalformed, tagWhere(tagGDALNoData), "value %q is not a number", s)
		}
	}
	if k.format == 3 && k.bytes == 4 {
		v = float64(float32(v)) // compare in the file's precision
	}
	g.NoData, g.HasNoData = v, true
	return nil
}
