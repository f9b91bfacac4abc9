package vector

import (
	"errors"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom/encoding/wkb"

	"github.com/gisement/gisement/geo/gpb"
)

// DecodeGPB decodes a GeoPackageBinary blob to an orb geometry (Z and M
// dropped). The header is parsed by gpb.ParseHeader; the WKB by go-geom
// (orb's WKB decoder has no Z/M support, which input files may have). An
// empty geometry gives (nil, header, nil). Errors wrap ErrInvalidGeometry
// (and gpb.ErrMalformed for a bad header).
func DecodeGPB(b []byte) (orb.Geometry, gpb.Header, error) {
	h, err := gpb.ParseHeader(b)
	if err != nil {
		return nil, h, fmt.Errorf("%w: %w", ErrInvalidGeometry, err)
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
