package study

import (
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/model/econ"
	"github.com/gisement/gisement/model/heat"
	"github.com/gisement/gisement/model/land"
	"github.com/gisement/gisement/model/pv"
	"github.com/gisement/gisement/model/uncertainty"
)

type orbMulti = orb.MultiPolygon

// MinHeatedFootprintM2: buildings with a smaller footprint and no use
// attribute are taken as unheated annexes (garages, sheds): the BDNB extract
// carries no use, and counting every shed as a dwelling would inflate the
// heat demand. Our assumption; the count of such buildings is reported.
const MinHeatedFootprintM2 = 20

// BuildingResult is the potential of one building.
type BuildingResult struct {
	PV pv.BuildingPV
	// Heated is false for annexes (see MinHeatedFootprintM2) and
	// non-heated uses; then Heat and ASHP are zero.
	Heated bool
	Heat   heat.HeatDemand
	ASHP   heat.ASHPResult
	// PitchS1, PitchS2: yield-weighted relative sensitivity of the kept
	// planes' yield to the roof pitch (1/deg, 1/deg²), for the Monte Carlo.
	PitchS1, PitchS2 float64
	Segment          econ.Segment
	Zones            []string
	// Field: the field heat layer (heatfield.go): use, conventional need,
	// emitter, air-source field performance. Heat above is the
	// consumption-like demand.
	Field BuildingHeatField
	// PVEcon: the owner economics of the building's rooftop system
	// (pvecon.go).
	PVEcon BuildingPVEcon
}

// ParcelResult is the potential of one parcel (its buildings' rooftops and
// heat demand, its free land for ground PV and boreholes) with economics and
// uncertainty.
type ParcelResult struct {
	PV             pv.ParcelPV
	CommuneINSEE   string
	HeatedBuilding int
	// Heat sums the heated buildings' demands.
	Heat heat.HeatDemand
	ASHP heat.ASHPResult
	// ASHPSiting: room for an outdoor unit (setback from the boundary).
	ASHPSiting land.OutdoorUnitSiting
	// Boreholes placed on the free land; GSHP the resulting potential.
	Boreholes land.BoreholeField
	GSHP      heat.GSHPResult
	// Economics per technology; EconOK false when not applicable. PVEcon
	// sums the owner economics of the parcel's buildings (pvecon.go;
	// PVOwner the details).
	PVOwner                          ParcelPVEcon
	PVEcon, ASHPEcon, GSHPEcon       econ.Economics
	PVEconOK, ASHPEconOK, GSHPEconOK bool
	// PVQuantiles: Monte Carlo P90/P50/P10 of the rooftop yield and NPV.
	PVQuantiles   uncertainty.Quantiles
	PVQuantilesOK bool
	// Zones containing the parcel's centroid; GMIZone its GMI class.
	Zones   []string
	GMIZone string
	// Errors lists non-fatal model failures on this parcel (e.g. a
	// geometry the buffer could not process); they are counted in the summary.
	Errors []string
	// Ground: ground-mounted PV on the free land (car parks excluded: they
	// are evaluated as canopies); GroundEcon its economics.
	Ground       land.GroundPV
	GroundEcon   econ.Economics
	GroundEconOK bool
	// CarParks lists the car parks whose centroid lies in the parcel;
	// APERCarPark is true when one of them is subject to the APER law.
	CarParks    []string
	APERCarPark bool
	// FreeLandM2: land free for boreholes (parcel minus setbacks and buildings).
	FreeLandM2     float64
	RooftopSegment econ.Segment
	// CO2AvoidedKgYr: rooftop PV plus the air-source heat pump when sited.
	CO2AvoidedKgYr float64
	// Field: the field heat layer (heatfield.go): conventional need, summed
	// air-source performance, ground-source field sized to the need.
	Field ParcelHeatField
}

type evaluator struct {
	o     *Options
	t     *geo.Territory
	pv    *pv.TerritoryPV
	fast  *pv.FastPath
	heat  *heatCtx // field heat layer (heatfield.go)
	mc    *uncertainty.MonteCarlo
	zones []Zone

	pe          *pvEconomics // rooftop owner economics (pvecon.go)
	groundYield float64
	carParks    []land.CarPark
	carParkPV   []land.CarParkPV // parallel to carParks
}

