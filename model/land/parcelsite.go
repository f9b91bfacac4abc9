package land

import (
	"fmt"
	"math"
	"sync"

	"github.com/paulmach/orb"
)

// ParcelSiteOptions select what SiteParcel evaluates on one parcel.
type ParcelSiteOptions struct {
	// Heat: outdoor-unit siting and borehole field (parcels with heated buildings).
	// ProbeDepthM (heat.GSHPParams.ProbeDepthM) sets the probe spacing.
	Heat        bool
	ProbeDepthM float64
	// Ground: ground-mounted PV on the free land, car parks (Exclusions)
	// removed; GroundYieldKWhKWp from GroundYield, ModulePowerWpM2 from the
	// PV assumptions.
	Ground            bool
	GroundYieldKWhKWp float64
	ModulePowerWpM2   float64
	Exclusions        []orb.MultiPolygon
}

// ParcelSite is what a parcel's land offers.
type ParcelSite struct {
	Unit      OutdoorUnitSiting
	Boreholes BoreholeField
	Ground    GroundPV
}

// SiteParcel evaluates one parcel's land (geometries in Lambert-93 m)
// without polygon buffers (landgrid.go): the outdoor-unit siting (as
// SiteHeatPumps: some point ≥ ASHPSetbackM from the boundary, outside every
// footprint, found on the parcel's 0.5 m raster), the borehole field (as
// PlaceBoreholes: candidate grid points tested exactly against the setback
// criteria) and the ground-mounted PV (free land = raster cells ≥ the ground
// setbacks from boundary and footprints, outside the exclusions; patches =
// 4-connected groups of cells, kept when ≥ MinPatchM2; areas = cells × cell
// area). One raster serves all three when the borehole and ground setbacks
// agree (the default). Areas carry the raster's discretisation error
// (≈ perimeter × cell / 2 at worst, see landgrid.go); Ground.FreeLand
// (the usable geometry) is not built: GroundPVOf gives it exactly.
// siteParcelRef is the polygon (simplefeatures) reference used by tests.
// SiteParcel takes its buffers from a pool; SiteParcelScratch is the same
// with a caller's scratch.
func SiteParcel(id string, parcel orb.MultiPolygon, footprints []orb.MultiPolygon, p Params, o ParcelSiteOptions) (ParcelSite, error) {
	sc := scratchPool.Get().(*SiteScratch)
	defer scratchPool.Put(sc)
	return SiteParcelScratch(sc, id, parcel, footprints, p, o)
}

// SiteScratch holds the buffers of SiteParcelScratch (edge lists, rasters,
// borehole search) for reuse from one parcel to the next: one per goroutine,
// never shared by concurrent calls. The zero value is ready; it keeps the
// largest raster seen (at most maxLandCells bytes per raster).
type SiteScratch struct {
	site   landSite
	grids  [2]landGrid
	search searchBuf
}

// scratchPool serves SiteParcel and SiteHeatPumps.
var scratchPool = sync.Pool{New: func() any { return new(SiteScratch) }}

// SiteParcelScratch is SiteParcel reusing sc's buffers (results are the
// same, bit for bit; nothing in the result refers to sc).
func SiteParcelScratch(sc *SiteScratch, id string, parcel orb.MultiPolygon, footprints []orb.MultiPolygon, p Params, o ParcelSiteOptions) (ParcelSite, error) {
	var out ParcelSite
	g, b := p.Ground, p.Boreholes
	spacing, unitM := b.SpacingM(o.ProbeDepthM), p.OutdoorUnitSetbackM.Value
	if o.Heat {
		if math.IsNaN(unitM) || unitM < 0 {
			return out, fmt.Errorf("%w: setback %g m must be ≥ 0", ErrLandInput, unitM)
		}
		if err := b.validateLayout(); err != nil {
			return out, err
		}
		out.Boreholes = BoreholeField{SpacingM: spacing, Layout: b.Layout}
	}
	if o.Ground {
		if err := p.Validate(); err != nil {
			return out, err
		}
		out.Ground = GroundPV{ParcelID: id, SpecificYieldKWhKWp: o.GroundYieldKWhKWp}
	}
	if !o.Heat && !o.Ground {
		return out, nil
	}
	pad := 0.0
	if o.Heat {
		pad = b.BuildingSetbackM.Value
	}
	if o.Ground {
		pad = math.Max(pad, g.BuildingSetbackM.Value)
	}
	site := &sc.site
	if err := site.reset(parcel, footprints, pad); err != nil {
		return out, fmt.Errorf("parcel %s: %w", id, err)
	}
	shared := o.Heat && o.Ground && g.BoundarySetbackM.Value == b.BoundarySetbackM.Value && g.BuildingSetbackM.Value == b.BuildingSetbackM.Value
	if o.Heat {
		gopt := landGridOptions{unitM: unitM, boundaryM: b.BoundarySetbackM.Value, buildingM: b.BuildingSetbackM.Value, bands: true}
		if shared {
			gopt.exclusions = o.Exclusions
		}
		hg := &sc.grids[0]
		site.gridInto(hg, gopt)
		unitN, freeN := hg.counts()
		ca := hg.cell * hg.cell
		out.Unit = OutdoorUnitSiting{OK: unitN > 0, CandidateAreaM2: float64(unitN) * ca}
		out.Boreholes = boreholesOnGrid(hg, parcel, b, spacing, float64(freeN)*ca, &sc.search)
		if shared {
			out.Ground = groundOnGrid(id, hg, o.GroundYieldKWhKWp, o.ModulePowerWpM2, g)
			return out, nil
		}
	}
	if o.Ground {
		gg := &sc.grids[1]
		site.gridInto(gg, landGridOptions{boundaryM: g.BoundarySetbackM.Value, buildingM: g.BuildingSetbackM.Value, exclusions: o.Exclusions})
		out.Ground = groundOnGrid(id, gg, o.GroundYieldKWhKWp, o.ModulePowerWpM2, g)
	}
	return out, nil
}

