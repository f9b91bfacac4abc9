// Package spa computes the position of the sun with the NREL Solar Position
// Algorithm (SPA) of Reda & Andreas, "Solar position algorithm for solar
// radiation applications", Solar Energy 76(5):577–589, 2004,
// doi:10.1016/j.solener.2003.12.003 (report NREL/TP-560-34302, revised 2008).
// SPA's stated uncertainty is ±0.0003° for years −2000 to 6000.
//
// Conventions (as NREL SPA and pvlib): angles in degrees; azimuth clockwise
// from north (0 N, 90 E, 180 S, 270 W); zenith from the vertical; the
// "apparent" angles include atmospheric refraction, the plain ones do not.
// Times are instants (time.Time); their UTC value is taken as UT1
// (|UT1 − UTC| < 0.9 s, ignored). ΔT = TT − UT1 is estimated from the date
// with the Espenak–Meeus polynomials (see DeltaT) unless given.
//
// Position is allocation-free; Positions fills a caller-owned slice.
package spa

import (
	"math"
	"time"
)

// Default atmospheric and geometric parameters used when the corresponding
// Options field is zero (see Options).
const (
	DefaultPressureHPa     = 1013.25 // ISO standard atmosphere at sea level, hPa
	DefaultTempC           = 12      // annual mean air temperature, °C (pvlib spa_python default)
	DefaultAtmosRefractDeg = 0.5667  // refraction at sunrise/sunset, ° (SPA report default)
	sunRadiusDeg           = 0.26667 // apparent solar radius, ° (SPA report)
)

// Options holds the observer and atmosphere parameters of SPA. The zero value
// is valid and means: elevation 0 m, pressure 1013.25 hPa, temperature 12 °C,
// ΔT estimated from the date, refraction at sunrise 0.5667°.
type Options struct {
	// ElevationM is the observer's elevation above mean sea level, m.
	ElevationM float64
	// PressureHPa is the annual mean local air pressure, hPa (= mbar);
	// 0 means DefaultPressureHPa.
	PressureHPa float64
	// TempC is the annual mean local air temperature, °C. A zero TempC
	// means DefaultTempC unless TempKnown is set (so 0 °C can be expressed).
	TempC     float64
	TempKnown bool
	// DeltaTS is ΔT = TT − UT1, s. A zero DeltaTS means "estimate it from the
	// date" (DeltaT) unless DeltaTKnown is set (so ΔT = 0 can be expressed).
	DeltaTS     float64
	DeltaTKnown bool
	// AtmosRefractDeg is the atmospheric refraction at sunrise and sunset, °;
	// 0 means DefaultAtmosRefractDeg.
	AtmosRefractDeg float64
}

// resolved returns the options with defaults filled in, except ΔT which
// depends on the date (deltaTFor).
func (o Options) resolved() Options {
	if o.PressureHPa == 0 {
		o.PressureHPa = DefaultPressureHPa
	}
	if o.TempC == 0 && !o.TempKnown {
		o.TempC = DefaultTempC
	}
	o.TempKnown = true
	if o.AtmosRefractDeg == 0 {
		o.AtmosRefractDeg = DefaultAtmosRefractDeg
	}
	return o
}

// deltaTFor returns the ΔT (s) to use at instant t.
func (o Options) deltaTFor(t time.Time) float64 {
	if o.DeltaTS != 0 || o.DeltaTKnown {
		return o.DeltaTS
	}
	u := t.UTC()
	return DeltaT(float64(u.Year()), float64(u.Month()))
}

// Result is the sun position seen by the observer at one instant.
type Result struct {
	// ZenithDeg is the topocentric zenith angle without refraction, ° (90 − e0;
	// pvlib "zenith").
	ZenithDeg float64
	// ApparentZenithDeg is the topocentric zenith angle corrected for
	// atmospheric refraction, ° (SPA's "topocentric zenith angle θ"; pvlib
	// "apparent_zenith"). Use it for irradiance on surfaces.
	ApparentZenithDeg float64
	// AzimuthDeg is the topocentric azimuth, ° clockwise from north
	// (180 = south), in [0, 360).
	AzimuthDeg float64
	// ElevationDeg is the topocentric elevation without refraction, ° (e0).
	ElevationDeg float64
	// ApparentElevationDeg is the elevation with refraction, ° (e).
	ApparentElevationDeg float64
	// DeltaTS is the ΔT used, s.
	DeltaTS float64
	// EquationOfTimeMin is the equation of time (apparent − mean solar time),
	// minutes, in [−20, 20].
	EquationOfTimeMin float64
	// Intermediate holds every intermediate quantity of the algorithm, named
	// as in the SPA report (section 3), for verification.
	Intermediate Intermediate
}

