package study

import (
	"sort"

	"github.com/gisement/gisement/model/uncertainty"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Totals are whole-study sums.
type Totals struct {
	Buildings, Parcels, RoofPlanes, RoofPlanesKept int
	HeatedBuildings, Annexes                       int
	PVKWp, PVKWhYr                                 float64
	PVKWhYrP90, PVKWhYrP10                         float64
	// HeatDemandKWhYr is the consumption-like demand (the default of every
	// total); HeatNeedConvKWhYr the conventional (TABULA) need beside it.
	HeatDemandKWhYr, HeatNeedConvKWhYr       float64
	ASHPSitedParcels, GSHPParcels, Boreholes int
	// GSHPKW and Boreholes sum the fields sized to the need (installed
	// probes, capacity ≤ design load) on parcels the GMI regime does not
	// exclude; BoreholesNeeded and BoreholesPossible sum the parcels with
	// room for a probe (possible is information, never a potential).
	GSHPKW                             float64
	BoreholesNeeded, BoreholesPossible int
	// GSHPToVerifyParcels: GMI zone unknown (to verify, not feasible);
	// GSHPOutsideParcels: red zone or beyond the GMI limits (excluded);
	// GSHPNeedsSimulationParcels: beyond the VDI 4640 simplified method.
	GSHPToVerifyParcels, GSHPOutsideParcels, GSHPNeedsSimulationParcels int
	PVNPVEUR, CO2AvoidedKgYr                                            float64
	ParcelModelErrors                                                   int
	// Ground-mounted PV on parcels' free land; APER car parks.
	GroundPVKWp, GroundPVKWhYr float64
	APERCarParks               int
	// UnassignedBuildings counts the buildings assigned to no parcel (when
	// parcels were given); their rooftop potential UnassignedPVKWp and
	// UnassignedPVKWhYr is in the buildings layer but not in PVKWp and
	// PVKWhYr, which sum the parcels (reported so that nothing is dropped
	// silently).
	UnassignedBuildings                int
	UnassignedPVKWp, UnassignedPVKWhYr float64
	// --- potentials (technical.go, pvecon.go) ---
	// PVKWp/PVKWhYr are the technical potential; PVEconKWp/PVEconKWhYr the
	// economic potential over PVEconSystems of PVSystems computed owner
	// systems. AreaLow/AreaHigh: factors of the usable-area range of the
	// technical potential (uncertainty.AreaRange).
	PVEconKWp, PVEconKWhYr   float64
	PVEconSystems, PVSystems int
	AreaLow, AreaHigh        float64
}

// addOwnerEcon adds one parcel's owner economics.
func addOwnerEcon(t *Totals, o *ParcelPVEcon) {
	t.PVEconKWp += o.EconKWp
	t.PVEconKWhYr += o.EconKWhYr
	t.PVEconSystems += o.Economic
	t.PVSystems += o.Systems
}

// addBuildingEcon adds one building's owner economics (studies without
// parcels).
func addBuildingEcon(t *Totals, b *BuildingResult) {
	var o ParcelPVEcon
	o.add(&b.PVEcon)
	addOwnerEcon(t, &o)
}

// CommuneResult aggregates one commune.
type CommuneResult struct {
	INSEE, Name string
	// Geometry: the commune outline when boundaries were given, else the
	// convex hull of its parcels/buildings is not computed (nil).
	Geometry orb.MultiPolygon
	Totals   Totals
	// SpecificYield quantiles (kWh/kWp) over buildings with PV.
	SpecificYieldQ10, SpecificYieldQ50, SpecificYieldQ90 float64
	ShadingLossQ50                                       float64
	// PlaneStats: technical potential and shading over all planes vs the
	// kept ones (technical.go).
	PlaneStats PlaneStats
}

// ZoneResult aggregates the parcels whose centroid lies in a zone.
type ZoneResult struct {
	Name, Kind string
	Geometry   orb.MultiPolygon
	Totals     Totals
}

func addParcel(t *Totals, p *ParcelResult) {
	t.Parcels++
	t.PVKWp += p.PV.KWp
	t.PVKWhYr += p.PV.KWhYr
	if p.PVQuantilesOK {
		t.PVKWhYrP90 += p.PVQuantiles.YieldP90KWh
		t.PVKWhYrP10 += p.PVQuantiles.YieldP10KWh
	}
	if p.ASHPSiting.OK && p.HeatedBuilding > 0 {
		t.ASHPSitedParcels++
	}
	addParcelHeat(t, p) // ground source (heatfield.go)
	if p.PVEconOK {
		t.PVNPVEUR += p.PVEcon.NPVEUR
	}
	addOwnerEcon(t, &p.PVOwner)
	t.CO2AvoidedKgYr += p.CO2AvoidedKgYr
	t.GroundPVKWp += p.Ground.KWp
	t.GroundPVKWhYr += p.Ground.KWhYr
	if p.APERCarPark {
		t.APERCarParks++
	}
	if len(p.Errors) > 0 {
		t.ParcelModelErrors++
	}
}

func addBuilding(t *Totals, b *BuildingResult, planes, kept int) {
	t.Buildings++
	t.RoofPlanes += planes
	t.RoofPlanesKept += kept
	if b.Heated {
		t.HeatedBuildings++
		t.HeatDemandKWhYr += b.Heat.TotalKWh
		t.HeatNeedConvKWhYr += b.Field.Conventional.TotalKWh
	} else {
		t.Annexes++
	}
}

// totals sums the study. P90/P10 sums are sums of per-parcel quantiles
// (an upper bound of the spread: quantiles do not add; documented in the README).
func totals(r *Result) Totals {
	var t Totals
	for i := range r.Buildings {
		addBuilding(&t, &r.Buildings[i], r.Buildings[i].PV.Planes, r.Buildings[i].PV.PlanesKept)
	}
	for i := range r.Parcels {
		addParcel(&t, &r.Parcels[i])
	}
	if len(r.Parcels) == 0 { // per-building study: PV totals from buildings
		t.PVKWp, t.PVKWhYr = r.PV.KWp, r.PV.KWhYr
		for i := range r.Buildings {
			addBuildingEcon(&t, &r.Buildings[i])
		}
		return t
	}
	inParcel := make([]bool, len(r.Buildings))
	for i := range r.Territory.Parcels {
		for _, bi := range r.Territory.Parcels[i].BuildingIdx {
			inParcel[bi] = true
		}
	}
	for i := range r.Buildings {
		if !inParcel[i] {
			t.UnassignedBuildings++
			t.UnassignedPVKWp += r.Buildings[i].PV.KWp
			t.UnassignedPVKWhYr += r.Buildings[i].PV.KWhYr
		}
	}
	return t
}

// aggregateCommunes groups buildings and parcels by INSEE code, with the
// outlines when given.
func aggregateCommunes(r *Result, outlines []Commune) []CommuneResult {
	byCode := map[string]*CommuneResult{}
	get := func(code string) *CommuneResult {
		c, ok := byCode[code]
		if !ok {
			c = &CommuneResult{INSEE: code}
			byCode[code] = c
		}
		return c
	}
	yields := map[string][]float64{}
	shading := map[string][]float64{}
	for i := range r.Buildings {
		b := &r.Territory.Buildings[i]
		c := get(b.CommuneINSEE)
		addBuilding(&c.Totals, &r.Buildings[i], r.Buildings[i].PV.Planes, r.Buildings[i].PV.PlanesKept)
		if pv := r.Buildings[i].PV; pv.KWp > 0 {
			yields[b.CommuneINSEE] = append(yields[b.CommuneINSEE], pv.SpecificYieldKWhKWp)
			shading[b.CommuneINSEE] = append(shading[b.CommuneINSEE], pv.ShadingLossPct)
		}
	}
	for i := range r.Parcels {
		if r.Parcels[i].CommuneINSEE == "" { // no attribute, id or building: locate by outline
			c, _ := planar.CentroidArea(r.Territory.Parcels[i].Geometry)
			for _, o := range outlines {
				if o.Geometry.Bound().Contains(c) && planar.MultiPolygonContains(o.Geometry, c) {
					r.Parcels[i].CommuneINSEE = o.INSEE
					break
				}
			}
		}
		addParcel(&get(r.Parcels[i].CommuneINSEE).Totals, &r.Parcels[i])
	}
	if len(r.Parcels) == 0 {
		for i := range r.Buildings {
			c := get(r.Territory.Buildings[i].CommuneINSEE)
			c.Totals.PVKWp += r.Buildings[i].PV.KWp
			c.Totals.PVKWhYr += r.Buildings[i].PV.KWhYr
			addBuildingEcon(&c.Totals, &r.Buildings[i])
		}
	}
	planeStats := communePlaneStats(r) // technical.go
	for _, o := range outlines {
		c := get(o.INSEE)
		c.Name, c.Geometry = o.Name, o.Geometry
	}
	// Without an outline, a commune's geometry is the bounding box of its
	// buildings and parcels (documented in the layer description).
	boxes := map[string]orb.Bound{}
	extend := func(code string, b orb.Bound) {
		if cur, ok := boxes[code]; ok {
			boxes[code] = cur.Union(b)
		} else {
			boxes[code] = b
		}
	}
	for i := range r.Territory.Buildings {
		extend(r.Territory.Buildings[i].CommuneINSEE, r.Territory.Buildings[i].Footprint.Bound())
	}
	for i := range r.Territory.Parcels {
		extend(r.Parcels[i].CommuneINSEE, r.Territory.Parcels[i].Geometry.Bound())
	}
	out := make([]CommuneResult, 0, len(byCode))
	for code, c := range byCode {
		if code == "" {
			c.INSEE, c.Name = "unknown", "commune inconnue / unknown commune"
		}
		if len(c.Geometry) == 0 {
			c.Geometry = orb.MultiPolygon{boxes[code].ToPolygon()}
		}
		c.PlaneStats = planeStats[code]
		if y := yields[code]; len(y) > 0 {
			q := quantiles(y, 0.1, 0.5, 0.9)
			c.SpecificYieldQ10, c.SpecificYieldQ50, c.SpecificYieldQ90 = q[0], q[1], q[2]
			c.ShadingLossQ50 = quantiles(shading[code], 0.5)[0]
		}
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].INSEE < out[j].INSEE })
	return out
}

