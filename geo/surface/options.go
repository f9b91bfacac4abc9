package surface

// Options tune segmentation, exclusion rules, horizons and streaming. Zero
// fields take the documented defaults (DefaultOptions).
type Options struct {
	// NormalAngleDeg: a pixel joins a growing facet when its local normal is
	// within this angle of the facet's plane normal. Default 15°: IGN LiDAR HD
	// DSM normals on 3×3 cells of tiled roofs scatter by a few degrees
	// (canal-tile ripples ≈ 0.1 m), while roof faces meeting at a ridge or
	// hip differ by twice the pitch (≥ 30° for pitches ≥ 15°).
	NormalAngleDeg float64
	// PlaneDistM: maximum vertical distance of a joining pixel to the facet
	// plane. Default 0.25 m (≈ 2.5 × the 0.10 m vertical accuracy of IGN
	// LiDAR HD; a parapet or a roof step is higher).
	PlaneDistM float64
	// SeedMaxRMSM: a pixel seeds a facet only when its 3×3 local plane fits
	// within this RMS. Default 0.10 m.
	SeedMaxRMSM float64
	// FlatMaxTiltDeg: facets tilted less are flat (roof terraces). Default
	// 5°: French roof terraces are built with slopes of 0–5 % (≤ 2.9°, DTU
	// 43.1), plus margin for LiDAR noise; pitched coverings start at ≈ 15°
	// (canal tiles).
	FlatMaxTiltDeg float64
	// MaxRoofTiltDeg: steeper facets are walls, dormer cheeks or vegetation
	// edges (Excluded "steep"). Default 60° (mansard lower slopes, the
	// steepest usable roofs, are ≈ 60–70° and rare).
	MaxRoofTiltDeg float64
	// MaxRMSM: facets whose orthogonal fit RMS exceeds this are not planar
	// roof (vegetation over the roof, clutter; Excluded "rough"). Default
	// 0.15 m.
	MaxRMSM float64
	// SuperstructureMaxM2 and SuperstructureRiseM: a facet smaller than
	// SuperstructureMaxM2 (horizontal) whose pixels lie on average more than
	// SuperstructureRiseM above the plane of an adjacent larger facet of the
	// same building is a chimney, dormer, lift shaft or ventilation housing
	// (Excluded "superstructure"). Defaults 15 m² and 0.5 m (dormers on
	// French houses: 1–3 m wide faces, i.e. 2–10 m²).
	SuperstructureMaxM2, SuperstructureRiseM float64
	// MinUsableM2: facets with less horizontal area carry no installation
	// (Excluded "small"). Default 10 m²: about 5 modules of 1.7 m², i.e. a
	// 2 kWc minimum system; our assumption (installers' practical minimum,
	// range 5–15 m²).
	MinUsableM2 float64
	// SetbackM: free border kept along every facet edge (including around
	// excluded superstructures): facet pixels closer than this to a pixel
	// outside the facet are not usable. Default 0.5 m (installer practice
	// 0.3–1 m, as geo.RoofOptions.SetbackM).
	SetbackM float64
	// FlatRoofShare: a building's roof is flat when flat facets make at least
	// this share of its segmented horizontal area, whatever the footprint
	// size. Default 0.5.
	FlatRoofShare float64
	// MinCoverage: share of the footprint's pixels with valid DSM values
	// needed to treat the roof as observed. Default 0.9.
	MinCoverage float64

	// Sectors is the number of horizon sectors (default 48 × 7.5°, PVGIS's
	// horizon form and geo.HorizonOptions' default; sector i is centred on
	// azimuth i·360/Sectors clockwise from true north).
	Sectors int
	// HorizonRadiusM is how far the horizon rays march over the DSM and the
	// halo read around each chunk. Default 100 m as geo.HorizonOptions
	// (beyond it an obstacle must rise 17.6 m above the roof to exceed 10°;
	// the far terrain comes from the --dem terrain horizon).
	HorizonRadiusM float64
	// SampleSpacingM is the finest spacing of the horizon sample points, a
	// regular grid of the facet's usable pixels, inside the setback
	// (default 0.5 m: every cell of the IGN 0.5 m DSM, so a small facet is
	// sampled at every usable cell).
	SampleSpacingM float64
	// SamplesPerFacet caps the sample points per facet (default 24): on
	// larger facets the grid is coarsened (1 m, 1.5 m, …) until at most this
	// many points remain, which bounds the horizon cost per facet (each
	// point marches Sectors rays over HorizonRadiusM).
	SamplesPerFacet int
	// HorizonProfiles is the number of equal-weight horizon profiles the
	// sample points' horizons are compressed into (default 6; see
	// Facet.HorizonProfiles): the facet's irradiation is the mean over the
	// profiles, so the PV model's cost per facet is HorizonProfiles
	// evaluations whatever the number of points.
	HorizonProfiles int
	// ObserverOffsetM lifts the observer above the fitted plane: modules sit
	// 0.1–0.2 m above the covering on their rails. Default 0.2 m.
	ObserverOffsetM float64

	// TileM is the side of the streaming chunk (default 1000 m, aligned on
	// multiples of TileM like the IGN 1 km tiles).
	TileM float64
	// Workers processes buildings in parallel (default GOMAXPROCS).
	Workers int

	keepLabels bool // keep each roof's facet label grid (tests)
}

// DefaultOptions returns the documented defaults.
func DefaultOptions() Options {
	return Options{NormalAngleDeg: 15, PlaneDistM: 0.25, SeedMaxRMSM: 0.10, FlatMaxTiltDeg: 5, MaxRoofTiltDeg: 60,
		MaxRMSM: 0.15, SuperstructureMaxM2: 15, SuperstructureRiseM: 0.5, MinUsableM2: 10, SetbackM: 0.5,
		FlatRoofShare: 0.5, MinCoverage: 0.9, Sectors: 48, HorizonRadiusM: 100, SampleSpacingM: 0.5, SamplesPerFacet: 24, HorizonProfiles: 6,
		ObserverOffsetM: 0.2, TileM: 1000}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	f := func(v *float64, def float64) {
		if *v <= 0 {
			*v = def
		}
	}
	f(&o.NormalAngleDeg, d.NormalAngleDeg)
	f(&o.PlaneDistM, d.PlaneDistM)
	f(&o.SeedMaxRMSM, d.SeedMaxRMSM)
	f(&o.FlatMaxTiltDeg, d.FlatMaxTiltDeg)
	f(&o.MaxRoofTiltDeg, d.MaxRoofTiltDeg)
	f(&o.MaxRMSM, d.MaxRMSM)
	f(&o.SuperstructureMaxM2, d.SuperstructureMaxM2)
	f(&o.SuperstructureRiseM, d.SuperstructureRiseM)
	f(&o.MinUsableM2, d.MinUsableM2)
	f(&o.SetbackM, d.SetbackM)
	f(&o.FlatRoofShare, d.FlatRoofShare)
	f(&o.MinCoverage, d.MinCoverage)
	f(&o.HorizonRadiusM, d.HorizonRadiusM)
	f(&o.ObserverOffsetM, d.ObserverOffsetM)
	f(&o.TileM, d.TileM)
	if o.Sectors <= 0 {
		o.Sectors = d.Sectors
	}
	f(&o.SampleSpacingM, d.SampleSpacingM)
	if o.SamplesPerFacet <= 0 {
		o.SamplesPerFacet = d.SamplesPerFacet
	}
	if o.HorizonProfiles <= 0 {
		o.HorizonProfiles = d.HorizonProfiles
	}
	return o
}