// Intermediate holds SPA's intermediate quantities (Reda & Andreas 2004,
// section 3; symbol in brackets). Angles in degrees unless stated.
type Intermediate struct {
	JD, JDE  float64 // Julian day (UT) and Julian ephemeris day (TT), days
	JC, JCE  float64 // Julian century and ephemeris century since J2000.0
	JME      float64 // Julian ephemeris millennium since J2000.0
	L        float64 // Earth heliocentric longitude [L], in [0, 360)
	B        float64 // Earth heliocentric latitude [B]
	R        float64 // Earth–sun distance [R], AU
	Theta    float64 // geocentric longitude [Θ]
	Beta     float64 // geocentric latitude [β]
	X0       float64 // mean elongation of the moon from the sun [X0]
	X1       float64 // mean anomaly of the sun [X1]
	X2       float64 // mean anomaly of the moon [X2]
	X3       float64 // moon's argument of latitude [X3]
	X4       float64 // longitude of the moon's ascending node [X4]
	DeltaPsi float64 // nutation in longitude [ΔΨ]
	DeltaEps float64 // nutation in obliquity [Δε]
	Epsilon0 float64 // mean obliquity of the ecliptic [ε0], arc-seconds
	Epsilon  float64 // true obliquity of the ecliptic [ε]
	DeltaTau float64 // aberration correction [Δτ]
	Lambda   float64 // apparent sun longitude [λ]
	Nu0      float64 // mean sidereal time at Greenwich [ν0], in [0, 360)
	Nu       float64 // apparent sidereal time at Greenwich [ν]
	Alpha    float64 // geocentric right ascension [α], in [0, 360)
	Delta    float64 // geocentric declination [δ]
	H        float64 // observer local hour angle [H], westward from south, in [0, 360)
	Xi       float64 // equatorial horizontal parallax of the sun [ξ]
	DeltaAlp float64 // parallax in right ascension [Δα]
	AlphaP   float64 // topocentric right ascension [α′]
	DeltaP   float64 // topocentric declination [δ′]
	HP       float64 // topocentric local hour angle [H′]
	E0       float64 // topocentric elevation without refraction [e0]
	DeltaE   float64 // atmospheric refraction correction [Δe]
	E        float64 // topocentric elevation with refraction [e]
	Gamma    float64 // topocentric astronomers' azimuth [Γ], westward from south, in [0, 360)
	M        float64 // sun's mean longitude [M] (equation of time), in [0, 360)
}

const (
	deg = math.Pi / 180
	// unixJ2000 is 2000-01-01T12:00:00Z (JD 2451545.0) in Unix seconds.
	unixJ2000 = 946728000
	jdJ2000   = 2451545.0
)

// limitDeg reduces x to [0, 360).
func limitDeg(x float64) float64 {
	x = math.Mod(x, 360)
	if x < 0 {
		x += 360
	}
	return x
}

// limitDeg180pm reduces x to [−180, 180).
func limitDeg180pm(x float64) float64 {
	x = limitDeg(x)
	if x >= 180 {
		x -= 360
	}
	return x
}

// series evaluates Σ A·cos(B + C·jme) over one table (Reda & Andreas eq. 9).
func series(ts []term, jme float64) float64 {
	s := 0.0
	for _, t := range ts {
		s += t.a * math.Cos(t.b+t.c*jme)
	}
	return s
}

// heliocentric returns the Earth heliocentric longitude L (° in [0, 360)),
// latitude B (°) and radius vector R (AU) at jme (eqs. 9–11).
func heliocentric(jme float64) (lDeg, bDeg, rAU float64) {
	l := series(termsL0[:], jme) + jme*(series(termsL1[:], jme)+jme*(series(termsL2[:], jme)+
		jme*(series(termsL3[:], jme)+jme*(series(termsL4[:], jme)+jme*series(termsL5[:], jme)))))
	b := series(termsB0[:], jme) + jme*series(termsB1[:], jme)
	r := series(termsR0[:], jme) + jme*(series(termsR1[:], jme)+jme*(series(termsR2[:], jme)+
		jme*(series(termsR3[:], jme)+jme*series(termsR4[:], jme))))
	return limitDeg(l / 1e8 / deg), b / 1e8 / deg, r / 1e8
}

