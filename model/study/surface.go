package study

import (
	"fmt"
	"strings"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/geo/surface"
)

// applySurface replaces the modelled roof planes and neighbour horizons of
// the buildings a surface model covers with observed facets and DSM horizons
// (geo/surface, issue 17). Without Options.DSMPaths it only records the
// planes' sources (modelled, buildings[+terrain]); results stay as before. The far terrain horizon (--dem) is combined as for
// modelled planes.
func applySurface(r *Result, t *geo.Territory, o Options, ro geo.RoofOptions, ho geo.HorizonOptions) error {
	if len(o.DSMPaths) == 0 {
		if len(o.DTMPaths) > 0 {
			return fmt.Errorf("%w: --dtm needs --dsm", ErrInput)
		}
		shading := surface.ShadingBuildings
		if ho.Terrain != nil {
			shading += surface.TerrainSuffix
		}
		for i := range t.Planes {
			t.Planes[i].RoofSource, t.Planes[i].ShadingSource = surface.RoofModelled, shading
		}
		return nil
	}
	dsm, err := surface.OpenMosaic(o.DSMPaths...)
	if err != nil {
		return fmt.Errorf("%w: --dsm: %w", ErrInput, err)
	}
	r.Inputs["dsm"] = strings.Join(o.DSMPaths, ",")
	var dtm surface.Source // nil interface without --dtm
	if len(o.DTMPaths) > 0 {
		m, err := surface.OpenMosaic(o.DTMPaths...)
		if err != nil {
			return fmt.Errorf("%w: --dtm: %w", ErrInput, err)
		}
		dtm = m
		r.Inputs["dtm"] = strings.Join(o.DTMPaths, ",")
	}
	so := surface.DefaultOptions()
	so.Sectors, so.Workers = ho.Sectors, o.Workers
	rep, err := surface.ApplyToTerritory(t, dsm, dtm, surface.TerritoryOptions{Options: so, Roof: ro,
		Terrain: ho.Terrain, TerrainCellM: ho.TerrainCellM})
	if err != nil {
		return fmt.Errorf("%w: surface model: %w", ErrInput, err)
	}
	o.Logger.Info("surface model", "observed_buildings", rep.ObservedBuildings, "modelled_buildings", rep.ModelledBuildings,
		"heights_from_dsm", rep.HeightsFromDSM, "chunks", rep.Chunks, "max_window_cells", rep.MaxWindowCells,
		"facets_excluded", rep.FacetsExcluded)
	return nil
}
