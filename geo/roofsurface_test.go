package geo

import (
	"context"
	"math"
	"testing"

	"github.com/gisement/gisement/internal/shareddata"
)

// Two identical gable houses (10 m E–W × 8 m N–S, eaves 6 m, 30° pitch:
// rise 4·tan 30° = 2.309 m, ridge E–W at 8.309 m), the second 14 m south of
// the first. Before issue 12 the neighbour was an obstacle at its eaves
// (6 m) seen from mid-slope (7.155 m): it never shaded. At its roof surface
// its ridge, 12 m south of the north house's south-plane centroid, rises
// 1.155 m above it: atan(1.155/12) = 5.50° at the centre and at the two
// points across; 1 m down-slope (6.577 m, 11 m away) atan(1.732/11) =
// 8.95°; 1 m up-slope (7.732 m, 13 m away) atan(0.577/13) = 2.54°. The
// plane's horizon due south is their mean, 5.60°, its minimum 2.54°
// (hand-worked; SYNTHETIC geometry on the central meridian, no
// convergence).
func TestRidgeOfNeighbourShadesSamplePoints(t *testing.T) { // synthetic
	north := synthBuilding("north", rectFootprint(x0, y0, 10, 8, 90), 6)
	south := synthBuilding("south", rectFootprint(x0, y0-14, 10, 8, 90), 6)
	tr := &Territory{Buildings: []Building{north, south}}
	tr.ComputePlanes(DefaultRoofOptions(), DefaultHorizonOptions())
	var pl *RoofPlane
	for i := tr.PlaneStart[0]; i < tr.PlaneStart[1]; i++ {
		if p := &tr.Planes[i]; math.Abs(p.AzimuthDeg-180) < 1 {
			pl = p
		}
	}
	if pl == nil {
		t.Fatalf("no south plane on the north house: %+v", tr.Planes)
	}
	rise := 4 * math.Tan(30*math.Pi/180)
	deg := 180 / math.Pi
	e := func(dh, d float64) float64 { return math.Atan2(dh, d) * deg }
	centre := e(rise/2, 12)
	down := e(rise/2+rise/4, 11)
	up := e(rise/4, 13)
	wantMean := (3*centre + down + up) / 5
	got, gotMin := pl.Horizon.ElevationDeg[24], pl.HorizonMin.ElevationDeg[24]
	t.Logf("south sector: mean %.3f° (want %.3f°), min %.3f° (want %.3f°)", got, wantMean, gotMin, up)
	if math.Abs(got-wantMean) > 0.05 || math.Abs(gotMin-up) > 0.05 {
		t.Errorf("south sector mean %.3f°, min %.3f°; want %.3f°, %.3f°", got, gotMin, wantMean, up)
	}
	for k := range pl.Horizon.ElevationDeg {
		if pl.HorizonMin.ElevationDeg[k] > pl.Horizon.ElevationDeg[k]+1e-12 {
			t.Errorf("sector %d: minimum %g above mean %g", k, pl.HorizonMin.ElevationDeg[k], pl.Horizon.ElevationDeg[k])
		}
	}
	// The single-point function without roof tops keeps the old
	// eaves-only obstacle: nothing.
	if h := NeighbourHorizon(tr.Buildings, tr.BuildingIndex, 0, pl, DefaultHorizonOptions()); h[24] != 0 {
		t.Errorf("eaves-only horizon %g, want 0", h[24])
	}
}

// An east–west flat roof gives two planes facing 90° and 270° at the rack
// tilt, sharing the usable area × the east–west coverage (SYNTHETIC).
func TestRoofPlanesFlatEastWest(t *testing.T) { // synthetic
	b := synthBuilding("big", rectFootprint(x0, y0, 30, 30, 0), 9)
	o := DefaultRoofOptions()
	o.FlatEastWest = true
	pl := RoofPlanes(&b, 0, o)
	if len(pl) != 2 || pl[0].AzimuthDeg != 90 || pl[1].AzimuthDeg != 270 || pl[0].TiltDeg != o.FlatTiltDeg {
		t.Fatalf("planes %+v", pl)
	}
	want := 900 * (29.0 * 29 / 900) * 0.85 * o.FlatEastWestCoverage
	if got := pl[0].UsableM2 + pl[1].UsableM2; !near(got, want, 1e-6) {
		t.Errorf("usable %.2f m², want %.2f", got, want)
	}
}

