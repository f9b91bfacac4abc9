package study

import (
	"reflect"
	"sort"
	"sync/atomic"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/internal/spillq"
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
// to the order of floating-point additions; a partial keeps its value
// lists (bounded by its chunk), which the merge moves to spilled sets
// (aggMerge) for exact quantiles.

// aggPartial is the mergeable aggregate of a set of buildings and parcels.
type aggPartial struct {
	Totals   Totals                     `json:"totals"`
	Communes map[string]*communePartial `json:"communes"`
	// Zones: totals per zone (parallel to the zones layer).
	Zones []Totals `json:"zones,omitempty"`
	// Planes: all roof planes (Result.PVStats).
	Planes planeStats  `json:"planes"`
	Heat   heatPartial `json:"heat"`
	// Pitch: sources of the modelled roof pitches (counted per building).
	Pitch PitchAssignment `json:"pitch"`
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

// Merged aggregate (issue 16). The sums merge in memory; the value lists
// behind the quantiles (a commune's specific yields and shading losses, the
// roof planes' shading losses, the heat pumps' SCOPs: about ten values per
// building) would grow with the territory, so the merge moves them into
// spillq sets, held in memory up to spillq.DefaultBudget values and spilled
// to temporary files beyond, whose quantiles are exact (the same values as
// sorting the concatenated lists). Run merges its one partial the same
// way, so both paths share the code.

// Keys of the merged value lists.
const (
	keyYield   = "yield"   // building specific yield, kWh/kWp
	keyShading = "shading" // building shading loss, %
	keyAllSh   = "all_sh"  // roof-plane shading loss over all planes, %
	keyKeptSh  = "kept_sh" // roof-plane shading loss over kept planes, %
	keySCOPSys = "heat/scop_system"
	keySCOPSpc = "heat/scop_space"
)

// communeKey is the key of commune code's list kind (the kinds hold no
// "/", so the key is unique).
func communeKey(code, kind string) string { return "c/" + code + "/" + kind }

// aggMerge is the merge of partial aggregates: a holds the sums, boxes and
// counters (its value lists stay empty), vals the value lists by key.
type aggMerge struct {
	a    *aggPartial
	vals *spillq.Sets
}

// mergeBudget is the number of values an aggMerge holds in memory before
// spilling (a variable so that the tests force the spilled path on the
// small sample).
var mergeBudget = spillq.DefaultBudget

// mergeSpilled counts the values spilled by every aggMerge closed so far
// (tests check that the spilled path ran).
var mergeSpilled atomic.Int64

// newAggMerge returns an empty merge for zones zones, spilling under dir
// ("" = os.TempDir()); close removes its files.
func newAggMerge(zones int, dir string) *aggMerge {
	return &aggMerge{a: newAggPartial(zones), vals: spillq.New(dir, mergeBudget)}
}

func (m *aggMerge) close() error {
	mergeSpilled.Add(int64(m.vals.Spilled()))
	return m.vals.Close()
}

// move appends *v to the list key and releases *v.
func (m *aggMerge) move(key string, v *[]float64) error {
	err := m.vals.Add(key, *v...)
	*v = nil
	return err
}

// movePlanes moves a plane statistic's lists (prefix: the commune's key
// prefix, "" for the whole study).
func (m *aggMerge) movePlanes(prefix string, ps *planeStats) error {
	if err := m.move(prefix+keyAllSh, &ps.AllSh); err != nil {
		return err
	}
	return m.move(prefix+keyKeptSh, &ps.KeptSh)
}

// add merges o into m; o's value lists are moved (o is emptied of them).
func (m *aggMerge) add(o *aggPartial) error {
	a := m.a
	addTotals(&a.Totals, &o.Totals)
	for code, oc := range o.Communes {
		c := a.commune(code)
		addTotals(&c.Totals, &oc.Totals)
		if err := m.move(communeKey(code, keyYield), &oc.Yields); err != nil {
			return err
		}
		if err := m.move(communeKey(code, keyShading), &oc.Shading); err != nil {
			return err
		}
		if err := m.movePlanes(communeKey(code, ""), &oc.Planes); err != nil {
			return err
		}
		c.Planes.merge(&oc.Planes) // sums only: the lists were moved
		if oc.HasBox {
			c.extend(oc.bound())
		}
	}
	for k := range o.Zones {
		if k < len(a.Zones) {
			addTotals(&a.Zones[k], &o.Zones[k])
		}
	}
	if err := m.movePlanes("", &o.Planes); err != nil {
		return err
	}
	a.Planes.merge(&o.Planes)
	if err := m.move(keySCOPSys, &o.Heat.SCOPSystem); err != nil {
		return err
	}
	if err := m.move(keySCOPSpc, &o.Heat.SCOPSpace); err != nil {
		return err
	}
	a.Heat.merge(&o.Heat)
	a.Pitch.merge(&o.Pitch)
	return nil
}

// quantiles returns the exact quantiles ps of list key (NaN: empty).
func (m *aggMerge) quantiles(key string, ps ...float64) ([]float64, error) {
	return m.vals.Quantiles(key, ps...)
}

// planeStats returns a merged plane statistic with its medians (prefix as
// movePlanes).
func (m *aggMerge) planeStats(prefix string, ps *planeStats) (PlaneStats, error) {
	s := ps.result() // sums; the medians are NaN without lists
	if m.vals.Len(prefix+keyAllSh) > 0 {
		q, err := m.quantiles(prefix+keyAllSh, 0.5)
		if err != nil {
			return s, err
		}
		s.ShadingLossAllQ50Pct = q[0]
	}
	if m.vals.Len(prefix+keyKeptSh) > 0 {
		q, err := m.quantiles(prefix+keyKeptSh, 0.5)
		if err != nil {
			return s, err
		}
		s.ShadingLossKeptQ50Pct = q[0]
	}
	return s, nil
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

// communes returns the commune results of the merge, with the outlines
// (kept ones) as geometries, sorted by code.
func (m *aggMerge) communes(outlines []Commune) ([]CommuneResult, error) {
	a := m.a
	byCode := map[string]*CommuneResult{}
	for code, c := range a.Communes {
		cr := &CommuneResult{INSEE: code, Totals: c.Totals}
		var err error
		if cr.PlaneStats, err = m.planeStats(communeKey(code, ""), &c.Planes); err != nil {
			return nil, err
		}
		if m.vals.Len(communeKey(code, keyYield)) > 0 {
			q, err := m.quantiles(communeKey(code, keyYield), 0.1, 0.5, 0.9)
			if err != nil {
				return nil, err
			}
			cr.SpecificYieldQ10, cr.SpecificYieldQ50, cr.SpecificYieldQ90 = q[0], q[1], q[2]
			if q, err = m.quantiles(communeKey(code, keyShading), 0.5); err != nil {
				return nil, err
			}
			cr.ShadingLossQ50 = q[0]
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
	return out, nil
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
// the merge (both paths).
func (m *aggMerge) aggregate(r *Result, outlines []Commune, zones []Zone) error {
	var err error
	if r.Communes, err = m.communes(outlines); err != nil {
		return err
	}
	r.Zones = m.a.zones(zones)
	r.Totals = m.a.Totals
	r.PVStats, err = m.planeStats("", &m.a.Planes)
	return err
}

// scopMedians returns the median air-source SCOPs (system, space) of the
// heated buildings; ok false without any.
func (m *aggMerge) scopMedians() (sys, space float64, ok bool, err error) {
	if m.vals.Len(keySCOPSys) == 0 {
		return 0, 0, false, nil
	}
	q, err := m.quantiles(keySCOPSys, 0.5)
	if err != nil {
		return 0, 0, false, err
	}
	q2, err := m.quantiles(keySCOPSpc, 0.5)
	if err != nil {
		return 0, 0, false, err
	}
	return q[0], q2[0], true, nil
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
