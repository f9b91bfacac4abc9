package study

import (
	"reflect"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/model/pv"
	"github.com/gisement/gisement/model/uncertainty"
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

// Aggregation (totals, communes, zones) goes through partial aggregates
// in both paths: Run adds every building and parcel to one aggPartial, the
// streaming study adds each chunk's core buildings and parcels to the
// chunk's own, stored as JSON and merged by FinishStudy. Sums are exact up
// to the order of floating-point additions; the quantiles keep their value
// lists, which the merge concatenates (quantiles sort them).

// aggPartial is the mergeable aggregate of a set of buildings and parcels.
type aggPartial struct {
	Totals   Totals                     `json:"totals"`
	Communes map[string]*communePartial `json:"communes"`
	// Zones: totals per zone (parallel to the zones layer).
	Zones []Totals `json:"zones,omitempty"`
	// Planes: all roof planes (Result.PVStats).
	Planes planeStats  `json:"planes"`
	Heat   heatPartial `json:"heat"`
}

// communePartial is one commune's part of an aggPartial.
type communePartial struct {
	Totals Totals `json:"totals"`
	// Yields and Shading: specific yields and shading losses of the
	// buildings with PV (quantiles).
	Yields  []float64  `json:"yields,omitempty"`
	Shading []float64  `json:"shading,omitempty"`
	Planes  planeStats `json:"planes"`
	// Box: bounds of the commune's buildings and parcels (the geometry of
	// a commune without an outline).
	Box    [4]float64 `json:"box"`
	HasBox bool       `json:"has_box"`
}

func newAggPartial(zones int) *aggPartial {
	return &aggPartial{Communes: map[string]*communePartial{}, Zones: make([]Totals, zones)}
}

func (a *aggPartial) commune(code string) *communePartial {
	c, ok := a.Communes[code]
	if !ok {
		c = &communePartial{}
		a.Communes[code] = c
	}
	return c
}

func (c *communePartial) extend(b orb.Bound) {
	if !c.HasBox {
		c.Box, c.HasBox = [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}, true
		return
	}
	u := c.bound().Union(b)
	c.Box = [4]float64{u.Min[0], u.Min[1], u.Max[0], u.Max[1]}
}

func (c *communePartial) bound() orb.Bound {
	return orb.Bound{Min: orb.Point{c.Box[0], c.Box[1]}, Max: orb.Point{c.Box[2], c.Box[3]}}
}

// addBuilding adds building i of t (its result br, its planes' PV roofs)
// to the totals, its commune and the zones holding its centroid.
// perParcel: the study has parcels (PV totals then come from the parcels).
func (a *aggPartial) addBuilding(t *geo.Territory, i int, br *BuildingResult, roofs []pv.RoofPV, zones []Zone, perParcel bool) {
	b := &t.Buildings[i]
	pvOnly := func(tt *Totals) {
		tt.PVKWp += br.PV.KWp
		tt.PVKWhYr += br.PV.KWhYr
		addBuildingEcon(tt, br)
	}
	addBuilding(&a.Totals, br, br.PV.Planes, br.PV.PlanesKept)
	if !perParcel {
		pvOnly(&a.Totals)
	} else if b.ParcelID == "" { // assigned to no parcel
		a.Totals.UnassignedBuildings++
		a.Totals.UnassignedPVKWp += br.PV.KWp
		a.Totals.UnassignedPVKWhYr += br.PV.KWhYr
	}
	c := a.commune(b.CommuneINSEE)
	addBuilding(&c.Totals, br, br.PV.Planes, br.PV.PlanesKept)
	if br.PV.KWp > 0 {
		c.Yields = append(c.Yields, br.PV.SpecificYieldKWhKWp)
		c.Shading = append(c.Shading, br.PV.ShadingLossPct)
	}
	if !perParcel {
		pvOnly(&c.Totals)
	}
	c.extend(b.Footprint.Bound())
	for k := range roofs {
		c.Planes.add(&roofs[k])
		a.Planes.add(&roofs[k])
	}
	for k := range zones {
		if zones[k].Bound.Contains(b.Centroid) && planar.MultiPolygonContains(zones[k].Geometry, b.Centroid) {
			addBuilding(&a.Zones[k], br, br.PV.Planes, br.PV.PlanesKept)
			if !perParcel {
				pvOnly(&a.Zones[k])
			}
		}
	}
	a.Heat.addBuilding(br)
}

// addParcel adds parcel i of t (result pr) to the totals, its commune and
// the zones holding its centroid. A parcel without a commune (no
// attribute, id or building) is first located in the outlines.
func (a *aggPartial) addParcel(t *geo.Territory, i int, pr *ParcelResult, outlines []Commune, zones []Zone) {
	p := &t.Parcels[i]
	centroid, _ := planar.CentroidArea(p.Geometry)
	if pr.CommuneINSEE == "" {
		for _, o := range outlines {
			if o.Geometry.Bound().Contains(centroid) && planar.MultiPolygonContains(o.Geometry, centroid) {
				pr.CommuneINSEE = o.INSEE
				break
			}
		}
	}
	addParcel(&a.Totals, pr)
	c := a.commune(pr.CommuneINSEE)
	addParcel(&c.Totals, pr)
	c.extend(p.Geometry.Bound())
	for k := range zones {
		if zones[k].Bound.Contains(centroid) && planar.MultiPolygonContains(zones[k].Geometry, centroid) {
			addParcel(&a.Zones[k], pr)
		}
	}
}

// merge adds o to a.
func (a *aggPartial) merge(o *aggPartial) {
	addTotals(&a.Totals, &o.Totals)
	for code, oc := range o.Communes {
		c := a.commune(code)
		addTotals(&c.Totals, &oc.Totals)
		c.Yields = append(c.Yields, oc.Yields...)
		c.Shading = append(c.Shading, oc.Shading...)
		c.Planes.merge(&oc.Planes)
		if oc.HasBox {
			c.extend(oc.bound())
		}
	}
	for k := range o.Zones {
		if k < len(a.Zones) {
			addTotals(&a.Zones[k], &o.Zones[k])
		}
	}
	a.Planes.merge(&o.Planes)
	a.Heat.merge(&o.Heat)
}

// addTotals adds every count and sum of o to t (by reflection, so that a
// field added to Totals is never forgotten); AreaLow and AreaHigh are
// factors, set by setAreaRange.
func addTotals(t, o *Totals) {
	tv, ov := reflect.ValueOf(t).Elem(), reflect.ValueOf(o).Elem()
	for i := 0; i < tv.NumField(); i++ {
		switch f := tv.Field(i); f.Kind() {
		case reflect.Int:
			f.SetInt(f.Int() + ov.Field(i).Int())
		case reflect.Float64:
			f.SetFloat(f.Float() + ov.Field(i).Float())
		}
	}
	t.AreaLow, t.AreaHigh = 0, 0
}

// communes returns the commune results of the aggregate, with the outlines
// (kept ones) as geometries, sorted by code.
func (a *aggPartial) communes(outlines []Commune) []CommuneResult {
	byCode := map[string]*CommuneResult{}
	for code, c := range a.Communes {
		cr := &CommuneResult{INSEE: code, Totals: c.Totals, PlaneStats: c.Planes.result()}
		if len(c.Yields) > 0 {
			q := quantiles(c.Yields, 0.1, 0.5, 0.9)
			cr.SpecificYieldQ10, cr.SpecificYieldQ50, cr.SpecificYieldQ90 = q[0], q[1], q[2]
			cr.ShadingLossQ50 = quantiles(c.Shading, 0.5)[0]
		}
		byCode[code] = cr
	}
	for _, o := range outlines {
		c, ok := byCode[o.INSEE]
		if !ok {
			c = &CommuneResult{INSEE: o.INSEE, PlaneStats: (&planeStats{}).result()}
			byCode[o.INSEE] = c
		}
		c.Name, c.Geometry = o.Name, o.Geometry
	}
	out := make([]CommuneResult, 0, len(byCode))
	for code, c := range byCode {
		if code == "" {
			c.INSEE, c.Name = "unknown", "commune inconnue / unknown commune"
		}
		// Without an outline, a commune's geometry is the bounding box of
		// its buildings and parcels (documented in the layer description).
		if len(c.Geometry) == 0 {
			var b orb.Bound
			if p := a.Communes[code]; p != nil {
				b = p.bound()
			}
			c.Geometry = orb.MultiPolygon{b.ToPolygon()}
		}
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].INSEE < out[j].INSEE })
	nameCommunes(out)
	return out
}

