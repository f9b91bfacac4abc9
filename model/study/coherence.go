package study

// Input coherence checks (issue 13), run after loading the territory and
// before the heavy work (horizons, PV, heat, Monte Carlo): a study on
// mismatched inputs must stop with a message naming the files, not publish
// figures an expert refutes at a glance.

import (
	"fmt"
	"path/filepath"

	"github.com/gisement/gisement/geo"
)

// MinParcelOverlap is the share of buildings that must fall in a parcel
// when parcels are given (below it the two files are taken to describe
// different territories and the study stops, unless
// Options.AllowLowOverlap). A matching BDNB / cadastre pair assigns 94 %
// (Périgueux) to over 99 %; 50 % leaves room for partial parcel extracts
// (our assumption).
const MinParcelOverlap = 0.5

// MinParcelCover is the share of their bounding box that cadastral parcels
// cover at least: parcels tile the land but for streets and public
// domain (measured on the Etalab cadastre: Paris 18e 61 %, Épinay-sur-Orge
// 41 %), building footprints do not (the Périgueux "parcel" file that
// turned out to be the cadastre's building layer covers 7.5 %). Our
// assumption, from those three measurements.
const MinParcelCover = 0.25

// CoherenceError is the input-coherence failure returned by Run (it wraps
// ErrInput: exit 2). Flag names the option that overrides it.
type CoherenceError struct {
	Msg, Flag string
}

func (e *CoherenceError) Error() string {
	return e.Msg + " (to run anyway, pass " + e.Flag + ")"
}

func (e *CoherenceError) Unwrap() error { return ErrInput }

// checkCoherence runs the checks on the loaded territory: hard failures
// (unless overridden) come back as an error, remarks are added to
// r.Warnings.
func checkCoherence(o *Options, t *geo.Territory, r *Result) error {
	return checkInputs(o, t.Assignment, t.BuildingReport, checkParcelLayer(t), r)
}

// checkInputs runs the checks on what they read: the building→parcel
// assignment, the buildings' load report and the parcel-layer remark
// (checkParcelAreas).
func checkInputs(o *Options, assignment *geo.AssignReport, brep *geo.LoadReport, parcelWarning string, r *Result) error {
	bname, pname := filepath.Base(o.BuildingsPath), filepath.Base(o.ParcelsPath)
	if a := assignment; o.ParcelsPath != "" && a != nil && a.Buildings > 0 && a.Rate() < MinParcelOverlap {
		msg := fmt.Sprintf("buildings %s and parcels %s barely overlap: %d of %d buildings (%.1f %%) lie in a parcel, fewer than %.0f %%: the files probably describe different territories (free land would be counted on parcels without their buildings)",
			bname, pname, a.Assigned, a.Buildings, 100*a.Rate(), 100*MinParcelOverlap)
		if !o.AllowLowOverlap {
			return &CoherenceError{Msg: msg, Flag: "--allow-low-overlap"}
		}
		r.Warnings = append(r.Warnings, msg+" — run anyway (--allow-low-overlap)")
	}
	if rep := brep; rep != nil && rep.Kept > 0 && rep.HeightSources[geo.HeightFromDefault] == rep.Kept {
		r.Warnings = append(r.Warnings, fmt.Sprintf("SHADING NOT MODELLED: all %d buildings of %s have the default height (no height or storey attribute): neighbour shading is not modelled (shading loss 0 %%), and rooftop yields in dense areas are overestimated; give a file with heights (BDNB, BD TOPO) for shading",
			rep.Kept, bname))
	}
	if w := parcelWarning; w != "" {
		r.Warnings = append(r.Warnings, pname+": "+w)
	}
	return nil
}

// parcelCover is the share of the parcels' bounding box their areas cover
// (Lambert-93).
func parcelCover(ps []geo.Parcel) float64 {
	if len(ps) == 0 {
		return 0
	}
	b := ps[0].Geometry.Bound()
	sum := 0.0
	for i := range ps {
		b = b.Union(ps[i].Geometry.Bound())
		sum += ps[i].AreaM2
	}
	box := (b.Max[0] - b.Min[0]) * (b.Max[1] - b.Min[1])
	if box <= 0 {
		return 0
	}
	return sum / box
}
