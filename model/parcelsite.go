package model

import (
	"fmt"

	"github.com/paulmach/orb"
)

// ParcelSiteOptions select what SiteParcel evaluates on one parcel.
type ParcelSiteOptions struct {
	// Heat: outdoor-unit siting and borehole field (parcels with heated buildings).
	Heat         bool
	ASHPSetbackM float64
	GSHP         GSHPParams
	// Ground: ground-mounted PV on the free land, car parks (Exclusions)
	// removed; GroundYieldKWhKWp from GroundYield.
	Ground            bool
	GroundParams      GroundPVParams
	PV                PVParams
	GroundYieldKWhKWp float64
	Exclusions        []orb.MultiPolygon
}

// ParcelSite is what a parcel's land offers.
type ParcelSite struct {
	Unit      OutdoorUnitSiting
	Boreholes BoreholeField
	Ground    GroundPV
}

// SiteParcel evaluates the outdoor-unit siting (SiteOutdoorUnit), the
// borehole field (PlaceBoreholes) and the ground-mounted PV (GroundPVOf) of
// one parcel with the results of those three functions, sharing the
// geometry work: the parcel's negative buffer is computed once when the
// boundary setbacks agree, and the free land (setbacks from boundary and
// grown footprints) once when the borehole and ground-PV setbacks agree —
// which they do by default (3 m and 3 m). Buffers dominate a study's
// parcel stage, so this halves it.
func SiteParcel(id string, parcel orb.MultiPolygon, footprints []orb.MultiPolygon, o ParcelSiteOptions) (ParcelSite, error) {
	var out ParcelSite
	g := o.GroundParams
	shared := o.Heat && o.Ground && o.ASHPSetbackM == o.GSHP.BoundarySetbackM &&
		g.BoundarySetbackM == o.GSHP.BoundarySetbackM && g.BuildingSetbackM == o.GSHP.BuildingSetbackM
	if !shared {
		var err error
		if o.Heat {
			if out.Unit, out.Boreholes, err = SiteHeatPumps(parcel, footprints, o.ASHPSetbackM, o.GSHP); err != nil {
				return out, err
			}
		}
		if o.Ground {
			if out.Ground, err = GroundPVOf(id, parcel, footprints, o.Exclusions, o.GroundYieldKWhKWp, o.PV, g); err != nil {
				return out, err
			}
		}
		return out, nil
	}
	if err := o.GSHP.Validate(); err != nil {
		return out, err
	}
	if err := g.Validate(); err != nil {
		return out, err
	}
	inner, err := innerLand(parcel, o.ASHPSetbackM)
	if err != nil {
		return out, err
	}
	unit, err := minusFootprints(inner, footprints, 0)
	if err != nil {
		return out, err
	}
	a := unit.Area()
	out.Unit = OutdoorUnitSiting{OK: a > 1e-6, CandidateAreaM2: a}
	out.Boreholes = BoreholeField{SpacingM: o.GSHP.SpacingM(), Layout: o.GSHP.Layout}
	out.Ground = GroundPV{ParcelID: id, SpecificYieldKWhKWp: o.GroundYieldKWhKWp}
	if !out.Unit.OK { // no land 3 m from the boundary outside buildings: none with more setbacks
		return out, nil
	}
	free, err := minusFootprints(inner, footprints, o.GSHP.BuildingSetbackM)
	if err != nil {
		return out, err
	}
	if out.Boreholes, err = placeOn(free, o.GSHP); err != nil {
		return out, err
	}
	if out.Ground, err = groundOn(id, free, o.Exclusions, o.GroundYieldKWhKWp, o.PV, g); err != nil {
		return out, fmt.Errorf("parcel %s: %w", id, err)
	}
	return out, nil
}
