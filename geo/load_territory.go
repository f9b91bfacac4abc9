package geo

import (
	"fmt"
	"sync"
)

// TerritoryOptions configure LoadTerritory.
type TerritoryOptions struct {
	// BuildingsPath (required) and ParcelsPath ("" = no parcels).
	BuildingsPath, ParcelsPath string
	// BuildingLoad and ParcelLoad are the per-file load options.
	BuildingLoad, ParcelLoad LoadOptions
	// Roof and Horizon options; zero values mean DefaultRoofOptions() and
	// DefaultHorizonOptions().
	Roof    *RoofOptions
	Horizon *HorizonOptions
	// SkipPlanes stops after loading, indexing and assignment.
	SkipPlanes bool
}

// LoadTerritory loads buildings and parcels (concurrently), indexes both,
// assigns buildings to parcels, recovers parcel ids, then derives roof planes
// and their horizons. The reports are in the returned Territory.
func LoadTerritory(o TerritoryOptions) (*Territory, error) {
	if o.BuildingsPath == "" {
		return nil, fmt.Errorf("geo: LoadTerritory: no buildings file given")
	}
	t := &Territory{}
	var wg sync.WaitGroup
	var perr error
	if o.ParcelsPath != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Parcels, t.ParcelReport, perr = LoadParcels(o.ParcelsPath, o.ParcelLoad)
			if perr == nil {
				t.ParcelIndex = IndexParcels(t.Parcels)
			}
		}()
	}
	var berr error
	t.Buildings, t.BuildingReport, berr = LoadBuildings(o.BuildingsPath, o.BuildingLoad)
	if berr == nil {
		t.BuildingIndex = IndexBuildings(t.Buildings)
	}
	wg.Wait()
	if berr != nil {
		return nil, berr
	}
	if perr != nil {
		return nil, perr
	}
	t.Build(o.Roof, o.Horizon, o.SkipPlanes)
	return t, nil
}

// Build indexes (if not yet), assigns buildings to parcels and, unless
// skipPlanes, computes roof planes and horizons. nil options mean defaults.
func (t *Territory) Build(ro *RoofOptions, ho *HorizonOptions, skipPlanes bool) {
	if t.BuildingIndex == nil {
		t.BuildingIndex = IndexBuildings(t.Buildings)
	}
	if t.ParcelIndex == nil && t.Parcels != nil {
		t.ParcelIndex = IndexParcels(t.Parcels)
	}
	if t.ParcelIndex != nil {
		t.Assignment = AssignBuildings(t.Buildings, t.Parcels, t.ParcelIndex)
	}
	if skipPlanes {
		return
	}
	r := DefaultRoofOptions()
	if ro != nil {
		r = *ro
	}
	h := DefaultHorizonOptions()
	if ho != nil {
		h = *ho
	}
	t.ComputePlanes(r, h)
}
