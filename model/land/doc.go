// Package land evaluates what a parcel's free land offers: room for an
// air-source heat pump's outdoor unit, a borehole field for a ground-source
// heat pump (VDI 4640 spacing), ground-mounted PV on the free patches, and
// the PV canopy potential of car parks with the French APER-law obligation
// (loi n° 2023-175 du 10 mars 2023, art. 40).
//
// Free land is the parcel minus boundary and building setbacks, evaluated
// on a 0.5 m raster of the parcel (landgrid.go) or, for reference, with
// polygon buffers. Geometries are Lambert-93 metres (EPSG:2154). Every
// assumption is a field of Params (YAML key "land" of a scenario); the PV
// module density and yields come from the pipeline (package pv), the probe
// depth from package heat.
package land
