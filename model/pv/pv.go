package pv

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/gisement/gisement/geo"
	"github.com/gisement/gisement/solar"
)

// ErrPVInput is wrapped by the errors of the PV model's validation.
var ErrPVInput = errors.New("invalid PV-model input")

// PlaneEvaluator computes the per-kWp yield of a plane under a horizon: the
// FastPath (microseconds, for territories) or HourlyEvaluator (the full
// hourly simulation, for single sites and checks).
type PlaneEvaluator interface {
	Plane(tiltDeg, azDeg float64, h *solar.Horizon) PlaneYield
	// Optimum returns the best orientation and its unshaded POA (kWh/m²)
	// and specific yield (kWh/kWp) for the site.
	Optimum() (tiltDeg, azimuthDeg, poaKWhM2, yieldKWhKWp float64)
}

// HourlyEvaluator evaluates planes with the full hourly model
// (solar.Sky.Annual, ≈ 0.4 ms per plane).
type HourlyEvaluator struct {
	Sky    *solar.Sky
	System solar.System

	once                   sync.Once
	optT, optA, optP, optY float64
}

// Plane runs the hourly simulation with and without the horizon.
func (e *HourlyEvaluator) Plane(tiltDeg, azDeg float64, h *solar.Horizon) PlaneYield {
	sys := e.System
	sys.PeakPowerKW, sys.Hourly = 1, false
	p := solar.Plane{TiltDeg: tiltDeg, AzimuthDeg: azDeg}
	r := e.Sky.Annual(p, h, sys)
	out := PlaneYield{POAKWhM2: r.POAKWhM2, POAUnshadedKWhM2: r.POAUnshadedKWhM2, SpecificYieldKWhKWp: r.SpecificYieldKWhKWp,
		UnshadedYieldKWhKWp: r.SpecificYieldKWhKWp}
	for m := range 12 {
		out.MonthlyKWhKWp[m] = r.Monthly[m].EnergyKWh
	}
	if h != nil && len(h.ElevationDeg) > 0 {
		out.UnshadedYieldKWhKWp = e.Sky.Annual(p, nil, sys).SpecificYieldKWhKWp
	}
	return out
}

// Optimum searches tilt 0–90° and azimuth 90–270° by 5° for the best
// unshaded yield (computed once).
func (e *HourlyEvaluator) Optimum() (tiltDeg, azimuthDeg, poaKWhM2, yieldKWhKWp float64) {
	e.once.Do(func() {
		sys := e.System
		sys.PeakPowerKW, sys.Hourly = 1, false
		for t := 0.0; t <= 90; t += 5 {
			for a := 90.0; a <= 270; a += 5 {
				r := e.Sky.Annual(solar.Plane{TiltDeg: t, AzimuthDeg: a}, nil, sys)
				if r.SpecificYieldKWhKWp > e.optY {
					e.optT, e.optA, e.optP, e.optY = t, a, r.POAKWhM2, r.SpecificYieldKWhKWp
				}
			}
		}
	})
	return e.optT, e.optA, e.optP, e.optY
}