// nutation returns X0..X4 (°) and the nutation in longitude and obliquity
// ΔΨ, Δε (°) at jce (eqs. 15–23, Table A4.3).
func nutation(jce float64) (x [5]float64, dPsi, dEps float64) {
	j2, j3 := jce*jce, jce*jce*jce
	x[0] = 297.85036 + 445267.111480*jce - 0.0019142*j2 + j3/189474
	x[1] = 357.52772 + 35999.050340*jce - 0.0001603*j2 - j3/300000
	x[2] = 134.96298 + 477198.867398*jce + 0.0086972*j2 + j3/56250
	x[3] = 93.27191 + 483202.017538*jce - 0.0036825*j2 + j3/327270
	x[4] = 125.04452 - 1934.136261*jce + 0.0020708*j2 + j3/450000
	// Reduce once so that the integer combinations below stay accurate.
	var xr [5]float64
	for i := range x {
		xr[i] = limitDeg(x[i]) * deg
	}
	for i := range nutationTerms {
		nt := &nutationTerms[i]
		arg := float64(nt.y[0])*xr[0] + float64(nt.y[1])*xr[1] + float64(nt.y[2])*xr[2] +
			float64(nt.y[3])*xr[3] + float64(nt.y[4])*xr[4]
		s, c := math.Sincos(arg)
		dPsi += (nt.a + nt.b*jce) * s
		dEps += (nt.c + nt.d*jce) * c
	}
	return x, dPsi / 36e6, dEps / 36e6
}

// Position returns the topocentric sun position at instant t for an observer
// at latDeg (° north positive) and lonDeg (° east positive), following every
// step of NREL SPA (Reda & Andreas 2004, section 3). It does not allocate.
// Inputs are not validated: out-of-range or non-finite inputs give
// meaningless (possibly NaN) results; validate at the boundary.
func Position(t time.Time, latDeg, lonDeg float64, o Options) Result {
	var r Result
	position(&r, t, latDeg, lonDeg, o.resolved(), o.deltaTFor(t))
	return r
}

// Positions computes Position for every instant of times into out[i]
// (len(out) must be ≥ len(times)). It does not allocate; reuse out across
// calls.
func Positions(times []time.Time, latDeg, lonDeg float64, o Options, out []Result) {
	ro := o.resolved()
	out = out[:len(times)]
	for i, t := range times {
		position(&out[i], t, latDeg, lonDeg, ro, o.deltaTFor(t))
	}
}

