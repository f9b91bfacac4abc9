package raster

import (
	"errors"
	"fmt"
	"math"

	"github.com/gisement/gisement/geo/crs"
)

// EarthRadiusM is the mean Earth radius (IUGG, 6371 km) used for the
// spherical geometry and the curvature drop.
const EarthRadiusM = 6_371_000.0

// HorizonOptions configures TerrainHorizon.
type HorizonOptions struct {
	// Sectors is the number of azimuth sectors (default 48, 7.5° each, as
	// the PVGIS horizon profile). Sector i is centred on azimuth i·360/n,
	// clockwise from north.
	Sectors int
	// MaxDistanceM is how far each ray marches (default 40 km): beyond it a
	// ridge 1000 m above the observer subtends less than
	// atan(1000/40000) − 40000/(2R) ≈ 1.25°, where the beam irradiance that
	// terrain could hide is a negligible share of the annual PV yield; the
	// Alps' highest relief seen from a valley is nearer than that.
	MaxDistanceM float64
	// StepM is the marching step (default half the smaller DEM cell side in
	// metres, so that no cell is skipped; the DEM is sampled bilinearly).
	StepM float64
	// RaysPerSector marches that many rays spread evenly across the sector
	// and keeps the highest angle (default 1: the sector's central azimuth).
	RaysPerSector int
	// RefractionCoeff k reduces the curvature drop to d²(1−k)/(2R); 0 (the
	// default) ignores refraction, 0.13 is the usual terrestrial value
	// (Gauss; e.g. Hirt et al. 2010 doi:10.1029/2010JD014067).
	RefractionCoeff float64
}

// ErrHorizon is wrapped by TerrainHorizonChecked errors.
var ErrHorizon = errors.New("terrain horizon")

// TerrainHorizon returns the horizon elevation angle (degrees above the
// horizontal, ≥ 0) for each azimuth sector around the observer at
// (lonDeg, latDeg), standing observerHeightAboveGroundM above the DEM
// surface. It returns nil when the observer is outside the DEM, on no-data,
// or the DEM's CRS is not supported; TerrainHorizonChecked says why.
func TerrainHorizon(dem *Grid, lonDeg, latDeg, observerHeightAboveGroundM float64, o HorizonOptions) []float64 {
	h, err := TerrainHorizonChecked(dem, lonDeg, latDeg, observerHeightAboveGroundM, o)
	if err != nil {
		return nil
	}
	return h
}

// TerrainHorizonChecked is TerrainHorizon returning an error instead of nil.
//
// Method: along each ray, at distances d = step, 2·step, … ≤ MaxDistanceM,
// the terrain height z(d) is sampled bilinearly (Grid.Sample, no-data
// skipped) and the elevation angle is
//
//	atan((z(d) − z0 − d²(1−k)/(2R)) / d)
//
// with z0 = ground height at the observer + observer height, R = 6371 km,
// k the refraction coefficient (the curvature drop d²/2R is the standard
// sphere approximation, exact to 1e-6 relative at 100 km). The sector's
// horizon is the largest angle, floored at 0°. For an EPSG:4326 DEM the
// ray's points are destination points on the sphere (great circle from
// the observer at the given azimuth); for a metric DEM (Lambert-93
// EPSG:2154, UTM WGS84 326xx/327xx) azimuths are taken from grid north
// (meridian convergence, < 3° in Lambert-93 over France, is ignored).
func TerrainHorizonChecked(dem *Grid, lonDeg, latDeg, observerHeightAboveGroundM float64, o HorizonOptions) ([]float64, error) {
	if dem == nil {
		return nil, fmt.Errorf("%w: nil DEM", ErrHorizon)
	}
	n := o.Sectors
	if n <= 0 {
		n = 48
	}
	maxD := o.MaxDistanceM
	if maxD <= 0 {
		maxD = 40_000
	}
	rays := o.RaysPerSector
	if rays <= 0 {
		rays = 1
	}
	geographic := false
	var ox, oy float64
	switch {
	case dem.EPSG == 4326 || dem.EPSG == 4258 || dem.EPSG == 4171:
		geographic = true
		ox, oy = lonDeg, latDeg
	case dem.EPSG == 2154, dem.EPSG > 32600 && dem.EPSG <= 32660, dem.EPSG > 32700 && dem.EPSG <= 32760:
		to, err := crs.Transform(crs.EPSG4326, dem.EPSG)
		if err != nil {
			return nil, fmt.Errorf("%w: DEM CRS: %w", ErrHorizon, err)
		}
		p := to([2]float64{lonDeg, latDeg})
		ox, oy = p[0], p[1]
	default:
		return nil, fmt.Errorf("%w: DEM CRS EPSG:%d not supported (use EPSG:4326, 2154 or UTM)", ErrHorizon, dem.EPSG)
	}
	z0, ok := dem.Sample(ox, oy)
	if !ok {
		return nil, fmt.Errorf("%w: observer (%.5f, %.5f) outside the DEM or on no-data", ErrHorizon, lonDeg, latDeg)
	}
	z0 += observerHeightAboveGroundM
	step := o.StepM
	if step <= 0 {
		cx, cy := math.Abs(dem.PixelSizeX), math.Abs(dem.PixelSizeY)
		if geographic {
			cy *= math.Pi / 180 * EarthRadiusM
			cx *= math.Pi / 180 * EarthRadiusM * math.Cos(latDeg*math.Pi/180)
		}
		step = math.Min(cx, cy) / 2
	}
	if !(step > 0) || maxD/step > 1e6 {
		return nil, fmt.Errorf("%w: step %g m for %g m (at most 1e6 steps per ray)", ErrHorizon, step, maxD)
	}
	drop := (1 - o.RefractionCoeff) / (2 * EarthRadiusM)
	lat1 := latDeg * math.Pi / 180
	sinLat1, cosLat1 := math.Sincos(lat1)
	out := make([]float64, n)
	for i := 0; i < n; i++ {
		best := 0.0 // tan of the angle; negative angles floored at 0
		for r := 0; r < rays; r++ {
			az := float64(i) * 360 / float64(n)
			if rays > 1 {
				az += (float64(r)+0.5)/float64(rays)*360/float64(n) - 180/float64(n)
			}
			sinAz, cosAz := math.Sincos(az * math.Pi / 180)
			for d := step; d <= maxD+1e-9; d += step {
				var x, y float64
				if geographic {
					// Destination point on the sphere (great circle).
					delta := d / EarthRadiusM
					sinD, cosD := math.Sincos(delta)
					sinLat2 := sinLat1*cosD + cosLat1*sinD*cosAz
					lat2 := math.Asin(sinLat2)
					lon2 := lonDeg*math.Pi/180 + math.Atan2(sinAz*sinD*cosLat1, cosD-sinLat1*sinLat2)
					x, y = lon2*180/math.Pi, lat2*180/math.Pi
				} else {
					x, y = ox+d*sinAz, oy+d*cosAz
				}
				z, ok := dem.Sample(x, y)
				if !ok {
					continue
				}
				if tn := (z - z0 - d*d*drop) / d; tn > best {
					best = tn
				}
			}
		}
		out[i] = math.Atan(best) * 180 / math.Pi
	}
	return out, nil
}
