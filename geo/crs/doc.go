// Package crs is the one coordinate-reference-system path of gisement:
// every conversion between longitude/latitude, Lambert-93 and the other
// supported systems in data, geo, api and model goes through it.
//
// Domain: French cadastral and building data (IGN BD TOPO, BDNB, Etalab
// cadastre) come in Lambert-93 (EPSG:2154, RGF93 Lambert conformal conic,
// metres) or in longitude/latitude (EPSG:4326 WGS84, EPSG:4171 RGF93);
// web maps want lon/lat or Web Mercator (EPSG:3857). All geometry work
// (areas, distances, roof azimuths, shading) is done in Lambert-93, which is
// conformal (angles preserved) with a scale error below 0.1 % over
// metropolitan France; azimuths measured against Lambert-93 grid north are
// turned to true north with the meridian convergence
// (Lambert93ConvergenceDeg).
//
// What is here:
//   - the closed-form Lambert-93 forward and inverse projections and the
//     meridian convergence (EPSG Guidance Note 7-2 §3.2.1.1), fast enough
//     for per-vertex use (≈ 0.1 µs per point);
//   - Transform, ToLambert93 and FromLambert93, which return orb.Projection
//     values: the closed form between EPSG:4326/4171 and EPSG:2154,
//     github.com/wroge/wgs84 for everything else (Web Mercator, UTM, ...);
//   - Project and ProjectBound, to apply a projection to an orb geometry or
//     bounding box;
//   - CRS recognition: Detect (from coordinate ranges), CheckBounds (do
//     coordinates fit a declared CRS?), ParseName (GeoJSON crs names, OGC
//     URNs) and ParsePRJ (ESRI/OGC WKT .prj files).
//
// Axis order is always orb's [x, y]: [lon, lat] in degrees for geographic
// CRSs, [easting, northing] in metres for projected ones.
package crs