// RoofPV is the PV potential of one roof plane.
type RoofPV struct {
	// BuildingIdx and PlaneIndex locate the plane (geo.RoofPlane).
	BuildingIdx, PlaneIndex int
	TiltDeg, AzimuthDeg     float64
	UsableM2                float64
	// KWp = UsableM2 × module power density.
	KWp float64
	// KWhYr is the annual AC energy with shading; MonthlyKWh per month.
	KWhYr      float64
	MonthlyKWh [12]float64
	// SpecificYieldKWhKWp = KWhYr / KWp (with shading).
	SpecificYieldKWhKWp float64
	// POAKWhM2 and POAUnshadedKWhM2: annual in-plane irradiation with and
	// without the horizon (kWh/m²·yr, before reflection losses).
	POAKWhM2, POAUnshadedKWhM2 float64
	// ShadingLossPct = 100·(1 − POA/POAUnshaded): irradiation lost to the
	// horizon (neighbours, terrain). EnergyShadingLossPct is the same for
	// the AC energy (larger: the lost beam arrives at better incidence than
	// the diffuse that remains).
	ShadingLossPct, EnergyShadingLossPct float64
	// MismatchLossPct: the energy lost, in % of the shaded yield, to the
	// partial shading of modules in series (included in
	// EnergyShadingLossPct and KWhYr, not in ShadingLossPct).
	MismatchLossPct float64
	// RelativePOAPct is POAKWhM2 in % of the site's optimally oriented
	// unshaded plane.
	RelativePOAPct float64
	Class          Suitability
	// RelativeYieldPct is SpecificYieldKWhKWp (with shading) in % of the
	// site's optimally oriented unshaded plane (PlaneEvaluator.Optimum).
	RelativeYieldPct float64
	// Kept is true when the plane belongs to the technical potential
	// ("potentiel technique"): specific yield ≥ TechnicalMinShareOfOptimum ×
	// the local optimum, and UsableM2 ≥ MinUsableM2.
	Kept bool
}

// roofEval evaluates one roof plane's orientation under its horizons.
// With the FastPath it computes the orientation-only part once (grid
// interpolation, normal, IAM, loss-grid cell: planeOrient) and shares it
// between the horizons — the same arithmetic as FastPath.Plane, so the
// same results; with other evaluators it calls Plane for each.
type roofEval struct {
	e              PlaneEvaluator
	f              *FastPath
	o              planeOrient
	tiltDeg, azDeg float64
}

func (r *roofEval) init(e PlaneEvaluator, tiltDeg, azDeg float64) {
	r.e, r.tiltDeg, r.azDeg = e, tiltDeg, azDeg
	r.f = nil
	if f, ok := e.(*FastPath); ok {
		r.f = f
		f.orient(tiltDeg, azDeg, &r.o)
	}
}

// at is PlaneEvaluator.Plane(tiltDeg, azDeg, h) (h nil: no horizon).
func (r *roofEval) at(h *solar.Horizon) PlaneYield {
	if r.f != nil {
		return r.f.planeUnder(&r.o, skyline(h))
	}
	if h == nil {
		return r.e.Plane(r.tiltDeg, r.azDeg, nil)
	}
	hh := *h // only this copy escapes through the interface call
	return r.e.Plane(r.tiltDeg, r.azDeg, &hh)
}

// yieldAt is at(h).SpecificYieldKWhKWp; the FastPath computes it alone
// (FastPath.yieldUnder).
func (r *roofEval) yieldAt(h *solar.Horizon) float64 {
	if r.f != nil {
		return r.f.yieldUnder(&r.o, skyline(h))
	}
	return r.at(h).SpecificYieldKWhKWp
}

// skyline returns h's elevations (nil for no horizon).
func skyline(h *solar.Horizon) []float64 {
	if h == nil {
		return nil
	}
	return h.ElevationDeg
}

// planeYield evaluates pl under its horizon: with HorizonProfiles (observed
// planes), the mean of the yields under each profile — the mean over the
// plane's sample points, as a roof's irradiation is the mean over its cells
// (see geo/surface) — else the yield under Horizon.
func planeYield(r *roofEval, pl *geo.RoofPlane, h *solar.Horizon) PlaneYield {
	if len(pl.HorizonProfiles) == 0 {
		return r.at(h)
	}
	var out PlaneYield
	w := 1 / float64(len(pl.HorizonProfiles))
	for i, hp := range pl.HorizonProfiles {
		y := r.at(&solar.Horizon{ElevationDeg: hp.ElevationDeg})
		if i == 0 {
			out.POAUnshadedKWhM2, out.UnshadedYieldKWhKWp = y.POAUnshadedKWhM2, y.UnshadedYieldKWhKWp
		}
		out.POAKWhM2 += w * y.POAKWhM2
		out.SpecificYieldKWhKWp += w * y.SpecificYieldKWhKWp
		for m := range out.MonthlyKWhKWp {
			out.MonthlyKWhKWp[m] += w * y.MonthlyKWhKWp[m]
		}
	}
	return out
}

