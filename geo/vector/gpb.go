package vector

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom/encoding/wkb"
)

// GPBHeader is the header of a GeoPackageBinary geometry blob (OGC
// GeoPackage 1.3, §2.1.3 "GeoPackageBinary format").
type GPBHeader struct {
	Version      uint8
	LittleEndian bool      // byte order of SRSID and Envelope (flags bit 0)
	Empty        bool      // flags bit 4: empty geometry
	Extended     bool      // flags bit 5: ExtendedGeoPackageBinary (not readable here)
	SRSID        int32     // gpkg_spatial_ref_sys.srs_id
	Envelope     []float64 // [minx, maxx, miny, maxy (, minz, maxz | minm, maxm (, minm, maxm))], nil if absent
	Size         int       // header length in bytes; the WKB starts there
}

// ParseGPBHeader parses the header of a GeoPackageBinary blob. It never
// panics; errors wrap ErrInvalidGeometry.
func ParseGPBHeader(b []byte) (GPBHeader, error) {
	var h GPBHeader
	if len(b) < 8 || b[0] != 'G' || b[1] != 'P' {
		return h, fmt.Errorf("%w: not a GeoPackage geometry (no \"GP\" magic)", ErrInvalidGeometry)
	}
	h.Version = b[2]
	if h.Version != 0 {
		return h, fmt.Errorf("%w: GeoPackage geometry version %d, want 0 (v1)", ErrInvalidGeometry, h.Version)
	}
	flags := b[3]
	h.LittleEndian = flags&0x01 != 0
	envKind := (flags >> 1) & 0x07
	h.Empty = flags&0x10 != 0
	h.Extended = flags&0x20 != 0
	var order binary.ByteOrder = binary.BigEndian
	if h.LittleEndian {
		order = binary.LittleEndian
	}
	h.SRSID = int32(order.Uint32(b[4:8]))
	var n int
	switch envKind {
	case 0:
	case 1:
		n = 4
	case 2, 3:
		n = 6
	case 4:
		n = 8
	default:
		return h, fmt.Errorf("%w: invalid envelope indicator %d", ErrInvalidGeometry, envKind)
	}
	h.Size = 8 + 8*n
	if len(b) < h.Size {
		return h, fmt.Errorf("%w: blob of %d bytes shorter than its %d-byte header", ErrInvalidGeometry, len(b), h.Size)
	}
	if n > 0 {
		h.Envelope = make([]float64, n)
		for i := range n {
			h.Envelope[i] = math.Float64frombits(order.Uint64(b[8+8*i:]))
		}
	}
	return h, nil
}

// DecodeGPB decodes a GeoPackageBinary blob to an orb geometry (Z and M
// dropped). An empty geometry gives (nil, header, nil). WKB decoding is
// go-geom's (orb's WKB decoder has no Z/M support).
func DecodeGPB(b []byte) (orb.Geometry, GPBHeader, error) {
	h, err := ParseGPBHeader(b)
	if err != nil {
		return nil, h, err
	}
	if h.Extended {
		return nil, h, fmt.Errorf("%w: extended GeoPackage geometry types are not supported", ErrInvalidGeometry)
	}
	if h.Empty && len(b) == h.Size {
		return nil, h, nil
	}
	if err := checkWKB(b[h.Size:]); err != nil {
		return nil, h, fmt.Errorf("%w: WKB: %v", ErrInvalidGeometry, err)
	}
	g, err := wkb.Unmarshal(b[h.Size:])
	if err != nil {
		return nil, h, fmt.Errorf("%w: WKB: %v", ErrInvalidGeometry, err)
	}
	if h.Empty {
		return nil, h, nil
	}
	og, err := geomToOrb(g)
	if err != nil {
		return nil, h, fmt.Errorf("%w: %v", ErrInvalidGeometry, err)
	}
	if og == nil {
		return nil, h, errors.New("empty geometry")
	}
	return og, h, nil
}
