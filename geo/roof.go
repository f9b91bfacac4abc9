package geo

import (
	"math"

	"github.com/paulmach/orb"
	sf "github.com/peterstace/simplefeatures/geom"

	"github.com/gisement/gisement/geo/crs"
)

// RoofOptions control how roof planes are derived from a footprint.
//
// No roof geometry is observed (footprints are 2-D): every value below is a
// modelling assumption with its uncertainty; the report must say so.
type RoofOptions struct {
	// PitchDeg is the slope of pitched roofs whose building carries no pitch
	// of its own (Building.RoofPitchSource empty; a study sets the regional
	// default of the building's département there, geo/surface.ModelledPitch).
	// Default 30°: our assumption, mid-range of French pitched roofs (≈17° for
	// Mediterranean/south-west canal tiles at 30 % slope, 35–45° for flat
	// tiles and slate in the north); uncertainty ±10°.
	PitchDeg float64
	// FlatAboveM2: when the source gives no roof type, footprints larger than
	// this are taken as flat (commercial/industrial/collective buildings),
	// smaller ones as pitched. Default 500 m². Our assumption (no published
	// rule found); expect misclassification of large pitched farm buildings
	// and small flat-roofed modern houses.
	FlatAboveM2 float64
	// FlatTiltDeg is the module tilt on flat roofs (racks facing south,
	// azimuth 180°); 0 = modules flat. Default 10° (low-tilt ballasted racks,
	// 10–15° usual; NREL's rooftop technical potential, Gagnon et al. 2016,
	// NREL/TP-6A20-65298, models flat roofs with tilted modules). When > 0, the usable area is
	// further multiplied by FlatRackCoverage (inter-row spacing to avoid
	// self-shading).
	FlatTiltDeg float64
	// FlatRackCoverage: module area / roof area for racked flat roofs.
	// Default 0.6 (ground-coverage ratio typical for 10–15° racks; assumption,
	// uncertainty ±0.15).
	FlatRackCoverage float64
	// FlatEastWest lays flat-roof modules east–west (two planes at
	// FlatTiltDeg facing 90° and 270°, back to back, without row gaps) with
	// FlatEastWestCoverage instead of south racks with FlatRackCoverage.
	FlatEastWest         bool
	FlatEastWestCoverage float64
	// SetbackM is the edge setback kept free of modules along every roof edge
	// (access, wind loads, fire rules). Default 0.5 m (assumption; installers
	// use 0.3–1 m).
	SetbackM float64
	// ObstructionFactor is the share of the remaining area lost to chimneys,
	// vents, skylights and dormers. Default 0.15 (assumption, uncertainty
	// ±0.1). For comparison, the Data For Good school-roof study took usable =
	// 0.6 × footprint overall; TestRoofUsableVsSixtyPercent
	// reports our ratio on Périgueux.
	ObstructionFactor float64
}

// Pitch sources (Building.RoofPitchSource, RoofPlane.PitchSource).
const (
	// PitchFromAttribute: the building source gave the roof pitch.
	PitchFromAttribute = "attribute"
	// PitchRegional: the regional default of the building's département
	// (geo/surface.ModelledPitch).
	PitchRegional = "regional"
	// PitchFromOptions: RoofOptions.PitchDeg (in a study, the scenario's
	// pv.roof.pitch_deg).
	PitchFromOptions = "scenario"
	// PitchObserved: the tilt of a facet segmented from a surface model
	// (geo/surface).
	PitchObserved = "observed"
	// PitchFlat: a flat roof; the plane's tilt is the module rack tilt
	// (RoofOptions.FlatTiltDeg), not a roof pitch.
	PitchFlat = "flat"
)

// ModelledPitch returns the pitch RoofPlanes gives b's pitched roof and its
// source: b.RoofPitchDeg when b.RoofPitchSource is set, else o.PitchDeg.
func (b *Building) ModelledPitch(o RoofOptions) (deg float64, source string) {
	if b.RoofPitchSource != "" {
		return b.RoofPitchDeg, b.RoofPitchSource
	}
	return o.PitchDeg, PitchFromOptions
}

// DefaultRoofOptions returns the documented defaults.
func DefaultRoofOptions() RoofOptions {
	return RoofOptions{PitchDeg: 30, FlatAboveM2: 500, FlatTiltDeg: 10, FlatRackCoverage: 0.6, FlatEastWestCoverage: 0.85, SetbackM: 0.5, ObstructionFactor: 0.15}
}

// Rectangle is a footprint's minimum-area rotated bounding rectangle.
type Rectangle struct {
	Center orb.Point
	// LengthM ≥ WidthM; AxisAzimuthDeg is the azimuth of the long side in
	// [0, 180) degrees clockwise from Lambert-93 grid north (add
	// crs.Lambert93ConvergenceDeg(Center) for true north).
	LengthM, WidthM float64
	AxisAzimuthDeg  float64
}

