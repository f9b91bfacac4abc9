// Package surface derives observed roof facets, building heights and
// per-facet horizons from a digital surface model (DSM) — the IGN "MNS LiDAR
// HD" 0.5 m GeoTIFF tiles in Lambert-93 (EPSG:2154, heights NGF-IGN69) — and
// optionally a digital terrain model (DTM, IGN "MNT LiDAR HD").
//
// What French solar cadastres, Sonnendach (Swiss Federal Office of Energy)
// and Google's Solar API do, and what this package reproduces, is: take the
// surface-model pixels inside each building footprint, segment them into
// planar roof facets, measure each facet's tilt, azimuth, area and height,
// discard what cannot carry modules (walls, chimneys, dormers, tiny facets,
// cluttered surfaces), and compute each facet's horizon from the same surface
// model, so trees, neighbouring buildings and terrain all shade.
//
// Method (details on each function):
//   - Local normals: least-squares plane on each pixel's 3×3 neighbourhood
//     inside the footprint.
//   - Segmentation: region growing under a smoothness constraint (Rabbani,
//     van den Heuvel & Vosselman 2006, "Segmentation of point clouds using
//     smoothness constraint", IAPRS 36(5):248–253): seeds in increasing order
//     of local residual, growth to 8-neighbours whose normal is within
//     NormalAngleDeg of the region's plane and whose height is within
//     PlaneDistM of it; a final least-squares fit per facet gives tilt,
//     azimuth and the RMS residual.
//   - Exclusion rules (Facet.Excluded): steep, rough, superstructure
//     (chimneys, dormers, lift shafts rising above a larger facet), small.
//   - Horizons: rays marched over the DSM from sample points on a regular
//     grid of each facet's usable pixels (inside the setback, where modules
//     go): every cell, or at most SamplesPerFacet points, the grid
//     coarsened on large facets; PVGIS-style sectors (default 48 × 7.5°).
//     A facet's irradiation is the MEAN of its points' irradiation, as
//     GRASS r.sun's mean over a roof's cells — not the irradiation under
//     the points' mean horizon, which smears a tree over one end of a roof
//     into a shallow skyline over all of it. The points' horizons are
//     compressed, sector by sector, into HorizonProfiles equal-weight
//     profiles that keep that mean (Facet.HorizonProfiles), so the PV model
//     evaluates a bounded number of horizons per facet.
//
// Streaming: footprints are grouped by square chunks (TileM, default 1 km,
// aligned like the IGN tiles); for each chunk the DSM window covering it plus
// a halo of HorizonRadiusM is read (windowed GeoTIFF reads across a mosaic of
// tiles), processed with all cores and released, so memory is bounded by one
// chunk and its halo.
//
// Inputs: the IGN MNS/MNT LiDAR HD GeoTIFF tiles are read directly. From the
// classified LAZ/COPC point clouds (no maintained pure-Go LAZ decoder was
// found), make the surface model with PDAL, e.g.
// `pdal translate tile.laz mns.tif --writers.gdal.resolution=0.5
// --writers.gdal.output_type=max --writers.gdal.data_type=float32` (and the
// terrain model from the class-2 points with a range filter and
// output_type=idw); fill empty cells (gdal_fillnodata) before use. PDAL is not packaged in
// Debian 12.
//
// Conventions: Lambert-93 metres; tilt in degrees from horizontal; azimuth in
// degrees clockwise from TRUE north (180 = south), grid azimuths being
// corrected by the Lambert-93 meridian convergence; heights in metres; areas
// in m² (horizontal = planimetric, sloped = horizontal / cos tilt).
package surface
