package surface

import (
	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo/vector"
)

// convergenceDeg is the Lambert-93 meridian convergence γ at a Lambert-93
// point (true azimuth = grid azimuth + γ; about +0.6° at Montpellier, −5.4° in western Brittany). The
// only call to the closed form, so that it can be redirected in one place
// when it moves package.
func convergenceDeg(x, y float64) float64 {
	return vector.Lambert93ConvergenceDeg(orb.Point{x, y})
}
