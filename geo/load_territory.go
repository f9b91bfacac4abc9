package geo

import (
	"context"
	"fmt"
	"runtime"

	"golang.org/x/sync/errgroup"
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
	// Workers bounds the goroutines used (0 = GOMAXPROCS; 1 loads the two
	// files one after the other).
	Workers int
}

// LoadTerritory is LoadTerritoryContext without cancellation.
func LoadTerritory(o TerritoryOptions) (*Territory, error) {
	return LoadTerritoryContext(context.Background(), o)
}

// LoadTerritoryContext loads buildings and parcels (concurrently when
// o.Workers allows), indexes both, assigns buildings to parcels, recovers
// parcel ids, then derives roof planes and their horizons. The reports are
// in the returned Territory. ctx is checked between stages and inside the
// parallel ones (assignment, planes); a file being read is read to its end.
func LoadTerritoryContext(ctx context.Context, o TerritoryOptions) (*Territory, error) {
	if o.BuildingsPath == "" {
		return nil, fmt.Errorf("geo: LoadTerritory: no buildings file given")
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	t := &Territory{}
	var berr, perr error
	var g errgroup.Group
	g.SetLimit(min(workers, 2))
	g.Go(func() error {
		t.Buildings, t.BuildingReport, berr = LoadBuildings(o.BuildingsPath, o.BuildingLoad)
		if berr == nil {
			t.BuildingIndex = IndexBuildings(t.Buildings)
		}
		return nil
	})
	if o.ParcelsPath != "" {
		g.Go(func() error {
			t.Parcels, t.ParcelReport, perr = LoadParcels(o.ParcelsPath, o.ParcelLoad)
			if perr == nil {
				t.ParcelIndex = IndexParcels(t.Parcels)
			}
			return nil
		})
	}
	_ = g.Wait() // the errors are berr and perr, reported buildings first
	if berr != nil {
		return nil, berr
	}
	if perr != nil {
		return nil, perr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := t.BuildContext(ctx, o.Roof, o.Horizon, o.SkipPlanes, workers); err != nil {
		return nil, err
	}
	return t, nil
}

// Build is BuildContext without cancellation, on GOMAXPROCS workers.
func (t *Territory) Build(ro *RoofOptions, ho *HorizonOptions, skipPlanes bool) {
	_ = t.BuildContext(context.Background(), ro, ho, skipPlanes, 0) // only ctx errors
}

// BuildContext indexes (if not yet), assigns buildings to parcels and,
// unless skipPlanes, computes roof planes and horizons, on at most workers
// goroutines (≤ 0: GOMAXPROCS). nil options mean defaults. When ctx is done
// it returns ctx.Err().
func (t *Territory) BuildContext(ctx context.Context, ro *RoofOptions, ho *HorizonOptions, skipPlanes bool, workers int) error {
	if t.BuildingIndex == nil {
		t.BuildingIndex = IndexBuildings(t.Buildings)
	}
	if t.ParcelIndex == nil && t.Parcels != nil {
		t.ParcelIndex = IndexParcels(t.Parcels)
	}
	if t.ParcelIndex != nil {
		rep, err := AssignBuildingsContext(ctx, t.Buildings, t.Parcels, t.ParcelIndex, workers)
		if err != nil {
			return err
		}
		t.Assignment = rep
	}
	if skipPlanes {
		return nil
	}
	r := DefaultRoofOptions()
	if ro != nil {
		r = *ro
	}
	h := DefaultHorizonOptions()
	if ho != nil {
		h = *ho
	}
	return t.ComputePlanesContext(ctx, r, h, workers)
}
