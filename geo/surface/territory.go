package surface

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/gisement/gisement/geo"
)

// Sources recorded on geo.RoofPlane (RoofSource, ShadingSource) and
// geo.Building (RoofTypeSource, HeightSource).
const (
	RoofObserved = "observed"
	RoofModelled = "modelled"
	// ShadingDSM: horizon from the surface model (trees, buildings, terrain
	// within HorizonRadiusM); ShadingBuildings: neighbour prisms
	// (geo.NeighbourHorizon). TerrainSuffix is appended when a DEM terrain
	// horizon was combined by maximum.
	ShadingDSM       = "dsm"
	ShadingBuildings = "buildings"
	TerrainSuffix    = "+terrain"
	// RoofTypeFromDSM marks geo.Building.RoofTypeSource of observed roofs.
	RoofTypeFromDSM = "dsm"
)

// TerritoryOptions configure ApplyToTerritory.
type TerritoryOptions struct {
	Options
	// Roof is the modelled-roof configuration also used for observed flat
	// roofs (FlatTiltDeg racks facing south, FlatRackCoverage), as
	// geo.RoofPlanes does.
	Roof geo.RoofOptions
	// Terrain, when set, is the far terrain horizon (geo.HorizonOptions.Terrain,
	// from --dem), evaluated once per TerrainCellM cell and combined by
	// maximum with the DSM horizon.
	Terrain      func(x, y float64) []float64
	TerrainCellM float64
}

// TerritoryReport counts what ApplyToTerritory did.
type TerritoryReport struct {
	Stats
	// ObservedBuildings got their planes from the DSM; ModelledBuildings
	// kept the footprint-rule planes (outside the DSM or poorly covered).
	ObservedBuildings, ModelledBuildings int
	// HeightsFromDSM: buildings whose height was not an attribute and was
	// set from the surface model.
	HeightsFromDSM int
	// FacetsExcluded counts facets by exclusion reason.
	FacetsExcluded map[string]int
}

