package gpkg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// GeoPackageBinary (GeoPackage 1.3 §2.1.3): "GP", version 0, flags, int32
// SRID, optional envelope, then ISO/OGC WKB. We always write a little-endian
// header with an XY envelope [minx, maxx, miny, maxy] (flags 0b00000011),
// which lets the R-tree bounds and ST_MinX & co. be read without decoding
// the WKB. The header is hand-written (24 + 32 bytes) because no pure-Go
// library among our dependencies writes it; the WKB body is orb's encoder.

const (
	gpMagic0       = 'G'
	gpMagic1       = 'P'
	flagLittle     = 0x01
	flagEnvXY      = 0x02 // envelope indicator 1 in bits 1-3
	flagEmpty      = 0x10
	headerLenNoEnv = 8
)

// ErrBadBlob is returned for a malformed GeoPackage geometry blob.
var ErrBadBlob = errors.New("gpkg: malformed GeoPackageBinary geometry")

// encoder appends GeoPackageBinary blobs to a reused buffer.
type encoder struct {
	buf bytes.Buffer
	enc *wkb.Encoder
}

func newEncoder() *encoder {
	e := &encoder{}
	e.enc = wkb.NewEncoder(&e.buf).SetByteOrder(binary.LittleEndian)
	return e
}

// encode returns the blob of g (valid until the next call) and its bound.
func (e *encoder) encode(g orb.Geometry, srid int) ([]byte, orb.Bound, error) {
	e.buf.Reset()
	b := g.Bound()
	var h [headerLenNoEnv + 32]byte
	h[0], h[1], h[2], h[3] = gpMagic0, gpMagic1, 0, flagLittle|flagEnvXY
	binary.LittleEndian.PutUint32(h[4:], uint32(int32(srid)))
	binary.LittleEndian.PutUint64(h[8:], math.Float64bits(b.Min[0]))
	binary.LittleEndian.PutUint64(h[16:], math.Float64bits(b.Max[0]))
	binary.LittleEndian.PutUint64(h[24:], math.Float64bits(b.Min[1]))
	binary.LittleEndian.PutUint64(h[32:], math.Float64bits(b.Max[1]))
	e.buf.Write(h[:])
	if err := e.enc.Encode(g); err != nil {
		return nil, b, fmt.Errorf("gpkg: encode %T: %w", g, err)
	}
	return e.buf.Bytes(), b, nil
}

// envelopeLen returns the envelope size in bytes for indicator ind.
func envelopeLen(ind byte) (int, bool) {
	switch ind {
	case 0:
		return 0, true
	case 1:
		return 32, true
	case 2, 3:
		return 48, true
	case 4:
		return 64, true
	}
	return 0, false
}

type header struct {
	srid   int32
	order  binary.ByteOrder
	empty  bool
	env    *orb.Bound
	wkbOff int
}

func parseHeader(blob []byte) (header, error) {
	var h header
	if len(blob) < headerLenNoEnv || blob[0] != gpMagic0 || blob[1] != gpMagic1 {
		return h, ErrBadBlob
	}
	flags := blob[3]
	if flags&0x20 != 0 {
		return h, fmt.Errorf("%w: extended geometry types are not supported", ErrBadBlob)
	}
	h.order = binary.ByteOrder(binary.BigEndian)
	if flags&flagLittle != 0 {
		h.order = binary.LittleEndian
	}
	h.empty = flags&flagEmpty != 0
	n, ok := envelopeLen((flags >> 1) & 0x07)
	if !ok || len(blob) < headerLenNoEnv+n {
		return h, ErrBadBlob
	}
	h.srid = int32(h.order.Uint32(blob[4:]))
	if n > 0 {
		f := func(i int) float64 { return math.Float64frombits(h.order.Uint64(blob[headerLenNoEnv+8*i:])) }
		h.env = &orb.Bound{Min: orb.Point{f(0), f(2)}, Max: orb.Point{f(1), f(3)}}
	}
	h.wkbOff = headerLenNoEnv + n
	return h, nil
}

// decodeGeom decodes a GeoPackageBinary blob into an orb geometry.
func decodeGeom(blob []byte) (orb.Geometry, error) {
	h, err := parseHeader(blob)
	if err != nil {
		return nil, err
	}
	g, err := wkb.Unmarshal(blob[h.wkbOff:])
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadBlob, err)
	}
	return g, nil
}

// wkbBody returns the WKB part of a blob.
func wkbBody(blob []byte) ([]byte, error) {
	h, err := parseHeader(blob)
	if err != nil {
		return nil, err
	}
	return blob[h.wkbOff:], nil
}

// blobBound returns the envelope of a blob (from the header when present).
func blobBound(blob []byte) (orb.Bound, bool, error) {
	h, err := parseHeader(blob)
	if err != nil {
		return orb.Bound{}, false, err
	}
	if h.empty {
		return orb.Bound{}, true, nil
	}
	if h.env != nil {
		return *h.env, false, nil
	}
	g, err := wkb.Unmarshal(blob[h.wkbOff:])
	if err != nil {
		return orb.Bound{}, false, fmt.Errorf("%w: %w", ErrBadBlob, err)
	}
	return g.Bound(), false, nil
}