// RoofPVOf evaluates one roof plane.
func RoofPVOf(e PlaneEvaluator, pl *geo.RoofPlane, p Params) RoofPV {
	var h *solar.Horizon
	if len(pl.Horizon.ElevationDeg) > 0 {
		h = &solar.Horizon{ElevationDeg: pl.Horizon.ElevationDeg}
	}
	var ev roofEval
	ev.init(e, pl.TiltDeg, pl.AzimuthDeg)
	y := planeYield(&ev, pl, h)
	mismatch := 0.0
	if len(pl.HorizonMin.ElevationDeg) > 0 && h != nil {
		// Partial shading (the plane's sample points disagree): the yield
		// under the minimum horizon (shaded only where every point is)
		// minus the yield under the mean horizon is the energy lost to
		// partial shading; modules in series lose (SIF − 1) times more
		// (shading impact factor: effective beam = beam·(1 − SIF·f)).
		yl := ev.yieldAt(&solar.Horizon{ElevationDeg: pl.HorizonMin.ElevationDeg})
		if part := yl - y.SpecificYieldKWhKWp; part > 0 && y.SpecificYieldKWhKWp > 0 {
			extra := math.Min((p.ShadingImpactFactor.Value-1)*part, y.SpecificYieldKWhKWp)
			mismatch = extra / y.SpecificYieldKWhKWp
			f := 1 - mismatch
			y.SpecificYieldKWhKWp *= f
			for m := range y.MonthlyKWhKWp {
				y.MonthlyKWhKWp[m] *= f
			}
		}
	}
	usable := math.Max(pl.UsableM2, 0)
	r := RoofPV{BuildingIdx: pl.BuildingIdx, PlaneIndex: pl.Index, TiltDeg: pl.TiltDeg, AzimuthDeg: pl.AzimuthDeg,
		UsableM2: usable, KWp: usable * p.ModulePowerDensityWpM2.Value / 1000,
		SpecificYieldKWhKWp: y.SpecificYieldKWhKWp, POAKWhM2: y.POAKWhM2, POAUnshadedKWhM2: y.POAUnshadedKWhM2}
	r.KWhYr = r.KWp * y.SpecificYieldKWhKWp
	for m := range 12 {
		r.MonthlyKWh[m] = r.KWp * y.MonthlyKWhKWp[m]
	}
	if y.POAUnshadedKWhM2 > 0 {
		r.ShadingLossPct = math.Max(0, 100*(1-y.POAKWhM2/y.POAUnshadedKWhM2))
	}
	if y.UnshadedYieldKWhKWp > 0 {
		r.EnergyShadingLossPct = math.Max(0, 100*(1-y.SpecificYieldKWhKWp/y.UnshadedYieldKWhKWp))
	}
	r.MismatchLossPct = 100 * mismatch
	_, _, optPOA, optY := e.Optimum()
	if optPOA > 0 {
		r.RelativePOAPct = 100 * y.POAKWhM2 / optPOA
	}
	if optY > 0 {
		r.RelativeYieldPct = 100 * y.SpecificYieldKWhKWp / optY
	}
	r.Class = sonnendach.Classify(y.POAKWhM2)
	r.Kept = y.SpecificYieldKWhKWp >= p.TechnicalMinShareOfOptimum.Value*optY && usable >= p.MinUsableM2.Value && usable > 0
	return r
}