// ApplyToTerritory replaces, for every building the surface model covers,
// the modelled roof planes of t (computed by t.ComputePlanes) with the
// usable observed facets and their DSM horizons (Horizon the mean over the
// facet's sample points, HorizonMin their minimum, HorizonProfiles the
// profiles whose mean irradiation is the points' mean irradiation; the far
// terrain is combined by maximum into each), and records the sources on every plane. Buildings
// whose height is not an attribute (HeightSource ≠ "attribute") get the DSM
// height (Roof.HeightM) when known.
// Observed flat facets carry modules as modelled flat roofs do
// (o.Roof.FlatTiltDeg facing south, × FlatRackCoverage when racked).
// Neighbour horizons of the modelled buildings are not recomputed with the
// new heights.
func ApplyToTerritory(t *geo.Territory, dsm, dtm Source, o TerritoryOptions) (TerritoryReport, error) {
	rep := TerritoryReport{FacetsExcluded: map[string]int{}}
	if t.PlaneStart == nil || len(t.PlaneStart) != len(t.Buildings)+1 {
		return rep, fmt.Errorf("%w: territory planes not computed (call ComputePlanes first)", ErrMosaic)
	}
	if dsm == nil {
		return rep, fmt.Errorf("%w: no DSM", ErrMosaic)
	}
	oo := o.Options.withDefaults()
	fps := make([]Footprint, len(t.Buildings))
	for i := range t.Buildings {
		b := &t.Buildings[i]
		fps[i] = Footprint{ID: b.ID, Geometry: b.Footprint, GroundAltM: b.GroundAltM}
	}
	observed := make([][]geo.RoofPlane, len(t.Buildings))
	isObs := make([]bool, len(t.Buildings))
	terrain := newTerrainCache(o.Terrain, o.TerrainCellM)
	st, err := Analyse(dsm, dtm, fps, oo, true, func(i int, r Roof) {
		b := &t.Buildings[i]
		if !math.IsNaN(r.HeightM) && b.HeightSource != geo.HeightFromAttribute {
			b.HeightM, b.HeightSource = r.HeightM, r.HeightBasis
			rep.HeightsFromDSM++
		}
		if !r.Observed {
			return
		}
		isObs[i] = true
		b.RoofType, b.RoofTypeSource = geo.RoofPitched, RoofTypeFromDSM
		if r.Flat {
			b.RoofType = geo.RoofFlat
		}
		var pls []geo.RoofPlane
		for _, f := range r.Facets {
			if f.Excluded != "" {
				rep.FacetsExcluded[f.Excluded]++
				continue
			}
			pl := geo.RoofPlane{BuildingIdx: i, Index: len(pls), TiltDeg: f.TiltDeg, AzimuthDeg: f.AzimuthDeg,
				AreaM2: f.SlopedM2, UsableM2: f.UsableM2, Centroid: f.Centroid, HeightM: f.MeanHeightM,
				RoofSource: RoofObserved, ShadingSource: ShadingDSM, PitchSource: geo.PitchObserved}
			if f.Flat {
				pl.TiltDeg, pl.AzimuthDeg, pl.PitchSource = o.Roof.FlatTiltDeg, 180, geo.PitchFlat
				if o.Roof.FlatTiltDeg > 0 {
					pl.UsableM2 *= o.Roof.FlatRackCoverage
				}
			}
			if math.IsNaN(pl.HeightM) {
				pl.HeightM = b.HeightM
			}
			h := append([]float64(nil), f.Horizon...)
			hmin := append([]float64(nil), f.HorizonMin...)
			pl.HorizonProfiles = make([]geo.Horizon, len(f.HorizonProfiles))
			for j, hp := range f.HorizonProfiles {
				pl.HorizonProfiles[j] = geo.Horizon{ElevationDeg: append([]float64(nil), hp...)}
			}
			if th := terrain.get(f.Centroid); len(th) == len(h) {
				raise := func(e []float64) {
					for k := range e {
						e[k] = math.Max(e[k], th[k])
					}
				}
				raise(h)
				raise(hmin)
				for _, hp := range pl.HorizonProfiles {
					raise(hp.ElevationDeg)
				}
				pl.ShadingSource += TerrainSuffix
			}
			pl.Horizon, pl.HorizonMin = geo.Horizon{ElevationDeg: h}, geo.Horizon{ElevationDeg: hmin}
			pls = append(pls, pl)
		}
		observed[i] = pls
	})
	rep.Stats = st
	if err != nil {
		return rep, err
	}
	modelledShading := ShadingBuildings
	if o.Terrain != nil {
		modelledShading += TerrainSuffix
	}
	planes := make([]geo.RoofPlane, 0, len(t.Planes))
	start := make([]int, len(t.Buildings)+1)
	for i := range t.Buildings {
		start[i] = len(planes)
		if isObs[i] {
			rep.ObservedBuildings++
			planes = append(planes, observed[i]...)
			continue
		}
		rep.ModelledBuildings++
		for _, pl := range t.Planes[t.PlaneStart[i]:t.PlaneStart[i+1]] {
			pl.RoofSource, pl.ShadingSource = RoofModelled, modelledShading
			planes = append(planes, pl)
		}
	}
	start[len(t.Buildings)] = len(planes)
	t.Planes, t.PlaneStart = planes, start
	return rep, nil
}

// terrainCache evaluates the far terrain horizon once per cell (sequential
// use: ApplyToTerritory's emit callback is not concurrent).
type terrainCache struct {
	f    func(x, y float64) []float64
	cell float64
	m    map[[2]int64][]float64
}

func newTerrainCache(f func(x, y float64) []float64, cell float64) *terrainCache {
	if cell <= 0 {
		cell = 250 // geo.DefaultHorizonOptions().TerrainCellM
	}
	return &terrainCache{f: f, cell: cell, m: map[[2]int64][]float64{}}
}

func (c *terrainCache) get(p orb.Point) []float64 {
	if c.f == nil {
		return nil
	}
	k := [2]int64{int64(math.Floor(p[0] / c.cell)), int64(math.Floor(p[1] / c.cell))}
	h, ok := c.m[k]
	if !ok {
		h = c.f((float64(k[0])+0.5)*c.cell, (float64(k[1])+0.5)*c.cell)
		c.m[k] = h
	}
	return h
}