// zones returns the zone results of the aggregate.
func (a *aggPartial) zones(zones []Zone) []ZoneResult {
	out := make([]ZoneResult, len(zones))
	for k, z := range zones {
		out[k] = ZoneResult{Name: z.Name, Kind: z.Kind, Geometry: z.Geometry, Totals: a.Zones[k]}
	}
	return out
}

// aggregate fills r's communes, zones, totals and plane statistics from
// the aggregate (both paths).
func (a *aggPartial) aggregate(r *Result, outlines []Commune, zones []Zone) {
	r.Communes = a.communes(outlines)
	r.Zones = a.zones(zones)
	r.Totals = a.Totals
	r.PVStats = a.Planes.result()
}

// aggregateAll is the one-shot path: every building and parcel of r into
// one partial aggregate.
func aggregateAll(r *Result, outlines []Commune, zones []Zone) *aggPartial {
	t := r.Territory
	a := newAggPartial(len(zones))
	perParcel := len(t.Parcels) > 0
	for i := range t.Buildings {
		a.addBuilding(t, i, &r.Buildings[i], r.PV.Roofs[t.PlaneStart[i]:t.PlaneStart[i+1]], zones, perParcel)
	}
	for i := range t.Parcels {
		a.addParcel(t, i, &r.Parcels[i], outlines, zones)
	}
	return a
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