// aggregateZones sums the parcels (or, without parcels, the buildings)
// whose representative point (centroid) lies in each zone.
func aggregateZones(r *Result, zones []Zone) []ZoneResult {
	out := make([]ZoneResult, len(zones))
	for k, z := range zones {
		out[k] = ZoneResult{Name: z.Name, Kind: z.Kind, Geometry: z.Geometry}
	}
	if len(zones) == 0 {
		return out
	}
	for i := range r.Parcels {
		c, _ := planar.CentroidArea(r.Territory.Parcels[i].Geometry)
		for k := range zones {
			if zones[k].Bound.Contains(c) && planar.MultiPolygonContains(zones[k].Geometry, c) {
				addParcel(&out[k].Totals, &r.Parcels[i])
			}
		}
	}
	for i := range r.Buildings {
		c := r.Territory.Buildings[i].Centroid
		for k := range zones {
			if zones[k].Bound.Contains(c) && planar.MultiPolygonContains(zones[k].Geometry, c) {
				addBuilding(&out[k].Totals, &r.Buildings[i], r.Buildings[i].PV.Planes, r.Buildings[i].PV.PlanesKept)
				if len(r.Parcels) == 0 {
					out[k].Totals.PVKWp += r.Buildings[i].PV.KWp
					out[k].Totals.PVKWhYr += r.Buildings[i].PV.KWhYr
					addBuildingEcon(&out[k].Totals, &r.Buildings[i])
				}
			}
		}
	}
	return out
}

// quantiles returns the quantiles (uncertainty.Quantile, the one
// definition) of a sorted copy of v.
func quantiles(v []float64, ps ...float64) []float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	out := make([]float64, len(ps))
	for i, p := range ps {
		out[i] = uncertainty.Quantile(p, s)
	}
	return out
}