// MinAreaRectangle returns the minimum-area rotated rectangle enclosing the
// footprint, from simplefeatures' geom.RotatedMinimumAreaBoundingRectangle
// (rotating calipers on the convex hull). ok is false for an empty or
// degenerate footprint.
func MinAreaRectangle(mp orb.MultiPolygon) (Rectangle, bool) {
	g, err := toSF(mp, false)
	if err != nil {
		return Rectangle{}, false
	}
	rg := sf.RotatedMinimumAreaBoundingRectangle(g)
	if rg.Type() != sf.TypePolygon {
		return Rectangle{}, false
	}
	seq := rg.MustAsPolygon().ExteriorRing().Coordinates()
	if seq.Length() < 4 {
		return Rectangle{}, false
	}
	p0, p1, p2 := seq.GetXY(0), seq.GetXY(1), seq.GetXY(2)
	e1 := orb.Point{p1.X - p0.X, p1.Y - p0.Y}
	e2 := orb.Point{p2.X - p1.X, p2.Y - p1.Y}
	l1, l2 := math.Hypot(e1[0], e1[1]), math.Hypot(e2[0], e2[1])
	axis := e1
	if l2 > l1 {
		l1, l2 = l2, l1
		axis = e2
	}
	az := math.Mod(math.Atan2(axis[0], axis[1])*180/math.Pi+360, 180)
	if az >= 180-1e-9 {
		az = 0
	}
	return Rectangle{
		Center:         orb.Point{(p0.X + p2.X) / 2, (p0.Y + p2.Y) / 2},
		LengthM:        l1,
		WidthM:         l2,
		AxisAzimuthDeg: az,
	}, true
}

// RoofPlanes derives the roof planes of building b (index bi).
//
// Roof type: b.RoofType when set from an attribute, else the FlatAboveM2 rule
// (b.RoofType/RoofTypeSource are filled). A flat roof gives one plane (tilt
// FlatTiltDeg facing south, reference height HeightM). A pitched roof, of
// pitch b.ModelledPitch(o) (PitchSource records which), is
// modelled as a gable roof whose ridge runs along the long side of the
// minimum-area rectangle: two planes facing AxisAzimuth ± 90° (converted to
// true north with crs.Lambert93ConvergenceDeg), each of
// inclined area FootprintM2/2/cos(pitch), reference point at the centre of
// the half-rectangle, at HeightM + rise/2 with rise = (WidthM/2)·tan(pitch)
// (HeightM taken as the eaves height).
//
// Usable area = inclined area × setback fraction × (1 − ObstructionFactor),
// the setback fraction being (a−2s)(c−2s)/(a·c) for the plane's rectangle
// sides a, c (slope length for pitched planes), clamped at 0.
func RoofPlanes(b *Building, bi int, o RoofOptions) []RoofPlane {
	rect, ok := MinAreaRectangle(b.Footprint)
	if !ok {
		rect = Rectangle{Center: b.Centroid, LengthM: math.Sqrt(b.FootprintM2), WidthM: math.Sqrt(b.FootprintM2)}
	}
	if b.RoofType == "" || b.RoofTypeSource != RoofTypeFromAttribute {
		b.RoofType, b.RoofTypeSource = RoofPitched, RoofTypeFromRule
		if b.FootprintM2 > o.FlatAboveM2 {
			b.RoofType = RoofFlat
		}
	}
	keep := 1 - o.ObstructionFactor
	setback := func(a, c float64) float64 {
		if a <= 0 || c <= 0 {
			return 0
		}
		return math.Max(0, a-2*o.SetbackM) * math.Max(0, c-2*o.SetbackM) / (a * c)
	}
	if b.RoofType == RoofFlat {
		usable := b.FootprintM2 * setback(rect.LengthM, rect.WidthM) * keep
		area := b.FootprintM2
		if o.FlatEastWest && o.FlatTiltDeg > 0 {
			usable *= o.FlatEastWestCoverage / 2
			return []RoofPlane{
				{BuildingIdx: bi, Index: 0, TiltDeg: o.FlatTiltDeg, AzimuthDeg: 90, AreaM2: area / 2, UsableM2: usable, Centroid: b.Centroid, HeightM: b.HeightM, PitchSource: PitchFlat},
				{BuildingIdx: bi, Index: 1, TiltDeg: o.FlatTiltDeg, AzimuthDeg: 270, AreaM2: area / 2, UsableM2: usable, Centroid: b.Centroid, HeightM: b.HeightM, PitchSource: PitchFlat},
			}
		}
		if o.FlatTiltDeg > 0 {
			usable *= o.FlatRackCoverage
		}
		return []RoofPlane{{BuildingIdx: bi, TiltDeg: o.FlatTiltDeg, AzimuthDeg: 180, AreaM2: area, UsableM2: usable,
			Centroid: b.Centroid, HeightM: b.HeightM, PitchSource: PitchFlat}}
	}
	pitch, pitchSrc := b.ModelledPitch(o)
	rad := math.Pi / 180
	cosP := math.Cos(pitch * rad)
	rise := rect.WidthM / 2 * math.Tan(pitch*rad)
	slope := rect.WidthM / 2 / cosP
	area := b.FootprintM2 / 2 / cosP
	usable := area * setback(rect.LengthM, slope) * keep
	planes := make([]RoofPlane, 2)
	conv := crs.Lambert93ConvergenceDeg(rect.Center)
	for k, d := range []float64{90, -90} {
		gridAz := rect.AxisAzimuthDeg + d
		az := math.Mod(gridAz+conv+720, 360)
		off := rect.WidthM / 4
		c := orb.Point{rect.Center[0] + off*math.Sin(gridAz*rad), rect.Center[1] + off*math.Cos(gridAz*rad)}
		planes[k] = RoofPlane{BuildingIdx: bi, Index: k, TiltDeg: pitch, AzimuthDeg: az, AreaM2: area,
			UsableM2: usable, Centroid: c, HeightM: b.HeightM + rise/2, PitchSource: pitchSrc}
	}
	return planes
}