// groundOnGrid is the ground-mounted PV of a parcel's raster (see SiteParcel).
func groundOnGrid(id string, lg *landGrid, yieldKWhKWp, modulePowerWpM2 float64, g GroundParams) GroundPV {
	out := GroundPV{ParcelID: id, SpecificYieldKWhKWp: yieldKWhKWp}
	out.FreeLandM2, out.UsableLandM2, out.Patches = lg.patches(g.MinPatchM2.Value)
	out.SmallPatchesM2 = out.FreeLandM2 - out.UsableLandM2
	out.ModuleM2 = out.UsableLandM2 * g.CoverageRatio.Value
	out.KWp = out.ModuleM2 * modulePowerWpM2 / 1000
	out.KWhYr = out.KWp * yieldKWhKWp
	return out
}

// siteParcelRef is the reference SiteParcel (simplefeatures buffers, the
// previous implementation, kept for tests): it evaluates the outdoor-unit
// siting (SiteOutdoorUnit), the borehole field (placeBoreholesRef) and the
// ground-mounted PV (GroundPVOf) of one parcel, sharing the geometry work: the parcel's negative buffer is computed once when the
// boundary setbacks agree, and the free land (setbacks from boundary and
// grown footprints) once when the borehole and ground-PV setbacks agree —
// which they do by default (3 m and 3 m). Buffers dominate a study's
// parcel stage, so this halves it.
func siteParcelRef(id string, parcel orb.MultiPolygon, footprints []orb.MultiPolygon, p Params, o ParcelSiteOptions) (ParcelSite, error) {
	var out ParcelSite
	g, b := p.Ground, p.Boreholes
	spacing, unitM := b.SpacingM(o.ProbeDepthM), p.OutdoorUnitSetbackM.Value
	shared := o.Heat && o.Ground && unitM == b.BoundarySetbackM.Value &&
		g.BoundarySetbackM.Value == b.BoundarySetbackM.Value && g.BuildingSetbackM.Value == b.BuildingSetbackM.Value
	if !shared {
		var err error
		if o.Heat {
			if out.Unit, out.Boreholes, err = siteHeatPumpsRef(parcel, footprints, unitM, b, spacing); err != nil {
				return out, err
			}
		}
		if o.Ground {
			if out.Ground, err = GroundPVOf(id, parcel, footprints, o.Exclusions, o.GroundYieldKWhKWp, o.ModulePowerWpM2, p); err != nil {
				return out, err
			}
		}
		return out, nil
	}
	if err := b.validateLayout(); err != nil {
		return out, err
	}
	if err := p.Validate(); err != nil {
		return out, err
	}
	inner, err := innerLand(parcel, unitM)
	if err != nil {
		return out, err
	}
	unit, err := minusFootprints(inner, footprints, 0)
	if err != nil {
		return out, err
	}
	a := unit.Area()
	out.Unit = OutdoorUnitSiting{OK: a > 1e-6, CandidateAreaM2: a}
	out.Boreholes = BoreholeField{SpacingM: spacing, Layout: b.Layout}
	out.Ground = GroundPV{ParcelID: id, SpecificYieldKWhKWp: o.GroundYieldKWhKWp}
	if !out.Unit.OK { // no land 3 m from the boundary outside buildings: none with more setbacks
		return out, nil
	}
	free, err := minusFootprints(inner, footprints, b.BuildingSetbackM.Value)
	if err != nil {
		return out, err
	}
	if out.Boreholes, err = placeOnRef(free, parcel, b, spacing); err != nil {
		return out, err
	}
	if out.Ground, err = groundOn(id, free, o.Exclusions, o.GroundYieldKWhKWp, o.ModulePowerWpM2, p); err != nil {
		return out, fmt.Errorf("parcel %s: %w", id, err)
	}
	return out, nil
}