// useOf maps a source "use" to the heat model's use and the PV economics
// segment; heated is false for annexes.
func useOf(b *geo.Building) (use heat.BuildingUse, seg econ.Segment, heated bool) {
	u := strings.ToLower(b.Use)
	switch {
	case u == "":
		if b.FootprintM2 < MinHeatedFootprintM2 {
			return heat.UseResidential, econ.SegmentResidential, false
		}
		return heat.UseResidential, econ.SegmentResidential, true
	case strings.Contains(u, "annexe"), strings.Contains(u, "religieux"):
		return heat.UseTertiary, econ.SegmentTertiary, false
	case strings.Contains(u, "sident"), strings.Contains(u, "habitat"), strings.Contains(u, "logement"), strings.Contains(u, "house"), strings.Contains(u, "apartment"):
		return heat.UseResidential, econ.SegmentResidential, true
	case strings.Contains(u, "indus"):
		return heat.UseTertiary, econ.SegmentIndustrial, true
	case strings.Contains(u, "agri"):
		return heat.UseTertiary, econ.SegmentAgricultural, false
	default:
		return heat.UseTertiary, econ.SegmentTertiary, true
	}
}

func (e *evaluator) building(i int, s *scratch) BuildingResult {
	b := &e.t.Buildings[i]
	br := BuildingResult{PV: e.pv.Buildings[i]}
	_, seg, _ := useOf(b) // the PV economics segment; heat use: heatBuilding
	br.Segment = seg
	e.heatBuilding(i, &br) // heat layer (heatfield.go)
	// Pitch sensitivity of the kept pitched planes (flat roofs: modules on
	// racks at a set tilt, no pitch uncertainty).
	if b.RoofType != geo.RoofFlat {
		planes := e.t.Planes[e.t.PlaneStart[i]:e.t.PlaneStart[i+1]]
		roofs := e.pv.Roofs[e.t.PlaneStart[i]:e.t.PlaneStart[i+1]]
		var w, s1, s2 float64
		for k := range planes {
			if !roofs[k].Kept || roofs[k].KWhYr <= 0 {
				continue
			}
			pl := &planes[k]
			// The yield's sensitivity to pitch is taken on the unshaded plane
			// (the horizon shifts the level more than the slope; 10× cheaper).
			a1, a2 := uncertainty.PitchSensitivity(func(t float64) float64 {
				return e.fast.Plane(t, pl.AzimuthDeg, nil).SpecificYieldKWhKWp
			}, pl.TiltDeg, 2)
			w += roofs[k].KWhYr
			s1 += roofs[k].KWhYr * a1
			s2 += roofs[k].KWhYr * a2
		}
		if w > 0 {
			br.PitchS1, br.PitchS2 = s1/w, s2/w
		}
	}
	br.Zones = e.zonesAt(b.Centroid, nil)
	br.PVEcon = e.pe.building(b, &br, e.pv.Roofs[e.t.PlaneStart[i]:e.t.PlaneStart[i+1]]) // pvecon.go
	return br
}

// zonesAt lists the zones containing p (appended to dst).
func (e *evaluator) zonesAt(p orb.Point, dst []string) []string {
	for k := range e.zones {
		z := &e.zones[k]
		if z.Bound.Contains(p) && planar.MultiPolygonContains(z.Geometry, p) {
			dst = append(dst, z.Name)
		}
	}
	return dst
}

// gmiZone returns the GMI class (green/orange/red) of the first GMI zone
// containing p, "" if none.
func (e *evaluator) gmiZone(p orb.Point) string {
	for k := range e.zones {
		z := &e.zones[k]
		kind := z.Kind
		if !strings.Contains(kind, "gmi") && kind != "green" && kind != "orange" && kind != "red" &&
			kind != "vert" && kind != "rouge" {
			continue
		}
		if !(z.Bound.Contains(p) && planar.MultiPolygonContains(z.Geometry, p)) {
			continue
		}
		switch {
		case strings.Contains(kind, "red"), strings.Contains(kind, "rouge"):
			return string(heat.GMIRed)
		case strings.Contains(kind, "orange"):
			return string(heat.GMIOrange)
		case strings.Contains(kind, "green"), strings.Contains(kind, "vert"):
			return string(heat.GMIGreen)
		}
	}
	return ""
}

func addDemand(a *heat.HeatDemand, d heat.HeatDemand) {
	a.FloorAreaM2 += d.FloorAreaM2
	a.SpaceKWh += d.SpaceKWh
	a.DHWKWh += d.DHWKWh
	a.TotalKWh += d.TotalKWh
	a.DesignLoadKW += d.DesignLoadKW
	a.ClimateFactor = d.ClimateFactor
	if a.Kind == "" {
		a.Kind, a.Use, a.Period = d.Kind, d.Use, d.Period
	}
}

