package land

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// OutdoorUnitSiting says whether an air-source outdoor unit fits.
type OutdoorUnitSiting struct {
	// OK: some point lies inside the parcel, outside every footprint, at
	// least setback from the parcel boundary.
	OK bool
	// CandidateAreaM2 is the area of such points, m².
	CandidateAreaM2 float64
}

// SiteOutdoorUnit checks the siting of an air-source heat pump's outdoor
// unit: the candidate area is the parcel shrunk by setbackM (a negative
// buffer, simplefeatures' JTS port) minus the building footprints
// (Lambert-93 metres). Invalid geometry is an error. This is the exact
// polygon version (≈ 0.1 ms per parcel, buffer-dominated); SiteHeatPumps and
// SiteParcel evaluate the same criteria on a 0.5 m raster without buffers
// (landgrid.go) and are what a study uses.
func SiteOutdoorUnit(parcel orb.MultiPolygon, footprints []orb.MultiPolygon, setbackM float64) (OutdoorUnitSiting, error) {
	if math.IsNaN(setbackM) || setbackM < 0 {
		return OutdoorUnitSiting{}, fmt.Errorf("%w: setback %g m must be ≥ 0", ErrLandInput, setbackM)
	}
	free, err := freeLand(parcel, footprints, setbackM, 0)
	if err != nil {
		return OutdoorUnitSiting{}, err
	}
	a := free.Area()
	return OutdoorUnitSiting{OK: a > 1e-6, CandidateAreaM2: a}, nil
}