// BuildingPV sums the kept planes of one building.
type BuildingPV struct {
	BuildingIdx int
	BuildingID  string
	ParcelID    string
	// Planes is the number of roof planes, PlanesKept those counted.
	Planes, PlanesKept int
	// UsableM2, KWp, KWhYr, MonthlyKWh: sums over kept planes.
	UsableM2, KWp, KWhYr float64
	MonthlyKWh           [12]float64
	// SpecificYieldKWhKWp = KWhYr / KWp (0 when nothing is kept).
	SpecificYieldKWhKWp float64
	// ShadingLossPct is the usable-area-weighted mean of the kept planes'
	// irradiation shading loss (over all planes when none is kept).
	ShadingLossPct float64
	// BestClass is the best class among all the building's planes (with
	// usable area > 0); BestPOAKWhM2 its irradiation.
	BestClass    Suitability
	BestPOAKWhM2 float64
	// ExcludedUsableM2 is the usable area of planes not kept.
	ExcludedUsableM2 float64
}

// NewBuildingPV aggregates the roof results of one building.
func NewBuildingPV(buildingIdx int, roofs []RoofPV) BuildingPV {
	b := BuildingPV{BuildingIdx: buildingIdx, Planes: len(roofs)}
	var wKept, wAll, shKept, shAll float64
	for i := range roofs {
		r := &roofs[i]
		wAll += r.UsableM2
		shAll += r.UsableM2 * r.ShadingLossPct
		if r.UsableM2 > 0 && (r.POAKWhM2 > b.BestPOAKWhM2 || b.BestClass == "") {
			b.BestPOAKWhM2, b.BestClass = r.POAKWhM2, r.Class
		}
		if !r.Kept {
			b.ExcludedUsableM2 += r.UsableM2
			continue
		}
		b.PlanesKept++
		b.UsableM2 += r.UsableM2
		b.KWp += r.KWp
		b.KWhYr += r.KWhYr
		for m := range 12 {
			b.MonthlyKWh[m] += r.MonthlyKWh[m]
		}
		wKept += r.UsableM2
		shKept += r.UsableM2 * r.ShadingLossPct
	}
	if b.KWp > 0 {
		b.SpecificYieldKWhKWp = b.KWhYr / b.KWp
	}
	switch {
	case wKept > 0:
		b.ShadingLossPct = shKept / wKept
	case wAll > 0:
		b.ShadingLossPct = shAll / wAll
	}
	return b
}

// ParcelPV sums the rooftop potential of the buildings on one parcel.
type ParcelPV struct {
	ParcelID             string
	Buildings            int
	UsableM2, KWp, KWhYr float64
	MonthlyKWh           [12]float64
	SpecificYieldKWhKWp  float64
	// ShadingLossPct: usable-area-weighted over the buildings.
	ShadingLossPct float64
	BestClass      Suitability
}

// NewParcelPV aggregates building results into a parcel.
func NewParcelPV(parcelID string, bs []BuildingPV) ParcelPV {
	p := ParcelPV{ParcelID: parcelID, Buildings: len(bs)}
	w := 0.0
	best := -1.0
	for i := range bs {
		b := &bs[i]
		p.UsableM2 += b.UsableM2
		p.KWp += b.KWp
		p.KWhYr += b.KWhYr
		for m := range 12 {
			p.MonthlyKWh[m] += b.MonthlyKWh[m]
		}
		p.ShadingLossPct += b.UsableM2 * b.ShadingLossPct
		w += b.UsableM2
		if b.BestClass != "" && b.BestPOAKWhM2 > best {
			best, p.BestClass = b.BestPOAKWhM2, b.BestClass
		}
	}
	if w > 0 {
		p.ShadingLossPct /= w
	}
	if p.KWp > 0 {
		p.SpecificYieldKWhKWp = p.KWhYr / p.KWp
	}
	return p
}

// TerritoryPV holds the rooftop results of a territory: Roofs parallel to
// Territory.Planes, Buildings to Territory.Buildings, Parcels to
// Territory.Parcels.
type TerritoryPV struct {
	Roofs     []RoofPV
	Buildings []BuildingPV
	Parcels   []ParcelPV
	// KWp, KWhYr: territory totals over kept planes.
	KWp, KWhYr float64
}