func (e *evaluator) parcel(i int, bres []BuildingResult, s *scratch) ParcelResult {
	p := &e.t.Parcels[i]
	pr := ParcelResult{PV: e.pv.Parcels[i], CommuneINSEE: parcelCommune(p, e.t)}
	c := planar.CentroidArea
	centroid, _ := c(p.Geometry)
	pr.Zones = e.zonesAt(centroid, nil)
	pr.GMIZone = e.gmiZone(centroid)

	s.fps = s.fps[:0]
	var s1w, s2w, w float64
	pr.RooftopSegment = econ.SegmentResidential
	for _, bi := range p.BuildingIdx {
		b := &e.t.Buildings[bi]
		s.fps = append(s.fps, b.Footprint)
		br := &bres[bi]
		if br.Heated {
			pr.HeatedBuilding++
			addDemand(&pr.Heat, br.Heat)
		}
		if br.PV.KWhYr > 0 {
			s1w += br.PV.KWhYr * br.PitchS1
			s2w += br.PV.KWhYr * br.PitchS2
			w += br.PV.KWhYr
		}
		if br.Segment != econ.SegmentResidential {
			pr.RooftopSegment = br.Segment
		}
	}

	// Land: outdoor-unit siting and boreholes (parcels with heated
	// buildings), ground-mounted PV (parcels large enough for one patch),
	// sharing the buffer work.
	e.siteParcel(i, &pr, s)

	// Heat pumps for the parcel's heated buildings (heatfield.go).
	e.heatParcel(&pr, p, bres)

	// Rooftop PV: owner economics summed over the buildings, yield
	// quantiles of the technical potential (pvecon.go).
	e.parcelPV(p, bres, &pr, s, s1w, s2w, w)
	pr.CO2AvoidedKgYr = pr.PVEcon.CO2AvoidedKgYr
	if pr.ASHPEconOK {
		pr.CO2AvoidedKgYr += pr.ASHPEcon.CO2AvoidedKgYr
	}
	return pr
}

// parcelCommune returns the parcel's INSEE code: the attribute, else the
// first 5 characters of a recovered IDU, else the majority commune of its
// buildings.
func parcelCommune(p *geo.Parcel, t *geo.Territory) string {
	if p.CommuneINSEE != "" {
		return p.CommuneINSEE
	}
	if p.IDSource != geo.IDFromGeometry && len(p.ID) == 14 {
		return p.ID[:5]
	}
	counts := map[string]int{}
	best, bestN := "", 0
	for _, bi := range p.BuildingIdx {
		c := t.Buildings[bi].CommuneINSEE
		if c == "" {
			continue
		}
		counts[c]++
		if counts[c] > bestN || (counts[c] == bestN && c < best) {
			best, bestN = c, counts[c]
		}
	}
	return best
}

// siteParcel evaluates the parcel's land: outdoor-unit siting and borehole
// field when it has heated buildings, ground-mounted PV when it is larger
// than the minimum patch (smaller parcels cannot hold one: skipped without
// geometry work, which spares most urban parcels), and the car parks it holds.
func (e *evaluator) siteParcel(i int, pr *ParcelResult, s *scratch) {
	p := &e.t.Parcels[i]
	sc := e.o.Scenario
	b := p.Geometry.Bound()
	var excl []orb.MultiPolygon
	for k := range e.carParks {
		cp := &e.carParks[k]
		if !cp.Geometry.Bound().Intersects(b) {
			continue
		}
		excl = append(excl, cp.Geometry)
		c, _ := planar.CentroidArea(cp.Geometry)
		if planar.MultiPolygonContains(p.Geometry, c) {
			pr.CarParks = append(pr.CarParks, cp.ID)
			if e.carParkPV[k].APERObligated { // the APER rule lives in land.CarParksPV
				pr.APERCarPark = true
			}
		}
	}
	o := land.ParcelSiteOptions{
		Heat: pr.HeatedBuilding > 0, ProbeDepthM: sc.Heat.GSHP.ProbeDepthM.Value,
		Ground: p.AreaM2 >= sc.Land.Ground.MinPatchM2.Value && e.groundYield > 0, GroundYieldKWhKWp: e.groundYield,
		ModulePowerWpM2: sc.PV.ModulePowerDensityWpM2.Value, Exclusions: excl,
	}
	if !o.Heat && !o.Ground {
		return
	}
	site, err := land.SiteParcel(p.ID, p.Geometry, s.fps, sc.Land, o)
	if err != nil {
		pr.Errors = append(pr.Errors, "land: "+err.Error())
		return
	}
	pr.ASHPSiting, pr.Boreholes, pr.FreeLandM2 = site.Unit, site.Boreholes, site.Boreholes.FreeLandM2
	g := site.Ground
	g.FreeLand = nil // not stored: keeps the result small
	pr.Ground = g
	if g.KWp > 0 {
		if ec, err := econ.PVEconomics(&sc.Econ, econ.PVEconomicsOptions{Kind: econ.PVGround, KWp: g.KWp, YieldKWhYr1: g.KWhYr}); err == nil {
			pr.GroundEcon, pr.GroundEconOK = ec, true
		}
	}
}