// TestPlaneHorizonsGatherOnce checks the speed-up of issue 16 on the real
// Périgueux buildings: the neighbours gathered once per plane give every
// sample point exactly (bit for bit) the horizon of a search made at that
// point alone, for every plane of every 13th building, and ComputePlanesFor
// leaves the planes of the buildings not needed without horizon while the
// needed ones keep theirs.
func TestPlaneHorizonsGatherOnce(t *testing.T) {
	bp := shareddata.Path(t, perigueuxBuildings)
	tr, err := LoadTerritory(TerritoryOptions{BuildingsPath: bp})
	if err != nil {
		t.Fatal(err)
	}
	need := make([]bool, len(tr.Buildings))
	for i := range need {
		need[i] = i%13 == 0
	}
	ro, ho := DefaultRoofOptions(), DefaultHorizonOptions().withDefaults()
	if err := tr.ComputePlanesFor(context.Background(), ro, ho, 0, need); err != nil {
		t.Fatal(err)
	}
	tops := make([]roofTop, len(tr.Buildings))
	for i := range tops {
		tops[i] = roofTopOf(&tr.Buildings[i], ro)
	}
	n := ho.Sectors
	checked, shaded := 0, 0
	for i := range tr.Planes {
		pl := &tr.Planes[i]
		if !need[pl.BuildingIdx] {
			if len(pl.Horizon.ElevationDeg) != 0 || len(pl.HorizonMin.ElevationDeg) != 0 {
				t.Fatalf("plane %d of a building not needed has a horizon", i)
			}
			continue
		}
		pts, hs := samplePoints(pl, &tops[pl.BuildingIdx])
		mean, lo := make([]float64, n), make([]float64, n)
		for k := range lo {
			lo[k] = math.Inf(1)
		}
		for p := range pts {
			var w horizonWork // a fresh search at this point only
			w.gather(tr.Buildings, tops, tr.BuildingIndex, pl.BuildingIdx, pts[p], pts[p], ho)
			h := make([]float64, n)
			w.pointInto(h, tr.Buildings, pts[p], hs[p], ho)
			for k, v := range h {
				mean[k] += v / SamplePoints
				lo[k] = math.Min(lo[k], v)
			}
		}
		for k := range mean {
			if mean[k] != pl.Horizon.ElevationDeg[k] || lo[k] != pl.HorizonMin.ElevationDeg[k] {
				t.Fatalf("plane %d sector %d: gathered once %v/%v, per point %v/%v", i, k,
					pl.Horizon.ElevationDeg[k], pl.HorizonMin.ElevationDeg[k], mean[k], lo[k])
			}
			if mean[k] > 0 {
				shaded++
			}
		}
		checked++
	}
	if checked < 1000 || shaded == 0 {
		t.Fatalf("checked %d planes, %d shaded sectors: the sample is too thin", checked, shaded)
	}
	t.Logf("%d planes, %d shaded sectors identical", checked, shaded)
}

// TestHorizonCullsExact checks that skipping the obstacles hidden() rules
// out (the whole obstacle, or a pitched neighbour's eaves behind its
// ridge) changes no horizon value: every plane of the real Périgueux
// buildings is recomputed with no cull and compared bit for bit.
func TestHorizonCullsExact(t *testing.T) {
	tr, err := LoadTerritory(TerritoryOptions{BuildingsPath: shareddata.Path(t, perigueuxBuildings)})
	if err != nil {
		t.Fatal(err)
	}
	ro, ho := DefaultRoofOptions(), DefaultHorizonOptions().withDefaults()
	tr.ComputePlanes(ro, ho)
	tops := make([]roofTop, len(tr.Buildings))
	for i := range tops {
		tops[i] = roofTopOf(&tr.Buildings[i], ro)
	}
	n := ho.Sectors
	w := horizonWork{building: -1, exhaustive: true}
	mean, lo, scratch := make([]float64, n), make([]float64, n), make([]float64, n)
	step := 1
	if testing.Short() {
		step = 7
	}
	checked, shaded := 0, 0
	for i := 0; i < len(tr.Planes); i += step {
		pl := &tr.Planes[i]
		b := pl.BuildingIdx
		w.planeHorizons(mean, lo, scratch, tr.Buildings, tops, tr.BuildingIndex, tr.Planes[tr.PlaneStart[b]:tr.PlaneStart[b+1]], pl, ho)
		for k := range mean {
			if mean[k] != pl.Horizon.ElevationDeg[k] || lo[k] != pl.HorizonMin.ElevationDeg[k] {
				t.Fatalf("plane %d sector %d: with culls %v/%v, without %v/%v", i, k,
					pl.Horizon.ElevationDeg[k], pl.HorizonMin.ElevationDeg[k], mean[k], lo[k])
			}
			if lo[k] > 0 {
				shaded++
			}
		}
		checked++
	}
	if shaded == 0 {
		t.Fatal("no shaded sector: the sample does not exercise the culls")
	}
	t.Logf("%d planes, %d sectors shaded at every point, identical without culls", checked, shaded)
}