func position(res *Result, t time.Time, latDeg, lonDeg float64, o Options, deltaT float64) {
	in := &res.Intermediate
	// 3.1 Julian day, century, millennium. Days since J2000 are formed from
	// integer Unix seconds first to keep full precision.
	days := (float64(t.Unix()-unixJ2000) + float64(t.Nanosecond())*1e-9) / 86400
	daysE := days + deltaT/86400
	in.JD = jdJ2000 + days
	in.JDE = jdJ2000 + daysE
	in.JC = days / 36525
	in.JCE = daysE / 36525
	in.JME = in.JCE / 10

	// 3.2 Earth heliocentric longitude, latitude, radius vector.
	in.L, in.B, in.R = heliocentric(in.JME)

	// 3.3 Geocentric longitude and latitude.
	in.Theta = limitDeg(in.L + 180)
	in.Beta = -in.B

	// 3.4 Nutation.
	var x [5]float64
	x, in.DeltaPsi, in.DeltaEps = nutation(in.JCE)
	in.X0, in.X1, in.X2, in.X3, in.X4 = x[0], x[1], x[2], x[3], x[4]

	// 3.5 True obliquity of the ecliptic (eq. 24, U = JME/10; arc-seconds).
	u := in.JME / 10
	in.Epsilon0 = 84381.448 + u*(-4680.93+u*(-1.55+u*(1999.25+u*(-51.38+u*(-249.67+
		u*(-39.05+u*(7.12+u*(27.87+u*(5.79+u*2.45)))))))))
	in.Epsilon = in.Epsilon0/3600 + in.DeltaEps

	// 3.6 Aberration correction; 3.7 apparent sun longitude.
	in.DeltaTau = -20.4898 / (3600 * in.R)
	in.Lambda = in.Theta + in.DeltaPsi + in.DeltaTau

	// 3.8 Apparent sidereal time at Greenwich.
	in.Nu0 = limitDeg(280.46061837 + 360.98564736629*days + in.JC*in.JC*(0.000387933-in.JC/38710000))
	sinEps, cosEps := math.Sincos(in.Epsilon * deg)
	in.Nu = in.Nu0 + in.DeltaPsi*cosEps

	// 3.9–3.10 Geocentric right ascension and declination.
	sinLam, cosLam := math.Sincos(in.Lambda * deg)
	sinBeta, cosBeta := math.Sincos(in.Beta * deg)
	in.Alpha = limitDeg(math.Atan2(sinLam*cosEps-math.Tan(in.Beta*deg)*sinEps, cosLam) / deg)
	in.Delta = math.Asin(sinBeta*cosEps+cosBeta*sinEps*sinLam) / deg

	// 3.11 Observer local hour angle (westward from south).
	in.H = limitDeg(in.Nu + lonDeg - in.Alpha)

	// 3.12 Topocentric right ascension and declination (parallax).
	in.Xi = 8.794 / (3600 * in.R)
	sinLat, cosLat := math.Sincos(latDeg * deg)
	uu := math.Atan(0.99664719 * sinLat / cosLat)
	sinU, cosU := math.Sincos(uu)
	xx := cosU + o.ElevationM/6378140*cosLat
	yy := 0.99664719*sinU + o.ElevationM/6378140*sinLat
	sinXi := math.Sin(in.Xi * deg)
	sinH, cosH := math.Sincos(in.H * deg)
	sinDelta, cosDelta := math.Sincos(in.Delta * deg)
	den := cosDelta - xx*sinXi*cosH
	dAlphaRad := math.Atan2(-xx*sinXi*sinH, den)
	in.DeltaAlp = dAlphaRad / deg
	in.AlphaP = in.Alpha + in.DeltaAlp
	in.DeltaP = math.Atan2((sinDelta-yy*sinXi)*math.Cos(dAlphaRad), den) / deg

	// 3.13 Topocentric local hour angle.
	in.HP = in.H - in.DeltaAlp

	// 3.14 Topocentric zenith angle.
	sinDP, cosDP := math.Sincos(in.DeltaP * deg)
	sinHP, cosHP := math.Sincos(in.HP * deg)
	in.E0 = math.Asin(sinLat*sinDP+cosLat*cosDP*cosHP) / deg
	in.DeltaE = refraction(in.E0, o.PressureHPa, o.TempC, o.AtmosRefractDeg)
	in.E = in.E0 + in.DeltaE

	// 3.15 Topocentric azimuth.
	in.Gamma = limitDeg(math.Atan2(sinHP, cosHP*sinLat-sinDP/cosDP*cosLat) / deg)

	// Equation of time (SPA report A.1), minutes.
	jme := in.JME
	in.M = limitDeg(280.4664567 + jme*(360007.6982779+jme*(0.03032028+jme*(1.0/49931+jme*(-1.0/15300-jme/2000000)))))
	eot := 4 * limitDeg180pm(in.M-0.0057183-in.Alpha+in.DeltaPsi*cosEps)

	res.ZenithDeg = 90 - in.E0
	res.ApparentZenithDeg = 90 - in.E
	res.ElevationDeg = in.E0
	res.ApparentElevationDeg = in.E
	res.AzimuthDeg = limitDeg(in.Gamma + 180)
	res.DeltaTS = deltaT
	res.EquationOfTimeMin = eot
}

// refraction returns the atmospheric refraction correction Δe (°) for a
// topocentric elevation e0Deg without refraction (Reda & Andreas 2004,
// eq. 42, Bennett-type formula), pressure in hPa and temperature in °C. It is
// zero when the sun is below −(solar radius + refraction at sunrise), as in
// NREL's spa.c.
func refraction(e0Deg, pressureHPa, tempC, atmosRefractDeg float64) float64 {
	if e0Deg < -(sunRadiusDeg + atmosRefractDeg) {
		return 0
	}
	return pressureHPa / 1010 * 283 / (273 + tempC) * 1.02 /
		(60 * math.Tan((e0Deg+10.3/(e0Deg+5.11))*deg))
}

// Incidence returns the angle of incidence (°) of the direct beam on a plane
// tilted slopeDeg from horizontal, following SPA (Reda & Andreas 2004,
// eq. 47, and spa.c): cos I = cos θ cos ω + sin ω sin θ cos(Γ − γ), with θ the
// apparent (refracted) topocentric zenith, Γ the astronomers' azimuth.
//
// rotationDeg is SPA's surface azimuth rotation γ: measured from SOUTH to the
// projection of the surface normal on the horizontal plane, positive toward
// west, negative toward east. In this project's convention (azimuth clockwise
// from north, 180 = south) rotationDeg = surfaceAzimuthDeg − 180. Values
// above 90° mean the beam hits the back of the plane.
func Incidence(r Result, slopeDeg, rotationDeg float64) float64 {
	sinZ, cosZ := math.Sincos(r.ApparentZenithDeg * deg)
	sinS, cosS := math.Sincos(slopeDeg * deg)
	gamma := r.AzimuthDeg - 180 // Γ, westward from south
	c := cosZ*cosS + sinS*sinZ*math.Cos((gamma-rotationDeg)*deg)
	return math.Acos(math.Max(-1, math.Min(1, c))) / deg
}
