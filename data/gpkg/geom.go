package gpkg

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/gisement/gisement/geo/gpb"
)

// Geometries are stored as GeoPackageBinary blobs (GeoPackage 1.3 §2.1.3),
// whose header is read and written by package geo/gpb: we always write a
// little-endian header with an XY envelope [minx, maxx, miny, maxy], which
// lets the R-tree bounds and ST_MinX & co. be read without decoding the
// WKB. The WKB body is orb's (2-D, the only kind this store writes).

// ErrBadBlob is returned for a malformed GeoPackage geometry blob. It is
// gpb.ErrMalformed (the same value).
var ErrBadBlob = gpb.ErrMalformed

// encoder appends GeoPackageBinary blobs to a reused buffer.
type encoder struct {
	buf bytes.Buffer
	enc *wkb.Encoder
	hdr []byte
}

func newEncoder() *encoder {
	e := &encoder{hdr: make([]byte, 0, gpb.HeaderSizeXY)}
	e.enc = wkb.NewEncoder(&e.buf).SetByteOrder(binary.LittleEndian)
	return e
}

// encode returns the blob of g (valid until the next call) and its bound.
func (e *encoder) encode(g orb.Geometry, srid int) ([]byte, orb.Bound, error) {
	e.buf.Reset()
	b := g.Bound()
	e.hdr = gpb.AppendHeader(e.hdr[:0], int32(srid), b)
	e.buf.Write(e.hdr)
	if err := e.enc.Encode(g); err != nil {
		return nil, b, fmt.Errorf("gpkg: encode %T: %w", g, err)
	}
	return e.buf.Bytes(), b, nil
}

// parseHeader is gpb.ParseHeader, rejecting extended geometry types.
func parseHeader(blob []byte) (gpb.Header, error) {
	h, err := gpb.ParseHeader(blob)
	if err == nil && h.Extended {
		err = fmt.Errorf("%w: extended geometry types are not supported", ErrBadBlob)
	}
	return h, err
}

// decodeGeom decodes a GeoPackageBinary blob into an orb geometry.
func decodeGeom(blob []byte) (orb.Geometry, error) {
	h, err := parseHeader(blob)
	if err != nil {
		return nil, err
	}
	g, err := wkb.Unmarshal(blob[h.Size:])
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
	return blob[h.Size:], nil
}

// blobBound returns the envelope of a blob (from the header when present).
func blobBound(blob []byte) (orb.Bound, bool, error) {
	h, err := parseHeader(blob)
	if err != nil {
		return orb.Bound{}, false, err
	}
	if h.Empty {
		return orb.Bound{}, true, nil
	}
	if b, ok := h.Bound(); ok {
		return b, false, nil
	}
	g, err := wkb.Unmarshal(blob[h.Size:])
	if err != nil {
		return orb.Bound{}, false, fmt.Errorf("%w: %w", ErrBadBlob, err)
	}
	return g.Bound(), false, nil
}
