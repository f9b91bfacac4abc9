// Package gpb reads and writes the header of GeoPackageBinary geometry
// blobs, the geometry encoding of GeoPackage feature tables (OGC GeoPackage
// Encoding Standard 1.3, OGC 12-128r18, §2.1.3 "GeoPackageBinary format"):
//
//	"GP" magic, version byte (0 = version 1), flags byte, int32 srs_id,
//	optional envelope of 4, 6 or 8 float64, then a standard WKB geometry.
//
// Flags: bit 0 byte order of srs_id and envelope (1 = little endian), bits
// 1-3 envelope indicator (0 none, 1 [minx, maxx, miny, maxy], 2 + [minz,
// maxz], 3 + [minm, maxm], 4 + both), bit 4 empty geometry, bit 5
// ExtendedGeoPackageBinary. It is the one blob parser of the code base:
// geo/vector (reading GeoPackage input layers) and data/gpkg (the result
// store) both use it. The WKB body is decoded by each caller: geo/vector
// with go-geom (which handles the Z and M coordinates found in input
// files), data/gpkg with orb's faster 2-D decoder for the blobs it writes.
package gpb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// ErrMalformed is wrapped by every error of ParseHeader.
var ErrMalformed = errors.New("malformed GeoPackageBinary geometry")

// Flag bits of the header's flags byte (§2.1.3.1.1).
const (
	FlagLittleEndian = 0x01
	flagEnvelopeXY   = 0x02 // envelope indicator 1 in bits 1-3
	FlagEmpty        = 0x10
	FlagExtended     = 0x20
)

// minHeader is the size of a header without envelope; HeaderSizeXY the
// size of the header AppendHeader writes (XY envelope).
const (
	minHeader    = 8
	HeaderSizeXY = minHeader + 32
)

// Header is a parsed GeoPackageBinary header.
type Header struct {
	Version      uint8 // 0 for GeoPackage version 1 (the only one)
	LittleEndian bool  // byte order of SRSID and Envelope (flags bit 0)
	Empty        bool  // flags bit 4: empty geometry
	Extended     bool  // flags bit 5: ExtendedGeoPackageBinary
	SRSID        int32 // gpkg_spatial_ref_sys.srs_id
	// Envelope holds EnvelopeLen values (0, 4, 6 or 8): [minx, maxx, miny,
	// maxy (, minz, maxz | minm, maxm (, minm, maxm))]. A fixed array, so
	// that parsing does not allocate (it runs per row in SQL functions).
	Envelope    [8]float64
	EnvelopeLen int
	Size        int // header length in bytes; the WKB starts there
}

// Bound returns the XY envelope, false when the header has none.
func (h *Header) Bound() (orb.Bound, bool) {
	if h.EnvelopeLen < 4 {
		return orb.Bound{}, false
	}
	e := &h.Envelope
	return orb.Bound{Min: orb.Point{e[0], e[2]}, Max: orb.Point{e[1], e[3]}}, true
}

// ParseHeader parses the header of blob b. It never panics and checks the
// magic, the version (0), the envelope indicator (0-4) and that b holds the
// whole header; errors wrap ErrMalformed. Extended blobs are parsed
// (Extended is set): rejecting them is the caller's choice.
func ParseHeader(b []byte) (Header, error) {
	var h Header
	if len(b) < minHeader || b[0] != 'G' || b[1] != 'P' {
		return h, fmt.Errorf("%w: no \"GP\" magic and 8-byte header", ErrMalformed)
	}
	h.Version = b[2]
	if h.Version != 0 {
		return h, fmt.Errorf("%w: version %d, want 0 (GeoPackage 1)", ErrMalformed, h.Version)
	}
	flags := b[3]
	h.LittleEndian = flags&FlagLittleEndian != 0
	h.Empty = flags&FlagEmpty != 0
	h.Extended = flags&FlagExtended != 0
	var order binary.ByteOrder = binary.BigEndian
	if h.LittleEndian {
		order = binary.LittleEndian
	}
	h.SRSID = int32(order.Uint32(b[4:8]))
	switch ind := (flags >> 1) & 0x07; ind {
	case 0:
	case 1:
		h.EnvelopeLen = 4
	case 2, 3:
		h.EnvelopeLen = 6
	case 4:
		h.EnvelopeLen = 8
	default:
		return h, fmt.Errorf("%w: invalid envelope indicator %d", ErrMalformed, ind)
	}
	h.Size = minHeader + 8*h.EnvelopeLen
	if len(b) < h.Size {
		return h, fmt.Errorf("%w: blob of %d bytes shorter than its %d-byte header", ErrMalformed, len(b), h.Size)
	}
	for i := range h.EnvelopeLen {
		h.Envelope[i] = math.Float64frombits(order.Uint64(b[minHeader+8*i:]))
	}
	return h, nil
}

// AppendHeader appends to dst a little-endian version-0 header with srsID
// and the XY envelope env (flags 0x03, HeaderSizeXY bytes), which lets
// R-tree bounds and ST_MinX & co. be read without decoding the WKB.
// Hand-written because no pure-Go library among our dependencies writes
// GeoPackageBinary.
func AppendHeader(dst []byte, srsID int32, env orb.Bound) []byte {
	dst = append(dst, 'G', 'P', 0, FlagLittleEndian|flagEnvelopeXY)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(srsID))
	for _, v := range [4]float64{env.Min[0], env.Max[0], env.Min[1], env.Max[1]} {
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
	}
	return dst
}
