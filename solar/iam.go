package solar

import "math"

// IAM model constants.
const (
	// PhysicalGlassN, PhysicalGlassK (1/m), PhysicalGlassL (m): refractive
	// index, extinction coefficient and thickness of the module glass used by
	// PVWatts/SAM (ssc lib_pv_incidence_modifier: n_glass 1.526, k 4, l 2 mm)
	// and pvlib iam.physical defaults.
	PhysicalGlassN = 1.526
	PhysicalGlassK = 4.0
	PhysicalGlassL = 0.002
	// MartinRuizAr is the angular-loss coefficient a_r = 0.16 of Martin & Ruiz
	// 2001 for clean crystalline-silicon modules (pvlib iam.martin_ruiz default;
	// the value PVGIS uses for c-Si).
	MartinRuizAr = 0.16
)

// transmittance of a cover of index n (from air) at incidence theta1 (rad):
// Fresnel (mean of s and p polarisation) × Bouguer absorption exp(−K L / cos θ2)
// (Duffie & Beckman, Solar Engineering of Thermal Processes, §5.3).
func transmittance(theta1, n, k, l float64) float64 {
	theta2 := math.Asin(math.Sin(theta1) / n)
	if theta1 == 0 {
		r0 := (n - 1) / (n + 1)
		return (1 - r0*r0) * math.Exp(-k*l)
	}
	s := math.Sin(theta2-theta1) / math.Sin(theta2+theta1)
	t := math.Tan(theta2-theta1) / math.Tan(theta2+theta1)
	return (1 - 0.5*(s*s+t*t)) * math.Exp(-k*l/math.Cos(theta2))
}

// IAMPhysical returns the incidence-angle modifier (0–1) of a glass cover by
// Fresnel/Snell reflection and Bouguer absorption, normalised at normal
// incidence (De Soto et al. 2006, Solar Energy 80(1):78–88; pvlib
// iam.physical), with n, K (1/m), L (m). 0 for AOI ≥ 90°.
func IAMPhysical(aoiDeg, n, k, l float64) float64 {
	if aoiDeg >= 90 || math.IsNaN(aoiDeg) {
		return 0
	}
	a := math.Abs(aoiDeg) * deg2rad
	return transmittance(a, n, k, l) / transmittance(0, n, k, l)
}

// IAMPVWatts is the beam IAM of PVWatts v5/SAM for a standard (non-AR) glass
// module: IAMPhysical with n = 1.526, K = 4 /m, L = 2 mm, the AOI clamped to
// [0.5°, 89.5°] and normalised at 1° (ssc lib_pv_incidence_modifier iam()).
// PVWatts applies it only between 0.5° and 89.5°, to the beam: the
// transmitted POA is POA − (1−IAM)·DNI·cos AOI.
func IAMPVWatts(aoiDeg float64) float64 {
	a := math.Min(math.Max(aoiDeg, 0.5), 89.5)
	return transmittance(a*deg2rad, PhysicalGlassN, PhysicalGlassK, PhysicalGlassL) /
		transmittance(1*deg2rad, PhysicalGlassN, PhysicalGlassK, PhysicalGlassL)
}

// IAMMartinRuiz returns the incidence-angle modifier of Martin & Ruiz 2001
// ("Calculation of the PV modules angular losses under field conditions by
// means of an analytical model", Solar Energy Materials & Solar Cells
// 70:25–38, doi:10.1016/S0927-0248(00)00408-6):
// (1 − exp(−cos AOI / a_r)) / (1 − exp(−1/a_r)); 0 for AOI ≥ 90° (pvlib
// iam.martin_ruiz). PVGIS uses this model (a_r = 0.16 for c-Si).
func IAMMartinRuiz(aoiDeg, ar float64) float64 {
	if aoiDeg >= 90 || math.IsNaN(aoiDeg) {
		return 0
	}
	c := math.Cos(aoiDeg * deg2rad)
	return (1 - math.Exp(-c/ar)) / (1 - math.Exp(-1/ar))
}

// MartinRuizDiffuse returns the Martin & Ruiz 2001 IAMs of isotropic sky
// diffuse and ground-reflected irradiance on a plane of the given tilt
// (degrees), with c1 = 4/(3π) = 0.4244 and c2 = 0.5·a_r − 0.154 (pvlib
// iam.martin_ruiz_diffuse defaults):
// IAM = 1 − exp(−(c1 + c2·x)·x / a_r), x_sky = sin β + (π−β−sin β)/(1+cos β),
// x_ground = sin β + (β − sin β)/(1 − cos β). For a flat plane (β → 0) the
// ground term is irrelevant (no ground view) and 1 is returned.
func MartinRuizDiffuse(tiltDeg, ar float64) (iamSky, iamGround float64) {
	const c1 = 0.4244
	c2 := 0.5*ar - 0.154
	b := tiltDeg * deg2rad
	sb := math.Sin(b)
	if tiltDeg >= 90 {
		sb = math.Sin(math.Pi - b)
	}
	xs := sb + (math.Pi-b-sb)/(1+math.Cos(b))
	iamSky = 1 - math.Exp(-(c1+c2*xs)*xs/ar)
	if tiltDeg < 1e-6 {
		return iamSky, 1
	}
	xg := sb + (b-sb)/(1-math.Cos(b))
	iamGround = 1 - math.Exp(-(c1+c2*xg)*xg/ar)
	return iamSky, iamGround
}

// iamTable tabulates an IAM function over cos AOI in [0, 1] for the hot loop
// (linear interpolation; 2048 intervals keep the error below 1e-4 for the
// models used here, checked in TestIAMTable).
type iamTable struct {
	v [iamTableN + 1]float32
}

const iamTableN = 2048

func newIAMTable(f func(aoiDeg float64) float64) *iamTable {
	t := &iamTable{}
	for i := 0; i <= iamTableN; i++ {
		c := float64(i) / iamTableN
		t.v[i] = float32(f(math.Acos(c) * rad2deg))
	}
	return t
}

func (t *iamTable) at(cosAOI float64) float64 {
	if cosAOI <= 0 {
		return float64(t.v[0])
	}
	if cosAOI >= 1 {
		return float64(t.v[iamTableN])
	}
	x := cosAOI * iamTableN
	i := int(x)
	f := x - float64(i)
	return float64(t.v[i]) + f*float64(t.v[i+1]-t.v[i])
}