// TerritoryPVOf evaluates every roof plane of t (which must have its planes
// computed: geo.Territory.ComputePlanes) with e on workers goroutines
// (0 = GOMAXPROCS), then aggregates per building and parcel. Cost is linear
// in the number of planes.
func TerritoryPVOf(ctx context.Context, t *geo.Territory, e PlaneEvaluator, p Params, workers int) (*TerritoryPV, error) {
	roofs, err := NewRoofs(t, p)
	if err != nil {
		return nil, err
	}
	if err := EvaluateRoofs(ctx, t, nil, e, p, workers, roofs); err != nil {
		return nil, err
	}
	return AggregateRoofs(t, roofs), nil
}

// NewRoofs checks p and t (planes computed) and returns the slice of plane
// results, parallel to t.Planes, that EvaluateRoofs fills.
func NewRoofs(t *geo.Territory, p Params) ([]RoofPV, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if t == nil || len(t.PlaneStart) != len(t.Buildings)+1 {
		return nil, fmt.Errorf("%w: territory has no roof planes (run ComputePlanes first)", ErrPVInput)
	}
	return make([]RoofPV, len(t.Planes)), nil
}

// EvaluateRoofs evaluates with e the roof planes of the given buildings
// (indices into t.Buildings; nil = every plane) into roofs (parallel to
// t.Planes), on one bounded pool (errgroup.SetLimit(workers), 0 =
// GOMAXPROCS) that stops when ctx is done. Callers with several weather
// years (scaling by place) call it once per group of buildings.
func EvaluateRoofs(ctx context.Context, t *geo.Territory, buildings []int, e PlaneEvaluator, p Params, workers int, roofs []RoofPV) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	if buildings == nil {
		const chunk = 1024
		for lo := 0; lo < len(t.Planes); lo += chunk {
			hi := min(lo+chunk, len(t.Planes))
			g.Go(func() error {
				if err := gctx.Err(); err != nil {
					return err
				}
				for i := lo; i < hi; i++ {
					roofs[i] = RoofPVOf(e, &t.Planes[i], p)
				}
				return nil
			})
		}
		return g.Wait()
	}
	const chunk = 256
	for lo := 0; lo < len(buildings); lo += chunk {
		bs := buildings[lo:min(lo+chunk, len(buildings))]
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			for _, b := range bs {
				for i := t.PlaneStart[b]; i < t.PlaneStart[b+1]; i++ {
					roofs[i] = RoofPVOf(e, &t.Planes[i], p)
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// AggregateRoofs sums evaluated roof planes (parallel to t.Planes) per
// building and parcel, and over the territory.
func AggregateRoofs(t *geo.Territory, roofs []RoofPV) *TerritoryPV {
	out := &TerritoryPV{Roofs: roofs, Buildings: make([]BuildingPV, len(t.Buildings)),
		Parcels: make([]ParcelPV, len(t.Parcels))}
	for i := range t.Buildings {
		b := NewBuildingPV(i, out.Roofs[t.PlaneStart[i]:t.PlaneStart[i+1]])
		b.BuildingID, b.ParcelID = t.Buildings[i].ID, t.Buildings[i].ParcelID
		out.Buildings[i] = b
		out.KWp += b.KWp
		out.KWhYr += b.KWhYr
	}
	bs := make([]BuildingPV, 0, 8)
	for i := range t.Parcels {
		bs = bs[:0]
		for _, bi := range t.Parcels[i].BuildingIdx {
			if bi >= 0 && bi < len(out.Buildings) {
				bs = append(bs, out.Buildings[bi])
			}
		}
		out.Parcels[i] = NewParcelPV(t.Parcels[i].ID, bs)
	}
	return out
}
