package study

import (
	"fmt"
	"strings"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/geo/surface"
	"github.com/gisement/gisement/model/pv"
)

// PitchAssignment counts the buildings by the source of their modelled roof
// pitch (assignPitch), with the pitch and covering per département.
type PitchAssignment struct {
	// Regional: buildings given their département's default; Scenario:
	// buildings given pv.roof.pitch_deg (pv.roof.pitch: scenario, or
	// département unknown); Attribute: pitch from the building source, kept.
	Regional  int `json:"regional"`
	Scenario  int `json:"scenario"`
	Attribute int `json:"attribute"`
	// ByDept gives, per département, the default pitch applied (degrees),
	// its covering and source.
	ByDept map[string]surface.PitchDefault `json:"by_departement,omitempty"`
}

// assignPitch sets every building's modelled roof pitch before the roof
// planes are computed (issue 17): a pitch attribute of the source is kept;
// with pv.roof.pitch "regional" (the default) the building takes the
// regional default of its département (surface.ModelledPitch, from its
// commune code as assignCommunes left it: the source's code, or the
// arrondissement / commune of its BDNB parcel reference), and
// pv.roof.pitch_deg where the département is unknown; with "scenario" every
// building takes pv.roof.pitch_deg. Buildings a surface model covers get
// their observed facets afterwards (applySurface) and keep no modelled
// plane.
//
// count, when not nil, limits the counts to the buildings it marks (the
// core buildings of a streaming chunk; the halo's are set but counted in
// their own chunk).
func assignPitch(t *geo.Territory, p pv.Params, count []bool) PitchAssignment {
	a := PitchAssignment{ByDept: map[string]surface.PitchDefault{}}
	for i := range t.Buildings {
		b := &t.Buildings[i]
		counted := count == nil || count[i]
		if b.RoofPitchSource == geo.PitchFromAttribute {
			if counted {
				a.Attribute++
			}
			continue
		}
		b.RoofPitchDeg, b.RoofPitchSource = p.Roof.PitchDeg.Value, geo.PitchFromOptions
		if p.Roof.Pitch == pv.PitchRegional && len(b.CommuneINSEE) >= 2 {
			if d, err := surface.ModelledPitch(b.CommuneINSEE); err == nil {
				b.RoofPitchDeg, b.RoofPitchSource = d.Deg, geo.PitchRegional
				dept := b.CommuneINSEE[:2]
				if dept == "97" && len(b.CommuneINSEE) >= 3 {
					dept = b.CommuneINSEE[:3]
				}
				if counted {
					a.ByDept[dept] = d
				}
			}
		}
		if !counted {
			continue
		}
		if b.RoofPitchSource == geo.PitchRegional {
			a.Regional++
		} else {
			a.Scenario++
		}
	}
	return a
}

// merge adds the counts of o (the pitch sources of another chunk).
func (a *PitchAssignment) merge(o *PitchAssignment) {
	a.Regional += o.Regional
	a.Scenario += o.Scenario
	a.Attribute += o.Attribute
	for k, v := range o.ByDept {
		if a.ByDept == nil {
			a.ByDept = map[string]surface.PitchDefault{}
		}
		a.ByDept[k] = v
	}
}

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
